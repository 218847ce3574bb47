"""Protocols 1, 2 and 4 of ../shared/BENCHMARKS.md for the GAN oversamplers.

Usage::

    python benchmarks/oversampling.py --data ../shared/data/adbench \
        --out benchmarks/results/oversampling_<date>.md

Every sampler runs in the same process on the same folds, so ratios between
them hold on a noisy machine. All training is single-threaded (torch and
XGBoost), as for the CTGAN reference figure in the issue.
"""

import argparse
import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).parent))
from _common import (  # noqa: E402
    DEV_SETS,
    detection_protocol,
    load_datasets,
    machine_line,
    xgb,
)

from skgan import GANOverSampler, WCGANOverSampler  # noqa: E402


def samplers(seed=0):
    """Baselines first, then the skgan variants, all at their defaults."""
    out = {
        "none": None,
        "none+weight": "scale_pos_weight",
        "ROS": RandomOverSampler(random_state=0),
        "ROS(shrinkage=0.3)": RandomOverSampler(shrinkage=0.3, random_state=0),
        "SMOTE": SMOTE(random_state=0),
        "BorderlineSMOTE": BorderlineSMOTE(random_state=0),
        "ADASYN": ADASYN(random_state=0),
    }
    try:
        import ctgan  # noqa: F401
        from _ctgan import CTGANOverSampler

        out["CTGAN"] = CTGANOverSampler(random_state=0)
    except ImportError:
        pass
    out.update(
        {
            "skgan GAN": GANOverSampler(random_state=seed),
            "skgan CGAN": GANOverSampler(conditional=True, random_state=seed),
            "skgan WGAN-GP": GANOverSampler(loss="wgan-gp", random_state=seed),
            "skgan WCGAN (per class)": GANOverSampler(
                loss="wgan-gp", conditional=True, random_state=seed
            ),
            "skgan WCGANOverSampler": WCGANOverSampler(random_state=seed),
        }
    )
    return out


def _fit_predict(sampler, X_train, y_train, X_test):
    """What Pipeline([("sampler", S), ("clf", XGB)]).fit does, timing the sampler."""
    clf_params = {}
    seconds = 0.0
    if sampler == "scale_pos_weight":
        clf_params["scale_pos_weight"] = (y_train == 0).sum() / (y_train == 1).sum()
    elif sampler is not None:
        start = time.perf_counter()
        X_train, y_train = clone(sampler).fit_resample(X_train, y_train)
        seconds = time.perf_counter() - start
    clf = xgb(**clf_params).fit(X_train, y_train)
    return clf.predict_proba(X_test)[:, 1], seconds


def run_dataset(name, X, y, with_detection=True, only=None, seed=0):
    torch.set_num_threads(1)
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    rows, detection = [], []
    for sampler_name, sampler in samplers(seed).items():
        if only and sampler_name not in only:
            continue
        for fold, (train, test) in enumerate(cv.split(X, y)):
            try:
                proba, seconds = _fit_predict(sampler, X[train], y[train], X[test])
            except Exception as exc:  # a failing baseline must not stop the run
                traceback.print_exc()
                rows.append(
                    {
                        "data": name,
                        "sampler": sampler_name,
                        "fold": fold,
                        "error": repr(exc),
                    }
                )
                continue
            rows.append(
                {
                    "data": name,
                    "sampler": sampler_name,
                    "fold": fold,
                    "pr_auc": average_precision_score(y[test], proba),
                    "roc_auc": roc_auc_score(y[test], proba),
                    "f1": f1_score(y[test], proba > 0.5),
                    "balanced_accuracy": balanced_accuracy_score(y[test], proba > 0.5),
                    "fit_resample_s": seconds,
                }
            )
        if with_detection and sampler is not None and sampler != "scale_pos_weight":
            if sampler_name in ("ROS", "BorderlineSMOTE", "ADASYN"):
                continue
            try:
                r = detection_protocol(clone(sampler), X, y, seed=0)
            except Exception as exc:
                traceback.print_exc()
                r = {"error": repr(exc)}
            detection.append({"data": name, "sampler": sampler_name, **r})
        print(f"{name}: {sampler_name} done", flush=True)
    return rows, detection


def sampling_throughput(n_rows=1_000_000, repeats=3):
    """Seconds to generate 1,000,000 rows of 30 features, on 1 and all threads.

    The median of ``repeats`` runs of the sampler's own generation path
    (generator, then the inverse scaling) for each thread count.
    """
    from skgan.datasets import load_imbalanced_breast_cancer

    X, y = load_imbalanced_breast_cancer(random_state=0)
    sampler = WCGANOverSampler(random_state=0)
    sampler.fit_resample(X, y)
    seconds = {}
    for threads in dict.fromkeys([1, os.cpu_count()]):
        torch.set_num_threads(threads)
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            rows = sampler._generate(1, n_rows, np.random.default_rng(0))
            runs.append(time.perf_counter() - start)
        assert rows.shape == (n_rows, 30)
        seconds[threads] = float(np.median(runs))
    return seconds


