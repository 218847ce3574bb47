"""DataFrame in, DataFrame out, same columns and dtypes."""

import numpy as np
import pandas as pd
import pytest
from pandas.api.types import is_integer_dtype

from skgan import GANOverSampler, WCGANOverSampler

SMALL = dict(max_iter=3, generator_dims=(16,), discriminator_dims=(16,), random_state=0)


@pytest.mark.parametrize("Sampler", [GANOverSampler, WCGANOverSampler])
def test_sampler_dataframe_in_dataframe_out_with_dtypes(Sampler):
    rng = np.random.RandomState(0)
    n = 120
    df = pd.DataFrame(
        {
            "amount": rng.lognormal(3, 1, n),
            "n_items": rng.randint(1, 20, n).astype(np.int64),
            "age": rng.randint(18, 90, n).astype(np.int32),
            "score": rng.rand(n).astype(np.float32),
            "is_new": rng.rand(n) > 0.5,
            "constant": np.full(n, 5, dtype=np.int16),
        }
    )
    y = pd.Series(np.r_[np.zeros(100, int), np.ones(20, int)], name="fraud")
    X_res, y_res = Sampler(**SMALL).fit_resample(df, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(df.columns)
    assert (X_res.dtypes == df.dtypes).all()
    assert y_res.name == "fraud"
    new = X_res.iloc[len(df) :]
    minority = df[y == 1]
    assert is_integer_dtype(new["n_items"])
    assert (
        new["n_items"]
        .between(minority["n_items"].min(), minority["n_items"].max())
        .all()
    )
    assert (new["constant"] == 5).all()
    assert set(new["is_new"].unique()) <= {True, False}


def test_sampler_float32_array_keeps_dtype():
    rng = np.random.RandomState(0)
    X = rng.randn(80, 4).astype(np.float32)
    y = np.r_[np.zeros(70, int), np.ones(10, int)]
    X_res, _ = GANOverSampler(**SMALL).fit_resample(X, y)
    assert X_res.dtype == np.float32
