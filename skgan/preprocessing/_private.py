"""An encoding learnt within a differential-privacy budget.

Used by :class:`~skgan.GANSynthesizer` when ``epsilon`` is set: nothing of
the encoding may reveal a record beyond what the budget pays for.

- A column's kind comes from its dtype (and ``categorical_columns``), never
  from its values.
- Numeric columns live between **public bounds** the user declares
  (``bounds={"age": (0, 120)}``; values beyond are clipped). Their quantile
  map is read off a noisy histogram of 32 equal bins over the bounds
  (Laplace noise), not off the values: no minimum, quantile or decimal of a
  record is used.
- A discrete column's values are those its pandas ``Categorical`` dtype (or a
  boolean dtype) declares, or else those whose count, plus Laplace noise of
  scale ``1 / epsilon_column``, exceeds ``1 + log(1 / (2 delta_column)) /
  epsilon_column`` (a stable histogram: a value held by one record is
  released with probability at most ``delta_column``). Their noisy counts
  are the frequencies conditions are drawn with.
- A column may be missing where its dtype allows it (a float, nullable or
  object column; not ``int64`` or ``bool``) and the noisy count of its
  missing values clears the same threshold; the rate is learnt by the
  private critic.

The budget of these counts is split evenly among the columns (one record
sits in every column's histogram).
"""

import warnings

import numpy as np
import pandas as pd

from ._columns import _plain
from ._numeric import NumericScaler

#: The generated share beyond which values pile at a public bound.
_TAIL = 1e-3

#: Equal-width bins of a numeric column's noisy histogram.
_BINS = 32


