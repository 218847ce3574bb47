"""What a released generator leaks: skgan with and without DP, CTGAN, DP-CTGAN, MST.

For each table (the dev sets with their class as a category, at most
``--max-rows`` rows drawn at random, and the Palmer penguins with incomplete
rows dropped), split 50/50 into A (trained on) and B (held out), every model
is fitted on A and samples |A| + |B| rows; measured in one run:

- detection accuracy (protocol 2: XGBoost, A vs samples, scored on B vs the
  rest; 0.5 = indistinguishable) and the DCR ratio (samples vs B);
- the membership-inference attack's ROC-AUC (``skgan.metrics.
  membership_inference``: members from A, non-members and the attacker's
  reference from B; 0.5 = chance);
- TSTR: a histogram gradient-boosting classifier of the class column trained
  on samples, tested on B (ROC-AUC), beside the same trained on A (TRTR);
- fit time and, for the DP models, the spent epsilon.

Models: ``GANSynthesizer()``; ``GANSynthesizer(epsilon=e, bounds=...)`` at
e = 1 and 10; CTGAN (the ``ctgan`` package, its defaults); smartnoise-synth's
DP-CTGAN and MST (the NIST challenge's marginal method, numbers in 32 bins
between the bounds) at the same epsilons (``--snsynth-python``: a Python of its own
virtual environment, since smartnoise-synth pins opacus 0.14; it is run in a
subprocess on CSV files). Public bounds for both DP models are each numeric
column's range over the whole table, widened by 5% on each side: the
benchmark's stand-in for a range known without the data (DP-CTGAN gets them
as MinMaxTransformer constraints, and ``preprocessor_eps = 0.1 * epsilon``
for what else its preprocessing needs). smartnoise-synth takes no seed: its rows
differ from run to run (mean detection accuracy by 0.01 to 0.03 between two
runs here).

Usage::

    python benchmarks/privacy.py --data ../shared/data/adbench \
        --snsynth-python /tmp/snvenv/bin/python \
        --out benchmarks/results/privacy_<date>.md
"""

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from _common import DEV_SETS, load_datasets, machine_line  # noqa: E402

from skgan import GANSynthesizer  # noqa: E402
from skgan.metrics import (  # noqa: E402
    detection_score,
    distance_to_closest_record,
    membership_inference,
)
from skgan.metrics._tables import encode  # noqa: E402

EPSILONS = (1.0, 10.0)

SNSYNTH_SCRIPT = textwrap.dedent(
    """
    import json, sys, time, warnings
    warnings.filterwarnings("ignore")
    import pandas as pd
    from snsynth import Synthesizer
    from snsynth.transform import BinTransformer, MinMaxTransformer
    from snsynth.transform.table import TableTransformer
    args = json.loads(sys.argv[1])
    train = pd.read_csv(args["train"])
    for c in args["categorical"]:
        train[c] = train[c].astype(str)
    start = time.perf_counter()
    # The same public bounds skgan gets: nothing spent to find them. MST
    # models discrete marginals: numbers go to 32 bins between the bounds
    # (skgan's private encoding uses 32 bins too).
    gan = args["model"] == "dpctgan"
    constraints = {
        c: MinMaxTransformer(lower=low, upper=high, negative=True) if gan
        else BinTransformer(bins=32, lower=low, upper=high)
        for c, (low, high) in args["bounds"].items()
    }
    transformer = TableTransformer.create(
        train, style="gan" if gan else "cube",
        categorical_columns=args["categorical"],
        continuous_columns=args["continuous"], constraints=constraints,
    )
    options = {"verbose": False, "batch_size": args["batch_size"]} if gan else {}
    synth = Synthesizer.create(args["model"], epsilon=args["epsilon"], **options)
    synth.fit(
        train, transformer=transformer, categorical_columns=args["categorical"],
        continuous_columns=args["continuous"],
        preprocessor_eps=0.1 * args["epsilon"],
    )
    seconds = time.perf_counter() - start
    synth.sample(args["n"]).to_csv(args["out"], index=False)
    print(json.dumps({"seconds": seconds}))
    """
)


