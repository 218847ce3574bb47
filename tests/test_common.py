"""scikit-learn's and imbalanced-learn's estimator check suites on every estimator."""

import pytest
from imblearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_param_validation,
)
from imblearn.utils.estimator_checks import (
    parametrize_with_checks as parametrize_with_imblearn_checks,
)
from sklearn.utils.estimator_checks import parametrize_with_checks

from skgan import (
    GANAnomalyDetector,
    GANOverSampler,
    GANSynthesizer,
    WCGANOverSampler,
)
from skgan.preprocessing import TabularTransformer

# Small networks and few updates: the suites test the contract, not quality.
INIT_PARAMS = dict(
    max_iter=2,
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
    if isinstance(estimator, GANAnomalyDetector):
        return {}
    return {
        "check_samplers_pandas_sparse": (
            "GAN samplers need dense input; sparse DataFrames get a TypeError "
            "that says how to densify them (tested in the sampler tests)"
        ),
    }


DETECTORS = [
    GANAnomalyDetector(
        epochs=2,
        encoder_epochs=2,
        batch_size=32,
        latent_dim=4,
        generator_dims=(8,),
        discriminator_dims=(8,),
        random_state=0,
    ),
    GANAnomalyDetector(
        anomaly_score="discriminator",
        contamination=0.1,
        epochs=2,
        encoder_epochs=2,
        batch_size=32,
        latent_dim=4,
        generator_dims=(8,),
        discriminator_dims=(8,),
        random_state=0,
    ),
]


# The synthesizer trains by passes over the rows.
SYNTHESIS_PARAMS = {
    **{k: v for k, v in INIT_PARAMS.items() if k != "max_iter"},
    "epochs": 2,
}

SYNTHESIS = [
    GANSynthesizer(pac=1, **SYNTHESIS_PARAMS),
    GANSynthesizer(loss="wgan-gp", pac=2, numeric="gmm", **SYNTHESIS_PARAMS),
    TabularTransformer(random_state=0),
]


@parametrize_with_checks(
    ESTIMATORS + DETECTORS + SYNTHESIS, expected_failed_checks=expected_failed_checks
)
def test_sklearn_checks(estimator, check):
    check(estimator)


# imbalanced-learn hands pytest a generator of checks, which pytest deprecates:
# the same marker with the checks as a list.
_imblearn = parametrize_with_imblearn_checks(
    ESTIMATORS, expected_failed_checks=expected_failed_checks
).mark
_names, _checks = _imblearn.args


@pytest.mark.parametrize(_names, list(_checks), **_imblearn.kwargs)
def test_imblearn_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_dataframe_column_names_consistency(estimator):
    check_dataframe_column_names_consistency(type(estimator).__name__, estimator)
