import pickle

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp, spearmanr

from skgan import GANSynthesizer, load_generator
from skgan.nn._calibration import apply_maps, numeric_outputs

from .conftest import SMALL


@pytest.fixture(scope="module")
def skewed():
    # A category at 70 / 20 / 7 / 3% and two correlated skewed numbers: the
    # shapes a briefly trained generator gets wrong.
    rng = np.random.default_rng(0)
    n = 1500
    kind = rng.choice(list("abcd"), n, p=[0.7, 0.2, 0.07, 0.03])
    x = rng.gamma(1.5, 2.0, n)
    return pd.DataFrame(
        {"kind": kind, "x": x, "y": np.round(x + rng.exponential(3.0, n), 2)}
    )


def _fit(table, calibrate):
    params = {k: v for k, v in SMALL.items() if k != "epochs"}
    return GANSynthesizer(
        epochs=5, calibrate_marginals=calibrate, random_state=0, **params
    ).fit(table)


@pytest.fixture(scope="module")
def pair(skewed):
    return _fit(skewed, False), _fit(skewed, True)


def test_calibration_moves_categories_to_their_training_frequencies(skewed, pair):
    real = skewed["kind"].value_counts(normalize=True)
    errors = []
    for synth in pair:
        rows = synth.sample(20_000, random_state=1)
        drawn = (
            rows["kind"].value_counts(normalize=True).reindex(real.index, fill_value=0)
        )
        errors.append(float(np.abs(drawn - real).max()))
    # Measured: 0.224 uncalibrated, 0.004 calibrated.
    assert errors[1] < 0.015 < errors[0]


def test_calibration_moves_numbers_to_their_training_distribution(skewed, pair):
    ks = [
        [
            ks_2samp(synth.sample(20_000, random_state=1)[c], skewed[c]).statistic
            for c in "xy"
        ]
        for synth in pair
    ]
    # Measured: 0.020 / 0.080 uncalibrated, 0.009 / 0.009 calibrated (KS's
    # 5% critical value for 1,500 against 20,000 rows is 0.036).
    assert max(ks[1]) < 0.04
    assert max(ks[1]) < min(ks[0])


def test_calibration_keeps_the_ranks_the_generator_learnt(pair):
    # The maps are monotone: every draw keeps its place in its column, so the
    # rank correlation is the generator's, to the last digit.
    _, synth = pair
    Z = synth.trainer_.sample(5000)
    mapped = apply_maps(Z.copy(), synth.calibration_)
    (x, _), (y, _) = numeric_outputs(synth.transformer_)
    for own in (x, y):
        order = np.argsort(Z[:, own])
        assert (np.diff(mapped[order, own]) >= 0).all()
        assert (mapped[:, own] != Z[:, own]).any()
    assert spearmanr(mapped[:, x], mapped[:, y])[0] == pytest.approx(
        spearmanr(Z[:, x], Z[:, y])[0], abs=1e-6
    )


def test_calibration_can_be_turned_off_and_is_deterministic(skewed, pair):
    off, on = pair
    assert off.calibration_ is None and on.calibration_ is not None
    again = _fit(skewed, True)
    pd.testing.assert_frame_equal(
        on.sample(300, random_state=3), again.sample(300, random_state=3)
    )


def test_calibration_travels_with_the_export(pair, tmp_path):
    _, synth = pair
    synth.export_generator(tmp_path / "model")
    loaded = load_generator(tmp_path / "model")
    for name, value in synth.calibration_.arrays().items():
        np.testing.assert_array_equal(loaded.calibration_.arrays()[name], value)
    pd.testing.assert_frame_equal(
        loaded.sample(500, random_state=2), synth.sample(500, random_state=2)
    )
    # Conditions still hold exactly after the logits' bias.
    assert (loaded.sample(50, conditions={"kind": "d"})["kind"] == "d").all()


@pytest.mark.parametrize(
    "params",
    [
        {"numeric": "gmm"},
        {"numeric": "standard"},
        {"conditional": False},
        {"point_mass_share": None},
    ],
)
def test_calibration_works_with_every_encoding(skewed, params):
    # The numbers are calibrated only under the quantile map (its target is
    # known); the discrete blocks under every encoding.
    table = skewed.assign(z=np.where(np.arange(len(skewed)) % 3 == 0, 0.0, skewed["x"]))
    synth = GANSynthesizer(epochs=3, random_state=0, **params).fit(table)
    numbers = synth.calibration_ is not None
    assert numbers == (params.get("numeric", "quantile") == "quantile")
    rows = synth.sample(5000, random_state=1)
    real = table["kind"].value_counts(normalize=True)
    drawn = rows["kind"].value_counts(normalize=True).reindex(real.index, fill_value=0)
    assert float(np.abs(drawn - real).max()) < 0.03
    again = pickle.loads(pickle.dumps(synth))
    pd.testing.assert_frame_equal(
        again.sample(50, random_state=2), synth.sample(50, random_state=2)
    )
