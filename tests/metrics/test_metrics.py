import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.stats import ks_2samp
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skgan.metrics import (
    augmentation_curve,
    correlation_difference,
    correlation_similarity,
    dcr_ratio,
    describe_side_by_side,
    detection_score,
    distance_to_closest_record,
    exact_copy_rate,
    ks_complement,
    marginal_similarity,
    nearest_neighbor_distance_ratio,
    train_synthetic_test_real,
    tv_complement,
)


def _gaussian(seed, n=1000, d=5):
    rng = np.random.RandomState(seed)
    cov = 0.5 * np.eye(d) + 0.5
    return rng.multivariate_normal(np.zeros(d), cov, size=n)


def test_detection_score_two_halves_of_real_data_is_near_one_half(seed):
    X = _gaussian(seed, n=2000)
    result = detection_score(X[:1000], X[1000:], random_state=seed)
    assert abs(result.accuracy - 0.5) < 0.06
    assert abs(result.roc_auc - 0.5) < 0.06


def test_detection_score_shifted_data_is_near_one(seed):
    X = _gaussian(seed, n=2000)
    # Four standard deviations along one column: a classifier that only
    # looked at that column would reach Phi(2) = 0.977.
    shifted = X[1000:] + [4.0, 0, 0, 0, 0]
    assert detection_score(X[:1000], shifted, random_state=seed).accuracy > 0.95


def test_detection_score_with_holdout_uses_it_as_the_real_test_rows(seed):
    X = _gaussian(seed, n=1500)
    result = detection_score(X[:400], X[400:1000], holdout=X[1000:1200])
    assert (result.n_train, result.n_test) == (400, 200)
    assert abs(result.accuracy - 0.5) < 0.08


def test_detection_score_sees_invented_categories():
    rng = np.random.RandomState(0)
    real = pd.DataFrame({"x": rng.randn(600), "c": rng.choice(["a", "b"], 600)})
    fake = pd.DataFrame({"x": rng.randn(600), "c": rng.choice(["a", "b", "zz"], 600)})
    # A third of the fake rows carry a category real data never has: the
    # best detector reaches (300 + 100) / 600 = 0.67.
    assert detection_score(real, fake).accuracy > 0.6


def test_detection_score_errors_name_the_problem():
    X = np.zeros((20, 3))
    with pytest.raises(ValueError, match="at least 3 synthetic rows"):
        detection_score(X, X[:2])
    frame = pd.DataFrame(np.random.RandomState(0).randn(20, 3), columns=list("abc"))
    bad = [
        (frame.assign(b=np.inf), "column 'b' of synthetic contains infinity"),
        (frame.assign(c=1e300), "column 'c' of synthetic has values beyond 3.4e38"),
        (frame.assign(a=np.nan), "column 'a' of synthetic has no observed value"),
    ]
    for synthetic, message in bad:
        with pytest.raises(ValueError, match=message):
            detection_score(frame, synthetic)
    duplicated = frame.set_axis(["a", "a", "c"], axis=1)
    with pytest.raises(ValueError, match=r"real has duplicated column names \['a'\]"):
        detection_score(duplicated, duplicated)
    with pytest.raises(ValueError, match="has 2 columns but real has 3"):
        detection_score(X, X[:, :2])
    with pytest.raises(ValueError, match="missing"):
        detection_score(pd.DataFrame(X, columns=list("abc")), pd.DataFrame(X))


def test_detection_balances_classes_by_subsampling_the_larger_side(seed):
    # The case that broke: evaluate(real, synth.sample(len(real)), holdout=h)
    # asked for as many synthetic rows as real plus holdout rows.
    rng = np.random.RandomState(seed)
    real, holdout = rng.randn(300, 3), rng.randn(100, 3)
    result = detection_score(real, rng.randn(300, 3), holdout=holdout)
    assert (result.n_train, result.n_test) == (225, 75)
    assert 0.35 < result.accuracy < 0.65
    more = detection_score(real, rng.randn(1000, 3), holdout=holdout)
    assert (more.n_train, more.n_test) == (300, 100)


