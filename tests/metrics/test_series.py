import numpy as np
import pytest

from skgan.metrics import (
    autocorrelation_distance,
    cross_correlation_distance,
    discriminative_score,
    predictive_score,
    window_detection_score,
)


def sines(n, seed):
    # TimeGAN's Sines: sin(f t + p), f and p uniform in [0, 0.1], min-max scaled.
    rng = np.random.default_rng(seed)
    t = np.arange(24)[None, :, None]
    f, p = rng.uniform(0, 0.1, (2, n, 1, 4))
    return (np.sin(f * t + p) + 1) / 2


def test_series_measures_separate_the_same_process_from_noise():
    real, same = sines(600, 0), sines(600, 1)
    noise = np.random.default_rng(2).uniform(0, 1, real.shape)
    assert discriminative_score(real, same, max_iter=300) < 0.1
    assert discriminative_score(real, noise, max_iter=300) > 0.3
    assert predictive_score(real, same, max_iter=300) < predictive_score(
        real, noise, max_iter=300
    )
    assert (
        autocorrelation_distance(real, same)
        < 0.02
        < autocorrelation_distance(real, noise)
    )
    assert cross_correlation_distance(real, same) < 0.05
    assert cross_correlation_distance(real, noise) > 0.2
    assert window_detection_score(real, same).accuracy < 0.6
    assert window_detection_score(real, noise).accuracy > 0.95


def test_the_detector_sees_what_the_gru_misses():
    # Windows whose level is right but whose steps are jittered: the
    # differences give them away to the detector.
    real = sines(600, 0)
    jittered = sines(600, 1) + np.random.default_rng(3).normal(0, 0.02, real.shape)
    assert window_detection_score(real, jittered).accuracy > 0.9


def test_series_measures_refuse_bad_windows():
    with pytest.raises(ValueError, match="windows of shape"):
        discriminative_score(np.zeros((10, 24)), np.zeros((10, 24)))
    with pytest.raises(ValueError, match="same shape"):
        autocorrelation_distance(sines(10, 0), sines(10, 0)[:, :12])
    with pytest.raises(ValueError, match="NaN"):
        window_detection_score(sines(10, 0), np.full((10, 24, 4), np.nan))
