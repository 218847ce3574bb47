"""GANAnomalyDetector on windows of the NAB series, beside IsolationForest.

Usage::

    python benchmarks/anomaly_nab.py --data ../shared/data/nab \
        --out benchmarks/results/anomaly_nab_<date>.md

Each series (standardised) is cut into windows of ``--window`` steps every
``--step`` steps (``skgan.anomaly.make_windows``); a window is anomalous when
it overlaps one of NAB's labelled anomaly windows. Two settings: fit on all
windows (unsupervised), or on the windows that overlap no label ("clean",
the novelty setting); both score every window. Window-level ROC-AUC and
PR-AUC; IsolationForest sees the same windows, flattened. Seeds 0 ..
``--seeds - 1``.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line  # noqa: E402

from skgan import GANAnomalyDetector  # noqa: E402
from skgan.anomaly import make_windows  # noqa: E402


def load(folder, name, window, step):
    frame = pd.read_csv(Path(folder) / name, parse_dates=["timestamp"])
    labels = json.loads((Path(folder) / "anomaly_windows.json").read_text())
    values = frame["value"].to_numpy(dtype=float)
    values = (values - values.mean()) / values.std()
    windows = make_windows(values, window, step=step)
    starts = frame["timestamp"].to_numpy()[::step][: len(windows)]
    ends = frame["timestamp"].to_numpy()[window - 1 :: step][: len(windows)]
    y = np.zeros(len(windows), dtype=int)
    for first, last in labels[f"realKnownCause/{name}"]:
        first, last = (
            np.datetime64(pd.Timestamp(first)),
            np.datetime64(pd.Timestamp(last)),
        )
        y |= (starts <= last) & (ends >= first)
    return windows, y


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--window", type=int, default=48)
    parser.add_argument("--step", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=50, help="GAN and encoder epochs")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    rows = []
    for name in sorted(p.name for p in Path(args.data).glob("*.csv")):
        windows, y = load(args.data, name, args.window, args.step)
        for setting, fit_rows in (
            ("unsupervised", windows),
            ("clean", windows[y == 0]),
        ):
            for seed in range(args.seeds):
                for label, detector, flat in (
                    ("IsolationForest", IsolationForest(random_state=seed), True),
                    (
                        "skgan GANAnomalyDetector",
                        GANAnomalyDetector(random_state=seed),
                        False,
                    ),
                ):
                    X_fit = fit_rows.reshape(len(fit_rows), -1) if flat else fit_rows
                    X_all = windows.reshape(len(windows), -1) if flat else windows
                    t0 = time.perf_counter()
                    detector.fit(X_fit)
                    fit_s = time.perf_counter() - t0
                    scores = -detector.score_samples(X_all)
                    rows.append(
                        {
                            "series": name.removesuffix(".csv"),
                            "setting": setting,
                            "seed": seed,
                            "detector": label,
                            "roc_auc": roc_auc_score(y, scores),
                            "pr_auc": average_precision_score(y, scores),
                            "fit_s": fit_s,
                            "windows": len(windows),
                            "anomalous": int(y.sum()),
                        }
                    )
                print(name, setting, seed, "done", flush=True)
    df = pd.DataFrame(rows)
    table = df.pivot_table(
        index=["setting", "detector"],
        columns="series",
        values=["roc_auc", "pr_auc"],
        aggfunc="mean",
    )
    means = df.groupby(["setting", "detector"])[["roc_auc", "pr_auc", "fit_s"]].mean()
    sizes = df.groupby("series")[["windows", "anomalous"]].first()
    lines = [
        "# Anomaly scoring on windows of the NAB series",
        "",
        f"- machine: {machine_line()}; torch single-threaded",
        f"- command: `benchmarks/anomaly_nab.py --data {args.data} --window "
        f"{args.window} --step {args.step} --epochs {args.epochs} --seeds "
        f"{args.seeds} --out {args.out}`",
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
        "",
        sizes.to_markdown(),
        "",
        "Mean over the series and seeds:",
        "",
        means.to_markdown(floatfmt=".3f"),
        "",
        "Per series (mean over seeds):",
        "",
        table.to_markdown(floatfmt=".3f"),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
