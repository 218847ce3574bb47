"""What the two GAN oversamplers share: parameters, validation, the engine."""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_consistent_length, validate_data

from ..nn import GANTrainer
from ..nn._budget import auto_max_iter
from ..nn._calibration import calibration_rows, numeric_maps
from ..preprocessing import NumericScaler, TabularTransformer
from ..utils import check_numeric_input, resolve_device
from ..utils._validation import ENGINE_CONSTRAINTS, KEEP_CONSTRAINTS, engine_params

_ENGINE_DOC = """\
    max_iter : int or "auto", default="auto"
        Generator updates (each after ``n_critic`` critic updates) of the
        training. ``"auto"`` follows the data: %(auto_budget)s, so a class of
        30 rows gets the floor and one of 3,000 rows more updates, and the
        cost stays bounded on the largest; the rows of classes that are not
        oversampled never count. ``n_iter_`` says what was used. An integer
        makes exactly that many updates, whatever the rows. See the
        oversampling guide for how the rule was chosen.

    batch_size : int, default=%(batch_size)s
        Rows per update, capped at the number of training rows.

    latent_dim : int, default=%(latent_dim)s
        Size of the generator's noise input.

    generator_dims : tuple of int, default=%(generator_dims)s
        Hidden layer widths of the generator. The study's generator is
        ``(32, 64, 128)`` with batch normalisation.

    discriminator_dims : tuple of int, default=%(discriminator_dims)s
        Hidden layer widths of the discriminator / critic. The study's is
        ``(128, 64, 32, 32, 16)``.

    generator_lr : float, default=%(generator_lr)s
        Adam learning rate of the generator.

    discriminator_lr : float, default=%(discriminator_lr)s
        Adam learning rate of the discriminator / critic.

    n_critic : int or "auto", default="auto"
        Discriminator updates per generator update; ``"auto"`` is 5 for
        WGAN-GP and 1 for the cross-entropy loss.

    gp_weight : float, default=10.0
        Weight of the gradient penalty of WGAN-GP.

    batch_norm : bool, default=True
        Batch normalisation in the generator's hidden layers.

    preprocessing : {"quantile", "standard"}, default="quantile"
        Reversible scaling in front of the networks, see
        :class:`~skgan.preprocessing.NumericScaler`. Integer-valued columns
        come back as integers, constant columns as their constant.

    random_state : int, RandomState instance or None, default=None
        Seeds everything random in training and sampling: one integer drawn
        from it seeds a local :class:`torch.Generator`, so global random
        number generators are left untouched. The same integer gives the same
        output on CPU.

    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Where to train. ``"auto"`` uses CUDA when available.

    verbose : bool, default=False
        Show a progress bar with the losses during training.

    %(n_jobs)s

    validation_fraction : float in (0, 1) or None, default=%(validation_fraction)s
        Keep the best generator: this fraction of the training rows is held
        out, and every ``eval_every`` passes an XGBoost detector tries to
        tell held-out rows from fresh samples; the generator it finds hardest
        to detect (lowest ROC-AUC) is kept, and the curve is in ``history_``
        (``detection_accuracy``, ``detection_roc_auc``). None keeps the last
        generator (the moving average with ``ema_decay``).

    eval_every : int, default=%(eval_every)s
        Passes over the rows of the classes to oversample between two
        detection measurements.

    n_iter_no_change : int or None, default=%(n_iter_no_change)s
        Stop training when this many measurements in a row found no better
        generator; None makes all ``max_iter`` updates.

    ema_decay : float in (0, 1) or None, default=%(ema_decay)s
        End with an exponential moving average of the generator's weights
        (this decay per update), which smooths the oscillation of adversarial
        training; see :class:`~skgan.nn.GANTrainer`. None keeps the last
        weights.

    calibrate_marginals : bool, default=%(calibrate_marginals)s
        After training, move each generated number onto its class's
        distribution: a monotone map from the generator's own quantiles
        (from draws of the trained model) to those of the class's quantile
        map, so that every column's values follow the class's rows while
        each row keeps the ranks the generator gave it (``preprocessing=
        "quantile"`` only). Over fifteen data sets it lowered the detection
        accuracy from 0.653 to 0.623 (:class:`GANOverSampler`) and 0.649 to
        0.619 (:class:`WCGANOverSampler`) and moved the median DCR ratio
        from 0.93 to 0.99, away from copying; it costs 10,000 to 50,000
        more draws per class (ten per row of the class).
"""

