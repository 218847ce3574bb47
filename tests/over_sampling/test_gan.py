from collections import Counter

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from skgan import GANOverSampler, WCGANOverSampler

SMALL = dict(max_iter=3, generator_dims=(16,), discriminator_dims=(16,), random_state=0)


@pytest.mark.parametrize(
    "params",
    [
        dict(loss="gan"),
        dict(loss="gan", conditional=True),
        dict(loss="wgan-gp"),
        dict(loss="wgan-gp", conditional=True, n_clusters=3),
    ],
    ids=["GAN", "CGAN", "WGAN-GP", "WCGAN"],
)
def test_gan_oversampler_all_four_variants_balance_the_classes(params, imbalanced):
    X, y = imbalanced
    sampler = GANOverSampler(**params, **SMALL)
    X_res, y_res = sampler.fit_resample(X, y)
    counts = Counter(y_res)
    assert counts[0] == counts[1] == Counter(y)[0]
    assert_array_equal(X_res[: len(X)], X)
    assert np.isfinite(X_res).all()
    # One flat list of records, as WCGANOverSampler's, each naming its class.
    assert {h["class"] for h in sampler.history_} == {1}
    model = sampler.models_[1]
    assert model.n_iter_ == SMALL["max_iter"]
    assert len(sampler.history_) == -(-SMALL["max_iter"] // model.steps_per_epoch_)


def test_gan_oversampler_conditional_uses_kmeans_subclusters(imbalanced):
    X, y = imbalanced
    sampler = GANOverSampler(conditional=True, n_clusters=2, **SMALL)
    sampler.fit_resample(X, y)
    assert sampler.models_[1].generator_.cond_dim == 2


def test_gan_oversampler_sampling_strategy_dict(imbalanced):
    X, y = imbalanced
    X_res, y_res = GANOverSampler(sampling_strategy={1: 100}, **SMALL).fit_resample(
        X, y
    )
    assert Counter(y_res)[1] == 100
    assert len(X_res) == len(X) + 100 - Counter(y)[1]


def test_gan_oversampler_same_random_state_same_output(imbalanced):
    X, y = imbalanced
    a, _ = GANOverSampler(**SMALL).fit_resample(X, y)
    b, _ = GANOverSampler(**SMALL).fit_resample(X, y)
    c, _ = GANOverSampler(**{**SMALL, "random_state": 1}).fit_resample(X, y)
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_gan_oversampler_generated_rows_stay_in_the_observed_range(imbalanced):
    X, y = imbalanced
    X_res, y_res = GANOverSampler(**SMALL).fit_resample(X, y)
    new = X_res[len(X) :]
    minority = np.sort(X[y == 1], axis=0)
    # Within the midpoints of the class's two smallest and two largest
    # values: inside the observed range, and the extremes themselves (real
    # records' values) are not repeated.
    low = 0.5 * (minority[0] + minority[1])
    high = 0.5 * (minority[-1] + minority[-2])
    assert (new >= low).all() and (new <= high).all()
    assert not np.isin(new, minority[[0, -1]]).any()


@pytest.mark.parametrize("Sampler", [GANOverSampler, WCGANOverSampler])
def test_oversamplers_end_with_the_averaged_generator(Sampler, imbalanced):
    X, y = imbalanced
    small = dict(max_iter=3, generator_dims=(16,), discriminator_dims=(16,))
    live = Sampler(ema_decay=None, random_state=0, **small).fit_resample(X, y)[0]
    sampler = Sampler(ema_decay=0.9, random_state=0, **small)
    averaged = sampler.fit_resample(X, y)[0]
    model = sampler.models_[1] if hasattr(sampler, "models_") else sampler.model_
    assert model.ema_decay == 0.9
    # The original rows are kept; the generated ones come from other weights.
    assert_array_equal(averaged[: len(X)], live[: len(X)])
    assert not np.allclose(averaged[len(X) :], live[len(X) :])
    again = Sampler(ema_decay=0.9, random_state=0, **small).fit_resample(X, y)[0]
    assert_array_equal(averaged, again)
