"""WCGANOverSampler: one conditional WGAN-GP for every class."""

from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils._param_validation import Interval

from ..nn._calibration import apply_maps
from ..utils import draw_seed
from ..utils._docstrings import N_JOBS_DOC, fill_doc
from ._base import (
    _ENGINE_DOC,
    ENGINE_DEFAULTS,
    BaseGANOverSampler,
    budget_doc,
    one_hot,
)

# Measured with benchmarks/sweep_defaults.py (protocol 2, eleven data sets;
# benchmarks/results/sweep_defaults_2026-12-01.md): 200 updates of 128 rows,
# each after 5 critic updates of a (64, 64) critic, give a detection accuracy
# of 0.581 (five seeds) against 0.583 (three seeds) for the former 100 passes
# of 64 rows with a (128, 128) critic, in about a third of the time. Fewer
# critic updates cost realism (3: 0.593-0.602, 2: 0.594-0.605, 1: 0.645), and
# so do fewer generator updates; a learning rate of 3e-3 is too high.
WCGAN_DEFAULTS = {
    **ENGINE_DEFAULTS,
    "batch_size": 128,
    "discriminator_dims": (64, 64),
    "generator_lr": 2e-3,
    "discriminator_lr": 2e-3,
}

#: ``max_iter="auto"``: the floor is the former fixed budget of 200 updates
#: (above); passes and cap were chosen by cross-validation over data sets
#: (benchmarks/results/sweep_budget_*.md).
WCGAN_AUTO_BUDGET = {"passes": 50, "floor": 200, "cap": 1500}


