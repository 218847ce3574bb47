"""Mixed-type DataFrames (categories, text, missing values) through the samplers."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.preprocessing import OneHotEncoder
from xgboost import XGBClassifier

from skgan import GANOverSampler, WCGANOverSampler

SMALL = dict(
    max_iter=3,
    batch_size=32,
    latent_dim=4,
    generator_dims=(16,),
    discriminator_dims=(16,),
)


@pytest.fixture
def mixed(seed):
    rng = np.random.default_rng(seed)
    n = 160
    y = (np.arange(n) < 24).astype(int)
    X = pd.DataFrame(
        {
            # The minority lives on two islands only.
            "island": np.where(
                y == 1,
                rng.choice(["Dream", "Biscoe"], n),
                rng.choice(["A", "B", "C"], n),
            ),
            "mass": np.where(np.arange(n) % 9 == 0, np.nan, rng.normal(4, 1, n) + y),
            "year": rng.integers(2007, 2010, n),
            "tagged": pd.Categorical(rng.choice(["yes", "no"], n)),
        }
    )
    return X, pd.Series(y, name="Class")


@pytest.mark.parametrize("sampler", [GANOverSampler, WCGANOverSampler])
def test_mixed_frame_keeps_columns_dtypes_and_rows(mixed, sampler):
    X, y = mixed
    X_res, y_res = sampler(random_state=0, **SMALL).fit_resample(X, y)
    assert list(X_res.columns) == list(X.columns)
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    assert y_res.value_counts().tolist() == [136, 136]
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    new = X_res.iloc[len(X) :]
    assert set(new["island"]) <= set(X["island"])
    assert set(new["tagged"]) <= {"yes", "no"}
    assert new["year"].between(2007, 2009).all()


def test_mixed_frame_per_class_model_keeps_the_class_categories(mixed):
    X, y = mixed
    X_res, _ = GANOverSampler(random_state=0, **SMALL).fit_resample(X, y)
    # One model per class: the minority's rows come from its own islands.
    assert set(X_res.iloc[len(X) :]["island"]) <= {"Dream", "Biscoe"}


def test_mixed_frame_in_a_pipeline_with_xgboost(mixed):
    X, y = mixed
    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore"),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    pipe = Pipeline(
        [
            ("gan", WCGANOverSampler(random_state=0, **SMALL)),
            ("encode", encode),
            ("clf", XGBClassifier(n_estimators=20, random_state=0)),
        ]
    )
    pipe.fit(X, y)
    proba = pipe.predict_proba(X)[:, 1]
    assert proba.shape == (len(X),) and np.all((proba >= 0) & (proba <= 1))


@pytest.mark.parametrize("Sampler", [GANOverSampler, WCGANOverSampler])
def test_samplers_keep_the_best_generator_on_mixed_frames(Sampler, mixed):
    # The measurements decode generated rows through the table's encoding.
    X, y = mixed
    sampler = Sampler(validation_fraction=0.25, eval_every=1, random_state=0, **SMALL)
    X_res, _ = sampler.fit_resample(X, y)
    history = sampler.history_
    aucs = [h["detection_roc_auc"] for h in history]
    assert len(aucs) == len(history) and all(0 <= a <= 1 for a in aucs)
    assert set(X_res["island"][len(X) :]) <= set(X["island"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_wcgan_draws_only_what_each_class_shows(seed):
    # The case that broke: with one encoding for all classes, new minority
    # rows sat on islands no minority row lives on, with missing values the
    # minority never has. Each class now draws only its own categories and
    # observed / missing states (checked with a barely trained generator,
    # which would otherwise draw them all).
    rng = np.random.default_rng(seed)
    n = 200
    y = (np.arange(n) < 25).astype(int)
    X = pd.DataFrame(
        {
            "island": np.where(y == 1, "Biscoe", rng.choice(["Dream", "Torgersen"], n)),
            "mass": np.where(
                (np.arange(n) % 7 == 0) & (y == 0), np.nan, rng.normal(size=n)
            ),
            "sex": np.where(
                y == 1, rng.choice(["f", "m"], n), rng.choice(["f", "m"], n)
            ),
        }
    )
    sampler = WCGANOverSampler(random_state=seed, **SMALL)
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res.iloc[len(X) :]
    assert len(new) == 150 and (y_res[len(X) :] == 1).all()
    assert (new["island"] == "Biscoe").all()
    assert not new["mass"].isna().any()
    assert set(new["sex"]) <= {"f", "m"}
