"""One column of a mixed table: its kind, its restoration, fresh identifiers."""

import os

import numpy as np
import pandas as pd


def describe(series, *, forced, max_integer_categories, min_category_count=1):
    """What kind a column is, and what ``inverse_transform`` needs to restore it.

    Parameters
    ----------
    series : Series
        The column.
    forced : bool
        Model it as categorical whatever its dtype.
    max_integer_categories : int
        See :class:`TabularTransformer`.
    min_category_count : int, default=1
        Categories seen fewer times are not kept (see
        :class:`TabularTransformer`).

    Returns
    -------
    column : dict
        ``name``, ``dtype``, ``missing``, ``kind`` and, for categorical
        columns, ``categories``.
    rare : list
        The categories seen fewer than ``min_category_count`` times, for the
        caller to recode (never part of ``column``).
    """
    name, dtype = series.name, series.dtype
    if (
        pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
        or isinstance(dtype, (pd.PeriodDtype, pd.IntervalDtype, pd.SparseDtype))
    ):
        raise TypeError(
            f"column {name!r} has dtype {dtype}, which skgan cannot model; "
            "convert it to numbers (for example days since a date) or to "
            "strings first."
        )
    if pd.api.types.is_complex_dtype(dtype):
        raise ValueError(
            f"Complex data not supported: column {name!r} holds complex "
            "numbers; pass real and imaginary parts as two columns."
        )
    missing = bool(series.isna().any())
    numeric = pd.api.types.is_numeric_dtype(dtype) and not (
        pd.api.types.is_bool_dtype(dtype)
        or forced
        or _few_integers(series, max_integer_categories)
    )
    column = {"name": name, "dtype": str(dtype), "missing": missing}
    if isinstance(dtype, pd.CategoricalDtype):
        column["ordered"] = bool(dtype.ordered)
        column["dtype_categories"] = [_plain(v) for v in dtype.categories]
    if numeric:
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isinf(values).any():
            raise ValueError(
                f"column {name!r} contains infinity; replace it with a finite "
                "value or NaN (missing)."
            )
        if missing and series.isna().all():
            raise ValueError(f"column {name!r} has no observed value; drop it.")
        column["kind"] = "numeric"
        return column, []
    observed = series.dropna()
    counts = observed.value_counts(sort=False)
    counts = counts[counts > 0]
    if isinstance(dtype, pd.CategoricalDtype):
        seen = [v for v in dtype.categories if v in counts.index]
    else:
        seen = pd.unique(observed)
        try:
            seen = sorted(seen)
        except TypeError:
            seen = list(seen)
    if len(seen) > _ID_MIN_VALUES and len(seen) >= _ID_SHARE * len(observed):
        raise ValueError(
            f"column {name!r} looks like an identifier: {len(seen)} distinct "
            f"values in {len(observed)} rows. Learning it would store and "
            "replay every value. Drop it, or declare it with "
            f"identifier_columns=[{name!r}] (GANSynthesizer, "
            "TabularTransformer) to generate fresh identifiers of the same "
            "shape."
        )
    rare = [v for v in seen if counts[v] < min_category_count]
    if rare and len(rare) == len(seen):
        raise ValueError(
            f"every value of column {name!r} occurs fewer than "
            f"{min_category_count} times, so none can be kept without "
            "releasing a single record's value. Drop the column, declare it "
            f"with identifier_columns=[{name!r}], or lower min_category_count."
        )
    if rare:
        seen = [v for v in seen if counts[v] >= min_category_count]
        if "dtype_categories" in column:
            dropped = {_plain(v) for v in rare}
            column["dtype_categories"] = [
                v for v in column["dtype_categories"] if v not in dropped
            ]
    column["kind"] = "categorical"
    column["categories"] = [_plain(v) for v in seen]
    return column, [_plain(v) for v in rare]


def _few_integers(series, max_integer_categories):
    """Whole numbers with at most ``max_integer_categories`` values."""
    if not max_integer_categories or not pd.api.types.is_numeric_dtype(series.dtype):
        return False
    values = series.dropna().to_numpy(dtype=np.float64)
    if not len(values) or not np.isfinite(values).all():
        return False
    n_distinct = len(np.unique(values))
    # Categories repeat: whole numbers that are mostly distinct (an
    # index, a short sequence) stay numbers.
    return (
        bool(np.all(values == np.round(values)))
        and n_distinct <= max_integer_categories
        and 2 * n_distinct <= len(values)
    )


def _plain(value):
    """A NumPy scalar as the Python value it holds (JSON-friendly)."""
    return value.item() if isinstance(value, np.generic) else value


def _numpy_dtype(column):
    """A discrete column's NumPy number or bool dtype, or None for any other."""
    if column["dtype"] == "category":
        return None
    try:
        dtype = pd.api.types.pandas_dtype(column["dtype"])
    except TypeError:
        return None
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        return dtype
    return None


def _restore(values, column):
    """An object or float array as a Series of the column's fitted dtype."""
    dtype = column["dtype"]
    if dtype == "category":
        return pd.Categorical(
            values,
            categories=column["dtype_categories"],
            ordered=column["ordered"],
        )
    if column["kind"] == "numeric":
        values = values.astype(np.float64, copy=False)
        target = pd.api.types.pandas_dtype(dtype)
        if target == np.float64:
            return values
        if isinstance(target, np.dtype) and target.kind in "iu":
            return np.rint(values).astype(target)
        return pd.array(values, dtype=np.float64).astype(target)
    if dtype == "bool" and not column["missing"]:
        return values.astype(bool)
    if dtype == "object":
        return values
    if dtype in ("string", "str"):
        try:
            target = pd.StringDtype(na_value=np.nan) if dtype == "str" else "string"
        except TypeError:  # pandas < 2.3 has no NaN-valued string dtype
            target = "string"
        return pd.Series(values, dtype=object).astype(target).array
    return pd.Series(values, dtype=object).astype(dtype).array


#: A discrete column with more than this many distinct values, at least
#: ``_ID_SHARE`` of its rows distinct, is taken for an identifier.
_ID_MIN_VALUES = 20
_ID_SHARE = 0.9

_ALPHABET = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789"))


def _identifier(series):
    """The shape of an identifier column: no value of it is kept."""
    values = [str(v) for v in series.dropna()]
    prefix = os.path.commonprefix(values) if values else ""
    rests = [v[len(prefix) :] for v in values]
    return {
        "name": series.name,
        "dtype": "object",
        "missing": False,
        "kind": "identifier",
        "prefix": prefix,
        "width": max((len(r) for r in rests), default=1) or 1,
        "digits": all(r.isdigit() for r in rests if r),
    }


def _fresh_identifiers(column, n, rng):
    """``n`` identifiers of the column's shape, unique when the shape allows.

    One character longer than the longest real one: no generated identifier
    can equal a real identifier, and none needs to be stored to make sure.
    """
    width = int(column["width"]) + 1
    if column["digits"]:
        space = 10**width
        numbers = (
            rng.choice(space, n, replace=n > space)
            if space < 2**62
            else (rng.integers(0, 2**62, n))
        )
        rests = [f"{k:0{width}d}"[-width:] for k in numbers]
    else:
        rests = ["".join(row) for row in rng.choice(_ALPHABET, (n, width))]
    return np.array([column["prefix"] + r for r in rests], dtype=object)
