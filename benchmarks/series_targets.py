"""Issue 22's series targets on Stocks and the exchange rates, split in time.

Protocol 5 of ``../shared/BENCHMARKS.md`` for our own judgement: each
channel min-max scaled, windows of 24 (stride 1); the first 80% of the
series trains the models, the windows of the last 20% are real windows no
model saw. Per series, ``GANSeriesSynthesizer()`` with its defaults, a VAR(2)
and the jittered block bootstrap of ``series.py``, each drawing as many
windows as the training part has:

- the strong judge (XGBoost on windows and their differences, 3-fold)
  against the training windows;
- the predictive score (a GRU trained on generated windows, tested on the
  training windows) beside the same GRU trained on the training windows;
- the DCR ratio of flattened windows, with the last 20% as the holdout
  (about 1 is healthy; the bootstrap, a copier, must read low);
- fit time on one thread.

Usage::

    python benchmarks/series_targets.py \
        --out benchmarks/results/series_targets_<date>.md
"""

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line, report  # noqa: E402
from series import LENGTH, block_bootstrap, scaled, var_windows  # noqa: E402

from skgan import GANSeriesSynthesizer  # noqa: E402
from skgan.anomaly import make_windows  # noqa: E402
from skgan.metrics import (  # noqa: E402
    dcr_ratio,
    predictive_score,
    window_detection_score,
)

SETS = {"Stocks": "stock_data.csv", "exchange rates": "exchange_rate.csv"}


def split(csv):
    """Scaled training series, its windows, and the last 20%'s windows."""
    series = scaled(csv)
    cut = int(0.8 * len(series))
    train = series[:cut]
    return train, make_windows(train, LENGTH), make_windows(series[cut:], LENGTH)


def figures(windows, fake, holdout, own, seed):
    """The judge, the predictive ratio (``own``: real-trained) and the DCR ratio."""
    return {
        "detection (XGBoost, +diffs)": window_detection_score(
            windows, fake, random_state=seed
        ).accuracy,
        "predictive / real-trained": predictive_score(windows, fake) / own,
        "DCR ratio": dcr_ratio(
            windows.reshape(len(windows), -1),
            fake.reshape(len(fake), -1),
            holdout.reshape(len(holdout), -1),
        ),
    }


def _call(params):
    """``key=value, ...`` of the parameters, as they read in a call."""
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--params", default="{}", help="GANSeriesSynthesizer parameters, as JSON"
    )
    parser.add_argument("--out")
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    rows = []
    for name, csv in SETS.items():
        series, windows, holdout = split(csv)
        n = len(windows)
        fit_start = time.perf_counter()
        params = json.loads(args.params)
        gan = GANSeriesSynthesizer(random_state=args.seed, **params).fit(windows)
        fit_s = time.perf_counter() - fit_start
        generated = gan.sample(n, random_state=args.seed + 1)
        models = {
            f"GANSeriesSynthesizer({_call(params)})": (generated, fit_s),
            "VAR(2)": (var_windows(series, windows, n, args.seed), np.nan),
            "block bootstrap": (block_bootstrap(windows, n, args.seed), 0.0),
        }
        own = predictive_score(windows, windows)
        for model, (fake, seconds) in models.items():
            row = {
                "series": name,
                "model": model,
                **figures(windows, fake, holdout, own, args.seed),
                "fit s": seconds,
            }
            print(row, file=sys.stderr, flush=True)
            rows.append(row)
    text = "\n".join(
        [
            "# Issue 22's series targets, split in time",
            "",
            f"- machine: {machine_line()}; one torch thread",
            f"- command: `{shlex.join(sys.argv)}`",
            f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
            "",
            pd.DataFrame(rows).to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
    )
    report(text, args.out)


if __name__ == "__main__":
    main()
