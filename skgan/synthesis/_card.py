"""The release card: what an exported generator was trained on, and what leaks."""

import numpy as np

#: The risk entry of a card whose export was not given the training rows.
NOT_MEASURED = (
    "not measured: exported without the training rows, so copies, near-copies "
    "and membership inference were not checked"
)

#: What each measure of a release card means, written into the card.
DEFINITIONS = {
    "n_training_rows": "rows the generator was trained on (none is stored)",
    "epsilon": "differential-privacy budget spent in training; 'none' means "
    "no formal guarantee",
    "exact_copy_rate": "fraction of checked samples identical to a training row",
    "holdout_copy_rate": "fraction of held-out real rows that repeat a training "
    "row (within a hundredth of a standard deviation per column): the rate "
    "fresh real rows copy at (ties in discrete data)",
    "dcr_ratio": "median distance from a sample to its closest training row over "
    "the same for a held-out real row; about 1 is healthy, below 0.8 (or an "
    "interval reaching below it) is a risk",
    "membership_inference_roc_auc": "ROC-AUC of the stronger of two attacks "
    "(k-nearest-neighbour density ratio, distance to the closest sample) at "
    "telling training rows from held-out rows with the samples; 0.5 is chance, "
    "above 0.55 (or an interval reaching above it) is a risk; needs a holdout "
    "of at least 20 rows",
    "not_measured": "why the DCR ratio and the attack were not measured: a "
    "holdout of fewer than 20 rows, or one whose rows mostly repeat training "
    "rows",
    "intervals": "each *_interval is a 95% percentile bootstrap interval "
    "(1,000 resamples; the two groups compared resampled on their own)",
    "clipped": "with epsilon: rows below and above each numeric column's public "
    "bounds, clipped to them; noisy counts, part of the guarantee",
    "counted_values": "with epsilon: the discrete columns whose values were "
    "counted with noise rather than declared; a value held by fewer than about "
    "threshold_rows rows is never generated (the fit's warning names those "
    "suppressed; the card does not, as naming them would release them)",
    "stored_values": "no training value that occurs only once is stored: numeric "
    "quantiles and bounds are midpoints between adjacent values, categories "
    "seen once are recoded",
}


def release_card(synth, report):
    """The release card of an export: what was trained on, and what leaks.

    Parameters
    ----------
    synth : GANSynthesizer
        The fitted model.
    report : dict or None
        Its privacy check (:meth:`~skgan.GANSynthesizer.check_privacy` with
        ``risk``), or None when no training rows were given: a model loaded
        from an export then keeps its card unchanged, any other is carded
        "not measured".

    Returns
    -------
    card : dict
        JSON-able: ``n_training_rows``, ``model``, ``epsilon``, ``delta``,
        ``clipped`` (with ``epsilon``: the noisy counts of rows clipped to
        each numeric column's bounds; ``"none"`` without),
        ``counted_values`` (with ``epsilon``: the discrete columns whose
        values were counted with noise, and the ``threshold_rows`` a value
        needed to be kept; ``"none"`` without), ``constraints``
        (the rules every generated row holds, as text), ``measures`` (the
        report, or None), ``risk`` (the problems found; the first entry is
        :data:`NOT_MEASURED` when nothing was measured) and ``definitions``.
    """
    if report is None and getattr(synth, "release_", None) is not None:
        # A loaded export travels with the card it was measured with.
        return synth.release_
    epsilon = getattr(synth, "epsilon_", None)
    clipped = getattr(synth, "clipped_", None)
    encoder = getattr(synth, "transformer_", None)
    counted = "none"
    if epsilon is not None and hasattr(encoder, "counted_columns_"):
        counted = {
            "columns": list(encoder.counted_columns_),
            "threshold_rows": round(encoder.private_threshold_, 1),
        }
    rules = getattr(synth, "constraints_", None)
    return {
        "n_training_rows": getattr(synth, "n_samples_fit_", None),
        "model": {
            "estimator": type(synth).__name__,
            "loss": synth.loss,
            "conditional": bool(getattr(synth, "conditional", False)),
            "numeric": getattr(synth, "numeric", "standard"),
        },
        "epsilon": "none" if epsilon is None else float(epsilon),
        "delta": "none" if epsilon is None else float(synth.delta_),
        "clipped": "none" if epsilon is None or clipped is None else clipped,
        "counted_values": counted,
        # The rules as the user wrote them (a series' name its channels).
        "constraints": [str(r) for r in (synth.constraints or rules.rules)]
        if rules
        else [],
        "measures": None
        if report is None
        else _json_safe({k: v for k, v in report.items() if k != "risk"}),
        "risk": [NOT_MEASURED] if report is None else list(report.get("risk", [])),
        "definitions": DEFINITIONS,
    }


def format_card(card):
    """A release card as lines of text, for the command line.

    Parameters
    ----------
    card : dict
        From :func:`release_card`.

    Returns
    -------
    text : str
        One line per entry.
    """
    model = card["model"]
    lines = [
        f"model: {model['estimator']} (loss={model['loss']}, "
        f"conditional={model['conditional']}, numeric={model['numeric']})",
        f"training rows: {card['n_training_rows']} (none stored)",
        f"epsilon: {card['epsilon']}"
        + ("" if card["epsilon"] == "none" else f", delta: {card['delta']}"),
    ]
    lines += [f"rule every row holds: {rule}" for rule in card.get("constraints", [])]
    clipped = card.get("clipped")
    for name, counts in clipped.items() if isinstance(clipped, dict) else ():
        lines.append(
            f"clipped to bounds: {name}: {counts['below']} below, "
            f"{counts['above']} above (noisy counts)"
        )
    counted = card.get("counted_values")
    if isinstance(counted, dict) and counted["columns"]:
        lines.append(
            f"values counted with noise: {', '.join(map(str, counted['columns']))}; "
            f"a value held by fewer than about {counted['threshold_rows']:.0f} rows "
            "is never generated (declare a column's values to keep them)"
        )
    measures = card["measures"]
    if measures is None:
        lines.append("measures: not measured (exported without the training rows)")
    else:
        for key in (
            "exact_copy_rate",
            "holdout_copy_rate",
            "dcr_ratio",
            "membership_inference_roc_auc",
        ):
            value = measures.get(key)
            if value is not None:
                shown = f"{float(value):.4f}"
            elif measures.get("n_holdout") is None:
                shown = "not measured: no holdout"
            else:
                # "not measured: why", from the check.
                shown = measures.get("not_measured") or "not measured"
            interval = measures.get(f"{key}_interval")
            if value is not None and interval is not None:
                low, high = (float(v) for v in interval)
                shown += f" (95% interval {low:.3f} to {high:.3f})"
            lines.append(f"{key}: {shown}")
    lines += [f"risk: {r}" for r in card["risk"]] or ["risk: none found"]
    return "\n".join(lines)


def _json_safe(report):
    """Non-finite numbers as strings ("inf"): JSON has no infinity."""

    def safe(value):
        if isinstance(value, float) and not np.isfinite(value):
            return str(value)
        if isinstance(value, list):
            return [safe(v) for v in value]
        return value

    return {k: safe(v) for k, v in report.items()}
