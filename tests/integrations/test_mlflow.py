"""skgan.integrations.mlflow against a real local MLflow store (SQLite file)."""

import numpy as np
import pandas as pd
import pytest

mlflow = pytest.importorskip("mlflow")

from skgan import GANOverSampler, GANSynthesizer, load_generator  # noqa: E402
from skgan.integrations.mlflow import log_fit, log_model  # noqa: E402

SMALL = dict(epochs=3, batch_size=40, latent_dim=8, generator_dims=(16,), pac=4)


@pytest.fixture
def store(tmp_path):
    # MLflow's recommended local store: a SQLite file, artifacts in a folder.
    # No active experiment is set: the runs name theirs, and nothing of this
    # store outlives the test.
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    client = mlflow.tracking.MlflowClient()
    client.experiment = mlflow.create_experiment(
        "skgan", artifact_location=(tmp_path / "art").as_uri()
    )
    yield client
    mlflow.set_tracking_uri(None)


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    n = 160
    return pd.DataFrame(
        {
            "kind": rng.choice(["cat", "dog"], n),
            "weight": rng.normal(9, 3, n),
            "age": rng.integers(1, 40, n),
        }
    )


def test_log_fit_records_params_history_and_figures(store, table):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table.iloc[:120])
    with mlflow.start_run(experiment_id=store.experiment) as run:
        logged = log_fit(synth, table.iloc[:120], holdout=table.iloc[120:])
    data = store.get_run(run.info.run_id).data
    assert data.params["epochs"] == "3" and data.params["pac"] == "4"
    assert data.tags["skgan.estimator"] == "GANSynthesizer"
    history = store.get_metric_history(run.info.run_id, "generator_loss")
    assert [m.step for m in history] == [1, 2, 3]
    assert [m.value for m in history] == pytest.approx(
        [h["generator_loss"] for h in synth.history_]
    )
    assert set(logged) == {
        "detection_accuracy",
        "exact_copy_rate",
        "holdout_copy_rate",
        "dcr_ratio",
        "membership_inference_roc_auc",
    }
    card = mlflow.artifacts.load_dict(f"{run.info.artifact_uri}/release_card.json")
    assert card["measures"]["dcr_ratio"] == pytest.approx(logged["dcr_ratio"])
    assert 0.5 <= data.metrics["detection_accuracy"] <= 1
    assert data.metrics["dcr_ratio"] == pytest.approx(logged["dcr_ratio"])


def test_log_fit_names_each_class_of_a_sampler(store):
    rng = np.random.RandomState(0)
    X = rng.randn(120, 3)
    y = np.r_[np.zeros(80, int), np.ones(25, int), np.full(15, 2)]
    sampler = GANOverSampler(max_iter=6, batch_size=16, random_state=0)
    sampler.fit_resample(X, y)
    with mlflow.start_run(experiment_id=store.experiment) as run:
        log_fit(sampler)
    metrics = store.get_run(run.info.run_id).data.metrics
    assert {"generator_loss_class_1", "generator_loss_class_2"} <= set(metrics)


