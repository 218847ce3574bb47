"""Whole-table synthesis: GANSynthesizer vs CTGAN and two density baselines.

Protocol 2 of ../shared/BENCHMARKS.md on whole tables: each table (the
features plus the class as a category; the Palmer penguins as they are, with
their categories and missing values) is split 50/50 into A and B; every
generator is fitted on A and samples |A| + |B| rows; XGBoost learns A vs the
first |A| and is scored on B vs the rest (0.5 = indistinguishable). Beside it:
the DCR ratio (samples vs B, distances to A), the exact-copy rate among
100,000 samples beside the table's own (rows of B equal to a row of A), the
mean marginal similarity (KS / TV complement) and the correlation similarity,
the fit time. All models run in the same process on the same splits,
single-threaded.

Usage::

    python benchmarks/synthesis.py --data ../shared/data/adbench \
        --out benchmarks/results/synthesis_<date>.md
"""

import argparse
import functools
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from scipy.special import ndtr, ndtri
from scipy.stats import rankdata
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from _common import DEV_SETS, load_datasets, machine_line  # noqa: E402

from skgan import GANSynthesizer  # noqa: E402
from skgan.metrics import (  # noqa: E402
    correlation_similarity,
    detection_score,
    distance_to_closest_record,
    marginal_similarity,
)

N_COPY_CHECK = 100_000


class SmoothedBootstrap:
    """Resampled rows plus Gaussian noise of 0.3 standard deviations per number."""

    def __init__(self, seed, scale=0.3):
        self.seed, self.scale = seed, scale

    def fit(self, table):
        self.table = table.reset_index(drop=True)
        self.numeric = [
            c
            for c in table.columns
            if pd.api.types.is_numeric_dtype(table[c])
            and not pd.api.types.is_bool_dtype(table[c])
        ]
        self.std = table[self.numeric].std()
        self.integer = [c for c in self.numeric if (table[c].dropna() % 1 == 0).all()]
        return self

    def sample(self, n):
        rng = np.random.default_rng(self.seed)
        rows = self.table.iloc[rng.integers(len(self.table), size=n)]
        rows = rows.reset_index(drop=True)
        noise = rng.standard_normal((n, len(self.numeric))) * self.std.to_numpy()
        rows[self.numeric] = rows[self.numeric].astype(float) + self.scale * noise
        # Integer columns stay integers (a year, a count): otherwise the
        # fractions alone give the rows away.
        for c in self.integer:
            rows[c] = rows[c].round()
        return rows.astype(self.table.dtypes.to_dict(), errors="ignore")


class GaussianCopula:
    """Empirical marginals joined by a Gaussian copula (categories as codes).

    Missing numbers are drawn back at each column's missing rate.
    """

    def __init__(self, seed):
        self.seed = seed

    def fit(self, table):
        self.columns = list(table.columns)
        self.dtypes = table.dtypes
        self.values, self.missing, self.labels = [], [], []
        normal = []
        rng = np.random.default_rng(self.seed)
        for c in self.columns:
            col = table[c]
            self.missing.append(float(col.isna().mean()))
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(
                col
            ):
                x = col.to_numpy(dtype=float)
                self.labels.append(None)
            else:
                codes, labels = pd.factorize(col)
                x = codes.astype(float)
                x[codes < 0] = np.nan
                self.labels.append(labels)
            observed = x[~np.isnan(x)]
            x = np.where(np.isnan(x), rng.choice(observed, len(x)), x)
            self.values.append(np.sort(x))
            normal.append(ndtri(rankdata(x) / (len(x) + 1)))
        self.corr = np.corrcoef(np.column_stack(normal), rowvar=False)
        self.corr = np.nan_to_num(self.corr) + 1e-6 * np.eye(len(self.columns))
        return self

    def sample(self, n):
        rng = np.random.default_rng(self.seed + 1)
        z = rng.multivariate_normal(np.zeros(len(self.columns)), self.corr, size=n)
        u = ndtr(z)
        out = {}
        for j, c in enumerate(self.columns):
            x = np.quantile(self.values[j], u[:, j], method="inverted_cdf")
            if self.labels[j] is not None:
                col = pd.Series(np.asarray(self.labels[j], dtype=object)[x.astype(int)])
            else:
                col = pd.Series(x)
            col[rng.random(n) < self.missing[j]] = None
            out[c] = col
        return pd.DataFrame(out).astype(self.dtypes.to_dict(), errors="ignore")


