import hashlib
import json
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import torch

from skgan import GANSynthesizer, load_generator
from skgan.exceptions import PrivacyRiskError, PrivacyRiskWarning
from skgan.synthesis._export import _schema_digest

from .conftest import SMALL


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    n = 120
    return pd.DataFrame(
        {
            "kind": pd.Categorical(rng.choice(["cat", "dog"], n)),
            "weight": np.where(np.arange(n) % 9 == 0, np.nan, rng.normal(9, 3, n)),
            "age": rng.integers(1, 15, n),
            "indoor": rng.random(n) < 0.6,
        }
    )


@pytest.fixture
def exported(table, tmp_path):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    path = tmp_path / "model"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(path, X=table)
    return synth, path


def test_export_holds_the_generator_only(exported, table):
    _, path = exported
    assert sorted(p.name for p in path.iterdir()) == [
        "generator.safetensors",
        "schema.json",
    ]
    from safetensors.torch import load_file

    names = load_file(path / "generator.safetensors").keys()
    assert all(
        n.split(".")[0] in {"generator", "transformer", "conditions", "calibration"}
        for n in names
    )
    schema = json.loads((path / "schema.json").read_text())
    assert [c["name"] for c in schema["transformer"]["columns"]] == list(table.columns)
    text = (path / "schema.json").read_text()
    # No training value of a continuous column is written out as such.
    assert f"{table['weight'].iloc[1]:.6f}"[:8] not in text
    assert schema["release"]["measures"]["n_samples"] == 10_000


def test_export_loads_and_samples_like_the_model(exported, table):
    synth, path = exported
    loaded = load_generator(path)
    a = loaded.sample(50, random_state=4)
    pd.testing.assert_frame_equal(a, synth.sample(50, random_state=4))
    assert a.dtypes.to_dict() == table.dtypes.to_dict()
    assert (loaded.sample(10, conditions={"kind": "dog"})["kind"] == "dog").all()


def test_export_loads_in_a_fresh_process(exported):
    _, path = exported
    code = (
        "import sys, skgan; m = skgan.load_generator(sys.argv[1]); "
        "r = m.sample(25, random_state=0); print(r.shape, list(r.dtypes.astype(str)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "(25, 4) ['category', 'float64', 'int64', 'bool']"


def test_load_refuses_tampered_weights(exported):
    _, path = exported
    weights = path / "generator.safetensors"
    data = bytearray(weights.read_bytes())
    data[-5] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="modified or truncated"):
        load_generator(path)


def test_load_refuses_truncated_weights(exported):
    _, path = exported
    weights = path / "generator.safetensors"
    data = weights.read_bytes()[:100]
    weights.write_bytes(data)
    schema = json.loads((path / "schema.json").read_text())
    # Even with matching checksums, a truncated file is refused by safetensors.
    schema["weights_sha256"] = hashlib.sha256(data).hexdigest()
    schema["schema_sha256"] = _schema_digest(schema)
    (path / "schema.json").write_text(json.dumps(schema))
    with pytest.raises(ValueError, match="not a valid skgan export"):
        load_generator(path)


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s["transformer"]["columns"][0].update(name="species"),
        lambda s: s["release"]["measures"].update(exact_copy_rate=0.0),
        lambda s: s["params"].update(random_state=123),
        lambda s: s.update(note="harmless?"),
    ],
    ids=["column name", "privacy report", "parameter", "added key"],
)
def test_load_refuses_any_edit_of_the_schema(exported, edit):
    _, path = exported
    schema = json.loads((path / "schema.json").read_text())
    edit(schema)
    (path / "schema.json").write_text(json.dumps(schema, indent=2))
    with pytest.raises(ValueError, match="does not match its checksum"):
        load_generator(path)


def test_load_accepts_a_reformatted_but_unchanged_schema(exported):
    # The checksum is of the content, not of the bytes.
    _, path = exported
    schema = json.loads((path / "schema.json").read_text())
    (path / "schema.json").write_text(json.dumps(schema, indent=4, sort_keys=True))
    assert len(load_generator(path).sample(5)) == 5


