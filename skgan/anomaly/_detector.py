"""GANAnomalyDetector: outlier scores from a GAN trained on normal data."""

from numbers import Integral, Real

import numpy as np
from scipy.special import erf
from sklearn.base import BaseEstimator, OutlierMixin, TransformerMixin, _fit_context
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..nn import GANTrainer
from ..preprocessing import NumericScaler
from ..utils import check_numeric_input, draw_seed, resolve_device
from ..utils._docstrings import N_JOBS_DOC, fill_doc
from ..utils._validation import ENGINE_CONSTRAINTS, EPOCHS_CONSTRAINT, engine_params

#: Fewest training rows: below this the standardisation of the scores is noise.
MIN_ROWS = 10
#: ``contamination="auto"``: an outlier is three standard deviations out.
AUTO_OFFSET = -3.0
#: The last, ``"level"``, only on windows.
COMPONENTS = ("reconstruction", "discriminator", "latent", "level")
#: Neighbours of a code among the training codes (the latent component).
N_NEIGHBORS = 5
#: Most training codes kept as the latent component's reference.
MAX_REFERENCE = 10_000
#: ``"auto"`` settings, on rows and on windows: ``weight``, ``latent_weight``,
#: ``level_weight``, ``batch_size`` and ``max_iter``
#: (benchmarks/results/anomaly_nab_*.md).
AUTO = {
    "rows": {
        "weight": 0.9,
        "latent_weight": 0.0,
        "level_weight": 0.0,
        "batch_size": 256,
        "max_iter": None,
    },
    "windows": {
        "weight": 0.5,
        "latent_weight": 0.5,
        "level_weight": 0.0,
        "batch_size": 64,
        "max_iter": 400,
    },
}
#: The weights of a detector fitted before they were kept in ``weights_``.
OLD_WINDOW_WEIGHTS = {"weight": 0.5, "latent_weight": 0.5, "level_weight": 0.0}
WEIGHTS = ("weight", "latent_weight", "level_weight")