ENGINE_DEFAULTS = dict(
    # "auto": see AUTO_BUDGET.
    max_iter="auto",
    batch_size=128,
    latent_dim=32,
    generator_dims=(128, 128),
    discriminator_dims=(128, 128),
    generator_lr=1e-3,
    discriminator_lr=1e-3,
    validation_fraction=None,
    eval_every=10,
    n_iter_no_change=None,
    # benchmarks/results/sweep_defaults_*.md (protocol 2, eleven data sets,
    # three seeds): detection accuracy 0.619 -> 0.583 (WCGANOverSampler) and
    # 0.615 -> 0.599 (GANOverSampler) at the same number of epochs; 0.95-0.99
    # all helped on the six dev sets, 0.995 averaged too slowly for these
    # short runs.
    ema_decay=0.98,
    # benchmarks/results/sweep_calibration_2026-12-02.md (protocol 2,
    # fifteen data sets, two seeds): detection accuracy 0.653 -> 0.623
    # (GANOverSampler) and 0.649 -> 0.619 (WCGANOverSampler), better on both
    # halves of the data sets for both, median DCR ratio 0.93 -> 0.99.
    calibrate_marginals=True,
)


#: ``max_iter="auto"`` of GANOverSampler: ``clip(ceil(passes * n_rows /
#: batch_size), floor, cap)`` updates for a class of ``n_rows`` rows (passes
#: shrunk by ``n_rows / n_columns`` when the class has fewer rows than
#: columns, see :func:`~skgan.nn._budget.auto_max_iter`). The floor
#: is the former fixed budget (benchmarks/results/sweep_defaults_2026-12-01.md:
#: 150 updates of 128 rows won on the small classes of the first dev sets);
#: passes and cap were chosen by cross-validation over data sets
#: (benchmarks/results/sweep_budget_*.md).
AUTO_BUDGET = {"passes": 200, "floor": 150, "cap": 1500}


def budget_doc(rule, whose="each class to oversample"):
    """The text of an ``"auto"`` budget rule, for the docstrings."""
    return (
        f"{rule['passes']} passes over the rows of {whose}\n"
        f"        (``ceil({rule['passes']} * n_rows / batch_size)`` updates), at "
        f"least {rule['floor']}\n        and at most {rule['cap']:,}; a class "
        "with fewer rows than columns gets\n        fewer passes "
        "(``n_rows / n_columns`` of them)"
    )


def is_mixed_frame(X):
    """Whether ``X`` is a DataFrame with a non-numeric column (a category, text)."""
    return isinstance(X, pd.DataFrame) and any(
        not pd.api.types.is_numeric_dtype(dtype) for dtype in X.dtypes
    )


def has_missing(X):
    """Whether dense numeric input holds NaN (learnt as missing values)."""
    if isinstance(X, pd.DataFrame):
        return bool(X.isna().to_numpy().any())
    if sparse.issparse(X):
        return False
    values = np.asarray(X)
    if values.dtype.kind == "f":
        return bool(np.isnan(values).any())  # no copy of a float array
    if values.dtype.kind != "O":
        return False  # integers hold no NaN; complex and text get their own error
    try:
        values = values.astype(np.float64)
    except (TypeError, ValueError):
        return False
    return bool(np.isnan(values).any())


def one_hot(labels, n_columns):
    """Encode integer labels ``0 .. n_columns-1`` as one-hot float32 rows."""
    out = np.zeros((len(labels), n_columns), dtype=np.float32)
    out[np.arange(len(labels)), labels] = 1.0
    return out


