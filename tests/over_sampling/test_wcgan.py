from collections import Counter

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification

from skgan import WCGANOverSampler

SMALL = dict(max_iter=3, generator_dims=(16,), discriminator_dims=(16,), random_state=0)


def test_wcgan_oversampler_multiclass_exact_counts():
    X, y = make_classification(
        n_samples=400,
        n_classes=3,
        n_informative=4,
        weights=[0.7, 0.2, 0.1],
        random_state=0,
    )
    strategy = {1: 200, 2: 150}
    sampler = WCGANOverSampler(sampling_strategy=strategy, **SMALL)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: Counter(y)[0], 1: 200, 2: 150}
    assert_array_equal(sampler.classes_, [0, 1, 2])
    assert sampler.model_.generator_.cond_dim == 3


def test_wcgan_oversampler_string_labels(imbalanced):
    X, y = imbalanced
    labels = np.where(y == 1, "fraud", "ok")
    X_res, y_res = WCGANOverSampler(**SMALL).fit_resample(X, labels)
    assert Counter(y_res)["fraud"] == Counter(y_res)["ok"]


def test_wcgan_oversampler_subclusters_extend_the_condition(imbalanced):
    X, y = imbalanced
    sampler = WCGANOverSampler(n_clusters=2, **SMALL)
    sampler.fit_resample(X, y)
    assert sampler.model_.generator_.cond_dim == 2 + 2
    assert "wasserstein" in sampler.history_[0]


def test_wcgan_oversampler_same_random_state_same_output(imbalanced):
    X, y = imbalanced
    a, _ = WCGANOverSampler(**SMALL).fit_resample(X, y)
    b, _ = WCGANOverSampler(**SMALL).fit_resample(X, y)
    assert_array_equal(a, b)


@pytest.mark.parametrize("n_majority, n_minority", [(1000, 5), (20000, 30)])
def test_wcgan_oversampler_makes_max_iter_updates_whatever_the_table(
    n_majority, n_minority
):
    # The budget is a number of updates: neither the minority nor the
    # majority's size enters it.
    rng = np.random.RandomState(0)
    X = rng.randn(n_majority + n_minority, 3)
    y = np.r_[np.zeros(n_majority, int), np.ones(n_minority, int)]
    sampler = WCGANOverSampler(batch_size=10, **{**SMALL, "max_iter": 7})
    sampler.fit_resample(X, y)
    assert sampler.model_.n_iter_ == 7
    # History: one record per pass over 2 classes x n_minority rows.
    assert len(sampler.history_) == -(-7 // -(-2 * n_minority // 10))


def test_wcgan_oversampler_scales_each_class_on_its_own_rows():
    # The minority sits far out in the majority's tail; with a scaler per
    # class, quantile scaling keeps every generated row within half an end
    # quantile step of the range of its own class's training rows.
    rng = np.random.RandomState(0)
    X = np.r_[rng.randn(300, 3), rng.randn(20, 3) * 0.1 + 6.0]
    y = np.r_[np.zeros(300, int), np.ones(20, int)]
    sampler = WCGANOverSampler(**SMALL)
    X_res, _ = sampler.fit_resample(X, y)
    assert sorted(sampler.scalers_) == [0, 1]
    new = X_res[len(X) :]
    minority = np.sort(X[y == 1], axis=0)
    assert len(new) == 280
    low = minority[0] - 0.5 * (minority[1] - minority[0])
    high = minority[-1] + 0.5 * (minority[-1] - minority[-2])
    assert np.all(new >= low) and np.all(new <= high)


def test_wcgan_oversampler_trains_on_the_rows_it_can_draw_and_returns_all():
    # 2 updates x (1 + 1) draws x 10 rows over 2 classes: 20 rows per class
    # can be drawn, so the 2,000 majority rows are cut to 20 for training
    # (the scaler sees them alone), and every input row comes back.
    rng = np.random.RandomState(0)
    X = np.r_[rng.randn(2000, 3), rng.randn(15, 3) + 3]
    y = np.r_[np.zeros(2000, int), np.ones(15, int)]
    params = dict(max_iter=2, n_critic=1, batch_size=10, random_state=0)
    sampler = WCGANOverSampler(**params)
    X_res, y_res = sampler.fit_resample(X, y)
    assert_array_equal(X_res[: len(X)], X)
    assert np.bincount(y_res).tolist() == [2000, 2000]
    # The scaler's table has one entry per two rows but at least 10: the
    # majority's scaler saw 20 rows, not 2,000.
    assert sampler.scalers_[0].quantiles_.shape[0] == 10
    assert sampler.scalers_[1].quantiles_.shape[0] == 10
    X_again, _ = WCGANOverSampler(**params).fit_resample(X, y)
    assert_array_equal(X_again, X_res)


def test_wcgan_mixed_table_keeps_each_class_on_its_own_margins():
    # The case that broke: on a DataFrame the calibration moved the minority's
    # numbers onto the whole table's margins (468 of 540 rows past the
    # class's range, means of the majority).
    import pandas as pd

    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "a": np.r_[rng.normal(0, 1, 600), rng.normal(3, 0.5, 60)],
            "b": np.r_[rng.normal(5, 2, 600), rng.normal(1, 0.3, 60)],
            "k": rng.choice(["x", "y"], 660),
        }
    )
    y = np.r_[np.zeros(600, int), np.ones(60, int)]
    X_res, _ = WCGANOverSampler(random_state=0, max_iter=100).fit_resample(X, y)
    new, real = X_res.iloc[len(X) :], X[y == 1]
    for column in ("a", "b"):
        assert new[column].between(real[column].min(), real[column].max()).all()
        assert abs(new[column].mean() - real[column].mean()) < 0.5 * real[column].std()
