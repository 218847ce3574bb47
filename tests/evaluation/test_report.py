import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import skgan

pytest.importorskip("matplotlib")


@pytest.fixture
def mixed(seed):
    """Real, holdout and synthetic tables with a binary target and a category."""
    rng = np.random.RandomState(seed)

    def table(n, shift=0.0):
        x = rng.randn(n) + shift
        return pd.DataFrame(
            {
                "x": x,
                "z": x + rng.randn(n),
                "kind": rng.choice(["a", "b", "c"], n),
                "label": (x + 0.5 * rng.randn(n) > 0).astype(int),
            }
        )

    return table(400), table(300), table(800, shift=1.0)


def test_evaluate_summary_has_every_measure_beside_its_ideal(mixed):
    real, holdout, synthetic = mixed
    report = skgan.evaluate(real, synthetic, holdout=holdout, target="label")
    summary = report.summary()
    assert {
        "detection accuracy",
        "detection ROC-AUC",
        "mean KSComplement",
        "mean TVComplement",
        "CorrelationSimilarity",
        "exact copy rate",
        "DCR ratio",
        "membership inference ROC-AUC",
        "TSTR roc_auc",
        "TRTR roc_auc",
        "TSTR / TRTR",
    } <= set(summary.index)
    assert summary.loc["detection accuracy", "ideal"] == 0.5
    assert summary.loc["DCR ratio", "ideal"] == 1.0
    # A shift of one std: detectable, not trivially; labels stay learnable.
    assert 0.55 < summary.loc["detection accuracy", "score"] < 0.9
    assert summary.loc["TSTR / TRTR", "score"] > 0.8
    assert summary.loc["exact copy rate", "score"] == 0.0
    # Fresh (shifted) rows: membership is not guessable from them.
    assert 0.4 <= summary.loc["membership inference ROC-AUC", "score"] <= 0.6


def test_evaluate_to_dict_is_json(mixed):
    real, holdout, synthetic = mixed
    data = skgan.evaluate(real, synthetic, holdout=holdout).to_dict()
    text = json.dumps(data)
    assert json.loads(text)["n_holdout"] == 300
    assert [m["column"] for m in data["marginals"]] == ["x", "z", "kind", "label"]


def test_evaluate_html_embeds_every_figure(mixed, tmp_path):
    real, holdout, synthetic = mixed
    path = skgan.evaluate(real, synthetic, holdout=holdout).to_html(tmp_path / "r.html")
    page = path.read_text()
    images = re.findall(
        r'<img class="figure" alt="([^"]+)" src="data:image/png;base64,', page
    )
    assert images == [
        "Principal components",
        "Marginal distributions",
        "Cumulative distributions",
        "Column pair trends",
        "Correlations",
    ]
    assert "http" not in page.split("<body>")[1]  # self-contained


def test_evaluate_without_holdout_still_measures_realism_and_copies(seed):
    rng = np.random.RandomState(seed)
    real = rng.randn(200, 3)
    report = skgan.evaluate(real, np.r_[real[:50], rng.randn(350, 3)])
    summary = report.summary()
    assert "DCR ratio" not in summary.index
    assert summary.loc["exact copy rate", "score"] == pytest.approx(50 / 400)


def test_evaluate_errors_name_the_problem(mixed):
    real, holdout, synthetic = mixed
    with pytest.raises(ValueError, match="needs holdout"):
        skgan.evaluate(real, synthetic, target="label")
    with pytest.raises(ValueError, match="not a column"):
        skgan.evaluate(real, synthetic, holdout=holdout, target="nope")
    with pytest.raises(ValueError, match="missing"):
        skgan.evaluate(real, synthetic.drop(columns="z"), holdout=holdout)


def test_report_without_matplotlib_keeps_its_tables(tmp_path):
    # The case that broke: without the optional matplotlib the command line
    # died with a traceback after computing everything. Blocking the import
    # in a fresh process stands for an environment without it.
    code = f"""
import sys
sys.modules["matplotlib"] = None
import numpy as np, skgan
rng = np.random.RandomState(0)
report = skgan.evaluate(rng.randn(80, 3), rng.randn(80, 3), holdout=rng.randn(40, 3))
report.to_html({str(tmp_path / "report.html")!r})
"""
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    page = (tmp_path / "report.html").read_text()
    assert "Figures left out: they need matplotlib" in page
    assert "<table" in page and "data:image/png" not in page


def test_privacy_figures_carry_intervals_and_a_tiny_holdout_is_flagged(seed):
    rng = np.random.RandomState(seed)
    real, synthetic = rng.randn(300, 3), rng.randn(600, 3)
    report = skgan.evaluate(real, synthetic, holdout=rng.randn(300, 3))
    summary = report.summary()
    for measure in ("DCR ratio", "membership inference ROC-AUC"):
        low, score, high = summary.loc[measure, ["low", "score", "high"]]
        assert low <= score <= high
    assert summary.loc["detection accuracy", ["low", "high"]].isna().all()
    assert set(report.to_dict()["interval"]) == {
        "DCR ratio",
        "membership inference ROC-AUC",
    }
    # The case that broke: 4 holdout rows gave a confident-looking AUC.
    tiny = skgan.evaluate(real, synthetic, holdout=rng.randn(4, 3)).summary()
    assert np.isnan(tiny.loc["membership inference ROC-AUC", "score"])
    assert tiny.loc["membership inference ROC-AUC", "meaning"].startswith(
        "not measured"
    )
    # Nor the DCR ratio: the card and evaluate say "not measured: why" alike.
    assert np.isnan(tiny.loc["DCR ratio", "score"])
    assert tiny.loc["DCR ratio", "meaning"].startswith(
        "not measured: the holdout has 4 rows"
    )
    assert tiny.loc["privacy risks", "score"] == 1


def test_evaluate_names_the_argument_the_user_got_wrong():
    rng = np.random.RandomState(0)
    real = pd.DataFrame(rng.randn(100, 2), columns=["Species", "mass"])
    real = real.rename(columns={"Species": "species"})
    # The case that broke: a typo in target was answered "the utility
    # measure needs holdout rows"; an empty holdout named a column.
    with pytest.raises(ValueError, match="target 'Species' is not a column"):
        skgan.evaluate(real, real, target="Species")
    with pytest.raises(ValueError, match="holdout has no rows"):
        skgan.evaluate(real, real, holdout=real.iloc[:0])
