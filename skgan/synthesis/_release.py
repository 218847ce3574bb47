"""Releasing a fitted synthesizer: the privacy gate and the export."""

import warnings

import pandas as pd
from sklearn.utils.validation import check_is_fitted

from ..exceptions import PrivacyRiskError, PrivacyRiskWarning
from ..metrics._membership import MIN_HOLDOUT, membership_inference
from ..metrics._privacy import distance_to_closest_record
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
            ``holdout_copy_rate`` (fraction of holdout rows equal to a
            training row: the data's own rate, which real fresh rows show;
            None without ``holdout``), ``dcr_ratio`` (median distance to the
            closest training row, samples over holdout rows; None without
            ``holdout``), ``dcr_ratio_interval`` (its 95% bootstrap interval),
            ``membership_inference_roc_auc``, its
            ``membership_inference_roc_auc_interval`` and
            ``membership_attack`` (the stronger attack of
            :func:`~skgan.metrics.membership_inference` and its ROC-AUC, 0.5
            is chance; None without a holdout of at least 20 rows),
            ``n_holdout`` and ``n_samples``.
        """
        check_is_fitted(self)
        train = self._aligned(X, "X")
        holdout_rate = None
        if holdout is not None:
            holdout = self._aligned(holdout, "holdout")
            # The data's own exact-copy rate: held-out rows equal to a
            # training row.
            holdout_rate = distance_to_closest_record(train, holdout).exact_copy_rate
        synthetic = self._privacy_sample(n_samples, random_state)
        result = distance_to_closest_record(
            train, synthetic, holdout=holdout, random_state=random_state
        )
        attack = None
        if holdout is not None and len(holdout) >= MIN_HOLDOUT:
            attack = membership_inference(
                train, synthetic, holdout, random_state=random_state
            )
        return {
            "exact_copy_rate": result.exact_copy_rate,
            "holdout_copy_rate": holdout_rate,
            "dcr_ratio": result.dcr_ratio,
            "dcr_ratio_interval": _listed(result.dcr_ratio_interval),
            "membership_inference_roc_auc": None if attack is None else attack.roc_auc,
            "membership_inference_roc_auc_interval": None
            if attack is None
            else _listed(attack.roc_auc_interval),
            "membership_attack": None if attack is None else attack.attack,
            "n_holdout": None if holdout is None else len(holdout),
            "n_samples": int(n_samples),
        }

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
        min_dcr_ratio=0.8,
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
            What to do when samples copy training rows (exact-copy rate above
            the holdout's own rate, or above 0 without a holdout) or sit
            closer to them than holdout rows do (DCR ratio below
            ``min_dcr_ratio``): warn with :class:`~skgan.exceptions.
            PrivacyRiskWarning` and write, raise
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
            risk = []
            rate = report["holdout_copy_rate"]
            # More than half of the holdout in X: it is (mostly) training
            # data and says nothing about unseen rows; the DCR ratio's
            # denominator is then 0.
            suspect = rate is not None and rate > 0.5
            if suspect:
                # Its "non-members" are members: the attack measures nothing.
                report["membership_inference_roc_auc"] = None
                report["membership_inference_roc_auc_interval"] = None
                report["membership_attack"] = None
                risk.append(
                    f"holdout: {rate:.0%} of its rows are also rows of X, so it "
                    "cannot show what unseen rows look like and was not used "
                    "(pass rows kept out of fit as holdout)"
                )
            elif rate is not None and report["n_holdout"] < MIN_HOLDOUT:
                risk.append(
                    f"holdout: {report['n_holdout']} rows are too few for the DCR "
                    f"ratio and the membership attack to mean anything (at least "
                    f"{MIN_HOLDOUT}; the attack was not run): keep more real "
                    "rows out of fit"
                )
            # Fresh rows of the same data repeat training rows at the data's
            # own rate (ties in discrete tables); more than that is copying.
            allowed = 0.0 if rate is None or suspect else rate
            if report["exact_copy_rate"] > allowed:
                risk.append(
                    f"{report['exact_copy_rate']:.2%} of {n_samples} samples are "
                    "exact copies of training rows"
                    + (f" (held-out rows: {allowed:.2%})" if allowed else "")
                )
            dcr = report["dcr_ratio"]
            if not suspect and dcr is not None and dcr < min_dcr_ratio:
                risk.append(
                    f"samples sit closer to the training rows than holdout rows do "
                    f"(DCR ratio {dcr:.2f} < {min_dcr_ratio})"
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


def _listed(interval):
    """An interval as a JSON list (None stays None)."""
    return None if interval is None else [float(v) for v in interval]
