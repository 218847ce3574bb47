"""What gives generated windows away: the strong judge's evidence, by part (issue 22).

Usage::

    python benchmarks/series_diagnosis.py \
        --out benchmarks/results/series_diagnosis_<date>.md

On Stocks and the exchange rates (each column min-max scaled, windows of 24,
stride 1, as ``series.py`` does), ``GANSeriesSynthesizer()`` with its
defaults and a VAR(2) each draw as many windows as the data has. The judge of
protocol 5 (XGBoost on the flattened windows and their step-to-step
differences, :func:`skgan.metrics.detection_score`) is then run again on one
part of what it sees at a time, so that the accuracy of each part says how
much of the giveaway it holds (0.5: none):

- ``level``: each channel's mean over the window;
- ``spread``: each channel's standard deviation over the window;
- ``values``: the flattened windows alone; ``differences``: their first
  differences alone;
- ``difference marginals``: each channel's differences sorted within the
  window (their distribution, order lost);
- ``cross-channel``: every pair of channels' difference at every step;
- ``channel c``: one channel's values and differences.

Beside the parts, the full judge's gain importance summed by channel and by
kind (value or difference), and by step.

Last, what each structure of the real windows is worth to the judge: half
the real windows against the other half with one structure broken (each
window rebuilt from its first value and its changes, recentred on its own
mean):

- ``steps reordered``: a window's changes in a random order (whole steps,
  so the channels' joint move at each step is kept);
- ``steps from anywhere``: each step's change (all channels) drawn from any
  window's;
- ``channels from other windows``: each channel's changes from a different
  window;
- ``movement of another window``: another window's changes on this
  window's level.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from xgboost import XGBClassifier

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line  # noqa: E402
from series import DATA, LENGTH, scaled, stocks, var_windows  # noqa: E402

from skgan import GANSeriesSynthesizer  # noqa: E402
from skgan.anomaly import make_windows  # noqa: E402
from skgan.metrics import detection_score  # noqa: E402


def exchange():
    series = scaled("exchange_rate.csv")
    return series, make_windows(series, LENGTH)


def parts(w):
    """Name to the features of one part of the judge's view, per window."""
    n, length, channels = w.shape
    diffs = np.diff(w, axis=1)
    out = {
        "windows + differences (the judge)": np.c_[
            w.reshape(n, -1), diffs.reshape(n, -1)
        ],
        "level": w.mean(axis=1),
        "spread": w.std(axis=1),
        "values": w.reshape(n, -1),
        "differences": diffs.reshape(n, -1),
        "difference marginals": np.sort(diffs, axis=1).reshape(n, -1),
    }
    if channels > 1:
        i, j = np.triu_indices(channels, k=1)
        out["cross-channel"] = (w[:, :, i] - w[:, :, j]).reshape(n, -1)
    for c in range(channels):
        out[f"channel {c}"] = np.c_[w[:, :, c], diffs[:, :, c]]
    return out


def importance(real, synthetic, names, seed=0):
    """The full judge's gain, summed by channel, kind and step (shares)."""
    n = min(len(real), len(synthetic))
    view = parts(np.concatenate([real[:n], synthetic[:n]]))
    X = view["windows + differences (the judge)"]
    y = np.r_[np.ones(n), np.zeros(n)]
    model = XGBClassifier(n_estimators=200, max_depth=6, n_jobs=1, random_state=seed)
    model.fit(X, y)
    gain = model.get_booster().get_score(importance_type="total_gain")
    length, channels = real.shape[1], real.shape[2]
    rows = []
    for j in range(X.shape[1]):
        kind = "value" if j < length * channels else "difference"
        k = j if kind == "value" else j - length * channels
        rows.append(
            {
                "channel": names[k % channels],
                "kind": kind,
                "step": k // channels,
                "gain": gain.get(f"f{j}", 0.0),
            }
        )
    frame = pd.DataFrame(rows)
    frame["gain"] /= frame["gain"].sum()
    by_channel = frame.pivot_table(
        index="channel", columns="kind", values="gain", aggfunc="sum"
    ).loc[names]
    by_step = frame.groupby("step")["gain"].sum()
    return by_channel, by_step


