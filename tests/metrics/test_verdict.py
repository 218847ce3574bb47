"""One privacy verdict: the card, the export and evaluate read figures alike."""

import warnings

import numpy as np
import pandas as pd
import pytest

import skgan
from skgan import GANSynthesizer
from skgan.exceptions import PrivacyRiskWarning
from skgan.metrics._verdict import privacy_risks


def _measures(**changes):
    measures = {
        "exact_copy_rate": 0.0,
        "holdout_copy_rate": 0.0,
        "dcr_ratio": 1.0,
        "dcr_ratio_interval": [0.95, 1.05],
        "membership_inference_roc_auc": 0.51,
        "membership_inference_roc_auc_interval": [0.49, 0.53],
        "membership_attack": "density_ratio",
        "nndr": 0.5,
        "n_holdout": 500,
        "not_measured": None,
    }
    return {**measures, **changes}


def test_a_healthy_check_lists_no_risk():
    assert privacy_risks(_measures()) == []


def test_an_attack_above_the_line_is_a_risk_whatever_the_dcr_ratio():
    # The case that broke: the card said "risk: none found" beside 0.881.
    risks = privacy_risks(
        _measures(
            membership_inference_roc_auc=0.881,
            membership_inference_roc_auc_interval=[0.849, 0.911],
        )
    )
    assert len(risks) == 1 and "ROC-AUC 0.881" in risks[0] and "above 0.55" in risks[0]


@pytest.mark.parametrize(
    "changes, words",
    [
        # The card called 0.617 (0.506 to 0.720) fine.
        (
            dict(
                membership_inference_roc_auc=0.617,
                membership_inference_roc_auc_interval=[0.506, 0.720],
            ),
            "above 0.55",
        ),
        (
            dict(
                membership_inference_roc_auc=0.53,
                membership_inference_roc_auc_interval=[0.47, 0.59],
            ),
            "cannot be ruled out",
        ),
        (dict(dcr_ratio=0.9, dcr_ratio_interval=[0.7, 1.1]), "reaches below 0.8"),
        (dict(dcr_ratio=0.6, dcr_ratio_interval=[0.5, 0.7]), "DCR ratio 0.60 < 0.8"),
    ],
)
def test_a_figure_or_an_interval_past_its_line_is_a_risk(changes, words):
    risks = privacy_risks(_measures(**changes))
    assert len(risks) == 1 and words in risks[0]


def test_a_holdout_unlike_fresh_rows_is_named_as_such():
    # The Series guide's case: near-repeating holdout windows, a DCR ratio of
    # 773.8 and an attack that tells them apart.
    risks = privacy_risks(
        _measures(
            dcr_ratio=773.8,
            dcr_ratio_interval=[600.0, 900.0],
            membership_inference_roc_auc=0.9,
            membership_inference_roc_auc_interval=[0.85, 0.95],
        )
    )
    assert len(risks) == 1 and risks[0].startswith("holdout:")
    assert "another draw than fresh rows" in risks[0]


def test_evaluate_and_the_card_give_the_same_verdict(tmp_path):
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {"a": rng.normal(size=300), "b": rng.choice(["x", "y", "z"], 300)}
    )
    train, holdout = table.iloc[:200], table.iloc[200:]
    synth = GANSynthesizer(epochs=2, batch_size=50, random_state=0).fit(train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        report = synth.export_generator(
            tmp_path / "m", X=train, holdout=holdout, n_samples=2000
        )
    samples = synth.sample(2000, random_state=0)
    summary = skgan.evaluate(train, samples, holdout=holdout).summary()
    assert summary.loc["DCR ratio", "score"] == pytest.approx(report["dcr_ratio"])
    auc = summary.loc["membership inference ROC-AUC", "score"]
    assert auc == pytest.approx(report["membership_inference_roc_auc"])
    words = summary.loc["privacy risks", "meaning"]
    risks = [r.replace(" of 2000 samples", "") for r in report["risk"]]
    assert summary.loc["privacy risks", "score"] == len(risks)
    assert words == ("; ".join(risks) or "none found (the release card's verdict)")
