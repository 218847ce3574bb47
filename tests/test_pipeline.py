"""The samplers inside real imbalanced-learn pipelines with real XGBoost."""

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from xgboost import XGBClassifier

from skgan import GANOverSampler, WCGANOverSampler
from skgan.datasets import load_imbalanced_breast_cancer

SMALL = dict(generator_dims=(16,), discriminator_dims=(16,), random_state=0)


def _xgb():
    return XGBClassifier(n_estimators=20, max_depth=3, n_jobs=1, random_state=0)


def test_pipeline_gridsearch_over_sampler_parameters_in_parallel():
    X, y = load_imbalanced_breast_cancer(random_state=0)
    pipe = Pipeline([("gan", WCGANOverSampler(max_iter=2, **SMALL)), ("clf", _xgb())])
    search = GridSearchCV(
        pipe,
        {"gan__max_iter": [2, 4], "gan__sampling_strategy": [0.5, 1.0]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="average_precision",
        n_jobs=2,
        error_score="raise",
    )
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_score_ > 0.5
    # Refit on the whole data: predict on raw rows, the sampler is skipped.
    assert search.predict_proba(X).shape == (len(X), 2)


@pytest.mark.parametrize(
    "sampler",
    [
        GANOverSampler(max_iter=2, **SMALL),
        GANOverSampler(loss="wgan-gp", max_iter=2, **SMALL),
    ],
    ids=["GAN", "WGAN-GP"],
)
def test_pipeline_cross_val_score_with_dataframes(sampler):
    X, y = load_imbalanced_breast_cancer(random_state=0, as_frame=True)
    pipe = Pipeline([("sampler", sampler), ("clf", _xgb())])
    scores = cross_val_score(pipe, X, y, cv=3, scoring="roc_auc")
    assert np.all(scores > 0.8)