def _rebuild(windows, changes):
    """Windows from ``changes``, each recentred on the mean of ``windows``'."""
    out = np.concatenate(
        [np.zeros_like(changes[:, :1]), np.cumsum(changes, axis=1)], axis=1
    )
    return out - out.mean(axis=1, keepdims=True) + windows.mean(axis=1, keepdims=True)


def broken(windows, seed=0):
    """The judge on half the real windows against the other half, altered."""
    rng = np.random.default_rng(seed)
    windows = windows[rng.permutation(len(windows))]
    half = len(windows) // 2
    first, second = windows[:half], windows[half : 2 * half]
    changes = np.diff(second, axis=1)
    n, steps, channels = changes.shape
    order = np.argsort(rng.random((n, steps)), axis=1)
    pool = changes.reshape(-1, channels)
    crossed = changes.copy()
    for c in range(channels):
        crossed[:, :, c] = changes[rng.permutation(n), :, c]
    altered = {
        "none (real against real)": second,
        "steps reordered": _rebuild(
            second, np.take_along_axis(changes, order[:, :, None], axis=1)
        ),
        "steps from anywhere": _rebuild(
            second, pool[rng.integers(len(pool), size=(n, steps))]
        ),
        "channels from other windows": _rebuild(second, crossed),
        "movement of another window": _rebuild(second, changes[rng.permutation(n)]),
    }
    view = parts(first)["windows + differences (the judge)"]
    return {
        name: detection_score(
            view,
            parts(other)["windows + differences (the judge)"],
            random_state=seed,
        ).accuracy
        for name, other in altered.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--params", type=json.loads, default={}, help="GANSeriesSynthesizer parameters"
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    sections = []
    sets = {
        "Stocks": (stocks, list(pd.read_csv(DATA / "stock_data.csv").columns)),
        "exchange rates": (
            exchange,
            list(pd.read_csv(DATA / "exchange_rate.csv").columns),
        ),
    }
    for name, (load, names) in sets.items():
        series, windows = load()
        fit_start = time.perf_counter()
        synth = GANSeriesSynthesizer(random_state=args.seed, **args.params)
        synth.fit(windows)
        fit_s = time.perf_counter() - fit_start
        models = {
            "GANSeriesSynthesizer()": synth.sample(len(windows), random_state=1),
            "VAR(2)": var_windows(series, windows, len(windows), args.seed),
        }
        table = {}
        for model, generated in models.items():
            real_parts, fake_parts = parts(windows), parts(generated)
            table[model] = {
                part: detection_score(
                    real_parts[part], fake_parts[part], random_state=args.seed
                ).accuracy
                for part in real_parts
            }
            print(name, model, table[model], file=sys.stderr, flush=True)
        frame = pd.DataFrame(table)
        frame.index = [
            f"channel {names[int(i.split()[1])]}" if i.startswith("channel ") else i
            for i in frame.index
        ]
        by_channel, by_step = importance(
            windows, models["GANSeriesSynthesizer()"], names, args.seed
        )
        sections += [
            f"## {name} ({len(windows)} windows of {LENGTH}, fit {fit_s:.0f} s)",
            "",
            "Detection accuracy of the judge on one part of its view at a time "
            "(0.5: the part holds nothing):",
            "",
            frame.to_markdown(floatfmt=".3f"),
            "",
            "The full judge's gain on `GANSeriesSynthesizer()`'s windows, by "
            "channel and kind (shares of the total):",
            "",
            by_channel.to_markdown(floatfmt=".3f"),
            "",
            "By step (0 = the window's first): "
            + ", ".join(f"{v:.3f}" for v in by_step.to_numpy()),
            "",
            "The judge on half the real windows against the other half with one "
            "structure broken (what each structure is worth to it):",
            "",
            pd.Series(broken(windows, args.seed), name="accuracy").to_markdown(
                floatfmt=".3f"
            ),
            "",
        ]
    text = "\n".join(
        [
            "# What gives generated windows away (issue 22, point 1)",
            "",
            f"- machine: {machine_line()}; torch and XGBoost single-threaded",
            f"- command: `{' '.join(sys.argv)}`",
            f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
            "",
            *sections,
        ]
    )
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
