"""Issue 20: the samplers' training budget, chosen by cross-validation over data sets.

Usage::

    python benchmarks/sweep_budget.py run --data ../shared/data/adbench \
        --cache benchmarks/results/sweep_budget.json --label now --seeds 2 \
        --sampler gan --rule 'fixed' --rule 'passes=100,floor=150,cap=3000'
    python benchmarks/sweep_budget.py report \
        --cache benchmarks/results/sweep_budget.json --out sweep_budget_<date>.md

``run`` scores protocol 2 of ../shared/BENCHMARKS.md (detection accuracy, DCR
ratio, fit seconds) for every data set, sampler seed and budget rule, and adds
each result to the JSON cache as soon as it is measured, so that an
interrupted sweep resumes where it stopped. A rule is the ``max_iter`` the
sampler gets for the |A| minority rows it learns:
``clip(ceil(passes * |A| / batch_size), floor, cap)`` generator updates
(``fixed`` is the sampler's own default, whatever the tree on ``PYTHONPATH``
makes of it: run with the parent of commit 23a02d4 on the path and
``--label old`` for the defaults before the update budget).

``report`` splits the data sets into two halves fixed before any result (sorted
by minority rows, alternating), picks per sampler the rule with the lowest
mean detection accuracy among those with a median DCR ratio of at least 0.9
on one half, reports it on the other half, and the reverse; then writes
every rule's figures per data set.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

import pandas as pd
import torch
from joblib import Parallel, delayed

sys.path.insert(0, str(Path(__file__).parent))
from _common import detection_protocol, load_datasets, machine_line  # noqa: E402

import skgan  # noqa: E402
from skgan import GANOverSampler, WCGANOverSampler  # noqa: E402

SAMPLERS = {"gan": GANOverSampler, "wcgan": WCGANOverSampler}
#: The four larger sets that joined the dev sets for issue 20.
LARGE = ["1_ALOI", "8_celeba", "10_cover", "17_InternetAds"]


def parse_rule(text):
    """``"fixed"`` or ``"passes=P,floor=F,cap=C[,width=1]"`` as a dict (or None)."""
    if text == "fixed":
        return None
    rule = {k: float(v) for k, v in (part.split("=") for part in text.split(","))}
    return {
        "passes": rule["passes"],
        "floor": int(rule["floor"]),
        "cap": int(rule["cap"]),
        "width": bool(rule.get("width", 0)),
    }


def budget(rule, n_rows, batch_size, n_columns):
    """Generator updates a rule gives a class of ``n_rows`` rows.

    With ``width=1`` the package's rule (:func:`skgan.nn._budget.auto_max_iter`,
    fewer passes when the class has fewer rows than columns); without, the
    same rule blind to the width.
    """
    passes = rule["passes"]
    if rule["width"]:
        passes *= min(1.0, n_rows / n_columns)
    updates = math.ceil(passes * n_rows / batch_size)
    return int(min(max(updates, rule["floor"]), rule["cap"]))


def halves(sets):
    """Two halves of the data sets, alternating in the order of minority size."""
    order = sorted(sets, key=lambda name: (int((sets[name][1] == 1).sum()), name))
    return order[0::2], order[1::2]


def one(data_dir, name, sampler, rule_text, seed, extra):
    torch.set_num_threads(1)
    X, y = load_datasets(data_dir, [name])[name]
    estimator = SAMPLERS[sampler](random_state=seed, **extra)
    rule = parse_rule(rule_text)
    n_a = int((y == 1).sum()) // 2  # |A| of the 50/50 split (B gets the odd row)
    if rule is not None:
        estimator.set_params(
            max_iter=budget(rule, n_a, estimator.batch_size, X.shape[1])
        )
    start = time.perf_counter()
    result = detection_protocol(estimator, X, y)
    result["wall_s"] = time.perf_counter() - start
    result["n_iter"] = updates(estimator)
    return result


def updates(sampler):
    """Generator updates of the largest class's model (any tree's samplers)."""
    engines = list(getattr(sampler, "models_", {}).values())
    engines += [sampler.model_] if hasattr(sampler, "model_") else []
    return max(
        getattr(m, "n_iter_", len(m.history_) * getattr(m, "steps_per_epoch_", 0))
        for m in engines
    )


def run(args):
    cache = Path(args.cache)
    results = json.loads(cache.read_text()) if cache.exists() else []
    done = {
        (r["label"], r["sampler"], r["rule"], r["data"], r["seed"]) for r in results
    }
    extra = json.loads(args.params) if args.params else {}
    names = list(load_datasets(args.data, args.sets))
    todo = [
        (name, rule, seed)
        for rule in args.rule
        for name in names
        for seed in range(args.seeds)
        if (args.label, args.sampler, rule, name, seed) not in done
    ]
    tasks = (
        delayed(
            lambda n, r, s: (n, r, s, one(args.data, n, args.sampler, r, s, extra))
        )(name, rule, seed)
        for name, rule, seed in todo
    )
    for name, rule, seed, result in Parallel(
        n_jobs=args.jobs, return_as="generator_unordered"
    )(tasks):
        results.append(
            {
                "label": args.label,
                "sampler": args.sampler,
                "rule": rule,
                "data": name,
                "seed": seed,
                "skgan": skgan.__file__,
                **result,
            }
        )
        cache.write_text(json.dumps(results, indent=1, default=float))
        print(
            f"{args.label} {args.sampler} {rule} {name} seed={seed}: "
            f"detection {result['detection_accuracy']:.3f} "
            f"DCR {result['dcr_ratio']:.2f} {result['fit_seconds']:.1f} s "
            f"({result['n_iter']} updates)",
            flush=True,
        )


def summarise(df, sets):
    """Mean detection, median DCR ratio and mean fit seconds over ``sets``."""
    part = df[df["data"].isin(sets)]
    return part.groupby(["sampler", "candidate"]).agg(
        detection=("detection_accuracy", "mean"),
        dcr_ratio=("dcr_ratio", "median"),
        fit_s=("fit_seconds", "mean"),
        n_sets=("data", "nunique"),
    )


def report(args):
    df = pd.DataFrame(
        [r for cache in args.cache for r in json.loads(Path(cache).read_text())]
    )
    df["candidate"] = df["label"] + " " + df["rule"]
    # Average the seeds first: one row per sampler, candidate and data set.
    per = (
        df.groupby(["sampler", "candidate", "data"])
        .agg(
            detection_accuracy=("detection_accuracy", "mean"),
            dcr_ratio=("dcr_ratio", "mean"),
            fit_seconds=("fit_seconds", "mean"),
            n_iter=("n_iter", "mean"),
            seeds=("seed", "nunique"),
        )
        .reset_index()
    )
    sets = load_datasets(args.data) if args.data else None
    first, second = halves(sets)
    lines = [
        "# The samplers' training budget, cross-validated over data sets (issue 20)",
        "",
        f"- machine: {machine_line()}; torch single-threaded; runs two at a time, so "
        "seconds compare within this file only",
        f"- command: `{' '.join(sys.argv)}` (the results of `sweep_budget.py run`)",
        "- protocol 2 (detection accuracy, 0.5 = limit; DCR ratio, about 1 = healthy); "
        "a rule gives `clip(ceil(passes * |A| / batch_size), floor, cap)` generator "
        "updates for the |A| minority rows the sampler learns; `fixed` is the "
        "sampler's own default; `old fixed` the defaults of the parent of commit "
        "23a02d4 (passes over the rows)",
        f"- half 1: {', '.join(first)}",
        f"- half 2: {', '.join(second)}",
        "",
    ]
    for sampler in sorted(per["sampler"].unique()):
        mine = per[per["sampler"] == sampler]
        complete = [
            c
            for c, g in mine.groupby("candidate")
            if set(first + second) <= set(g["data"])
        ]
        lines += [f"## {SAMPLERS[sampler].__name__}", ""]
        everything = summarise(mine, first + second).loc[sampler]
        small = summarise(mine, [n for n in first + second if n not in LARGE])
        lines += [
            "All fifteen data sets (and `detection_11`: the eleven without the "
            "four large ones):",
            "",
            everything.drop(columns="n_sets")
            .assign(
                detection_11=small.loc[sampler]["detection"],
                n_sets=everything["n_sets"],
            )
            .to_markdown(floatfmt=".3f"),
            "",
        ]
        for pick, show, label in [(first, second, "1 -> 2"), (second, first, "2 -> 1")]:
            on_pick = summarise(mine, pick).loc[sampler]
            on_show = summarise(mine, show).loc[sampler]
            # A rule that failed on a data set (early stopping cannot hold
            # rows out of a class of 5) is shown, never picked.
            eligible = on_pick[
                (on_pick["dcr_ratio"] >= 0.9) & on_pick.index.isin(complete)
            ]
            if "old fixed" in eligible.index:
                # The old defaults are the reference, not a candidate.
                eligible = eligible.drop("old fixed")
            best = eligible["detection"].idxmin() if len(eligible) else None
            table = on_pick.join(on_show, lsuffix="_pick", rsuffix="_other")
            lines += [
                f"### Picked on half {label[0]}, reported on half {label[-1]}",
                "",
                f"Pick: `{best}`",
                "",
                table.drop(columns=["n_sets_pick", "n_sets_other"]).to_markdown(
                    floatfmt=".3f"
                ),
                "",
            ]
        lines += ["### Per data set: detection accuracy / DCR ratio (updates)", ""]
        cell = (
            mine["detection_accuracy"].map("{:.2f}".format)
            + " / "
            + mine["dcr_ratio"].map("{:.2f}".format)
            + " ("
            + mine["n_iter"].round().astype(int).astype(str)
            + ")"
        )
        order = first + second
        lines += [
            mine.assign(cell=cell)
            .pivot(index="data", columns="candidate", values="cell")
            .reindex(order)
            .to_markdown(),
            "",
            "Fit seconds per data set:",
            "",
            mine.pivot(index="data", columns="candidate", values="fit_seconds")
            .reindex(order)
            .to_markdown(floatfmt=".1f"),
            "",
        ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--data", required=True)
    r.add_argument("--cache", required=True)
    r.add_argument("--label", default="now")
    r.add_argument("--sampler", choices=sorted(SAMPLERS), required=True)
    r.add_argument("--rule", action="append", required=True)
    r.add_argument("--seeds", type=int, default=2)
    r.add_argument("--sets", nargs="*")
    r.add_argument("--jobs", type=int, default=2)
    r.add_argument("--params", help="JSON of other sampler parameters")
    p = sub.add_parser("report")
    p.add_argument("--data", required=True)
    p.add_argument("--cache", nargs="+", required=True)
    p.add_argument("--out")
    args = parser.parse_args()
    run(args) if args.command == "run" else report(args)


if __name__ == "__main__":
    main()
