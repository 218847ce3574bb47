"""One privacy verdict: the measures, thresholds and words of the card and evaluate.

:meth:`~skgan.GANSynthesizer.check_privacy` (and so every export's release
card), :func:`skgan.evaluate` and :func:`skgan.evaluate_series` measure
privacy with :func:`privacy_measures` and read it with :func:`privacy_risks`,
so that one figure is never a leak in one place and fine in another.
"""

from ._membership import MIN_HOLDOUT, membership_inference
from ._privacy import NEAR_REPEAT, distance_to_closest_record

#: Lowest DCR ratio that is not a risk: about 1 means samples sit as far from
#: the training rows as new real rows; the medians vary from draw to draw,
#: hence the margin below 1.
MIN_DCR_RATIO = 0.8

#: Highest membership-inference ROC-AUC that is not a risk (0.5 is chance).
MAX_ATTACK_AUC = 0.55

#: Above this share of holdout rows repeating training rows, the holdout
#: cannot show what unseen rows look like and is not used.
MAX_HOLDOUT_REPEATS = 0.5

#: A DCR ratio this far above 1 with an attack above :data:`MAX_ATTACK_AUC`:
#: the holdout sits much nearer the training rows than the samples do, and
#: the attack tells it apart; it is another draw than fresh rows of the data.
SHIFTED_DCR_RATIO = 2.0


def privacy_measures(train, synthetic, holdout=None, *, random_state=0):
    """Copies, distances and the membership attack, each measured or said why not.

    Parameters
    ----------
    train, synthetic : array-like or DataFrame
        Training rows and generated rows, with the same columns.
    holdout : array-like or DataFrame, default=None
        Real rows kept out of fit.
    random_state : int, default=0
        Seeds the attack and the bootstrap intervals.

    Returns
    -------
    measures : dict
        ``exact_copy_rate``, ``holdout_copy_rate`` (holdout rows that repeat
        a training row, within :data:`~skgan.metrics._privacy.NEAR_REPEAT`),
        ``dcr_ratio`` and ``dcr_ratio_interval``,
        ``membership_inference_roc_auc``, its ``_interval``,
        ``membership_attack``, ``nndr``, ``n_holdout`` and ``not_measured``
        (why the DCR ratio and the attack were not measured, or None).
    """
    if holdout is not None and len(holdout) == 0:
        raise ValueError(
            "holdout has no rows; pass real rows kept out of fit, or holdout=None."
        )
    result = distance_to_closest_record(
        train, synthetic, holdout=holdout, random_state=random_state
    )
    n_holdout = None if holdout is None else len(holdout)
    repeats = result.holdout_repeat_rate
    measures = {
        "exact_copy_rate": result.exact_copy_rate,
        "holdout_copy_rate": repeats,
        "dcr_ratio": result.dcr_ratio,
        "dcr_ratio_interval": _listed(result.dcr_ratio_interval),
        "membership_inference_roc_auc": None,
        "membership_inference_roc_auc_interval": None,
        "membership_attack": None,
        "nndr": result.nndr,
        "n_holdout": n_holdout,
        "not_measured": None,
    }
    if holdout is None:
        return measures
    if n_holdout < MIN_HOLDOUT:
        measures["not_measured"] = (
            f"not measured: the holdout has {n_holdout} rows, too few for the DCR "
            f"ratio and the membership attack to mean anything (at least "
            f"{MIN_HOLDOUT}); keep more real rows out of fit"
        )
    elif repeats > MAX_HOLDOUT_REPEATS:
        measures["not_measured"] = (
            f"not measured: {repeats:.0%} of the holdout's rows repeat training "
            f"rows (within {NEAR_REPEAT:g} standard deviations per column), so "
            "it cannot show what unseen rows look like; hold out rows kept out "
            "of fit (for a series, a later stretch that does not repeat)"
        )
    if measures["not_measured"] is not None:
        measures["dcr_ratio"] = measures["dcr_ratio_interval"] = None
        return measures
    attack = membership_inference(train, synthetic, holdout, random_state=random_state)
    measures["membership_inference_roc_auc"] = attack.roc_auc
    measures["membership_inference_roc_auc_interval"] = _listed(attack.roc_auc_interval)
    measures["membership_attack"] = attack.attack
    return measures


def privacy_risks(measures, *, min_dcr_ratio=MIN_DCR_RATIO, n_samples=None):
    """The problems that :func:`privacy_measures` shows, in words.

    A figure past its line is a risk, and so is one whose 95% interval
    reaches past it: the data cannot rule it out.

    Parameters
    ----------
    measures : dict
        From :func:`privacy_measures`.
    min_dcr_ratio : float, default=0.8
        Lowest DCR ratio that is not a risk.
    n_samples : int, default=None
        Synthetic rows checked, for the words.

    Returns
    -------
    risks : list of str
        Empty when nothing was found.
    """
    risks = [] if measures["not_measured"] is None else [measures["not_measured"]]
    allowed = measures["holdout_copy_rate"] or 0.0
    if measures["not_measured"] is not None:
        allowed = 0.0
    if measures["exact_copy_rate"] > allowed:
        checked = "" if n_samples is None else f" of {n_samples} samples"
        risks.append(
            f"{measures['exact_copy_rate']:.2%}{checked} are exact copies of "
            "training rows" + (f" (held-out rows: {allowed:.2%})" if allowed else "")
        )
    dcr, auc = measures["dcr_ratio"], measures["membership_inference_roc_auc"]
    if dcr is not None:
        low, high = measures["dcr_ratio_interval"] or (dcr, dcr)
        if dcr < min_dcr_ratio:
            risks.append(
                "samples sit closer to the training rows than holdout rows do "
                f"(DCR ratio {dcr:.2f} < {min_dcr_ratio}, 95% interval {low:.2f} "
                f"to {high:.2f})"
            )
        elif low < min_dcr_ratio:
            risks.append(
                f"the DCR ratio's interval reaches below {min_dcr_ratio} ({dcr:.2f}, "
                f"95% interval {low:.2f} to {high:.2f}): samples closer to the "
                "training rows than new rows cannot be ruled out"
            )
    if auc is None:
        return risks
    low, high = measures["membership_inference_roc_auc_interval"] or (auc, auc)
    figure = (
        f"membership inference ROC-AUC {auc:.3f} (95% interval {low:.3f} to {high:.3f})"
    )
    if dcr is not None and dcr > SHIFTED_DCR_RATIO and auc > MAX_ATTACK_AUC:
        risks.append(
            f"holdout: it sits much nearer the training rows than the samples do "
            f"(DCR ratio {dcr:.2f}) and the attack tells it apart ({figure}): it "
            "looks like another draw than fresh rows of the same data, so both "
            "figures describe the holdout, not the model; hold out rows drawn at "
            "random from the same data"
        )
    elif auc > MAX_ATTACK_AUC:
        risks.append(
            f"{figure} above {MAX_ATTACK_AUC}: the samples let an attacker tell "
            "training rows from unseen ones"
        )
    elif high > MAX_ATTACK_AUC:
        risks.append(
            f"{figure} reaches above {MAX_ATTACK_AUC}: a membership leak cannot be "
            f"ruled out with this holdout ({measures['n_holdout']} rows; more "
            "narrow the interval)"
        )
    return risks


def _listed(interval):
    """An interval as a JSON list (None stays None)."""
    return None if interval is None else [float(v) for v in interval]
