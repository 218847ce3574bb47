"""MLflow tracking and models for skgan (extra ``skgan[mlflow]``).

:func:`log_fit` records a fitted estimator in the active MLflow run: its
parameters, its training history as step metrics and, given data, how real
and how private its rows are. :func:`log_model` stores a
:class:`~skgan.GANSynthesizer`'s export as an MLflow ``pyfunc`` model whose
``predict`` returns rows, so ``mlflow models serve`` answers requests too.
"""

import numbers
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

try:
    import mlflow
    import mlflow.pyfunc
except ImportError:  # pragma: no cover - the extra is tested in CI
    raise ImportError(
        "skgan.integrations.mlflow needs MLflow; install it with "
        "pip install 'skgan[mlflow]'."
    ) from None

from ..synthesis import GANSeriesSynthesizer, GANSynthesizer, load_generator
from ..synthesis._card import release_card
from ..utils._windows import to_long_frame

__all__ = ["SkganPyfuncModel", "log_fit", "log_model"]

#: Release-card measures that are logged as metrics.
_MEASURES = (
    "exact_copy_rate",
    "holdout_copy_rate",
    "dcr_ratio",
    "membership_inference_roc_auc",
)

#: History entries that are logged as step metrics (the epoch is the step).
_CURVES = (
    "generator_loss",
    "discriminator_loss",
    "wasserstein",
    "detection_accuracy",
    "detection_roc_auc",
)


def log_fit(estimator, X=None, *, holdout=None, n_samples=None, random_state=0):
    """Log a fitted skgan estimator to the active MLflow run.

    A run is started (as :func:`mlflow.log_param` does) when none is active.

    Parameters
    ----------
    estimator : GANSynthesizer, GANSeriesSynthesizer, GANOverSampler or WCGANOverSampler
        A fitted estimator. Its plain parameters (numbers, strings, booleans,
        None, tuples) are logged with :func:`mlflow.log_params`; every entry
        of its ``history_`` named ``generator_loss``, ``discriminator_loss``,
        ``wasserstein``, ``detection_accuracy`` or ``detection_roc_auc`` is
        logged as a metric whose step is the epoch (one metric per class,
        suffixed ``_class_<label>``, for
        :class:`~skgan.GANOverSampler`'s per-class GANs).
    X : DataFrame or array-like, default=None
        The rows a :class:`~skgan.GANSynthesizer` was trained on: when given,
        ``n_samples`` rows are sampled and logged are ``detection_accuracy``
        (:func:`~skgan.metrics.detection_score`, 0.5 is ideal) and the
        release card's measures (:meth:`~skgan.GANSynthesizer.check_privacy`:
        ``exact_copy_rate`` and, with ``holdout``, ``holdout_copy_rate``,
        ``dcr_ratio`` and ``membership_inference_roc_auc``); the card itself
        is logged as ``release_card.json``. Without ``X``, a model loaded
        from an export logs the card it carries, and any other a card that
        says "not measured". A :class:`~skgan.GANSeriesSynthesizer` is
        measured on its windows, flattened. The samplers take no ``X``: their rows are
        measured by :func:`skgan.evaluate` or the benchmarks.
    holdout : DataFrame or array-like, default=None
        Real rows the model never saw, for the DCR ratio and the membership
        attack and as the detector's real test rows. Needs ``X``.
    n_samples : int, default=None
        Rows sampled for the measures; ``len(X)`` when None.
    random_state : int, default=0
        Seeds the sampling and the measures.

    Returns
    -------
    logged : dict
        The final figures logged as metrics (without the history).

    Raises
    ------
    ValueError
        If ``holdout`` comes without ``X``, or ``X`` with a sampler.
    """
    synthesizer = isinstance(estimator, (GANSynthesizer, GANSeriesSynthesizer))
    if X is not None and not synthesizer:
        raise ValueError(
            "log_fit measures the rows of a GANSeriesSynthesizer or "
            f"GANSynthesizer only; for {type(estimator).__name__}, measure its "
            "new rows with "
            "skgan.evaluate(X_minority, X_resampled[len(X):]) and log the "
            "report's figures, or call log_fit(sampler) without X."
        )
    if holdout is not None and X is None:
        raise ValueError(
            "holdout is compared with the training rows: pass X (the rows the "
            "model was trained on) as well."
        )
    params = {
        k: str(v) if isinstance(v, tuple) else v
        for k, v in estimator.get_params().items()
        if isinstance(v, (str, numbers.Number, bool, tuple, type(None)))
    }
    mlflow.log_params(params)
    mlflow.set_tag("skgan.estimator", type(estimator).__name__)
    for record in getattr(estimator, "history_", None) or []:
        suffix = "" if "class" not in record else f"_class_{record['class']}"
        metrics = {
            f"{key}{suffix}": float(record[key])
            for key in _CURVES
            if record.get(key) is not None and np.isfinite(record[key])
        }
        if metrics:
            mlflow.log_metrics(metrics, step=int(record["epoch"]))
    logged = {}
    if not synthesizer:
        return logged
    report = None
    if X is not None:
        from ..metrics import detection_score

        # As the privacy check aligns them: a table's rows, a series'
        # windows flattened.
        train = estimator._aligned(X, "X")
        n = len(train) if n_samples is None else n_samples
        synthetic = estimator._privacy_sample(n, random_state)
        unseen = None if holdout is None else estimator._aligned(holdout, "holdout")
        logged["detection_accuracy"] = float(
            detection_score(
                train, synthetic, holdout=unseen, random_state=random_state
            ).accuracy
        )
        report = estimator.check_privacy(
            X, holdout=holdout, n_samples=n, random_state=random_state
        )
    card = release_card(estimator, report)
    _log_card(card)
    for key in _MEASURES:
        value = (card["measures"] or {}).get(key)
        if isinstance(value, numbers.Real) and np.isfinite(value):
            logged[key] = float(value)
    if logged:
        mlflow.log_metrics(logged)
    return logged