def load_tables(data_dir, max_rows):
    tables = {}
    for name, (X, y) in load_datasets(data_dir, DEV_SETS).items():
        rng = np.random.default_rng(0)
        keep = np.sort(rng.choice(len(X), min(max_rows, len(X)), replace=False))
        table = pd.DataFrame(X[keep], columns=[f"x{i}" for i in range(X.shape[1])])
        table["label"] = pd.Categorical(np.where(y[keep] == 1, "anomaly", "normal"))
        tables[name] = (table, "label")
    from palmerpenguins import load_penguins

    penguins = load_penguins().dropna().reset_index(drop=True)
    for column in ["species", "island", "sex"]:
        penguins[column] = penguins[column].astype("category")
    tables["penguins"] = (penguins, "species")
    return tables


def public_bounds(table):
    bounds = {}
    for column in table.columns:
        series = table[column]
        if pd.api.types.is_numeric_dtype(series) and not isinstance(
            series.dtype, pd.CategoricalDtype
        ):
            low, high = float(series.min()), float(series.max())
            pad = 0.05 * (high - low)
            if pd.api.types.is_integer_dtype(series):
                low, high = np.floor(low - pad), np.ceil(high + pad)
            else:
                low, high = low - pad, high + pad
            bounds[column] = (low, high)
    return bounds


def tstr(train, test, target):
    X_train, X_test = encode(train.drop(columns=target), test.drop(columns=target))
    y_train = train[target].astype(str).to_numpy()
    y_test = test[target].astype(str).to_numpy()
    if len(np.unique(y_train)) < 2:
        return 0.5
    model = HistGradientBoostingClassifier(random_state=0).fit(X_train, y_train)
    proba = model.predict_proba(X_test)
    if proba.shape[1] == 2:
        positive = list(model.classes_).index(np.unique(y_test)[-1])
        return float(roc_auc_score(y_test == np.unique(y_test)[-1], proba[:, positive]))
    return float(
        roc_auc_score(y_test, proba, multi_class="ovr", labels=list(model.classes_))
    )


