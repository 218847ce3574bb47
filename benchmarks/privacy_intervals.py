"""How wide are the privacy figures' 95% intervals at the default holdout?

Issue 23's target: the membership attack's ROC-AUC interval width for every
dev table at its default holdout. The tables and split are those of
``benchmarks/privacy.py`` (the dev sets with their class as a category, at
most ``--max-rows`` rows; the Palmer penguins without incomplete rows; 50/50
into A, trained on, and B, held out). ``GANSynthesizer()`` with its defaults
is fitted on A on one thread, and what its export's release card would
carry is computed: :meth:`~skgan.GANSynthesizer.check_privacy` with A as the
training rows and B as the holdout, its default 10,000 samples. Reported per
table: the attack's ROC-AUC with its 95% bootstrap interval and width, the
DCR ratio with its interval, and the numbers of candidates.

Usage::

    python benchmarks/privacy_intervals.py --data ../shared/data/adbench \
        --out benchmarks/results/privacy_intervals_<date>.md
"""

import argparse
import json
import sys
from pathlib import Path

import torch
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line  # noqa: E402
from privacy import load_tables  # noqa: E402

from skgan import GANSynthesizer  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/adbench")
    parser.add_argument("--max-rows", type=int, default=1000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    for name, (table, target) in load_tables(args.data, args.max_rows).items():
        A, B = train_test_split(
            table, test_size=0.5, random_state=0, stratify=table[target]
        )
        synth = GANSynthesizer(random_state=0).fit(A)
        report = synth.check_privacy(A, holdout=B)
        auc_low, auc_high = report["membership_inference_roc_auc_interval"]
        dcr_low, dcr_high = report["dcr_ratio_interval"]
        rows.append(
            {
                "table": name,
                "train": len(A),
                "holdout": len(B),
                "auc": report["membership_inference_roc_auc"],
                "attack": report["membership_attack"],
                "auc_low": auc_low,
                "auc_high": auc_high,
                "dcr": report["dcr_ratio"],
                "dcr_low": dcr_low,
                "dcr_high": dcr_high,
            }
        )
        print(rows[-1], flush=True)
    lines = [
        "# The privacy figures' 95% intervals at the default holdout",
        "",
        f"`python benchmarks/privacy_intervals.py --max-rows {args.max_rows}`; "
        f"{machine_line()}, one thread. `GANSynthesizer()` on A (half of each "
        "table), `check_privacy(A, holdout=B)` with its 10,000 samples, as an "
        "export's card computes it. Intervals: percentile bootstrap, 1,000 "
        "resamples, members and non-members (synthetic and holdout distances) "
        "resampled on their own. The attack uses half of B as the attacker's "
        "reference and as many non-members as members.",
        "",
        "| table | train rows | holdout rows | attack ROC-AUC | 95% interval | width "
        "| DCR ratio | 95% interval |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['table']} | {r['train']} | {r['holdout']} | {r['auc']:.3f} "
            f"({r['attack']}) | {r['auc_low']:.3f} to {r['auc_high']:.3f} | "
            f"{r['auc_high'] - r['auc_low']:.3f} | {r['dcr']:.2f} | "
            f"{r['dcr_low']:.2f} to {r['dcr_high']:.2f} |"
        )
    Path(args.out).write_text("\n".join(lines) + "\n")
    Path(args.out).with_suffix(".json").write_text(json.dumps(rows, indent=1))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
