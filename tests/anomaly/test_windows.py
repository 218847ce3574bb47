import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.metrics import roc_auc_score

from skgan import GANAnomalyDetector
from skgan.anomaly import make_windows

SMALL = dict(max_iter=80, encoder_epochs=10, batch_size=64, random_state=0)


def test_make_windows_shapes_and_values():
    series = np.c_[np.arange(10.0), -np.arange(10.0)]
    windows = make_windows(series, 4, step=3)
    assert windows.shape == (3, 4, 2)
    assert_array_equal(windows[1, :, 0], [3, 4, 5, 6])
    assert_array_equal(windows[2, :, 1], [-6, -7, -8, -9])
    with pytest.raises(ValueError, match="window_length"):
        make_windows(series, 11)
    with pytest.raises(ValueError, match="step"):
        make_windows(series, 3, step=0)


@pytest.fixture
def series_windows(seed):
    rng = np.random.RandomState(seed)
    t = np.arange(6000)
    # Two features that move together: a daily-like cycle and its echo.
    normal = np.c_[np.sin(2 * np.pi * t / 50), np.cos(2 * np.pi * t / 50)]
    normal += 0.05 * rng.randn(*normal.shape)
    windows = make_windows(normal, 32, step=4)
    # Anomalous movement within the normal range: the cycle runs 3x faster.
    fast = np.c_[np.sin(2 * np.pi * t[:800] / 16), np.cos(2 * np.pi * t[:800] / 16)]
    anomalies = make_windows(fast + 0.05 * rng.randn(*fast.shape), 32, step=16)
    return windows, anomalies


def test_detector_on_windows_flags_unusual_movement(series_windows):
    windows, anomalies = series_windows
    train, test = windows[:500], windows[1000:1300]
    detector = GANAnomalyDetector(**SMALL).fit(train)
    assert detector.window_length_ == 32 and detector.n_features_in_ == 2
    assert detector.model_.generator_.__class__.__name__ == "ConvGenerator"
    scores = -detector.score_samples(np.concatenate([test, anomalies]))
    truth = np.r_[np.zeros(len(test)), np.ones(len(anomalies))]
    assert roc_auc_score(truth, scores) > 0.9
    # Values stay in the normal range: a per-value detector would see nothing.
    assert (
        anomalies.min() > windows.min() - 0.3 and anomalies.max() < windows.max() + 0.3
    )


