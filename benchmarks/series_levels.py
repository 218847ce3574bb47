"""Where the generated windows miss issue 22's targets: the level or the movement.

Usage::

    python benchmarks/series_levels.py --seeds 2 \
        --out benchmarks/results/series_levels_<date>.md

The split of ``series_targets.py`` (first 80% trains, last 20% is the DCR
holdout). ``GANSeriesSynthesizer()`` is fitted once per series and seed; its
windows are taken apart into their level (each channel's mean over the
window) and their movement about it, and put together again with levels from
elsewhere:

- ``GAN``: the windows as generated;
- ``GAN movement, real levels``: each generated movement on the level of a
  training window drawn at random (what a perfect level model would give);
- ``real movement, GAN levels``: the converse;
- ``GAN movement, mixture levels``: levels drawn from the Gaussian mixture
  of the training windows' levels that ``level_model="mixture"`` fits (full
  covariances, 1 to 64 components by BIC), each paired with a generated
  movement at random, as that option does;
- ``GAN movement matched to mixture levels``: the same levels, each given the
  movement of the unused generated window (of ``8 n`` drawn) whose own level
  lies nearest, so that a movement stays near the level it was generated at.

Each is judged as in ``series_targets.py``: the strong judge (XGBoost on
windows and their differences), the predictive score over the real-trained
one and the DCR ratio against the last 20%. Torch on one thread per job.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from joblib import Parallel, delayed
from sklearn.neighbors import NearestNeighbors

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line, report  # noqa: E402
from series_targets import SETS, figures, split  # noqa: E402

from skgan import GANSeriesSynthesizer  # noqa: E402
from skgan.metrics import predictive_score  # noqa: E402
from skgan.synthesis._series_levels import (  # noqa: E402
    draw_levels,
    fit_level_mixture,
    on_levels,
)

CANDIDATES = 8
NEIGHBOURS = 64


def matched(candidates, levels, scale, seed):
    """For each level, the unused candidate whose own level lies nearest."""
    own = candidates.mean(axis=1)
    nearest = NearestNeighbors(n_neighbors=NEIGHBOURS).fit(own / scale)
    order = nearest.kneighbors(levels / scale)[1]
    used = np.zeros(len(candidates), dtype=bool)
    chosen = np.empty(len(levels), dtype=int)
    rng = np.random.RandomState(seed)
    for row in rng.permutation(len(levels)):
        free = order[row][~used[order[row]]]
        pick = free[0] if len(free) else rng.choice(np.flatnonzero(~used))
        used[pick], chosen[row] = True, pick
    return on_levels(candidates[chosen], levels)


def one(name, csv, seed):
    """Every variant's three figures on one series and seed."""
    torch.set_num_threads(1)
    _, windows, holdout = split(csv)
    n = len(windows)
    gan = GANSeriesSynthesizer(random_state=seed).fit(windows)
    generated = gan.sample(n, random_state=seed + 1)
    candidates = gan.sample(CANDIDATES * n, random_state=seed + 2)
    real_levels = windows.mean(axis=1)
    shuffled = real_levels[np.random.RandomState(seed).permutation(n)]
    # The mixture of level_model="mixture", drawn as its sample() draws.
    mixture = fit_level_mixture(windows, seed)
    levels = draw_levels(mixture, n, np.random.RandomState(seed))
    components = len(mixture["weights"])
    variants = {
        "GAN": generated,
        "GAN movement, real levels": on_levels(generated, shuffled),
        "real movement, GAN levels": on_levels(windows, generated.mean(axis=1)),
        "GAN movement, mixture levels": on_levels(generated, levels),
        "GAN movement matched to mixture levels": matched(
            candidates, levels, real_levels.std(axis=0), seed
        ),
    }
    own = predictive_score(windows, windows)
    rows = []
    for variant, fake in variants.items():
        rows.append(
            {
                "series": name,
                "seed": seed,
                "variant": variant,
                **figures(windows, fake, holdout, own, seed),
                "mixture components": components,
            }
        )
    print(name, seed, "done", file=sys.stderr, flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out")
    args = parser.parse_args()
    start = time.perf_counter()
    results = Parallel(n_jobs=args.jobs)(
        delayed(one)(name, csv, seed)
        for seed in range(args.seeds)
        for name, csv in SETS.items()
    )
    df = pd.DataFrame([row for result in results for row in result])
    figures = ["detection (XGBoost, +diffs)", "predictive / real-trained", "DCR ratio"]
    table = df.pivot_table(
        index=["series", "variant"], columns="seed", values=figures, sort=False
    )
    table.columns = [f"{figure}, seed {seed}" for figure, seed in table.columns]
    text = "\n".join(
        [
            "# Level or movement: where the generated windows miss (issue 22)",
            "",
            f"- machine: {machine_line()}; one torch thread per job",
            f"- command: `{' '.join(sys.argv)}`",
            f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
            "- mixture components (BIC), per series and seed: "
            + ", ".join(
                f"{s} seed {d}: {c}"
                for (s, d), c in df.groupby(["series", "seed"])["mixture components"]
                .first()
                .items()
            ),
            "",
            table.reset_index().to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
    )
    report(text, args.out)


if __name__ == "__main__":
    main()
