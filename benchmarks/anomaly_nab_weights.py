"""The window detector's score weights on NAB: picked on half, read on the rest.

Usage::

    python benchmarks/anomaly_nab_weights.py --data ../shared/data/nab \
        --out benchmarks/results/anomaly_nab_weights_<date>.md

The weights only combine the detector's standardised components, so each
detector is fitted once per series, setting, fold and seed (with its
defaults) and its components (``transform``) on the scored windows are
combined under every pair of ``weight`` (reconstruction against critic) and
``level_weight`` (the level's share; ``latent_weight`` stays 0.5). The two
settings of ``anomaly_nab.py`` that fit on normal windows only: the first
half (protocol 5: fit on the first half, score the second; the series drift
between them) and windows held out in alternating blocks of time. The series,
sorted by name, fall into two halves (A: 1st, 3rd, ...; B: 2nd, 4th, ...); a
weight is worth keeping as a default when it wins on both halves in both
settings. Seeds 0 .. ``--seeds - 1``; torch on one thread per job.
"""

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import pandas as pd
import torch
from joblib import Parallel, delayed
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line, report  # noqa: E402
from anomaly_nab import folds, load  # noqa: E402

from skgan import GANAnomalyDetector  # noqa: E402

WEIGHTS = (0.5, 1.0)
LEVEL_WEIGHTS = (0.0, 0.25, 1 / 3, 0.5)
LATENT_WEIGHT = 0.5


def splits(windows, y, setting):
    """(training windows, scored windows, their labels) of each fold."""
    if setting == "first half":
        half = len(windows) // 2
        if not y[half:].any():
            return []
        return [(windows[:half][y[:half] == 0], windows[half:], y[half:])]
    fold = folds(y)
    return [
        (windows[(fold != k) & (y == 0)], windows[fold == k], y[fold == k])
        for k in (0, 1)
    ]


def one_series(data, name, setting, seed, window, step):
    """ROC-AUC of every weight pair on one series, setting and seed."""
    torch.set_num_threads(1)
    windows, y = load(data, name, window, step)
    rows = []
    for k, (fit, scored, labels) in enumerate(splits(windows, y, setting)):
        detector = GANAnomalyDetector(random_state=seed).fit(fit)
        r, critic, latent, level = detector.transform(scored).T
        for weight, level_weight in itertools.product(WEIGHTS, LEVEL_WEIGHTS):
            gan = weight * r + (1 - weight) * critic
            gan = (1 - LATENT_WEIGHT) * gan + LATENT_WEIGHT * latent
            score = (1 - level_weight) * gan + level_weight * level
            rows.append(
                {
                    "series": name.removesuffix(".csv"),
                    "setting": setting,
                    "seed": seed,
                    "fold": k,
                    "weight": weight,
                    "level_weight": round(level_weight, 3),
                    "roc_auc": roc_auc_score(labels, score),
                }
            )
    print(name, setting, seed, "done", flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--window", type=int, default=48)
    parser.add_argument("--step", type=int, default=8)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out")
    args = parser.parse_args()
    start = time.perf_counter()
    names = sorted(p.name for p in Path(args.data).glob("*.csv"))
    tasks = [
        (name, setting, seed)
        for setting in ("first half", "held out")
        for name in names
        for seed in range(args.seeds)
    ]
    results = Parallel(n_jobs=args.jobs)(
        delayed(one_series)(args.data, *task, args.window, args.step) for task in tasks
    )
    df = pd.DataFrame([row for result in results for row in result])
    if args.out:
        Path(args.out).with_suffix(".json").write_text(
            json.dumps(df.to_dict("records"), indent=1)
        )
    # Mean over folds and seeds per series, then over the series of a half.
    per_series = df.groupby(["setting", "weight", "level_weight", "series"])[
        "roc_auc"
    ].mean()
    scored = sorted(df["series"].unique())
    halves = {"A": scored[0::2], "B": scored[1::2]}
    table = per_series.unstack("series")
    summary = pd.concat(
        {
            "all": table.mean(axis=1),
            **{h: table[s].mean(axis=1) for h, s in halves.items()},
        },
        axis=1,
    ).unstack("setting")
    summary.columns = [f"{setting}: {h}" for h, setting in summary.columns]
    summary = summary[sorted(summary.columns)]
    lines = [
        "# The window detector's score weights on the NAB series",
        "",
        f"- machine: {machine_line()}; torch single-threaded",
        f"- command: `{' '.join(sys.argv)}`",
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
        f"- halves: A = {', '.join(halves['A'])}; B = {', '.join(halves['B'])}",
        "",
        "Mean ROC-AUC (first half: the eight series with anomalies in the second "
        "half); rows are (weight, level_weight), latent_weight 0.5:",
        "",
        summary.to_markdown(floatfmt=".3f"),
        "",
        "Per series:",
        "",
        table.to_markdown(floatfmt=".3f"),
        "",
    ]
    report(lines, args.out)


if __name__ == "__main__":
    main()
