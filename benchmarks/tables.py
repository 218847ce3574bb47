"""Protocol 6 of ../shared/BENCHMARKS.md: whole tables, the TabSyn / TabDiff protocol.

Usage::

    python benchmarks/tables.py --data ../shared/data/tables \
        --out benchmarks/results/tables_<date>.md

Per table (``default``, ``beijing``): every model learns ``train.csv`` and
draws ``len(train)`` rows, which are compared with ``train.csv``:

- Shape and Trend errors (100 x (1 - "Column Shapes" / "Column Pair Trends"
  of SDMetrics 0.24.0's ``QualityReport``) and C2ST (SDMetrics'
  ``LogisticDetection``, 1.0 = a logistic regression cannot tell);
- the strong judge: accuracy of an XGBoost classifier (200 trees, depth 6,
  categorical columns as pandas categories) telling real from synthetic rows,
  5-fold, equal sizes (0.5 = limit);
- the DCR ratio against ``test.csv`` and the exact-copy rate beside the test
  split's own (:func:`skgan.metrics.distance_to_closest_record`);
- fit and sample seconds (one thread).

Baselines in the same run: a Gaussian copula (normal scores of every column,
categories as intervals of their frequencies, one correlation matrix), the
smoothed bootstrap (resampled rows plus Gaussian noise of 0.3 standard
deviations per numeric column), each column shuffled on its own, and the real
test split as the ceiling; CTGAN with ``--ctgan`` (its defaults take an hour
a table on two cores; the published figures are in the folder's README).
"""

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from scipy.stats import norm
from sklearn.model_selection import StratifiedKFold
from xgboost import XGBClassifier

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line  # noqa: E402

from skgan import GANSynthesizer  # noqa: E402
from skgan.metrics import (  # noqa: E402
    distance_to_closest_record,
    pair_trend_similarity,
)


def load(folder):
    """``train``, ``test`` and the column kinds of one table; categories as text."""
    meta = json.loads((folder / "meta.json").read_text())
    dtypes = dict.fromkeys(meta["categorical"], str)
    train = pd.read_csv(folder / "train.csv", dtype=dtypes)
    test = pd.read_csv(folder / "test.csv", dtype=dtypes)
    return train, test, meta


class GaussianCopula:
    """Normal scores of every column and one correlation matrix.

    A category is the interval of the normal that its frequency spans (in the
    order of the categories' frequencies); a number is mapped through its
    empirical distribution, ties spread over their interval. Sampling draws
    correlated normals and maps them back through the empirical quantiles.
    """

    def __init__(self, categorical, seed=0):
        self.categorical = list(categorical)
        self.rng = np.random.default_rng(seed)

    def fit(self, table):
        self.columns_ = list(table.columns)
        self.dtypes_ = table.dtypes
        scores = np.empty(table.shape)
        self.margins_ = {}
        for j, name in enumerate(self.columns_):
            values = table[name]
            if name in self.categorical:
                freq = values.value_counts(normalize=True)
                upper = freq.cumsum().to_numpy()
                lower = upper - freq.to_numpy()
                position = freq.index.get_indexer(values)
                u = (
                    lower[position]
                    + self.rng.random(len(values)) * freq.to_numpy()[position]
                )
                self.margins_[name] = (freq.index.to_numpy(), upper)
            else:
                ranks = values.rank(method="first").to_numpy()
                u = (ranks - 0.5) / len(values)
                self.margins_[name] = np.sort(values.to_numpy(dtype=np.float64))
            scores[:, j] = norm.ppf(np.clip(u, 1e-6, 1 - 1e-6))
        self.correlation_ = np.corrcoef(scores, rowvar=False)
        return self

    def sample(self, n):
        z = self.rng.multivariate_normal(
            np.zeros(len(self.columns_)), self.correlation_, size=n, method="cholesky"
        )
        u = norm.cdf(z)
        out = {}
        for j, name in enumerate(self.columns_):
            if name in self.categorical:
                categories, upper = self.margins_[name]
                index = np.minimum(np.searchsorted(upper, u[:, j]), len(upper) - 1)
                out[name] = categories[index]
            else:
                sorted_values = self.margins_[name]
                out[name] = np.quantile(sorted_values, u[:, j], method="inverted_cdf")
        return pd.DataFrame(out)[self.columns_].astype(self.dtypes_)


