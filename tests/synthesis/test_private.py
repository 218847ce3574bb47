"""GANSynthesizer(epsilon=...): DP-SGD through opacus, a private encoding."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from skgan import GANSynthesizer, load_generator
from skgan.exceptions import PrivacyRiskWarning

pytest.importorskip("opacus")

FAST = dict(epochs=4, batch_size=50, latent_dim=8, generator_dims=(16,))
BOUNDS = {"weight": (0.0, 20.0), "age": (0, 40)}


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    n = 400
    return pd.DataFrame(
        {
            "kind": ["owl"] + list(rng.choice(["cat", "dog"], n - 1)),
            "weight": np.where(np.arange(n) % 9 == 0, np.nan, rng.normal(9, 3, n)),
            "age": rng.integers(1, 40, n),
        }
    )


@pytest.mark.parametrize("epsilon", [1.0, 10.0])
def test_spent_epsilon_never_exceeds_the_target(table, epsilon):
    synth = GANSynthesizer(epsilon=epsilon, bounds=BOUNDS, random_state=0, **FAST)
    synth.fit(table)
    # Noisy counts (a tenth) plus DP-SGD by opacus's accountant, calibrated
    # to end within the budget.
    assert 0.9 * epsilon <= synth.epsilon_ <= epsilon
    assert synth.delta_ == pytest.approx(1 / (10 * len(table)))
    assert synth.trainer_.noise_multiplier_ > 0
    assert all("epsilon" in h for h in synth.history_)
    spent = [h["epsilon"] for h in synth.history_]
    assert spent == sorted(spent) and spent[-1] <= epsilon
    rows = synth.sample(2000, random_state=0)
    # The one-record value is never released; numbers stay within the bounds.
    assert set(rows["kind"].dropna()) <= {"cat", "dog"}
    assert rows["weight"].dropna().between(0, 20).all()
    assert rows["age"].between(0, 40).all() and rows["age"].dtype == np.int64


def test_the_card_carries_the_spent_epsilon(table, tmp_path):
    synth = GANSynthesizer(epsilon=3.0, bounds=BOUNDS, random_state=0, **FAST)
    synth.fit(table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "m")
    card = json.loads((tmp_path / "m" / "schema.json").read_text())["release"]
    assert card["epsilon"] == pytest.approx(synth.epsilon_)
    assert card["delta"] == pytest.approx(synth.delta_)
    text = (tmp_path / "m" / "schema.json").read_text()
    assert "owl" not in text
    loaded = load_generator(tmp_path / "m")
    # Loaded, it is still the private model: exported again, the card says so.
    assert loaded.epsilon_ == pytest.approx(synth.epsilon_)
    pd.testing.assert_frame_equal(
        loaded.sample(20, random_state=1), synth.sample(20, random_state=1)
    )


def test_private_training_refuses_what_would_leak(table):
    # Seeded: the noisy counts come first, and cat and dog (about 200 rows
    # each) clear their threshold (about 142 rows) by some four noise scales.
    with pytest.raises(ValueError, match=r"bounds=\{'weight': \(low, high\)"):
        GANSynthesizer(epsilon=1.0, bounds={"age": (0, 40)}, **FAST).fit(table)
    with pytest.raises(ValueError, match="loss='gan'"):
        GANSynthesizer(
            epsilon=1.0, bounds=BOUNDS, random_state=0, loss="wgan-gp", **FAST
        ).fit(table)
    with pytest.raises(ValueError, match="validation_fraction=None"):
        GANSynthesizer(
            epsilon=1.0, bounds=BOUNDS, validation_fraction=0.2, random_state=0, **FAST
        ).fit(table)
    with pytest.raises(ValueError, match="identifier_columns"):
        GANSynthesizer(
            epsilon=1.0,
            bounds=BOUNDS,
            identifier_columns=["kind"],
            random_state=0,
            **FAST,
        ).fit(table)
    small = table.head(30)
    with pytest.raises(ValueError, match="column 'kind'.*astype\\('category'\\)"):
        GANSynthesizer(epsilon=0.5, bounds=BOUNDS, random_state=0, **FAST).fit(small)
    # Declared values are public: the same small table then trains.
    declared = small.assign(kind=small["kind"].astype("category"))
    synth = GANSynthesizer(epsilon=0.5, bounds=BOUNDS, random_state=0, **FAST)
    assert synth.fit(declared).epsilon_ <= 0.5


def test_a_few_missing_values_below_the_threshold_are_not_a_state(table):
    # The case that broke: three missing labels, too few to be released as
    # a missing state, crashed the encoding; they join the commonest value.
    gappy = table.assign(kind=table["kind"].where(np.arange(len(table)) % 150 != 1))
    assert gappy["kind"].isna().sum() == 3
    synth = GANSynthesizer(epsilon=2.0, bounds=BOUNDS, random_state=0, **FAST)
    rows = synth.fit(gappy).sample(500, random_state=0)
    kind = next(c for c in synth.transformer_.columns_ if c["name"] == "kind")
    assert not kind["missing"]
    assert rows["kind"].notna().all()


@pytest.mark.parametrize(
    "params, match",
    [
        # Each was accepted before and trained a model without a guarantee.
        ({"bounds": BOUNDS}, "bounds only apply to a differentially private"),
        ({"delta": 1e-5}, "delta only apply to a differentially private"),
        ({"bounds": BOUNDS, "delta": 1e-5}, "bounds and delta only apply"),
    ],
)
def test_private_settings_without_epsilon_are_refused(table, params, match):
    synth = GANSynthesizer(random_state=0, **FAST, **params)
    with pytest.raises(ValueError, match=match):
        synth.fit(table)
    assert not hasattr(synth, "trainer_")


@pytest.mark.parametrize(
    "bounds, error, match",
    [
        # "too many values to unpack" before.
        ({**BOUNDS, "age": (0, 20, 40)}, ValueError, r"bounds\['age'\] must be two"),
        ({**BOUNDS, "age": (40, 0)}, ValueError, "low < high"),
        ({**BOUNDS, "age": (0, np.inf)}, ValueError, "finite"),
        ([("age", (0, 40))], TypeError, "bounds. parameter of GANSynthesizer must be"),
        # Ignored before.
        ({**BOUNDS, "height": (0, 2)}, ValueError, r"not in the table: \['height'\]"),
        ({**BOUNDS, "kind": (0, 1)}, ValueError, r"categorical columns \['kind'\]"),
    ],
)
def test_malformed_or_misplaced_bounds_are_refused(table, bounds, error, match):
    synth = GANSynthesizer(epsilon=1.0, bounds=bounds, random_state=0, **FAST)
    with pytest.raises(error, match=match):
        synth.fit(table)
    assert not hasattr(synth, "trainer_")


def test_an_epsilon_too_small_to_train_is_named(table):
    # opacus said only "The privacy budget is too low." before.
    frame = table.assign(kind=table["kind"].astype("category"))
    synth = GANSynthesizer(epsilon=1e-6, bounds=BOUNDS, random_state=0, **FAST)
    with pytest.raises(
        ValueError, match="epsilon is too small to train.*Raise epsilon"
    ):
        synth.fit(frame)
    assert not hasattr(synth, "trainer_")


def test_a_bound_that_clips_the_whole_column_is_counted_and_carded(table, tmp_path):
    from skgan.synthesis._card import format_card

    # The case that broke: a bound that clips 100% of a column said nothing.
    bounds = {"weight": (50.0, 60.0), "age": (0, 40)}
    synth = GANSynthesizer(epsilon=10.0, bounds=bounds, random_state=0, **FAST)
    with pytest.warns(
        UserWarning,
        match=r"bounds\['weight'\] clipped about 100% of the column's values",
    ):
        synth.fit(table)
    # 356 weights below 50 (the rest missing), none above; noise of scale 1/2.
    weight = synth.clipped_["weight"]
    assert weight["below"] == pytest.approx(table["weight"].notna().sum(), abs=10)
    assert weight["above"] <= 10
    assert synth.clipped_["age"]["below"] + synth.clipped_["age"]["above"] <= 20
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "m")
    card = load_generator(tmp_path / "m").release_
    assert card["clipped"] == synth.clipped_
    assert f"weight: {weight['below']} below" in format_card(card)


def test_private_calibration_reads_only_the_noisy_counts(table):
    # Under epsilon the discrete blocks are calibrated to the conditions'
    # noisy counts alone (the missing-value states of "weight" keep their
    # logits), and the numbers to the private quantile map's own target.
    from skgan.nn._calibration import calibration_targets

    synth = GANSynthesizer(epsilon=1.0, bounds=BOUNDS, random_state=0, **FAST)
    synth.fit(table)
    trainer = synth.trainer_
    Z = synth.transformer_.transform(table)
    targets = calibration_targets(Z, synth.transformer_, trainer, private=True)
    spans = trainer.cond_spans_
    assert sorted(targets) == sorted(start for _, start, _ in spans)
    for b, (_, start, _) in enumerate(spans):
        np.testing.assert_allclose(targets[start], trainer.cond_frequencies_[b].cpu())
    assert synth.calibration_ is not None
    kind_share = (synth.sample(20_000, random_state=1)["kind"] == "cat").mean()
    noisy = trainer.cond_frequencies_[0].cpu().numpy()
    cat = synth.transformer_.columns_[0]["categories"].index("cat")
    assert abs(kind_share - noisy[cat]) < 0.02


def _penguin_like(dtype):
    """Three species (45%, 36%, 19%) on three islands, as read from a CSV."""
    rng = np.random.default_rng(0)
    species = rng.choice(["Adelie", "Gentoo", "Chinstrap"], 344, p=[0.45, 0.36, 0.19])
    others = rng.choice(["Dream", "Torgersen"], 344)
    island = np.where(species == "Gentoo", "Biscoe", others)
    frame = pd.DataFrame(
        {
            "species": species,
            "island": island,
            "mass": rng.normal(4200, 600, 344).round(),
        }
    )
    return frame.astype({"species": dtype, "island": dtype})


PENGUIN_BOUNDS = {"mass": (2500, 6500)}


def test_a_column_left_with_one_value_is_refused_naming_the_fix():
    # The case that broke: at epsilon=3 every sampled row was Adelie, silently.
    synth = GANSynthesizer(epsilon=1.0, bounds=PENGUIN_BOUNDS, random_state=0, **FAST)
    with pytest.raises(ValueError, match="column 'species' would keep one value") as e:
        synth.fit(_penguin_like(object))
    assert "CategoricalDtype" in str(e.value) and "--categories" in str(e.value)
    assert not hasattr(synth, "trainer_")


def test_suppressed_values_are_named_in_a_warning_and_counted_on_the_card(tmp_path):
    table = _penguin_like(object)
    synth = GANSynthesizer(epsilon=20.0, bounds=PENGUIN_BOUNDS, random_state=0, **FAST)
    # At epsilon=20 a value needs about 8 rows: three rows on Torgersen do
    # not reach it.
    table["island"] = np.r_[["Biscoe"] * 170, ["Dream"] * 171, ["Torgersen"] * 3]
    with pytest.warns(UserWarning, match=r"suppressed: 'island': \['Torgersen'\]"):
        synth.fit(table)
    assert synth.transformer_.suppressed_ == {"island": ["Torgersen"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "m")
    card = load_generator(tmp_path / "m").release_
    assert card["counted_values"]["columns"] == ["species", "island"]
    assert card["counted_values"]["threshold_rows"] > 1
    # The card says that rare values are never generated, not which they are.
    assert "Torgersen" not in json.dumps(card)
    from skgan.synthesis._card import format_card

    assert "values counted with noise: species, island" in format_card(card)


@pytest.mark.parametrize("dtype", [object, "category"])
def test_declared_values_keep_every_category_under_epsilon(dtype):
    table = _penguin_like(dtype)
    if dtype == "category":
        synth = GANSynthesizer(
            epsilon=1.0, bounds=PENGUIN_BOUNDS, random_state=0, **FAST
        )
        rows = synth.fit(table).sample(1000, random_state=0)
        assert set(rows["species"]) == {"Adelie", "Gentoo", "Chinstrap"}
        assert rows["species"].value_counts(normalize=True).max() < 0.9
    else:
        # Counted with noise, a value needs about 140 rows at epsilon=1.
        with pytest.raises(ValueError, match="column '(species|island)'.*--categories"):
            GANSynthesizer(epsilon=1.0, bounds=PENGUIN_BOUNDS, **FAST).fit(table)


def test_fixed_combinations_under_epsilon_keep_them_all_or_refuse():
    from skgan.constraints import FixedCombinations

    table = _penguin_like("category")
    rule = FixedCombinations(["species", "island"])
    synth = GANSynthesizer(
        epsilon=1.0, bounds=PENGUIN_BOUNDS, constraints=[rule], random_state=0, **FAST
    )
    # The case that broke: all 2,000 rows were Gentoo / Biscoe.
    refused = r"FixedCombinations\(\['species', 'island'\]\) would keep"
    with pytest.raises(ValueError, match=refused):
        synth.fit(table)
    synth.set_params(epsilon=200.0).fit(table)
    rows = synth.sample(2000, random_state=0)
    seen = set(zip(table["species"], table["island"], strict=True))
    assert set(zip(rows["species"], rows["island"], strict=True)) == seen


def test_a_huge_epsilon_or_a_large_delta_is_answered_once(table):
    # The case that broke: epsilon=1e6 printed opacus's note 35 times; a
    # delta above 1 / n_rows was taken without a word.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        GANSynthesizer(epsilon=1e6, bounds=BOUNDS, random_state=0, **FAST).fit(table)
    assert not [w for w in caught if "Optimal order" in str(w.message)]
    with pytest.warns(UserWarning, match=r"delta=0.1 is above 1 / n_rows \(0.0025\)"):
        GANSynthesizer(
            epsilon=5.0, delta=0.1, bounds=BOUNDS, random_state=0, **FAST
        ).fit(table)


def test_an_empty_holdout_is_named(table):
    synth = GANSynthesizer(epsilon=5.0, bounds=BOUNDS, random_state=0, **FAST)
    synth.fit(table)
    # The case that broke: "column 'weight' of synthetic has no observed value".
    with pytest.raises(ValueError, match="holdout has no rows"):
        synth.check_privacy(table, holdout=table.iloc[:0])
