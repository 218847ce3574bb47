import pickle

import numpy as np
import pandas as pd
import pytest

from skgan import GANSynthesizer

from .conftest import SMALL


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    n = 200
    kind = rng.choice(["cat", "dog", "fox"], n, p=[0.5, 0.4, 0.1])
    weight = np.where(kind == "dog", 20.0, 5.0) + rng.normal(0, 1, n)
    return pd.DataFrame(
        {
            "kind": pd.Categorical(kind),
            "weight": np.where(np.arange(n) % 10 == 0, np.nan, weight),
            "legs": np.full(n, 4),
            "indoor": rng.random(n) < 0.6,
            "age": pd.array(rng.integers(1, 15, n), dtype="Int64"),
        }
    )


def test_synthesizer_samples_the_fitted_columns_and_dtypes(table):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    rows = synth.sample(300)
    assert list(rows.columns) == list(table.columns)
    assert rows.dtypes.to_dict() == table.dtypes.to_dict()
    assert set(rows["kind"].unique()) <= {"cat", "dog", "fox"}
    assert (rows["legs"] == 4).all()
    assert rows["weight"].isna().any() and rows["weight"].notna().any()
    assert rows["age"].between(1, 14).all()


def test_synthesizer_same_random_state_same_rows(table):
    a = GANSynthesizer(random_state=3, **SMALL).fit(table)
    b = GANSynthesizer(random_state=3, **SMALL).fit(table)
    pd.testing.assert_frame_equal(a.sample(50), b.sample(50))
    pd.testing.assert_frame_equal(
        a.sample(20, random_state=7), a.sample(20, random_state=7)
    )
    assert not a.sample(20).equals(a.sample(20))


def test_synthesizer_condition_is_exact(table):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    rows = synth.sample(200, conditions={"kind": "fox"}, random_state=0)
    assert (rows["kind"] == "fox").all()
    assert rows["kind"].dtype == table["kind"].dtype
    assert synth.sample(5, conditions={"indoor": False})["indoor"].eq(False).all()


@pytest.mark.parametrize(
    "conditions, match",
    [
        ({"kind": "cow"}, "not a value of column 'kind'"),
        ({"weight": 3.0}, "not a discrete column"),
        ({"nope": 1}, "does not have"),
        ({"kind": "cat", "indoor": True}, "one column"),
    ],
)
def test_synthesizer_bad_condition_is_named(table, conditions, match):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    with pytest.raises(ValueError, match=match):
        synth.sample(3, conditions=conditions)


def test_synthesizer_unconditional_model_refuses_conditions(table):
    synth = GANSynthesizer(conditional=False, random_state=0, **SMALL).fit(table)
    assert len(synth.sample(10)) == 10
    with pytest.raises(ValueError, match="conditional=True"):
        synth.sample(3, conditions={"kind": "cat"})


def test_synthesizer_numeric_array_in_array_out():
    X = np.random.default_rng(0).normal(size=(60, 3))
    synth = GANSynthesizer(random_state=0, **SMALL).fit(X)
    out = synth.sample(7)
    assert isinstance(out, np.ndarray) and out.shape == (7, 3)


@pytest.mark.parametrize("loss", ["gan", "wgan-gp"])
@pytest.mark.parametrize("numeric", ["quantile", "gmm"])
def test_synthesizer_variants_train(table, loss, numeric):
    synth = GANSynthesizer(loss=loss, numeric=numeric, random_state=0, **SMALL)
    synth.fit(table)
    assert len(synth.history_) == SMALL["epochs"]
    assert synth.sample(30)["kind"].notna().all()


def test_synthesizer_keeps_the_generator_hardest_to_detect(table):
    synth = GANSynthesizer(
        validation_fraction=0.2, eval_every=1, random_state=0, **SMALL
    ).fit(table)
    aucs = [h["detection_roc_auc"] for h in synth.history_]
    assert len(aucs) == SMALL["epochs"] and all(0 <= a <= 1 for a in aucs)
    assert synth.trainer_.best_epoch_ == 1 + int(np.argmin(aucs))
    assert list(synth.sample(10).columns) == list(table.columns)


