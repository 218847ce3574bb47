import json

import numpy as np
import pytest

import skgan

pytest.importorskip("matplotlib")


@pytest.fixture
def cycles(seed):
    """Train, holdout windows of a noisy two-channel cycle; fresh and copied fakes."""
    rng = np.random.RandomState(seed)
    t = np.arange(16)

    def draw(n):
        phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
        clean = np.stack([np.sin(t / 2 + phase), np.sin(t / 2 + phase + 1)], axis=2)
        return clean + 0.1 * rng.randn(n, 16, 2)

    train, holdout, fresh = draw(300), draw(300), draw(300)
    copies = train + 0.001 * rng.randn(*train.shape)
    return train, holdout, fresh, copies


def test_evaluate_series_rates_fresh_windows_above_copies(cycles):
    train, holdout, fresh, copies = cycles
    good = skgan.evaluate_series(train, fresh, holdout=holdout, gru_updates=100)
    bad = skgan.evaluate_series(train, copies, holdout=holdout, gru_updates=100)
    summary = good.summary()
    assert list(summary.columns) == ["score", "ideal", "meaning"]
    assert 0.8 < summary.loc["DCR ratio", "score"] < 1.25
    assert bad.summary().loc["DCR ratio", "score"] < 0.1
    assert summary.loc["autocorrelation distance", "score"] < 0.05
    assert summary.loc["window detection accuracy", "score"] < 0.65
    # The predictive score's ideal is the same GRU trained on real windows.
    assert summary.loc["predictive score", "ideal"] == pytest.approx(
        summary.loc["predictive score", "score"], abs=0.05
    )
    noise = np.random.RandomState(1).randn(*train.shape)
    worse = skgan.evaluate_series(train, noise, holdout=holdout, gru_updates=100)
    assert worse.summary().loc["window detection accuracy", "score"] > 0.9
    assert worse.summary().loc["autocorrelation distance", "score"] > 0.3


def test_evaluate_series_dict_and_html(cycles, tmp_path):
    train, holdout, fresh, _ = cycles
    report = skgan.evaluate_series(train, fresh, gru_updates=50)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["window_shape"] == [16, 2] and data["n_holdout"] == 0
    assert "DCR ratio" not in data["summary"]
    path = report.to_html(tmp_path / "series.html")
    page = path.read_text()
    assert page.count('<img class="figure"') == 3
    assert "discriminative score" in page and "Autocorrelation" in page


def test_evaluate_series_errors_name_the_problem(cycles):
    train, holdout, fresh, _ = cycles
    with pytest.raises(ValueError, match="same shape"):
        skgan.evaluate_series(train, fresh[:, :8])
    with pytest.raises(ValueError, match="holdout must be windows"):
        skgan.evaluate_series(train, fresh, holdout=holdout[:, :, 0])


@pytest.mark.parametrize("updates", [0, -5])
def test_evaluate_series_refuses_an_untrained_judge(updates):
    # Accepted before, and it printed a discriminative score of 0.000: the
    # ideal, from a GRU that never trained.
    rng = np.random.RandomState(0)
    real, fake = rng.randn(2, 40, 12, 2)
    with pytest.raises(ValueError, match="gru_updates must be at least 1"):
        skgan.evaluate_series(real, fake, gru_updates=updates)


def test_series_scores_refuse_non_integer_or_zero_updates():
    from skgan.metrics import discriminative_score, predictive_score

    rng = np.random.RandomState(0)
    real, fake = rng.randn(2, 40, 12, 2)
    with pytest.raises(ValueError, match="max_iter must be at least 1"):
        discriminative_score(real, fake, max_iter=0)
    with pytest.raises(TypeError, match="max_iter must be an integer"):
        predictive_score(real, fake, max_iter=2.5)


def test_evaluate_series_flags_a_holdout_that_repeats_the_training_windows():
    # The Series guide's case: a periodic series held out by a later stretch
    # repeats its training windows, and the DCR ratio read 830.8 unflagged.
    t = np.arange(600)
    series = np.c_[np.sin(2 * np.pi * t / 50), np.cos(2 * np.pi * t / 50)]
    windows = np.stack([series[i : i + 12] for i in range(0, 588, 2)])
    real, holdout = windows[:200], windows[200:]
    rng = np.random.RandomState(0)
    fake = real + 0.05 * rng.randn(*real.shape)
    with pytest.warns(UserWarning, match="repeat a training window"):
        report = skgan.evaluate_series(real, fake, holdout=holdout, gru_updates=5)
    summary = report.summary()
    assert summary.loc["holdout windows repeating training ones", "score"] > 0.9
    assert summary.loc["DCR ratio", "meaning"].startswith("not measured: 100%")


def test_evaluate_series_does_not_flag_a_fresh_holdout(cycles):
    import warnings

    real, holdout, fresh, _ = cycles
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        report = skgan.evaluate_series(real, fresh, holdout=holdout, gru_updates=5)
    assert report.summary().loc["holdout windows repeating training ones", "score"] == 0


def test_a_judge_that_learnt_nothing_is_flagged(cycles, capsys):
    train, _, fresh, _ = cycles
    # The case that broke: a barely trained GRU reported the ideal, 0.000,
    # beside a window detection of 1.000, with no caution.
    untrained = skgan.evaluate_series(train, fresh, gru_updates=1).summary()
    assert untrained.loc["discriminative control", "score"] < 0.1
    assert untrained.loc["discriminative score", "meaning"].startswith("UNRELIABLE")
    trained = skgan.evaluate_series(train, fresh, gru_updates=800, verbose=True)
    summary = trained.summary()
    # Trained, it tells real windows from their own steps shuffled.
    assert summary.loc["discriminative control", "score"] > 0.1
    assert not summary.loc["discriminative score", "meaning"].startswith("UNRELIABLE")
    err = capsys.readouterr().err
    assert "discriminative GRU" in err and "predictive GRU" in err
