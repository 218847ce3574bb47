"""Margin calibration of generated windows: each channel's step changes and level.

The series counterpart of :mod:`skgan.nn._calibration`. After training,
windows drawn from the generator are compared with the training windows,
channel by channel, on the two margins the strong judge of protocol 5 reads
first (``benchmarks/results/series_diagnosis_rotated_2026-12-02.md``):

- the step-to-step changes (pooled over the steps): their spread, their
  tails, a pegged rate's point mass of exactly no change;
- the level (each window's mean).

Each gets a monotone map from the generator's quantiles to the data's.
Sampling then moves every change and every level through its map and
rebuilds the window from its first value: a monotone map keeps every rank,
so a calm stretch stays the calmest, the largest move the largest, and the
order of the moves within the window is the generator's.

The data's knots are inner quantiles (the ends extend the innermost knots
by the generator's own excess), so no extreme training value is stored.
"""

import numpy as np

from ..nn._calibration import KNOTS, LEVELS, MarginMaps, draw_knots
from ._series_levels import on_levels

#: Windows drawn to fit the maps: as many as the training windows, within
#: these bounds (the level's map needs more draws than knots).
MIN_DRAWS, MAX_DRAWS = 2_000, 10_000
#: At most this many values drawn (wide, long windows draw fewer windows,
#: about 160 MB a copy), but never fewer windows than ``FEWEST_DRAWS``.
MAX_VALUES, FEWEST_DRAWS = 20_000_000, 4 * KNOTS


def calibration_windows(n_windows, values_per_window=1):
    """Windows drawn to calibrate a model of ``n_windows`` training windows.

    Parameters
    ----------
    n_windows : int
        Training windows (of the class).
    values_per_window : int, default=1
        What the generator writes per window (steps times its outputs).

    Returns
    -------
    n_draws : int
        As many as ``n_windows`` within ``MIN_DRAWS`` and ``MAX_DRAWS``,
        fewer where they would hold over ``MAX_VALUES`` values.
    """
    wanted = min(MAX_DRAWS, max(MIN_DRAWS, n_windows))
    return int(min(wanted, max(FEWEST_DRAWS, MAX_VALUES // values_per_window)))


def fit_window_maps(real, generated):
    """The maps of each channel's changes and level.

    Parameters
    ----------
    real : ndarray of shape (n_windows, window_length, n_channels)
        Training windows.
    generated : ndarray of shape (n_draws, window_length, n_channels)
        Windows drawn from the trained generator, in the same units.

    Returns
    -------
    maps : tuple of MarginMaps
        The changes' maps and the levels' maps (one column per channel).
    """
    return (
        _maps(_changes(generated), _changes(real)),
        _maps(generated.mean(axis=1), real.mean(axis=1)),
    )


def apply_window_maps(windows, maps):
    """Windows with each channel's changes and level moved through ``maps``.

    Parameters
    ----------
    windows : ndarray of shape (n_windows, window_length, n_channels)
        Generated windows.
    maps : tuple of MarginMaps
        From :func:`fit_window_maps`.

    Returns
    -------
    windows : ndarray of shape (n_windows, window_length, n_channels)
        New windows: the mapped changes summed from the first step, recentred
        on the mapped level.
    """
    n, length, channels = windows.shape
    changes_map, levels_map = maps
    changes = changes_map.apply(_changes(windows)).reshape(n, length - 1, channels)
    levels = levels_map.apply(windows.mean(axis=1))
    out = np.zeros_like(windows)
    np.cumsum(changes, axis=1, out=out[:, 1:])
    return on_levels(out, levels)


def _changes(windows):
    """Step-to-step changes of every window, a row per step, a column per channel."""
    return np.diff(windows, axis=1).reshape(-1, windows.shape[2])


def _maps(drawn, target):
    """Monotone maps of ``drawn``'s columns onto ``target``'s quantiles."""
    z_from = draw_knots(drawn)
    z_to = np.empty_like(z_from)
    z_to[1:-1] = np.quantile(target, LEVELS[1:-1], axis=0)
    # Past the innermost knots the generator's own excess carries on.
    z_to[0] = z_to[1] - (z_from[1] - z_from[0])
    z_to[-1] = z_to[-2] + (z_from[-1] - z_from[-2])
    return MarginMaps(np.arange(drawn.shape[1]), z_from, z_to)
