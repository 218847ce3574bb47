"""Protocol 3 of ../shared/BENCHMARKS.md: anomaly scoring on the ADBench sets.

Usage::

    python benchmarks/anomaly.py --data ../shared/data/adbench --jobs 2 \
        --out benchmarks/results/anomaly_<date>.md

Per data set and seed in {0, 1, 2}: a stratified 70/30 split, StandardScaler
fit on the training part; novelty setting: fit on the y == 0 rows of the 70%;
unsupervised setting: fit on all of the 70% without labels; score the 30%.
ROC-AUC and average precision of the anomaly score (higher = more
anomalous), fit time and scoring throughput, with IsolationForest, LOF
(novelty=True), OneClassSVM and, when the optional pyod package is
installed, its KNN, ECOD, AutoEncoder and GAN detectors (SO_GAAL, MO_GAAL,
ALAD, AnoGAN) in the same run.
"""

import argparse
import contextlib
import io
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from joblib import Parallel, delayed
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM

sys.path.insert(0, str(Path(__file__).parent))
from _common import load_datasets, machine_line  # noqa: E402

from skgan import GANAnomalyDetector  # noqa: E402

DEV5 = ["6_cardio", "38_thyroid", "23_mammography", "2_annthyroid", "44_Wilt"]


def detectors(seed):
    """name -> (estimator, function giving higher = more anomalous)."""
    sklearn_sign = lambda est, X: -est.score_samples(X)  # noqa: E731
    out = {
        "IsolationForest": (IsolationForest(random_state=seed), sklearn_sign),
        "LOF": (LocalOutlierFactor(novelty=True), sklearn_sign),
        "OneClassSVM": (OneClassSVM(gamma="scale"), sklearn_sign),
    }
    try:
        from pyod.models.alad import ALAD
        from pyod.models.anogan import AnoGAN
        from pyod.models.auto_encoder import AutoEncoder
        from pyod.models.ecod import ECOD
        from pyod.models.knn import KNN
        from pyod.models.mo_gaal import MO_GAAL
        from pyod.models.so_gaal import SO_GAAL

        pyod_sign = lambda est, X: est.decision_function(X)  # noqa: E731
        out["pyod KNN"] = (KNN(), pyod_sign)
        out["pyod ECOD"] = (ECOD(), pyod_sign)
        out["pyod AutoEncoder"] = (
            AutoEncoder(random_state=seed, verbose=0),
            pyod_sign,
        )
        # PyOD's GAN detectors with their defaults, except AnoGAN: its
        # default 500 epochs take about 10 minutes a fit on cardio on one CPU
        # thread, so it gets 20 (a minute on cardio).
        out["pyod SO_GAAL"] = (SO_GAAL(), pyod_sign)
        out["pyod MO_GAAL"] = (MO_GAAL(), pyod_sign)
        out["pyod ALAD"] = (ALAD(), pyod_sign)
        out["pyod AnoGAN (20 epochs)"] = (AnoGAN(epochs=20), pyod_sign)
    except ImportError:
        pass
    out["skgan GANAnomalyDetector"] = (
        GANAnomalyDetector(random_state=seed),
        sklearn_sign,
    )
    out["skgan (reconstruction)"] = (
        GANAnomalyDetector(anomaly_score="reconstruction", random_state=seed),
        sklearn_sign,
    )
    return out


def run(name, X, y, seed, settings=("novelty", "unsupervised")):
    torch.set_num_threads(1)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    rows = []
    fits = {"novelty": X_train[y_train == 0], "unsupervised": X_train}
    for setting, X_fit in ((k, fits[k]) for k in settings):
        for label, (estimator, anomaly_score) in detectors(seed).items():
            start = time.perf_counter()
            # PyOD's GAAL detectors print every epoch.
            with contextlib.redirect_stdout(io.StringIO()):
                estimator.fit(X_fit)
            fit_s = time.perf_counter() - start
            start = time.perf_counter()
            scores = anomaly_score(estimator, X_test)
            score_s = time.perf_counter() - start
            variants = {label: scores}
            if isinstance(estimator, GANAnomalyDetector):
                # anomaly_score="reconstruction" / "discriminator" of the same model.
                components = estimator.transform(X_test)
                variants["skgan (reconstruction only)"] = components[:, 0]
                variants["skgan (discriminator only)"] = components[:, 1]
            for variant, values in variants.items():
                rows.append(
                    {
                        "data": name,
                        "seed": seed,
                        "setting": setting,
                        "detector": variant,
                        "roc_auc": roc_auc_score(y_test, values),
                        "pr_auc": average_precision_score(y_test, values),
                        "fit_s": fit_s,
                        "rows_per_s": len(X_test) / score_s,
                        "n_fit": len(X_fit),
                    }
                )
        print(name, seed, setting, "done", flush=True)
    return rows


