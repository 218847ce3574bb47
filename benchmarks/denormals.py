"""Seconds per training pass of GANSynthesizer with denormals flushed and without.

Usage::

    python benchmarks/denormals.py --data ../shared/data/tables --passes 30 \
        --out benchmarks/results/denormals_<date>.md

Per table of protocol 6 (``default``, ``beijing``), ``GANSynthesizer()`` at
its defaults but for ``--passes`` passes and no calibration is fitted twice
in one process on one torch thread: as the engine runs it (denormal floats
flushed to zero while it trains), and with the flush left off (the engine
is told the thread flushes already, so it leaves the setting alone). The
history's seconds per pass show whether passes slow down as training goes
on.
"""

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line  # noqa: E402
from tables import load  # noqa: E402

import skgan.utils._denormals as denormals  # noqa: E402
from skgan import GANSynthesizer  # noqa: E402


def run(train, passes, flush):
    original = denormals._flushing
    if not flush:
        denormals._flushing = lambda: True
    try:
        start = time.perf_counter()
        synth = GANSynthesizer(
            epochs=passes, calibrate_marginals=False, random_state=0
        ).fit(train)
        seconds = time.perf_counter() - start
    finally:
        denormals._flushing = original
    per_pass = [h["seconds"] for h in synth.history_]
    return {
        "denormals": "flushed" if flush else "kept",
        "updates": synth.n_iter_,
        "fit_s": seconds,
        "first pass s": per_pass[0],
        "last pass s": per_pass[-1],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="../shared/data/tables")
    parser.add_argument("--tables", nargs="*", default=["default", "beijing"])
    parser.add_argument("--passes", type=int, default=30)
    parser.add_argument("--out", help="markdown file to write")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    for table in args.tables:
        train, _, _ = load(Path(args.data) / table)
        for flush in (True, False):
            rows.append({"table": table, **run(train, args.passes, flush)})
            print(rows[-1], flush=True)
    frame = pd.DataFrame(rows)
    text = "\n".join(
        [
            "# Denormal floats and the speed of training",
            "",
            f"- machine: {machine_line()}; torch single-threaded, nothing else running",
            f"- command: `{' '.join(sys.argv)}`",
            f"- `GANSynthesizer(epochs={args.passes}, calibrate_marginals=False)`, "
            "both settings in one process",
            "",
            frame.to_markdown(index=False, floatfmt=".2f"),
            "",
        ]
    )
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
