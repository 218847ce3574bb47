"""Data loading and the protocols of ../shared/BENCHMARKS.md, shared by the scripts."""

import os
import platform
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import NearestNeighbors
from xgboost import XGBClassifier

from skgan.datasets import load_imbalanced_breast_cancer

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
    params = dict(
        n_estimators=300,
        max_depth=4,
        learning_rate=0.1,
        tree_method="hist",
        n_jobs=1,
        random_state=0,
    )
    params.update(overrides)
    return XGBClassifier(**params)


def detection_protocol(sampler, X, y, *, seed=0):
    """Protocol 2: real-vs-synthetic detection with the DCR ratio beside it.

    The minority rows are split 50/50 into A and B; the sampler sees A and the
    majority rows, and its generated minority rows are split into S1 (|A|
    rows) and S2 (|B| rows). XGBoost learns A vs S1 and is scored on B vs S2.
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
    S1, S2 = synthetic[: len(A)], synthetic[len(A) :]
    clf = xgb().fit(np.vstack([A, S1]), np.r_[np.ones(len(A)), np.zeros(len(S1))])
    X_test = np.vstack([B, S2])
    y_test = np.r_[np.ones(len(B)), np.zeros(len(S2))]
    proba = clf.predict_proba(X_test)[:, 1]
    ratio, copies = dcr_ratio(A, B, synthetic)
    return {
        "detection_accuracy": accuracy_score(y_test, proba > 0.5),
        "detection_roc_auc": roc_auc_score(y_test, proba),
        "dcr_ratio": ratio,
        "exact_copy_rate": copies,
        "fit_seconds": seconds,
    }


def dcr_ratio(A, B, synthetic):
    """Median synthetic-to-A over median B-to-A nearest distance; exact copies."""
    mean, std = A.mean(axis=0), A.std(axis=0)
    std[std == 0] = 1.0
    nn = NearestNeighbors(n_neighbors=1).fit((A - mean) / std)
    d_syn = nn.kneighbors((synthetic - mean) / std)[0][:, 0]
    d_hold = nn.kneighbors((B - mean) / std)[0][:, 0]
    return float(np.median(d_syn) / np.median(d_hold)), float(np.mean(d_syn == 0))
