"""Time skgan.evaluate (and its HTML report) on 10,000 x 30 rows with holdout.

Usage::

    python benchmarks/evaluate_speed.py \
        --out benchmarks/results/evaluate_speed_<date>.md

Real and holdout rows: 10,000 each of a correlated 30-column Gaussian with
skewed columns; synthetic rows: 20,000 of a slightly perturbed copy of the
distribution. The reference in the same run is one fit of the protocol's
XGBoost classifier on the 20,000 rows that the detector trains on.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line, xgb  # noqa: E402

import skgan  # noqa: E402


def table(rng, n, d=30, shift=0.0):
    cov = 0.3 * np.eye(d) + 0.7 * np.ones((d, d)) / 2
    X = rng.multivariate_normal(np.zeros(d), cov, size=n) + shift
    X[:, ::3] = np.exp(X[:, ::3])
    return X


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    real, holdout = table(rng, 10_000), table(rng, 10_000)
    synthetic = table(rng, 20_000, shift=0.05)

    start = time.perf_counter()
    xgb().fit(
        np.vstack([real, synthetic[:10_000]]), np.r_[np.ones(10_000), np.zeros(10_000)]
    )
    reference = time.perf_counter() - start

    start = time.perf_counter()
    report = skgan.evaluate(real, synthetic, holdout=holdout)
    measures = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report.to_html(Path(tmp) / "report.html")
        html = time.perf_counter() - start
    total = measures + html
    lines = [
        "# skgan.evaluate on 10,000 x 30 rows with holdout",
        "",
        f"- machine: {machine_line()}; torch and XGBoost single-threaded",
        f"- command: `benchmarks/evaluate_speed.py --out {args.out}`",
        "- real 10,000 rows, holdout 10,000 rows, synthetic 20,000 rows, 30 columns",
        "",
        "| step | seconds | x one XGBoost fit |",
        "|---|---|---|",
        f"| one XGBoost fit on 20,000 rows (reference) | {reference:.1f} | 1.0 |",
        f"| `skgan.evaluate(...)` (all measures) | {measures:.1f} | "
        f"{measures / reference:.1f} |",
        f"| `report.to_html(...)` (figures) | {html:.1f} | {html / reference:.1f} |",
        f"| total | {total:.1f} | {total / reference:.1f} |",
        "",
        "Scores of this run (for the record):",
        "",
        report.summary()[["score", "ideal"]].to_markdown(floatfmt=".3f"),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
