"""The ``skgan`` command line."""

import argparse
import sys
from pathlib import Path

import pandas as pd


def _read_csv(path, what):
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{what} file {str(path)!r} does not exist.")
    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"{what} file {str(path)!r} is not a readable CSV: {exc}"
        ) from None
    if table.empty:
        raise ValueError(f"{what} file {str(path)!r} has no rows.")
    return table


def _evaluate(args):
    from .evaluation import evaluate

    real = _read_csv(args.real, "real")
    synthetic = _read_csv(args.synthetic, "synthetic")
    holdout = None if args.holdout is None else _read_csv(args.holdout, "holdout")
    report = evaluate(
        real, synthetic, holdout=holdout, target=args.target, random_state=args.seed
    )
    path = report.to_html(args.output)
    print(report.summary()[["score", "ideal"]].to_string(float_format="{:.3f}".format))
    print(f"Report written to {path}")


def build_parser():
    """The argument parser of the ``skgan`` command.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser, with one sub-command per task.
    """
    parser = argparse.ArgumentParser(
        prog="skgan", description="GANs for tabular data: evaluate synthetic data."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate = commands.add_parser(
        "evaluate",
        help="measure synthetic data against real data and write an HTML report",
        description="Measure how real, useful and private synthetic rows are.",
    )
    evaluate.add_argument("real", help="CSV of the real rows the generator saw")
    evaluate.add_argument("synthetic", help="CSV of synthetic rows, same columns")
    evaluate.add_argument("--holdout", help="CSV of real rows the generator never saw")
    evaluate.add_argument("--target", help="column to predict for the utility measure")
    evaluate.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    evaluate.add_argument(
        "-o", "--output", default="report.html", help="HTML file to write"
    )
    evaluate.set_defaults(run=_evaluate)
    return parser


def main(argv=None):
    """Run the ``skgan`` command.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    status : int
        0 on success, 2 when the input is wrong (the message says why).
    """
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (ValueError, TypeError, OSError) as exc:
        print(f"skgan {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