def _log_card(card):
    """The card as ``release_card.json`` and its risks as a visible tag."""
    mlflow.log_dict(card, "release_card.json")
    mlflow.set_tag("skgan.release_risk", "; ".join(card["risk"]) or "none found")


class SkganPyfuncModel(mlflow.pyfunc.PythonModel):
    """An exported generator as an MLflow ``pyfunc`` model.

    ``predict`` takes a DataFrame with a column ``n_samples`` and, optionally,
    ``random_state`` and a condition as ``condition_column`` and
    ``condition_value``; each input row asks for that many rows, and the
    answers are concatenated.
    """

    def load_context(self, context):
        """Load the export (its integrity is checked).

        Parameters
        ----------
        context : mlflow.pyfunc.PythonModelContext
            Holds the path of the ``export`` artifact.
        """
        self.generator_ = load_generator(context.artifacts["export"])

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        """Sample rows.

        Parameters
        ----------
        context : mlflow.pyfunc.PythonModelContext
            Unused.
        model_input : DataFrame
            One request per row: ``n_samples`` (required), ``random_state``,
            ``condition_column`` and ``condition_value`` (optional).
        params : dict, default=None
            Unused.

        Returns
        -------
        rows : DataFrame
            The sampled rows, one request after another (no rows, with the
            model's columns, for an empty input). A series model's windows
            are numbered across the call, so each ``window`` id is one window.
        """
        if not isinstance(model_input, pd.DataFrame):
            model_input = pd.DataFrame(model_input)
        if not len(model_input):
            return self._empty()
        if "n_samples" not in model_input.columns:
            raise ValueError(
                "the input needs an n_samples column, for example "
                "pandas.DataFrame({'n_samples': [100]}); got columns "
                f"{list(model_input.columns)}."
            )
        counts = pd.to_numeric(model_input["n_samples"], errors="coerce")
        bad = counts.isna() | (counts < 0) | (counts != np.floor(counts))
        if bad.any():
            raise ValueError(
                "n_samples must be a whole number of rows, 0 or more, in every "
                f"request; got {model_input['n_samples'][bad].tolist()}."
            )
        parts, windows = [], 0
        for request in model_input.to_dict("records"):
            seed = request.get("random_state")
            conditions = None
            if pd.notna(request.get("condition_column", None)):
                conditions = {
                    request["condition_column"]: request.get("condition_value")
                }
            if isinstance(self.generator_, GANSeriesSynthesizer):
                # Windows numbered on from the call's earlier requests, so
                # that each id names one window of the answer.
                part = self._windows(request, seed)
                parts.append(part.assign(window=part["window"] + windows))
                windows += int(request["n_samples"])
                continue
            parts.append(
                self.generator_.sample(
                    int(request["n_samples"]),
                    conditions=conditions,
                    random_state=None if pd.isna(seed) else int(seed),
                )
            )
        if not parts:
            # No request: the columns of an answer, without rows.
            return self._empty()
        return pd.concat(parts, ignore_index=True)

    def _empty(self):
        """An answer of no rows, with the model's columns and dtypes."""
        if isinstance(self.generator_, GANSeriesSynthesizer):
            return self._windows({"n_samples": 0}, np.nan)
        return self.generator_.sample(0)

    def _windows(self, request, seed):
        """A series model's windows as a long table; ``condition_value`` is
        the class of a model fitted per class."""
        label = request.get("condition_value")
        windows = self.generator_.sample(
            int(request["n_samples"]),
            y=None if label is None or pd.isna(label) else label,
            random_state=None if pd.isna(seed) else int(seed),
        )
        if isinstance(windows, pd.DataFrame):
            return windows
        return to_long_frame(windows, [str(c) for c in range(windows.shape[2])])


