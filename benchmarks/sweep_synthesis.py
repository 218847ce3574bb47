"""GANSynthesizer settings on the penguins, over several splits (protocol 2).

The penguins are small (172 training rows per split), so one split's
detection accuracy moves by several points: each setting runs on the same
``--seeds`` splits, in the same process, single-threaded.

Usage::

    python benchmarks/sweep_synthesis.py --seeds 3 \
        --out benchmarks/results/sweep_synthesis_<date>.md
"""

import argparse
import functools
import sys
from pathlib import Path

import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).parent))
import synthesis  # noqa: E402
from _common import machine_line  # noqa: E402

SETTINGS = {
    "default (batch auto, pac 5, EMA 0.995, >= 1,500 updates)": {},
    "no weight averaging": dict(ema_decay=None),
    "batch 100, pac 10 (CTGAN-like), no averaging": dict(
        batch_size=100, pac=10, ema_decay=None
    ),
    ">= 2,000 updates": dict(epochs=500),
    ">= 2,000 updates, no averaging": dict(epochs=500, ema_decay=None),
    "batch 50": dict(batch_size=50),
    "batch 200": dict(batch_size=200),
    # The penguins' 172 rows make 2 updates of 170 per pass: 750 passes are
    # the 1,500-update floor counted in updates (the default counts passes).
    "1,500 updates (750 passes)": dict(epochs=750),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out", default=None)
    parser.add_argument(
        "--settings", nargs="*", choices=list(SETTINGS), help="only these settings"
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    synthesis.N_COPY_CHECK = 10_000
    table = synthesis.load_tables("", [])["penguins"]
    rows = []
    for name, params in SETTINGS.items():
        if args.settings and name not in args.settings:
            continue
        make = functools.partial(synthesis.Synth, **params)
        for seed in range(args.seeds):
            row = synthesis.evaluate("penguins", table, name, make, seed)
            rows.append(row)
            print(name, seed, round(row["detection_accuracy"], 3), flush=True)
    results = pd.DataFrame(rows)
    summary = results.groupby("model", sort=False).agg(
        detection_accuracy=("detection_accuracy", "mean"),
        detection_per_split=(
            "detection_accuracy",
            lambda v: " / ".join(f"{x:.3f}" for x in v),
        ),
        dcr_ratio=("dcr_ratio", "median"),
        exact_copies_10k=("exact_copies_100k", "sum"),
        fit_seconds=("fit_seconds", "mean"),
    )
    text = [
        "# GANSynthesizer settings on the penguins",
        "",
        f"{machine_line()}; torch single-threaded. Protocol 2 on the whole table, "
        f"splits (seeds) 0-{args.seeds - 1}; exact copies among 10,000 samples "
        "per split, summed.",
        f"Command: `python benchmarks/sweep_synthesis.py {' '.join(sys.argv[1:])}`",
        "",
        summary.round(3).to_markdown(),
    ]
    if args.out:
        Path(args.out).write_text("\n".join(text) + "\n")
    print("\n".join(text))


if __name__ == "__main__":
    main()