#: Fewest rows of a class for its generated rows to be more than an
#: interpolation of them: a GAN on 2 rows put all 98 new rows on their
#: midpoint, where SMOTE(k_neighbors=1) gives 98 distinct ones.
MIN_CLASS_ROWS = 4


def _plain(label):
    """A NumPy scalar class label as its Python value, for messages."""
    return label.item() if hasattr(label, "item") else label


class BaseGANOverSampler(BaseOverSampler):
    """Base class of the GAN oversamplers; use a subclass."""

    _parameter_constraints: dict = {
        **ENGINE_CONSTRAINTS,
        **BaseOverSampler._parameter_constraints,
        "max_iter": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "n_critic": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "gp_weight": [Interval(Real, 0, None, closed="left")],
        "batch_norm": ["boolean"],
        "preprocessing": [StrOptions({"quantile", "standard"})],
        "calibrate_marginals": ["boolean"],
        **KEEP_CONSTRAINTS,
    }

    def _check_X_y(self, X, y, accept_sparse=None):
        # One rule for missing values, as in GANSynthesizer: NaN is a missing
        # value, learnt with an indicator and generated at its rate.
        self._mixed = is_mixed_frame(X) or has_missing(X)
        self._array_in = self._mixed and not isinstance(X, pd.DataFrame)
        if self._mixed:
            # Categories, strings and missing values go through a
            # TabularTransformer: the table is kept as it is.
            y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
            X, y = validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
            check_consistent_length(X, y)
            if self._array_in:
                values = np.asarray(X, dtype=np.float64)
                X = pd.DataFrame(
                    values, columns=[str(i) for i in range(values.shape[1])]
                )
            X, y = X.reset_index(drop=True), np.asarray(y)
        else:
            check_numeric_input(X)
            X, y, binarize_y = super()._check_X_y(X, y, accept_sparse=False)
        if len(np.unique(y)) < 2:
            raise ValueError(
                "y has one class only; an oversampler needs at least two classes "
                "to balance. Check the labels passed as y."
            )
        return X, y, binarize_y

    def _n_critic(self, loss):
        """``n_critic`` with ``"auto"`` resolved for ``loss``."""
        if self.n_critic == "auto":
            return 5 if loss == "wgan-gp" else 1
        return self.n_critic

    #: The rule of ``max_iter="auto"``; see :data:`AUTO_BUDGET`.
    _auto_budget = AUTO_BUDGET

    def _max_iter(self, n_rows, n_columns):
        """``max_iter`` with ``"auto"`` resolved for a class of ``n_rows`` rows.

        ``n_columns``: the features of the input (not their encoding).
        """
        if self.max_iter == "auto":
            return auto_max_iter(
                n_rows, self.batch_size, n_columns=n_columns, **self._auto_budget
            )
        return self.max_iter

    def _trainer(self, loss, seed, device, output_blocks=None, *, max_iter):
        """The engine configured from this sampler's parameters.

        ``max_iter``: the updates, resolved by :meth:`_max_iter`.
        """
        return GANTrainer(
            **{
                **engine_params(self),
                "n_critic": self._n_critic(loss),
                "max_iter": max_iter,
            },
            loss=loss,
            label_smoothing=getattr(self, "label_smoothing", 0.0),
            batch_norm=self.batch_norm,
            device=device,
            seed=seed,
            output_blocks=output_blocks,
        )

    def _maps(self, model, scaler, n_rows, cond=None, allowed=None, target=None):
        """The numbers' calibration maps of one class (None when off).

        ``cond``: a function of a number of draws to their conditions;
        ``target``: the class's encoded rows where ``scaler`` serves every
        class (their margins, not the table's, are the class's).
        """
        if not self.calibrate_marginals:
            return None
        n = calibration_rows(n_rows)
        draws = model.sample(n, None if cond is None else cond(n), allowed=allowed)
        return numeric_maps(draws, scaler, target)

    def _scaler(self, X, seed=0):
        """The reversible encoding of ``X``: numeric, or mixed-type tables."""
        if self._mixed:
            return TabularTransformer(self.preprocessing, random_state=seed).fit(X)
        return NumericScaler(method=self.preprocessing).fit(X)

    def _stack(self, X_parts, y_parts):
        """The original rows followed by the generated ones."""
        if self._mixed:
            X_new = pd.concat(X_parts, ignore_index=True)
            if self._array_in:
                X_new = X_new.to_numpy(dtype=np.float64)
        else:
            X_new = np.vstack(
                [
                    X_parts[0],
                    *(p.astype(X_parts[0].dtype, copy=False) for p in X_parts[1:]),
                ]
            )
        return X_new, np.hstack(y_parts)

    def _resolve_device(self):
        return resolve_device(self.device)

    @staticmethod
    def _subclusters(Z, n_clusters, seed, label):
        """KMeans labels of the rows of one class (fewer clusters than rows)."""
        n_distinct = len(np.unique(Z, axis=0))
        k = max(1, min(n_clusters, n_distinct))
        if k < n_clusters:
            warnings.warn(
                f"n_clusters={n_clusters} is more than the {n_distinct} distinct "
                f"row(s) of class {_plain(label)!r}: {k} sub-cluster(s) are used "
                "for it. Lower n_clusters to silence this.",
                UserWarning,
                stacklevel=4,
            )
        if k == 1:
            return np.zeros(len(Z), dtype=np.int64), 1
        kmeans = KMeans(n_clusters=k, n_init=3, random_state=seed)
        return kmeans.fit_predict(Z), k

    @staticmethod
    def _check_class_size(class_sample, n_rows):
        label = _plain(class_sample)
        if n_rows < 2:
            raise ValueError(
                f"class {label!r} has {n_rows} row; a GAN needs at least 2 "
                "rows of a class to oversample it. Remove the class, merge it "
                "with another, or leave it out of sampling_strategy."
            )
        if n_rows < MIN_CLASS_ROWS:
            warnings.warn(
                f"class {label!r} has {n_rows} rows: too few for a GAN to learn "
                "a distribution, so its generated rows interpolate them (they "
                "may all sit at one point between them). SMOTE(k_neighbors=1) "
                "suits a class this small; or add rows of it.",
                UserWarning,
                stacklevel=4,
            )

    def fit_resample(self, X, y, **params):
        """Resample the dataset with rows drawn from the trained GAN.

        Parameters
        ----------
        X : {array-like, dataframe} of shape (n_samples, n_features)
            Numeric data (without infinity), or a DataFrame with categorical,
            boolean, string or object columns. NaN is a missing value,
            whatever the input: it is learnt (an indicator per column) and
            generated at its rate, as in
            :class:`~skgan.synthesis.GANSynthesizer`. Tables with categories
            or missing values go through a
            :class:`~skgan.preprocessing.TabularTransformer` and come back
            with their type and dtypes; generated rows only hold categories
            seen in ``X``. :class:`GANOverSampler` fits one encoding per
            class, :class:`WCGANOverSampler` one for all classes.
        y : array-like of shape (n_samples,)
            Class labels.
        **params : dict
            Unused; kept for imbalanced-learn's signature.

        Returns
        -------
        X_resampled : {ndarray, dataframe} of shape (n_samples_new, n_features)
            The original rows followed by the generated rows, of the same
            type and dtypes as ``X``.
        y_resampled : {ndarray, series} of shape (n_samples_new,)
            The labels of ``X_resampled``.
        """
        try:
            return super().fit_resample(X, y, **params)
        except BaseException:
            # Nothing half-trained is left behind.
            for name in [
                a for a in vars(self) if a.endswith("_") and not a.startswith("_")
            ]:
                delattr(self, name)
            raise

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = True
        tags.non_deterministic = False
        return tags