def report(rows, detection, throughput_s, args, wall):
    df = pd.DataFrame(rows)
    failed = df[df.get("error").notna()] if "error" in df else df.iloc[:0]
    df = df[df["pr_auc"].notna()]
    per = (
        df.groupby(["data", "sampler"], sort=False)
        .agg(
            pr_auc=("pr_auc", "mean"),
            pr_auc_std=("pr_auc", "std"),
            roc_auc=("roc_auc", "mean"),
            f1=("f1", "mean"),
            balanced_accuracy=("balanced_accuracy", "mean"),
            fit_resample_s=("fit_resample_s", "mean"),
        )
        .reset_index()
    )
    per["rank"] = per.groupby("data")["pr_auc"].rank(ascending=False)
    order = list(dict.fromkeys(per["sampler"]))
    dev = DEV_SETS
    summary = per.groupby("sampler", sort=False).agg(
        mean_pr_auc=("pr_auc", "mean"),
        avg_rank=("rank", "mean"),
        mean_roc_auc=("roc_auc", "mean"),
        mean_f1=("f1", "mean"),
        mean_bal_acc=("balanced_accuracy", "mean"),
        mean_fit_resample_s=("fit_resample_s", "mean"),
        max_fit_resample_s=("fit_resample_s", "max"),
    )
    summary["dev6_mean_pr_auc"] = (
        per[per["data"].isin(dev)].groupby("sampler")["pr_auc"].mean()
    )
    summary = summary.reindex(order)
    lines = [
        "# Oversampling benchmark (protocols 1, 2 and 4)",
        "",
        f"- machine: {machine_line()}; torch and XGBoost single-threaded",
        f"- command: `{' '.join(sys.argv)}`",
        f"- wall time: {wall / 60:.1f} min; peak resident memory: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB "
        "(main process)",
        "",
        "## Protocol 1: utility (5-fold CV, XGBoost), averaged over all data sets",
        "",
        "Rank: average rank by mean PR-AUC across data sets (1 = best). "
        "`dev6`: mean PR-AUC over cardio, thyroid, mammography, satimage-2, "
        "Wilt, Pima.",
        "",
        summary.to_markdown(floatfmt=".3f"),
        "",
        "### Per data set: mean PR-AUC (± std over folds)",
        "",
    ]
    table = per.assign(
        cell=per["pr_auc"].map("{:.3f}".format)
        + " ± "
        + per["pr_auc_std"].map("{:.3f}".format)
    )
    lines += [
        table.pivot(index="data", columns="sampler", values="cell")[
            order
        ].T.to_markdown(),
        "",
    ]
    if len(detection):
        det = pd.DataFrame(detection)
        if "detection_accuracy" in det:
            det = det[det["detection_accuracy"].notna()]
            lines += [
                "## Protocol 2: fidelity (real-vs-synthetic detection; 0.5 is perfect)",
                "",
                "Minority rows split 50/50 (A, B) with seed 0; each sampler sees A "
                "and the majority rows. DCR ratio: median distance of synthetic "
                "rows to the nearest row of A over that of B (about 1 is healthy; "
                "below 1 copies or interpolates).",
                "",
                det.groupby("sampler", sort=False)
                .agg(
                    mean_detection_accuracy=("detection_accuracy", "mean"),
                    dev6_detection_accuracy=(
                        "detection_accuracy",
                        lambda s: s[det.loc[s.index, "data"].isin(dev)].mean(),
                    ),
                    mean_detection_roc_auc=("detection_roc_auc", "mean"),
                    median_dcr_ratio=("dcr_ratio", "median"),
                    max_exact_copy_rate=("exact_copy_rate", "max"),
                )
                .to_markdown(floatfmt=".3f"),
                "",
                "### Per data set: detection accuracy / DCR ratio",
                "",
                det.assign(
                    cell=det["detection_accuracy"].map("{:.2f}".format)
                    + " / "
                    + det["dcr_ratio"].map("{:.2f}".format)
                )
                .pivot(index="data", columns="sampler", values="cell")
                .T.to_markdown(),
                "",
            ]
    times = summary["mean_fit_resample_s"]
    lines += ["## Protocol 4: speed", ""]
    for ref in ["SMOTE", "CTGAN"]:
        if ref in times and times[ref] > 0:
            lines.append(
                f"Mean `fit_resample` time per fold relative to {ref} (same run):"
            )
            lines.append("")
            lines.append(
                (times / times[ref])
                .rename(f"x {ref}")
                .to_frame()
                .to_markdown(floatfmt=".2f")
            )
            lines.append("")
    for threads, seconds in (throughput_s or {}).items():
        lines += [
            f"Sampling 1,000,000 rows of 30 features (breast cancer, WCGANOverSampler "
            f"defaults, {threads} thread{'s' if threads > 1 else ''}, median of 3): "
            f"{seconds:.2f} s ({1e6 / seconds:,.0f} rows/s).",
            "",
        ]
    if len(failed):
        lines += ["## Failures", "", failed.to_markdown(), ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder of ADBench .npz files")
    parser.add_argument("--sets", nargs="*", help="data set names (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="data sets in parallel")
    parser.add_argument("--out", help="markdown file to write")
    parser.add_argument("--no-detection", action="store_true")
    parser.add_argument(
        "--samplers", nargs="*", help="run only these samplers (names as in the tables)"
    )
    parser.add_argument(
        "--no-sampling-speed", action="store_true", help="skip the 1,000,000-row timing"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random_state of the skgan samplers"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    sets = load_datasets(args.data, args.sets)
    results = Parallel(n_jobs=args.jobs)(
        delayed(run_dataset)(
            name, X, y, not args.no_detection, args.samplers, args.seed
        )
        for name, (X, y) in sets.items()
    )
    rows = [r for res in results for r in res[0]]
    detection = [r for res in results for r in res[1]]
    throughput = None if args.no_sampling_speed else sampling_throughput()
    if args.out:
        # The raw results first: a failure in the report keeps the run.
        Path(args.out).with_suffix(".json").write_text(
            json.dumps(
                {"rows": rows, "detection": detection, "sampling_1m_s": throughput},
                default=float,
                indent=1,
            )
        )
    text = report(rows, detection, throughput, args, time.perf_counter() - start)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
