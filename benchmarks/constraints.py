"""Constraints: do the rules hold, and what do they cost in realism?

Issue 23's targets: 100% of generated rows hold every declared rule on the
Palmer penguins (species by island, ``FixedCombinations``) and on the Stocks
table (``../shared/data/series/stock_data.csv`` as rows: High >= Low, Open,
Close and Low <= Open, Close, ``Inequality``; Volume >= 0, ``Range``), and
the detection accuracy with the rules no worse than without.

Each table is split 70/30 (train / holdout) per seed; ``GANSynthesizer()``
with its defaults is fitted on the train rows with and without the rules, in
the same process on the same split, one thread; it samples as many rows as
the train split. Reported per table and seed: the share of generated rows
that hold each rule (all rules together), the XGBoost real-vs-synthetic
detection accuracy on the holdout (:func:`skgan.metrics.detection_score`,
0.5 = limit) and the DCR ratio beside it (synthetic vs holdout distances to
the train rows; about 1 is healthy), and the fit time.

Usage::

    python benchmarks/constraints.py --data ../shared/data \
        --out benchmarks/results/constraints_<date>.md
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line  # noqa: E402

from skgan import GANSynthesizer  # noqa: E402
from skgan.constraints import FixedCombinations, Inequality, Range  # noqa: E402
from skgan.constraints._apply import ConstraintSet  # noqa: E402
from skgan.metrics import detection_score, distance_to_closest_record  # noqa: E402


def tables(data):
    from palmerpenguins import load_penguins

    stocks = pd.read_csv(Path(data) / "series" / "stock_data.csv")
    return {
        "penguins": (load_penguins(), [FixedCombinations(["species", "island"])]),
        "stocks": (
            stocks,
            [
                Inequality(low="Low", high="High"),
                Inequality(low="Open", high="High"),
                Inequality(low="Close", high="High"),
                Inequality(low="Low", high="Open"),
                Inequality(low="Low", high="Close"),
                Range("Volume", low=0),
            ],
        ),
    }


def with_gaps(frame, rules):
    """The rows plus, per Inequality, ``high - low``: what the rule states,
    which a tree on the raw columns sees only through many splits."""
    gaps = {
        f"{r.high} - {r.low}": frame[r.high] - frame[r.low]
        for r in rules
        if isinstance(r, Inequality)
    }
    return frame.assign(**gaps)


def run(table, rules, seed):
    train, holdout = train_test_split(table, test_size=0.3, random_state=seed)
    judge = ConstraintSet(rules).fit(table, check_rows=False)
    rows = []
    for name, constraints in (("without rules", None), ("with rules", rules)):
        start = time.perf_counter()
        synth = GANSynthesizer(constraints=constraints, random_state=seed).fit(train)
        seconds = time.perf_counter() - start
        synthetic = synth.sample(len(train), random_state=seed)
        held = np.ones(len(synthetic), dtype=bool)
        for rule in judge.rules:
            held &= judge._holds(rule, synthetic)
        rows.append(
            {
                "model": name,
                "seed": seed,
                "rules held": float(held.mean()),
                "per rule": judge.shares(synthetic),
                "detection": detection_score(
                    train, synthetic, holdout=holdout, random_state=seed
                ).accuracy,
                "detection_gaps": detection_score(
                    with_gaps(train, rules),
                    with_gaps(synthetic, rules),
                    holdout=with_gaps(holdout, rules),
                    random_state=seed,
                ).accuracy,
                "dcr_ratio": distance_to_closest_record(
                    train, synthetic, holdout=holdout
                ).dcr_ratio,
                "fit_s": seconds,
            }
        )
    return rows


def run_series(data, seed, length=24):
    """Stocks as a series: windows of 24 steps, rules over channel positions."""
    from skgan import GANSeriesSynthesizer
    from skgan.anomaly import make_windows
    from skgan.metrics import window_detection_score

    stocks = pd.read_csv(Path(data) / "series" / "stock_data.csv")
    # Open 0, High 1, Low 2, Close 3, Adj_Close 4, Volume 5.
    rules = [
        Inequality(low=2, high=1),
        Inequality(low=0, high=1),
        Inequality(low=3, high=1),
        Inequality(low=2, high=0),
        Inequality(low=2, high=3),
        Range(5, low=0),
    ]
    values = stocks.to_numpy(float)
    cut = int(0.7 * len(values))
    train = make_windows(values[:cut], length)
    holdout = make_windows(values[cut:], length, step=length)
    rows = []
    for name, constraints in (("without rules", None), ("with rules", rules)):
        start = time.perf_counter()
        synth = GANSeriesSynthesizer(constraints=constraints, random_state=seed)
        synth.fit(train)
        seconds = time.perf_counter() - start
        fake = synth.sample(len(train), random_state=seed)
        high, others = fake[..., 1], fake[..., [0, 2, 3]].max(axis=-1)
        low = fake[..., 2]
        held = (high >= others) & (low <= fake[..., [0, 3]].min(axis=-1))
        held &= fake[..., 5] >= 0
        rows.append(
            {
                "model": name,
                "seed": seed,
                "rules held": float(held.mean()),
                "per rule": {
                    "High >= Low": float((high >= low).mean()),
                    "High >= Open, Close": float(
                        (high >= fake[..., [0, 3]].max(axis=-1)).mean()
                    ),
                },
                "detection": window_detection_score(
                    train, fake, holdout=holdout, random_state=seed
                ).accuracy,
                "detection_gaps": float("nan"),
                "dcr_ratio": float("nan"),
                "fit_s": seconds,
            }
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--series", action="store_true", help="Stocks as windows of 24 steps only"
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    results = {}
    if args.series:
        results["stocks, windows of 24 (GANSeriesSynthesizer)"] = [
            row for seed in range(args.seeds) for row in run_series(args.data, seed)
        ]
    for name, (table, rules) in () if args.series else tables(args.data).items():
        results[name] = []
        for seed in range(args.seeds):
            results[name] += run(table, rules, seed)
            print(name, seed, results[name][-2:], flush=True)
    lines = [
        "# Constraints: rules held and realism, with and without the rules",
        "",
        f"`python benchmarks/constraints.py --seeds {args.seeds}`; {machine_line()}, "
        "one thread. `GANSynthesizer()` defaults, 70/30 train/holdout per seed; "
        "detection = XGBoost real-vs-synthetic accuracy on the holdout (0.5 = "
        "limit), on the columns and, beside it, on the columns plus each "
        "Inequality's `high - low` (what the rule states; the same as the first "
        "without an Inequality); DCR ratio beside it (about 1 is healthy). For "
        "the series: window detection (windows and their differences), rules "
        "held per time step.",
        "",
    ]
    for name, rows in results.items():
        frame = pd.DataFrame(rows)
        lines += [
            f"## {name}",
            "",
            "| model | seed | rows holding every rule | detection | detection, "
            "with the gaps | DCR ratio | fit s |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            lines.append(
                f"| {row['model']} | {row['seed']} | {row['rules held']:.2%} | "
                f"{row['detection']:.3f} | {row['detection_gaps']:.3f} | "
                f"{row['dcr_ratio']:.2f} | "
                f"{row['fit_s']:.0f} |"
            )
        measures = ["rules held", "detection", "detection_gaps", "dcr_ratio"]
        mean = frame.groupby("model")[measures].mean()
        lines += ["", "Means over seeds:", ""]
        for model, row in mean.iterrows():
            lines.append(
                f"- {model}: rules held {row['rules held']:.2%}, detection "
                f"{row['detection']:.3f} ({row['detection_gaps']:.3f} with the "
                f"gaps), DCR ratio {row['dcr_ratio']:.2f}"
            )
        free = [r for r in rows if r["model"] == "without rules"]
        lines += ["", "Share of rows holding each rule without the rules:", ""]
        for rule in free[0]["per rule"]:
            shares = ", ".join(f"{r['per rule'][rule]:.1%}" for r in free)
            lines.append(f"- {rule}: {shares}")
        lines.append("")
    Path(args.out).write_text("\n".join(lines))
    Path(args.out).with_suffix(".json").write_text(json.dumps(results, indent=1))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
