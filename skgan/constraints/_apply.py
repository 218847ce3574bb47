"""Rules as a reparametrisation of the table: applied before fit, undone on sampling."""

import json
import warnings

import numpy as np
import pandas as pd

from ..preprocessing._numeric import column_decimals, fold_into_range, release_range
from ._rules import FixedCombinations, Inequality, Range, _keys, rule_from_dict


class ConstraintSet:
    """A list of rules fitted to a table: the table the model learns, and back.

    Parameters
    ----------
    rules : list of Inequality, FixedCombinations or Range
        The rules.
    """

    def __init__(self, rules):
        if isinstance(rules, (Inequality, FixedCombinations, Range)):
            rules = [rules]
        if not isinstance(rules, (list, tuple)):
            raise TypeError(
                "constraints must be a list of rules from skgan.constraints; got "
                f"{type(rules).__name__}."
            )
        for rule in rules:
            if not isinstance(rule, (Inequality, FixedCombinations, Range)):
                raise TypeError(
                    "each constraint must be a rule from skgan.constraints "
                    "(Inequality, FixedCombinations, Range); got "
                    f"{rule!r}."
                )
        self.rules = list(rules)

    # -- fit ------------------------------------------------------------------

    def fit(self, frame, *, check_rows=True):
        """Check the rules against the table's columns and rows.

        Parameters
        ----------
        frame : DataFrame
            The training table, every row of which must hold every rule.
        check_rows : bool, default=True
            Refuse rows that break a rule (off to measure shares only).

        Returns
        -------
        self : ConstraintSet
        """
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(
                "constraints name columns: fit the synthesizer on a pandas DataFrame."
            )
        columns = [str(c) for c in frame.columns]
        written = [json.dumps(rule.to_dict(), sort_keys=True) for rule in self.rules]
        twice = sorted(
            {
                repr(r)
                for r, w in zip(self.rules, written, strict=True)
                if written.count(w) > 1
            }
        )
        if twice:
            raise ValueError(
                f"constraints {twice} are given more than once; give each rule once."
            )
        seen = {}
        for rule in self.rules:
            for column in rule.columns:
                if column not in columns:
                    raise ValueError(
                        f"constraint {rule!r} names column {column!r}, which is "
                        f"not in the table; its columns are {columns}."
                    )
                kind = (
                    "numeric" if isinstance(rule, (Inequality, Range)) else "discrete"
                )
                if kind == "numeric" and not _is_number(frame[column]):
                    raise ValueError(
                        f"constraint {rule!r} needs a numeric column; {column!r} "
                        f"is {frame[column].dtype}."
                    )
                for other in seen.setdefault(column, []):
                    if kind == "discrete" or other[0] == "discrete":
                        raise ValueError(
                            f"column {column!r} is in {other[1]!r} and {rule!r}; a "
                            "column of a FixedCombinations is in no other rule."
                        )
                    if isinstance(rule, Range) and isinstance(other[1], Range):
                        raise ValueError(
                            f"column {column!r} is in {other[1]!r} and {rule!r}; "
                            "state its bounds in one Range."
                        )
                seen[column].append((kind, rule))
                if kind == "discrete" and _is_number(frame[column]):
                    warnings.warn(
                        f"{rule!r} makes numeric column {column!r} discrete: only "
                        "its values seen in fit are generated. Drop it from the "
                        "rule to learn it as a number.",
                        UserWarning,
                        stacklevel=4,
                    )
        self.columns_ = columns
        self.dtypes_ = {c: str(frame[c].dtype) for c in columns}
        self._fit_inequalities(frame, check_rows)
        self.combinations_ = {}
        for rule in self.rules:
            if isinstance(rule, FixedCombinations):
                self.combinations_[rule.columns] = set(_keys(frame, rule.columns))
        if check_rows:
            self._check_rows(frame)
        return self

    def _fit_inequalities(self, frame, check_rows):
        """Which columns are rebuilt from which, and in what order.

        A column that is only ever a ``low`` (Stocks' Low) is learnt as its
        deficit below the smallest of its highs and rebuilt last; among the
        other columns each ``high`` is learnt as its excess over the largest
        of its lows, in an order where lows come first. Columns in the middle
        of the rules (Open, Close) and the tops of chains are learnt as they
        are, so their ties to other columns (Adj Close) stay direct.
        """
        inequalities = [r for r in self.rules if isinstance(r, Inequality)]
        highs_of = {}
        for rule in inequalities:
            highs_of.setdefault(rule.low, []).append(rule.high)
        is_high = {rule.high for rule in inequalities}
        bottoms = {c for c in highs_of if c not in is_high}
        lows = {}
        for rule in inequalities:
            if rule.low not in bottoms:
                lows.setdefault(rule.high, []).append(rule.low)
        order, pending = [], dict(lows)
        while pending:
            ready = [h for h, ls in pending.items() if not set(ls) & set(pending)]
            if not ready:
                raise ValueError(
                    "the Inequality rules go round in a circle over columns "
                    f"{sorted(pending)}; drop one of them."
                )
            for high in sorted(ready):
                order.append(high)
                del pending[high]
        self.lows_ = {h: lows[h] for h in order}
        self.highs_ = {b: highs_of[b] for b in sorted(bottoms)}
        self.decimals_, self.relative_, self.ranges_ = {}, {}, {}
        for column, others in [*self.lows_.items(), *self.highs_.items()]:
            involved = [column, *others]
            if check_rows and frame[involved].isna().to_numpy().any():
                raise ValueError(
                    f"the Inequality columns {involved} hold missing values; fill "
                    "or drop those rows, or drop the rule."
                )
            values = frame[involved].to_numpy(dtype=float)
            decimals = column_decimals(values)
            self.decimals_[column] = (
                None if (decimals < 0).any() else int(decimals.max())
            )
            # Positive numbers (prices) spread in proportion to their level:
            # the gap is learnt as a log ratio, which does not grow with it.
            self.relative_[column] = bool(len(values) and (values > 0).all())
            # A rebuilt column is kept in its own range (midpoints next to the
            # extremes of its distinct values, so that no training value is
            # stored even where a series' windows repeat every step): a bound
            # plus a gap, each in range, can pass it. Rows that hold the rule
            # have every low's range below its high's, so the rule survives.
            low, high = release_range(np.unique(values[:, 0])[:, None])
            self.ranges_[column] = [float(low[0]), float(high[0])]

    def holds(self, frame):
        """Which rows of ``frame`` hold each rule (a missing value breaks none).

        Parameters
        ----------
        frame : DataFrame
            Rows with the original columns.

        Returns
        -------
        held : dict
            ``{rule: ndarray of bool of shape (n_rows,)}``.
        """
        return {rule: self._holds(rule, frame) for rule in self.rules}

    def _check_rows(self, frame):
        # A missing value breaks no rule.
        broken = {str(r): int((~held).sum()) for r, held in self.holds(frame).items()}
        bad = {rule: n for rule, n in broken.items() if n}
        if bad:
            listed = "; ".join(f"{n} rows break {rule}" for rule, n in bad.items())
            raise ValueError(
                f"the training rows must hold every constraint: {listed}. Fix or "
                "drop those rows, or drop the rule."
            )

    def shares(self, frame):
        """The share of rows of ``frame`` that hold each rule.

        Parameters
        ----------
        frame : DataFrame
            Rows with the original columns.

        Returns
        -------
        shares : dict
            ``{str(rule): share in [0, 1]}``.
        """
        return {
            str(rule): float(held.mean()) if len(frame) else 1.0
            for rule, held in self.holds(frame).items()
        }

    def _holds(self, rule, frame):
        if isinstance(rule, FixedCombinations):
            held = rule.holds(frame, self.combinations_[rule.columns])
        else:
            held = rule.holds(frame)
        return held | frame[list(rule.columns)].isna().any(axis=1).to_numpy()

    # -- the learnt table -------------------------------------------------------

    def transform(self, frame):
        """The table the model learns: differences for highs, one column per
        fixed combination.

        Parameters
        ----------
        frame : DataFrame
            Rows with the original columns.

        Returns
        -------
        learnt : DataFrame
        """
        learnt = frame[self.columns_].copy()
        for column, others, side in self._gaps():
            bound = frame[others].to_numpy(dtype=float)
            bound = bound.max(axis=1) if side == "high" else bound.min(axis=1)
            value = frame[column].to_numpy(dtype=float)
            if self.relative_[column]:
                gap = np.log(value) - np.log(bound)
            else:
                gap = value - bound
                if self.decimals_[column] is not None:
                    gap = np.round(gap, self.decimals_[column])
            if side == "low":
                gap = -gap
            dtype = frame[column].dtype
            integer = not self.relative_[column] and all(
                pd.api.types.is_integer_dtype(frame[c].dtype) for c in [column, *others]
            )
            learnt[column] = pd.Series(gap, index=frame.index).astype(
                dtype if integer else float
            )
        for rule in self.rules:
            if isinstance(rule, FixedCombinations):
                keys = [json.dumps(list(k)) for k in _keys(frame, rule.columns)]
                first = learnt.columns.get_loc(rule.columns[0])
                learnt = learnt.drop(columns=list(rule.columns))
                learnt.insert(first, self._combined(rule), keys)
        return learnt

    def _gaps(self):
        """``(column, bounds, side)`` in rebuilding order: highs over their
        lows first, then the bottom columns under their highs."""
        return [(h, ls, "high") for h, ls in self.lows_.items()] + [
            (b, hs, "low") for b, hs in self.highs_.items()
        ]

    def combined_columns(self):
        """The learnt table's column of each fixed combination.

        Returns
        -------
        columns : dict
            ``{column name: FixedCombinations rule}``.
        """
        return {
            self._combined(rule): rule
            for rule in self.rules
            if isinstance(rule, FixedCombinations)
        }

    def _combined(self, rule):
        name = " & ".join(rule.columns)
        while name in self.columns_:
            name = f"[{name}]"
        return name

    def inverse_transform(self, learnt):
        """Generated rows of the learnt table as rows of the original one.

        Parameters
        ----------
        learnt : DataFrame
            As :meth:`transform` returns it.

        Returns
        -------
        frame : DataFrame
            The original columns, in order and dtype, every rule held.
        """
        frame = learnt.copy()
        for rule in self.rules:
            if isinstance(rule, FixedCombinations):
                combined = frame.pop(self._combined(rule))
                parsed = {k: json.loads(k) for k in pd.unique(combined.dropna())}
                for i, column in enumerate(rule.columns):
                    part = {k: values[i] for k, values in parsed.items()}
                    frame[column] = combined.map(part)
        for column, others, side in self._gaps():
            bound = frame[others].to_numpy(dtype=float)
            bound = bound.max(axis=1) if side == "high" else bound.min(axis=1)
            gap = np.maximum(frame[column].to_numpy(dtype=float), 0.0)
            sign = 1.0 if side == "high" else -1.0
            if self.relative_[column]:
                value = bound * np.exp(sign * gap)
            else:
                value = bound + sign * gap
            if column in getattr(self, "ranges_", {}):
                low, high = self.ranges_[column]
                value = fold_into_range(value[:, None], [low], [high])[:, 0]
                # Folding may cross the bound: back onto it, still in range.
                held = np.maximum if side == "high" else np.minimum
                value = np.clip(held(value, bound), low, high)
            if self.decimals_[column] is not None:
                step = 10.0 ** -self.decimals_[column]
                rounded = np.round(value, self.decimals_[column])
                # Bounds that carry more decimals (a series' channels) must
                # not end on the wrong side of the rounded value.
                wrong = rounded < bound if side == "high" else rounded > bound
                value = np.where(wrong, rounded + sign * step, rounded)
            frame[column] = value
        for rule in self.rules:
            if isinstance(rule, Range):
                low = -np.inf if rule.low is None else rule.low
                high = np.inf if rule.high is None else rule.high
                frame[rule.column] = frame[rule.column].clip(low, high)
        frame = frame[self.columns_]
        return frame.astype(self.dtypes_)

    def describe(self, learnt_columns):
        """The original columns, described as the model's fitted ones are.

        Parameters
        ----------
        learnt_columns : list of dict
            The fitted columns of the model's transformer, which learnt the
            reparametrised table.

        Returns
        -------
        columns : list of dict
            Per original column: ``name``, ``dtype``, ``kind`` and
            ``missing``, with ``categories`` for a discrete one.
        """
        learnt = {c["name"]: c for c in learnt_columns}
        parts = {}
        for rule in self.rules:
            if isinstance(rule, FixedCombinations):
                for i, column in enumerate(rule.columns):
                    values = {k[i] for k in self.combinations_[rule.columns]}
                    parts[column] = sorted(values, key=lambda v: (v is None, str(v)))
        described = []
        for name in self.columns_:
            entry = {"name": name, "dtype": self.dtypes_[name]}
            if name in parts:
                entry.update(kind="categorical", missing=None in parts[name])
                entry["categories"] = [v for v in parts[name] if v is not None]
            elif name in self.lows_ or name in self.highs_:
                entry.update(kind="numeric", missing=False)
            else:
                column = learnt[name]
                entry.update(kind=column["kind"], missing=bool(column.get("missing")))
                if column["kind"] == "categorical":
                    entry["categories"] = column["categories"]
            described.append(entry)
        return described

    # -- export -----------------------------------------------------------------

    def to_state(self):
        """The fitted set as JSON-able values (stored in an export).

        Returns
        -------
        state : dict
        """
        return {
            "rules": [rule.to_dict() for rule in self.rules],
            "columns": self.columns_,
            "dtypes": self.dtypes_,
            "lows": self.lows_,
            "highs": self.highs_,
            "decimals": self.decimals_,
            "relative": self.relative_,
            "ranges": self.ranges_,
        }

    @classmethod
    def from_state(cls, state, learnt_columns):
        """The set :meth:`to_state` wrote.

        The combinations seen in ``fit`` are not stored (a combination seen
        once would be a training value): those a model can generate are the
        categories of its combined columns, read from ``learnt_columns``.

        Parameters
        ----------
        state : dict
            From :meth:`to_state`.
        learnt_columns : list of dict
            The fitted columns of the model's transformer (``columns_``).

        Returns
        -------
        constraints : ConstraintSet
        """
        fitted = cls([rule_from_dict(r) for r in state["rules"]])
        fitted.columns_ = list(state["columns"])
        fitted.dtypes_ = dict(state["dtypes"])
        fitted.lows_ = {h: list(ls) for h, ls in state["lows"].items()}
        fitted.highs_ = {b: list(hs) for b, hs in state["highs"].items()}
        fitted.decimals_ = dict(state["decimals"])
        fitted.relative_ = dict(state["relative"])
        # Exports before the ranges keep what they sampled then.
        fitted.ranges_ = dict(state.get("ranges", {}))
        categories = {c["name"]: c.get("categories", []) for c in learnt_columns}
        fitted.combinations_ = {
            rule.columns: {
                tuple(json.loads(k)) for k in categories[fitted._combined(rule)]
            }
            for rule in fitted.rules
            if isinstance(rule, FixedCombinations)
        }
        return fitted