class CTGANModel:
    """CTGAN with its default settings (300 epochs, batch 500, pac 10)."""

    def __init__(self, seed):
        self.seed = seed

    def fit(self, table):
        from ctgan import CTGAN

        self.discrete = [
            c
            for c in table.columns
            if not pd.api.types.is_numeric_dtype(table[c])
            or pd.api.types.is_bool_dtype(table[c])
        ]
        # CTGAN refuses NaN in a continuous column: as SDV does, a missing
        # indicator joins the discrete columns and the gaps take the mean.
        self.gaps = [
            c for c in table.columns if c not in self.discrete and table[c].isna().any()
        ]
        table = table.copy()
        for c in self.gaps:
            table[f"{c}__missing"] = table[c].isna()
            table[c] = table[c].fillna(table[c].mean())
        self.dtypes = table.dtypes
        # Its batch must be a multiple of pac (10).
        self.model = CTGAN(batch_size=min(500, len(table) // 10 * 10))
        self.model.set_random_state(self.seed)
        self.model.fit(
            table, discrete_columns=self.discrete + [f"{c}__missing" for c in self.gaps]
        )
        return self

    def sample(self, n):
        rows = self.model.sample(n)
        for c in self.gaps:
            rows[c] = rows[c].where(~rows.pop(f"{c}__missing").astype(bool))
        return rows


class Synth:
    def __init__(self, seed, **params):
        self.model = GANSynthesizer(random_state=seed, **params)

    def fit(self, table):
        self.model.fit(table)
        return self

    def sample(self, n):
        return self.model.sample(n, random_state=1)


def load_tables(data_dir, names):
    tables = {}
    for name, (X, y) in load_datasets(data_dir, names).items():
        table = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
        table["label"] = pd.Categorical(np.where(y == 1, "anomaly", "normal"))
        tables[name] = table
    try:
        from palmerpenguins import load_penguins

        tables["penguins"] = load_penguins()
    except ImportError:
        print("palmerpenguins not installed: penguins skipped", file=sys.stderr)
    return tables


def evaluate(name, table, model_name, make, seed):
    A, B = train_test_split(table, test_size=0.5, random_state=seed)
    A, B = A.reset_index(drop=True), B.reset_index(drop=True)
    start = time.perf_counter()
    model = make(seed).fit(A)
    fit_seconds = time.perf_counter() - start
    synthetic = model.sample(len(A) + len(B)).reset_index(drop=True)
    detection = detection_score(A, synthetic, holdout=B, random_state=0)
    privacy = distance_to_closest_record(A, synthetic, holdout=B)
    copies = distance_to_closest_record(A, model.sample(N_COPY_CHECK))
    marginals = marginal_similarity(A, synthetic)
    return {
        "data": name,
        "model": model_name,
        "seed": seed,
        "detection_accuracy": detection.accuracy,
        "dcr_ratio": privacy.dcr_ratio,
        "exact_copies_100k": int(round(copies.exact_copy_rate * N_COPY_CHECK)),
        # The data's own rate: real rows of B equal to a row of A, per 100,000
        # (a faithful model of a table that repeats rows repeats them too).
        "holdout_copies_100k": int(round(np.mean(privacy.holdout == 0) * N_COPY_CHECK)),
        "marginal_similarity": float(marginals["score"].mean()),
        "correlation_similarity": correlation_similarity(A, synthetic),
        "fit_seconds": fit_seconds,
    }


def sampling_speed(table, n=1_000_000):
    model = GANSynthesizer(random_state=0, epochs=1).fit(table)
    model.sample(10_000)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        model.sample(n)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


MODELS = {
    "GANSynthesizer()": lambda seed: Synth(seed),
    "CTGAN": CTGANModel,
    "smoothed bootstrap": SmoothedBootstrap,
    "Gaussian copula": GaussianCopula,
}


def speed_report(args):
    """Sampling 1,000,000 rows on the penguins and the widest ADBench set."""
    tables = load_tables(args.data, ["31_satimage-2"])
    lines = [
        "# GANSynthesizer: sampling 1,000,000 rows",
        "",
        f"{machine_line()}; default torch threads ({torch.get_num_threads()}); "
        "median of 3 after one warm-up call; generator plus decoding to a "
        "DataFrame with the original dtypes.",
        f"Command: `python benchmarks/synthesis.py {' '.join(sys.argv[1:])}`",
        "",
    ]
    for name, table in tables.items():
        seconds = sampling_speed(table)
        lines.append(f"- {name} ({table.shape[1]} columns): {seconds:.2f} s")
    text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data/adbench")
    parser.add_argument("--sets", default="dev6", help="dev6, all or comma-separated")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--out", default=None)
    parser.add_argument(
        "--gan-params",
        type=json.loads,
        help="also run GANSynthesizer with these parameters, as JSON",
    )
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="only time sampling 1,000,000 rows (run on an idle machine)",
    )
    args = parser.parse_args()
    if args.speed_only:
        return speed_report(args)
    torch.set_num_threads(1)
    names = DEV_SETS if args.sets == "dev6" else None
    if args.sets not in ("dev6", "all"):
        names = args.sets.split(",")
    tables = load_tables(args.data, names)
    if names is not None:
        tables = {k: v for k, v in tables.items() if k in names or k == "penguins"}
    chosen = args.models.split(",")
    if args.gan_params:
        label = ", ".join(f"{k}={v!r}" for k, v in args.gan_params.items())
        label = f"GANSynthesizer({label})"
        MODELS[label] = functools.partial(Synth, **args.gan_params)
        chosen.append(label)
    try:
        import ctgan  # noqa: F401
    except ImportError:
        chosen = [m for m in chosen if m != "CTGAN"]
        print("ctgan not installed: CTGAN skipped", file=sys.stderr)
    rows = []
    for name, table in tables.items():
        for seed in range(args.seeds):
            for model_name in chosen:
                row = evaluate(name, table, model_name, MODELS[model_name], seed)
                rows.append(row)
                print(json.dumps(row), flush=True)
    results = pd.DataFrame(rows)
    per_set = results.groupby(["data", "model"]).mean(numeric_only=True).round(3)
    summary = results.groupby("model").agg(
        detection_accuracy=("detection_accuracy", "mean"),
        dcr_ratio=("dcr_ratio", "median"),
        max_exact_copies_100k=("exact_copies_100k", "max"),
        max_holdout_copies_100k=("holdout_copies_100k", "max"),
        marginal_similarity=("marginal_similarity", "mean"),
        correlation_similarity=("correlation_similarity", "mean"),
        fit_seconds=("fit_seconds", "mean"),
    )
    speed = {}
    torch.set_num_threads(os.cpu_count())
    for name in ("penguins", max(tables, key=lambda k: tables[k].shape[1])):
        if name in tables:
            speed[name] = sampling_speed(tables[name])
    text = [
        "# Whole-table synthesis (protocol 2 on tables)",
        "",
        f"{machine_line()}; torch single-threaded in training.",
        f"Command: `python benchmarks/synthesis.py {' '.join(sys.argv[1:])}`",
        "",
        "## Summary (mean over tables and seeds; DCR ratio: median)",
        "",
        summary.round(3).to_markdown(),
        "",
        "## Per table",
        "",
        per_set.drop(columns="seed").to_markdown(),
        "",
        "## Sampling 1,000,000 rows with GANSynthesizer (median of 3, default "
        f"threads = {torch.get_num_threads()})",
        "",
        *[f"- {k} ({tables[k].shape[1]} columns): {v:.2f} s" for k, v in speed.items()],
    ]
    if args.out:
        Path(args.out).write_text("\n".join(text) + "\n")
        results.to_json(Path(args.out).with_suffix(".json"), orient="records", indent=1)
    print("\n".join(text))


if __name__ == "__main__":
    main()
