"""Bad input gets a clear error, and nothing half-trained is left behind."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from skgan import GANOverSampler, WCGANOverSampler
from skgan.exceptions import TrainingDivergedError

SMALL = dict(max_iter=2, generator_dims=(8,), discriminator_dims=(8,), random_state=0)
SAMPLERS = [GANOverSampler, WCGANOverSampler]


@pytest.fixture(params=SAMPLERS, ids=lambda c: c.__name__)
def sampler(request):
    return request.param(**SMALL)


def _xy(n=60, d=3, n_minority=10):
    rng = np.random.RandomState(0)
    return rng.randn(n, d), np.r_[
        np.zeros(n - n_minority, int), np.ones(n_minority, int)
    ]


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_sampler_rejects_infinity(sampler, bad):
    X, y = _xy()
    X[3, 1] = bad
    with pytest.raises(ValueError, match="infinity"):
        sampler.fit_resample(X, y)
    assert not hasattr(sampler, "sampling_strategy_")


def test_sampler_learns_missing_values_of_a_numeric_array(sampler):
    # One rule for NaN: a missing value, learnt and generated, in arrays as in
    # DataFrames (a numeric array with a few NaN used to be refused while the
    # same table with one string column was accepted).
    X, y = _xy()
    minority = np.flatnonzero(y == 1)
    X[minority[::2], 0] = np.nan
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(X_res, np.ndarray) and X_res.dtype == np.float64
    np.testing.assert_array_equal(X_res[: len(X)], X)
    new = X_res[len(X) :]
    assert np.isnan(new[:, 0]).any() and not np.isnan(new[:, 1:]).any()


def test_sampler_rejects_a_class_with_one_row(sampler):
    X, y = _xy(n_minority=1)
    with pytest.raises(ValueError, match="class 1 has 1 row.*at least 2 rows"):
        sampler.fit_resample(X, y)
    # Nothing half-trained is left behind.
    assert not [a for a in vars(sampler) if a.endswith("_")]


@pytest.mark.parametrize("n_minority", [2, 3])
def test_sampler_warns_that_a_class_of_two_or_three_rows_is_interpolated(
    sampler, n_minority
):
    # The case that broke: 98 rows of a 2-row class, all on its midpoint,
    # without a word.
    X, y = _xy(n_minority=n_minority)
    with pytest.warns(UserWarning, match=f"class 1 has {n_minority} rows.*SMOTE"):
        sampler.fit_resample(X, y)


def test_sampler_warns_of_more_sub_clusters_than_rows(sampler):
    X, y = _xy(n_minority=2)
    params = {"n_clusters": 5}
    if isinstance(sampler, GANOverSampler):
        params["conditional"] = True
    sampler.set_params(**params)
    with pytest.warns(UserWarning, match="n_clusters=5 is more than the 2 distinct"):
        sampler.fit_resample(X, y)


def test_sampler_rejects_a_single_class(sampler):
    X, _ = _xy()
    with pytest.raises(ValueError, match="one class"):
        sampler.fit_resample(X, np.zeros(len(X), int))


def test_sampler_rejects_sparse_input(sampler):
    X, y = _xy()
    with pytest.raises(TypeError, match=r"dense input.*toarray"):
        sampler.fit_resample(sparse.csr_matrix(X), y)
    X_sparse = pd.DataFrame(X).astype(pd.SparseDtype(float, 0.0))
    with pytest.raises(TypeError, match="sparse"):
        sampler.fit_resample(X_sparse, y)


def test_sampler_rejects_object_arrays_but_takes_mixed_frames(sampler):
    X, y = _xy()
    df = pd.DataFrame(X, columns=["a", "b", "c"]).assign(city="Paris")
    # A DataFrame says which columns are categories (tests/over_sampling/
    # test_mixed.py); an object array does not.
    with pytest.raises(TypeError, match="not numbers.*as a pandas DataFrame"):
        sampler.fit_resample(np.asarray(df, dtype=object), y)
    X_res, _ = sampler.fit_resample(df, y)
    assert (X_res["city"] == "Paris").all()


def test_sampler_rejects_wrong_number_of_features(sampler):
    X, y = _xy()
    with pytest.raises(ValueError, match="0 feature"):
        sampler.fit_resample(X[:, :0], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        sampler.fit_resample(X, y[:-1])


def test_sampler_rejects_bad_parameters(sampler):
    X, y = _xy()
    with pytest.raises(ValueError, match="max_iter"):
        sampler.set_params(max_iter=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="generator_dims must be a non-empty tuple"):
        sampler.set_params(max_iter=2, generator_dims=(8, -1)).fit_resample(X, y)
    with pytest.raises(ValueError, match="device"):
        sampler.set_params(generator_dims=(8,), device="tpu").fit_resample(X, y)


def test_sampler_diverging_run_stops_with_clear_error(sampler):
    X, y = _xy()
    sampler.set_params(generator_lr=1e30, discriminator_lr=1e30, max_iter=5)
    with pytest.raises(TrainingDivergedError, match="diverged|non-finite"):
        sampler.fit_resample(X * 1e30, y)
    assert not hasattr(sampler, "sampling_strategy_")
