"""Figures of real vs synthetic data and of training (needs matplotlib).

Each function returns a :class:`matplotlib.figure.Figure` built without
pyplot, so it works headless; show it in a notebook or save it with
``fig.savefig(path)``.
"""

from ._figures import (
    plot_correlations,
    plot_history,
    plot_marginals,
    plot_pair_trends,
    plot_pca,
)
from ._series import plot_autocorrelation, plot_windows, plot_windows_embedding

__all__ = [
    "plot_autocorrelation",
    "plot_correlations",
    "plot_history",
    "plot_marginals",
    "plot_pair_trends",
    "plot_pca",
    "plot_windows",
    "plot_windows_embedding",
]