@fill_doc(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    engine_params=_ENGINE_DOC
    % {
        **WCGAN_DEFAULTS,
        "n_jobs": N_JOBS_DOC,
        "auto_budget": budget_doc(WCGAN_AUTO_BUDGET, "the largest class to oversample"),
    },
)
class WCGANOverSampler(BaseGANOverSampler):
    """Oversample with one conditional WGAN-GP trained on every class.

        A single generator and critic are conditioned on the class label (and,
        optionally, on KMeans sub-clusters inside each class). Batches draw every
        class equally often, so the minority is learnt as well as the majority
        while sharing the networks' weights with it. Exactly the number of rows
        per class that ``sampling_strategy_`` asks for is generated, by
        conditioning, without rejection. Multiclass problems work the same way.

        Read more in the :ref:`oversampling guide <oversampling>`.

        Parameters
        ----------
        %(sampling_strategy)s

        n_clusters : int or None, default=None
            When an int, the condition also holds a KMeans sub-cluster found
            inside each class (the study used 2), and generated rows follow the
            clusters' proportions.

    %(engine_params)s
        Attributes
        ----------
        sampling_strategy_ : dict
            Number of rows generated per class.

        classes_ : ndarray of shape (n_classes,)
            The class labels, in the order of the condition's columns.

        model_ : GANTrainer
            The trained engine (:class:`~skgan.nn.GANTrainer`).

        scalers_ : dict
            The fitted :class:`~skgan.preprocessing.NumericScaler` of each
            class, keyed by class label.

        history_ : list of dict
            Per-epoch generator loss, critic loss and Wasserstein estimate.

        n_iter_ : int
            Generator updates made (what ``max_iter="auto"`` resolved to for
            the rows of the largest class to oversample).

        device_ : torch.device
            The device the networks were trained on.

        n_features_in_ : int
            Number of features seen in ``fit_resample``.

        feature_names_in_ : ndarray of shape (`n_features_in_`,)
            Column names seen in ``fit_resample``, when ``X`` is a DataFrame with
            string column names.

        See Also
        --------
        GANOverSampler : One GAN per class, four variants.

        Notes
        -----
        Each class is scaled by its own
        :class:`~skgan.preprocessing.NumericScaler` before the networks see
        it, so a minority that lives in the tail of the majority's
        distribution still fills the networks' whole input range; the
        condition tells the networks which scaling a row is in. On the
        benchmark's eleven data sets this lowered the real-vs-synthetic
        detection accuracy from 0.73 (one scaler for all rows) to 0.65.

        An epoch is one pass over the rows of the largest class to oversample,
        with as many rows drawn from each other class; the cost per epoch is
        therefore about ``n_classes`` times that of :class:`GANOverSampler`
        however large the majority class is.

        Examples
        --------
        >>> from collections import Counter
        >>> from sklearn.datasets import make_classification
        >>> from skgan import WCGANOverSampler
        >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
        >>> sampler = WCGANOverSampler(max_iter=10, random_state=0)
        >>> X_res, y_res = sampler.fit_resample(X, y)
        >>> sorted(Counter(y_res).items())
        [(np.int64(0), 180), (np.int64(1), 180)]
    """

    _auto_budget = WCGAN_AUTO_BUDGET

    _parameter_constraints: dict = {
        **BaseGANOverSampler._parameter_constraints,
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        n_clusters=None,
        max_iter=WCGAN_DEFAULTS["max_iter"],
        batch_size=WCGAN_DEFAULTS["batch_size"],
        latent_dim=WCGAN_DEFAULTS["latent_dim"],
        generator_dims=WCGAN_DEFAULTS["generator_dims"],
        discriminator_dims=WCGAN_DEFAULTS["discriminator_dims"],
        generator_lr=WCGAN_DEFAULTS["generator_lr"],
        discriminator_lr=WCGAN_DEFAULTS["discriminator_lr"],
        n_critic="auto",
        gp_weight=10.0,
        batch_norm=True,
        preprocessing="quantile",
        random_state=None,
        device="cpu",
        verbose=False,
        n_jobs=None,
        validation_fraction=WCGAN_DEFAULTS["validation_fraction"],
        eval_every=WCGAN_DEFAULTS["eval_every"],
        n_iter_no_change=WCGAN_DEFAULTS["n_iter_no_change"],
        ema_decay=WCGAN_DEFAULTS["ema_decay"],
        calibrate_marginals=WCGAN_DEFAULTS["calibrate_marginals"],
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_clusters = n_clusters
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.generator_dims = generator_dims
        self.discriminator_dims = discriminator_dims
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.batch_norm = batch_norm
        self.preprocessing = preprocessing
        self.random_state = random_state
        self.device = device
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.validation_fraction = validation_fraction
        self.eval_every = eval_every
        self.n_iter_no_change = n_iter_no_change
        self.ema_decay = ema_decay
        self.calibrate_marginals = calibrate_marginals

    def _conditions(self, Z, class_index, classes, seed):
        """Condition rows (class one-hot, then sub-cluster one-hot) per class."""
        n_classes = len(classes)
        cond = one_hot(class_index, n_classes)
        cluster_freq = {}
        if self.n_clusters is None:
            return cond, cluster_freq
        clusters = np.zeros(len(Z), dtype=np.int64)
        for c in range(n_classes):
            rows = class_index == c
            labels, k = self._subclusters(Z[rows], self.n_clusters, seed, classes[c])
            clusters[rows] = labels
            cluster_freq[c] = np.bincount(labels, minlength=k) / len(labels)
        return np.hstack([cond, one_hot(clusters, self.n_clusters)]), cluster_freq

    def _fit_resample(self, X, y):
        device = self._resolve_device()
        seed = draw_seed(self.random_state)
        classes, class_index, counts = np.unique(
            y, return_inverse=True, return_counts=True
        )
        targets = [c for c, n in self.sampling_strategy_.items() if n > 0]
        for c in targets:
            self._check_class_size(c, counts[np.searchsorted(classes, c)])
        X_all, y_all = X, y
        largest_target = max(
            (counts[np.searchsorted(classes, c)] for c in targets), default=1
        )
        max_iter = self._max_iter(largest_target, X.shape[1])
        X, y = self._draws_cap(X, y, class_index, counts, seed, max_iter)
        if len(y) < len(y_all):
            classes, class_index, counts = np.unique(
                y, return_inverse=True, return_counts=True
            )
        scalers, blocks = {}, None
        if self._mixed:
            # One encoding for all classes: the conditional generator needs
            # one layout of the one-hot blocks.
            shared = self._scaler(X, seed)
            scalers = dict.fromkeys(classes, shared)
            Z, blocks = shared.transform(X), shared.output_blocks_
        else:
            Z = np.empty(X.shape, dtype=np.float64)
            for c, label in enumerate(classes):
                rows = class_index == c
                scalers[label] = self._scaler(X[rows])
                Z[rows] = scalers[label].transform(X[rows])
        cond, cluster_freq = self._conditions(Z, class_index, classes, seed)
        model = self._trainer("wgan-gp", seed, device, blocks, max_iter=max_iter).fit(
            Z,
            cond,
            row_weights=1.0 / counts[class_index],
            epoch_rows=len(classes) * largest_target,
            decode=lambda Z, cond: self._round_trip(Z, cond, classes, scalers),
        )
        self.classes_, self.model_, self.scalers_ = classes, model, scalers
        self.history_ = model.history_
        self.n_iter_ = model.n_iter_
        # On mixed tables one encoding serves every class: each class draws
        # only the categories (and observed / missing states) it shows.
        self._allowed = None
        if blocks is not None:
            numeric = np.repeat(
                [kind == "numeric" for kind, _ in blocks], [w for _, w in blocks]
            )
            self._allowed = {
                label: numeric | (Z[class_index == c] > 0.5).any(axis=0)
                for c, label in enumerate(classes)
            }
        self.device_ = device
        self._cluster_freq = cluster_freq
        rng = np.random.default_rng(seed)
        self._calibration = {
            label: self._maps(
                model,
                scalers[label],
                counts[np.searchsorted(classes, label)],
                lambda n, label=label: self._class_conditions(label, n, rng),
                None if self._allowed is None else self._allowed[label],
                # The shared encoding's margins are the whole table's.
                Z[class_index == np.searchsorted(classes, label)]
                if self._mixed
                else None,
            )
            for label in targets
        }

        rng = np.random.default_rng(seed)
        X_parts, y_parts = [X_all], [y_all]
        for class_sample, n_samples in self.sampling_strategy_.items():
            if n_samples > 0:
                X_parts.append(self._generate(class_sample, n_samples, rng))
                y_parts.append(np.full(n_samples, class_sample, dtype=y.dtype))
        return self._stack(X_parts, y_parts)

    def _draws_cap(self, X, y, class_index, counts, seed, max_iter):
        """At most as many rows of a class as training can draw from it.

        Batches draw every class equally often, so a class gets about
        ``max_iter * (n_critic + 1) * batch_size / n_classes`` draws in all;
        the rows of a larger class (the majority of a fraud table) beyond
        that many are left out of training, drawn at random, so that its size
        enters neither the scaling nor the training. All rows are returned.
        """
        draws = max_iter * (self._n_critic("wgan-gp") + 1) * self.batch_size
        cap = -(-draws // len(counts))
        if counts.max() <= cap:
            return X, y
        rng = np.random.default_rng(seed)
        keep = np.concatenate(
            [
                rows if len(rows) <= cap else rng.choice(rows, cap, replace=False)
                for rows in (
                    np.flatnonzero(class_index == c) for c in range(len(counts))
                )
            ]
        )
        keep.sort()
        if self._mixed:
            return X.iloc[keep].reset_index(drop=True), y[keep]
        return X[keep], y[keep]

    @staticmethod
    def _round_trip(Z, cond, classes, scalers):
        """Generated rows through their class's scaler and back.

        For the detection measurements: values tied in the data become point
        masses in the generated rows too.
        """
        out = np.empty(Z.shape, dtype=np.float64)
        index = cond[:, : len(classes)].argmax(axis=1)
        for c in np.unique(index):
            rows = index == c
            scaler = scalers[classes[c]]
            out[rows] = scaler.transform(scaler.inverse_transform(Z[rows]))
        return out

    def _class_conditions(self, class_sample, n_samples, rng):
        """Conditions of ``n_samples`` rows of one class (and its sub-clusters)."""
        c = np.searchsorted(self.classes_, class_sample)
        cond = one_hot(np.full(n_samples, c), len(self.classes_))
        if self.n_clusters is not None:
            freq = self._cluster_freq[c]
            labels = rng.choice(len(freq), n_samples, p=freq)
            cond = np.hstack([cond, one_hot(labels, self.n_clusters)])
        return cond

    def _generate(self, class_sample, n_samples, rng):
        """``n_samples`` new rows of one class, in the original units."""
        cond = self._class_conditions(class_sample, n_samples, rng)
        allowed = None if self._allowed is None else self._allowed[class_sample]
        Z = self.model_.sample(n_samples, cond, allowed=allowed)
        Z = apply_maps(Z, self._calibration.get(class_sample))
        return self.scalers_[class_sample].inverse_transform(Z)