def fit_private(transformer, frame, *, bounds, forced, epsilon, delta, rng, whole):
    """Set ``transformer``'s fitted attributes from public facts and DP counts.

    Parameters
    ----------
    transformer : TabularTransformer
        Its ``_as_frame`` has been applied to ``frame``.
    frame : DataFrame
        The training table.
    bounds : dict
        ``{column: (low, high)}`` for every numeric column.
    forced : set of str
        Numeric columns to treat as discrete.
    epsilon, delta : float
        The budget of the columns' noisy counts, split evenly among them.
    rng : numpy.random.Generator
        The Laplace noise.
    whole : dict
        ``{column: name}``: columns that must keep every value they show (a
        fixed combination's), each refused by ``name`` if one is suppressed.

    Returns
    -------
    spent : tuple of float
        ``(epsilon, delta)`` spent.
    """
    check_bounds(bounds)
    columns, numeric, histogram = [], [], []
    for name in frame.columns:
        series = frame[name]
        dtype = series.dtype
        nullable = _may_be_missing(dtype)
        column = {"name": name, "dtype": str(dtype), "missing": nullable}
        discrete = (
            name in forced
            or not pd.api.types.is_numeric_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype)
        )
        if not discrete:
            column["kind"] = "numeric"
            numeric.append(name)
        else:
            column["kind"] = "categorical"
            if isinstance(dtype, pd.CategoricalDtype):
                column["ordered"] = bool(dtype.ordered)
                column["dtype_categories"] = [_plain(v) for v in dtype.categories]
                column["categories"] = list(column["dtype_categories"])
            elif pd.api.types.is_bool_dtype(dtype):
                column["categories"] = [False, True]
            else:
                histogram.append(len(columns))
        columns.append(column)
    _check_bound_columns(bounds or {}, frame, numeric)
    missing = sorted(set(numeric) - set(bounds or {}))
    if missing:
        wanted = ", ".join(f"{m!r}: (low, high)" for m in missing)
        raise ValueError(
            "with epsilon set, numeric columns need public bounds, which skgan "
            f"does not read off the data: pass bounds={{{wanted}}} (values "
            "beyond them are clipped), or list the columns in categorical_columns."
        )
    # One record sits in every column's histogram: the budget is split
    # evenly among the columns (sequential composition).
    eps_c = epsilon / max(1, len(columns))
    delta_c = delta / max(1, len(columns))
    threshold = 1.0 + np.log(1.0 / (2.0 * delta_c)) / eps_c
    transformer._recode, transformer.private_counts_ = {}, {}
    transformer._missing_to, transformer.clipped_ = {}, {}
    transformer.suppressed_, transformer.private_threshold_ = {}, float(threshold)
    transformer.counted_columns_ = [columns[i]["name"] for i in histogram]
    tables = {}
    for index, column in enumerate(columns):
        name = column["name"]
        gaps = float(frame[name].isna().sum()) + rng.laplace(0, 1 / eps_c)
        column["missing"] = bool(column["missing"] and gaps > threshold)
        if column["kind"] == "numeric":
            tables[name], transformer.clipped_[name] = _noisy_quantiles(
                frame[name], bounds[name], eps_c, rng
            )
            continue
        values = frame[name].map(_plain, na_action="ignore")
        counts = values.value_counts()
        if index in histogram:
            seen = list(counts.index)
            noisy = counts.to_numpy(float) + rng.laplace(0, 1 / eps_c, len(counts))
            noisy_of = dict(zip(seen, noisy, strict=True))
            kept = [v for v in seen if noisy_of[v] > threshold]
            if not kept:
                raise ValueError(
                    f"no value of column {name!r} is frequent enough to be "
                    f"released with this column's share of the budget (epsilon "
                    f"{eps_c:.3g}: a value needs about {threshold:.0f} rows): "
                    "declare its values with a pandas Categorical dtype "
                    "(astype('category'), or skgan fit --categories FILE), raise "
                    "epsilon, or drop the column."
                )
            if name in whole and len(kept) < len(seen):
                raise ValueError(
                    f"with epsilon set, {whole[name]!r} would keep {len(kept)} of "
                    f"its {len(seen)} combinations: a combination needs about "
                    f"{threshold:.0f} rows to be released with its share of the "
                    f"budget (epsilon {eps_c:.3g}). Raise epsilon, or drop the "
                    "rule and declare each column's values instead."
                )
            if len(kept) == 1 < len(seen):
                raise ValueError(
                    f"with epsilon set, column {name!r} would keep one value "
                    f"({kept[0]!r}) of its {len(seen)}: a value needs about "
                    f"{threshold:.0f} rows to be released with this column's "
                    f"share of the budget (epsilon {eps_c:.3g}), so every "
                    "generated row would carry it. Declare the column's values "
                    "(astype(pd.CategoricalDtype([...])), or skgan fit "
                    "--categories FILE), raise epsilon, or drop the column."
                )
            try:
                kept = sorted(kept)
            except TypeError:
                pass
            column["categories"] = kept
            rare = set(seen) - set(kept)
            if rare:
                transformer.suppressed_[name] = sorted(rare, key=str)
                target = max(kept, key=lambda v: noisy_of[v])
                transformer._recode[name] = (rare, target)
        else:
            noisy_of = {
                v: counts.get(v, 0) + rng.laplace(0, 1 / eps_c)
                for v in column["categories"]
            }
        freq = [max(noisy_of.get(v, 0.0), 1.0) for v in column["categories"]]
        if not column["missing"]:
            commonest = column["categories"][int(np.argmax(freq))]
            transformer._missing_to[name] = commonest
        if column["missing"]:
            freq.append(max(gaps, 1.0))
        transformer.private_counts_[name] = np.asarray(freq)
    transformer.columns_ = columns
    transformer.scaler_, transformer.modes_ = None, []
    if numeric:
        transformer.scaler_ = _bounded_scaler(
            [bounds[n] for n in numeric], frame, numeric, [tables[n] for n in numeric]
        )
    transformer._private_fill = (
        None
        if not numeric
        else np.array([0.5 * (bounds[n][0] + bounds[n][1]) for n in numeric])
    )
    transformer._private_bounds = (
        None if not numeric else np.array([bounds[n] for n in numeric], float)
    )
    transformer._set_layout()
    if transformer.suppressed_:
        named = "; ".join(
            f"{name!r}: {values[:10]}" + (" ..." if len(values) > 10 else "")
            for name, values in transformer.suppressed_.items()
        )
        warnings.warn(
            f"with epsilon set, values held by fewer than about {threshold:.0f} "
            f"rows are never generated; suppressed: {named}. Declare a column's "
            "values (a pandas Categorical dtype, or skgan fit --categories FILE) "
            "or raise epsilon to keep them.",
            UserWarning,
            stacklevel=6,  # the user's fit
        )
    return epsilon, delta


def resolve_delta(delta, n_rows):
    """The guarantee's ``delta``: ``1 / (10 n_rows)`` for None; warn above ``1 / n``.

    Parameters
    ----------
    delta : float or None
        The user's ``delta``.
    n_rows : int
        Training rows.

    Returns
    -------
    delta : float
    """
    if delta is None:
        return 1 / (10 * n_rows)
    if delta > 1 / n_rows:
        warnings.warn(
            f"delta={delta:g} is above 1 / n_rows ({1 / n_rows:.3g}): the guarantee "
            "would allow one record in full to leak with probability delta; pass "
            "delta at most 1 / (10 * n_rows), or leave delta=None for that.",
            UserWarning,
            stacklevel=5,  # the user's fit
        )
    return delta


