"""The ``skgan`` command line."""

import argparse
import contextlib
import os
import sys
import warnings
from pathlib import Path

# numpy, pandas and the estimators are imported where used: ``skgan --help``
# and a refused ``skgan sample -n`` answer without loading torch.


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


#: How the JSON files of ``skgan fit`` look, for the messages.
def _port(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a port between 1 and 65535, got {text!r}"
        )
    return value


def _auto_or_positive(text):
    return text if text == "auto" else _positive(text)


def _strategy(text):
    """imbalanced-learn's sampling_strategy: a name or a minority/majority ratio."""
    if text in ("auto", "minority", "not minority", "not majority", "all"):
        return text
    try:
        ratio = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a sampling strategy: use auto, minority, not "
            "minority, not majority, all, or a ratio in (0, 1] such as 0.5"
        ) from None
    if not 0 < ratio <= 1:
        raise argparse.ArgumentTypeError(f"a ratio must be in (0, 1]; got {text}")
    return ratio


@contextlib.contextmanager
def _written(path):
    """Write to a hidden file beside ``path``, renamed to it only at the end.

    An error or Ctrl-C at any point leaves no file (nor a partial one) at
    ``path``; a file already there stays as it was until the rename.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(
            f"cannot write {str(path)!r}: its folder {str(path.parent)!r} does not "
            "exist; create it first, or write elsewhere."
        )
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _read_csv(path, what):
    import pandas as pd

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
    with _written(args.output) as partial:
        report.to_html(partial)
    path = Path(args.output).resolve()
    summary = report.summary()
    # The privacy figures' 95% intervals beside their scores.
    shown = summary[["score", "low", "high", "ideal"]].rename(
        columns={"low": "95% low", "high": "95% high"}
    )
    print(shown.to_string(float_format="{:.3f}".format, na_rep=""))
    print(f"Report written to {path}")


#: ``--model`` of ``skgan fit``: the GANSynthesizer parameters of each variant.
MODELS = {
    "gan": dict(loss="gan", conditional=False),
    "cgan": dict(loss="gan", conditional=True),
    "wgan": dict(loss="wgan-gp", conditional=False),
    "wcgan": dict(loss="wgan-gp", conditional=True),
}


def _column(table, name, what):
    if name is not None and name not in table.columns:
        raise ValueError(
            f"{what} {name!r} is not a column of the data; its columns are "
            f"{list(table.columns)}."
        )
    return name


def _fit(args):
    from ._cli_files import (
        check_private_columns,
        declare_categories,
        read_json_object,
    )
    from .exceptions import PrivacyRiskWarning
    from .synthesis import GANSynthesizer
    from .synthesis._export import check_export_path

    # Before training, so that nothing is trained in vain.
    check_export_path(args.output)
    data = _read_csv(args.data, "data")
    target = _column(data, args.target, "--target")
    holdout = None if args.holdout is None else _read_csv(args.holdout, "holdout")
    bounds = None if args.bounds is None else read_json_object(args.bounds, "--bounds")
    if args.categories is not None:
        data = declare_categories(data, args.categories, _column)
    if args.epsilon is not None:
        check_private_columns(data, bounds, target)
    synth = GANSynthesizer(
        **MODELS[args.model],
        epochs=args.epochs,
        batch_size=args.batch_size,
        epsilon=args.epsilon,
        delta=args.delta,
        bounds=bounds,
        categorical_columns=None if target is None else [target],
        random_state=args.seed,
        device=args.device,
        verbose=True,
    )
    synth.fit(data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PrivacyRiskWarning)
        report = synth.export_generator(
            args.output, X=data, holdout=holdout, on_privacy_risk=args.on_privacy_risk
        )
    for warning in caught:
        print(f"skgan fit: warning: {warning.message}", file=sys.stderr)
    from .synthesis._card import format_card, release_card

    print(f"Generator written to {args.output}")
    print(f"Release card (privacy check on {report['n_samples']} samples):")
    print(format_card(release_card(synth, report)))


def _card(args):
    from .synthesis import load_generator
    from .synthesis._card import format_card

    print(format_card(load_generator(args.model).release_))


def _serve(args):
    import os

    from .serving import create_app
    from .serving._app import EXPORT_VARIABLE, MAX_ROWS_VARIABLE

    # Loaded (and its integrity checked) before uvicorn starts: a bad export
    # is an error message and exit status 2, not a worker's crash.
    app = create_app(args.model, max_rows=args.max_rows)
    try:
        import uvicorn
    except ImportError:
        raise ImportError(
            "skgan serve needs uvicorn; install it with pip install 'skgan[serve]'."
        ) from None
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port)
        return
    os.environ[EXPORT_VARIABLE] = str(Path(args.model).resolve())
    os.environ[MAX_ROWS_VARIABLE] = str(args.max_rows)
    uvicorn.run(
        "skgan.serving:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
    )


def _sample(args):
    if args.num_samples > args.max_rows:
        # Before anything is loaded or written.
        raise ValueError(
            f"-n {args.num_samples} is above --max-rows {args.max_rows}; ask for "
            "fewer rows, or raise --max-rows if the disk can take them (a row "
            "of a few columns is about 50 bytes of CSV)."
        )
    from tqdm.auto import tqdm

    from .synthesis import GANSeriesSynthesizer, load_generator

    model = load_generator(args.model)
    conditions = None
    if args.condition is not None:
        column, sep, value = args.condition.partition("=")
        if not sep:
            raise ValueError(
                f"--condition must look like COLUMN=VALUE; got {args.condition!r}."
            )
        conditions = {column: value}
    total = args.num_samples
    if isinstance(model, GANSeriesSynthesizer):
        # -n counts windows; a model fitted per class takes its class as
        # the condition's value (any column name).
        label = None if conditions is None else _series_class(model, value)
        blocks = model.iter_samples(args.num_samples, y=label, random_state=args.seed)
        total *= model.window_length_
    else:
        blocks = model.iter_samples(
            args.num_samples, conditions=conditions, random_state=args.seed
        )
    # Block by block: a million rows never sit in memory at once.
    written = 0
    with (
        _written(args.output) as partial,
        open(partial, "w", newline="", encoding="utf-8") as out,
        tqdm(total=total, unit="rows", disable=None) as bar,
    ):
        for i, block in enumerate(blocks):
            block.to_csv(out, index=False, header=i == 0)
            written += len(block)
            bar.update(len(block))
    print(f"{written} rows written to {args.output}")


def _series_class(model, value):
    """The class of a series model that the text ``value`` names."""
    if model.classes_ is None:
        raise ValueError(
            "--condition: this series model was fitted without classes; sample "
            "without --condition."
        )
    for label in model.classes_.tolist():
        if str(label) == value:
            return label
    raise ValueError(
        f"--condition: {value!r} is not a class of this series model; use one of "
        f"{model.classes_.tolist()}."
    )


def _resample(args):
    from .over_sampling import GANOverSampler, WCGANOverSampler

    data = _read_csv(args.data, "data")
    target = _column(data, args.target, "--target")
    sampler = {"wcgan": WCGANOverSampler, "gan": GANOverSampler}[args.model]
    params = dict(
        random_state=args.seed,
        verbose=True,
        sampling_strategy=args.sampling_strategy,
        device=args.device,
    )
    if args.max_iter is not None:
        params["max_iter"] = args.max_iter
    X, y = data.drop(columns=target), data[target]
    X_res, y_res = sampler(**params).fit_resample(X, y)
    table = X_res.assign(**{target: y_res})[list(data.columns)]
    with _written(args.output) as partial:
        table.to_csv(partial, index=False)
    counts = ", ".join(f"{k}: {v}" for k, v in y_res.value_counts().items())
    print(f"{len(table)} rows ({counts}) written to {args.output}")


def _series(args):
    import numpy as np
    import pandas as pd

    from .anomaly import make_windows
    from .synthesis import GANSeriesSynthesizer
    from .utils._windows import to_long_frame

    data = _read_csv(args.data, "data")
    columns = args.columns.split(",") if args.columns else None
    if columns is not None:
        for name in columns:
            _column(data, name, "--columns entry")
    else:
        columns = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]
        skipped = [c for c in data.columns if c not in columns]
        if skipped:
            print(
                f"skgan series: not numeric, left out: {', '.join(map(str, skipped))}"
            )
    if not columns:
        raise ValueError(
            f"data file {args.data!r} has no numeric column to learn; pass "
            "--columns with the channels."
        )
    values = data[columns].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError(
            "the channels hold empty cells or infinities; fill or drop those time "
            "steps first."
        )
    if args.window_length > len(values):
        raise ValueError(
            f"--window-length {args.window_length} is longer than the series "
            f"({len(values)} time steps)."
        )
    windows = make_windows(values, args.window_length, step=args.step)
    holdout = _series_holdout(args, columns)
    synth = GANSeriesSynthesizer(
        random_state=args.seed,
        device=args.device,
        verbose=True,
        level_model=args.level_model,
    )
    if args.max_iter is not None:
        synth.set_params(max_iter=args.max_iter)
    synth.fit(windows)
    fake = synth.sample(args.num_samples, random_state=args.seed)
    length = args.window_length
    # Integer channels as integers (the model rounds them to whole numbers).
    table = to_long_frame(fake, columns, [data[c].dtype for c in columns])
    with _written(args.output) as partial:
        table.to_csv(partial, index=False)
    print(
        f"{args.num_samples} windows of {length} steps ({len(table)} rows) written "
        f"to {args.output}"
    )
    if args.report:
        from .evaluation import evaluate_series

        report = evaluate_series(
            windows,
            fake,
            holdout=holdout,
            gru_updates=args.gru_updates,
            random_state=args.seed,
            verbose=True,
        )
        print(
            report.summary()[["score", "ideal"]].to_string(float_format="{:.3f}".format)
        )
        with _written(args.report) as partial:
            report.to_html(partial)
        print(f"Report written to {Path(args.report).resolve()}")


def _series_holdout(args, columns):
    """The held-out windows of ``skgan series --holdout``, checked before training."""
    import numpy as np

    if not args.report and (args.holdout is not None or args.gru_updates is not None):
        raise ValueError(
            "--holdout and --gru-updates apply to the report; add --report FILE."
        )
    if args.holdout is None:
        return None
    from .anomaly import make_windows

    data = _read_csv(args.holdout, "holdout")
    for name in columns:
        _column(data, name, "holdout channel")
    values = data[columns].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError("the holdout's channels hold empty cells or infinities.")
    if args.window_length > len(values):
        raise ValueError(
            f"--window-length {args.window_length} is longer than the holdout "
            f"({len(values)} time steps)."
        )
    return make_windows(values, args.window_length, step=args.step)


def build_parser():
    """The argument parser of the ``skgan`` command.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser, with one sub-command per task.
    """
    from ._version import __version__

    parser = argparse.ArgumentParser(
        prog="skgan",
        description="GANs for tabular data: fit, sample, card, serve, resample, "
        "evaluate, series.",
    )
    parser.add_argument("--version", action="version", version=f"skgan {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    fit = commands.add_parser(
        "fit",
        help="train a GAN on a CSV and export its generator (no training rows)",
        description="Train a GANSynthesizer and write only its generator.",
    )
    fit.add_argument("data", help="CSV of the rows to learn")
    fit.add_argument(
        "--model",
        choices=sorted(MODELS),
        default="cgan",
        help="gan, wgan (WGAN-GP), or their conditional forms (default cgan)",
    )
    fit.add_argument("--target", help="a column to model as a category (a class)")
    fit.add_argument(
        "--epochs", type=_auto_or_positive, default="auto", help="passes (default auto)"
    )
    fit.add_argument(
        "--batch-size",
        type=_auto_or_positive,
        default="auto",
        help="rows per update (default auto: 200, see GANSynthesizer)",
    )
    fit.add_argument("--holdout", help="CSV of real rows not trained on (DCR check)")
    fit.add_argument(
        "--epsilon",
        type=_positive_float,
        help="train with differential privacy within this budget (needs --bounds "
        "for numeric columns and --model gan or cgan)",
    )
    fit.add_argument(
        "--delta", type=_positive_float, help="with --epsilon (default 1/(10 rows))"
    )
    fit.add_argument(
        "--bounds",
        metavar="FILE",
        help='with --epsilon: JSON of public bounds, {"age": [0, 120], ...}',
    )
    fit.add_argument(
        "--categories",
        metavar="FILE",
        help="JSON of each discrete column's values, "
        '{"species": ["Adelie", "Gentoo"], ...}: with --epsilon they are kept '
        "however rare, not counted with noise",
    )
    fit.add_argument(
        "--on-privacy-risk",
        choices=["warn", "raise", "ignore"],
        default="warn",
        help="when samples copy training rows: warn (default) or refuse (raise)",
    )
    fit.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    fit.add_argument(
        "--device", default="cpu", help="cpu (default), cuda or auto: where to train"
    )
    fit.add_argument("-o", "--output", required=True, help="directory to create")
    fit.set_defaults(run=_fit)
    sample = commands.add_parser(
        "sample",
        help="sample rows from an exported generator into a CSV",
        description="Sample rows from a generator written by 'skgan fit'.",
    )
    sample.add_argument("model", help="directory written by 'skgan fit'")
    sample.add_argument(
        "-n",
        "--num-samples",
        type=_positive,
        default=1000,
        help="rows to write (default 1000)",
    )
    sample.add_argument(
        "--max-rows",
        type=_positive,
        default=10_000_000,
        help="refuse -n above this, before writing anything (default 10000000)",
    )
    sample.add_argument("--condition", help="COLUMN=VALUE every row must have")
    sample.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sample.add_argument(
        "-o",
        "--output",
        default="synthetic.csv",
        help="CSV to write (default synthetic.csv)",
    )
    sample.set_defaults(run=_sample)
    card = commands.add_parser(
        "card",
        help="print an export's release card: training rows, epsilon, leaks",
        description="Print the release card of a generator written by 'skgan "
        "fit' (checked for edits first): the number of training rows, the "
        "model, the privacy budget spent, and the privacy measures taken at "
        "export time.",
    )
    card.add_argument("model", help="directory written by 'skgan fit'")
    card.set_defaults(run=_card)
    serve = commands.add_parser(
        "serve",
        help="answer HTTP requests for rows from an exported generator",
        description="Serve a generator written by 'skgan fit' over HTTP: GET "
        '/health, GET /schema, POST /sample with a JSON body {"n_samples": N, '
        '"random_state": seed or null, "conditions": {column: value} or '
        "null}, answered in CSV, JSON or Parquet by the Accept header. Needs "
        "pip install 'skgan[serve]'.",
    )
    serve.add_argument("model", help="directory written by 'skgan fit'")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="port, 1-65535 (default 8000)"
    )
    serve.add_argument(
        "--max-rows",
        type=_positive,
        default=1_000_000,
        help="most rows one request may ask for (default 1000000)",
    )
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="worker processes, each with its own copy of the model (default 1)",
    )
    serve.set_defaults(run=_serve)
    resample = commands.add_parser(
        "resample",
        help="balance the classes of a CSV with GAN-generated minority rows",
        description="Oversample the minority classes of a table (numbers, "
        "categories and missing values) with GAN-generated rows. An empty cell "
        "is a missing value: learnt, and generated at its rate.",
    )
    resample.add_argument("data", help="CSV with features and a class column")
    resample.add_argument("--target", required=True, help="the class column")
    resample.add_argument(
        "--model",
        choices=["wcgan", "gan"],
        default="wcgan",
        help="wcgan (WCGANOverSampler, default) or gan (GANOverSampler)",
    )
    resample.add_argument(
        "--max-iter",
        type=_positive,
        default=None,
        help="generator updates (default: the sampler's)",
    )
    resample.add_argument(
        "--sampling-strategy",
        type=_strategy,
        default="auto",
        help="auto (default: balance every class), minority, not minority, not "
        "majority, all, or a minority/majority ratio such as 0.5 (two classes)",
    )
    resample.add_argument(
        "--device", default="cpu", help="cpu (default), cuda or auto: where to train"
    )
    resample.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    resample.add_argument("-o", "--output", required=True, help="CSV to write")
    resample.set_defaults(run=_resample)
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
    series = commands.add_parser(
        "series",
        help="learn windows of a series in a CSV and write synthetic windows",
        description="Train a GANSeriesSynthesizer on overlapping windows of a "
        "series (one row per time step, oldest first; numeric columns are the "
        "channels) and write synthetic windows as rows of window, step and the "
        "channels.",
    )
    series.add_argument("data", help="CSV with one row per time step")
    series.add_argument(
        "--window-length", type=_positive, required=True, help="time steps per window"
    )
    series.add_argument(
        "--step", type=_positive, default=1, help="steps between windows (default 1)"
    )
    series.add_argument(
        "--columns", help="comma-separated channels (default: the numeric columns)"
    )
    series.add_argument(
        "--max-iter",
        type=_positive,
        default=None,
        help="generator updates (default: the synthesizer's)",
    )
    series.add_argument(
        "--level-model",
        choices=("generator", "mixture"),
        default="generator",
        help="where each window's level comes from (default generator; mixture: "
        "a Gaussian mixture of the training windows' levels, see the guide)",
    )
    series.add_argument(
        "-n",
        "--num-samples",
        type=_positive,
        default=1000,
        help="windows to write (default 1000)",
    )
    series.add_argument(
        "--report", help="also measure the windows and write this HTML report"
    )
    series.add_argument(
        "--holdout",
        help="with --report: CSV of a later stretch of the series, never trained "
        "on (the detector is tested on it; DCR ratio)",
    )
    series.add_argument(
        "--gru-updates",
        type=_positive,
        help="with --report: updates of the report's GRU judges (default: the "
        "protocol's 2,000 and 5,000)",
    )
    series.add_argument(
        "--device", default="cpu", help="cpu (default), cuda or auto: where to train"
    )
    series.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    series.add_argument("-o", "--output", required=True, help="CSV to write")
    series.set_defaults(run=_series)
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
        0 on success, 2 when the input is wrong (the message says why), 130
        when interrupted (Ctrl-C).
    """
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (ValueError, TypeError, OSError, ImportError) as exc:
        # PrivacyRiskError is a ValueError: a refused export exits with 2.
        print(f"skgan {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Outputs are written under a hidden name and renamed at the end:
        # nothing partial is left behind.
        print(f"skgan {args.command}: interrupted; nothing written", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