def test_ks_and_tv_complements_match_their_definitions(seed):
    rng = np.random.RandomState(seed)
    a, b = rng.randn(300), rng.randn(200) + 0.3
    assert_allclose(ks_complement(a, b), 1 - ks_2samp(a, b).statistic)
    # Frequencies (0.5, 0.5, 0) vs (0.25, 0.25, 0.5): TVD = 0.5.
    assert_allclose(tv_complement(list("aabb"), list("abcc")), 0.5)
    assert tv_complement(list("abc"), list("cba")) == 1.0


def test_marginal_similarity_per_column_on_a_mixed_table(seed):
    rng = np.random.RandomState(seed)
    real = pd.DataFrame(
        {"x": rng.randn(2000), "y": rng.randn(2000), "c": rng.choice(["a", "b"], 2000)}
    )
    fake = pd.DataFrame(
        {
            "x": rng.randn(2000),
            "y": rng.randn(2000) + 1.0,
            "c": rng.choice(["a", "b"], 2000, p=[0.9, 0.1]),
        }
    )
    table = marginal_similarity(real, fake).set_index("column")
    assert table.loc["x", "score"] > 0.95 and table.loc["y", "score"] < 0.7
    # A shift of one standard deviation moves every unit of mass by 1.
    assert_allclose(table.loc["y", "wasserstein"], 1.0, atol=0.1)
    assert table.loc["c", "measure"] == "TVComplement"
    assert_allclose(table.loc["c", "score"], 0.6, atol=0.05)


def test_correlation_measures(seed):
    rng = np.random.RandomState(seed)
    x = rng.randn(3000)
    real = np.c_[x, x + 0.2 * rng.randn(3000), rng.randn(3000)]
    assert correlation_similarity(real, real) == 1.0
    independent = rng.randn(3000, 3)
    real_corr, _, difference = correlation_difference(real, independent)
    assert_allclose(difference.iloc[0, 1], -real_corr.iloc[0, 1], atol=0.05)
    # One pair of three loses a correlation of ~0.98: 1 - (0.98 / 2) / 3.
    assert_allclose(correlation_similarity(real, independent), 0.84, atol=0.02)


def test_describe_side_by_side_has_both_tables():
    table = describe_side_by_side(np.arange(10.0)[:, None], np.ones((5, 1)))
    assert table[(0, "real")]["mean"] == 4.5
    assert table[(0, "synthetic")]["count"] == 5


def test_privacy_measures_flag_copied_training_rows(seed):
    rng = np.random.RandomState(seed)
    train, holdout = rng.randn(400, 4), rng.randn(400, 4)
    fresh = rng.randn(400, 4)
    copied = np.r_[train[:100], rng.randn(300, 4)]
    jittered = train + 0.01 * rng.randn(400, 4)
    assert exact_copy_rate(train, fresh) == 0.0
    assert_allclose(exact_copy_rate(train, copied), 0.25)
    assert 0.8 < dcr_ratio(train, fresh, holdout) < 1.25
    assert dcr_ratio(train, jittered, holdout) < 0.1
    assert np.median(nearest_neighbor_distance_ratio(train, jittered)) < 0.1
    assert np.median(nearest_neighbor_distance_ratio(train, fresh)) > 0.5
    result = distance_to_closest_record(train, copied, holdout=holdout)
    assert len(result.synthetic) == 400 and len(result.holdout) == 400
    assert result.exact_copy_rate == 0.25


def test_train_synthetic_test_real_against_train_on_real():
    X, y = make_classification(n_samples=900, random_state=0)
    rng = np.random.RandomState(0)
    scores = train_synthetic_test_real(
        LogisticRegression(),
        X[:300],
        rng.permutation(y[:300]),  # useless "synthetic" labels
        X[600:],
        y[600:],
        X_train=X[300:600],
        y_train=y[300:600],
    )
    assert scores["real"] > 0.8
    assert scores["synthetic"] < 0.65
    assert scores["ratio"] < 0.8


