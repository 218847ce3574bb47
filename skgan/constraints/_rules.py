"""Rules a generated row must hold: inequalities, fixed combinations, ranges."""

import numbers

import numpy as np
import pandas as pd


def _name(value, what):
    """A column name, or a channel's position (a series' channels have none)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"{what} must be a channel position >= 0; got {value}.")
        return int(value)
    if not isinstance(value, str) or not value:
        raise TypeError(
            f"{what} must be a column name (a string) or, for a series, a channel "
            f"position (an integer); got {value!r}."
        )
    return value


class Inequality:
    """``low <= high`` in every row: one numeric column never exceeds another.

    Learnt by reparametrising: the model learns ``high - low`` (never
    negative) in place of ``high``, and ``high`` is rebuilt from the
    generated ``low`` and difference, so every generated row holds the rule
    without rejecting any. Several rules may share a ``high`` (High >= Low,
    High >= Open, High >= Close: ``High`` is learnt as its excess over the
    largest of them) or chain (a ``high`` of one rule the ``low`` of
    another); circles are refused.

    Parameters
    ----------
    low : str or int
        The column that is never above ``high`` (for
        :class:`~skgan.GANSeriesSynthesizer`, a channel's position).
    high : str or int
        The column that is never below ``low``.

    Examples
    --------
    >>> from skgan.constraints import Inequality
    >>> Inequality(low="Low", high="High")
    Inequality(low='Low', high='High')
    """

    def __init__(self, low, high):
        self.low = _name(low, "low")
        self.high = _name(high, "high")
        if low == high:
            raise ValueError(f"Inequality needs two columns; got {low!r} twice.")

    @property
    def columns(self):
        """The columns the rule reads, as a tuple."""
        return (self.low, self.high)

    def holds(self, frame):
        """Which rows hold the rule.

        Parameters
        ----------
        frame : DataFrame
            Rows with the rule's columns.

        Returns
        -------
        mask : ndarray of bool of shape (n_rows,)
            True where ``low <= high``.
        """
        return frame[self.low].to_numpy(dtype=float) <= frame[self.high].to_numpy(
            dtype=float
        )

    def to_dict(self):
        """The rule as JSON-able values (stored in an export).

        Returns
        -------
        rule : dict
            ``{"rule": "Inequality", "low": ..., "high": ...}``.
        """
        return {"rule": "Inequality", "low": self.low, "high": self.high}

    def __repr__(self):
        return f"Inequality(low={self.low!r}, high={self.high!r})"

    def __str__(self):
        return f"{self.high} >= {self.low}"


class FixedCombinations:
    """The values of some discrete columns come only in combinations seen in ``fit``.

    Learnt by reparametrising: the columns are learnt as one discrete column
    of their combinations and split again, so no generated row pairs values
    that never occur together (a species on an island where it does not
    live). Combinations seen once are recoded like any rare category.
    Conditions cannot name these columns.

    Parameters
    ----------
    columns : list of str
        Two or more discrete columns.

    Examples
    --------
    >>> from skgan.constraints import FixedCombinations
    >>> FixedCombinations(["species", "island"])
    FixedCombinations(['species', 'island'])
    """

    def __init__(self, columns):
        if isinstance(columns, str) or not hasattr(columns, "__iter__"):
            raise TypeError(
                f"FixedCombinations takes a list of column names; got {columns!r}."
            )
        self.columns = tuple(_name(c, "each column") for c in columns)
        if len(set(self.columns)) < 2:
            raise ValueError(
                "FixedCombinations needs at least two different columns; got "
                f"{list(self.columns)}."
            )

    def holds(self, frame, combinations):
        """Which rows show a combination among ``combinations``.

        Parameters
        ----------
        frame : DataFrame
            Rows with the rule's columns.
        combinations : set of tuple
            The allowed combinations (from the training rows).

        Returns
        -------
        mask : ndarray of bool of shape (n_rows,)
        """
        keys = _keys(frame, self.columns)
        return np.array([k in combinations for k in keys], dtype=bool)

    def to_dict(self):
        """The rule as JSON-able values (stored in an export).

        Returns
        -------
        rule : dict
            ``{"rule": "FixedCombinations", "columns": [...]}``.
        """
        return {"rule": "FixedCombinations", "columns": list(self.columns)}

    def __repr__(self):
        return f"FixedCombinations({list(self.columns)!r})"

    def __str__(self):
        return f"combinations of {', '.join(self.columns)} as seen"


class Range:
    """``low <= column <= high`` for public constant bounds.

    The numeric encodings already keep a column within its observed range,
    which ``fit`` checks lies inside the bounds; the generated values are
    clipped to the bounds as a guarantee.

    Parameters
    ----------
    column : str or int
        A numeric column (for :class:`~skgan.GANSeriesSynthesizer`, a
        channel's position).
    low, high : float or None, default=None
        The bounds; at least one, and ``low < high`` when both.

    Examples
    --------
    >>> from skgan.constraints import Range
    >>> Range("Volume", low=0)
    Range('Volume', low=0, high=None)
    """

    def __init__(self, column, low=None, high=None):
        self.column = _name(column, "column")
        for bound, value in (("low", low), ("high", high)):
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or not np.isfinite(value)
            ):
                raise TypeError(
                    f"Range {bound} must be a finite number; got {value!r}."
                )
        if low is None and high is None:
            raise ValueError(f"Range({column!r}) needs low, high or both.")
        if low is not None and high is not None and not low < high:
            raise ValueError(f"Range needs low < high; got low={low}, high={high}.")
        self.low, self.high = low, high

    @property
    def columns(self):
        """The column the rule reads, as a tuple."""
        return (self.column,)

    def holds(self, frame):
        """Which rows hold the rule.

        Parameters
        ----------
        frame : DataFrame
            Rows with the rule's column.

        Returns
        -------
        mask : ndarray of bool of shape (n_rows,)
        """
        values = frame[self.column].to_numpy(dtype=float)
        low = -np.inf if self.low is None else self.low
        high = np.inf if self.high is None else self.high
        return (values >= low) & (values <= high)

    def to_dict(self):
        """The rule as JSON-able values (stored in an export).

        Returns
        -------
        rule : dict
            ``{"rule": "Range", "column": ..., "low": ..., "high": ...}``.
        """
        return {
            "rule": "Range",
            "column": self.column,
            "low": self.low,
            "high": self.high,
        }

    def __repr__(self):
        return f"Range({self.column!r}, low={self.low!r}, high={self.high!r})"

    def __str__(self):
        low = "" if self.low is None else f"{self.low} <= "
        high = "" if self.high is None else f" <= {self.high}"
        return f"{low}{self.column}{high}"


RULES = {
    "Inequality": Inequality,
    "FixedCombinations": FixedCombinations,
    "Range": Range,
}


def rule_from_dict(entry):
    """The rule that :meth:`to_dict` wrote.

    Parameters
    ----------
    entry : dict
        From a rule's ``to_dict``.

    Returns
    -------
    rule : Inequality, FixedCombinations or Range
    """
    entry = dict(entry)
    kind = RULES[entry.pop("rule")]
    return kind(**entry)


def _plain(value):
    """A cell as a JSON value: NumPy scalars as Python ones, missing as None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _keys(frame, columns):
    """Each row's combination of ``columns`` as a tuple of plain values."""
    values = frame[list(columns)].astype(object).to_numpy()
    return [tuple(_plain(v) for v in row) for row in values]
