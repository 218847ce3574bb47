"""Align real and synthetic tables and encode them for models and distances."""

import numpy as np
import pandas as pd
from sklearn.preprocessing import OneHotEncoder


def as_frames(reference, *others, names=None):
    """DataFrames with the columns of ``reference``, checked for agreement.

    Parameters
    ----------
    reference : array-like or DataFrame of shape (n_samples, n_features)
        The real data; its columns name the others' when they are arrays.
    *others : array-like or DataFrame or None
        Tables to compare with it (None passes through).
    names : sequence of str, default=None
        How the error messages call each table, ``reference`` first.

    Returns
    -------
    frames : list of DataFrame or None
        ``reference`` and then ``others``, as DataFrames.
    """
    names = list(names or ["real"] + [f"table {i + 1}" for i in range(len(others))])
    ref = _frame(reference, None, names[0])
    if len(ref) == 0:
        raise ValueError(f"{names[0]} has no rows.")
    frames = [ref]
    for name, other in zip(names[1:], others, strict=True):
        if other is None:
            frames.append(None)
            continue
        frame = _frame(other, ref.columns, name)
        if list(frame.columns) != list(ref.columns):
            missing = sorted(set(map(str, ref.columns)) - set(map(str, frame.columns)))
            extra = sorted(set(map(str, frame.columns)) - set(map(str, ref.columns)))
            raise ValueError(
                f"{name} does not have the columns of {names[0]}: missing {missing}, "
                f"unexpected {extra}. Pass tables with the same columns."
            )
        if len(frame) == 0:
            raise ValueError(f"{name} has no rows.")
        frames.append(frame)
    return frames


#: Largest magnitude the detectors take (XGBoost works in float32).
_LARGEST = float(np.finfo(np.float32).max)


def _check_values(frame, name):
    """One-line errors for what the measures cannot take, before any fit."""
    duplicated = frame.columns[frame.columns.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(
            f"{name} has duplicated column names {duplicated}; give every column "
            "a name of its own."
        )
    for column in numeric_columns(frame):
        values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isnan(values).all():
            raise ValueError(
                f"column {column!r} of {name} has no observed value; drop it."
            )
        if np.isinf(values).any():
            raise ValueError(
                f"column {column!r} of {name} contains infinity; replace it with "
                "a finite value or NaN."
            )
        if np.nanmax(np.abs(values)) > _LARGEST:
            raise ValueError(
                f"column {column!r} of {name} has values beyond 3.4e38, which the "
                "detectors (float32) cannot take; rescale the column."
            )


def _frame(X, columns, name):
    if hasattr(X, "__len__") and len(X) == 0:
        # Before the columns are looked at: an empty table has no value.
        raise ValueError(
            f"{name} has no rows; pass the rows to compare"
            + (", or holdout=None." if name == "holdout" else ".")
        )
    if isinstance(X, pd.DataFrame):
        frame = X.reset_index(drop=True)
        _check_values(frame, name)
        return frame
    array = np.asarray(X)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features); got shape {array.shape}."
        )
    if columns is not None and array.shape[1] != len(columns):
        raise ValueError(
            f"{name} has {array.shape[1]} columns but real has {len(columns)}; pass "
            "tables with the same columns."
        )
    frame = pd.DataFrame(array, columns=columns)
    _check_values(frame, name)
    return frame


def is_numeric(series):
    """Whether a column is compared as numbers (booleans are categories)."""
    return pd.api.types.is_numeric_dtype(series.dtype) and not (
        pd.api.types.is_bool_dtype(series.dtype)
    )


def numeric_columns(frame):
    """Names of the numeric columns."""
    return [c for c in frame.columns if is_numeric(frame[c])]


def categorical_columns(frame):
    """Names of the columns compared as categories."""
    return [c for c in frame.columns if not is_numeric(frame[c])]


def encode(reference, *others, standardize=False):
    """Numeric matrices for models and distances, fitted on ``reference``.

    Numeric columns are kept (optionally standardised with the mean and
    standard deviation of ``reference``); missing values become the reference
    mean. Categorical columns are one-hot encoded over the categories of all
    tables, so an invented category is visible.

    Parameters
    ----------
    reference : DataFrame
        Table whose statistics define the scaling.
    *others : DataFrame
        Tables encoded the same way.
    standardize : bool, default=False
        Standardise the numeric columns.

    Returns
    -------
    matrices : list of ndarray
        One float64 matrix per table, ``reference`` first.
    """
    tables = [reference, *others]
    num = numeric_columns(reference)
    cat = categorical_columns(reference)
    parts = [[] for _ in tables]
    if num:
        values = [t[num].to_numpy(dtype=np.float64, na_value=np.nan) for t in tables]
        mean = np.nanmean(values[0], axis=0)
        std = np.nanstd(values[0], axis=0)
        std[~(std > 0)] = 1.0
        for part, v in zip(parts, values, strict=True):
            v = np.where(np.isnan(v), mean, v)
            part.append((v - mean) / std if standardize else v)
    if cat:
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        encoder.fit(pd.concat([t[cat].astype(str) for t in tables]))
        for part, t in zip(parts, tables, strict=True):
            part.append(encoder.transform(t[cat].astype(str)))
    return [np.hstack(part) for part in parts]