def test_augmentation_curve_real_rows_help_noise_does_not():
    X, y = make_classification(
        n_samples=3000, weights=[0.95], flip_y=0, class_sep=1.0, random_state=0
    )
    train, test = slice(0, 1500), slice(1500, 3000)
    X_train, y_train = X[train], y[train]
    # Keep 10 minority rows in training; hold the others back as "real" rows.
    minority = np.flatnonzero(y_train == 1)
    keep = np.r_[np.flatnonzero(y_train == 0), minority[:10]]
    pool = X_train[minority[10:]]
    noise = np.random.RandomState(0).randn(len(pool), X.shape[1]) * 5
    curve = augmentation_curve(
        LogisticRegression(max_iter=1000),
        X_train[keep],
        y_train[keep],
        X[test],
        y[test],
        {"real": pool, "untrained": noise},
        n_added=[0, len(pool)],
    )
    assert list(curve.columns) == ["source", "n_added", "score"]
    assert len(curve) == 4
    scores = curve.set_index(["source", "n_added"])["score"]
    assert scores["real", len(pool)] > scores["real", 0] + 0.1
    assert scores["untrained", len(pool)] < scores["real", len(pool)]
    with pytest.raises(ValueError, match="has 5 rows"):
        augmentation_curve(
            LogisticRegression(),
            X_train,
            y_train,
            X[test],
            y[test],
            {"real": pool[:5]},
            n_added=[10],
        )


def test_pair_trends_sees_a_broken_relation_that_marginals_miss():
    from skgan.metrics import pair_trend_similarity, pair_trends

    rng = np.random.RandomState(0)

    def draw(x):
        return pd.DataFrame(
            {
                "x": x,
                "y": x + 0.2 * rng.randn(len(x)),
                "kind": np.where(x > 0.5, "high", "low"),
                "noise": rng.randn(len(x)),
            }
        )

    real, same_law = draw(rng.randn(3000)), draw(rng.randn(3000))
    shuffled = pd.DataFrame({c: rng.permutation(real[c].to_numpy()) for c in real})
    good, bad = pair_trends(real, same_law), pair_trends(real, shuffled)
    assert good.shape == (4, 4) and np.isnan(np.diag(good)).all()
    assert np.allclose(good, good.T, equal_nan=True)
    # The numeric pair: 1 - |0 - 0.98| / 2; the numeric-category pair loses
    # its joint frequencies.
    assert good.loc["x", "y"] > 0.99 and bad.loc["x", "y"] < 0.55
    assert good.loc["x", "kind"] > 0.97 and bad.loc["x", "kind"] < 0.8
    # Pairs with the independent column keep their (absent) trend either way.
    assert bad.loc["noise", "y"] > 0.97
    assert (
        pair_trend_similarity(real, same_law)
        > pair_trend_similarity(real, shuffled) + 0.1
    )


def test_exact_copy_rate_counts_copies_that_standardisation_rounds_apart():
    # Sparse binary rows (InternetAds-like): a copied row comes back a few
    # 1e-8 away once the columns are standardised; it is still a copy.
    rng = np.random.RandomState(0)
    train = (rng.rand(200, 300) < 0.03).astype(np.float64)
    copies = train[:50]
    fresh = (rng.rand(150, 300) < 0.03).astype(np.float64)
    rate = exact_copy_rate(train, np.vstack([copies, fresh]))
    assert_allclose(rate, 0.25)


def test_the_dcr_ratio_carries_a_bootstrap_interval():
    from skgan.metrics import distance_to_closest_record

    rng = np.random.RandomState(0)
    train = rng.randn(400, 3)
    fresh = distance_to_closest_record(
        train, rng.randn(1000, 3), holdout=rng.randn(400, 3), random_state=0
    )
    low, high = fresh.dcr_ratio_interval
    assert low < fresh.dcr_ratio < high and low < 1.0 < high
    copies = distance_to_closest_record(
        train, train[:300] + 0.01 * rng.randn(300, 3), holdout=rng.randn(400, 3)
    )
    assert copies.dcr_ratio_interval[1] < 0.2
    # Same seed, same interval; no holdout, no interval.
    synthetic, holdout = rng.randn(500, 3), rng.randn(400, 3)
    first, second = (
        distance_to_closest_record(train, synthetic, holdout=holdout, random_state=3)
        for _ in range(2)
    )
    assert first.dcr_ratio_interval == second.dcr_ratio_interval
    assert distance_to_closest_record(train, synthetic).dcr_ratio_interval is None
