import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import ndtr, ndtri

from skgan.preprocessing import NumericScaler


@pytest.mark.parametrize("method", ["quantile", "standard"])
def test_numeric_scaler_round_trip_is_exact(method, seed):
    rng = np.random.RandomState(seed)
    X = np.c_[rng.lognormal(size=200), rng.randint(0, 10, 200), np.full(200, 3.5)]
    scaler = NumericScaler(method=method).fit(X)
    assert_allclose(scaler.inverse_transform(scaler.transform(X)), X, atol=1e-9)


def test_numeric_scaler_quantile_output_is_standard_normal(seed):
    X = np.random.RandomState(seed).exponential(size=(2000, 1))
    Z = NumericScaler(method="quantile").fit_transform(X)
    assert abs(Z.mean()) < 0.05
    assert abs(Z.std() - 1) < 0.1


def test_numeric_scaler_constant_column_is_zero_and_restored():
    X = np.c_[np.arange(5.0), np.full(5, 7.0)]
    scaler = NumericScaler().fit(X)
    assert_array_equal(scaler.constant_mask_, [False, True])
    assert_array_equal(scaler.transform(X)[:, 1], 0.0)
    restored = scaler.inverse_transform(np.full((3, 2), 4.2))
    assert_array_equal(restored[:, 1], 7.0)


def test_numeric_scaler_integer_columns_are_rounded_not_truncated():
    X = np.c_[np.arange(10.0), np.linspace(0, 1, 10)]
    scaler = NumericScaler(method="standard").fit(X)
    assert_array_equal(scaler.integer_mask_, [True, False])
    # 2.7 on the original scale must come back as 3, not 2.
    z = (2.7 - scaler.scaler_.mean_[0]) / scaler.scaler_.scale_[0]
    restored = scaler.inverse_transform([[z, 0.0], [100.0, 0.0], [-100.0, 0.0]])
    assert_array_equal(restored[:, 0], [3.0, 9.0, 0.0])


def test_numeric_scaler_rejects_wrong_shapes():
    scaler = NumericScaler().fit(np.random.RandomState(0).randn(20, 3))
    with pytest.raises(ValueError, match="3 features"):
        scaler.transform(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"shape \(n_samples, 3\)"):
        scaler.inverse_transform(np.zeros((2, 4)))


def test_numeric_scaler_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        NumericScaler().fit([[1.0], [np.nan]])


@pytest.mark.parametrize("n_quantiles", [2, 37, 1000])
def test_numeric_scaler_quantile_inverse_matches_interpolation(n_quantiles, seed):
    # The vectorised inverse is np.interp of the normal CDF through the
    # quantile table, column by column.
    rng = np.random.RandomState(seed)
    X = np.c_[rng.lognormal(size=300), rng.randn(300), rng.exponential(size=300)]
    scaler = NumericScaler(n_quantiles=n_quantiles).fit(X)
    # Values far in both tails as well as inside the range.
    Z = np.r_[rng.randn(5000, 3) * 3, [[-40.0, 40.0, 0.0]]]
    refs, P = scaler.references_, ndtr(Z)
    expected = np.column_stack(
        [np.interp(P[:, j], refs, scaler.quantiles_[:, j]) for j in range(3)]
    )
    # Beyond the references the end segments continue linearly.
    for j, q in enumerate(scaler.quantiles_.T):
        low, high = P[:, j] < refs[0], P[:, j] > refs[-1]
        slope_low = (q[1] - q[0]) / (refs[1] - refs[0])
        slope_high = (q[-1] - q[-2]) / (refs[-1] - refs[-2])
        expected[low, j] = q[0] + (P[low, j] - refs[0]) * slope_low
        expected[high, j] = q[-1] + (P[high, j] - refs[-1]) * slope_high
        half_step = 0.5 * np.abs(np.r_[q[1] - q[0], q[-1] - q[-2]]) * 1.01
        out = scaler.inverse_transform(Z)[:, j]
        assert out.min() >= q[0] - half_step[0] and out.max() <= q[-1] + half_step[1]
    assert_allclose(scaler.inverse_transform(Z), expected, atol=1e-9)