def test_load_refuses_an_older_format_with_the_fix(exported):
    _, path = exported
    schema = json.loads((path / "schema.json").read_text())
    schema["format_version"] = 1
    (path / "schema.json").write_text(json.dumps(schema))
    with pytest.raises(ValueError, match="export the generator again"):
        load_generator(path)


def test_load_refuses_a_pickle_and_foreign_files(tmp_path):
    marker = tmp_path / "executed"
    folder = tmp_path / "evil"
    folder.mkdir()

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    (folder / "generator.safetensors").write_bytes(pickle.dumps(Payload()))
    (folder / "schema.json").write_text(json.dumps({"format": "something"}))
    with pytest.raises(ValueError, match="not a skgan generator schema"):
        load_generator(folder)
    (folder / "schema.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_generator(folder)
    with pytest.raises(ValueError, match="no schema.json"):
        load_generator(tmp_path)
    with pytest.raises(ValueError, match="not a directory"):
        load_generator(tmp_path / "missing")
    assert not marker.exists()


def test_export_refuses_a_non_empty_directory(exported):
    synth, path = exported
    with pytest.raises(ValueError, match="not an empty directory"):
        synth.export_generator(path)


def test_privacy_gate_refuses_copies_on_request(table, tmp_path):
    # A table with one discrete column of two values: every sample copies a row.
    tiny = pd.DataFrame({"k": ["a", "b"] * 20})
    synth = GANSynthesizer(random_state=0, **SMALL).fit(tiny)
    with pytest.raises(PrivacyRiskError, match="exact copies"):
        synth.export_generator(tmp_path / "m", X=tiny, on_privacy_risk="raise")
    assert not (tmp_path / "m").exists()
    with pytest.warns(PrivacyRiskWarning, match="exact copies"):
        report = synth.export_generator(tmp_path / "m", X=tiny)
    assert report["exact_copy_rate"] == 1.0 and report["risk"]
    with pytest.raises(ValueError, match="needs the training rows"):
        synth.export_generator(tmp_path / "n", on_privacy_risk="raise")


def test_privacy_gate_passes_a_model_that_does_not_copy(table, tmp_path):
    # A continuous column without gaps makes every row unique.
    table = table.assign(weight=np.random.default_rng(1).normal(9, 3, len(table)))
    holdout = table.assign(weight=np.random.default_rng(2).normal(9, 3, len(table)))
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        report = synth.export_generator(
            tmp_path / "m", X=table, holdout=holdout, min_dcr_ratio=0.0, n_samples=2000
        )
    assert report["exact_copy_rate"] == 0.0
    # No copy: what is left is the attack, whose interval on 120 rows (0.53
    # to 0.72) reaches past 0.55, which the card lists as the verdict asks.
    assert [r for r in report["risk"] if "membership inference" not in r] == []


@pytest.mark.gpu
def test_gpu_model_pickles_and_exports_for_cpu(table, tmp_path):
    synth = GANSynthesizer(device="cuda", random_state=0, **SMALL).fit(table)
    loaded = pickle.loads(pickle.dumps(synth))
    assert loaded.trainer_.device.type == "cpu"
    assert len(loaded.sample(10)) == 10
    synth.export_generator(tmp_path / "m")
    assert next(
        load_generator(tmp_path / "m").trainer_.generator_.parameters()
    ).device == torch.device("cpu")


def test_privacy_gate_names_a_holdout_made_of_training_rows(table, tmp_path):
    # The case that broke: holdout == X passed with a DCR ratio of inf.
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    repeats = "not measured: 100% of the holdout's rows repeat training rows"
    with pytest.raises(PrivacyRiskError, match=repeats):
        synth.export_generator(
            tmp_path / "m", X=table, holdout=table, on_privacy_risk="raise"
        )
    assert not (tmp_path / "m").exists()
    with pytest.warns(PrivacyRiskWarning, match=repeats):
        report = synth.export_generator(tmp_path / "n", X=table, holdout=table)
    assert report["holdout_copy_rate"] == 1.0
    # Not inf with a RuntimeWarning: not measured, and the card says why.
    assert report["dcr_ratio"] is None and report["dcr_ratio_interval"] is None
    from skgan.synthesis._card import format_card

    text = format_card(load_generator(tmp_path / "n").release_)
    assert "dcr_ratio: not measured: 100% of the holdout's rows" in text


def test_privacy_gate_allows_the_datas_own_exact_copy_rate(tmp_path):
    # Rows of a few discrete columns repeat by nature: fresh real rows equal
    # training rows at some rate, and samples that do no more than that are
    # not flagged as copies.
    rng = np.random.default_rng(0)
    n = 600
    frame = pd.DataFrame(
        {
            "a": rng.choice(list("xyz"), n),
            "b": rng.integers(0, 200, n),
            "c": rng.normal(size=n).round(0),
        }
    )
    train, holdout = frame.iloc[:450], frame.iloc[450:]
    synth = GANSynthesizer(random_state=0, **SMALL).fit(train)
    report = synth.check_privacy(train, holdout=holdout, n_samples=2000)
    own = report["holdout_copy_rate"]
    assert 0 < own <= 0.5
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PrivacyRiskWarning)
        exported = synth.export_generator(
            tmp_path / "m", X=train, holdout=holdout, min_dcr_ratio=0.0
        )
    copies = [r for r in exported["risk"] if "exact copies" in r]
    assert bool(copies) == (exported["exact_copy_rate"] > own)
    assert bool(caught) == bool(exported["risk"])