def log_model(
    generator,
    name="generator",
    *,
    X=None,
    holdout=None,
    on_privacy_risk="warn",
    pip_requirements=None,
    **kwargs,
):
    """Store a fitted synthesizer's export as an MLflow ``pyfunc`` model.

    The export (:meth:`~skgan.GANSynthesizer.export_generator`: weights and
    schema with its release card, no training row) is the model's only
    artifact. Loaded with :func:`mlflow.pyfunc.load_model`,
    ``predict(pandas.DataFrame({"n_samples": [1000]}))`` returns 1,000 rows;
    ``mlflow models serve -m URI --env-manager local`` serves it over HTTP.
    The card is also logged to the run as ``release_card.json``, with its
    risks in the tag ``skgan.release_risk``.

    Parameters
    ----------
    generator : GANSynthesizer or GANSeriesSynthesizer
        A fitted synthesizer (or one from :func:`~skgan.load_generator`,
        whose card is logged unchanged). A series model's ``predict``
        answers windows as a long table (``window``, ``step``, the
        channels), ``condition_value`` naming the class of a model fitted
        per class.
    name : str, default="generator"
        The model's name within the run (MLflow's ``name``, formerly
        ``artifact_path``).
    X : DataFrame or array-like, default=None
        The training rows, for the privacy check of the export (never
        logged). Without ``X``, a loaded export keeps its card and a fresh
        model is carded "not measured".
    holdout : DataFrame or array-like, default=None
        Real rows the model never saw, for the DCR ratio and the membership
        attack.
    on_privacy_risk : {"warn", "raise", "ignore"}, default="warn"
        As in :meth:`~skgan.GANSynthesizer.export_generator`: ``"raise"``
        logs nothing when the check finds copies or near-copies.
    pip_requirements : list of str, default=None
        The environment MLflow records for the model; by default the
        installed releases of skgan's core dependencies (without local build
        labels such as ``+cpu``, which the package index does not serve).
    **kwargs
        Passed to :func:`mlflow.pyfunc.log_model`.

    Returns
    -------
    info : mlflow.models.model.ModelInfo
        Where the model was logged (``info.model_uri``).
    """
    fitted = (
        isinstance(generator, GANSynthesizer) and hasattr(generator, "trainer_")
    ) or (isinstance(generator, GANSeriesSynthesizer) and hasattr(generator, "models_"))
    if not fitted:
        raise TypeError(
            "log_model needs a fitted GANSynthesizer or GANSeriesSynthesizer (or "
            f"one from load_generator); got {type(generator).__name__}."
        )
    if holdout is not None and X is None:
        raise ValueError(
            "holdout is compared with the training rows: pass X (the rows the "
            "model was trained on) as well."
        )
    if pip_requirements is None:
        pip_requirements = _requirements()
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export"
        generator.export_generator(
            export, X=X, holdout=holdout, on_privacy_risk=on_privacy_risk
        )
        _log_card(load_generator(export).release_)
        return mlflow.pyfunc.log_model(
            name=name,
            python_model=SkganPyfuncModel(),
            artifacts={"export": str(export)},
            pip_requirements=pip_requirements,
            **kwargs,
        )


def _requirements():
    from importlib.metadata import PackageNotFoundError, version

    from packaging.version import Version

    names = ["torch", "numpy", "pandas", "scikit-learn", "safetensors", "skgan"]
    pins = []
    for name in names:
        try:
            # A local label (+cpu, +cu121) names a build the index lacks.
            pins.append(f"{name}=={Version(version(name)).public}")
        except PackageNotFoundError:
            pins.append(name)
    return pins
