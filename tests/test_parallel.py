"""Model selection in parallel: joblib's processes and a dask cluster."""

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from joblib import parallel_config
from numpy.testing import assert_array_equal
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from xgboost import XGBClassifier

from skgan import WCGANOverSampler
from skgan.datasets import load_imbalanced_breast_cancer


def _search(n_jobs):
    sampler = WCGANOverSampler(
        max_iter=20, generator_dims=(16,), discriminator_dims=(16,), random_state=0
    )
    clf = XGBClassifier(n_estimators=20, max_depth=3, n_jobs=1, random_state=0)
    return GridSearchCV(
        Pipeline([("gan", sampler), ("clf", clf)]),
        {"gan__sampling_strategy": [0.5, 1.0]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="average_precision",
        n_jobs=n_jobs,
        error_score="raise",
    )


@pytest.fixture(scope="module")
def data():
    return load_imbalanced_breast_cancer(random_state=0)


@pytest.fixture(scope="module")
def serial_scores(data):
    search = _search(1).fit(*data)
    return search.cv_results_["split0_test_score"], search.cv_results_[
        "mean_test_score"
    ]


def test_gridsearch_scores_are_the_same_in_worker_processes(data, serial_scores):
    # Workers and the parent both train on one torch thread by default, so
    # the arithmetic, and the scores, are the same.
    search = _search(2).fit(*data)
    assert_array_equal(search.cv_results_["split0_test_score"], serial_scores[0])
    assert_array_equal(search.cv_results_["mean_test_score"], serial_scores[1])
    # The refitted sampler came back from a worker without a thread setting
    # or a device of its own: it samples in this process.
    assert np.isfinite(search.best_estimator_.predict_proba(data[0])).all()


def test_gridsearch_on_a_dask_cluster_gives_the_same_scores(data, serial_scores):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        parallel_config(backend="dask"),
    ):
        search = _search(-1).fit(*data)
    assert_array_equal(search.cv_results_["split0_test_score"], serial_scores[0])
    assert_array_equal(search.cv_results_["mean_test_score"], serial_scores[1])
