import numpy as np
import pandas as pd
import pytest

from skgan.metrics import membership_inference


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_attack_separates_memorising_from_fresh_generators(seed):
    # Issue 14's target: training rows plus tiny noise give AUC >= 0.9; rows
    # drawn fresh from the same distribution give AUC within 0.4-0.6.
    rng = np.random.RandomState(seed)
    train, holdout = rng.randn(300, 4), rng.randn(300, 4)
    copies = train + rng.randn(300, 4) * 0.01
    fresh = rng.randn(1000, 4)
    leaky = membership_inference(train, copies, holdout, random_state=seed)
    clean = membership_inference(train, fresh, holdout, random_state=seed)
    assert leaky.roc_auc >= 0.9 and leaky.attack == "distance"
    assert 0.4 <= clean.roc_auc <= 0.6
    assert leaky.n_members == leaky.n_non_members == 150


def test_density_ratio_catches_an_overfit_generator_that_copies_nothing():
    # Mass piled around the training rows (noise 0.3, no copies): the
    # density-ratio attack sees it where the distance attack sees less.
    rng = np.random.RandomState(0)
    train, holdout = rng.randn(300, 4), rng.randn(300, 4)
    overfit = np.vstack([train + rng.randn(300, 4) * 0.3 for _ in range(10)])
    result = membership_inference(train, overfit, holdout, random_state=0)
    assert result.attack == "density_ratio"
    assert result.density_ratio_roc_auc > 0.75
    assert result.density_ratio_roc_auc > result.distance_roc_auc


def test_attack_on_a_mixed_table_and_its_bad_input():
    rng = np.random.default_rng(0)

    def table(n):
        return pd.DataFrame(
            {"x": rng.normal(size=n), "kind": rng.choice(["a", "b", "c"], n)}
        )

    train, holdout = table(200), table(200)
    result = membership_inference(train, train.copy(), holdout, random_state=0)
    assert result.roc_auc > 0.9
    fresh = membership_inference(train, table(500), holdout, random_state=0)
    assert 0.4 <= fresh.roc_auc <= 0.6
    with pytest.raises(ValueError, match="holdout needs at least 20 rows"):
        membership_inference(train, table(50), holdout.head(19))
    with pytest.raises(ValueError, match="column"):
        membership_inference(train, table(50).rename(columns={"x": "y"}), holdout)


def test_a_few_holdout_rows_are_refused_and_the_interval_shows_the_noise():
    rng = np.random.RandomState(0)
    train, synthetic = rng.randn(300, 4), rng.randn(600, 4)
    # The case that broke: 4 holdout rows of pure noise read an AUC of 1.0.
    with pytest.raises(ValueError, match="at least 20 rows"):
        membership_inference(train, synthetic, rng.randn(4, 4), random_state=0)
    small = membership_inference(train, synthetic, rng.randn(50, 4), random_state=0)
    large = membership_inference(train, synthetic, rng.randn(600, 4), random_state=0)
    for result in (small, large):
        low, high = result.roc_auc_interval
        assert low <= result.roc_auc <= high
        # Nothing leaks: chance lies inside both intervals.
        assert low <= 0.5 <= high
    width = np.subtract(*small.roc_auc_interval[::-1])
    # About 4 x 0.29 / sqrt(25) = 0.23 for 25 candidates of each kind; a
    # twelfth the candidates, about 3.5 times the width.
    assert 0.15 < width < 0.45
    assert width > 2.5 * np.subtract(*large.roc_auc_interval[::-1])