@fill_doc(n_jobs=N_JOBS_DOC)
class GANAnomalyDetector(OutlierMixin, TransformerMixin, BaseEstimator):
    """Outlier detection with a GAN trained on normal data.

    A WGAN-GP learns the training data; an encoder then learns to map each row
    to the latent code whose generation reconstructs it (f-AnoGAN's izi_f
    training, with the generator and critic fixed). A row is anomalous when
    it reconstructs badly (reconstruction error), when the critic finds it
    unlike the training data (critic score), and when its code lies where the
    training rows' codes do not (latent component: the distance to its
    nearest training codes plus its distance from the centre of the
    generator's noise). On windows of a series a fourth component, the
    level, measures how far each channel's mean over the window lies from
    the training windows' means. The components are standardised on the
    training rows and combined with ``weight``, ``latent_weight`` and
    ``level_weight``; scoring is one forward pass of the encoder, generator
    and critic and a nearest-neighbour query among the codes.

    The conventions are scikit-learn's (as
    :class:`~sklearn.ensemble.IsolationForest`): :meth:`score_samples` is
    higher for more normal rows, :meth:`decision_function` is negative for
    outliers and :meth:`predict` returns -1 for outliers and +1 for inliers.
    For users of pyod, ``decision_scores_``, ``threshold_`` and ``labels_``
    carry pyod's meaning: higher is more abnormal, 1 is an outlier.

    Read more in the :ref:`anomaly scoring guide <anomaly>`.

    Windows of a multivariate series work the same way: pass a 3-D array
    ``(n_windows, window_length, n_features)`` (see :func:`make_windows`) to
    :meth:`fit` and to the scoring methods, and the generator, critic and
    encoder become 1-D convolutional, so windows whose movement is unlike the
    training windows' score as anomalies. The ``"auto"`` settings differ on
    windows (reconstruction, critic and latent component weigh a quarter, a
    quarter and a half, smaller batches and a fixed budget of updates), as
    measured on NAB's series (``benchmarks/results/anomaly_nab_*.md``).

    Parameters
    ----------
    anomaly_score : {"combined", "reconstruction", "discriminator", "latent", \
"level"}, default="combined"
        Which anomaly score: the weighted sum of the standardised components,
        or one of them (``"level"`` on windows only). Named so that it does
        not read as scikit-learn's ``score`` method, which outlier detectors
        do not have.
    weight : float in [0, 1] or "auto", default="auto"
        Weight of the reconstruction error against the critic score (which
        gets ``1 - weight``) in the combined score. ``"auto"``: 0.9 on rows
        (the reconstruction error is the stronger component on tables,
        benchmarks/results/anomaly_*.md; picked by hand in a one-seed trial),
        0.5 on windows (1, without the critic, is level with it on NAB's
        series: ``benchmarks/results/anomaly_nab_weights_2026-12-03.md``).
    latent_weight : float in [0, 1] or "auto", default="auto"
        Share of the latent component in the combined score; the
        reconstruction and critic part gets ``1 - latent_weight``.
        ``"auto"``: 0 on rows, 0.5 on windows (where level shifts and rare
        shapes reconstruct well but their codes stand apart).
    level_weight : float in [0, 1] or "auto", default="auto"
        Windows only: share of the level component (the mean over channels
        of how many training standard deviations the window's mean lies from
        the training windows' mean) in the combined score; the other
        components share ``1 - level_weight``. ``"auto"``: 0, on rows (which
        have no level: a number above 0 is refused there) and on windows.
        On windows 0.5 helps where the scored windows share the training
        windows' levels and hurts where the series drifts: on NAB's series
        the mean ROC-AUC rose from 0.681 to 0.703 with windows held out in
        blocks of time, and fell from 0.706 to 0.688 when fitted on the
        first half and scored on the second, on both halves of the series
        each time (``benchmarks/results/anomaly_nab_weights_2026-12-03.md``).
    contamination : "auto" or float in (0, 0.5], default="auto"
        Expected fraction of outliers in the training data: ``offset_`` is
        that quantile of the training scores. ``"auto"`` sets ``offset_ = -3``:
        a row is an outlier when its standardised score is three standard
        deviations on the abnormal side.
    epochs : int, default=50
        GAN training passes over the rows.
    encoder_epochs : int, default=50
        Encoder training passes over the rows.
    batch_size : int or "auto", default="auto"
        Rows per update; ``"auto"``: 256 rows, 64 windows.
    max_iter : int, None or "auto", default="auto"
        Generator updates in all, whatever the number of rows (``epochs`` is
        then ignored); None trains ``epochs`` passes. ``"auto"``: None on
        rows, 400 on windows, whose convolutional critic is costly to train.
    latent_dim : int, default=16
        Size of the latent code.
    generator_dims, discriminator_dims : tuple of int, default=(128, 128)
        Hidden widths of the generator and of the critic (and of the encoder).
    generator_lr, discriminator_lr : float, default=1e-3
        Adam learning rates of the GAN.
    n_critic : int, default=5
        Critic updates per generator update.
    preprocessing : {"standard", "quantile"}, default="standard"
        Scaling in front of the networks. ``"quantile"`` maps every value
        outside the training range onto its edge, which hides extreme
        outliers: keep ``"standard"`` unless the columns are very skewed.
    random_state : int, RandomState instance or None, default=None
        Seeds training; the same integer gives the same scores on CPU.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Where to train and score.
    verbose : bool, default=False
        Progress bar with the GAN losses.
    %(n_jobs)s

    Attributes
    ----------
    offset_ : float
        Threshold on :meth:`score_samples`: ``decision_function`` is
        ``score_samples - offset_``.
    decision_scores_ : ndarray of shape (n_samples,)
        pyod's outlier scores of the training rows (higher = more abnormal):
        ``-score_samples(X_train)``.
    threshold_ : float
        pyod's threshold on ``decision_scores_``: ``-offset_``.
    labels_ : ndarray of shape (n_samples,)
        pyod's labels of the training rows: 1 for outliers, 0 for inliers.
    model_ : GANTrainer
        The trained engine, with ``encoder_``.
    scaler_ : NumericScaler
        The fitted scaler.
    n_iter_ : int
        Generator updates made.
    critic_center_ : float
        Median critic value of the training rows.
    component_mean_, component_std_ : ndarray of shape (3,) or (4,)
        Training mean and standard deviation of the raw reconstruction error,
        of the critic's absolute deviation from ``critic_center_``, of the
        latent component and (windows) of the level component.
    level_center_, level_scale_ : ndarray of shape (n_features,) or None
        Windows: mean and standard deviation of the training windows' means
        per channel (scaled), which the level component measures against;
        None on rows.
    weights_ : dict
        The ``"auto"`` settings resolved at fit: ``weight``,
        ``latent_weight`` and ``level_weight``.
    latent_neighbors_ : NearestNeighbors
        The training rows' codes (at most 10,000 of them, drawn with the
        seed) that the latent component measures distances to. Scored again,
        a training row finds its own code among them, so its latent
        component reads lower than in ``decision_scores_``, which leave each
        row's own code out.
    latent_scale_ : ndarray of shape (2, 2)
        Training mean (row 0) and standard deviation (row 1) of the distance
        to the ``5``-th nearest training code and of the code's squared norm,
        the two parts of the latent component.
    score_std_ : float
        Training standard deviation of the weighted combination before its
        own standardisation.
    device_ : torch.device
        Where the networks live.
    window_length_ : int or None
        Time steps per window when fitted on windows, else None.
    n_features_in_ : int
        Number of features seen in ``fit`` (per time step for windows).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names seen in ``fit``, when ``X`` has string column names.

    See Also
    --------
    sklearn.ensemble.IsolationForest : The same interface, from trees.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan import GANAnomalyDetector
    >>> rng = np.random.RandomState(0)
    >>> detector = GANAnomalyDetector(epochs=5, encoder_epochs=5, random_state=0)
    >>> detector = detector.fit(rng.randn(500, 3))
    >>> detector.predict([[0.1, -0.2, 0.0], [8.0, 8.0, -8.0]])
    array([ 1, -1])
    """

    _parameter_constraints: dict = {
        **ENGINE_CONSTRAINTS,
        **EPOCHS_CONSTRAINT,
        "anomaly_score": [StrOptions(set(("combined",) + COMPONENTS))],
        "weight": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
        "latent_weight": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
        "level_weight": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "max_iter": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "contamination": [StrOptions({"auto"}), Interval(Real, 0, 0.5, closed="right")],
        "encoder_epochs": [Interval(Integral, 1, None, closed="left")],
        "n_critic": [Interval(Integral, 1, None, closed="left")],
        "preprocessing": [StrOptions({"standard", "quantile"})],
    }

    def __init__(
        self,
        *,
        anomaly_score="combined",
        weight="auto",
        latent_weight="auto",
        level_weight="auto",
        contamination="auto",
        epochs=50,
        encoder_epochs=50,
        batch_size="auto",
        max_iter="auto",
        latent_dim=16,
        generator_dims=(128, 128),
        discriminator_dims=(128, 128),
        generator_lr=1e-3,
        discriminator_lr=1e-3,
        n_critic=5,
        preprocessing="standard",
        random_state=None,
        device="cpu",
        verbose=False,
        n_jobs=None,
    ):
        self.anomaly_score = anomaly_score
        self.weight = weight
        self.latent_weight = latent_weight
        self.level_weight = level_weight
        self.contamination = contamination
        self.epochs = epochs
        self.encoder_epochs = encoder_epochs
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.latent_dim = latent_dim
        self.generator_dims = generator_dims
        self.discriminator_dims = discriminator_dims
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.n_critic = n_critic
        self.preprocessing = preprocessing
        self.random_state = random_state
        self.device = device
        self.verbose = verbose
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the GAN and the encoder on (mostly) normal rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or \
                (n_windows, window_length, n_features)
            Training rows (or windows), numeric, without NaN or infinity.
        y : None
            Ignored.

        Returns
        -------
        self : GANAnomalyDetector
            The fitted detector.
        """
        if _is_windows(X):
            X = self._check_windows(X, reset=True)
        else:
            check_numeric_input(X)
            X = validate_data(self, X, dtype=np.float64)
            self.window_length_ = None
            _check_no_level(self.anomaly_score, self.level_weight)
        _check_range(X)
        if len(X) < MIN_ROWS:
            raise ValueError(
                f"GANAnomalyDetector needs at least {MIN_ROWS} rows to train; got "
                f"{len(X)} sample{'s' if len(X) != 1 else ''}."
            )
        device = resolve_device(self.device)
        # Windows are scaled per feature, over every time step.
        scaler = NumericScaler(method=self.preprocessing).fit(
            X.reshape(-1, X.shape[-1])
        )
        self.scaler_ = scaler
        Z = self._scale(X)
        self.weights_ = {name: self._setting(name) for name in WEIGHTS}
        self.level_center_ = self.level_scale_ = None
        if self.window_length_ is not None:
            means = self._window_means(Z)
            self.level_center_ = means.mean(axis=0)
            scale = means.std(axis=0)
            self.level_scale_ = np.where(scale > 0, scale, 1.0)
        seed = draw_seed(self.random_state)
        params = engine_params(self)
        params["batch_size"] = self._setting("batch_size")
        params["max_iter"] = self._setting("max_iter")
        model = GANTrainer(
            **params,
            loss="wgan-gp",
            epochs=self.epochs,
            device=device,
            seed=seed,
            window_length=self.window_length_,
        )
        model.fit(Z).fit_encoder(Z, epochs=self.encoder_epochs)
        self.model_, self.device_ = model, device
        self.n_iter_ = model.n_iter_
        critic = model.critic(Z)
        self.critic_center_ = float(np.median(critic))
        raw = self._raw_components(Z, critic, reference_seed=seed)
        self.component_mean_ = raw.mean(axis=0)
        std = raw.std(axis=0)
        self.component_std_ = np.where(std > 0, std, 1.0)
        combined = self._combine(self._standardise(raw), standardised=False)
        self.score_std_ = float(combined.std()) or 1.0
        scores = -combined / self.score_std_
        if self.contamination == "auto":
            self.offset_ = AUTO_OFFSET
        else:
            self.offset_ = float(np.percentile(scores, 100.0 * self.contamination))
        self.decision_scores_ = -scores
        self.threshold_ = -self.offset_
        self.labels_ = (scores < self.offset_).astype(int)
        return self

    def _check_windows(self, X, *, reset):
        """Validate 3-D input ``(n_windows, window_length, n_features)``."""
        X = np.asarray(X, dtype=np.float64)
        if not np.isfinite(X).all():
            raise ValueError(
                "Input X contains NaN or infinity; fill or drop those time steps "
                "before cutting the series into windows."
            )
        if reset:
            if X.shape[1] < 4:
                raise ValueError(
                    f"windows need at least 4 time steps; got {X.shape[1]}."
                )
            self.window_length_, self.n_features_in_ = X.shape[1], X.shape[2]
        elif getattr(self, "window_length_", None) is None:
            raise ValueError(
                "this detector was fitted on rows (2-D); score rows of "
                f"{self.n_features_in_} features, not windows."
            )
        elif X.shape[1:] != (self.window_length_, self.n_features_in_):
            raise ValueError(
                f"windows of shape ({self.window_length_}, {self.n_features_in_}) "
                f"(time steps, features) expected, as in fit; got {X.shape[1:]}."
            )
        return X

    def _scale(self, X):
        """Scaled rows (windows flattened to ``window_length * n_features``)."""
        if X.ndim == 3:
            flat = self.scaler_.transform(X.reshape(-1, X.shape[-1]))
            return flat.reshape(len(X), -1)
        return self.scaler_.transform(X)

    def _setting(self, name):
        """A parameter's value, ``"auto"`` resolved for rows or windows."""
        value = getattr(self, name)
        if value != "auto":
            return value
        return AUTO["rows" if self.window_length_ is None else "windows"][name]

    def _raw_components(self, Z, critic=None, reference_seed=None, latent=True):
        """Per row: reconstruction error, critic deviation, latent component.

        A WGAN critic is trained to be 1-Lipschitz and to rank real above
        generated rows on the data; off the data its sign is arbitrary, so
        an anomaly is a row whose critic value is far from the training
        rows' typical one, on either side. With ``reference_seed`` (in fit)
        the training codes become the latent component's reference and each
        training row is measured without its own code. With ``latent=False``
        the latent column is NaN: scoring skips the encoder pass and the
        neighbour query when the score does not use them.
        """
        reconstruction = np.mean((Z - self.model_.reconstruct(Z)) ** 2, axis=1)
        if critic is None:
            critic = self.model_.critic(Z)
        deviation = np.abs(critic - self.critic_center_)
        level = []
        if getattr(self, "level_center_", None) is not None:
            shift = (self._window_means(Z) - self.level_center_) / self.level_scale_
            level = [np.abs(shift).mean(axis=1)]
        if not latent:
            return np.column_stack(
                [reconstruction, deviation, np.full(len(Z), np.nan), *level]
            )
        codes = self.model_.encode(Z)
        if reference_seed is None:
            distance = self.latent_neighbors_.kneighbors(codes)[0][:, -1]
        else:
            distance = self._fit_latent(codes, reference_seed)
        parts = np.c_[distance, np.sum(codes**2, axis=1)]
        if reference_seed is not None:
            std = parts.std(axis=0)
            self.latent_scale_ = np.vstack(
                [parts.mean(axis=0), np.where(std > 0, std, 1)]
            )
        latent = np.sum((parts - self.latent_scale_[0]) / self.latent_scale_[1], axis=1)
        return np.column_stack([reconstruction, deviation, latent, *level]).astype(
            np.float64
        )

    def _window_means(self, Z):
        """Each scaled window's mean per channel, ``(n_windows, n_features)``."""
        return Z.reshape(len(Z), self.window_length_, -1).mean(axis=1)

    def _fit_latent(self, codes, seed):
        """Keep the reference codes; each training row's leave-one-out distance."""
        n = len(codes)
        chosen = np.arange(n)
        if n > MAX_REFERENCE:
            rng = check_random_state(seed)
            chosen = np.sort(rng.choice(n, MAX_REFERENCE, replace=False))
        k = min(N_NEIGHBORS, len(chosen) - 1)
        self.latent_neighbors_ = NearestNeighbors(n_neighbors=k).fit(codes[chosen])
        distance = np.empty(n)
        # Without query rows, scikit-learn leaves each point's own code out.
        distance[chosen] = self.latent_neighbors_.kneighbors()[0][:, -1]
        others = np.setdiff1d(np.arange(n), chosen)
        if len(others):
            distance[others] = self.latent_neighbors_.kneighbors(codes[others])[0][
                :, -1
            ]
        return distance

    def _standardise(self, raw):
        return (raw - self.component_mean_) / self.component_std_

    def _weights(self):
        """The combined score's weights, as resolved at fit."""
        weights = getattr(self, "weights_", None)
        if weights is None:
            # Fitted before the weights were kept: that version's "auto".
            old = AUTO["rows"] if self.window_length_ is None else OLD_WINDOW_WEIGHTS
            weights = {name: getattr(self, name, "auto") for name in WEIGHTS}
            weights = {k: old[k] if v == "auto" else v for k, v in weights.items()}
        if getattr(self, "level_center_", None) is None:
            weights = {**weights, "level_weight": 0.0}
        return weights

    def _combine(self, components, standardised=True):
        if self.anomaly_score != "combined":
            _check_no_level(self.anomaly_score, 0, components.shape[1])
            combined = components[:, COMPONENTS.index(self.anomaly_score)]
        else:
            weights = self._weights()
            weight, latent = weights["weight"], weights["latent_weight"]
            level = weights["level_weight"]
            combined = (1 - latent) * (
                weight * components[:, 0] + (1 - weight) * components[:, 1]
            )
            if latent:
                combined = combined + latent * components[:, 2]
            if level:
                combined = (1 - level) * combined + level * components[:, 3]
        return combined / self.score_std_ if standardised else combined

    def _components(self, X, latent=True):
        check_is_fitted(self)
        windows = _is_windows(X)
        if windows or self.window_length_ is not None:
            if not windows:
                raise ValueError(
                    f"this detector was fitted on windows of shape "
                    f"({self.window_length_}, {self.n_features_in_}); pass a 3-D array "
                    "(n_windows, window_length, n_features), see make_windows."
                )
            X = self._check_windows(X, reset=False)
        else:
            check_numeric_input(X)
            X = validate_data(self, X, dtype=np.float64, reset=False)
        _check_range(X)
        raw = self._raw_components(self._scale(X), latent=latent)
        return self._standardise(raw)

    def score_samples(self, X):
        """Normality of each row: higher is more normal (scikit-learn's sign).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to score.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Minus the standardised anomaly score: about 0 for typical training
            rows, strongly negative for anomalies.
        """
        check_is_fitted(self)
        uses_latent = self.anomaly_score == "latent" or (
            self.anomaly_score == "combined" and self._weights()["latent_weight"] > 0
        )
        return -self._combine(self._components(X, latent=uses_latent))

    def decision_function(self, X):
        """``score_samples(X) - offset_``: negative for outliers.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to score.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Shifted normality scores.
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        """Label rows as inliers (+1) or outliers (-1).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to label.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            +1 for inliers, -1 for outliers.
        """
        return np.where(self.decision_function(X) < 0, -1, 1)

    def predict_proba(self, X, method="linear"):
        """Probability of being an outlier, as pyod defines it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to score.
        method : {"linear", "unify"}, default="linear"
            ``"linear"``: the outlier score (``-score_samples``) min-max
            scaled by the training rows' scores and clipped to [0, 1].
            ``"unify"``: the error function of the score standardised by the
            training scores' mean and standard deviation, clipped to [0, 1]
            (Kriegel et al., 2011).

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Columns: inlier, outlier probability; rows sum to 1.
        """
        if method not in ("linear", "unify"):
            raise ValueError(
                f"method must be 'linear' or 'unify' (pyod's); got {method!r}."
            )
        outlier = -self.score_samples(X)
        train = self.decision_scores_
        if method == "linear":
            low, high = train.min(), train.max()
            p = (outlier - low) / ((high - low) or 1.0)
        else:
            p = erf((outlier - train.mean()) / ((train.std() or 1.0) * np.sqrt(2)))
        p = np.clip(p, 0.0, 1.0)
        return np.c_[1.0 - p, p]

    def transform(self, X):
        """The standardised score components, as features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or \
                (n_windows, window_length, n_features)
            Rows (or windows) to score.

        Returns
        -------
        components : ndarray of shape (n_samples, 3) or (n_windows, 4)
            Standardised reconstruction error, critic score, latent component
            and, on windows, level component (higher is more abnormal for
            each), for example to feed a classifier through a
            :class:`~sklearn.pipeline.FeatureUnion`.
        """
        return self._components(X)

    def get_feature_names_out(self, input_features=None):
        """Names of the columns of :meth:`transform`.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; the output names do not depend on the input's.

        Returns
        -------
        names : ndarray of str
            ``["reconstruction", "discriminator", "latent"]``, and
            ``"level"`` after them on windows.
        """
        check_is_fitted(self)
        windows = getattr(self, "level_center_", None) is not None
        return np.asarray(COMPONENTS[: 4 if windows else 3], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags


def _check_no_level(anomaly_score, level_weight, n_components=3):
    """Refuse the level component where there is none (rows)."""
    if n_components > 3:
        return
    if anomaly_score == "level":
        raise ValueError(
            "anomaly_score='level' scores windows of a series (3-D input); rows "
            "have no level: pick 'combined', 'reconstruction', 'discriminator' or "
            "'latent'."
        )
    if level_weight != "auto" and level_weight > 0:
        raise ValueError(
            f"level_weight={level_weight!r} applies to windows of a series (3-D "
            "input); rows have no level: leave level_weight='auto' or set it to 0."
        )


def _check_range(X):
    """Values the float32 networks can hold, or a ValueError that says so."""
    largest = float(np.finfo(np.float32).max)
    if len(X) and np.abs(X).max() > largest:
        raise ValueError(
            "X has values beyond 3.4e38, which the detector's float32 networks "
            "cannot hold; rescale those columns (for example log-transform them)."
        )


def _is_windows(X):
    """Whether ``X`` is 3-D, without converting array-likes that resist it."""
    if hasattr(X, "ndim"):
        return X.ndim == 3
    if isinstance(X, (list, tuple)):
        return np.asarray(X).ndim == 3
    return False