def test_identifier_columns_never_leak(tmp_path):
    # The case that broke: patient_0000 .. patient_0199 learnt as a category,
    # written into the export and sampled back.
    rng = np.random.default_rng(0)
    n = 200
    table = pd.DataFrame(
        {
            "patient": [f"patient_{i:04d}" for i in range(n)],
            "age": rng.integers(20, 90, n),
            "kind": rng.choice(["a", "b"], n),
        }
    )
    with pytest.raises(ValueError, match="column 'patient' looks like an identifier"):
        GANSynthesizer(random_state=0, **SMALL).fit(table)
    synth = GANSynthesizer(identifier_columns=["patient"], random_state=0, **SMALL)
    synth.fit(table)
    sample = synth.sample(1000, random_state=1)
    assert not sample["patient"].isin(table["patient"]).any()
    assert sample["patient"].str.fullmatch(r"patient_\d{5}").all()
    assert sample["patient"].nunique() == 1000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "m", X=table)
    text = (tmp_path / "m" / "schema.json").read_text()
    assert not any(value in text for value in table["patient"])
    loaded = load_generator(tmp_path / "m").sample(50, random_state=2)
    assert not loaded["patient"].isin(table["patient"]).any()


def test_load_refuses_an_unknown_device_clearly(exported):
    _, path = exported
    with pytest.raises(ValueError, match="device='bogus' is not a device torch knows"):
        load_generator(path, device="bogus")


def test_export_stores_no_value_that_occurs_once(tmp_path):
    # The case that broke: the quantile table was the sorted column (every
    # value of a small table exported), the bounds were the minimum and
    # maximum, and a category seen once was kept and sampled.
    rng = np.random.default_rng(0)
    n = 150
    table = pd.DataFrame(
        {
            "income": rng.lognormal(10, 1, n).round(2),
            "score": np.where(np.arange(n) % 10 == 0, np.nan, rng.normal(size=n)),
            "visits": rng.poisson(15, n),
            "country": ["Vatican"] + list(rng.choice(["NO", "PE", "FR"], n - 1)),
        }
    )
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "m", X=table)
    from safetensors.numpy import load_file

    stored = np.concatenate(
        [
            v.ravel().astype(np.float64)
            for k, v in load_file(tmp_path / "m" / "generator.safetensors").items()
            if k.startswith("transformer.") and ("quantiles_" in k or "range_" in k)
        ]
    )
    text = (tmp_path / "m" / "schema.json").read_text()
    columns = json.loads(text)["transformer"]["columns"]
    assert [c["kind"] for c in columns] == ["numeric"] * 3 + ["categorical"]
    for name in ("income", "score", "visits"):
        values, counts = np.unique(table[name].dropna(), return_counts=True)
        once = values[counts == 1]
        assert len(once) > 0
        assert not np.isin(stored, once).any(), name
    assert "Vatican" not in text
    sample = load_generator(tmp_path / "m").sample(3000, random_state=1)
    assert "Vatican" not in set(sample["country"])
    for name in ("income", "score", "visits"):
        observed = table[name].dropna()
        assert sample[name].dropna().between(observed.min(), observed.max()).all()
    # A column whose every value is that rare is refused by name.
    with pytest.raises(ValueError, match="every value of column 'code' occurs"):
        codes = [f"c{i % 75}" for i in range(n)]
        GANSynthesizer(**SMALL).fit(table.assign(code=codes).head(15))