@pytest.mark.parametrize("n_quantiles", [10, 1000])
def test_numeric_scaler_quantile_round_trip_keeps_extremes(n_quantiles, seed):
    # Fewer quantiles than rows: the minimum and maximum stay in the table.
    X = np.random.RandomState(seed).lognormal(size=(500, 2))
    scaler = NumericScaler(n_quantiles=n_quantiles).fit(X)
    assert_allclose(scaler.quantiles_[[0, -1]], [X.min(axis=0), X.max(axis=0)])
    if n_quantiles >= len(X):
        assert_allclose(scaler.inverse_transform(scaler.transform(X)), X)


def test_numeric_scaler_quantile_sends_ties_to_the_middle_of_their_mass():
    # 75% of the rows share the minimum: scikit-learn's QuantileTransformer
    # sends them all to z = -5.2; here they sit at the middle of their mass.
    X = np.r_[np.zeros(75), np.arange(1.0, 26.0)][:, None]
    scaler = NumericScaler().fit(X)
    Z = scaler.transform(X)
    assert_allclose(Z[:75], ndtri(0.375))
    # The largest value sits at its plotting position, not at a far bound.
    assert_allclose(Z.max(), ndtri(1 - 0.5 / 100))
    # Every z that the normal CDF puts inside the tied mass comes back as 0.
    inside = scaler.inverse_transform(np.linspace(-3, ndtri(0.745), 50)[:, None])
    assert_array_equal(inside, 0.0)
    assert_allclose(scaler.inverse_transform(Z), X)


def test_numeric_scaler_inverse_in_threads_matches_one_thread(seed):
    # More rows than one block: the blocks are inverted on torch's threads.
    import torch

    from skgan.preprocessing._numeric import _CHUNK

    rng = np.random.RandomState(seed)
    X = np.c_[rng.lognormal(size=500), rng.randint(0, 5, 500), np.full(500, 2.0)]
    scaler = NumericScaler().fit(X)
    Z = rng.randn(2 * _CHUNK + 17, 3).astype(np.float32)
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = scaler.inverse_transform(Z)
        torch.set_num_threads(2)
        two = scaler.inverse_transform(Z)
    finally:
        torch.set_num_threads(threads)
    assert_array_equal(one, two)
    P = ndtr(Z[:, 0].astype(np.float64))
    inside = (P >= scaler.references_[0]) & (P <= scaler.references_[-1])
    expected = np.interp(P[inside], scaler.references_, scaler.quantiles_[:, 0])
    assert_allclose(one[inside, 0], expected)
    assert_array_equal(one[:, 2], 2.0)


def test_numeric_scaler_keeps_each_columns_decimals():
    # The case that broke: lengths measured to 0.1 mm came back with about
    # 14 decimals, which tells generated rows from real ones.
    rng = np.random.RandomState(0)
    X = np.c_[
        np.round(rng.normal(44, 5, 300), 1),
        np.round(rng.gamma(2, 3, 300), 3),
        rng.normal(size=300),
        rng.randint(0, 50, 300),
    ]
    scaler = NumericScaler().fit(X)
    assert scaler.decimals_.tolist() == [1, 3, -1, 0]
    out = scaler.inverse_transform(rng.randn(5000, 4) * 1.5)
    assert_allclose(out[:, 0], np.round(out[:, 0], 1), rtol=0, atol=1e-9)
    assert_allclose(out[:, 1], np.round(out[:, 1], 3), rtol=0, atol=1e-9)
    # Full-precision data is left as it comes.
    assert np.mean(np.abs(out[:, 2] - np.round(out[:, 2], 6)) > 1e-12) > 0.9
    assert_allclose(out[:, 3], np.round(out[:, 3]))