def test_detector_on_windows_rejects_wrong_shapes(series_windows):
    windows, _ = series_windows
    detector = GANAnomalyDetector(**SMALL).fit(windows[:200])
    with pytest.raises(ValueError, match=r"windows of shape \(32, 2\)"):
        detector.score_samples(windows[:5, :16])
    with pytest.raises(ValueError, match="3-D array"):
        detector.score_samples(windows[:5, :, 0])
    bad = windows[:20].copy()
    bad[3, 4, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        GANAnomalyDetector(**SMALL).fit(bad)
    with pytest.raises(ValueError, match="at least 4 time steps"):
        GANAnomalyDetector(**SMALL).fit(windows[:50, :3])


def test_latent_component_flags_windows_at_an_unusual_level(series_windows):
    windows, _ = series_windows
    train, test = windows[:500], windows[1000:1200]
    # The same movement, shifted: it reconstructs well, but its code stands apart.
    shifted = windows[1200:1300] + 1.5
    detector = GANAnomalyDetector(**SMALL).fit(train)
    components = detector.transform(np.concatenate([test, shifted]))
    assert list(detector.get_feature_names_out()) == [
        "reconstruction",
        "discriminator",
        "latent",
        "level",
    ]
    truth = np.r_[np.zeros(len(test)), np.ones(len(shifted))]
    assert roc_auc_score(truth, components[:, 2]) > 0.9
    assert roc_auc_score(truth, components[:, 3]) > 0.99
    # Training rows were standardised without their own code as a neighbour.
    assert abs(detector.decision_scores_.mean()) < 1e-6
    latent_only = GANAnomalyDetector(anomaly_score="latent", **SMALL).fit(train)
    assert_array_equal(
        -latent_only.score_samples(shifted) * latent_only.score_std_,
        latent_only.transform(shifted)[:, 2],
    )


def test_auto_settings_differ_on_windows_and_rows(series_windows):
    windows, _ = series_windows
    detector = GANAnomalyDetector(encoder_epochs=1, random_state=0)
    detector.fit(windows[:100, :16])
    assert detector.n_iter_ == 400  # a fixed budget on windows
    rows = GANAnomalyDetector(epochs=2, encoder_epochs=1, random_state=0)
    rows.fit(windows[:300, 0, :])
    assert rows.n_iter_ == 2 * 2  # epochs of 256-row batches on rows


def test_level_component_and_its_weight_on_windows(series_windows):
    windows, _ = series_windows
    train, test = windows[:500], windows[1000:1100]
    auto = GANAnomalyDetector(**SMALL).fit(train)
    assert auto.weights_ == {"weight": 0.5, "latent_weight": 0.5, "level_weight": 0}
    detector = GANAnomalyDetector(level_weight=0.5, **SMALL).fit(train)
    # The same networks: the weights only change how the components combine.
    assert_allclose(detector.transform(test), auto.transform(test))
    # The level: each channel's window mean, in training standard deviations.
    means = detector.scaler_.transform(test.reshape(-1, 2)).reshape(test.shape)
    shift = (means.mean(axis=1) - detector.level_center_) / detector.level_scale_
    raw = np.abs(shift).mean(axis=1)
    expected = (raw - detector.component_mean_[3]) / detector.component_std_[3]
    components = detector.transform(test)
    assert_allclose(components[:, 3], expected)
    r, critic, latent, level = components.T
    combined = 0.5 * (0.5 * (0.5 * r + 0.5 * critic) + 0.5 * latent) + 0.5 * level
    assert_allclose(-detector.score_samples(test), combined / detector.score_std_)
    # The weights are the fit's: a later set_params does not change scores
    # that were standardised with them.
    before = detector.score_samples(test)
    detector.set_params(level_weight=0.0)
    assert_array_equal(detector.score_samples(test), before)


def test_level_is_refused_on_rows_with_the_fix():
    rows = np.random.RandomState(0).randn(60, 3)
    with pytest.raises(ValueError, match="rows have no level.*'latent'"):
        GANAnomalyDetector(anomaly_score="level", epochs=1, encoder_epochs=1).fit(rows)
    with pytest.raises(ValueError, match="level_weight=0.3 applies to windows"):
        GANAnomalyDetector(level_weight=0.3, epochs=1, encoder_epochs=1).fit(rows)
    detector = GANAnomalyDetector(
        level_weight=0.0, epochs=1, encoder_epochs=1, random_state=0
    ).fit(rows)
    assert detector.level_center_ is None
    assert detector.transform(rows[:5]).shape == (5, 3)
    assert list(detector.get_feature_names_out()) == [
        "reconstruction",
        "discriminator",
        "latent",
    ]


def test_window_detector_fitted_before_the_level_scores_as_it_did(series_windows):
    windows, _ = series_windows
    detector = GANAnomalyDetector(**SMALL).fit(windows[:300])
    # What a detector pickled before the level component carries.
    state = detector.__getstate__()
    for name in ("weights_", "level_center_", "level_scale_", "level_weight"):
        del state[name]
    state["component_mean_"] = state["component_mean_"][:3]
    state["component_std_"] = state["component_std_"][:3]
    old = GANAnomalyDetector.__new__(GANAnomalyDetector)
    old.__setstate__(state)
    r, critic, latent = old.transform(windows[300:320]).T
    combined = 0.5 * (0.5 * r + 0.5 * critic) + 0.5 * latent
    assert_allclose(-old.score_samples(windows[300:320]), combined / old.score_std_)
