"""One call that measures synthetic data and writes a self-contained report."""

import base64
import html
import io
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)

from ..constraints._apply import ConstraintSet
from ..metrics import (
    correlation_similarity,
    describe_side_by_side,
    detection_score,
    marginal_similarity,
    pair_trend_similarity,
    train_synthetic_test_real,
)
from ..metrics._tables import as_frames, encode, numeric_columns
from ..metrics._verdict import (
    MAX_ATTACK_AUC,
    MIN_DCR_RATIO,
    privacy_measures,
    privacy_risks,
)

#: Most distinct values for a target to be treated as classes.
MAX_CLASSES = 20


def evaluate(
    real, synthetic, *, holdout=None, target=None, constraints=None, random_state=0
):
    """Measure how real, useful and private synthetic data is.

    Parameters
    ----------
    real : array-like or DataFrame of shape (n_real, n_features)
        The real rows the generator was trained on.
    synthetic : array-like or DataFrame of shape (n_synthetic, n_features)
        Generated rows (the detection balances the classes by subsampling
        whichever side is larger).
    holdout : array-like or DataFrame of shape (n_holdout, n_features), default=None
        Real rows the generator never saw. With them the detector is tested
        on unseen real rows, the privacy measures compare synthetic rows with
        new real rows, and utility is tested on them.
    target : str or int, default=None
        A column to predict for the utility measure: scikit-learn's
        histogram gradient boosting trained on synthetic rows and on real
        rows, both tested on ``holdout`` (ROC-AUC for two classes, accuracy
        for up to 20, R^2 for a numeric target). Needs ``holdout``.
    constraints : list, default=None
        Rules from :mod:`skgan.constraints`: for each, the share of synthetic
        rows that hold it (ideal 1.0, beside the real rows' share; the
        combinations of a ``FixedCombinations`` are those of ``real``).
        Needs DataFrames.
    random_state : int, default=0
        Seeds the detector and the splits.

    Returns
    -------
    report : EvaluationReport
        The measures; see :meth:`EvaluationReport.summary`.

    Examples
    --------
    >>> import numpy as np
    >>> import skgan
    >>> rng = np.random.RandomState(0)
    >>> real, holdout = rng.randn(300, 3), rng.randn(300, 3)
    >>> report = skgan.evaluate(real, rng.randn(600, 3), holdout=holdout)
    >>> float(report.summary().loc["detection accuracy", "ideal"])
    0.5
    """
    start = time.perf_counter()
    real, synthetic, holdout = as_frames(
        real, synthetic, holdout, names=["real", "synthetic", "holdout"]
    )
    if target is not None:
        if target not in real.columns:
            raise ValueError(
                f"target {target!r} is not a column; columns are {list(real.columns)}."
            )
        if holdout is None:
            raise ValueError(
                "the utility measure needs holdout rows to test on; pass "
                "holdout=... or leave target=None."
            )
    detection = detection_score(
        real, synthetic, holdout=holdout, random_state=random_state
    )
    marginals = marginal_similarity(real, synthetic)
    rows = [
        (
            "detection accuracy",
            detection.accuracy,
            0.5,
            "XGBoost real-vs-synthetic accuracy on unseen rows; 1.0 is trivially fake",
        ),
        ("detection ROC-AUC", detection.roc_auc, 0.5, "the same detector's ROC-AUC"),
    ]
    for measure, ideal_text in (
        ("KSComplement", "numeric"),
        ("TVComplement", "categorical"),
    ):
        scores = marginals.loc[marginals["measure"] == measure, "score"]
        if len(scores):
            rows.append(
                (
                    f"mean {measure}",
                    scores.mean(),
                    1.0,
                    f"1 - distance of the {ideal_text} marginals, averaged",
                )
            )
    wasserstein = marginals["wasserstein"].dropna()
    if len(wasserstein):
        rows.append(
            (
                "mean Wasserstein (std units)",
                wasserstein.mean(),
                0.0,
                "mass moved per numeric column, in real standard deviations",
            )
        )
    correlations = None
    if len(numeric_columns(real)) >= 2:
        correlations = correlation_similarity(real, synthetic)
        rows.append(
            (
                "CorrelationSimilarity",
                correlations,
                1.0,
                "1 - |synthetic - real| / 2 of the Pearson correlations, averaged",
            )
        )
    if real.shape[1] >= 2:
        rows.append(
            (
                "pair trends",
                pair_trend_similarity(real, synthetic),
                1.0,
                "per pair of columns, correlation or joint frequencies kept "
                "(SDMetrics' Column Pair Trends; 100 x (1 - it) is the Trend error)",
            )
        )
    privacy = privacy_measures(real, synthetic, holdout, random_state=random_state)
    rows += privacy_rows(privacy)
    attack_interval = privacy["membership_inference_roc_auc_interval"]
    intervals = {
        "DCR ratio": privacy["dcr_ratio_interval"],
        "membership inference ROC-AUC": attack_interval,
    }
    if constraints:
        rules = ConstraintSet(constraints).fit(real, check_rows=False)
        real_shares = rules.shares(real)
        for rule, share in rules.shares(synthetic).items():
            rows.append(
                (
                    f"rule: {rule}",
                    share,
                    1.0,
                    f"synthetic rows that hold it (real rows: {real_shares[rule]:.1%})",
                )
            )
    utility = None
    if target is not None:
        utility = _utility(real, synthetic, holdout, target, random_state)
        rows.append(
            (
                f"TSTR {utility['scoring']}",
                utility["synthetic"],
                None,
                "train on synthetic, test on holdout",
            )
        )
        rows.append(
            (
                f"TRTR {utility['scoring']}",
                utility["real"],
                None,
                "train on real, test on holdout (the reference)",
            )
        )
        rows.append(
            ("TSTR / TRTR", utility["ratio"], 1.0, "utility kept by the synthetic data")
        )
    summary = pd.DataFrame(rows, columns=["measure", "score", "ideal", "meaning"])
    # The privacy figures' 95% bootstrap intervals, NaN elsewhere.
    for side, column in enumerate(("low", "high")):
        summary.insert(
            2 + side,
            column,
            [
                intervals[m][side] if intervals.get(m) is not None else np.nan
                for m in summary.measure
            ],
        )
    return EvaluationReport(
        summary=summary.set_index("measure"),
        marginals=marginals,
        describe=describe_side_by_side(real, synthetic),
        real=real,
        synthetic=synthetic,
        n_holdout=0 if holdout is None else len(holdout),
        seconds=time.perf_counter() - start,
    )


