"""max_iter="auto": a training budget that follows the class to oversample."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification

from skgan import GANOverSampler, WCGANOverSampler
from skgan.nn._budget import auto_max_iter
from skgan.over_sampling._base import AUTO_BUDGET
from skgan.over_sampling._wcgan import WCGAN_AUTO_BUDGET

TINY = dict(generator_dims=(8,), discriminator_dims=(8,), random_state=0)


def _problem(n_minority, n_majority, n_features=4, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack(
        [
            rng.normal(size=(n_majority, n_features)),
            rng.normal(2.0, 1.0, size=(n_minority, n_features)),
        ]
    )
    y = np.r_[np.zeros(n_majority, int), np.ones(n_minority, int)]
    return X, y


def test_auto_max_iter_floor_proportion_and_cap():
    rule = dict(passes=100, floor=150, cap=1500)
    assert auto_max_iter(40, 128, **rule) == 150
    assert auto_max_iter(1000, 128, **rule) == 782  # ceil(100 * 1000 / 128)
    assert auto_max_iter(10**6, 128, **rule) == 1500
    assert auto_max_iter(10**6, 128, passes=100, floor=150) == 781_250
    # Fewer rows than columns: passes shrink by rows / columns.
    assert auto_max_iter(1000, 128, **rule, n_columns=2000) == 391
    assert auto_max_iter(1000, 128, **rule, n_columns=10) == 782


def test_sampler_auto_budget_gives_a_wide_class_fewer_updates():
    X, y = _problem(40, 200, n_features=4)
    narrow = GANOverSampler(batch_size=8, **TINY)
    narrow.fit_resample(X, y)
    X_wide, y_wide = _problem(40, 200, n_features=80)
    wide = GANOverSampler(batch_size=8, **TINY)
    wide.fit_resample(X_wide, y_wide)
    assert narrow.n_iter_[1] == auto_max_iter(40, 8, **AUTO_BUDGET)
    assert wide.n_iter_[1] == auto_max_iter(40, 8, **AUTO_BUDGET, n_columns=80)
    assert wide.n_iter_[1] < narrow.n_iter_[1]


@pytest.mark.parametrize(
    "Sampler, rule",
    [(GANOverSampler, AUTO_BUDGET), (WCGANOverSampler, WCGAN_AUTO_BUDGET)],
)
def test_sampler_auto_budget_follows_the_minority_not_the_majority(Sampler, rule):
    # batch_size=8 keeps the updates few while the rule is exercised above its
    # floor: a budget proportional to the class's rows.
    small = Sampler(batch_size=8, **TINY)
    small.fit_resample(*_problem(12, 200))
    large = Sampler(batch_size=8, **TINY)
    large.fit_resample(*_problem(40, 200))
    bigger_majority = Sampler(batch_size=8, **TINY)
    bigger_majority.fit_resample(*_problem(40, 2000))
    used = [
        s.n_iter_[1] if isinstance(s.n_iter_, dict) else s.n_iter_
        for s in (small, large, bigger_majority)
    ]
    expected = [auto_max_iter(n, 8, **rule) for n in (12, 40, 40)]
    assert used == expected
    assert used[1] > used[0]  # more rows, more updates
    assert used[1] == used[2]  # the majority's rows do not count


def test_explicit_max_iter_is_exact_whatever_the_class():
    X, y = _problem(60, 200)
    sampler = GANOverSampler(max_iter=5, batch_size=8, **TINY)
    sampler.fit_resample(X, y)
    assert sampler.n_iter_ == {1: 5}
    wcgan = WCGANOverSampler(max_iter=5, batch_size=8, **TINY)
    wcgan.fit_resample(X, y)
    assert wcgan.n_iter_ == 5


def test_auto_budget_rejects_unknown_strings():
    X, y = _problem(20, 100)
    with pytest.raises(ValueError, match="max_iter"):
        GANOverSampler(max_iter="fast").fit_resample(X, y)


@pytest.mark.parametrize("Sampler", [GANOverSampler, WCGANOverSampler])
def test_wide_binary_columns_come_back_binary(Sampler):
    # InternetAds-like: many 0/1 columns, some constant within the minority.
    X, y = make_classification(
        n_samples=300, n_features=60, weights=[0.8], random_state=0
    )
    X = (X > 0.5).astype(np.float64)
    X[y == 1, :10] = 0.0
    X_res, y_res = Sampler(max_iter=10, **TINY).fit_resample(X, y)
    new = X_res[len(X) :]
    assert_array_equal(np.unique(new), [0.0, 1.0])
    # A column constant in the class stays constant in its generated rows.
    assert not new[y_res[len(X) :] == 1, :10].any()
