"""Release paths that tell the truth: the measures of issue 32, in one run.

1. **Shipped = evaluated.** Stocks, ``GANSeriesSynthesizer(window_length=24,
   max_iter=60)``: the fitted model's ``sample(200, random_state=1)`` beside
   the same call on its export loaded in a fresh process, on ``skgan
   serve``'s app and on the MLflow model; the share of equal values, the
   largest share one generated value takes over the commonest real value's
   share (per channel), and whether ``sample(3)`` begins as ``sample(20)``.
2. **No silent one-valued column under epsilon**: the penguins (object and
   category dtypes) and the three dev tables, as read from their CSVs, at
   epsilon 1, 3 and 10 (``epochs=1``: the encoding decides what survives);
   each run is refused with a message, or fits and samples 2,000 rows, and a
   categorical column the data shows several values of that comes out with
   one is silent. Bounds are the data's range padded by 5%
   (``privacy.public_bounds``).
3. **Rules keep every column in range**: the penguins at the defaults with
   every combination of three rules, and Stocks as a table and as a series,
   rows with a number outside its observed range (3,000 rows; 300 windows).
4. **The attack on the penguins at the defaults**: ``GANSynthesizer()``
   fitted on half the penguins, checked against the other half, three seeds.
5. **The same attack where nothing can leak**, for its chance level.

Usage::

    cd benchmarks
    python release_paths.py --out results/release_paths_2026-12-08.md
"""

import argparse
import io
import itertools
import json
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _common import machine_line, report
from privacy import public_bounds

from skgan import GANSeriesSynthesizer, GANSynthesizer, load_generator
from skgan.constraints import FixedCombinations, Inequality, Range

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def penguins(dtype):
    from palmerpenguins import load_penguins

    table = load_penguins().dropna().reset_index(drop=True)
    for column in ("species", "island", "sex"):
        table[column] = table[column].astype(dtype)
    return table


def shipped(lines):
    from fastapi.testclient import TestClient

    from skgan.integrations.mlflow import SkganPyfuncModel
    from skgan.serving import create_app

    stocks = pd.read_csv(DATA / "series" / "stock_data.csv")
    synth = GANSeriesSynthesizer(window_length=24, max_iter=60, random_state=0)
    synth.fit(stocks)
    fitted = synth.sample(200, random_state=1)
    channels = list(stocks.columns)
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "m"
        synth.export_generator(export)
        code = (
            f"import skgan; skgan.load_generator(r'{export}')"
            f".sample(200, random_state=1).to_pickle(r'{folder}/w.pkl')"
        )
        subprocess.run([sys.executable, "-c", code], check=True)
        fresh = pd.read_pickle(Path(folder) / "w.pkl")
        client = TestClient(create_app(export, max_rows=10**6))
        answer = client.post("/sample", json={"n_samples": 200, "random_state": 1})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # float_precision's deprecation
            served = pd.read_csv(io.StringIO(answer.text), float_precision="round_trip")
        model = SkganPyfuncModel()
        model.generator_ = load_generator(export)
        logged = model.predict(
            None, pd.DataFrame({"n_samples": [200], "random_state": [1]})
        )
    lines += [
        "## 1. Shipped = evaluated (Stocks, window_length=24, max_iter=60, seed 0)",
        "",
        "| path | values equal to the fitted model's |",
        "|:--|--:|",
    ]
    for name, other in (
        ("load_generator, fresh process", fresh),
        ("skgan serve's app (CSV)", served),
        ("MLflow pyfunc model", logged),
    ):
        equal = other[channels].to_numpy(float) == fitted[channels].to_numpy(float)
        lines.append(f"| {name} | {equal.mean():.2%} |")
    lines += [
        "",
        "| channel | commonest generated value's share | commonest real | ratio |",
        "|:--|--:|--:|--:|",
    ]
    for column in channels:
        generated = fitted[column].value_counts(normalize=True).iloc[0]
        real = stocks[column].value_counts(normalize=True).iloc[0]
        lines.append(
            f"| {column} | {generated:.4f} | {real:.4f} | {generated / real:.2f} |"
        )
    first = synth.sample(3, random_state=1)[channels].to_numpy()
    again = synth.sample(20, random_state=1)[channels].to_numpy()[: len(first)]
    lines += ["", f"sample(3) begins as sample(20): {bool((first == again).all())}", ""]


def private(lines):
    lines += [
        "## 2. Categorical columns under epsilon (epochs=1, 2,000 rows sampled)",
        "",
        "| table | epsilon | outcome | columns with one value (of several) "
        "| values suppressed (warned) |",
        "|:--|--:|:--|--:|:--|",
    ]
    tables = {
        "penguins (object)": penguins(object),
        "penguins (category)": penguins("category"),
    }
    for name in ("default", "beijing", "bank"):
        folder = DATA / "tables" / name
        meta = json.loads((folder / "meta.json").read_text())
        dtypes = {c: str for c in meta["categorical"]}
        tables[name] = pd.read_csv(folder / "train.csv", dtype=dtypes)
    for (name, table), epsilon in itertools.product(tables.items(), (1.0, 3.0, 10.0)):
        discrete = [
            c
            for c in table
            if not pd.api.types.is_numeric_dtype(table[c])
            or isinstance(table[c].dtype, pd.CategoricalDtype)
        ]
        synth = GANSynthesizer(
            epsilon=epsilon, bounds=public_bounds(table), epochs=1, random_state=0
        )
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                rows = synth.fit(table).sample(2000, random_state=0)
            except ValueError as error:
                lines.append(
                    f"| {name} | {epsilon:g} | refused: {str(error)[:110]}... | - | - |"
                )
                continue
        several = [c for c in discrete if table[c].nunique() > 1]
        one = [c for c in several if rows[c].nunique(dropna=True) <= 1]
        suppressed = {c: len(v) for c, v in synth.transformer_.suppressed_.items()}
        warned = any("suppressed" in str(w.message) for w in caught)
        lines.append(
            f"| {name} | {epsilon:g} | fitted in {time.perf_counter() - start:.0f} s "
            f"| {len(one)} {one if one else ''} | {suppressed or 'none'}"
            f"{' (warned)' if warned else ''} |"
        )
    lines.append("")