def privacy_rows(privacy):
    """The summary's privacy rows, read as the release card reads them.

    Parameters
    ----------
    privacy : dict
        From :func:`~skgan.metrics._verdict.privacy_measures`.

    Returns
    -------
    rows : list of tuple
        ``(measure, score, ideal, meaning)``, ending with the risks found.
    """
    rows = [
        (
            "exact copy rate",
            privacy["exact_copy_rate"],
            0.0,
            "synthetic rows identical to a training row",
        )
    ]
    why = privacy["not_measured"]
    attack = (privacy["membership_attack"] or "").replace("_", " ")
    if privacy["n_holdout"] is not None:
        rows += [
            (
                "DCR ratio",
                np.nan if why else privacy["dcr_ratio"],
                1.0,
                why
                or "median distance to the closest training row, synthetic over "
                f"holdout; below {MIN_DCR_RATIO} is a risk",
            ),
            (
                "membership inference ROC-AUC",
                np.nan if why else privacy["membership_inference_roc_auc"],
                0.5,
                why
                or f"the stronger attack ({attack}) "
                f"telling training rows from holdout rows; above {MAX_ATTACK_AUC} "
                "leaks membership",
            ),
        ]
    rows.append(
        (
            "median NNDR",
            privacy["nndr"],
            None,
            "nearest over second-nearest training-row distance; near 0 sits on "
            "one record",
        )
    )
    risks = privacy_risks(privacy)
    rows.append(
        (
            "privacy risks",
            len(risks),
            0,
            "; ".join(risks) or "none found (the release card's verdict)",
        )
    )
    return rows


