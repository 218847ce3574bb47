"""The JSON files of ``skgan fit``: public bounds and declared categories."""

JSON_EXAMPLES = {
    "--bounds": '{"age": [0, 120], "income": [0, 500000]}',
    "--categories": '{"species": ["Adelie", "Chinstrap", "Gentoo"]}',
}


def read_json_object(path, option):
    """A JSON object of column to a list, from the file of ``option``."""
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
    except OSError as exc:
        raise ValueError(f"cannot read {option} {path}: {exc.strerror}.") from None
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{option} {path} is not JSON ({exc.msg} at line {exc.lineno}); write "
            f"it as {JSON_EXAMPLES[option]}."
        ) from None
    if not isinstance(value, dict) or not all(
        isinstance(v, list) for v in value.values()
    ):
        raise ValueError(
            f"{option} {path} must hold a JSON object of column to a list, such "
            f"as {JSON_EXAMPLES[option]}; got {json.dumps(value)[:80]}."
        )
    return value


def declare_categories(data, path, column_of):
    """``data`` with the columns of ``--categories FILE`` as declared categories.

    ``column_of(data, name, what)`` finds a named column or says which are there.
    """
    import pandas as pd

    declared = read_json_object(path, "--categories")
    for name, values in declared.items():
        column = column_of(data, name, "--categories entry")
        cast = pd.Series(values, dtype=object)
        if pd.api.types.is_numeric_dtype(data[column].dtype):
            cast = pd.to_numeric(cast, errors="coerce")
        dtype = pd.CategoricalDtype(pd.unique(cast.dropna()))
        categorical = data[column].astype(dtype)
        unknown = data[column][categorical.isna() & data[column].notna()].unique()
        if len(unknown):
            raise ValueError(
                f"--categories {path}: column {column!r} holds values not in its "
                f"list, {[str(v) for v in unknown[:5]]}; add them to the list."
            )
        data[column] = categorical
    return data


def check_private_columns(data, bounds, target):
    """With ``--epsilon``: every numeric column has bounds or declared values."""
    import pandas as pd

    from .preprocessing._private import check_bounds

    check_bounds(bounds)  # malformed bounds first, named as the file has them
    unknown = sorted(str(c) for c in set(bounds or {}) - set(data.columns))
    if unknown:
        raise ValueError(
            f"--bounds name columns that are not in the data: {unknown}; its "
            f"columns are {[str(c) for c in data.columns]}."
        )
    numeric = [
        c
        for c in data.columns
        if c != target
        and pd.api.types.is_numeric_dtype(data[c].dtype)
        and not pd.api.types.is_bool_dtype(data[c].dtype)
        and not isinstance(data[c].dtype, pd.CategoricalDtype)
    ]
    missing = [c for c in numeric if c not in (bounds or {})]
    if missing:
        example = ", ".join(f'"{c}": [low, high]' for c in missing[:3])
        raise ValueError(
            f"--epsilon needs public bounds of the numeric columns {missing}, "
            "which skgan does not read off the data: pass --bounds FILE, a JSON "
            f"file such as {{{example}}} (values beyond are clipped), or declare "
            "a column's values with --categories FILE."
        )