def test_every_export_carries_a_release_card(table, tmp_path):
    train, unseen = table.iloc[:90], table.iloc[90:]
    synth = GANSynthesizer(random_state=0, **SMALL).fit(train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "m", X=train, holdout=unseen)
        synth.export_generator(tmp_path / "bare")
    card = json.loads((tmp_path / "m" / "schema.json").read_text())["release"]
    assert card["n_training_rows"] == 90
    assert card["model"]["estimator"] == "GANSynthesizer"
    assert card["epsilon"] == "none" and card["delta"] == "none"
    auc = card["measures"]["membership_inference_roc_auc"]
    assert 0 <= auc <= 1 and card["measures"]["membership_attack"] in (
        "density_ratio",
        "distance",
    )
    assert set(card["definitions"]) >= {"dcr_ratio", "membership_inference_roc_auc"}
    loaded = load_generator(tmp_path / "m")
    assert loaded.release_ == card and loaded.n_samples_fit_ == 90
    # Without the training rows the card says so; it is there all the same.
    bare = load_generator(tmp_path / "bare").release_
    assert bare["measures"] is None and bare["n_training_rows"] == 90


def test_an_unmeasured_export_says_so_and_a_loaded_card_travels(table, tmp_path):
    from skgan.synthesis._card import NOT_MEASURED

    train, unseen = table.iloc[:90], table.iloc[90:]
    synth = GANSynthesizer(random_state=0, **SMALL).fit(train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "measured", X=train, holdout=unseen)
    synth.export_generator(tmp_path / "bare")
    assert load_generator(tmp_path / "bare").release_["risk"] == [NOT_MEASURED]
    # The case that broke: exporting a loaded model again (as log_model does)
    # wrote a card with no measures and no risk.
    loaded = load_generator(tmp_path / "measured")
    loaded.export_generator(tmp_path / "again")
    again = json.loads((tmp_path / "again" / "schema.json").read_text())["release"]
    assert again == loaded.release_ and again["measures"]["dcr_ratio"] is not None


def test_the_card_shows_intervals_and_flags_a_tiny_holdout(table, tmp_path):
    from skgan.synthesis._card import format_card

    train, unseen = table.iloc[:90], table.iloc[90:]
    synth = GANSynthesizer(random_state=0, **SMALL).fit(train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "m", X=train, holdout=unseen)
        tiny = synth.export_generator(tmp_path / "t", X=train, holdout=unseen[:5])
    card = load_generator(tmp_path / "m").release_
    low, high = card["measures"]["membership_inference_roc_auc_interval"]
    assert low <= card["measures"]["membership_inference_roc_auc"] <= high
    assert "(95% interval" in format_card(card)
    assert tiny["membership_inference_roc_auc"] is None
    assert any("the holdout has 5 rows, too few" in r for r in tiny["risk"])
    # The case that broke: a holdout of 5 rows printed "n/a (no holdout)".
    text = format_card(load_generator(tmp_path / "t").release_)
    assert "dcr_ratio: not measured: the holdout has 5 rows" in text


def test_load_reads_a_format_3_export(exported):
    # Format 4 added the constraints; a format-3 export has none and loads.
    _, path = exported
    schema = json.loads((path / "schema.json").read_text())
    schema["format_version"] = 3
    del schema["constraints"]
    schema["schema_sha256"] = _schema_digest(schema)
    (path / "schema.json").write_text(json.dumps(schema))
    loaded = load_generator(path)
    assert loaded.constraints_ is None and len(loaded.sample(5)) == 5
