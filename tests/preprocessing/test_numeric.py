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
    back = scaler.inverse_transform(scaler.transform(X))
    # Exact inside the released range; a column's extremes that occur once
    # come back inside it, next to the range's ends, never as themselves.
    inside = (X >= scaler.range_min_) & (X <= scaler.range_max_)
    assert_allclose(back[inside], X[inside], atol=1e-9)
    assert (~inside).sum() == 2
    assert np.all(back >= scaler.range_min_) and np.all(back <= scaler.range_max_)
    assert not np.isin(back[~inside], X).any()


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
    # Far values stop at the range's ends, 0.5 and 8.5, and round to even:
    # 9, which occurs once, is never replayed from a stored bound.
    assert_array_equal(scaler.range_min_, [0.5, (0 + 1 / 9) / 2])
    assert_array_equal(restored[:, 0], [3.0, 8.0, 0.0])


def test_numeric_scaler_rejects_wrong_shapes():
    scaler = NumericScaler().fit(np.random.RandomState(0).randn(20, 3))
    with pytest.raises(ValueError, match="3 features"):
        scaler.transform(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"shape \(n_samples, 3\)"):
        scaler.inverse_transform(np.zeros((2, 4)))


def test_numeric_scaler_ignores_nan_in_fit_and_keeps_it():
    # As scikit-learn's scalers: NaN is left out of what is learnt and passed
    # through; a column without an observed value is refused by name.
    X = np.c_[[1.0, np.nan, 3.0, 3.0, 5.0], [2.0, 2.0, np.nan, 2.0, 2.0]]
    scaler = NumericScaler().fit(X)
    assert_array_equal(scaler.constant_mask_, [False, True])
    assert_array_equal(scaler.range_min_, [2.0, 2.0])
    Z = scaler.transform(X)
    assert_array_equal(np.isnan(Z), np.isnan(X))
    with pytest.raises(ValueError, match=r"column\(s\) \[1\].*no observed value"):
        NumericScaler().fit(np.c_[[1.0, 2.0], [np.nan, np.nan]])


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
    # np.interp stops at the table's ends, and so does the inverse.
    expected = np.column_stack(
        [np.interp(P[:, j], refs, scaler.quantiles_[:, j]) for j in range(3)]
    )
    assert_allclose(scaler.inverse_transform(Z), expected, atol=1e-9)
    assert_array_equal(scaler.inverse_transform(Z).min(axis=0), scaler.range_min_)


@pytest.mark.parametrize("n_quantiles", [10, 150, 1000])
def test_numeric_scaler_stores_no_value_that_occurs_once(n_quantiles, seed):
    # A lognormal column (every value once), a rounded one (many repeats,
    # some values once) and counts: the table and the bounds, which an export
    # carries, hold a training value only where it occurs at least twice.
    rng = np.random.RandomState(seed)
    X = np.c_[rng.lognormal(size=300), rng.randn(300).round(1), rng.poisson(3, 300)]
    scaler = NumericScaler(n_quantiles=n_quantiles).fit(X)
    # At most one entry per two rows (micro-aggregation).
    assert len(scaler.quantiles_) == min(n_quantiles, 150)
    for j in range(3):
        values, counts = np.unique(X[:, j], return_counts=True)
        once = values[counts == 1]
        ends = [scaler.range_min_[j], scaler.range_max_[j]]
        stored = np.r_[scaler.quantiles_[:, j], ends]
        assert not np.isin(stored, once).any()
        assert np.all(np.diff(scaler.quantiles_[:, j]) >= 0)
        low, high = np.sort(X[:, j])[[0, 1]], np.sort(X[:, j])[[-2, -1]]
        assert scaler.range_min_[j] == low.mean()
        assert scaler.range_max_[j] == high.mean()
    # Generated values keep to the observed range.
    out = scaler.inverse_transform(rng.randn(20_000, 3) * 2)
    assert np.all(out >= X.min(axis=0)) and np.all(out <= X.max(axis=0))


def test_numeric_scaler_quantile_sends_ties_to_the_middle_of_their_mass():
    # 75% of the rows share the minimum: scikit-learn's QuantileTransformer
    # sends them all to z = -5.2; here they sit at the middle of their mass.
    X = np.r_[np.zeros(75), np.arange(1.0, 26.0)][:, None]
    scaler = NumericScaler().fit(X)
    Z = scaler.transform(X)
    # One table entry per two rows: the mass is found to within a step.
    assert_array_equal(Z[:75, 0], Z[0, 0])
    assert abs(ndtr(Z[0, 0]) - 0.375) < 0.02
    # The largest value sits an eighth of a step inside 1, not at a far bound.
    assert_allclose(Z.max(), ndtri(1 - 0.125 / 49))
    # Every z that the normal CDF puts inside the tied mass comes back as 0.
    inside = scaler.inverse_transform(np.linspace(-3, ndtri(0.72), 50)[:, None])
    assert_array_equal(inside, 0.0)
    # The maximum, 25, occurs once: it comes back as the range's end 24.5,
    # rounded (to even) to 24.
    expected = X.copy()
    expected[-1] = 24.0
    assert_allclose(scaler.inverse_transform(Z), expected)


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
    expected = np.interp(P, scaler.references_, scaler.quantiles_[:, 0])
    assert_allclose(one[:, 0], expected)
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


def test_numeric_scaler_a_few_odd_values_do_not_set_a_columns_precision():
    # The case that broke: Beijing's temperatures are whole degrees but for
    # two imputed values of 9.333333333 among 37,581, and came back with
    # 10,000 distinct values for 64.
    rng = np.random.RandomState(0)
    temperature = rng.randint(-19, 42, 5000).astype(float)
    temperature[[3, 70]] = [9.333333333, 14.66666667]
    ratio = np.round(rng.normal(1, 0.1, 5000), 2)
    ratio[:20] = rng.normal(1, 0.1, 20)  # 0.4% odd values: more than a thousandth
    scaler = NumericScaler().fit(np.c_[temperature, ratio])
    assert scaler.decimals_.tolist() == [0, -1]
    assert not scaler.integer_mask_[0]
    out = scaler.inverse_transform(rng.randn(5000, 2))
    assert_array_equal(out[:, 0], np.round(out[:, 0]))
    assert len(np.unique(out[:, 0])) <= 61