def test_synthesizer_epochs_auto_gives_small_tables_enough_updates(table):
    synth = GANSynthesizer(
        random_state=0, **{**SMALL, "epochs": "auto", "generator_dims": (8,)}
    )
    synth.fit(table.head(80))
    updates = len(synth.history_) * synth.trainer_.steps_per_epoch_
    assert updates >= 1500


def test_synthesizer_bad_input_leaves_nothing_behind(table):
    synth = GANSynthesizer(**SMALL)
    with pytest.raises(ValueError, match="at least 4 rows"):
        synth.fit(table.head(3))
    assert not [a for a in vars(synth) if a.endswith("_")]
    with pytest.raises(TypeError, match="datetime"):
        synth.fit(pd.DataFrame({"t": pd.date_range("2020", periods=20)}))
    with pytest.raises(ValueError, match="n_samples"):
        GANSynthesizer(random_state=0, **SMALL).fit(table).sample(-1)


def test_synthesizer_pickles_and_keeps_sampling(table, tmp_path):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(synth))
    loaded = pickle.loads(path.read_bytes())
    pd.testing.assert_frame_equal(
        loaded.sample(20, random_state=1), synth.sample(20, random_state=1)
    )


def test_synthesizer_check_privacy_flags_copies(table):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    report = synth.check_privacy(table, holdout=table, n_samples=500)
    assert set(report) == {
        "exact_copy_rate",
        "holdout_copy_rate",
        "dcr_ratio",
        "dcr_ratio_interval",
        "membership_inference_roc_auc",
        "membership_inference_roc_auc_interval",
        "membership_attack",
        "nndr",
        "not_measured",
        "n_holdout",
        "n_samples",
    }
    # The holdout here is the training table itself: all its rows are copies,
    # so the distances and the attack are not measured, and say why.
    assert report["holdout_copy_rate"] == 1.0
    assert 0 <= report["exact_copy_rate"] <= 1 and report["dcr_ratio"] is None
    assert report["not_measured"].startswith("not measured: 100% of the holdout")


@pytest.mark.slow
def test_synthesizer_keeps_the_share_of_a_0_1_label_by_default():
    # The case that broke: an int64 0/1 column learnt as a number and rounded
    # came back with 3.4% ones for 10.9% (measured with
    # max_integer_categories=0); as a category it keeps its share (10.9%).
    rng = np.random.default_rng(0)
    n = 800
    y = (rng.random(n) < 0.125).astype(np.int64)
    table = pd.DataFrame(
        {"a": rng.normal(size=n) + 2 * y, "b": rng.gamma(2, size=n), "Class": y}
    )
    synth = GANSynthesizer(random_state=0).fit(table)
    sample = synth.sample(20_000, random_state=1)
    assert sample["Class"].dtype == np.int64
    assert abs(sample["Class"].mean() - y.mean()) < 0.02


def test_iter_samples_blocks_are_the_rows_of_sample(table):
    # Blocks of 8,192 rows, each from its own seeded stream: streamed rows
    # (a server's answer) equal the in-process sample, row for row.
    synth = GANSynthesizer(conditional=True, random_state=0, **SMALL).fit(table)
    n = 2 * 8192 + 5
    blocks = list(synth.iter_samples(n, random_state=7))
    assert [len(b) for b in blocks] == [8192, 8192, 5]
    whole = synth.sample(n, random_state=7)
    pd.testing.assert_frame_equal(pd.concat(blocks, ignore_index=True), whole)
    assert not whole.head(8192).equals(whole.iloc[8192:16384].reset_index(drop=True))
    # Conditions too, and an empty request gives one empty block with dtypes.
    fixed = list(synth.iter_samples(10, conditions={"kind": "dog"}, random_state=1))
    assert (fixed[0]["kind"] == "dog").all()
    (empty,) = synth.iter_samples(0, random_state=1)
    assert len(empty) == 0 and (empty.dtypes == table.dtypes).all()
    # Without a seed the model's stream advances: two calls differ.
    assert not synth.sample(50).equals(synth.sample(50))
    with pytest.raises(ValueError, match="n_samples"):
        synth.iter_samples(-1)


