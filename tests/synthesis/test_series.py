"""GANSeriesSynthesizer: windows in, windows out, per class when asked."""

import copy
import io
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skgan import GANSeriesSynthesizer
from skgan.anomaly import make_windows

FAST = dict(max_iter=20, batch_size=32, latent_dim=8)
DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "series"


@pytest.fixture
def sines():
    t = np.arange(400) / 8
    return np.c_[np.sin(t), 2 * np.cos(t) + 5, 0.1 * t]


def test_series_in_windows_out_in_the_data_units(sines):
    synth = GANSeriesSynthesizer(window_length=24, random_state=0, **FAST)
    windows = synth.fit(sines).sample(50, random_state=1)
    assert windows.shape == (50, 24, 3)
    assert synth.window_length_ == 24 and synth.n_features_in_ == 3
    # 3-D input: the same windows make the same model.
    same = GANSeriesSynthesizer(random_state=0, **FAST).fit(make_windows(sines, 24))
    assert_array_equal(same.sample(50, random_state=1), windows)
    # Each channel comes back in its own units and range (standardisation undone).
    assert 3 < windows[:, :, 1].mean() < 7
    assert windows[:, :, 1].min() >= sines[:, 1].min() - 1e-9
    assert windows[:, :, 1].max() <= sines[:, 1].max() + 1e-9
    assert not np.allclose(synth.sample(5), synth.sample(5))


def test_windows_of_a_given_class(sines):
    windows = make_windows(sines, 16, step=4)
    y = np.where(np.arange(len(windows)) % 2, "walk", "run")
    synth = GANSeriesSynthesizer(random_state=0, **FAST).fit(windows, y)
    assert synth.classes_.tolist() == ["run", "walk"]
    assert {h["class"] for h in synth.history_} == {"run", "walk"}
    assert synth.sample(7, y="walk").shape == (7, 16, 3)
    mixed = synth.sample(4, y=["run", "walk", "walk", "run"], random_state=0)
    again = synth.sample(4, y=["run", "walk", "walk", "run"], random_state=0)
    assert_array_equal(mixed, again)
    with pytest.raises(ValueError, match="pass y, one of"):
        synth.sample(3)
    with pytest.raises(ValueError, match="unknown"):
        synth.sample(2, y="swim")


def test_bad_input_is_refused_clearly(sines):
    with pytest.raises(ValueError, match="needs window_length"):
        GANSeriesSynthesizer(**FAST).fit(sines)
    gappy = sines.copy()
    gappy[5, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        GANSeriesSynthesizer(window_length=8, **FAST).fit(gappy)
    with pytest.raises(ValueError, match="one class per window"):
        GANSeriesSynthesizer(**FAST).fit(make_windows(sines, 8), y=[0, 1])
    with pytest.raises(ValueError, match="without y"):
        GANSeriesSynthesizer(window_length=8, **FAST).fit(sines).sample(2, y=1)


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "basic_motions.npz").exists(), reason="no data")
def test_basic_motions_windows_of_each_class_are_told_apart_by_class():
    # A classifier trained on generated windows of each class recognises the
    # real test windows at 90% of the accuracy it reaches trained on the real
    # training windows (1.0), the target; the synthesizer's defaults.
    from sklearn.ensemble import RandomForestClassifier

    data = np.load(DATA / "basic_motions.npz", allow_pickle=True)
    X, y = data["X_train"], data["y_train"]
    synth = GANSeriesSynthesizer(random_state=0).fit(X, y)
    labels = np.repeat(synth.classes_, 50)
    fake = synth.sample(len(labels), y=labels, random_state=1)

    def features(w):
        return np.c_[
            w.mean(axis=1), w.std(axis=1), np.abs(np.diff(w, axis=1)).mean(axis=1)
        ]

    model = RandomForestClassifier(random_state=0).fit(features(fake), labels)
    accuracy = (model.predict(features(data["X_test"])) == data["y_test"]).mean()
    assert accuracy >= 0.9


def test_sample_refuses_what_cannot_fit_in_memory_before_allocating(sines):
    synth = GANSeriesSynthesizer(random_state=0, **FAST).fit(make_windows(sines, 24))
    # The case that broke: sample(10**9) allocated 8 GB before anything refused.
    with pytest.raises(ValueError, match="GiB of memory; sample fewer windows"):
        synth.sample(10**11)


