"""A reversible scaler that sits in front of the networks."""

from numbers import Integral

import numpy as np
from scipy.special import ndtr
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.preprocessing import QuantileTransformer, StandardScaler
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

# QuantileTransformer's BOUNDS_THRESHOLD, a private constant of scikit-learn.
_BOUND = 1e-7
# Rows per block in inverse_transform: bounds the temporaries' memory.
_CHUNK = 65_536


class NumericScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Reversible scaling of numeric columns for GAN training.

    The networks see every column on a common, roughly standard-normal scale;
    :meth:`inverse_transform` maps generated values back to the original
    units. Constant columns are passed to the networks as zeros and restored
    exactly; columns whose training values are all integers come back rounded
    to the nearest integer and clipped to the training range.

    Parameters
    ----------
    method : {"quantile", "standard"}, default="quantile"
        ``"quantile"`` maps each column through its empirical quantiles to a
        standard normal (:class:`~sklearn.preprocessing.QuantileTransformer`),
        which makes skewed and heavy-tailed columns easy to learn; generated
        values then never leave the training range. ``"standard"`` removes
        the mean and scales to unit variance.
    n_quantiles : int, default=1000
        Number of quantiles for ``method="quantile"``; capped at the number of
        training rows.

    Attributes
    ----------
    data_min_ : ndarray of shape (n_features,)
        Per-column minimum seen in ``fit``.
    data_max_ : ndarray of shape (n_features,)
        Per-column maximum seen in ``fit``.
    constant_mask_ : ndarray of bool of shape (n_features,)
        Columns with a single value in ``fit``.
    integer_mask_ : ndarray of bool of shape (n_features,)
        Columns whose training values are all integers.
    scaler_ : QuantileTransformer or StandardScaler
        The fitted scaler of the non-constant columns.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    sklearn.preprocessing.QuantileTransformer : The quantile mapping used.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.preprocessing import NumericScaler
    >>> X = np.array([[1.0, 3, 7], [2.5, 4, 7], [4.0, 9, 7]])
    >>> scaler = NumericScaler(method="standard").fit(X)
    >>> np.allclose(scaler.inverse_transform(scaler.transform(X)), X)
    True
    """

    _parameter_constraints: dict = {
        "method": [StrOptions({"quantile", "standard"})],
        "n_quantiles": [Interval(Integral, 2, None, closed="left")],
    }

    def __init__(self, method="quantile", *, n_quantiles=1000):
        self.method = method
        self.n_quantiles = n_quantiles

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the per-column scaling.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training data, without NaN or infinity.
        y : None
            Ignored.

        Returns
        -------
        self : NumericScaler
            The fitted scaler.
        """
        X = validate_data(self, X, dtype=np.float64)
        self.data_min_ = X.min(axis=0)
        self.data_max_ = X.max(axis=0)
        self.constant_mask_ = self.data_min_ == self.data_max_
        self.integer_mask_ = np.all(X == np.round(X), axis=0) & ~self.constant_mask_
        varying = X[:, ~self.constant_mask_]
        if self.method == "quantile":
            self.scaler_ = QuantileTransformer(
                output_distribution="normal",
                n_quantiles=min(self.n_quantiles, X.shape[0]),
                subsample=None,
            )
        else:
            self.scaler_ = StandardScaler()
        if varying.shape[1]:
            self.scaler_.fit(varying)
        return self

    def transform(self, X):
        """Scale ``X`` for the networks.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data in the original units.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_features)
            Scaled data; constant columns are zero.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        Z = np.zeros_like(X)
        if not self.constant_mask_.all():
            Z[:, ~self.constant_mask_] = self.scaler_.transform(
                X[:, ~self.constant_mask_]
            )
        return Z

    def inverse_transform(self, X):
        """Map scaled values back to the original units.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Scaled data, for example the output of a generator.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Data in the original units: constant columns restored, integer
            columns rounded and clipped to the training range.
        """
        check_is_fitted(self)
        Z = np.asarray(X, dtype=np.float64)
        if Z.ndim != 2 or Z.shape[1] != self.n_features_in_:
            raise ValueError(
                f"inverse_transform expects an array of shape (n_samples, "
                f"{self.n_features_in_}), got shape {Z.shape}."
            )
        out = np.empty_like(Z)
        out[:, self.constant_mask_] = self.data_min_[self.constant_mask_]
        varying = np.flatnonzero(~self.constant_mask_)
        if self.method == "quantile":
            for start in range(0, len(Z), _CHUNK):
                rows = slice(start, start + _CHUNK)
                out[rows, varying] = self._quantile_inverse(Z[rows][:, varying])
        elif len(varying):
            out[:, varying] = self.scaler_.inverse_transform(Z[:, varying])
        ints = self.integer_mask_
        out[:, ints] = np.clip(
            np.rint(out[:, ints]), self.data_min_[ints], self.data_max_[ints]
        )
        return out

    def _quantile_inverse(self, Z):
        """QuantileTransformer's inverse, vectorised over columns.

        scikit-learn maps ``ndtr(z)`` back through ``np.interp`` column by
        column; its reference grid is uniform, so the interval of each value
        is found by arithmetic instead of a binary search, for all columns at
        once.
        """
        quantiles = self.scaler_.quantiles_
        n_intervals = len(self.scaler_.references_) - 1
        p = ndtr(Z)
        position = p * n_intervals
        index = np.clip(position.astype(np.intp), 0, n_intervals - 1)
        fraction = position - index
        # Flat indices into the column-major copy of the quantile table.
        flat = quantiles.T.ravel()
        index += np.arange(Z.shape[1]) * (n_intervals + 1)
        low, high = flat[index], flat[index + 1]
        out = low + fraction * (high - low)
        # The forward map sends the extremes to the clipped tails, as
        # QuantileTransformer does: snap them back exactly.
        np.copyto(out, quantiles[0], where=p < _BOUND)
        np.copyto(out, quantiles[-1], where=p > 1.0 - _BOUND)
        return out