def test_logged_model_predicts_the_rows_of_the_export(store, table, tmp_path):
    synth = GANSynthesizer(conditional=True, random_state=0, **SMALL).fit(table)
    with mlflow.start_run(experiment_id=store.experiment):
        info = log_model(synth)
    model = mlflow.pyfunc.load_model(info.model_uri)
    rows = model.predict(pd.DataFrame({"n_samples": [40, 10], "random_state": [3, 4]}))
    expected = pd.concat(
        [synth.sample(40, random_state=3), synth.sample(10, random_state=4)],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(rows, expected)
    dogs = model.predict(
        pd.DataFrame(
            {
                "n_samples": [20],
                "random_state": [1],
                "condition_column": ["kind"],
                "condition_value": ["dog"],
            }
        )
    )
    assert (dogs["kind"] == "dog").all()
    with pytest.raises(ValueError, match="n_samples column"):
        model.predict(pd.DataFrame({"rows": [3]}))
    # The artifact is the export: it loads as one.
    local = mlflow.artifacts.download_artifacts(info.model_uri, dst_path=tmp_path)
    exported = load_generator(f"{local}/artifacts/export")
    pd.testing.assert_frame_equal(
        exported.sample(5, random_state=2), synth.sample(5, random_state=2)
    )
    with pytest.raises(TypeError, match="fitted GANSynthesizer"):
        log_model(GANSynthesizer())


def _card_of(run):
    return mlflow.artifacts.load_dict(f"{run.info.artifact_uri}/release_card.json")


def test_the_card_travels_to_mlflow(store, table, tmp_path):
    import warnings

    from skgan.exceptions import PrivacyRiskWarning
    from skgan.synthesis._card import NOT_MEASURED

    train, unseen = table.iloc[:120], table.iloc[120:]
    synth = GANSynthesizer(random_state=0, **SMALL).fit(train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(tmp_path / "m", X=train, holdout=unseen)
    loaded = load_generator(tmp_path / "m")
    # The case that broke: a loaded export was logged with "measures": null.
    with mlflow.start_run(experiment_id=store.experiment) as run:
        info = log_model(loaded)
    assert _card_of(run) == loaded.release_
    local = mlflow.artifacts.download_artifacts(info.model_uri, dst_path=tmp_path)
    assert load_generator(f"{local}/artifacts/export").release_ == loaded.release_
    assert store.get_run(run.info.run_id).data.tags["skgan.release_risk"] == (
        "; ".join(loaded.release_["risk"]) or "none found"
    )
    # log_fit of the loaded model logs the measures it carries.
    with mlflow.start_run(experiment_id=store.experiment) as run:
        logged = log_fit(loaded)
    assert logged["dcr_ratio"] == pytest.approx(
        loaded.release_["measures"]["dcr_ratio"]
    )
    # A fresh model measured on the way in, and one logged without rows.
    with mlflow.start_run(experiment_id=store.experiment) as run:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PrivacyRiskWarning)
            log_model(synth, X=train, holdout=unseen)
    assert _card_of(run)["measures"]["membership_inference_roc_auc"] is not None
    with mlflow.start_run(experiment_id=store.experiment) as run:
        log_model(synth)
    assert _card_of(run)["risk"] == [NOT_MEASURED]
    tags = store.get_run(run.info.run_id).data.tags
    assert tags["skgan.release_risk"].startswith("not measured")


def test_log_fit_refuses_what_it_would_ignore(store, table):
    rng = np.random.RandomState(0)
    X, y = rng.randn(60, 3), np.r_[np.zeros(45, int), np.ones(15, int)]
    sampler = GANOverSampler(max_iter=4, batch_size=16, random_state=0)
    sampler.fit_resample(X, y)
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    with mlflow.start_run(experiment_id=store.experiment):
        # Both used to return {} without a word.
        with pytest.raises(ValueError, match="GANSynthesizer only"):
            log_fit(sampler, X)
        with pytest.raises(ValueError, match="pass X"):
            log_fit(synth, holdout=table)


@pytest.mark.parametrize("count", [1.5, np.nan, -2, "ten"])
def test_predict_refuses_a_count_that_is_not_whole(store, table, count):
    synth = GANSynthesizer(random_state=0, **SMALL).fit(table)
    with mlflow.start_run(experiment_id=store.experiment):
        info = log_model(synth)
    model = mlflow.pyfunc.load_model(info.model_uri)
    with pytest.raises(ValueError, match="whole number of rows"):
        model.predict(pd.DataFrame({"n_samples": [count]}, dtype=object))


def test_the_logged_requirements_install_from_the_index():
    from skgan.integrations.mlflow import _requirements

    pins = _requirements()
    assert any(p.startswith("torch") for p in pins)
    assert not any("+" in p for p in pins)


def test_a_series_model_is_logged_and_answers_windows(store, tmp_path):
    from skgan import GANSeriesSynthesizer

    rng = np.random.default_rng(0)
    price = 100 + np.cumsum(rng.normal(0, 1, 300))
    series = pd.DataFrame({"Low": price - 1, "High": price + 1})
    train, holdout = series.iloc[:220], series.iloc[220:]
    synth = GANSeriesSynthesizer(
        window_length=8, max_iter=10, batch_size=32, random_state=0
    ).fit(train)
    # The case that broke: log_model raised TypeError, log_fit returned {}.
    with mlflow.start_run(experiment_id=store.experiment) as run:
        logged = log_fit(synth, train, holdout=holdout)
        info = log_model(synth)
    assert {"detection_accuracy", "dcr_ratio"} <= set(logged)
    assert store.get_run(run.info.run_id).data.metrics["dcr_ratio"] == pytest.approx(
        logged["dcr_ratio"]
    )
    model = mlflow.pyfunc.load_model(info.model_uri)
    rows = model.predict(pd.DataFrame({"n_samples": [4], "random_state": [2]}))
    pd.testing.assert_frame_equal(rows, synth.sample(4, random_state=2))
    assert list(rows.columns) == ["window", "step", "Low", "High"]
    # The case that broke: every request numbered its windows from 0.
    rows = model.predict(pd.DataFrame({"n_samples": [2, 0, 3], "random_state": 2}))
    assert rows["window"].tolist() == np.repeat(np.arange(5), 8).tolist()
    # No windows, or no request: the columns without rows, not a pandas error.
    for request in ({"n_samples": [0]}, {"n_samples": []}):
        empty = model.predict(pd.DataFrame(request))
        assert list(empty.columns) == list(rows.columns) and len(empty) == 0