def test_a_dataframe_comes_back_as_a_long_table_with_names_and_dtypes():
    import pandas as pd

    from skgan import evaluate_series
    from skgan.constraints import Inequality

    rng = np.random.default_rng(0)
    price = np.round(100 + np.cumsum(rng.normal(0, 1, 300)), 2)
    series = pd.DataFrame(
        {
            "Low": price - 1.25,
            "High": price + np.round(rng.uniform(0, 2, 300), 2),
            "Volume": rng.integers(10**5, 10**7, 300),
        }
    )
    rule = Inequality(low="Low", high="High")  # channels by name, too
    synth = GANSeriesSynthesizer(
        window_length=12, constraints=[rule], random_state=0, **FAST
    ).fit(series)
    rows = synth.sample(40, random_state=0)
    # The case that broke: an array without names came back, the volume as
    # 6918104.375901327 and prices with 15 decimals.
    assert list(rows.columns) == ["window", "step", "Low", "High", "Volume"]
    assert len(rows) == 40 * 12 and rows["Volume"].dtype == np.int64
    assert np.allclose(rows[["Low", "High"]], rows[["Low", "High"]].round(2))
    assert (rows["Low"] <= rows["High"]).all()
    # The rule's gap is rounded in the channels' units, not as a log ratio:
    # High / Low is not stuck on steps of 1%.
    steps = 100 * np.log(rows["High"] / rows["Low"])
    on_the_grid = np.abs(steps - steps.round()) < 0.01
    assert on_the_grid.mean() < 0.5
    assert list(synth.feature_names_in_) == ["Low", "High", "Volume"]
    # The long table goes back in: to fit, and to evaluate.
    again = GANSeriesSynthesizer(random_state=0, **FAST).fit(rows)
    assert again.sample(3).shape == (3 * 12, 5)
    windows = make_windows(series.to_numpy(float), 12)
    report = evaluate_series(windows, rows, gru_updates=2)
    # 40 windows a side: chance is 0.5 give or take 0.06 (0.45 with the
    # calibrated margins), so only a broken score would leave this range.
    assert 0.3 <= report.summary().loc["window detection accuracy", "score"] <= 1
    with pytest.raises(ValueError, match="numeric channel"):
        GANSeriesSynthesizer(window_length=12).fit(series.assign(kind="a"))


def test_the_progress_bar_counts_updates(sines, capsys):
    # The case that broke: the bar counted epochs, 0/1 then 1/1.
    GANSeriesSynthesizer(window_length=24, verbose=True, **FAST).fit(sines)
    err = capsys.readouterr().err
    assert "20/20" in err and "updates" in err


def test_a_series_generator_exports_with_its_card_and_loads_in_a_fresh_process(
    tmp_path,
):
    import subprocess
    import sys
    import warnings

    import pandas as pd

    from skgan import load_generator
    from skgan.constraints import Inequality
    from skgan.exceptions import PrivacyRiskWarning

    rng = np.random.default_rng(0)
    price = np.round(100 + np.cumsum(rng.normal(0, 1, 400)), 2)
    series = pd.DataFrame(
        {"Low": price - 1, "High": price + 1, "Volume": rng.integers(10, 99, 400)}
    )
    train, holdout = series.iloc[:300], series.iloc[300:]
    synth = GANSeriesSynthesizer(
        window_length=12,
        constraints=[Inequality(low="Low", high="High")],
        random_state=0,
        **FAST,
    ).fit(train)
    # The case that broke: a series model could not be exported or carded.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        report = synth.export_generator(tmp_path / "m", X=train, holdout=holdout)
    assert report["dcr_ratio"] > 0 and report["membership_inference_roc_auc"] >= 0
    loaded = load_generator(tmp_path / "m")
    assert isinstance(loaded, GANSeriesSynthesizer)
    assert loaded.release_["constraints"] == ["High >= Low"]
    assert loaded.release_["measures"]["dcr_ratio"] == report["dcr_ratio"]
    pd.testing.assert_frame_equal(
        loaded.sample(5, random_state=3), synth.sample(5, random_state=3)
    )
    text = (tmp_path / "m" / "schema.json").read_text()
    # The channels' extremes are training values: the export has midpoints.
    for extreme in (train["Low"].min(), train["High"].max()):
        assert repr(float(extreme)) not in text
    code = (
        "import skgan; w = skgan.load_generator(r'%s').sample(50); "
        "print(int((w.Low <= w.High).all()), list(w.columns))" % (tmp_path / "m")
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "1 ['window', 'step', 'Low', 'High', 'Volume']"
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from skgan.serving import create_app

    client = TestClient(create_app(tmp_path / "m", max_rows=1200))
    schema = client.get("/schema").json()
    assert schema["kind"] == "series" and schema["window_length"] == 12
    assert schema["channels"] == ["Low", "High", "Volume"]
    answer = client.post("/sample", json={"n_samples": 30, "random_state": 4})
    served = pd.read_csv(io.StringIO(answer.text), float_precision="round_trip")
    pd.testing.assert_frame_equal(served, loaded.sample(30, random_state=4))
    too_many = client.post("/sample", json={"n_samples": 101})
    assert too_many.status_code == 413 and "1212 rows" in too_many.json()["error"]
    wrong = client.post("/sample", json={"n_samples": 3, "conditions": {"k": 1}})
    assert wrong.status_code == 400 and "'class'" in wrong.json()["error"]


def test_channels_that_move_together_keep_their_gap():
    # Two prices a small, steady gap apart on a wandering level (Stocks'
    # High and Low). Learnt channel by channel, the gap is a sliver of each
    # channel's range and drowns in the generator's noise; along the
    # channels' principal axes it is learnt at its own scale.
    rng = np.random.default_rng(0)
    price = 100 + np.cumsum(rng.normal(0, 1, 1500))
    spread = np.abs(rng.normal(0.5, 0.1, 1500))
    series = np.c_[price - spread, price + spread]
    gaps = {}
    for rotate in (True, False):
        # The axes alone: the calibration's maps of each channel's moves
        # would narrow the unrotated gap's error (negative in 27% of steps).
        synth = GANSeriesSynthesizer(
            window_length=16,
            max_iter=300,
            rotate_channels=rotate,
            calibrate_marginals=False,
            random_state=0,
        ).fit(series)
        windows = synth.sample(500, random_state=1)
        gaps[rotate] = windows[:, :, 1] - windows[:, :, 0]
    # Measured: real gap 0.99 +- 0.20; rotated 0.98 +- 0.18 and never
    # negative (1.00 +- 0.18 calibrated); unrotated -1.58 +- 1.80, negative
    # in 81% of steps.
    assert abs(gaps[True].mean() - 0.99) < 0.1 and gaps[True].std() < 0.3
    assert (gaps[True] < 0).mean() < 0.01 < 0.5 < (gaps[False] < 0).mean()
    assert synth.rotation_ is None  # the last fit: rotate_channels=False
    rotated = GANSeriesSynthesizer(window_length=16, max_iter=2, random_state=0)
    axes = rotated.fit(series).rotation_
    np.testing.assert_allclose(axes.T @ axes, np.eye(4), atol=1e-12)
    assert not axes[:2, 2:].any() and not axes[2:, :2].any()  # movement, level apart
    one = GANSeriesSynthesizer(window_length=16, max_iter=2, random_state=0)
    assert one.fit(series[:, :1]).rotation_ is None  # one channel: nothing to turn


def test_a_pegged_channel_keeps_its_share_of_no_change():
    # The exchange rates' CNY: pegged for years, so a third of its daily
    # changes are exactly zero, in long stretches. A generator of
    # continuous values never repeats a value; the calibration's monotone
    # map sends its calmest moves to the data's point mass of no change.
    rng = np.random.default_rng(0)
    free = np.cumsum(rng.normal(0, 1, 3000))
    moves = rng.normal(0, 1, 3000) * (np.arange(3000) % 600 >= 250)
    series = np.c_[free, np.cumsum(moves)]  # flat 250 steps in every 600
    real = np.diff(make_windows(series, 24), axis=1)[:, :, 1]
    shares = {}
    for calibrate in (True, False):
        synth = GANSeriesSynthesizer(
            window_length=24,
            max_iter=200,
            calibrate_marginals=calibrate,
            random_state=0,
        ).fit(series)
        windows = synth.sample(1000, random_state=1)
        shares[calibrate] = (np.diff(windows, axis=1)[:, :, 1] == 0).mean()
    assert (real == 0).mean() > 0.35
    assert abs(shares[True] - (real == 0).mean()) < 0.05
    assert shares[False] < 0.01
    assert set(synth.get_params()) >= {"calibrate_marginals"}


def test_wide_windows_draw_fewer_windows_to_calibrate():
    from skgan.synthesis._series_calibration import (
        FEWEST_DRAWS,
        MAX_DRAWS,
        MIN_DRAWS,
        calibration_windows,
    )

    assert calibration_windows(50) == MIN_DRAWS
    assert calibration_windows(7_565, 24 * 16) == 7_565  # the exchange rates
    assert calibration_windows(10**6) == MAX_DRAWS
    # 50 channels (100 outputs) over 50 steps: 4,000 windows of 5,000 values.
    assert calibration_windows(10**6, 50 * 100) == 4_000
    # Wider still: never fewer than the maps need.
    assert calibration_windows(10**6, 200 * 200) == FEWEST_DRAWS > 500


def test_mixture_levels_keep_the_channels_joint_level(tmp_path):
    from skgan import load_generator
    from skgan.exceptions import PrivacyRiskWarning

    # One channel wanders; the other's level is a curved function of it, the
    # joint law a generator of 30 updates cannot learn.
    rng = np.random.default_rng(0)
    walk = np.cumsum(rng.normal(0, 0.05, 1200))
    series = np.c_[walk, np.sin(3 * walk) + 0.01 * rng.normal(size=1200)]
    windows = make_windows(series, 12)

    def off_curve(w):
        levels = w.mean(axis=1)
        return np.mean(np.abs(levels[:, 1] - np.sin(3 * levels[:, 0])))

    kwargs = dict(random_state=0, max_iter=30, batch_size=64, latent_dim=8)
    generator = GANSeriesSynthesizer(**kwargs).fit(windows)
    mixture = GANSeriesSynthesizer(level_model="mixture", **kwargs).fit(windows)
    assert generator.level_mixtures_ is None
    assert set(mixture.level_mixtures_) == {None}
    drawn = mixture.sample(2000, random_state=1)
    # Measured: real 0.014, mixture 0.018, generator 0.70.
    assert off_curve(windows) < 0.05
    assert off_curve(drawn) < 0.1 < off_curve(generator.sample(2000, random_state=1))
    # The movement is the generator's; only the level is redrawn (seen
    # before the values are folded into the channels' range).
    unbounded = []
    for model in (generator, mixture):
        model = copy.deepcopy(model)
        model.channel_range_ = np.array([[-np.inf] * 2, [np.inf] * 2])
        unbounded.append(model.sample(20, random_state=1))
    plain, moved = unbounded
    assert not np.allclose(moved.mean(axis=1), plain.mean(axis=1))
    assert_allclose(
        moved - moved.mean(axis=1, keepdims=True),
        plain - plain.mean(axis=1, keepdims=True),
    )
    moved = mixture.sample(20, random_state=1)
    # Same seed, same windows; no seed continues the stream.
    assert_array_equal(mixture.sample(20, random_state=1), moved)
    assert not np.allclose(mixture.sample(20), mixture.sample(20))
    # The export keeps the mixture: the loaded model draws the same windows,
    # within the released range (midpoints next to the extremes); the card
    # warns, as the mixture's levels follow the training path closely.
    with pytest.warns(PrivacyRiskWarning, match="DCR ratio"):
        mixture.export_generator(tmp_path / "m", X=windows[:600], holdout=windows[600:])
    loaded = load_generator(tmp_path / "m")
    assert_array_equal(loaded.sample(20, random_state=1), moved)


def _stocks_like():
    """Prices and a skewed integer volume that often sits near its minimum."""
    import pandas as pd

    rng = np.random.default_rng(0)
    price = np.round(100 + np.cumsum(rng.normal(0, 1, 600)), 4)
    volume = np.round(np.exp(rng.normal(14, 1.5, 600))).astype(np.int64)
    return pd.DataFrame({"Open": price, "High": price + 1, "Volume": volume})


def test_the_fitted_model_samples_what_its_export_samples(tmp_path):
    import subprocess
    import sys

    import pandas as pd

    series = _stocks_like()
    synth = GANSeriesSynthesizer(window_length=24, max_iter=60, random_state=0)
    synth.fit(series)
    fitted = synth.sample(200, random_state=1)
    synth.export_generator(tmp_path / "m")
    # The case that broke: the export clipped at midpoints next to the
    # extremes, the fitted model at the extremes (1.3% of values differed).
    code = (
        f"import skgan; skgan.load_generator(r'{tmp_path / 'm'}')"
        f".sample(200, random_state=1).to_pickle(r'{tmp_path / 'w.pkl'}')"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    loaded = pd.read_pickle(tmp_path / "w.pkl")
    pd.testing.assert_frame_equal(loaded, fitted)
    assert fitted["Volume"].dtype == np.int64
    # No value piles up on an end of the range: the case that broke had
    # 7.4% of generated volumes on the training minimum.
    for column in series:
        generated = fitted[column].value_counts(normalize=True).iloc[0]
        real = series[column].value_counts(normalize=True).iloc[0]
        assert generated <= 3 * max(real, 1 / len(fitted)), column
        low, high = synth.channel_range_[:, series.columns.get_loc(column)]
        assert low <= fitted[column].min() and fitted[column].max() <= high


@pytest.mark.parametrize("level_model", ["generator", "mixture"])
def test_the_same_seed_gives_the_same_windows_whatever_the_batch(sines, level_model):
    synth = GANSeriesSynthesizer(
        window_length=12, level_model=level_model, random_state=0, **FAST
    ).fit(sines)
    # The case that broke: sample(3) and sample(20) began differently.
    many = synth.sample(300, random_state=1)
    for n in (1, 3, 20, 257):
        assert_array_equal(synth.sample(n, random_state=1), many[:n])
    assert synth.sample(0, random_state=1).shape == (0, 12, 3)


def test_no_windows_is_an_empty_long_table():
    synth = GANSeriesSynthesizer(window_length=12, random_state=0, **FAST)
    empty = synth.fit(_stocks_like()).sample(0)
    assert list(empty.columns) == ["window", "step", "Open", "High", "Volume"]
    assert len(empty) == 0 and empty["Volume"].dtype == np.int64
    assert [len(block) for block in synth.iter_samples(0)] == [0]


def test_rules_keep_every_channel_in_its_observed_range():
    from skgan.constraints import Inequality, Range

    series = _stocks_like().assign(Low=lambda f: f["Open"] - 1)
    rules = [Inequality(low="Low", high="High"), Range("Low", low=0)]
    synth = GANSeriesSynthesizer(window_length=24, constraints=rules, random_state=0)
    windows = synth.set_params(**FAST).fit(series).sample(300, random_state=1)
    # The case that broke: High above its real maximum on Stocks; and the
    # two rules on Low could not be stated together.
    for column in series:
        assert windows[column].between(series[column].min(), series[column].max()).all()
    assert (windows["Low"] <= windows["High"]).all()


def test_series_errors_name_what_the_user_gave():
    import pandas as pd

    from skgan.constraints import Inequality

    t = np.arange(300) / 5
    synth = GANSeriesSynthesizer(window_length=12, random_state=0, **FAST)
    # The case that broke: "column(s) [0, 1, 2, 3] of X have no observed value"
    # for a series of 2 channels near 1e300.
    with pytest.raises(
        ValueError, match=r"channel\(s\) \[0, 1\] hold values too large"
    ):
        synth.fit(np.c_[np.sin(t), np.cos(t)] * 1e300)
    # An AttributeError from pandas.
    twice = pd.DataFrame(np.c_[np.sin(t), np.cos(t)], columns=["a", "a"])
    with pytest.raises(ValueError, match=r"duplicated channel names \['a'\]"):
        synth.fit(twice)
    # Window-steps counted as "rows", channels named by position.
    prices = pd.DataFrame({"Low": np.sin(t), "High": np.sin(t) + 1})
    prices.loc[5, "Low"] = 5.0
    synth.set_params(constraints=[Inequality(low="Low", high="High")])
    with pytest.raises(ValueError, match="6 of 289 windows break High >= Low"):
        synth.fit(prices)


def test_a_holdout_of_one_window_is_not_measured_not_a_scipy_error():
    import pandas as pd

    t = np.arange(300) / 5
    prices = pd.DataFrame({"Low": np.sin(t), "High": np.sin(t) + 1})
    synth = GANSeriesSynthesizer(window_length=12, random_state=0, **FAST).fit(prices)
    report = synth.check_privacy(prices, holdout=prices.iloc[:12], n_samples=50)
    assert report["dcr_ratio"] is None and report["n_holdout"] == 1
    assert report["not_measured"].startswith("not measured: the holdout has 1 rows")
