"""scikit-learn's and imbalanced-learn's estimator check suites on every sampler."""

import pytest
from imblearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_param_validation,
)
from imblearn.utils.estimator_checks import (
    parametrize_with_checks as parametrize_with_imblearn_checks,
)
from sklearn.utils.estimator_checks import parametrize_with_checks

from skgan import GANOverSampler, WCGANOverSampler

# Small networks and few epochs: the suites test the contract, not quality.
INIT_PARAMS = dict(
    epochs=2,
    batch_size=32,
    latent_dim=4,
    generator_dims=(8,),
    discriminator_dims=(8,),
    random_state=0,
)

ESTIMATORS = [
    GANOverSampler(**INIT_PARAMS),
    GANOverSampler(loss="wgan-gp", conditional=True, **INIT_PARAMS),
    WCGANOverSampler(**INIT_PARAMS),
    WCGANOverSampler(n_clusters=2, **INIT_PARAMS),
]


def expected_failed_checks(estimator):
    return {
        "check_samplers_pandas_sparse": (
            "GAN samplers need dense input; sparse DataFrames get a TypeError "
            "that says how to densify them (tested in the sampler tests)"
        ),
    }


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_checks(estimator, check):
    check(estimator)


@parametrize_with_imblearn_checks(
    ESTIMATORS, expected_failed_checks=expected_failed_checks
)
def test_imblearn_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_dataframe_column_names_consistency(estimator):
    check_dataframe_column_names_consistency(type(estimator).__name__, estimator)
