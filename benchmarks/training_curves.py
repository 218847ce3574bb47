"""Issue 3's experiments: detection accuracy over training, and augmentation.

Usage::

    python benchmarks/training_curves.py --data ../shared/data/adbench \
        --out benchmarks/results/training_curves_<date>

1. Detection accuracy (protocol 2 of ../shared/BENCHMARKS.md, with its DCR
   ratio) of the study's four variants after 10 .. 400 generator updates
   (``max_iter``) on the six dev sets. Training is deterministic for a seed,
   so a run of fewer updates is the beginning of a longer one (the moving
   average of the weights aside).
2. The augmentation experiment of the study: recall and PR-AUC of XGBoost
   on a fixed real test half as more and more minority rows are added to a
   training half that keeps only 20% of its minority rows; the added rows
   are the held-back real minority rows, rows of a trained
   WCGANOverSampler, or rows of an untrained one (the control).

Writes ``<out>.md``, ``<out>_detection.png`` and ``<out>_augmentation.png``.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from _common import DEV_SETS, detection_protocol, load_datasets, machine_line, xgb  # noqa: E402

from skgan import GANOverSampler, WCGANOverSampler  # noqa: E402
from skgan.metrics import augmentation_curve  # noqa: E402
from skgan.plotting._figures import _figure  # noqa: E402

UPDATES = [10, 25, 50, 100, 200, 400]
VARIANTS = {
    "GAN": lambda n: GANOverSampler(max_iter=n, random_state=0),
    "CGAN": lambda n: GANOverSampler(conditional=True, max_iter=n, random_state=0),
    "WGAN-GP": lambda n: GANOverSampler(loss="wgan-gp", max_iter=n, random_state=0),
    "WCGAN": lambda n: WCGANOverSampler(max_iter=n, random_state=0),
}


def detection_curves(sets):
    rows = []
    for name, (X, y) in sets.items():
        for variant, make in VARIANTS.items():
            for updates in UPDATES:
                r = detection_protocol(make(updates), X, y)
                rows.append({"data": name, "variant": variant, "updates": updates, **r})
                print(
                    name, variant, updates, f"{r['detection_accuracy']:.3f}", flush=True
                )
    return pd.DataFrame(rows)


def augmentation(sets, seed=0):
    rows = []
    for name, (X, y) in sets.items():
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.5, stratify=y, random_state=seed
        )
        minority = np.flatnonzero(y_train == 1)
        rng = np.random.default_rng(seed)
        minority = rng.permutation(minority)
        n_keep = max(2, len(minority) // 5)
        keep = np.r_[np.flatnonzero(y_train == 0), minority[:n_keep]]
        pool = X_train[minority[n_keep:]]
        X_fit, y_fit = X_train[keep], y_train[keep]
        sources = {"real": pool}
        for label, updates in (
            ("synthetic", WCGANOverSampler().max_iter),
            ("untrained", 1),
        ):
            sampler = WCGANOverSampler(
                max_iter=updates,
                sampling_strategy={1: n_keep + len(pool)},
                random_state=seed,
            )
            X_res, _ = sampler.fit_resample(X_fit, y_fit)
            sources[label] = X_res[len(X_fit) :][: len(pool)]
        fractions = [0.0, 0.25, 0.5, 1.0]
        n_added = [round(f * len(pool)) for f in fractions]
        for scoring in ("recall", "average_precision"):
            curve = augmentation_curve(
                xgb(),
                X_fit,
                y_fit,
                X_test,
                y_test,
                sources,
                n_added=n_added,
                scoring=scoring,
            )
            # Rows come source by source, n_added in order.
            curve["fraction_of_pool"] = np.tile(fractions, len(sources))
            curve["data"], curve["scoring"] = name, scoring
            rows.append(curve)
        print(name, "augmentation done", flush=True)
    return pd.concat(rows, ignore_index=True)


def plot_detection(curves, path):
    names = list(dict.fromkeys(curves["data"]))
    fig = _figure(figsize=(4 * len(names), 3.4))
    axes = fig.subplots(1, len(names), sharey=True)
    for ax, name in zip(np.atleast_1d(axes), names, strict=True):
        part = curves[curves["data"] == name]
        for variant, group in part.groupby("variant", sort=False):
            ax.plot(
                group["updates"], group["detection_accuracy"], marker="o", label=variant
            )
        ax.axhline(0.5, color="grey", linestyle="--")
        ax.set_xscale("log")
        ax.set_title(name)
        ax.set_xlabel("generator updates")
    np.atleast_1d(axes)[0].set_ylabel("detection accuracy (0.5 is ideal)")
    np.atleast_1d(axes)[-1].legend()
    fig.savefig(path, dpi=90)


def plot_augmentation(table, path):
    recall = table[table["scoring"] == "recall"]
    names = list(dict.fromkeys(recall["data"]))
    fig = _figure(figsize=(4 * len(names), 3.4))
    axes = fig.subplots(1, len(names))
    for ax, name in zip(np.atleast_1d(axes), names, strict=True):
        part = recall[recall["data"] == name]
        for source, group in part.groupby("source", sort=False):
            ax.plot(group["fraction_of_pool"], group["score"], marker="o", label=source)
        ax.set_title(name)
        ax.set_xlabel("added rows / held-back real rows")
    np.atleast_1d(axes)[0].set_ylabel("recall of the minority class")
    np.atleast_1d(axes)[-1].legend()
    fig.savefig(path, dpi=90)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True, help="path prefix of the results")
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    sets = load_datasets(args.data, DEV_SETS)
    curves = detection_curves(sets)
    table = augmentation(sets)
    out = Path(args.out)
    plot_detection(curves, out.with_name(out.name + "_detection.png"))
    plot_augmentation(table, out.with_name(out.name + "_augmentation.png"))
    mean = curves.pivot_table(
        index="variant", columns="updates", values="detection_accuracy", sort=False
    )
    dcr = curves.pivot_table(
        index="variant",
        columns="updates",
        values="dcr_ratio",
        aggfunc="median",
        sort=False,
    )
    seconds = curves.pivot_table(
        index="variant", columns="updates", values="fit_seconds", sort=False
    )
    aug = table.pivot_table(
        index=["scoring", "source"],
        columns="fraction_of_pool",
        values="score",
        sort=False,
    )
    lines = [
        "# Detection accuracy over training, and the augmentation experiment",
        "",
        f"- machine: {machine_line()}; torch and XGBoost single-threaded",
        "- command: `benchmarks/training_curves.py "
        f"--data {args.data} --out {args.out}`",
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
        "",
        "## Detection accuracy (protocol 2) after each number of generator updates",
        "",
        "Mean over the six dev sets (0.5 is ideal):",
        "",
        mean.to_markdown(floatfmt=".3f"),
        "",
        "Median DCR ratio over the six dev sets (about 1 is healthy; below 0.5",
        "copies):",
        "",
        dcr.to_markdown(floatfmt=".2f"),
        "",
        "Mean fit time (s) of the protocol's fit:",
        "",
        seconds.to_markdown(floatfmt=".1f"),
        "",
        "Per data set:",
        "",
        curves.pivot_table(
            index=["data", "variant"],
            columns="updates",
            values="detection_accuracy",
            sort=False,
        ).to_markdown(floatfmt=".2f"),
        "",
        f"![detection over training]({out.name}_detection.png)",
        "",
        "## Augmentation: minority rows added to a training half with 20% of them",
        "",
        "Mean over the six dev sets, by fraction of the held-back real rows added",
        "(the same number of rows from each source):",
        "",
        aug.to_markdown(floatfmt=".3f"),
        "",
        f"![augmentation]({out.name}_augmentation.png)",
        "",
    ]
    out.with_suffix(".md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
