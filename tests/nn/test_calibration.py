import pickle

import numpy as np

from skgan.nn._calibration import MarginMaps


def test_margin_maps_read_off_their_table_as_np_interp_does():
    # Knots as a calibration makes them: quantiles of 20,000 draws of a
    # generator whose numbers are too wide, sent to the normal's.
    rng = np.random.default_rng(0)
    levels = np.r_[0.0, (np.arange(512) + 0.5) / 512, 1.0]
    draws = rng.normal(0.3, 1.6, size=(20_000, 3)) ** np.array([1, 1, 3])
    z_from = np.quantile(draws, levels, axis=0)
    z_to = np.quantile(rng.normal(size=200_000), levels)[:, None].repeat(3, axis=1)
    maps = MarginMaps([0, 2, 3], z_from, z_to)
    Z = rng.normal(0.3, 1.6, size=(8192, 5)).astype(np.float32)
    Z[:2, 0] = [-50, 50]  # beyond the knots (the engine refuses non-finite rows)
    expected = Z.astype(np.float64)
    for i, c in enumerate(maps.columns):
        expected[:, c] = np.interp(expected[:, c], z_from[:, i], z_to[:, i])
    out = maps.apply(Z.copy())
    assert np.array_equal(out[:, [1, 4]], Z[:, [1, 4]])  # other columns untouched
    np.testing.assert_allclose(out, expected, atol=2e-3)
    # The cubed column's outliers stretch the table's steps: read exactly.
    assert maps._lookup[-1].tolist() == [2]
    assert out[0, 0] == np.float32(z_to[0, 0]) and out[1, 0] == np.float32(z_to[-1, 0])
    # The lookup table is rebuilt after pickling, not stored.
    again = pickle.loads(pickle.dumps(maps))
    assert again._lookup is None
    assert np.array_equal(again.apply(Z.copy()), out)
