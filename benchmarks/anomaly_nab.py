"""GANAnomalyDetector on windows of the NAB series, beside IsolationForest and KNN.

Usage::

    python benchmarks/anomaly_nab.py --data ../shared/data/nab \
        --out benchmarks/results/anomaly_nab_<date>.md

Each series (standardised) is cut into windows of ``--window`` steps every
``--step`` steps (``skgan.anomaly.make_windows``); a window is anomalous when
it overlaps one of NAB's labelled anomaly windows. Three settings:

- first half (protocol 5 of ``../shared/BENCHMARKS.md``): fit on the normal
  windows of the first half of the series, score the windows of the second
  half. A series whose second half holds no anomalous window has no score
  here (exchange-2_cpc_results).
- novelty (held out): the windows fall in ten consecutive blocks of time,
  alternately in fold 0 and fold 1, and the anomalous windows alternately in
  either fold; each fold is scored by detectors fitted on the other fold's
  normal windows, so no scored window was seen in training (a
  nearest-neighbour method would otherwise find the window itself). ROC-AUC
  and PR-AUC are the mean over the two folds. This setting is the
  project's own; it scores every series, including those whose anomalies
  all lie in one half.
- unsupervised: fit on all windows, labels unseen, score the same windows.

IsolationForest and KNN (the distance to the 5th nearest training window,
pyod's KNN score) see the same windows, flattened; the GAN detector runs with
its defaults (``--detector-params`` as JSON overrides them). Seeds 0 ..
``--seeds - 1``; torch on one thread per job (``--jobs`` series and seeds run
side by side, which slows each fit a little).
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from joblib import Parallel, delayed
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.neighbors import NearestNeighbors

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line, report  # noqa: E402

from skgan import GANAnomalyDetector  # noqa: E402
from skgan.anomaly import make_windows  # noqa: E402

SETTINGS = ("first half", "novelty (held out)", "unsupervised")


def load(folder, name, window, step):
    """Standardised windows of one NAB series and whether each is anomalous."""
    frame = pd.read_csv(Path(folder) / name, parse_dates=["timestamp"])
    labels = json.loads((Path(folder) / "anomaly_windows.json").read_text())
    values = frame["value"].to_numpy(dtype=float)
    values = (values - values.mean()) / values.std()
    windows = make_windows(values, window, step=step)
    starts = frame["timestamp"].to_numpy()[::step][: len(windows)]
    ends = frame["timestamp"].to_numpy()[window - 1 :: step][: len(windows)]
    y = np.zeros(len(windows), dtype=int)
    # Keys are "<NAB folder>/<file>"; the series come from several folders.
    (key,) = [k for k in labels if k.split("/")[-1] == name]
    for first, last in labels[key]:
        first, last = (
            np.datetime64(pd.Timestamp(first)),
            np.datetime64(pd.Timestamp(last)),
        )
        y |= (starts <= last) & (ends >= first)
    return windows, y


def folds(y, n_blocks=10):
    """Fold of each window: alternating blocks of time, anomalies alternately."""
    fold = (np.arange(len(y)) * n_blocks // len(y)) % 2
    anomalous = np.flatnonzero(y == 1)
    fold[anomalous] = np.arange(len(anomalous)) % 2
    return fold


class KNN:
    """Distance to the k-th nearest training window (pyod's KNN score)."""

    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, X):
        self.neighbors_ = NearestNeighbors(n_neighbors=self.n_neighbors).fit(X)
        return self

    def score_samples(self, X):
        return -self.neighbors_.kneighbors(X)[0][:, -1]


def detectors(seed, params):
    """(label, detector, whether it takes flattened windows)."""
    return [
        ("IsolationForest", IsolationForest(random_state=seed), True),
        ("KNN (k=5)", KNN(), True),
        (
            "skgan GANAnomalyDetector",
            GANAnomalyDetector(random_state=seed, **params),
            False,
        ),
    ]


def run(fit_windows, score_windows, y, seed, params):
    """Fit each detector, score windows; one record per detector."""
    records = []
    for label, detector, flat in detectors(seed, params):

        def shape(w, flat=flat):
            return w.reshape(len(w), -1) if flat else w

        start = time.perf_counter()
        detector.fit(shape(fit_windows))
        fit_s = time.perf_counter() - start
        scores = -detector.score_samples(shape(score_windows))
        records.append(
            {
                "detector": label,
                "roc_auc": roc_auc_score(y, scores),
                "pr_auc": average_precision_score(y, scores),
                "fit_s": fit_s,
                "n_fit": len(fit_windows),
            }
        )
    return records