def _utility(real, synthetic, holdout, target, random_state):
    features = [c for c in real.columns if c != target]
    X_real, X_syn, X_hold = encode(
        real[features], synthetic[features], holdout[features]
    )
    if real[target].nunique() <= MAX_CLASSES:
        y_r, y_s, y_h = (
            t[target].astype(str).to_numpy() for t in (real, synthetic, holdout)
        )
        estimator = HistGradientBoostingClassifier(random_state=random_state)
        scoring = "roc_auc" if len(np.unique(np.r_[y_r, y_h])) == 2 else "accuracy"
        if len(np.unique(y_s)) < 2:
            # Nothing to learn from one class: no utility at all.
            return {
                "synthetic": 0.5 if scoring == "roc_auc" else np.nan,
                "real": np.nan,
                "ratio": np.nan,
                "scoring": scoring,
            }
    else:
        y_r, y_s, y_h = (
            t[target].to_numpy(dtype=float) for t in (real, synthetic, holdout)
        )
        estimator = HistGradientBoostingRegressor(random_state=random_state)
        scoring = "r2"
    scores = train_synthetic_test_real(
        estimator,
        X_syn,
        y_s,
        X_hold,
        y_h,
        X_train=X_real,
        y_train=y_r,
        scoring=scoring,
    )
    return {**scores, "scoring": scoring}


class _Report:
    """What the reports share: the summary table and the compared data."""

    def __init__(self, summary, real, synthetic, n_holdout, seconds):
        self._summary = summary
        self.real = real
        self.synthetic = synthetic
        self.n_holdout = n_holdout
        self.seconds = seconds

    def summary(self):
        """Every score beside its ideal value.

        Returns
        -------
        table : DataFrame
            Indexed by measure, with columns ``score``, ``ideal`` (None
            where the measure has no single ideal) and ``meaning``; a
            tabular report also has ``low`` and ``high``, the 95% bootstrap
            interval of the DCR ratio and the membership attack's ROC-AUC
            (NaN for the other measures).
        """
        return self._summary.copy()

    def _plain_summary(self):
        summary = self._summary
        return {
            "summary": {k: _plain(v) for k, v in summary["score"].items()},
            "ideal": {k: _plain(v) for k, v in summary["ideal"].items()},
            **(
                {
                    "interval": {
                        k: [_plain(low), _plain(summary.loc[k, "high"])]
                        for k, low in summary["low"].dropna().items()
                    }
                }
                if "low" in summary
                else {}
            ),
            "n_real": len(self.real),
            "n_synthetic": len(self.synthetic),
            "n_holdout": self.n_holdout,
        }

    def __repr__(self):
        scores = self._summary["score"].to_string()
        return f"{type(self).__name__}(\n{scores}\n)"