def run_ctgan(A, n, seed):
    from ctgan import CTGAN

    discrete = [
        c
        for c in A.columns
        if isinstance(A[c].dtype, pd.CategoricalDtype) or A[c].dtype == object
    ]
    model = CTGAN(batch_size=min(500, len(A) // 10 * 10 or 10))
    model.set_random_state(seed)
    start = time.perf_counter()
    model.fit(A.astype({c: str for c in discrete}), discrete_columns=discrete)
    seconds = time.perf_counter() - start
    rows = model.sample(n)
    for c in discrete:
        rows[c] = pd.Categorical(rows[c], categories=A[c].cat.categories)
    return rows, seconds, None


def run_snsynth(model, A, n, epsilon, python, bounds):
    discrete = [c for c in A.columns if isinstance(A[c].dtype, pd.CategoricalDtype)]
    if "year" in A.columns:
        discrete.append("year")
    continuous = [c for c in A.columns if c not in discrete]
    with tempfile.TemporaryDirectory() as folder:
        train, out = Path(folder) / "train.csv", Path(folder) / "out.csv"
        A.to_csv(train, index=False)
        args = {
            "model": model,
            "train": str(train),
            "out": str(out),
            "epsilon": epsilon,
            "categorical": discrete,
            "continuous": continuous,
            "n": n,
            "batch_size": min(500, max(10, len(A) // 5 // 10 * 10)),
            "bounds": {c: bounds[c] for c in continuous},
        }
        result = subprocess.run(
            [python, "-c", SNSYNTH_SCRIPT, json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if result.returncode:
            raise RuntimeError(result.stderr.strip().splitlines()[-1])
        seconds = json.loads(result.stdout.strip().splitlines()[-1])["seconds"]
        rows = pd.read_csv(out)
    for c in discrete:
        if isinstance(A[c].dtype, pd.CategoricalDtype):
            rows[c] = pd.Categorical(
                rows[c].astype(str), categories=A[c].cat.categories.astype(str)
            )
            rows[c] = rows[c].cat.rename_categories(
                dict(
                    zip(
                        A[c].cat.categories.astype(str),
                        A[c].cat.categories,
                        strict=True,
                    )
                )
            )
    return rows[A.columns], seconds, epsilon


def run_skgan(A, n, seed, epsilon=None, bounds=None):
    model = GANSynthesizer(epsilon=epsilon, bounds=bounds, random_state=seed)
    start = time.perf_counter()
    model.fit(A)
    seconds = time.perf_counter() - start
    return model.sample(n, random_state=seed), seconds, getattr(model, "epsilon_", None)


def one_table(name, table, target, python, seed=0, only=None):
    A, B = train_test_split(
        table, test_size=0.5, random_state=seed, stratify=table[target]
    )
    A, B = A.reset_index(drop=True), B.reset_index(drop=True)
    n = len(A) + len(B)
    bounds = public_bounds(table)
    models = {"GANSynthesizer()": lambda: run_skgan(A, n, seed)}
    for eps in EPSILONS:
        models[f"GANSynthesizer(epsilon={eps:g})"] = lambda eps=eps: run_skgan(
            A, n, seed, eps, bounds
        )
    models["CTGAN"] = lambda: run_ctgan(A, n, seed)
    if python:
        for eps in EPSILONS:
            models[f"DP-CTGAN(epsilon={eps:g})"] = lambda eps=eps: run_snsynth(
                "dpctgan", A, n, eps, python, bounds
            )
            models[f"MST(epsilon={eps:g})"] = lambda eps=eps: run_snsynth(
                "mst", A, n, eps, python, bounds
            )
    if only:
        models = {k: v for k, v in models.items() if k in only}
    rows = []
    trtr = tstr(A, B, target)
    for model_name, run in models.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                synthetic, seconds, spent = run()
        except Exception as exc:  # noqa: BLE001 (a baseline may fail; say so)
            rows.append({"data": name, "model": model_name, "error": str(exc)[:200]})
            continue
        synthetic = synthetic.reset_index(drop=True)
        detection = detection_score(A, synthetic, holdout=B, random_state=0)
        privacy = distance_to_closest_record(A, synthetic, holdout=B)
        attack = membership_inference(A, synthetic, B, random_state=0)
        rows.append(
            {
                "data": name,
                "model": model_name,
                "seed": seed,
                "detection_accuracy": detection.accuracy,
                "dcr_ratio": privacy.dcr_ratio,
                "attack_auc": attack.roc_auc,
                "tstr_auc": tstr(synthetic, B, target),
                "trtr_auc": trtr,
                "fit_seconds": seconds,
                "epsilon_spent": spent,
            }
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder of ADBench .npz files")
    parser.add_argument("--snsynth-python", help="Python with smartnoise-synth")
    parser.add_argument("--max-rows", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=1, help="tables in parallel")
    parser.add_argument("--seed", type=int, default=0, help="the split's seed")
    parser.add_argument("--models", nargs="*", help="only these (names as shown)")
    parser.add_argument("--out")
    args = parser.parse_args()
    start = time.perf_counter()
    tables = load_tables(args.data, args.max_rows)
    results = Parallel(n_jobs=args.jobs)(
        delayed(one_table)(
            name, table, target, args.snsynth_python, args.seed, args.models
        )
        for name, (table, target) in tables.items()
    )
    frame = pd.DataFrame([r for rows in results for r in rows])
    if args.out:
        Path(args.out).with_suffix(".json").write_text(
            frame.to_json(orient="records", indent=1)
        )
    ok = frame[frame.get("error").isna()] if "error" in frame else frame
    order = list(dict.fromkeys(frame["model"]))
    means = (
        ok.groupby("model")[
            [
                "detection_accuracy",
                "dcr_ratio",
                "attack_auc",
                "tstr_auc",
                "trtr_auc",
                "fit_seconds",
                "epsilon_spent",
            ]
        ]
        .mean()
        .reindex(order)
    )
    worst = ok.groupby("model")["attack_auc"].max().reindex(order)
    means.insert(3, "max_attack_auc", worst)
    per_table = ok.pivot(index="model", columns="data", values="attack_auc").reindex(
        order
    )
    per_detection = ok.pivot(
        index="model", columns="data", values="detection_accuracy"
    ).reindex(order)
    lines = [
        "# What a released generator leaks",
        "",
        f"- machine: {machine_line()}",
        f"- command: `{' '.join(sys.argv)}`",
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
        f"- tables: {', '.join(tables)} (at most {args.max_rows} rows each; "
        f"split 50/50, seed {args.seed})",
        "",
        "## Means over the tables",
        "",
        means.to_markdown(floatfmt=".3f"),
        "",
        "## Membership-inference ROC-AUC per table (0.5 = chance)",
        "",
        per_table.to_markdown(floatfmt=".3f"),
        "",
        "## Detection accuracy per table (0.5 = indistinguishable)",
        "",
        per_detection.to_markdown(floatfmt=".3f"),
        "",
    ]
    if "error" in frame and frame["error"].notna().any():
        failed = frame[frame["error"].notna()][["data", "model", "error"]]
        lines += ["## Failures", "", failed.to_markdown(index=False), ""]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
