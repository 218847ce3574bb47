"""Column-wise and pairwise similarity of real and synthetic tables."""

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp, wasserstein_distance

from ._tables import as_frames, is_numeric, numeric_columns


def ks_complement(real, synthetic):
    """One minus the Kolmogorov-Smirnov statistic of a numeric column (1 is ideal).

    The same measure as SDMetrics' ``KSComplement``: the largest gap between
    the two empirical cumulative distributions, subtracted from 1.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_samples,)
        The values of one numeric column; missing values are ignored.

    Returns
    -------
    score : float
        In [0, 1]; 1 when the distributions coincide.
    """
    real = _finite(real)
    synthetic = _finite(synthetic)
    return float(1.0 - ks_2samp(real, synthetic).statistic)


def tv_complement(real, synthetic):
    """One minus the total variation distance of a categorical column (1 is ideal).

    The same measure as SDMetrics' ``TVComplement``: half the sum of the
    absolute differences of the category frequencies, subtracted from 1.
    Missing values count as a category of their own.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_samples,)
        The values of one categorical column.

    Returns
    -------
    score : float
        In [0, 1]; 1 when every category has the same frequency.
    """
    f_real = pd.Series(real).astype(object).value_counts(normalize=True, dropna=False)
    f_syn = (
        pd.Series(synthetic).astype(object).value_counts(normalize=True, dropna=False)
    )
    f_real, f_syn = f_real.align(f_syn, fill_value=0.0)
    return float(1.0 - 0.5 * np.abs(f_real - f_syn).sum())


def marginal_similarity(real, synthetic):
    """Per-column comparison of the marginal distributions.

    Numeric columns get :func:`ks_complement` and the Wasserstein-1 distance
    between the columns standardised with the real mean and standard
    deviation (0 is ideal; 0.1 means the mass is moved a tenth of a standard
    deviation on average). Categorical, boolean and string columns get
    :func:`tv_complement`.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns.

    Returns
    -------
    table : DataFrame
        One row per column: ``column``, ``kind`` ("numeric" or
        "categorical"), ``measure`` ("KSComplement" or "TVComplement"),
        ``score`` (1 is ideal) and ``wasserstein`` (numeric columns only; 0
        is ideal).

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import marginal_similarity
    >>> rng = np.random.RandomState(0)
    >>> table = marginal_similarity(rng.randn(2000, 2), rng.randn(2000, 2) + [0, 2])
    >>> table["score"].round(1).tolist()
    [1.0, 0.3]
    """
    real, synthetic = as_frames(real, synthetic, names=["real", "synthetic"])
    rows = []
    for column in real.columns:
        r, s = real[column], synthetic[column]
        if is_numeric(r):
            r_values, s_values = _finite(r), _finite(s)
            std = r_values.std() or 1.0
            mean = r_values.mean()
            rows.append(
                {
                    "column": column,
                    "kind": "numeric",
                    "measure": "KSComplement",
                    "score": ks_complement(r_values, s_values),
                    "wasserstein": float(
                        wasserstein_distance(
                            (r_values - mean) / std, (s_values - mean) / std
                        )
                    ),
                }
            )
        else:
            rows.append(
                {
                    "column": column,
                    "kind": "categorical",
                    "measure": "TVComplement",
                    "score": tv_complement(r, s),
                    "wasserstein": np.nan,
                }
            )
    return pd.DataFrame(rows)


def correlation_difference(real, synthetic):
    """Synthetic minus real Pearson correlation of every pair of numeric columns.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns.

    Returns
    -------
    real_corr, synthetic_corr, difference : DataFrame
        The two Pearson correlation matrices of the numeric columns and their
        difference (0 everywhere is ideal). Constant columns have no
        correlation (NaN).
    """
    real, synthetic = as_frames(real, synthetic, names=["real", "synthetic"])
    columns = numeric_columns(real)
    r = real[columns].astype(np.float64).corr()
    s = synthetic[columns].astype(np.float64).corr()
    return r, s, s - r


def correlation_similarity(real, synthetic):
    """How well the pairwise correlations are kept (1 is ideal).

    The mean over pairs of numeric columns of SDMetrics'
    ``CorrelationSimilarity``: ``1 - |S - R| / 2`` for the Pearson
    correlations ``R`` (real) and ``S`` (synthetic) of the pair. Pairs with a
    constant column are left out.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns (at least two numeric ones).

    Returns
    -------
    score : float
        In [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import correlation_similarity
    >>> rng = np.random.RandomState(0)
    >>> x = rng.randn(1000)
    >>> real = np.c_[x, x + 0.1 * rng.randn(1000)]
    >>> round(correlation_similarity(real, rng.randn(1000, 2)), 2)
    0.5
    """
    _, _, difference = correlation_difference(real, synthetic)
    if difference.shape[0] < 2:
        raise ValueError(
            "correlation_similarity needs at least two numeric columns; got "
            f"{difference.shape[0]}."
        )
    upper = difference.to_numpy()[np.triu_indices(difference.shape[0], k=1)]
    upper = upper[np.isfinite(upper)]
    if upper.size == 0:
        return float("nan")
    return float(np.mean(1.0 - np.abs(upper) / 2.0))


