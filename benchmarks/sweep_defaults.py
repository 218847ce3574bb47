"""Protocol 2 (detection accuracy, DCR ratio, fit time) for candidate defaults.

Usage::

    python benchmarks/sweep_defaults.py --data ../shared/data/adbench \
        'WCGANOverSampler(random_state=0, epochs=150, generator_lr=2e-3)'

Each argument is an expression building a sampler; it is scored on the six dev
sets with the same split as benchmarks/oversampling.py, single-threaded.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("samplers", nargs="+", help="Python expressions")
    args = parser.parse_args()
    torch.set_num_threads(1)
    sets = load_datasets(args.data, DEV_SETS)
    for expression in args.samplers:
        results = [detection_protocol(eval(expression), X, y) for X, y in sets.values()]
        print(
            f"| `{expression}` "
            f"| {np.mean([r['detection_accuracy'] for r in results]):.3f} "
            f"| {np.median([r['dcr_ratio'] for r in results]):.2f} "
            f"| {np.mean([r['fit_seconds'] for r in results]):.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
