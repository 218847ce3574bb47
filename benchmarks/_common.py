"""Data loading and the protocols of ../shared/BENCHMARKS.md, shared by the scripts."""

import os
import platform
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from skgan.datasets import load_imbalanced_breast_cancer
from skgan.metrics import detection_score, distance_to_closest_record
from skgan.metrics._detection import detector

DEV_SETS = [
    "6_cardio",
    "38_thyroid",
    "23_mammography",
    "31_satimage-2",
    "44_Wilt",
    "29_Pima",
]


def load_datasets(data_dir, names=None):
    """Every ADBench ``.npz`` in ``data_dir`` plus breast-cancer-10%, by name."""
    sets = {}
    for path in sorted(Path(data_dir).glob("*.npz")):
        if names is None or path.stem in names:
            data = np.load(path, allow_pickle=False)
            sets[path.stem] = (data["X"].astype(np.float64), data["y"].astype(np.int64))
    if names is None or "breast_cancer_10" in names:
        sets["breast_cancer_10"] = load_imbalanced_breast_cancer(random_state=0)
    return sets


def machine_line():
    """Date, cores and processor of this run, for the results header."""
    return (
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}, CPU only"
    )


def xgb(**overrides):
    """The protocol's classifier."""
    return detector(0).set_params(**overrides)


def detection_protocol(sampler, X, y, *, seed=0):
    """Protocol 2: real-vs-synthetic detection with the DCR ratio beside it.

    The minority rows are split 50/50 into A and B; the sampler sees A and the
    majority rows, and generates |A| + |B| minority rows: the first |A| train
    XGBoost against A, the rest are scored against B
    (:func:`skgan.metrics.detection_score`).
    """
    minority = X[y == 1]
    majority = X[y == 0]
    A, B = train_test_split(minority, test_size=0.5, random_state=seed)
    X_fit = np.vstack([majority, A])
    y_fit = np.r_[np.zeros(len(majority), int), np.ones(len(A), int)]
    start = time.perf_counter()
    sampler.set_params(sampling_strategy={1: 2 * len(A) + len(B)})
    X_res, _ = sampler.fit_resample(X_fit, y_fit)
    seconds = time.perf_counter() - start
    synthetic = X_res[len(X_fit) :]
    detection = detection_score(A, synthetic, holdout=B, random_state=0)
    privacy = distance_to_closest_record(A, synthetic, holdout=B)
    return {
        "detection_accuracy": detection.accuracy,
        "detection_roc_auc": detection.roc_auc,
        "dcr_ratio": privacy.dcr_ratio,
        "exact_copy_rate": privacy.exact_copy_rate,
        "fit_seconds": seconds,
    }


def report(lines, out=None):
    """Join a report's lines, print it, and write it to ``out`` when given."""
    text = "\n".join(lines) if not isinstance(lines, str) else lines
    print(text)
    if out:
        Path(out).write_text(text)
    return text