def test_synthesizer_auto_batch_is_200_rows_or_the_private_rule(table):
    params = {k: v for k, v in SMALL.items() if k != "batch_size"}
    bigger = pd.concat([table] * 2, ignore_index=True)  # 400 rows
    synth = GANSynthesizer(random_state=0, **params).fit(bigger)
    assert synth.batch_size == "auto"
    assert synth.trainer_.batch_size == 200
    assert synth.trainer_.steps_per_epoch_ == 2
    # Under epsilon: at least 50 rows, at most 150 and half the table.
    numbers = bigger.select_dtypes("number")
    bounds = {c: (numbers[c].min() - 1, numbers[c].max() + 1) for c in numbers}
    private = GANSynthesizer(
        epsilon=5.0, bounds=bounds, random_state=0, **{**params, "pac": 1}
    ).fit(bigger)
    assert private.trainer_.batch_size == 150
    with pytest.raises(ValueError, match="batch_size"):
        GANSynthesizer(batch_size="large").fit(table)


def test_synthesizer_auto_epochs_cap_the_updates_of_a_large_table(table, monkeypatch):
    from skgan.synthesis import _budget

    params = {k: v for k, v in SMALL.items() if k != "epochs"}
    small = GANSynthesizer(random_state=0, **params)
    # 300 passes over 200 rows in batches of 40 would be 1,500 updates; a
    # cap of 40 stands for the real one (10,000) on a table 50 times larger.
    monkeypatch.setattr(_budget, "AUTO_UPDATES", 8)
    monkeypatch.setattr(_budget, "AUTO_MAX_UPDATES", 40)
    small.fit(table)
    assert small.n_iter_ == 40
    monkeypatch.setattr(_budget, "AUTO_MAX_UPDATES", 10**6)
    monkeypatch.setattr(_budget, "AUTO_EPOCHS", 3)
    uncapped = GANSynthesizer(random_state=0, **params).fit(table)
    assert uncapped.n_iter_ == 3 * 5  # 3 passes of 5 batches


def test_synthesizer_auto_floor_counts_updates_not_whole_passes(table, monkeypatch):
    # The penguins' 172 rows in batches of 170 made 1,483 passes of 2
    # updates (2,966) for a floor of 1,500. Here 200 rows in batches of 40
    # are 5 updates a pass: a floor of 7 updates is 7, not 2 passes (10).
    from skgan.synthesis import _budget

    params = {k: v for k, v in SMALL.items() if k != "epochs"}
    monkeypatch.setattr(_budget, "AUTO_EPOCHS", 1)
    monkeypatch.setattr(_budget, "AUTO_UPDATES", 7)
    assert GANSynthesizer(random_state=0, **params).fit(table).n_iter_ == 7


def test_synthesizer_keeps_a_point_mass_at_its_rate():
    # Default's payments: 17-24% zeros came back as 12-17% zeros, spread
    # into small amounts, before the point mass had a state of its own.
    rng = np.random.default_rng(0)
    n = 600
    pay = np.where(rng.random(n) < 0.3, 0.0, np.round(rng.lognormal(7, 1, n)))
    frame = pd.DataFrame({"pay": pay, "x": rng.normal(size=n)})
    params = {k: v for k, v in SMALL.items() if k != "epochs"}
    synth = GANSynthesizer(epochs=40, random_state=0, **params).fit(frame)
    assert synth.transformer_.columns_[0]["point_mass"] == 0.0
    rows = synth.sample(3000)
    # Measured 0.286 zeros against 0.267 real (0.206 with point_mass_share=None).
    assert abs((rows["pay"] == 0).mean() - (pay == 0).mean()) < 0.05
    # The other values keep to the observed range, none at the mass.
    others = rows["pay"][rows["pay"] != 0]
    assert others.min() >= pay[pay > 0].min() and others.max() <= pay.max()
    off = GANSynthesizer(epochs=3, point_mass_share=None, random_state=0, **params)
    assert "point_mass" not in off.fit(frame).transformer_.columns_[0]


def test_sample_refuses_what_cannot_fit_in_memory_before_allocating(table):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    with pytest.raises(ValueError, match=r"GiB of memory; write them block by block"):
        synth.sample(10**13)
    # iter_samples is the way out: lazy, it allocates a block at a time.
    blocks = synth.iter_samples(10**13)
    assert len(next(blocks)) == 8192