def throughput(threads=1, n_rows=200_000, n_features=30):
    """Fit seconds on 10,000 rows and scoring rows/s, with IsolationForest's."""
    torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10_000, n_features))
    Z = rng.standard_normal((n_rows, n_features))
    out = []
    for detector in (
        GANAnomalyDetector(random_state=0),
        IsolationForest(random_state=0),
    ):
        start = time.perf_counter()
        detector.fit(X)
        out.append(time.perf_counter() - start)
        start = time.perf_counter()
        detector.score_samples(Z)
        out.append(n_rows / (time.perf_counter() - start))
    return tuple(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--sets", nargs="*")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out")
    parser.add_argument(
        "--settings",
        nargs="+",
        choices=["novelty", "unsupervised"],
        default=["novelty", "unsupervised"],
    )
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="only time fit on 10,000 rows and scoring (1 and all threads)",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    if args.speed_only:
        lines = [
            "# GANAnomalyDetector speed (protocol 4)",
            "",
            f"- machine: {machine_line()}",
            f"- command: `benchmarks/anomaly.py --data {args.data} --speed-only "
            f"--out {args.out}`",
            "- defaults; 10,000 training rows and 200,000 scored rows of 30 "
            "standard-normal features; IsolationForest() on the same rows as the "
            "reference",
            "",
            "| threads | fit s | scoring rows/s | IsolationForest fit s | "
            "IsolationForest rows/s |",
            "|---|---|---|---|---|",
        ]
        for threads in dict.fromkeys([1, os.cpu_count()]):
            fit_s, rate, if_fit_s, if_rate = throughput(threads)
            lines.append(
                f"| {threads} | {fit_s:.1f} | {rate:,.0f} | {if_fit_s:.2f} "
                f"| {if_rate:,.0f} |"
            )
        text = "\n".join(lines) + "\n"
        print(text)
        if args.out:
            Path(args.out).write_text(text)
        return
    sets = load_datasets(args.data, args.sets)
    sets.pop("breast_cancer_10", None)
    results = Parallel(n_jobs=args.jobs)(
        delayed(run)(name, X, y, seed, args.settings)
        for name, (X, y) in sets.items()
        for seed in range(3)
    )
    df = pd.DataFrame([r for rows in results for r in rows])
    fit_10k, rows_per_s, _, _ = throughput()
    lines = [
        "# Anomaly scoring benchmark (protocol 3)",
        "",
        f"- machine: {machine_line()}; torch single-threaded",
        f"- command: `benchmarks/anomaly.py {' '.join(sys.argv[1:])}`",
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min; seeds 0, 1, 2",
        "",
    ]
    for setting in args.settings:
        part = df[df["setting"] == setting]
        per = part.groupby(["data", "detector"], sort=False)[
            ["roc_auc", "pr_auc"]
        ].mean()
        per = per.reset_index()
        per["rank"] = per.groupby("data")["roc_auc"].rank(ascending=False)
        summary = per.groupby("detector", sort=False).agg(
            mean_roc_auc=("roc_auc", "mean"),
            mean_pr_auc=("pr_auc", "mean"),
            avg_rank=("rank", "mean"),
        )
        dev = per[per["data"].isin(DEV5)].groupby("detector", sort=False)["roc_auc"]
        summary["dev5_mean_roc_auc"] = dev.mean()
        timing = part.groupby("detector", sort=False).agg(
            mean_fit_s=("fit_s", "mean"), median_rows_per_s=("rows_per_s", "median")
        )
        lines += [
            f"## {setting.capitalize()} setting",
            "",
            "Mean over data sets of the mean over seeds; `dev5`: cardio, thyroid,"
            " mammography, annthyroid, Wilt.",
            "",
            summary.join(timing).to_markdown(floatfmt=".3f"),
            "",
            "ROC-AUC per data set:",
            "",
            per.pivot(index="detector", columns="data", values="roc_auc").to_markdown(
                floatfmt=".3f"
            ),
            "",
        ]
    lines += [
        "`GANAnomalyDetector()` fit on 10,000 normal rows of 30 features: "
        f"{fit_10k:.1f} s; scoring: {rows_per_s:,.0f} rows/s (one thread).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text)
        Path(args.out).with_suffix(".json").write_text(df.to_json(orient="records"))


if __name__ == "__main__":
    main()
