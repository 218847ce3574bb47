"""Figures comparing real and synthetic data, and training curves."""

import math

import numpy as np
from sklearn.decomposition import PCA

from ..metrics import correlation_difference, pair_trends
from ..metrics._tables import as_frames, encode, is_numeric

REAL_COLOR, SYNTHETIC_COLOR = "#1f77b4", "#ff7f0e"


def _figure(**kwargs):
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "skgan.plotting needs matplotlib; install it with "
            "`pip install 'skgan[plot]'` (or `pip install matplotlib`)."
        ) from exc
    return Figure(layout="constrained", **kwargs)


def plot_pca(real, synthetic, *, max_points=5000, random_state=0):
    """Scatter real and synthetic rows on the first two principal components.

    The components are fitted on the real rows (standardised, categories
    one-hot), so the synthetic rows are seen in the real data's own axes.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns.
    max_points : int, default=5000
        At most this many rows of each table are drawn (a random subset).
    random_state : int, default=0
        Seeds the subset.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    """
    real, synthetic = as_frames(real, synthetic, names=["real", "synthetic"])
    R, S = encode(real, synthetic, standardize=True)
    rng = np.random.default_rng(random_state)
    R = R[rng.permutation(len(R))[:max_points]]
    S = S[rng.permutation(len(S))[:max_points]]
    n_components = min(2, R.shape[1], len(R))
    pca = PCA(n_components=n_components).fit(R)
    r, s = pca.transform(R), pca.transform(S)
    if n_components == 1:
        r, s = np.c_[r, np.zeros(len(r))], np.c_[s, np.zeros(len(s))]
    fig = _figure(figsize=(5.5, 4.5))
    ax = fig.subplots()
    ax.scatter(*r.T, s=6, alpha=0.5, color=REAL_COLOR, label="real")
    ax.scatter(*s.T, s=6, alpha=0.5, color=SYNTHETIC_COLOR, label="synthetic")
    ratio = pca.explained_variance_ratio_
    ax.set_xlabel(f"PC 1 ({ratio[0]:.0%} of the real variance)")
    if n_components > 1:
        ax.set_ylabel(f"PC 2 ({ratio[1]:.0%})")
    ax.set_title("Principal components of the real data")
    ax.legend(markerscale=3)
    return fig


def plot_marginals(real, synthetic, *, columns=None, cumulative=False, max_columns=16):
    """Per-column distributions (or cumulative distributions) of real vs synthetic.

    Numeric columns get overlaid histograms on common bins (or empirical
    cumulative distribution functions with ``cumulative=True``); categorical
    columns get side-by-side bars of the category frequencies.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns.
    columns : list, default=None
        Columns to draw; the first ``max_columns`` when None.
    cumulative : bool, default=False
        Draw cumulative distributions instead of histograms.
    max_columns : int, default=16
        Most columns drawn when ``columns`` is None.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel per column.
    """
    real, synthetic = as_frames(real, synthetic, names=["real", "synthetic"])
    columns = list(real.columns[:max_columns] if columns is None else columns)
    n_cols = min(4, len(columns))
    n_rows = math.ceil(len(columns) / n_cols)
    fig = _figure(figsize=(3.2 * n_cols, 2.6 * n_rows))
    axes = np.atleast_1d(fig.subplots(n_rows, n_cols)).ravel()
    for ax, column in zip(axes, columns, strict=False):
        r, s = real[column], synthetic[column]
        if is_numeric(r):
            r = r.to_numpy(dtype=np.float64, na_value=np.nan)
            s = s.to_numpy(dtype=np.float64, na_value=np.nan)
            r, s = r[np.isfinite(r)], s[np.isfinite(s)]
            if cumulative:
                for values, color in ((r, REAL_COLOR), (s, SYNTHETIC_COLOR)):
                    values = np.sort(values)
                    ax.step(
                        values,
                        np.arange(1, len(values) + 1) / len(values),
                        where="post",
                        color=color,
                    )
            else:
                bins = np.histogram_bin_edges(np.r_[r, s], bins=30)
                ax.hist(r, bins=bins, density=True, alpha=0.5, color=REAL_COLOR)
                ax.hist(s, bins=bins, density=True, alpha=0.5, color=SYNTHETIC_COLOR)
        else:
            f_r = r.astype(object).value_counts(normalize=True, dropna=False)
            f_s = s.astype(object).value_counts(normalize=True, dropna=False)
            f_r, f_s = f_r.align(f_s, fill_value=0.0)
            x = np.arange(len(f_r))
            ax.bar(x - 0.2, f_r.to_numpy(), width=0.4, color=REAL_COLOR)
            ax.bar(x + 0.2, f_s.to_numpy(), width=0.4, color=SYNTHETIC_COLOR)
            ax.set_xticks(x, [str(v) for v in f_r.index], rotation=45)
        ax.set_title(str(column), fontsize=9)
    for ax in axes[len(columns) :]:
        ax.set_axis_off()
    fig.legend(["real", "synthetic"], loc="outside upper right")
    return fig