class EvaluationReport(_Report):
    """What :func:`skgan.evaluate` measured, as tables, a dict or an HTML page.

    Parameters
    ----------
    summary : DataFrame
        One row per measure (index), with ``score``, ``ideal`` and ``meaning``.
    marginals : DataFrame
        Per-column marginal similarity (see
        :func:`skgan.metrics.marginal_similarity`).
    describe : DataFrame
        ``describe()`` of both tables side by side.
    real, synthetic : DataFrame
        The compared tables, for the figures.
    n_holdout : int
        Number of holdout rows used (0 for none).
    seconds : float
        Time the measures took.
    """

    def __init__(
        self, summary, marginals, describe, real, synthetic, n_holdout, seconds
    ):
        super().__init__(summary, real, synthetic, n_holdout, seconds)
        self.marginals = marginals
        self.describe = describe

    def to_dict(self):
        """The measures as plain Python data (JSON-serialisable).

        Returns
        -------
        data : dict
            ``summary`` (measure to score), ``ideal`` (measure to ideal),
            ``marginals`` (list of per-column records), ``n_real``,
            ``n_synthetic`` and ``n_holdout``.
        """
        marginals = [
            {k: _plain(v) for k, v in record.items()}
            for record in self.marginals.to_dict(orient="records")
        ]
        return {**self._plain_summary(), "marginals": marginals}

    def figures(self):
        """The report's figures, by title (needs matplotlib).

        Returns
        -------
        figures : dict of str to matplotlib.figure.Figure
            PCA scatter, marginal distributions, cumulative distributions,
            with two columns or more the heat map of the column-pair trends'
            errors and, with two numeric columns or more, correlation heatmaps.
        """
        from ..plotting import (
            plot_correlations,
            plot_marginals,
            plot_pair_trends,
            plot_pca,
        )

        figures = {
            "Principal components": plot_pca(self.real, self.synthetic),
            "Marginal distributions": plot_marginals(self.real, self.synthetic),
            "Cumulative distributions": plot_marginals(
                self.real, self.synthetic, cumulative=True
            ),
        }
        if self.real.shape[1] >= 2:
            figures["Column pair trends"] = plot_pair_trends(self.real, self.synthetic)
        if len(numeric_columns(self.real)) >= 2:
            figures["Correlations"] = plot_correlations(self.real, self.synthetic)
        return figures

    def to_html(self, path):
        """Write one self-contained HTML file, figures embedded as PNG.

        Without matplotlib the file holds the tables and a note that the
        figures need it.

        Parameters
        ----------
        path : str or path-like
            Where to write the file.

        Returns
        -------
        path : pathlib.Path
            The written file.
        """
        sections = figure_sections(self.figures)
        summary = self._summary.reset_index()
        page = _PAGE.format(
            n_real=len(self.real),
            n_synthetic=len(self.synthetic),
            n_holdout=self.n_holdout,
            summary=summary.to_html(index=False, float_format=_fmt, na_rep=""),
            marginals=self.marginals.to_html(index=False, float_format=_fmt, na_rep=""),
            describe=self.describe.to_html(float_format=_fmt, na_rep=""),
            figures="\n".join(sections),
        )
        path = Path(path)
        path.write_text(page, encoding="utf-8")
        return path


def figure_sections(make_figures):
    """HTML sections with the figures embedded as PNG, or a note without matplotlib."""
    try:
        figures = make_figures()
    except ImportError:
        # The tables are the measures; the figures are an extra.
        return [
            "<p><em>Figures left out: they need matplotlib "
            "(<code>pip install 'skgan[plot]'</code>).</em></p>"
        ]
    sections = []
    for title, fig in figures.items():
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=90)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        sections.append(
            f"<h2>{html.escape(title)}</h2>\n"
            f'<img class="figure" alt="{html.escape(title)}" '
            f'src="data:image/png;base64,{data}">'
        )
    return sections


def _fmt(value):
    return f"{value:.3f}"


def _plain(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>skgan evaluation report</title>
<style>
body {{ font-family: sans-serif; max-width: 1100px; margin: 2em auto; }}
table {{ border-collapse: collapse; font-size: 0.9em; }}
td, th {{ border: 1px solid #ccc; padding: 0.2em 0.5em; }}
img.figure {{ max-width: 100%; }}
</style>
</head>
<body>
"""

FOOT = """<script>
// Marks each figure that the browser decoded, for automated checks.
window.addEventListener("load", function () {{
  var images = document.querySelectorAll("img.figure");
  var rendered = 0;
  images.forEach(function (img) {{
    var ok = img.complete && img.naturalWidth > 0;
    img.setAttribute("data-rendered", ok ? "yes" : "no");
    if (ok) {{ rendered += 1; }}
  }});
  document.body.setAttribute("data-figures", images.length + ":" + rendered);
}});
</script>
</body>
</html>
"""

_PAGE = (
    HEAD
    + """<h1>How good is this synthetic data?</h1>
<p>{n_real} real rows, {n_synthetic} synthetic rows, {n_holdout} holdout rows.
Detection accuracy: 0.5 means a classifier cannot tell synthetic rows from
real ones. Read it beside the DCR ratio: rows copied from the training data
also fool the detector.</p>
<h2>Summary</h2>
{summary}
<h2>Marginals per column</h2>
{marginals}
{figures}
<h2>Side-by-side statistics</h2>
{describe}
"""
    + FOOT
)
