"""Releasing a fitted synthesizer: the privacy gate and the export."""

import warnings

import pandas as pd
from sklearn.utils.validation import check_is_fitted

from ..exceptions import PrivacyRiskError, PrivacyRiskWarning
from ..metrics._verdict import MIN_DCR_RATIO, privacy_measures, privacy_risks
from ._export import write_export


class ReleaseMixin:
    """:meth:`check_privacy` and :meth:`export_generator` of
    :class:`~skgan.GANSynthesizer` and :class:`~skgan.GANSeriesSynthesizer`.

    A class gives ``_aligned(X, name)`` (the rows to compare, as a table or
    an array), ``_privacy_sample(n, random_state)`` (as many synthetic rows,
    aligned alike) and ``_write_export(path, report)``.
    """

    def check_privacy(self, X, *, holdout=None, n_samples=10_000, random_state=0):
        """Measure whether samples copy, or sit too close to, the training rows.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_train, n_features)
            The rows the model was trained on (never stored by the model).
        holdout : DataFrame or array-like, default=None
            Real rows the model never saw; needed for the DCR ratio.
        n_samples : int, default=10_000
            Synthetic rows to check.
        random_state : int, RandomState instance or None, default=0
            Seeds the synthetic rows.

        Returns
        -------
        report : dict
            ``exact_copy_rate`` (fraction of samples equal to a training row),
            ``holdout_copy_rate`` (fraction of holdout rows that repeat a
            training row, within a hundredth of a standard deviation per
            column: the data's own rate, which real fresh rows show; None
            without ``holdout``), ``dcr_ratio`` (median distance to the
            closest training row, samples over holdout rows) with its 95%
            bootstrap ``dcr_ratio_interval``,
            ``membership_inference_roc_auc``, its
            ``membership_inference_roc_auc_interval`` and
            ``membership_attack`` (the stronger attack of
            :func:`~skgan.metrics.membership_inference`; 0.5 is chance),
            ``nndr``, ``not_measured`` (why the DCR ratio and the attack
            were not measured: no holdout is None; a holdout of fewer than
            20 rows, or one that mostly repeats training rows, says so),
            ``n_holdout`` and ``n_samples``.
        """
        check_is_fitted(self)
        train = self._aligned(X, "X")
        if holdout is not None:
            if len(holdout) == 0:
                raise ValueError(
                    "holdout has no rows; pass real rows kept out of fit, or "
                    "holdout=None."
                )
            holdout = self._aligned(holdout, "holdout")
        synthetic = self._privacy_sample(n_samples, random_state)
        measures = privacy_measures(
            train, synthetic, holdout, random_state=random_state
        )
        return {**measures, "n_samples": int(n_samples)}

    def _aligned(self, X, name):
        """``X`` as a table with the fitted columns (arrays get their names)."""
        rules = getattr(self, "constraints_", None)
        if rules is not None:
            # The model's own columns are the reparametrised ones.
            if not isinstance(X, pd.DataFrame) or set(rules.columns_) - set(
                map(str, X.columns)
            ):
                raise ValueError(
                    f"{name} must be a DataFrame with the fitted columns "
                    f"{rules.columns_}."
                )
            return X[rules.columns_]
        table = self.transformer_._as_frame(X, reset=False)
        if self.transformer_._frame_in:
            return table
        return table.to_numpy()

    def export_generator(
        self,
        path,
        *,
        X=None,
        holdout=None,
        on_privacy_risk="warn",
        min_dcr_ratio=MIN_DCR_RATIO,
        n_samples=10_000,
    ):
        """Write the generator alone: safetensors weights and a JSON schema.

        The export holds the generator's weights, the columns (a series'
        channels), dtypes and the encoding's parameters; no training row (or
        window), row index or critic.
        Before writing, the samples are checked against the training rows
        ``X`` (see :meth:`check_privacy`). Every export carries a release
        card in its schema (``release``, covered by the integrity check):
        the number of training rows, the model, the privacy budget spent
        (``epsilon``: ``"none"`` without differential privacy), the measures
        of the check (exact copies against the data's own rate, DCR ratio,
        membership-inference ROC-AUC; null without ``X``) with their
        definitions and the risks found; ``skgan card`` prints it.

        Parameters
        ----------
        path : str or path-like
            A directory to create (or an empty one); it receives
            ``generator.safetensors`` and ``schema.json``.
        X : DataFrame or array-like, default=None
            The training rows, for the privacy check (not written).
        holdout : DataFrame or array-like, default=None
            Real rows the model never saw, for the DCR ratio.
        on_privacy_risk : {"warn", "raise", "ignore"}, default="warn"
            What to do when the check finds a risk: samples that copy
            training rows (exact-copy rate above the holdout's own rate, or
            above 0 without a holdout), a DCR ratio below ``min_dcr_ratio``
            or a membership-inference ROC-AUC above 0.55 (or an interval
            that reaches past either line), a holdout too small, mostly
            repeating X, or unlike fresh rows of the data: warn with
            :class:`~skgan.exceptions.PrivacyRiskWarning` and write, raise
            :class:`~skgan.exceptions.PrivacyRiskError` and write nothing, or
            write silently. ``"raise"`` needs ``X``.
        min_dcr_ratio : float, default=0.8
            Lowest acceptable DCR ratio. About 1 means samples are as far from
            the training rows as new real rows; the medians vary from sample
            to sample, hence a margin below 1.
        n_samples : int, default=10_000
            Synthetic rows to check.

        Returns
        -------
        report : dict or None
            The privacy report (see :meth:`check_privacy`) with ``risk``
            (a list of the problems found), or None without ``X``.
        """
        check_is_fitted(self)
        if on_privacy_risk not in ("warn", "raise", "ignore"):
            raise ValueError(
                "on_privacy_risk must be 'warn', 'raise' or 'ignore'; got "
                f"{on_privacy_risk!r}."
            )
        report = None
        if X is None and on_privacy_risk == "raise":
            raise ValueError(
                "on_privacy_risk='raise' needs the training rows: pass X (they "
                "are used for the check only and never written)."
            )
        if X is not None:
            report = self.check_privacy(X, holdout=holdout, n_samples=n_samples)
            risk = privacy_risks(
                report, min_dcr_ratio=min_dcr_ratio, n_samples=n_samples
            )
            report["risk"] = risk
            if risk and on_privacy_risk == "raise":
                raise PrivacyRiskError(
                    "not exported: " + "; ".join(risk) + ". Train longer or "
                    "with more rows, coarsen rare values, or export with "
                    "on_privacy_risk='warn' if this is acceptable."
                )
            if risk and on_privacy_risk == "warn":
                warnings.warn(
                    "privacy risk in the export: " + "; ".join(risk) + ".",
                    PrivacyRiskWarning,
                    stacklevel=2,
                )
        self._write_export(path, report)
        return report

    def _privacy_sample(self, n_samples, random_state):
        return self.sample(n_samples, random_state=random_state)

    def _write_export(self, path, report):
        write_export(self, path, report)