def pair_trends(real, synthetic, *, n_bins=10):
    """How well each pair of columns keeps its trend (1 is ideal), pair by pair.

    The per-pair measures behind SDMetrics' "Column Pair Trends": for two
    numeric columns ``1 - |S - R| / 2`` of their Pearson correlations
    (``CorrelationSimilarity``), for any other pair one minus the total
    variation distance of their joint frequencies (``ContingencySimilarity``),
    numbers binned at the deciles of the real column (equal-frequency bins,
    so that a heavy tail does not put every row in one bin). Missing values
    count as a category of their own.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns.
    n_bins : int, default=10
        Bins of a numeric column paired with a categorical one.

    Returns
    -------
    scores : DataFrame of shape (n_features, n_features)
        Symmetric, indexed by column on both axes, in [0, 1]; NaN on the
        diagonal and for pairs with a constant numeric column. Its upper
        triangle averages to 1 minus the Trend error of the TabSyn / TabDiff
        protocol (up to the binning).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skgan.metrics import pair_trends
    >>> rng = np.random.RandomState(0)
    >>> x = rng.randn(2000)
    >>> real = pd.DataFrame({"x": x, "y": x + 0.1 * rng.randn(2000),
    ...                      "big": np.where(x > 0, "yes", "no")})
    >>> shuffled = pd.DataFrame({c: rng.permutation(real[c]) for c in real})
    >>> scores = pair_trends(real, shuffled)
    >>> float(scores.loc["x", "y"].round(1)), float(scores.loc["x", "big"].round(1))
    (0.5, 0.5)
    """
    real, synthetic = as_frames(real, synthetic, names=["real", "synthetic"])
    columns = list(real.columns)
    numeric = set(numeric_columns(real))
    codes_real, codes_syn = {}, {}
    for column in columns:
        codes_real[column], codes_syn[column] = _pair_codes(
            real[column], synthetic[column], column in numeric, n_bins
        )
    values = np.full((len(columns), len(columns)), np.nan)
    for i, a in enumerate(columns):
        for j in range(i + 1, len(columns)):
            b = columns[j]
            if a in numeric and b in numeric:
                pair = [a, b]
                r = real[pair].astype(np.float64).corr().iloc[0, 1]
                s = synthetic[pair].astype(np.float64).corr().iloc[0, 1]
                score = 1.0 - abs(s - r) / 2.0
            else:
                score = _contingency_complement(
                    codes_real[a], codes_real[b], codes_syn[a], codes_syn[b]
                )
            values[i, j] = values[j, i] = score
    return pd.DataFrame(values, index=columns, columns=columns)


def pair_trend_similarity(real, synthetic):
    """The mean of :func:`pair_trends` over the pairs of columns (1 is ideal).

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns (at least two).

    Returns
    -------
    score : float
        In [0, 1]; ``100 * (1 - score)`` is the Trend error in percent.
    """
    scores = pair_trends(real, synthetic).to_numpy()
    upper = scores[np.triu_indices(scores.shape[0], k=1)]
    upper = upper[np.isfinite(upper)]
    return float(upper.mean()) if upper.size else float("nan")


def _pair_codes(real, synthetic, numeric, n_bins):
    """Integer codes of one column in both tables, for joint frequencies."""
    if numeric:
        r = pd.to_numeric(real, errors="coerce").to_numpy(np.float64, na_value=np.nan)
        s = pd.to_numeric(synthetic, errors="coerce").to_numpy(
            np.float64, na_value=np.nan
        )
        edges = np.unique(np.nanquantile(r, np.linspace(0, 1, n_bins + 1)[1:-1]))
        # NaN gets a code of its own, after the bins.
        return (
            np.where(np.isnan(r), len(edges) + 1, np.searchsorted(edges, r)),
            np.where(np.isnan(s), len(edges) + 1, np.searchsorted(edges, s)),
        )
    both = pd.concat([real, synthetic], ignore_index=True).astype(object)
    codes, _ = pd.factorize(both.fillna("__missing__"))
    return codes[: len(real)], codes[len(real) :]


def _contingency_complement(real_a, real_b, syn_a, syn_b):
    """One minus the total variation distance of two joint frequency tables."""
    width = int(max(real_b.max(), syn_b.max())) + 1
    f_real = pd.Series(real_a * width + real_b).value_counts(normalize=True)
    f_syn = pd.Series(syn_a * width + syn_b).value_counts(normalize=True)
    f_real, f_syn = f_real.align(f_syn, fill_value=0.0)
    return float(1.0 - 0.5 * np.abs(f_real - f_syn).sum())


def describe_side_by_side(real, synthetic):
    """``DataFrame.describe()`` of the real and synthetic tables, column by column.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame of shape (n_samples, n_features)
        Tables with the same columns.

    Returns
    -------
    table : DataFrame
        Rows are the statistics (count, mean, std, min, quartiles, max; for
        categorical columns count, unique, top, freq); columns are a
        two-level index ``(column, "real" | "synthetic")``.
    """
    real, synthetic = as_frames(real, synthetic, names=["real", "synthetic"])
    parts = {}
    for column in real.columns:
        parts[(column, "real")] = real[column].describe()
        parts[(column, "synthetic")] = synthetic[column].describe()
    return pd.DataFrame(parts)


def _finite(values):
    values = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return values[np.isfinite(values)]
