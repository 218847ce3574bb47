"""Series generation: GANSeriesSynthesizer against VAR(2) and a block bootstrap.

TimeGAN's protocol (``../shared/data/series/README.md``): each column
min-max scaled, windows of 24 steps (stride 1), shuffled.

- **Stocks** (the TimeGAN paper's set) and **Sines** (5 channels, ``sin(f t +
  p)`` with ``f, p ~ U[0, 0.1]`` per window and channel, 10,000 windows).
- Models: ``GANSeriesSynthesizer(max_iter=...)``; a VAR(2) fitted by
  statsmodels on the scaled series (Stocks) or on each window's channels
  pooled (Sines), simulated from a random real window's first two steps; a
  jittered block bootstrap (real windows plus Gaussian noise of 0.01),
  a copying baseline the DCR ratio must catch.
- Measures, each model's synthetic windows against the real ones (as many):
  the discriminative and predictive scores (post-hoc GRUs, TimeGAN's
  iterations), the XGBoost detector on windows and their differences, the
  autocorrelation distance, and on Sines (stationary) the DCR ratio of
  flattened windows against held-out real windows. Real data's own
  predictive score beside them.
- **BasicMotions**: one GAN per class (defaults, three seeds); a random forest
  on window summaries
  (mean, standard deviation, mean absolute step per channel) trained on
  generated windows and on the real training windows, both tested on the
  real test split.
- Fit times, one thread.

Usage::

    python benchmarks/series.py --out benchmarks/results/series_<date>.md
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line  # noqa: E402

from skgan import GANSeriesSynthesizer  # noqa: E402
from skgan.anomaly import make_windows  # noqa: E402
from skgan.metrics import (  # noqa: E402
    autocorrelation_distance,
    dcr_ratio,
    discriminative_score,
    predictive_score,
    window_detection_score,
)

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "series"
LENGTH = 24


def scaled(csv):
    """A series of ``DATA`` with each column min-max scaled (protocol 5)."""
    table = pd.read_csv(DATA / csv).to_numpy(dtype=float)
    low, high = table.min(axis=0), table.max(axis=0)
    return (table - low) / (high - low)


def stocks():
    series = scaled("stock_data.csv")
    return series, make_windows(series, LENGTH)


def sines(n, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(LENGTH)[None, :, None]
    f, p = rng.uniform(0, 0.1, (2, n, 1, 5))
    return (np.sin(f * t + p) + 1) / 2


def var_windows(series, windows, n, seed):
    from statsmodels.tsa.api import VAR

    rng = np.random.default_rng(seed)
    if series is None:
        # Pooled over windows: each window a short series of its own.
        fit = VAR(np.concatenate(list(windows[:500]))).fit(2)
    else:
        fit = VAR(series).fit(2)
    starts = windows[rng.integers(len(windows), size=n)][:, :2]
    out = np.empty((n, LENGTH, windows.shape[2]))
    noise = rng.multivariate_normal(
        np.zeros(windows.shape[2]), fit.sigma_u, (n, LENGTH)
    )
    out[:, :2] = starts
    for t in range(2, LENGTH):
        out[:, t] = (
            fit.intercept
            + out[:, t - 1] @ fit.coefs[0].T
            + out[:, t - 2] @ fit.coefs[1].T
            + noise[:, t]
        )
    return out


def block_bootstrap(windows, n, seed):
    rng = np.random.default_rng(seed)
    picked = windows[rng.integers(len(windows), size=n)]
    return picked + rng.normal(0, 0.01, picked.shape)


def judge(name, model, real, synthetic, seconds, holdout=None):
    row = {
        "data": name,
        "model": model,
        "discriminative": discriminative_score(real, synthetic),
        "predictive": predictive_score(real, synthetic),
        "detection (XGBoost, +diffs)": window_detection_score(
            real, synthetic, holdout=holdout
        ).accuracy,
        "autocorrelation distance": autocorrelation_distance(real, synthetic),
        "fit s": seconds,
    }
    if holdout is not None:
        flat = [w.reshape(len(w), -1) for w in (real, synthetic, holdout)]
        row["DCR ratio"] = dcr_ratio(*flat)
    print(row, file=sys.stderr, flush=True)
    return row


def timed(function):
    start = time.perf_counter()
    out = function()
    return out, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-iter", type=int, default=2000)
    parser.add_argument("--out")
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    rows = []
    series, windows = stocks()
    rng = np.random.default_rng(0)
    windows = windows[rng.permutation(len(windows))]
    n = len(windows)
    gan, seconds = timed(
        lambda: GANSeriesSynthesizer(max_iter=args.max_iter, random_state=0).fit(
            windows
        )
    )
    rows.append(
        judge("Stocks", "GANSeriesSynthesizer", windows, gan.sample(n), seconds)
    )
    fake, seconds = timed(lambda: var_windows(series, windows, n, 0))
    rows.append(judge("Stocks", "VAR(2)", windows, fake, seconds))
    rows.append(
        judge("Stocks", "block bootstrap", windows, block_bootstrap(windows, n, 0), 0.0)
    )
    real_own = predictive_score(windows, windows)

    train, holdout = sines(10_000, 0), sines(2_000, 1)
    gan, seconds = timed(
        lambda: GANSeriesSynthesizer(max_iter=args.max_iter, random_state=0).fit(train)
    )
    rows.append(
        judge(
            "Sines", "GANSeriesSynthesizer", train, gan.sample(10_000), seconds, holdout
        )
    )
    fake, seconds = timed(lambda: var_windows(None, train, 10_000, 0))
    rows.append(judge("Sines", "VAR(2)", train, fake, seconds, holdout))
    rows.append(
        judge(
            "Sines",
            "block bootstrap",
            train,
            block_bootstrap(train, 10_000, 0),
            0.0,
            holdout,
        )
    )
    sines_own = predictive_score(train, train)

    from sklearn.ensemble import RandomForestClassifier

    data = np.load(DATA / "basic_motions.npz", allow_pickle=True)

    def summary(w):
        return np.c_[
            w.mean(axis=1), w.std(axis=1), np.abs(np.diff(w, axis=1)).mean(axis=1)
        ]

    # The synthesizer's defaults (1,000 updates per class): the EMA's time
    # constant is 200 updates, so far shorter runs end on early weights.
    trtr = RandomForestClassifier(random_state=0).fit(
        summary(data["X_train"]), data["y_train"]
    )
    test = summary(data["X_test"])
    accuracies, fit_seconds = [], []
    for seed in range(3):
        gan, seconds = timed(
            lambda seed=seed: GANSeriesSynthesizer(random_state=seed).fit(
                data["X_train"], data["y_train"]
            )
        )
        labels = np.repeat(gan.classes_, 50)
        fake = gan.sample(len(labels), y=labels, random_state=seed + 1)
        tstr = RandomForestClassifier(random_state=0).fit(summary(fake), labels)
        accuracies.append(np.mean(tstr.predict(test) == data["y_test"]))
        fit_seconds.append(seconds)
    motions = pd.DataFrame(
        [
            {
                "trained on": "generated windows (50 per class; mean of seeds "
                f"0-2: {', '.join(f'{a:.3f}' for a in accuracies)})",
                "test accuracy": np.mean(accuracies),
                "fit s": np.mean(fit_seconds),
            },
            {
                "trained on": "real training windows (10 per class)",
                "test accuracy": np.mean(trtr.predict(test) == data["y_test"]),
                "fit s": 0.0,
            },
        ]
    )
    text = "\n".join(
        [
            "# Series generation",
            "",
            f"- machine: {machine_line()}, one torch thread",
            f"- command: `{' '.join(sys.argv)}`",
            f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
            f"- real data's own predictive score: Stocks {real_own:.3f}, "
            f"Sines {sines_own:.3f}",
            "",
            "## Stocks and Sines (TimeGAN's protocol)",
            "",
            pd.DataFrame(rows).to_markdown(index=False, floatfmt=".3f"),
            "",
            "## BasicMotions: a classifier trained on generated windows",
            "",
            motions.to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
    )
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
