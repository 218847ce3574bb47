"""Protocol 2 (detection accuracy, DCR ratio, fit time) for candidate defaults.

Usage::

    python benchmarks/sweep_defaults.py --data ../shared/data/adbench \
        'WCGANOverSampler(random_state=0, max_iter=300, n_critic=2)'

Each argument is an expression building a sampler; it is scored with the same
split as benchmarks/oversampling.py, single-threaded, averaged over the
sampler seeds ``0 .. --seeds - 1``, on the six dev sets
(``--sets dev6``, the default) or on every data set (``--sets all``). One line
per sampler: mean detection accuracy, median DCR ratio, mean and max fit time,
then the detection accuracy per data set.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from imblearn.over_sampling import SMOTE, RandomOverSampler  # noqa: F401 (for expressions)

sys.path.insert(0, str(Path(__file__).parent))
from _common import DEV_SETS, detection_protocol, load_datasets  # noqa: E402

from skgan import GANOverSampler, WCGANOverSampler  # noqa: E402, F401


def average(results):
    """Mean of each measure over the runs of one data set."""
    return {key: np.mean([r[key] for r in results]) for key in results[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--sets", choices=["dev6", "all"], default="dev6")
    parser.add_argument(
        "--seeds", type=int, default=1, help="sampler seeds 0..N-1 to average over"
    )
    parser.add_argument("samplers", nargs="+", help="Python expressions")
    args = parser.parse_args()
    torch.set_num_threads(1)
    sets = load_datasets(args.data, DEV_SETS if args.sets == "dev6" else None)
    for expression in args.samplers:
        results = {
            name: average(
                [
                    detection_protocol(
                        eval(expression).set_params(random_state=seed), X, y
                    )
                    for seed in range(args.seeds)
                ]
            )
            for name, (X, y) in sets.items()
        }
        values = list(results.values())
        seconds = [r["fit_seconds"] for r in values]
        per_set = " ".join(
            f"{name.split('_', 1)[-1][:6]}={r['detection_accuracy']:.2f}"
            for name, r in results.items()
        )
        print(
            f"| `{expression}` "
            f"| {np.mean([r['detection_accuracy'] for r in values]):.3f} "
            f"| {np.median([r['dcr_ratio'] for r in values]):.2f} "
            f"| {np.mean(seconds):.1f} | {np.max(seconds):.1f} | {per_set} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
