"""A Gaussian mixture of the windows' levels: ``level_model="mixture"``.

Each window's level (its mean per channel) is drawn from a mixture fitted to
the training windows' levels (standardised per channel, full covariances,
the number of components by BIC) instead of the generator's own, and the
generated movement is put on it. Where many channels move together (eight
exchange rates) the generator's levels miss their joint law, and a model
that predicts one rate from the others learns the wrong relation
(``benchmarks/results/series_levels_2026-12-03.md``).

The mixture is kept as plain arrays (``center``, ``scale``, ``weights``,
``means``, ``cholesky``), which an export stores as they are.
"""

import numpy as np
from scipy.special import ndtr
from sklearn.mixture import GaussianMixture

#: Components tried (BIC picks one), each with at least this many windows.
COMPONENTS, WINDOWS_PER_COMPONENT = (1, 8, 16, 32, 64), 10
MIXTURE_ARRAYS = ("center", "scale", "weights", "means", "cholesky")


def fit_level_mixture(windows, seed):
    """The mixture of the windows' levels, as arrays.

    Parameters
    ----------
    windows : ndarray of shape (n_windows, window_length, n_features)
        Training windows.
    seed : int
        Seeds the mixtures' initialisation.

    Returns
    -------
    mixture : dict of ndarray
        ``center`` and ``scale`` of the levels, then the mixture (of the
        standardised levels) with the fewest BIC: component ``weights``,
        ``means`` and the Cholesky factors of the covariances.
    """
    levels = windows.mean(axis=1)
    center, scale = levels.mean(axis=0), levels.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    z = (levels - center) / scale
    tried = [
        GaussianMixture(k, covariance_type="full", random_state=seed).fit(z)
        for k in COMPONENTS
        if k == 1 or k * WINDOWS_PER_COMPONENT <= len(z)
    ]
    best = min(tried, key=lambda mixture: mixture.bic(z))
    return {
        "center": center,
        "scale": scale,
        "weights": best.weights_,
        "means": best.means_,
        "cholesky": np.linalg.cholesky(best.covariances_),
    }


def on_levels(windows, levels):
    """The windows' movements (about their own means) put on ``levels``.

    Parameters
    ----------
    windows : ndarray of shape (n_windows, window_length, n_features)
        Windows whose movement is kept.
    levels : ndarray of shape (n_windows, n_features)
        Each window's new mean per channel.

    Returns
    -------
    windows : ndarray of shape (n_windows, window_length, n_features)
        New windows.
    """
    return windows - windows.mean(axis=1, keepdims=True) + levels[:, None, :]


def draw_levels(mixture, n, rng):
    """``n`` levels drawn from ``mixture`` with the ``RandomState`` ``rng``.

    Each level takes one row of draws (its component's, then its noise), so
    the first levels are the same whatever ``n``.
    """
    weights = mixture["weights"] / mixture["weights"].sum()
    draws = rng.standard_normal((n, 1 + mixture["means"].shape[1]))
    component = np.searchsorted(np.cumsum(weights), ndtr(draws[:, 0]), side="right")
    component = np.minimum(component, len(weights) - 1)
    noise = draws[:, 1:]
    z = mixture["means"][component] + np.einsum(
        "nij,nj->ni", mixture["cholesky"][component], noise
    )
    return z * mixture["scale"] + mixture["center"]
