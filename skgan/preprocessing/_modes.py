"""CTGAN's mode-specific normalisation of numeric columns (``numeric="gmm"``)."""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

from ._numeric import column_decimals, release_range

#: Gaussian-mixture components below this weight are dropped as unused.
_MIN_MODE_WEIGHT = 0.005


class _ModeNormalisation:
    """A Bayesian Gaussian mixture per numeric column, for ``numeric="gmm"``.

    A value is encoded as its mode (one-hot) and its standardised distance to
    that mode's mean.

    A mixin of :class:`~skgan.preprocessing.TabularTransformer`, which owns
    ``modes_``, ``n_modes`` and the seed.
    """

    def _fit_modes(self, observed, numbers):
        self.range_min_, self.range_max_ = release_range(observed)
        self.integer_mask_ = np.all(numbers == np.round(numbers), axis=0)
        self.decimals_ = column_decimals(observed)
        self._mixtures = []
        for j in range(numbers.shape[1]):
            x = numbers[:, j : j + 1]
            n_modes = max(1, min(self.n_modes, len(np.unique(x))))
            mixture = BayesianGaussianMixture(
                n_components=n_modes,
                weight_concentration_prior_type="dirichlet_process",
                weight_concentration_prior=1e-3,
                n_init=1,
                max_iter=100,
                random_state=self._seed,
            )
            # A column with a few distinct values leaves components empty; the
            # mixture then warns that it has not converged, and those
            # components are dropped below anyway.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                mixture.fit(x)
            keep = mixture.weights_ > _MIN_MODE_WEIGHT
            stds = np.sqrt(mixture.covariances_.reshape(-1))
            floor = 1e-3 * max(float(np.std(x)), 1e-12)
            self.modes_.append(
                (mixture.means_.reshape(-1)[keep], np.maximum(stds[keep], floor))
            )
            self._mixtures.append((mixture, keep))

    def _encode_mode(self, j, x):
        mixture, keep = self._mixtures[j]
        means, stds = self.modes_[j]
        probs = mixture.predict_proba(x[:, None])[:, keep]
        mode = probs.argmax(axis=1)
        onehot = np.zeros((len(x), len(means)))
        onehot[np.arange(len(x)), mode] = 1.0
        return [((x - means[mode]) / stds[mode])[:, None], onehot]

    def _decode_mode(self, j, alpha, block):
        means, stds = self.modes_[j]
        mode = block.argmax(axis=1)
        values = alpha * stds[mode] + means[mode]
        values = np.clip(values, self.range_min_[j], self.range_max_[j])
        if self.integer_mask_[j]:
            values = np.rint(values)
        elif getattr(self, "decimals_", None) is not None and self.decimals_[j] >= 0:
            values = np.round(values, int(self.decimals_[j]))
        return values