def _is_number(series):
    return pd.api.types.is_numeric_dtype(
        series.dtype
    ) and not pd.api.types.is_bool_dtype(series.dtype)


def channel_rules(rules, n_channels, names=None):
    """A series' rules over channel positions, as a set over named columns.

    Parameters
    ----------
    rules : list of Inequality or Range
        Rules naming channels by position.
    n_channels : int
        The series' channels.
    names : array-like of str, default=None
        The channels' names, when the series came as a DataFrame: rules may
        then name channels too.

    Returns
    -------
    constraints : ConstraintSet
        Over columns named ``"0"``, ``"1"``, ...: fit it on the windows' time
        steps as rows.
    """
    named = []
    position = {} if names is None else {str(n): i for i, n in enumerate(names)}
    for rule in ConstraintSet(rules).rules:
        if isinstance(rule, FixedCombinations):
            raise ValueError(
                "a series' channels are numbers: FixedCombinations does not apply; "
                "use Inequality or Range."
            )
        for channel in rule.columns:
            channel = position.get(channel, channel)
            if not isinstance(channel, int) or channel >= n_channels:
                raise ValueError(
                    f"{rule!r} must name channels by their position, 0 to "
                    f"{n_channels - 1}"
                    + ("" if names is None else f", or by name, {list(position)}")
                    + f"; got {channel!r}."
                )
        entry = rule.to_dict()
        for key in ("low", "high") if isinstance(rule, Inequality) else ("column",):
            entry[key] = str(position.get(entry[key], entry[key]))
        named.append(rule_from_dict(entry))
    return ConstraintSet(named)