def one_series(args, name, seed, params):
    """Every setting and detector on one series with one seed."""
    torch.set_num_threads(1)
    windows, y = load(args.data, name, args.window, args.step)
    fold = folds(y)
    series = {
        "series": name.removesuffix(".csv"),
        "windows": len(windows),
        "anomalous": int(y.sum()),
    }
    rows = []
    half = len(windows) // 2
    if "first half" in args.settings and y[half:].any():
        fit = windows[:half][y[:half] == 0]
        for record in run(fit, windows[half:], y[half:], seed, params):
            rows.append(
                {**series, "setting": "first half", "seed": seed, "fold": 0} | record
            )
    held_out = "novelty (held out)" in args.settings
    for k in (0, 1) if held_out else ():
        fit = windows[(fold != k) & (y == 0)]
        for record in run(fit, windows[fold == k], y[fold == k], seed, params):
            rows.append(
                {**series, "setting": "novelty (held out)", "seed": seed, "fold": k}
                | record
            )
    if "unsupervised" in args.settings:
        for record in run(windows, windows, y, seed, params):
            rows.append(
                {**series, "setting": "unsupervised", "seed": seed, "fold": 0} | record
            )
    print(name, seed, "done", flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--window", type=int, default=48)
    parser.add_argument("--step", type=int, default=8)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--detector-params", default="{}")
    parser.add_argument(
        "--settings",
        nargs="+",
        choices=SETTINGS,
        default=list(SETTINGS),
        help="which settings to run (all three by default)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="series and seeds run in parallel"
    )
    parser.add_argument("--out")
    parser.add_argument(
        "--rows", help="report the rows of an earlier run's JSON instead of running"
    )
    args = parser.parse_args()
    params = json.loads(args.detector_params)
    start = time.perf_counter()
    if args.rows:
        rows = json.loads(Path(args.rows).read_text())
    else:
        names = sorted(p.name for p in Path(args.data).glob("*.csv"))
        tasks = [(name, seed) for name in names for seed in range(args.seeds)]
        results = Parallel(n_jobs=args.jobs)(
            delayed(one_series)(args, name, seed, params) for name, seed in tasks
        )
        rows = [row for result in results for row in result]
        if args.out:
            Path(args.out).with_suffix(".json").write_text(json.dumps(rows, indent=1))
    df = pd.DataFrame(rows)
    # Mean over folds, then over seeds, then over series (those scored).
    per_series = df.groupby(["setting", "detector", "series"])[
        ["roc_auc", "pr_auc", "fit_s", "n_fit"]
    ].mean()
    means = per_series.groupby(["setting", "detector"]).mean()
    table = per_series["roc_auc"].unstack("series")
    spread = (
        df.groupby(["setting", "detector", "series", "seed"])["roc_auc"]
        .mean()
        .groupby(["setting", "detector", "seed"])
        .mean()
        .groupby(["setting", "detector"])
        .std()
        .rename("roc_auc_std_over_seeds")
    )
    top = table.groupby(level="setting").transform("max")
    best = table.eq(top).sum(axis=1).rename("series best")
    sizes = df.groupby("series")[["windows", "anomalous"]].first()
    lines = [
        "# Anomaly scoring on windows of the NAB series",
        "",
        f"- machine: {machine_line()}; torch single-threaded",
        f"- command: `benchmarks/anomaly_nab.py --data {args.data} --window "
        f"{args.window} --step {args.step} --seeds {args.seeds} "
        f"--detector-params '{args.detector_params}' --jobs {args.jobs} "
        f"--settings {' '.join(repr(x) for x in args.settings)} "
        f"--out {args.out}`",
        f"- rows of {args.rows}"
        if args.rows
        else f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
        "",
        sizes.to_markdown(),
        "",
        "Mean over the series (each the mean over seeds and folds); `n_fit`: "
        "windows per fit; `series best`: series on which the detector has the "
        "highest ROC-AUC of the setting:",
        "",
        means.join(spread).join(best).to_markdown(floatfmt=".3f"),
        "",
        "ROC-AUC per series (mean over seeds and folds):",
        "",
        table.to_markdown(floatfmt=".3f"),
        "",
    ]
    report(lines, args.out)


if __name__ == "__main__":
    main()
