"""A reversible transformer for mixed-type tables: numbers, categories, missing."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._columns import (
    _fresh_identifiers,
    _identifier,
    _numpy_dtype,
    _plain,
    _restore,
    describe,
)
from ._modes import _ModeNormalisation
from ._numeric import NumericScaler
from ._private import fit_private


class TabularTransformer(_ModeNormalisation, TransformerMixin, BaseEstimator):
    """Reversible encoding of a mixed-type table for GAN training.

    Numeric columns are scaled to a roughly standard-normal range, discrete
    columns one-hot encoded, and missing values learnt as indicator columns;
    :meth:`inverse_transform` maps generated rows back to a table with the
    original columns, categories and pandas dtypes. Only values seen in
    ``fit`` ever come back in a discrete column: a category is never invented.

    Parameters
    ----------
    numeric : {"quantile", "standard", "gmm"}, default="quantile"
        How numeric columns are normalised. ``"quantile"`` and ``"standard"``
        are those of :class:`NumericScaler` (one output column each).
        ``"gmm"`` is the mode-specific normalisation of CTGAN: a Bayesian
        Gaussian mixture per column, and each value encoded as the one-hot
        mode it most likely belongs to plus its standardised distance to
        that mode's mean (``1 + n_modes`` output columns at most).
    categorical_columns : list of str or int, default=None
        Columns to treat as categorical although their dtype is numeric.
        Boolean, object, string and ``category`` columns are always
        categorical.
    identifier_columns : list of str or int, default=None
        Columns that identify a record (a name, a patient number). None of
        their values is stored or generated: each generated row gets a fresh
        identifier of the same shape (the values' common prefix, then random
        digits, or letters and digits, one more than the longest value had,
        so that no fresh identifier can equal a real one). Any other
        discrete column with a distinct value in nearly every row (more than
        20 values, at least 90% of the rows distinct) is refused, because
        learning it would store and replay every value.
    max_integer_categories : int, default=10
        A numeric column whose observed values are all whole numbers (an
        integer dtype, or floats such as a 0/1 label read with missing
        values) with at most this many distinct values, each seen twice on
        average, is a category: a 0/1 label, a count of children, a year
        among a few. Learnt as a
        number and rounded, such a column loses its proportions (a label
        with 10.9% ones came back with 3.4%, and with 10.9% as a category:
        ``benchmarks/results/edges_*.md``). 0 turns the rule off;
        ``categorical_columns`` adds columns beyond it.
    min_category_count : int, default=1
        Categories seen fewer times in ``fit`` are recoded to the column's
        most frequent category (statistical disclosure control's global
        recoding): they are never stored or generated. At 2, which
        :class:`~skgan.GANSynthesizer` uses, no value that occurs once (a
        single record's rare country, say) leaves with a released generator.
        A column whose every value is that rare is refused with an error
        that names it.
    n_quantiles : int, default=1000
        Quantiles per numeric column for ``numeric="quantile"``.
    point_mass_share : float in (0, 1) or None, default=None
        With ``numeric="quantile"`` or ``"standard"``: a numeric column whose
        commonest value holds at least this share of the observed rows (the
        zeros of a payment or of hours of rain) learns that value as a state
        of its own, a two-way one-hot block beside the number, and the number
        learns only the other values. Generated rows then take the value
        exactly, at its rate, and the tail beside it keeps its own shape; a
        quantile map alone spreads the point mass into small values or
        swallows the tail. None: no point masses.
    n_modes : int, default=10
        Largest number of mixture components per column for ``numeric="gmm"``.
    random_state : int, RandomState instance or None, default=None
        Seeds the Gaussian mixtures and the values that stand in for missing
        numbers during training (drawn from the column's observed values, so
        the column's distribution is unchanged; the indicator column says the
        value is missing).

    Attributes
    ----------
    columns_ : list of dict
        One description per input column: ``name``, ``kind`` (``"numeric"``
        or ``"categorical"``), ``dtype`` (its pandas dtype as a string),
        ``missing`` (whether it had missing values) and, for categorical
        columns, ``categories`` (the values seen in ``fit``, in order).
    output_blocks_ : list of tuple
        The layout of the encoded rows: ``("numeric", 1)`` for a scaled value
        and ``("softmax", k)`` for a one-hot block of ``k`` columns (a
        category, a mixture mode, or observed / missing).
    condition_blocks_ : list of tuple
        ``(start, width, column_index)`` of each categorical column's one-hot
        block with at least two categories: the values a conditional
        generator can be asked for.
    scaler_ : NumericScaler or None
        The scaler of the numeric columns (``numeric`` other than ``"gmm"``).
    modes_ : list of tuple of ndarray
        For ``numeric="gmm"``: ``(means, stds)`` of the kept mixture
        components of each numeric column.
    n_features_in_ : int
        Number of columns seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names seen during ``fit``, when ``X`` is a DataFrame.

    See Also
    --------
    NumericScaler : The scaling of numeric-only data used by the samplers.

    Examples
    --------
    >>> import pandas as pd
    >>> from skgan.preprocessing import TabularTransformer
    >>> df = pd.DataFrame({"size": [1.5, 2.0, None, 4.0],
    ...                    "colour": pd.Categorical(["red", "blue", "red", "red"]),
    ...                    "count": [1, 2, 3, 4]})
    >>> tt = TabularTransformer(numeric="standard", random_state=0).fit(df)
    >>> tt.transform(df).shape
    (4, 6)
    >>> back = tt.inverse_transform(tt.transform(df))
    >>> back.dtypes.astype(str).tolist()
    ['float64', 'category', 'int64']
    >>> back["colour"].tolist(), back["size"].isna().tolist()
    (['red', 'blue', 'red', 'red'], [False, False, True, False])
    """

    _parameter_constraints: dict = {
        "numeric": [StrOptions({"quantile", "standard", "gmm"})],
        "categorical_columns": ["array-like", None],
        "identifier_columns": ["array-like", None],
        "max_integer_categories": [Interval(Integral, 0, None, closed="left")],
        "min_category_count": [Interval(Integral, 1, None, closed="left")],
        "n_quantiles": [Interval(Integral, 2, None, closed="left")],
        "point_mass_share": [Interval(Real, 0, 1, closed="neither"), None],
        "n_modes": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        numeric="quantile",
        *,
        categorical_columns=None,
        identifier_columns=None,
        max_integer_categories=10,
        min_category_count=1,
        n_quantiles=1000,
        n_modes=10,
        point_mass_share=None,
        random_state=None,
    ):
        self.numeric = numeric
        self.categorical_columns = categorical_columns
        self.identifier_columns = identifier_columns
        self.max_integer_categories = max_integer_categories
        self.min_category_count = min_category_count
        self.n_quantiles = n_quantiles
        self.n_modes = n_modes
        self.point_mass_share = point_mass_share
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the encoding of each column.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The table. Numeric columns may hold NaN (learnt as missing), not
            infinity; datetime and other non-tabular dtypes are refused.
        y : None
            Ignored.

        Returns
        -------
        self : TabularTransformer
            The fitted transformer.
        """
        frame = self._as_frame(X, reset=True)
        if len(frame) < 2:
            raise ValueError(
                f"TabularTransformer needs at least 2 rows to learn an encoding; "
                f"got n_samples={len(frame)}."
            )
        forced = self._named(frame, self.categorical_columns, "categorical_columns")
        identifiers = self._named(frame, self.identifier_columns, "identifier_columns")
        self._seed = check_random_state(self.random_state).randint(
            np.iinfo(np.int32).max
        )
        self.columns_, self._recode = [], {}
        for name in frame.columns:
            if name in identifiers:
                self.columns_.append(_identifier(frame[name]))
                continue
            column, rare = describe(
                frame[name],
                forced=name in forced,
                max_integer_categories=self.max_integer_categories,
                min_category_count=self.min_category_count,
            )
            self.columns_.append(column)
            if rare:
                # In memory only, for transform: the rare values themselves
                # are what must not be released.
                counts = frame[name].map(_plain, na_action="ignore").value_counts()
                target = max(column["categories"], key=lambda v: counts.get(v, 0))
                self._recode[name] = (set(rare), target)
        if self.point_mass_share is not None and self.numeric != "gmm":
            self._find_point_masses(frame)
        # Learnt from the observed values only: stand-ins for missing ones
        # would repeat values that occur once and let them into the tables.
        observed = self._numeric_matrix(frame, fill=False)
        self.scaler_, self.modes_ = None, []
        if observed.shape[1] and self.numeric == "gmm":
            self._fit_modes(observed, self._numeric_matrix(frame))
        elif observed.shape[1]:
            self.scaler_ = NumericScaler(
                self.numeric, n_quantiles=self.n_quantiles
            ).fit(observed)
        self._set_layout()
        return self

    def _fit_private(self, X, *, bounds, epsilon, delta, rng, whole=None):
        """Fit within a differential-privacy budget (see ``_private.py``).

        ``whole`` maps columns that must keep every value (a fixed
        combination's) to what to call them in the refusal.

        Returns
        -------
        spent : tuple of float
            ``(epsilon, delta)`` spent on the discrete columns' noisy counts.
        """
        frame = self._as_frame(X, reset=True)
        if self.identifier_columns:
            raise ValueError(
                "identifier_columns cannot be used with epsilon (their shape is "
                "read off the data); drop those columns."
            )
        if self.numeric != "quantile":
            raise ValueError(
                "with epsilon, numeric columns are scaled between their public "
                "bounds; leave numeric='quantile'."
            )
        self._seed = int(rng.integers(np.iinfo(np.int32).max))
        forced = self._named(frame, self.categorical_columns, "categorical_columns")
        return fit_private(
            self,
            frame,
            bounds=bounds,
            forced=forced,
            epsilon=epsilon,
            delta=delta,
            rng=rng,
            whole=whole or {},
        )

    def _as_frame(self, X, *, reset):
        if isinstance(X, pd.Series):
            X = X.to_frame()
        if not isinstance(X, pd.DataFrame):
            if hasattr(X, "toarray"):
                raise TypeError(
                    "TabularTransformer needs dense input; convert the sparse "
                    "matrix with X.toarray()."
                )
            array = np.asarray(X)
            if array.ndim != 2:
                raise ValueError(
                    f"Expected 2D array, got an array of shape {array.shape} instead. "
                    "Reshape your data to a table (n_samples, n_features), for "
                    "example with array.reshape(-1, 1) for a single feature."
                )
            X = pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])
            X = X.infer_objects()
            frame_in = False
        else:
            frame_in = True
        if X.shape[1] == 0:
            raise ValueError(
                f"X has 0 feature(s) (shape=({len(X)}, 0)) while a minimum of 1 is "
                "required; pass a table with at least one column."
            )
        if not X.columns.is_unique:
            dup = X.columns[X.columns.duplicated()].unique().tolist()
            raise ValueError(f"X has duplicated column names {dup}; rename them.")
        names = [str(c) for c in X.columns]
        if reset:
            self.n_features_in_ = X.shape[1]
            self._frame_in = frame_in
            if frame_in:
                self.feature_names_in_ = np.asarray(names, dtype=object)
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        else:
            expected = [c["name"] for c in self.columns_]
            if X.shape[1] != len(expected) or (
                frame_in and self._frame_in and names != expected
            ):
                missing = sorted(set(expected) - set(names))
                extra = sorted(set(names) - set(expected))
                raise ValueError(
                    f"X has {len(names)} features, but TabularTransformer is "
                    f"expecting {len(expected)} features as input: X has columns "
                    f"{names} but the transformer was fitted on "
                    f"{expected} (missing {missing}, unexpected {extra}); pass the "
                    "same columns in the same order."
                )
        X = X.copy()
        X.columns = names
        return X

    @staticmethod
    def _named(frame, columns, parameter):
        """The column names a parameter lists (by name or position)."""
        names = set()
        for col in columns or []:
            if isinstance(col, Integral) and not isinstance(col, bool):
                if not 0 <= col < frame.shape[1]:
                    raise ValueError(
                        f"{parameter} has index {col} but X has "
                        f"{frame.shape[1]} columns."
                    )
                names.add(frame.columns[col])
            elif str(col) in frame.columns:
                names.add(str(col))
            else:
                raise ValueError(
                    f"{parameter} names {col!r}, which is not a column of "
                    f"X; its columns are {list(frame.columns)}."
                )
        return names

    def _find_point_masses(self, frame):
        """Mark numeric columns whose commonest value holds a large share."""
        for column in self.columns_:
            if column["kind"] != "numeric":
                continue
            values = frame[column["name"]].dropna().to_numpy(dtype=np.float64)
            uniques, counts = np.unique(values, return_counts=True)
            top = counts.argmax()
            rest = len(values) - counts[top]
            # A value of a single record is never stored (two at least), and
            # the rest must hold a distribution of its own to learn.
            share = counts[top] >= self.point_mass_share * len(values)
            if share and counts[top] >= 2 and rest >= 2:
                if len(np.unique(values[values != uniques[top]])) >= 2:
                    column["point_mass"] = float(uniques[top])

    def _point_mass_rows(self, frame, column):
        """Rows of ``frame`` at the column's point mass (False where missing)."""
        x = frame[column["name"]].to_numpy(dtype=np.float64, na_value=np.nan)
        return x == column["point_mass"]

    def _numeric_columns(self):
        return [c["name"] for c in self.columns_ if c["kind"] == "numeric"]

    def _numeric_matrix(self, frame, *, fill=True):
        """Numeric columns as floats, missing values stood in by observed ones.

        With ``fill=False`` missing values stay NaN.
        """
        names = self._numeric_columns()
        numbers = (
            np.column_stack(
                [frame[n].to_numpy(dtype=np.float64, na_value=np.nan) for n in names]
            )
            if names
            else np.empty((len(frame), 0))
        )
        if np.isinf(numbers).any():
            raise ValueError(
                "X contains infinity in a numeric column; replace it with a finite "
                "value or NaN (missing)."
            )
        bounds = getattr(self, "_private_bounds", None)
        if bounds is not None:
            # Private encoding: clipped to the public bounds, and a missing
            # value stood in by their midpoint, never by another record's.
            np.clip(numbers, bounds[:, 0], bounds[:, 1], out=numbers)
            if fill:
                numbers = np.where(np.isnan(numbers), self._private_fill, numbers)
            return numbers
        rng = np.random.default_rng(self._seed)
        numeric_specs = [c for c in self.columns_ if c["kind"] == "numeric"]
        for j in range(numbers.shape[1]):
            if "point_mass" in numeric_specs[j]:
                # The number learns the other values only; rows at the point
                # mass get stand-ins, as missing values do, and their state
                # says which they are.
                at = numbers[:, j] == numeric_specs[j]["point_mass"]
                numbers[at, j] = np.nan
            gaps = np.isnan(numbers[:, j])
            if gaps.all():
                raise ValueError(f"column {names[j]!r} has no observed value.")
            if gaps.any() and fill:
                numbers[gaps, j] = rng.choice(numbers[~gaps, j], gaps.sum())
        return numbers

    def _set_layout(self):
        blocks, conditions, names, start = [], [], [], 0
        # Per numeric column: its output column and the states that must be
        # on for the number to be used ("other" than the point mass,
        # "observed"), what a calibration of the numbers reads.
        numbers = []
        modes = iter(self.modes_)
        for index, column in enumerate(self.columns_):
            name = column["name"]
            if column["kind"] == "numeric":
                numbers.append((len(names), []))
                blocks.append(("numeric", 1))
                names.append(name)
                if self.numeric == "gmm":
                    k = len(next(modes)[0])
                    blocks.append(("softmax", k))
                    names += [f"{name}_mode{m}" for m in range(k)]
                if "point_mass" in column:
                    numbers[-1][1].append(len(names))
                    blocks.append(("softmax", 2))
                    names += [f"{name}_other", f"{name}_is_{column['point_mass']:g}"]
                if column["missing"]:
                    numbers[-1][1].append(len(names))
                    blocks.append(("softmax", 2))
                    names += [f"{name}_observed", f"{name}_missing"]
            elif column["kind"] == "identifier":
                continue
            else:
                values = column["categories"] + ([None] if column["missing"] else [])
                blocks.append(("softmax", len(values)))
                names += [f"{name}_{'missing' if v is None else v}" for v in values]
                if len(values) > 1:
                    conditions.append((start, len(values), index))
            start = len(names)
        self.output_blocks_ = blocks
        self.condition_blocks_ = conditions
        self._number_outputs = numbers
        self._names_out = np.asarray(names, dtype=object)

    def transform(self, X):
        """Encode a table for the networks.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows with the columns seen in ``fit``.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_features_out)
            The encoded rows, as float64.
        """
        check_is_fitted(self)
        frame = self._as_frame(X, reset=False)
        numbers = self._numeric_matrix(frame)
        if self.scaler_ is not None:
            scaled = self.scaler_.transform(numbers)
        parts, j = [], 0
        for column in self.columns_:
            name = column["name"]
            if column["kind"] == "numeric":
                if self.scaler_ is not None:
                    parts.append(scaled[:, j : j + 1])
                else:
                    parts += self._encode_mode(j, numbers[:, j])
                if "point_mass" in column:
                    at = self._point_mass_rows(frame, column)
                    parts.append(np.column_stack([~at, at]))
                if column["missing"]:
                    gaps = frame[name].isna().to_numpy()
                    parts.append(np.column_stack([~gaps, gaps]))
                j += 1
            elif column["kind"] == "categorical":
                series = frame[name]
                if name in getattr(self, "_recode", {}):
                    rare, target = self._recode[name]
                    series = series.map(_plain, na_action="ignore")
                    series = series.mask(series.isin(rare), target)
                if name in getattr(self, "_missing_to", {}):
                    # Private encoding without a missing state for this
                    # column: a record's missing value joins the commonest.
                    series = series.map(_plain, na_action="ignore")
                    series = series.mask(series.isna(), self._missing_to[name])
                parts.append(self._encode_category(column, series))
        if not parts:
            return np.empty((len(frame), 0))
        return np.hstack(parts).astype(np.float64)

    @staticmethod
    def _encode_category(column, series):
        categories = column["categories"]
        # -1 for missing and unseen values alike; unseen ones are refused.
        codes = pd.Index(categories).get_indexer(series.map(_plain, na_action="ignore"))
        unknown = (codes < 0) & series.notna().to_numpy()
        if unknown.any():
            values = pd.unique(series[unknown]).tolist()[:5]
            raise ValueError(
                f"column {column['name']!r} has values {values} not seen in fit; "
                "refit on data that contains them."
            )
        width = len(categories) + column["missing"]
        codes = np.where(codes < 0, len(categories), codes)
        onehot = np.zeros((len(series), width))
        onehot[np.arange(len(series)), codes] = 1.0
        return onehot

    def inverse_transform(self, X):
        """Decode encoded rows back to a table with the original columns and dtypes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_out)
            Encoded rows, for example a generator's output. In each one-hot
            block the largest entry wins.

        Returns
        -------
        table : DataFrame or ndarray of shape (n_samples, n_features)
            A DataFrame with the fitted columns and dtypes when ``fit`` got a
            DataFrame, else an array.
        """
        check_is_fitted(self)
        return self._decode(X, [getattr(self, "_seed", 0), len(X)])

    def _decode(self, X, id_seed):
        """:meth:`inverse_transform`, fresh identifiers seeded by ``id_seed``."""
        Z = np.asarray(X)
        width = sum(w for _, w in self.output_blocks_)
        if Z.ndim != 2 or Z.shape[1] != width:
            raise ValueError(
                f"inverse_transform expects an array of shape (n_samples, {width}); "
                f"got shape {Z.shape}."
            )
        starts = np.cumsum([0] + [w for _, w in self.output_blocks_])
        numeric_at, pos = [], 0
        for column in self.columns_:
            if column["kind"] == "numeric":
                numeric_at.append(pos)
                pos += (
                    1
                    + (self.numeric == "gmm")
                    + ("point_mass" in column)
                    + column["missing"]
                )
            elif column["kind"] == "categorical":
                pos += 1
        if self.scaler_ is not None and numeric_at:
            numbers = self.scaler_.inverse_transform(Z[:, starts[numeric_at]])
        out, pos, j = {}, 0, 0
        for column in self.columns_:
            if column["kind"] == "numeric":
                pos += 1
                if self.scaler_ is not None:
                    values = numbers[:, j]
                else:
                    block = Z[:, starts[pos] : starts[pos + 1]]
                    values = self._decode_mode(j, Z[:, starts[pos - 1]], block)
                    pos += 1
                if "point_mass" in column:
                    block = Z[:, starts[pos] : starts[pos + 1]]
                    at = block[:, 1] > block[:, 0]
                    values = np.where(at, column["point_mass"], values)
                    pos += 1
                if column["missing"]:
                    block = Z[:, starts[pos] : starts[pos + 1]]
                    values = np.where(block[:, 1] > block[:, 0], np.nan, values)
                    pos += 1
                j += 1
            elif column["kind"] == "identifier":
                rng = np.random.default_rng(id_seed)
                out[column["name"]] = _fresh_identifiers(column, len(Z), rng)
                continue
            else:
                block = Z[:, starts[pos] : starts[pos + 1]]
                code = block.argmax(axis=1)
                pos += 1
                # The last entry of the block is "missing" only if there is one.
                if not column["missing"]:
                    code = np.minimum(code, len(column["categories"]) - 1)
                typed = _numpy_dtype(column)
                if typed is not None and not column["missing"]:
                    # Whole numbers as categories (an hour, a month): read
                    # off a table of their own dtype, not through objects.
                    table = np.asarray(column["categories"]).astype(typed)
                    out[column["name"]] = table[code]
                    continue
                table = np.array(column["categories"] + [np.nan], dtype=object)
                values = table[code]
            out[column["name"]] = _restore(values, column)
        # One block per column, as decoded: consolidating them into 2-D blocks
        # copies every (strided) column once more, an eighth of sampling.
        frame = pd.DataFrame(out, copy=False)
        if not self._frame_in:
            return frame.to_numpy()
        return frame

    def _export_state(self):
        """The fitted encoding as JSON-able metadata and named arrays.

        The inverse direction only (:meth:`inverse_transform`): what a
        released generator needs, nothing from which rows could be read back
        beyond the per-column quantiles.
        """
        meta = {
            "numeric": self.numeric,
            "frame": self._frame_in,
            "columns": self.columns_,
        }
        arrays = {}
        if self.scaler_ is not None:
            meta["scaler"], scaler_arrays = self.scaler_._export_state()
            arrays.update({f"scaler.{k}": v for k, v in scaler_arrays.items()})
        if self.modes_:
            for name in ("range_min_", "range_max_", "integer_mask_", "decimals_"):
                arrays[f"modes.{name}"] = getattr(self, name)
            for j, (means, stds) in enumerate(self.modes_):
                arrays[f"modes.{j}.means"] = means
                arrays[f"modes.{j}.stds"] = stds
        return meta, arrays

    @classmethod
    def _from_state(cls, meta, arrays):
        """A transformer for :meth:`inverse_transform`, from :meth:`_export_state`."""
        self = cls(numeric=meta["numeric"])
        self.columns_ = list(meta["columns"])
        self._frame_in = bool(meta["frame"])
        self.n_features_in_ = len(self.columns_)
        if self._frame_in:
            self.feature_names_in_ = np.asarray(
                [c["name"] for c in self.columns_], dtype=object
            )
        self.scaler_, self.modes_ = None, []
        if meta.get("scaler"):
            self.scaler_ = NumericScaler._from_state(
                meta["scaler"],
                {
                    k.removeprefix("scaler."): v
                    for k, v in arrays.items()
                    if k.startswith("scaler.")
                },
            )
        elif self.numeric == "gmm":
            n_numeric = sum(c["kind"] == "numeric" for c in self.columns_)
            self.modes_ = [
                (arrays[f"modes.{j}.means"], arrays[f"modes.{j}.stds"])
                for j in range(n_numeric)
            ]
            self.range_min_ = arrays["modes.range_min_"]
            self.range_max_ = arrays["modes.range_max_"]
            self.integer_mask_ = arrays["modes.integer_mask_"].astype(bool)
            if "modes.decimals_" in arrays:
                self.decimals_ = arrays["modes.decimals_"].astype(np.int64)
        self._set_layout()
        return self

    def get_feature_names_out(self, input_features=None):
        """Names of the encoded columns.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Unused beyond scikit-learn's check; the names seen in ``fit``.

        Returns
        -------
        names : ndarray of str
            ``name`` for a scaled number, ``name_value`` for a one-hot
            category, ``name_modeK`` for a mixture mode and
            ``name_observed`` / ``name_missing`` for a missing indicator.
        """
        check_is_fitted(self)
        return self._names_out.copy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags
