"""Where a sampler's fit spends its time: a cProfile summary by concern.

Usage::

    python benchmarks/profile_fit.py --data ../shared/data/adbench \
        'WCGANOverSampler(random_state=0)' 'GANOverSampler(random_state=0)'

Each expression is fitted once to warm the process, then profiled on a
second fit (44_Wilt by default, one torch thread). The summary groups the
profile's own time by concern: the critic's and the generator's backward
passes, forward passes, the optimizer, batch draws, scaling, sampling.
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

import numpy as np
import torch
from imblearn.over_sampling import SMOTE  # noqa: F401 (for expressions)

from skgan import GANOverSampler, WCGANOverSampler  # noqa: F401

#: (label, substrings of "file:function") in order of precedence.
CONCERNS = [
    ("autograd backward (all networks)", ["run_backward"]),
    ("linear layers forward", ["torch._C._nn.linear", "addmm"]),
    ("optimizer", ["optim", "_fused_adam", "foreach_add", "zero_grad"]),
    ("batch norm, activations", ["batch_norm", "leaky_relu", "softmax"]),
    ("batch draws", ["multinomial", "searchsorted", "randint", "draw"]),
    ("scaling (quantile maps)", ["_numeric.py", "interp", "percentile", "partition"]),
    ("torch module call overhead", ["module.py", "container.py", "linear.py"]),
    ("autograd bookkeeping", ["autograd", "_make_grads", "graph.py"]),
]


def summarise(profile):
    """Own time per concern, in seconds, from a cProfile run."""
    stats = pstats.Stats(profile)
    totals = dict.fromkeys([label for label, _ in CONCERNS] + ["other"], 0.0)
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():
        key = f"{filename}:{function}"
        for label, needles in CONCERNS:
            if any(needle in key for needle in needles):
                totals[label] += own
                break
        else:
            totals["other"] += own
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--set", default="44_Wilt")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("samplers", nargs="+")
    args = parser.parse_args()
    torch.set_num_threads(1)
    data = np.load(Path(args.data) / f"{args.set}.npz")
    X, y = data["X"].astype(np.float64), data["y"].astype(np.int64)
    for expression in args.samplers:
        eval(expression).fit_resample(X, y)
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        eval(expression).fit_resample(X, y)
        profile.disable()
        seconds = time.perf_counter() - start
        print(f"### `{expression}` on {args.set}: {seconds:.2f} s\n")
        print("| concern | own seconds | share |\n|---|---|---|")
        totals = summarise(profile)
        whole = sum(totals.values())
        for label, own in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"| {label} | {own:.2f} | {own / whole:.0%} |")
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(args.top)
        lines = [line for line in text.getvalue().splitlines() if line.strip()]
        start_row = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print("\nTop functions by own time:\n\n```")
        print("\n".join(lines[start_row:]))
        print("```\n", flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
