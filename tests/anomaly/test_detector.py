import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler

from skgan import GANAnomalyDetector

SMALL = dict(epochs=20, encoder_epochs=20, batch_size=64, random_state=0)


@pytest.fixture
def normal_and_anomalies(seed):
    rng = np.random.RandomState(seed)
    # Normal rows on a curved 2-D manifold in 4-D; anomalies off it.
    t = rng.uniform(-2, 2, size=(800, 1))
    normal = np.hstack([t, t**2, np.sin(t), 0.5 * t]) + 0.05 * rng.randn(800, 4)
    u = rng.uniform(-2, 2, size=(40, 1))
    anomalies = np.hstack([u, -(u**2) + 2, np.cos(u), -u]) + 0.05 * rng.randn(40, 4)
    return normal, anomalies


@pytest.mark.parametrize("score", ["combined", "reconstruction", "discriminator"])
def test_detector_ranks_anomalies_below_normal_rows(normal_and_anomalies, score):
    normal, anomalies = normal_and_anomalies
    detector = GANAnomalyDetector(anomaly_score=score, **SMALL).fit(normal[:600])
    test = np.vstack([normal[600:], anomalies])
    truth = np.r_[np.zeros(200), np.ones(40)]
    auc = roc_auc_score(truth, -detector.score_samples(test))
    assert auc > 0.9, auc


def test_detector_sign_conventions_and_pyod_names(normal_and_anomalies):
    normal, anomalies = normal_and_anomalies
    detector = GANAnomalyDetector(contamination=0.05, **SMALL).fit(normal)
    scores = detector.score_samples(normal)
    assert_allclose(detector.decision_function(normal), scores - detector.offset_)
    assert_allclose(detector.decision_scores_, -scores)
    assert detector.threshold_ == -detector.offset_
    # pyod's labels (1 = outlier) agree with scikit-learn's predict (-1).
    assert_array_equal(detector.labels_ == 1, detector.predict(normal) == -1)
    # contamination sets the share of training rows called outliers.
    assert abs(detector.labels_.mean() - 0.05) < 0.01
    assert np.mean(detector.predict(anomalies) == -1) > 0.9


def test_detector_auto_contamination_is_three_standard_deviations(normal_and_anomalies):
    normal, _ = normal_and_anomalies
    detector = GANAnomalyDetector(**SMALL).fit(normal)
    assert detector.offset_ == -3.0
    scores = detector.score_samples(normal)
    assert abs(scores.mean()) < 0.5 and abs(scores.std() - 1.0) < 0.1


def test_detector_components_feed_a_classifier(normal_and_anomalies):
    normal, anomalies = normal_and_anomalies
    X = np.vstack([normal, anomalies])
    y = np.r_[np.zeros(len(normal)), np.ones(len(anomalies))]
    union = FeatureUnion(
        [("raw", StandardScaler()), ("gan", GANAnomalyDetector(**SMALL))]
    )
    model = make_pipeline(union, LogisticRegression(max_iter=1000)).fit(X, y)
    names = model[0].get_feature_names_out()
    assert list(names[-3:]) == [
        "gan__reconstruction",
        "gan__discriminator",
        "gan__latent",
    ]
    assert model.score(X, y) > 0.95


def test_detector_same_random_state_same_scores(normal_and_anomalies):
    normal, anomalies = normal_and_anomalies
    a = GANAnomalyDetector(**SMALL).fit(normal).score_samples(anomalies)
    b = GANAnomalyDetector(**SMALL).fit(normal).score_samples(anomalies)
    assert_array_equal(a, b)


def test_detector_bad_input_gets_a_clear_error(normal_and_anomalies):
    normal, _ = normal_and_anomalies
    with pytest.raises(ValueError, match="NaN"):
        GANAnomalyDetector(**SMALL).fit(np.r_[normal, [[np.nan] * 4]])
    with pytest.raises(ValueError, match="at least 10 rows"):
        GANAnomalyDetector(**SMALL).fit(normal[:5])
    detector = GANAnomalyDetector(**SMALL).fit(normal)
    with pytest.raises(ValueError, match="4 features"):
        detector.score_samples(normal[:, :3])
    with pytest.raises(ValueError, match="infinity"):
        detector.predict(np.r_[normal[:2], [[np.inf, 0, 0, 0]]])


def test_detector_predict_proba_follows_pyod(normal_and_anomalies):
    normal, anomalies = normal_and_anomalies
    detector = GANAnomalyDetector(**SMALL).fit(normal[:600])
    test = np.vstack([normal[600:], anomalies])
    for method in ("linear", "unify"):
        proba = detector.predict_proba(test, method=method)
        assert proba.shape == (len(test), 2)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        assert ((proba >= 0) & (proba <= 1)).all()
        # Anomalies get a higher outlier probability than normal rows.
        assert proba[200:, 1].mean() > proba[:200, 1].mean() + 0.2
    # "linear" is the outlier score min-max scaled by the training scores.
    outlier = -detector.score_samples(test)
    low, high = detector.decision_scores_.min(), detector.decision_scores_.max()
    expected = np.clip((outlier - low) / (high - low), 0, 1)
    np.testing.assert_allclose(detector.predict_proba(test)[:, 1], expected)
    with pytest.raises(ValueError, match="'linear' or 'unify'"):
        detector.predict_proba(test, method="softmax")


def test_detector_errors_name_the_column_and_the_fix():
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"a": rng.randn(50), "colour": ["red"] * 50})
    with pytest.raises(TypeError, match=r"non-numeric columns \['colour'\]"):
        GANAnomalyDetector(**SMALL).fit(frame)
    # The case that broke: 1e300 ended in advice to lower the learning rates.
    huge = np.r_[rng.randn(50, 3), [[1e300, 0.0, 0.0]]]
    with pytest.raises(ValueError, match="beyond 3.4e38.*rescale"):
        GANAnomalyDetector(**SMALL).fit(huge)
    detector = GANAnomalyDetector(**SMALL).fit(rng.randn(50, 3))
    with pytest.raises(ValueError, match="beyond 3.4e38"):
        detector.score_samples(huge)