def smoothed_bootstrap(train, categorical, n, seed=0):
    """Resampled rows plus Gaussian noise of 0.3 standard deviations per number."""
    rng = np.random.default_rng(seed)
    rows = train.iloc[rng.integers(len(train), size=n)].reset_index(drop=True)
    for name in train.columns:
        if name not in categorical:
            std = train[name].std()
            noisy = rows[name].to_numpy(np.float64) + 0.3 * std * rng.normal(size=n)
            if pd.api.types.is_integer_dtype(train[name]):
                noisy = np.round(noisy)
            rows[name] = noisy.astype(train[name].dtype)
    return rows


def shuffled(train, n, seed=0):
    """Each column drawn on its own: exact marginals, no relations."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            name: train[name].to_numpy()[rng.integers(len(train), size=n)]
            for name in train.columns
        }
    ).astype(train.dtypes)


def sdmetrics_scores(real, synthetic, meta):
    """Shape and Trend errors in %, and the logistic C2ST."""
    from sdmetrics.reports.single_table import QualityReport
    from sdmetrics.single_table import LogisticDetection

    metadata = {
        "columns": {
            **{c: {"sdtype": "numerical"} for c in meta["numerical"]},
            **{c: {"sdtype": "categorical"} for c in meta["categorical"]},
        }
    }
    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate(real, synthetic, metadata, verbose=False)
        properties = report.get_properties().set_index("Property")["Score"]
        c2st = LogisticDetection.compute(real, synthetic, metadata)
    return {
        "shape_error": 100 * (1 - properties["Column Shapes"]),
        "trend_error": 100 * (1 - properties["Column Pair Trends"]),
        "c2st": float(c2st),
    }


def xgboost_detection(real, synthetic, categorical, seed=0):
    """5-fold accuracy of XGBoost telling real from synthetic rows (0.5 = limit)."""
    n = min(len(real), len(synthetic))
    rng = np.random.default_rng(seed)
    both = pd.concat(
        [
            real.iloc[rng.choice(len(real), n, replace=False)],
            synthetic.iloc[rng.choice(len(synthetic), n, replace=False)],
        ],
        ignore_index=True,
    )
    for name in categorical:
        both[name] = both[name].astype("category")
    labels = np.r_[np.ones(n, int), np.zeros(n, int)]
    accuracies = []
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    for train, test in folds.split(both, labels):
        clf = XGBClassifier(
            n_estimators=200,
            max_depth=6,
            tree_method="hist",
            enable_categorical=True,
            n_jobs=1,
            random_state=seed,
        )
        clf.fit(both.iloc[train], labels[train])
        accuracies.append(np.mean(clf.predict(both.iloc[test]) == labels[test]))
    return float(np.mean(accuracies))


def models(train, meta, ctgan_epochs=None, gan_params=None):
    """Name to a function ``train -> (model, sampler)``."""
    categorical = meta["categorical"]
    gan_params = gan_params or {}

    def gan(table):
        synth = GANSynthesizer(random_state=0, **gan_params).fit(table)
        return synth, synth.sample

    def copula(table):
        model = GaussianCopula(categorical).fit(table)
        return model, model.sample

    label = ", ".join(f"{k}={v!r}" for k, v in gan_params.items())
    out = {
        f"GANSynthesizer({label})": gan,
        "Gaussian copula": copula,
        "smoothed bootstrap": lambda t: (
            None,
            lambda n: smoothed_bootstrap(t, categorical, n),
        ),
        "each column shuffled": lambda t: (None, lambda n: shuffled(t, n)),
    }
    if ctgan_epochs:
        from ctgan import CTGAN

        def ctgan(table):
            model = CTGAN(epochs=ctgan_epochs)
            model.set_random_state(0)
            model.fit(table, discrete_columns=categorical)
            return model, lambda n: model.sample(n).astype(table.dtypes)

        out[f"CTGAN ({ctgan_epochs} epochs)"] = ctgan
    return out


def diagnose(train, synthetic, meta, top=8):
    """Where the errors come from: the worst columns and the worst pairs.

    Per column, SDMetrics' shape score (KS or TV complement) with the share
    of the commonest value in real and synthetic rows (mode-seeking shows as
    a commonest value that grew); per pair, skgan's pair-trend score.
    """
    from skgan.metrics import ks_complement, pair_trends, tv_complement

    rows = []
    for name in train.columns:
        categorical = name in meta["categorical"]
        score = (tv_complement if categorical else ks_complement)(
            train[name], synthetic[name]
        )
        top_real = train[name].value_counts(normalize=True)
        rows.append(
            {
                "column": name,
                "kind": "categorical" if categorical else "numerical",
                "shape_error_%": 100 * (1 - score),
                "commonest value": top_real.index[0],
                "its share, real": top_real.iloc[0],
                "its share, synthetic": float(
                    (synthetic[name] == top_real.index[0]).mean()
                ),
                "distinct, real": train[name].nunique(),
                "distinct, synthetic": synthetic[name].nunique(),
            }
        )
    columns = pd.DataFrame(rows).sort_values("shape_error_%", ascending=False)
    scores = pair_trends(train, synthetic)
    upper = scores.where(np.triu(np.ones(scores.shape, bool), k=1)).stack()
    pairs = (
        (100 * (1 - upper))
        .rename("trend_error_%")
        .sort_values(ascending=False)
        .reset_index()
        .rename(columns={"level_0": "column 1", "level_1": "column 2"})
    )
    kinds = {c: "cat" if c in meta["categorical"] else "num" for c in train.columns}
    pairs["kinds"] = pairs["column 1"].map(kinds) + "-" + pairs["column 2"].map(kinds)
    by_kind = pairs.groupby("kinds")["trend_error_%"].agg(["mean", "count"])
    return columns.head(top), pairs.head(top), by_kind


def run_table(folder, only=None, ctgan_epochs=None, gan_params=None, repeats=1):
    torch.set_num_threads(1)
    train, test, meta = load(folder)
    results = []

    def measure(name, synthetic, fit_s, sample_s, spread=None):
        privacy = distance_to_closest_record(train, synthetic, holdout=test)
        if spread is None:
            scores = sdmetrics_scores(train, synthetic, meta)
        else:
            # The mean over `repeats` draws of the same model (below), with
            # the lowest and highest Trend error beside it.
            scores = {k: float(np.mean([s[k] for s in spread])) for k in spread[0]}
            trends = [s["trend_error"] for s in spread]
            scores["trend_error_range"] = f"{min(trends):.2f}-{max(trends):.2f}"
        row = {
            "table": folder.name,
            "model": name,
            **scores,
            # skgan's own measure (numbers binned at deciles, not SDMetrics'
            # bins), as skgan.evaluate reports it.
            "trend_error_skgan": 100 * (1 - pair_trend_similarity(train, synthetic)),
            "xgboost_detection": xgboost_detection(
                train, synthetic, meta["categorical"]
            ),
            "dcr_ratio": privacy.dcr_ratio,
            "exact_copy_rate": privacy.exact_copy_rate,
            "fit_s": fit_s,
            "sample_s": sample_s,
        }
        results.append(row)
        print(json.dumps(row, default=float), flush=True)

    for name, make in models(train, meta, ctgan_epochs, gan_params).items():
        # "GANSynthesizer" (or "GANSynthesizer()") selects it with any --gan-params.
        if only and not {name, name.split("(")[0], name.split("(")[0] + "()"} & set(
            only
        ):
            continue
        start = time.perf_counter()
        _, sample = make(train)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        synthetic = sample(len(train))
        sample_s = time.perf_counter() - start
        spread = None
        if repeats > 1:
            # SDMetrics' Column Pair Trends bins each table on its own range
            # (its _discretize_column, bin edges from the table's own minimum
            # and maximum), so one draw's extremes move it by points: the
            # Gaussian copula's Default Trend error spans 8.8 to 13.2 over
            # three draws (tables_calibration_repeats_2026-12-02.md). The
            # SDMetrics scores are averaged over fresh draws.
            spread = [sdmetrics_scores(train, synthetic, meta)]
            spread += [
                sdmetrics_scores(train, sample(len(train)), meta)
                for _ in range(repeats - 1)
            ]
        measure(name, synthetic, fit_s, sample_s, spread)
        if name.startswith("GANSynthesizer("):
            DIAGNOSES[folder.name] = diagnose(train, synthetic, meta)
    measure("real test split", test, np.nan, np.nan)
    return results


def grown(train, categorical, n, seed=0):
    """``n`` rows of ``train`` drawn again, numbers jittered by 1% of their std."""
    rng = np.random.default_rng(seed)
    rows = train.iloc[rng.integers(len(train), size=n)].reset_index(drop=True)
    for name in train.columns:
        if name not in categorical:
            values = rows[name].to_numpy(np.float64)
            values = values + 0.01 * train[name].std() * rng.normal(size=n)
            if pd.api.types.is_integer_dtype(train[name]):
                values = np.round(values)
            rows[name] = values.astype(train[name].dtype)
    return rows


def scale(
    folder, sizes=(18_790, 37_581, 1_000_000), n_sample=1_000_000, gan_params=None
):
    """Fit seconds of GANSynthesizer() as the rows grow; sampling rows/s."""
    torch.set_num_threads(1)
    train, _, meta = load(folder)
    rows = []
    for n in sizes:
        table = (
            train.iloc[:n] if n <= len(train) else grown(train, meta["categorical"], n)
        )
        start = time.perf_counter()
        synth = GANSynthesizer(random_state=0, **(gan_params or {})).fit(table)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        synth.sample(n_sample)
        sample_s = time.perf_counter() - start
        rows.append(
            {
                "rows": n,
                "fit_s": fit_s,
                "updates": synth.n_iter_,
                f"sample {n_sample:,} rows s": sample_s,
                "rows/s": n_sample / sample_s,
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return pd.DataFrame(rows)


#: Table name to the GANSynthesizer's diagnosis (see :func:`diagnose`).
DIAGNOSES = {}


def report(results, published, seconds):
    frame = pd.DataFrame(results)
    lines = [
        "# Whole tables: protocol 6 (the TabSyn / TabDiff protocol)",
        "",
        f"- machine: {machine_line()}; torch and XGBoost single-threaded",
        f"- command: `{' '.join(sys.argv)}`",
        f"- wall time: {seconds / 60:.1f} min",
        "- Shape / Trend: errors in % (SDMetrics 0.24.0 QualityReport, lower is "
        "better); C2ST: SDMetrics LogisticDetection (1 = cannot tell); XGBoost: "
        "real-vs-synthetic accuracy, 5-fold (0.5 = limit); DCR ratio against "
        "test.csv (about 1 is healthy, below copies); exact copies: share of "
        "rows identical to a training row",
        "",
    ]
    for table, part in frame.groupby("table", sort=False):
        lines += [
            f"## {table}",
            "",
            part.drop(columns="table").set_index("model").to_markdown(floatfmt=".3f"),
            "",
        ]
        if published is not None and table in published:
            lines += [
                "Published (the folder's README): " + published[table],
                "",
            ]
        if table in DIAGNOSES:
            columns, pairs, by_kind = DIAGNOSES[table]
            lines += [
                f"### Where `GANSynthesizer()` loses on {table}",
                "",
                "Worst columns (shape error; the commonest real value's share):",
                "",
                columns.to_markdown(index=False, floatfmt=".3f"),
                "",
                "Worst pairs (skgan's pair-trend error) and the mean by kind of pair:",
                "",
                pairs.to_markdown(index=False, floatfmt=".2f"),
                "",
                by_kind.to_markdown(floatfmt=".2f"),
                "",
            ]
    return "\n".join(lines)


PUBLISHED = {
    "default": "CTGAN 16.92 / 29.76 / 0.413; TabSyn 1.32 / 2.88 / 0.946; "
    "TabDiff 1.16 / 2.74 / 0.970 (Shape / Trend / C2ST)",
    "beijing": "CTGAN 20.01 / 25.70 / 0.553; TabSyn 2.61 / 4.50 / 0.923; "
    "TabDiff 1.05 / 2.59 / 0.977 (Shape / Trend / C2ST)",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="../shared/data/tables")
    parser.add_argument("--tables", nargs="*", default=["default", "beijing"])
    parser.add_argument("--models", nargs="*", help="only these models")
    parser.add_argument("--ctgan", type=int, metavar="EPOCHS", help="run CTGAN too")
    parser.add_argument(
        "--gan-params", type=json.loads, help="GANSynthesizer parameters, as JSON"
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="only time fits as the rows of the first table grow (half, all, 1e6)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="average Shape, Trend and C2ST over this many draws of each model",
    )
    parser.add_argument("--out", help="markdown file to write")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.scale:
        frame = scale(Path(args.data) / args.tables[0], gan_params=args.gan_params)
        label = ", ".join(f"{k}={v!r}" for k, v in (args.gan_params or {}).items())
        text = "\n".join(
            [
                f"# Whole tables at scale: GANSynthesizer({label}) fit and sample time",
                "",
                f"- machine: {machine_line()}; torch single-threaded, nothing else "
                "running",
                f"- command: `{' '.join(sys.argv)}`",
                f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
                f"- rows beyond the table's are its rows drawn again with numbers "
                f"jittered by 1% of their standard deviation ({args.tables[0]})",
                "",
                frame.to_markdown(index=False, floatfmt=",.2f"),
                "",
            ]
        )
        print(text)
        if args.out:
            Path(args.out).write_text(text + "\n")
        return
    results = []
    for table in args.tables:
        results += run_table(
            Path(args.data) / table,
            args.models,
            args.ctgan,
            args.gan_params,
            args.repeats,
        )
        if args.out:
            Path(args.out).with_suffix(".json").write_text(
                json.dumps(results, indent=1, default=float)
            )
    text = report(results, PUBLISHED, time.perf_counter() - start)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