def _may_be_missing(dtype):
    if isinstance(dtype, np.dtype):
        return dtype.kind in "fOUSmM"
    return True


def check_bounds(bounds):
    """Refuse malformed public bounds before anything is trained.

    Parameters
    ----------
    bounds : dict or None
        ``{column: (low, high)}``.

    Raises
    ------
    TypeError
        If ``bounds`` is not a dict.
    ValueError
        If a bound is not two finite numbers with ``low < high``.
    """
    if bounds is None:
        return
    if not isinstance(bounds, dict):
        raise TypeError(
            "bounds must be a dict {column: (low, high)}; got "
            f"{type(bounds).__name__}."
        )
    for name, bound in bounds.items():
        try:
            low, high = (float(b) for b in bound)
        except (TypeError, ValueError):
            raise ValueError(
                f"bounds[{name!r}] must be two numbers (low, high); got {bound!r}. "
                f"Write it as bounds={{{name!r}: (low, high)}}."
            ) from None
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(
                f"bounds[{name!r}] must be finite with low < high; got {bound!r}."
            )


def _check_bound_columns(bounds, frame, numeric):
    """Bounds name numeric columns of the table, and only those."""
    unknown = sorted(str(n) for n in set(bounds) - set(frame.columns))
    if unknown:
        raise ValueError(
            f"bounds name columns that are not in the table: {unknown}; the table "
            f"has {[str(c) for c in frame.columns]}."
        )
    discrete = sorted(str(n) for n in set(bounds) - set(numeric))
    if discrete:
        raise ValueError(
            f"bounds name categorical columns {discrete}, which take no bounds "
            "(their categories are counted with noise instead); drop them from "
            "bounds, or pass the column as numbers if it is one."
        )


def _noisy_quantiles(series, bound, epsilon, rng):
    """A quantile function from a Laplace-noised histogram over public bounds.

    Returns the column's values at the probabilities
    ``linspace(_TAIL, 1 - _TAIL, _BINS + 1)``.
    """
    low, high = (float(b) for b in bound)  # checked by check_bounds
    edges = np.linspace(low, high, _BINS + 1)
    values = series.dropna().to_numpy(dtype=float)
    # Two more bins, below and above the bounds: a row still falls in one
    # bin only, so the noisy clipping counts come with the histogram's
    # budget (sensitivity 1) and cost nothing more.
    counts = np.r_[
        (values < low).sum(),
        np.histogram(values[(values >= low) & (values <= high)], bins=edges)[0],
        (values > high).sum(),
    ].astype(float)
    counts += rng.laplace(0, 1 / epsilon, _BINS + 2)
    below, above = (int(max(0.0, round(c))) for c in counts[[0, -1]])
    # Clipped rows sit at the bounds, as clipping puts them.
    counts[1] += counts[0]
    counts[-2] += counts[-1]
    # A floor of a twentieth of a row per bin keeps the map strictly
    # increasing; noise below it is no evidence of mass.
    weights = np.maximum(counts[1:-1], 0.0) + 0.05
    cdf = np.r_[0.0, np.cumsum(weights)] / weights.sum()
    table = np.interp(np.linspace(_TAIL, 1 - _TAIL, _BINS + 1), cdf, edges)
    return table, {"below": below, "above": above}


def _bounded_scaler(bounds, frame, names, tables):
    """A :class:`NumericScaler` through the noisy quantile tables."""
    low = np.array([b[0] for b in bounds], dtype=float)
    high = np.array([b[1] for b in bounds], dtype=float)
    scaler = NumericScaler("quantile")
    scaler.n_features_in_ = len(names)
    scaler.data_min_, scaler.data_max_ = low, high
    scaler.range_min_, scaler.range_max_ = low, high
    scaler.constant_mask_ = low == high
    scaler.integer_mask_ = (
        np.array([pd.api.types.is_integer_dtype(frame[n].dtype) for n in names])
        & ~scaler.constant_mask_
    )
    scaler.decimals_ = np.where(scaler.integer_mask_, 0, -1)
    varying = ~scaler.constant_mask_
    scaler.quantiles_ = np.ascontiguousarray(np.column_stack(tables)[:, varying])
    scaler.references_ = np.linspace(_TAIL, 1 - _TAIL, _BINS + 1)
    return scaler
