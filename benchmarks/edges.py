"""Issue 12's measured edges: label proportions, precision, class support.

Usage::

    python benchmarks/edges.py --out benchmarks/results/edges_<date>.md

1. An int64 0/1 label (12.5% ones drawn, seeded) beside two numeric columns:
   the share of ones among 20,000 rows of a default ``GANSynthesizer``, with
   whole-number columns of few values as categories (the default) and as
   numbers (``max_integer_categories=0``, the former behaviour), same run.
2. The penguins: the fraction of generated measurements with more decimals
   than the column has (one), default ``GANSynthesizer``, three seeds.
3. 25 Gentoo penguins (all on Biscoe, no missing value) against the Adelie:
   the fraction of new Gentoo rows of ``WCGANOverSampler()`` on another
   island or with a missing value, three seeds; ``GANOverSampler()`` (one
   encoding per class) beside it.
4. Every dev table (``--data``, ADBench ``.npz`` plus breast-cancer-10%) given
   an int64 0/1 label at 12.5% ones (its own label, rows drawn so that one in
   eight is positive, at most 1,600 rows): the share of ones among 20,000
   rows of a default ``GANSynthesizer``; and, from its export, how many
   stored quantiles and bounds equal a training value that occurs once.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _common import load_datasets, machine_line  # noqa: E402

from skgan import GANOverSampler, GANSynthesizer, WCGANOverSampler  # noqa: E402


def label_share():
    rng = np.random.default_rng(0)
    n = 800
    y = (rng.random(n) < 0.125).astype(np.int64)
    table = pd.DataFrame(
        {"a": rng.normal(size=n) + 2 * y, "b": rng.gamma(2, size=n), "Class": y}
    )
    rows = []
    for label, k in [("categories (default)", 10), ("numbers (former)", 0)]:
        synth = GANSynthesizer(random_state=0, max_integer_categories=k).fit(table)
        share = synth.sample(20_000, random_state=1)["Class"].mean()
        rows.append({"0/1 label as": label, "real share": y.mean(), "generated": share})
    return pd.DataFrame(rows)


def penguin_decimals(penguins):
    columns = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    rows = []
    for seed in range(3):
        sample = GANSynthesizer(random_state=seed).fit(penguins).sample(5000)
        for column in columns:
            values = sample[column].dropna().to_numpy()
            extra = np.mean(np.abs(np.round(values, 1) - values) > 1e-9)
            rows.append({"seed": seed, "column": column, "more decimals": extra})
    return pd.DataFrame(rows).pivot(index="column", columns="seed")


def gentoo_support(penguins):
    adelie = penguins[penguins.species == "Adelie"]
    gentoo = penguins[penguins.species == "Gentoo"].sample(25, random_state=0)
    data = pd.concat([adelie, gentoo], ignore_index=True)
    X, y = data.drop(columns="species"), (data.species == "Gentoo").astype(int)
    complete = [c for c in X.columns if not gentoo[c].isna().any()]
    rows = []
    for name, Sampler in [
        ("WCGANOverSampler", WCGANOverSampler),
        ("GANOverSampler", GANOverSampler),
    ]:
        for seed in range(3):
            X_res, _ = Sampler(random_state=seed).fit_resample(X, y)
            new = X_res.iloc[len(X) :]
            off = ~new.island.isin(gentoo.island.unique()) | new[complete].isna().any(
                axis=1
            )
            rows.append({"sampler": name, "seed": seed, "off support": off.mean()})
    return pd.DataFrame(rows).pivot(index="sampler", columns="seed")


def dev_tables(data_dir):
    import tempfile
    import warnings

    from safetensors.numpy import load_file

    from skgan.exceptions import PrivacyRiskWarning

    rows = []
    for name, (X, y) in load_datasets(data_dir).items():
        rng = np.random.default_rng(0)
        pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
        n_pos = min(len(pos), 200, len(neg) // 7)
        keep = np.r_[rng.choice(pos, n_pos, False), rng.choice(neg, 7 * n_pos, False)]
        table = pd.DataFrame(X[keep], columns=[f"x{j}" for j in range(X.shape[1])])
        table["Class"] = y[keep].astype(np.int64)
        synth = GANSynthesizer(random_state=0).fit(table)
        share = synth.sample(20_000, random_state=1)["Class"].mean()
        with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
            warnings.simplefilter("ignore", PrivacyRiskWarning)
            synth.export_generator(Path(folder) / "m")
            arrays = load_file(Path(folder) / "m" / "generator.safetensors")
        stored = [v for k, v in arrays.items() if "quantiles_" in k or "range_" in k]
        numeric = [
            c["name"] for c in synth.transformer_.columns_ if c["kind"] == "numeric"
        ]
        leaked = 0
        if numeric:
            quantiles = arrays["transformer.scaler.quantiles_"]
            low = arrays["transformer.scaler.range_min_"]
            high = arrays["transformer.scaler.range_max_"]
            varying = ~arrays["transformer.scaler.constant_mask_"].astype(bool)
        for j, column in enumerate(numeric):
            values, counts = np.unique(table[column], return_counts=True)
            once = values[counts == 1]
            mine = [low[j], high[j]]
            if varying[j]:
                mine += list(quantiles[:, int(varying[:j].sum())])
            leaked += int(np.isin(mine, once).sum())
        rows.append(
            {
                "table": name,
                "rows": len(table),
                "real share": table["Class"].mean(),
                "generated": share,
                "points off": 100 * abs(share - table["Class"].mean()),
                "numeric columns": len(numeric),
                "stored values": int(sum(v.size for v in stored)),
                "stored values seen once": leaked,
            }
        )
    return pd.DataFrame(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    parser.add_argument("--data", help="folder of ADBench .npz files (part 4)")
    args = parser.parse_args()
    from palmerpenguins import load_penguins

    start = time.perf_counter()
    penguins = load_penguins()
    parts = {
        "1. Share of a 0/1 label (800 rows, default GANSynthesizer)": label_share(),
        "2. Penguins: generated measurements with more decimals than the data": (
            penguin_decimals(penguins)
        ),
        "3. 25 Gentoo vs the Adelie: new Gentoo rows off their island or missing": (
            gentoo_support(penguins)
        ),
    }
    if args.data:
        title = "4. Dev tables with a 0/1 label at 12.5% ones (default GANSynthesizer)"
        parts[title] = dev_tables(args.data)
    lines = [
        "# Edges of issue 12",
        "",
        f"- machine: {machine_line()}",
        f"- command: `{' '.join(sys.argv)}`",
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
        "",
    ]
    for title, frame in parts.items():
        lines += [f"## {title}", "", frame.to_markdown(floatfmt=".4f"), ""]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
