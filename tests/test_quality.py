"""Slow quality tests: numbers that a broken GAN would miss (CI runs them)."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import NearestNeighbors
from xgboost import XGBClassifier

from skgan import GANOverSampler, WCGANOverSampler

pytestmark = pytest.mark.slow


def _minority_problem(seed, n_minority=200):
    """Majority: standard normal. Minority: a correlated, skewed 4-D cloud."""
    rng = np.random.RandomState(seed)
    z = rng.randn(n_minority, 4)
    minority = np.c_[
        z[:, 0], 0.8 * z[:, 0] + 0.6 * z[:, 1], np.exp(z[:, 2]), z[:, 3] ** 2
    ]
    majority = rng.randn(2000, 4)
    return minority, majority


def _detection_and_dcr(sampler, seed):
    """Protocol 2 of BENCHMARKS.md: XGBoost real-vs-synthetic accuracy, DCR ratio."""
    minority, majority = _minority_problem(seed)
    A, B = train_test_split(minority, test_size=0.5, random_state=seed)
    X = np.vstack([majority, A])
    y = np.r_[np.zeros(len(majority), int), np.ones(len(A), int)]
    sampler.set_params(sampling_strategy={1: 2 * len(A) + len(B)})
    X_res, _ = sampler.fit_resample(X, y)
    S = X_res[len(X) :]
    S1, S2 = S[: len(A)], S[len(A) :]
    clf = XGBClassifier(n_estimators=100, max_depth=3, n_jobs=1, random_state=0)
    clf.fit(np.vstack([A, S1]), np.r_[np.ones(len(A)), np.zeros(len(S1))])
    accuracy = accuracy_score(
        np.r_[np.ones(len(B)), np.zeros(len(S2))], clf.predict(np.vstack([B, S2]))
    )
    mean, std = A.mean(0), A.std(0)
    nn = NearestNeighbors(n_neighbors=1).fit((A - mean) / std)
    d_syn = np.median(nn.kneighbors((S - mean) / std)[0])
    d_hold = np.median(nn.kneighbors((B - mean) / std)[0])
    return accuracy, d_syn / d_hold


def test_quality_wcgan_default_is_hard_to_detect_without_copying(seed):
    accuracy, dcr = _detection_and_dcr(WCGANOverSampler(random_state=seed), seed)
    # Measured 0.535 (0.56 averaged over seeds 0-3); an untrained generator
    # (epochs=1) gets 0.635 on the same split.
    assert accuracy < 0.6
    assert dcr > 0.5


def test_quality_wgan_beats_an_untrained_generator():
    # One split is noisy (100 test rows a side), so average three.
    trained, untrained = [], []
    for seed in range(3):
        trained.append(
            _detection_and_dcr(GANOverSampler(loss="wgan-gp", random_state=seed), seed)[
                0
            ]
        )
        untrained.append(
            _detection_and_dcr(
                GANOverSampler(loss="wgan-gp", epochs=1, random_state=seed), seed
            )[0]
        )
    # Quantile scaling gives even an untrained generator roughly right
    # marginals; training must still close much of the remaining gap.
    # Measured: trained 0.54, untrained 0.75.
    assert np.mean(untrained) > 0.7
    assert np.mean(trained) < np.mean(untrained) - 0.1