def outside(rows, real):
    numbers = [
        c
        for c in real
        if pd.api.types.is_numeric_dtype(real[c])
        and not isinstance(real[c].dtype, pd.CategoricalDtype)
    ]
    return int(
        sum(
            ((rows[c] < real[c].min()) | (rows[c] > real[c].max())).sum()
            for c in numbers
        )
    )


def rules(lines):
    lines += [
        "## 3. Rows outside the observed range",
        "",
        "| data | rules | rows (windows) | outside |",
        "|:--|:--|--:|--:|",
    ]
    table = penguins("category")
    options = [
        Inequality(low="bill_depth_mm", high="bill_length_mm"),
        Inequality(low="bill_length_mm", high="flipper_length_mm"),
        Range("bill_depth_mm", low=13),
        FixedCombinations(["species", "island"]),
    ]
    for k in range(len(options) + 1):
        for chosen in itertools.combinations(options, k):
            synth = GANSynthesizer(constraints=list(chosen) or None, random_state=0)
            rows = synth.fit(table).sample(3000, random_state=0)
            named = "; ".join(str(r) for r in chosen) or "none"
            lines.append(f"| penguins | {named} | 3000 | {outside(rows, table)} |")
    stocks = pd.read_csv(DATA / "series" / "stock_data.csv")
    stock_rules = [
        Inequality(low="Low", high="High"),
        Inequality(low="Low", high="Open"),
        Range("Low", low=0),
    ]
    synth = GANSynthesizer(constraints=stock_rules, random_state=0).fit(stocks)
    named = "; ".join(str(r) for r in stock_rules)
    rows = synth.sample(3000, random_state=0)
    lines.append(f"| Stocks (table) | {named} | 3000 | {outside(rows, stocks)} |")
    series = GANSeriesSynthesizer(
        window_length=24, constraints=stock_rules, random_state=0
    )
    windows = series.fit(stocks).sample(300, random_state=1)
    lines.append(f"| Stocks (series) | {named} | (300) | {outside(windows, stocks)} |")
    lines.append("")


def attack(lines):
    from sklearn.model_selection import train_test_split

    lines += [
        "## 4. Membership attack on the penguins at the defaults "
        "(half fitted, half held out)",
        "",
        "| seed | ROC-AUC | 95% interval | DCR ratio | card's risks |",
        "|--:|--:|:--|--:|:--|",
    ]
    table = penguins("category")
    for seed in range(3):
        A, B = train_test_split(table, test_size=0.5, random_state=seed)
        synth = GANSynthesizer(random_state=seed).fit(A)
        with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            checked = synth.export_generator(Path(folder) / "m", X=A, holdout=B)
        low, high = checked["membership_inference_roc_auc_interval"]
        lines.append(
            f"| {seed} | {checked['membership_inference_roc_auc']:.3f} | {low:.3f} "
            f"to {high:.3f} | {checked['dcr_ratio']:.2f} | "
            f"{'; '.join(r[:70] for r in checked['risk']) or 'none'} |"
        )
    lines.append("")


def control(lines):
    """The attack's reading when nothing leaks, at the penguins' size.

    The training half A is never shown to the "generator": its samples are
    2,000 rows resampled from one half of B, and the other half of B is the
    attack's holdout. Whatever the attack reads is chance.
    """
    from sklearn.model_selection import train_test_split

    from skgan.metrics import membership_inference

    table = penguins("category")
    aucs = []
    for seed in range(20):
        A, B = train_test_split(table, test_size=0.5, random_state=seed)
        source, holdout = train_test_split(B, test_size=0.5, random_state=seed)
        synthetic = source.sample(2000, replace=True, random_state=seed)
        aucs.append(membership_inference(A, synthetic, holdout, random_state=0).roc_auc)
    aucs = np.array(aucs)
    lines += [
        "## 5. Control: the attack when nothing leaks (20 half splits of the penguins)",
        "",
        f"ROC-AUC mean {aucs.mean():.3f}, range {aucs.min():.3f} to {aucs.max():.3f}; "
        f"{(aucs > 0.55).sum()} of 20 above 0.55 (samples resampled from rows the "
        "members never touched; the holdout is the other quarter of the table).",
        "",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="write the markdown here")
    parser.add_argument(
        "--parts",
        default="shipped,private,rules,attack,control",
        help="which parts to run",
    )
    args = parser.parse_args()
    lines = ["# Release paths (issue 32)", "", machine_line(), ""]
    for part in args.parts.split(","):
        start = time.perf_counter()
        parts = dict(
            shipped=shipped,
            private=private,
            rules=rules,
            attack=attack,
            control=control,
        )
        parts[part](lines)
        print(f"{part}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    report(lines, args.out)


if __name__ == "__main__":
    main()
