"""GANOverSampler: one GAN per class to oversample, as in the fraud study."""

from numbers import Integral, Real

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils._param_validation import Interval, StrOptions

from ..nn._calibration import apply_maps
from ..utils import draw_seed
from ..utils._docstrings import N_JOBS_DOC, fill_doc
from ._base import (
    _ENGINE_DOC,
    AUTO_BUDGET,
    ENGINE_DEFAULTS,
    BaseGANOverSampler,
    budget_doc,
    one_hot,
)


@fill_doc(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    engine_params=_ENGINE_DOC
    % {
        **ENGINE_DEFAULTS,
        "n_jobs": N_JOBS_DOC,
        "auto_budget": budget_doc(AUTO_BUDGET),
    },
)
class GANOverSampler(BaseGANOverSampler):
    """Oversample with a GAN trained on the rows of each class to oversample.

        For every class that ``sampling_strategy`` asks to grow, a separate GAN
        learns the distribution of that class's rows alone and generates the
        missing rows. Four classic variants are reachable by parameters:

        ========================================  =============================
        variant                                   parameters
        ========================================  =============================
        GAN                                       ``loss="gan"``
        conditional GAN on KMeans sub-classes     ``loss="gan", conditional=True``
        WGAN-GP                                   ``loss="wgan-gp"``
        conditional WGAN-GP on sub-classes        ``loss="wgan-gp", conditional=True``
        ========================================  =============================

        Read more in the :ref:`oversampling guide <oversampling>`.

        Parameters
        ----------
        %(sampling_strategy)s

        loss : {"gan", "wgan-gp"}, default="gan"
            ``"gan"``: non-saturating cross-entropy. ``"wgan-gp"``: Wasserstein
            loss with gradient penalty (more realistic rows in the benchmark).

        conditional : bool, default=False
            Condition both networks on KMeans sub-clusters found inside the class
            (a conditional GAN); generated rows follow the clusters' proportions.

        n_clusters : int, default=2
            Number of KMeans sub-clusters when ``conditional=True`` (capped at the
            number of distinct rows).

        label_smoothing : float, default=0.0
            One-sided label smoothing for ``loss="gan"``: real rows are labelled
            ``1 - label_smoothing`` for the discriminator.

    %(engine_params)s
        Attributes
        ----------
        sampling_strategy_ : dict
            Number of rows generated per class.

        models_ : dict
            Class label to the trained :class:`~skgan.nn.GANTrainer`.

        scalers_ : dict
            Class label to its fitted :class:`~skgan.preprocessing.NumericScaler`.

        history_ : list of dict
            The per-epoch training records of every class's GAN, class by
            class, as in :class:`WCGANOverSampler` (one list, so
            ``pandas.DataFrame(history_)`` works for both): each has the
            ``class`` it belongs to, the ``epoch``, the generator and
            discriminator losses and, for WGAN-GP, the Wasserstein estimate.

        n_iter_ : dict
            Class label to the generator updates its GAN made (what
            ``max_iter="auto"`` resolved to for the class's rows).
        device_ : torch.device
            The device the networks were trained on.

        n_features_in_ : int
            Number of features seen in ``fit_resample``.

        feature_names_in_ : ndarray of shape (`n_features_in_`,)
            Column names seen in ``fit_resample``, when ``X`` is a DataFrame with
            string column names.

        See Also
        --------
        WCGANOverSampler : One conditional WGAN-GP for all classes.
        imblearn.over_sampling.SMOTE : Interpolation between neighbours.

        Notes
        -----
        The design follows a credit-card-fraud study that trained these four
        GANs on the fraud rows alone and judged them with an XGBoost classifier
        telling real from generated rows; the Wasserstein variants came out the
        most realistic.

        Examples
        --------
        >>> from collections import Counter
        >>> from sklearn.datasets import make_classification
        >>> from skgan import GANOverSampler
        >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
        >>> sampler = GANOverSampler(max_iter=10, random_state=0)
        >>> X_res, y_res = sampler.fit_resample(X, y)
        >>> sorted(Counter(y_res).items())
        [(np.int64(0), 180), (np.int64(1), 180)]
    """

    _parameter_constraints: dict = {
        **BaseGANOverSampler._parameter_constraints,
        "loss": [StrOptions({"gan", "wgan-gp"})],
        "conditional": ["boolean"],
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        loss="gan",
        conditional=False,
        n_clusters=2,
        label_smoothing=0.0,
        max_iter=ENGINE_DEFAULTS["max_iter"],
        batch_size=ENGINE_DEFAULTS["batch_size"],
        latent_dim=ENGINE_DEFAULTS["latent_dim"],
        generator_dims=ENGINE_DEFAULTS["generator_dims"],
        discriminator_dims=ENGINE_DEFAULTS["discriminator_dims"],
        generator_lr=ENGINE_DEFAULTS["generator_lr"],
        discriminator_lr=ENGINE_DEFAULTS["discriminator_lr"],
        n_critic="auto",
        gp_weight=10.0,
        batch_norm=True,
        preprocessing="quantile",
        random_state=None,
        device="cpu",
        verbose=False,
        n_jobs=None,
        validation_fraction=ENGINE_DEFAULTS["validation_fraction"],
        eval_every=ENGINE_DEFAULTS["eval_every"],
        n_iter_no_change=ENGINE_DEFAULTS["n_iter_no_change"],
        ema_decay=ENGINE_DEFAULTS["ema_decay"],
        calibrate_marginals=ENGINE_DEFAULTS["calibrate_marginals"],
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.loss = loss
        self.conditional = conditional
        self.n_clusters = n_clusters
        self.label_smoothing = label_smoothing
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

    def _fit_resample(self, X, y):
        device = self._resolve_device()
        seeds = np.random.RandomState(draw_seed(self.random_state))
        models, scalers, history = {}, {}, []
        X_parts, y_parts = [X], [y]
        for class_sample, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            X_class = X[y == class_sample]
            self._check_class_size(class_sample, len(X_class))
            seed = draw_seed(seeds)
            scaler = self._scaler(X_class, seed)
            Z = scaler.transform(X_class)
            cond = cond_new = None
            if self.conditional:
                labels, k = self._subclusters(Z, self.n_clusters, seed, class_sample)
                cond = one_hot(labels, k)
                freq = np.bincount(labels, minlength=k) / len(labels)
                new_labels = np.random.default_rng(seed).choice(k, n_samples, p=freq)
                cond_new = one_hot(new_labels, k)
            blocks = getattr(scaler, "output_blocks_", None)
            model = self._trainer(
                self.loss,
                seed,
                device,
                blocks,
                max_iter=self._max_iter(len(X_class), X_class.shape[1]),
            ).fit(
                Z,
                cond,
                decode=lambda Z, _, s=scaler: s.transform(s.inverse_transform(Z)),
            )
            maps = self._maps(
                model,
                scaler,
                len(X_class),
                None
                if cond_new is None
                else lambda n, f=freq, s=seed: one_hot(
                    np.random.default_rng([s, 1]).choice(len(f), n, p=f), len(f)
                ),
            )
            Z_new = apply_maps(model.sample(n_samples, cond_new), maps)
            X_parts.append(scaler.inverse_transform(Z_new))
            y_parts.append(np.full(n_samples, class_sample, dtype=y.dtype))
            models[class_sample], scalers[class_sample] = model, scaler
            history += [{"class": class_sample, **h} for h in model.history_]
        self.models_, self.scalers_, self.history_ = models, scalers, history
        self.n_iter_ = {label: model.n_iter_ for label, model in models.items()}
        self.device_ = device
        return self._stack(X_parts, y_parts)