def plot_correlations(real, synthetic):
    """Heatmaps of the real and synthetic correlation matrices and their difference.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns (numeric columns are used).

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three panels: real, synthetic, synthetic minus real.
    """
    matrices = correlation_difference(real, synthetic)
    labels = [str(c) for c in matrices[0].columns]
    fig = _figure(figsize=(13, 4.2))
    axes = fig.subplots(1, 3)
    titles = ("real", "synthetic", "synthetic - real")
    for ax, matrix, title in zip(axes, matrices, titles, strict=True):
        image = ax.imshow(matrix.to_numpy(), vmin=-1, vmax=1, cmap="RdBu_r")
        ax.set_title(title)
        if len(labels) <= 30:
            ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
            ax.set_yticks(range(len(labels)), labels, fontsize=7)
    fig.colorbar(image, ax=axes, shrink=0.8, label="Pearson correlation")
    return fig


def plot_pair_trends(real, synthetic):
    """Heat map of where the column-pair trends of synthetic and real differ.

    Each cell is ``1 -`` :func:`~skgan.metrics.pair_trends` of a pair of
    columns: the correlation gap of two numeric columns, the total variation
    distance of the joint frequencies otherwise (0 is ideal). Its mean over
    the upper triangle is the Trend error of the TabSyn / TabDiff protocol.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns (at least two).

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel, the worst pair named in the title.
    """
    errors = 1.0 - pair_trends(real, synthetic)
    labels = [str(c) for c in errors.columns]
    values = errors.to_numpy()
    size = min(12.0, 3.0 + 0.3 * len(labels))
    fig = _figure(figsize=(size + 1.5, size))
    ax = fig.subplots()
    image = ax.imshow(values, vmin=0, vmax=max(0.1, float(np.nanmax(values))))
    if np.isfinite(values).any():
        i, j = np.unravel_index(np.nanargmax(values), values.shape)
        ax.set_title(
            f"pair trend error (mean {np.nanmean(values):.3f}; "
            f"worst {labels[i]} / {labels[j]}: {values[i, j]:.3f})"
        )
    if len(labels) <= 40:
        ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
    fig.colorbar(image, ax=ax, shrink=0.8, label="1 - pair similarity")
    return fig


def plot_history(history):
    """Training curves: losses, the Wasserstein estimate, detection accuracy.

    Parameters
    ----------
    history : list of dict
        A fitted engine's, synthesizer's or sampler's ``history_`` (one dict
        per epoch). Records with a ``class`` key (those of
        :class:`~skgan.GANOverSampler`, one GAN per class) are drawn as one
        line per class.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel per recorded quantity.
    """
    if not history:
        raise ValueError("history is empty; fit the model first.")
    keys = [
        key
        for key in (
            "generator_loss",
            "discriminator_loss",
            "wasserstein",
            "detection_accuracy",
        )
        if any(key in record for record in history)
    ]
    fig = _figure(figsize=(3.6 * len(keys), 3.0))
    axes = np.atleast_1d(fig.subplots(1, len(keys)))
    classes = list(dict.fromkeys(r.get("class") for r in history))
    for ax, key in zip(axes, keys, strict=True):
        for label in classes:
            points = [
                (r["epoch"], r[key])
                for r in history
                if r.get(key) is not None and r.get("class") == label
            ]
            if not points:
                continue
            epochs, values = zip(*points, strict=True)
            ax.plot(
                epochs,
                values,
                marker="o" if key == "detection_accuracy" else None,
                label=None if label is None else f"class {label}",
            )
        if key == "detection_accuracy":
            ax.axhline(0.5, color="grey", linestyle="--", label="ideal")
        if key == "detection_accuracy" or len(classes) > 1:
            ax.legend()
        ax.set_xlabel("epoch")
        ax.set_title(key.replace("_", " "))
    return fig
