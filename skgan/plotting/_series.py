"""Figures comparing real and synthetic windows of a series."""

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

from ..metrics._series import _acf, _check_windows
from ._figures import REAL_COLOR, SYNTHETIC_COLOR, _figure

#: Most channels drawn by :func:`plot_windows` and :func:`plot_autocorrelation`.
MAX_CHANNELS = 6


def _pair(real, synthetic):
    real = _check_windows("real", real)
    return real, _check_windows("synthetic", synthetic, real)


def plot_windows(real, synthetic, *, n_windows=5, random_state=0):
    """A few real and synthetic windows, one panel per channel.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_windows, window_length, n_features)
        Windows of the same shape.
    n_windows : int, default=5
        Windows drawn from each side (a random subset).
    random_state : int, default=0
        Seeds the subset.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The first six channels (at most), real windows on the left and
        synthetic ones on the right, on shared axes.
    """
    real, synthetic = _pair(real, synthetic)
    rng = np.random.default_rng(random_state)
    n_channels = min(real.shape[2], MAX_CHANNELS)
    fig = _figure(figsize=(8, 1.8 * n_channels + 0.6))
    axes = np.asarray(fig.subplots(n_channels, 2, sharex=True, sharey="row"))
    axes = axes.reshape(n_channels, 2)
    for column, (label, windows, color) in enumerate(
        (("real", real, REAL_COLOR), ("synthetic", synthetic, SYNTHETIC_COLOR))
    ):
        chosen = rng.permutation(len(windows))[:n_windows]
        for channel in range(n_channels):
            ax = axes[channel, column]
            ax.plot(windows[chosen, :, channel].T, color=color, alpha=0.7, lw=1)
            if channel == 0:
                ax.set_title(f"{label} windows")
            if column == 0:
                ax.set_ylabel(f"channel {channel}")
        axes[-1, column].set_xlabel("time step")
    return fig


def plot_windows_embedding(
    real, synthetic, *, method="pca", max_points=1000, random_state=0
):
    """Real and synthetic windows, flattened, in two dimensions.

    TimeGAN's visual check: a generator that covers the data puts its
    windows over the real ones.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_windows, window_length, n_features)
        Windows of the same shape.
    method : {"pca", "tsne"}, default="pca"
        Principal components fitted on the real windows, or a t-SNE of both
        sides together (slower; the axes carry no meaning).
    max_points : int, default=1000
        At most this many windows of each side (a random subset).
    random_state : int, default=0
        Seeds the subset and the t-SNE.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The scatter plot.
    """
    if method not in ("pca", "tsne"):
        raise ValueError(f"method must be 'pca' or 'tsne'; got {method!r}.")
    real, synthetic = _pair(real, synthetic)
    rng = np.random.default_rng(random_state)
    R = real.reshape(len(real), -1)[rng.permutation(len(real))[:max_points]]
    S = synthetic.reshape(len(synthetic), -1)
    S = S[rng.permutation(len(S))[:max_points]]
    if method == "pca":
        pca = PCA(n_components=2).fit(R)
        r, s = pca.transform(R), pca.transform(S)
        title = "Principal components of the real windows"
    else:
        both = TSNE(
            n_components=2,
            perplexity=min(30.0, (len(R) + len(S) - 1) / 3),
            init="pca",
            random_state=random_state,
        ).fit_transform(np.vstack([R, S]).astype(np.float64))
        r, s = both[: len(R)], both[len(R) :]
        title = "t-SNE of the windows"
    fig = _figure(figsize=(5.5, 4.5))
    ax = fig.subplots()
    ax.scatter(*r.T, s=6, alpha=0.5, color=REAL_COLOR, label="real")
    ax.scatter(*s.T, s=6, alpha=0.5, color=SYNTHETIC_COLOR, label="synthetic")
    ax.set_title(title)
    ax.legend(markerscale=3)
    return fig


def plot_autocorrelation(real, synthetic, *, max_lag=None):
    """Mean autocorrelation of each channel within the windows, by lag.

    The curves that :func:`skgan.metrics.autocorrelation_distance` compares.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_windows, window_length, n_features)
        Windows of the same shape.
    max_lag : int or None, default=None
        Largest lag; None: ``window_length - 1``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel per channel (the first six at most).
    """
    real, synthetic = _pair(real, synthetic)
    largest = real.shape[1] - 1
    lags = np.arange(1, min(max_lag or largest, largest) + 1)
    if not len(lags):
        raise ValueError("windows need at least 2 time steps for an autocorrelation.")
    curves = _acf(real, lags), _acf(synthetic, lags)
    n_channels = min(real.shape[2], MAX_CHANNELS)
    fig = _figure(figsize=(3.2 * n_channels, 3.0))
    axes = np.atleast_1d(fig.subplots(1, n_channels, sharey=True))
    for channel, ax in enumerate(axes):
        for curve, label, color in zip(
            curves, ("real", "synthetic"), (REAL_COLOR, SYNTHETIC_COLOR), strict=True
        ):
            ax.plot(lags, curve[:, channel], marker=".", color=color, label=label)
        ax.axhline(0, color="grey", lw=0.5)
        ax.set_title(f"channel {channel}")
        ax.set_xlabel("lag")
    axes[0].set_ylabel("autocorrelation")
    axes[0].legend()
    return fig
