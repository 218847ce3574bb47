"""Cost at scale: fraud-sized tables, cold starts, busy machines, grid searches.

Usage::

    python benchmarks/scale.py --out benchmarks/results/scale_<date>.md

Parts (each timed against a baseline measured in the same run):

1. Fraud scale: ``make_classification`` with 284,807 rows, 30 features and
   492 positives (the credit-card study's shape), seeded; and, with
   ``--data``, ADBench's cover (286,048 rows, 10 features, 2,747 positives: a
   larger minority, which ``max_iter="auto"`` gives more updates). Each
   sampler's ``fit_resample`` runs in a fresh process (so a one-off import is
   counted), then the protocol's XGBoost is fitted on its resampled rows.
2. Cold start: first and second default ``fit_resample`` in a fresh process.
3. Busy machine: default-settings fits idle and next to another process that
   burns a core, and the same fit with torch on two threads for contrast.
4. Grid search: ``GridSearchCV`` over ``Pipeline(sampler, XGBClassifier)`` on
   20,000 rows at ``n_jobs=1`` and ``2``, and on a 2-worker dask
   ``LocalCluster`` when ``distributed`` is installed; the scores must agree.
"""

import argparse
import json
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line, xgb  # noqa: E402

FRAUD = dict(n_samples=284_807, n_features=30, n_informative=10, flip_y=0.0)


def fraud_table():
    """The fraud-scale table: 284,807 rows, 492 positives."""
    return make_classification(
        weights=[1 - 492 / FRAUD["n_samples"]], random_state=0, **FRAUD
    )


def cover_table(data):
    """ADBench's cover: 286,048 rows, 2,747 positives."""
    arrays = np.load(Path(data) / "10_cover.npz", allow_pickle=False)
    return arrays["X"].astype(np.float64), arrays["y"].astype(np.int64)


def grid_table():
    """20,000 rows, 2% positives."""
    return make_classification(
        n_samples=20_000,
        n_features=30,
        n_informative=10,
        weights=[0.98],
        flip_y=0.0,
        random_state=1,
    )


def make_sampler(name, **params):
    """A sampler at its defaults (seeded)."""
    if name == "SMOTE":
        from imblearn.over_sampling import SMOTE

        return SMOTE(random_state=0)
    if name == "CTGAN":
        from _ctgan import CTGANOverSampler

        return CTGANOverSampler(random_state=0)
    import skgan

    return getattr(skgan, name)(random_state=0, **params)


def one_sampler(name, data=None):
    """In a fresh process: fit_resample twice, then XGBoost on the rows.

    On the fraud-scale table, or on cover when ``data`` is its folder.
    """
    X, y = fraud_table() if data is None else cover_table(data)
    times = []
    for _ in range(2):
        start = time.perf_counter()
        X_res, y_res = make_sampler(name).fit_resample(X, y)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    xgb().fit(X_res, y_res)
    return {
        "sampler": name,
        "first_fit_s": times[0],
        "second_fit_s": times[1],
        "xgb_fit_s": time.perf_counter() - start,
        "rows": len(y_res),
    }


def cold_start(name):
    """In a fresh process: two default fits on the 20,000-row table."""
    X, y = grid_table()
    times = []
    for _ in range(2):
        start = time.perf_counter()
        make_sampler(name).fit_resample(X, y)
        times.append(time.perf_counter() - start)
    return {"sampler": name, "first_fit_s": times[0], "second_fit_s": times[1]}


def _fresh(function, *args):
    """Run ``function(*args)`` in a new Python process; its result as a dict."""
    call = ", ".join(repr(a) for a in args)
    code = (
        f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        f"import scale; print(json.dumps(scale.{function}({call})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _burn(stop):
    while not stop.is_set():
        pass


def busy_machine():
    """Default fits idle, then next to a process burning one core."""
    import pandas as pd
    from palmerpenguins import load_penguins

    from skgan import GANSynthesizer, WCGANOverSampler

    penguins = load_penguins().dropna().reset_index(drop=True)
    X, y = grid_table()
    fits = {
        "GANSynthesizer(epochs=30) on the penguins": lambda **p: GANSynthesizer(
            epochs=30, random_state=0, **p
        ).fit(pd.DataFrame(penguins)),
        "WCGANOverSampler() on 20,000 rows": lambda **p: WCGANOverSampler(
            random_state=0, **p
        ).fit_resample(X, y),
    }
    # Warm the process: the comparison is of fits, not of first calls.
    WCGANOverSampler(max_iter=5, random_state=0).fit_resample(X[:2000], y[:2000])
    rows = []
    for label, fit in fits.items():
        row = {"fit": label}
        for setting, params, busy in [
            ("idle, default", {}, False),
            ("busy, default", {}, True),
            ("busy, n_jobs=2", {"n_jobs": 2}, True),
        ]:
            stop = multiprocessing.Event()
            burner = multiprocessing.Process(target=_burn, args=(stop,))
            if busy:
                burner.start()
                time.sleep(0.5)
            start = time.perf_counter()
            fit(**params)
            row[setting] = time.perf_counter() - start
            if busy:
                stop.set()
                burner.join()
        row["busy / idle"] = row["busy, default"] / row["idle, default"]
        rows.append(row)
    return rows


def _search(n_jobs, grid):
    from imblearn.pipeline import Pipeline
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    from skgan import WCGANOverSampler

    strategies, folds = grid
    return GridSearchCV(
        Pipeline([("sampler", WCGANOverSampler(random_state=0)), ("clf", xgb())]),
        {"sampler__sampling_strategy": [0.1, 0.25, 0.5, 1.0][-strategies:]},
        cv=StratifiedKFold(folds, shuffle=True, random_state=0),
        scoring="average_precision",
        n_jobs=n_jobs,
        error_score="raise",
        # The search alone: the refit on all rows runs in the parent process
        # whatever n_jobs is.
        refit=False,
    )


def grid_search():
    """The same searches serially, in two worker processes, on dask."""
    from joblib.externals.loky import get_reusable_executor

    X, y = grid_table()
    rows = []
    for grid in [(2, 3), (4, 5)]:
        # Each grid starts with no worker processes.
        get_reusable_executor().shutdown(wait=True)
        results = {}
        # joblib keeps its worker processes between calls: the second n_jobs=2
        # run finds them started, torch and skgan imported (about 2.5 s of a
        # fresh worker's start on this machine).
        for label, n_jobs in [
            ("n_jobs=1", 1),
            ("n_jobs=2", 2),
            ("n_jobs=2, workers already started", 2),
        ]:
            start = time.perf_counter()
            search = _search(n_jobs, grid).fit(X, y)
            results[label] = (time.perf_counter() - start, search.cv_results_)
        try:
            from distributed import Client, LocalCluster
            from joblib import parallel_config

            with (
                LocalCluster(
                    n_workers=2, threads_per_worker=1, dashboard_address=None
                ) as cluster,
                Client(cluster),
                parallel_config(backend="dask"),
            ):
                start = time.perf_counter()
                search = _search(-1, grid).fit(X, y)
                results["dask, 2 workers"] = (
                    time.perf_counter() - start,
                    search.cv_results_,
                )
        except ImportError:
            pass
        serial = results["n_jobs=1"]
        for label, (seconds, cv) in results.items():
            rows.append(
                {
                    "grid": f"{grid[0]} candidates x {grid[1]} folds",
                    "run": label,
                    "seconds": seconds,
                    "speed-up vs n_jobs=1": serial[0] / seconds,
                    "mean AP (first candidate)": cv["mean_test_score"][0],
                    "scores identical to n_jobs=1": bool(
                        np.array_equal(
                            cv["mean_test_score"], serial[1]["mean_test_score"]
                        )
                    ),
                }
            )
    return rows


def _per_fit(results):
    import pandas as pd

    frame = pd.DataFrame(results).set_index("sampler")
    frame["fit / xgb fit"] = frame["first_fit_s"] / frame["xgb_fit_s"]
    return frame.to_markdown(floatfmt=".2f")


def report(fraud, cold, busy, grids, seconds, cover=None):
    import pandas as pd

    lines = [
        "# Scale benchmark (protocol 4)",
        "",
        f"- machine: {machine_line()}; XGBoost single-threaded; torch at the "
        "samplers' defaults (one thread) unless said",
        f"- command: `{' '.join(sys.argv)}`",
        f"- wall time: {seconds / 60:.1f} min",
        "",
        "## Fraud scale (284,807 x 30, 492 positives), each sampler in a fresh process",
        "",
        "`first_fit_s` includes every one-off cost of a fresh process; "
        "`xgb_fit_s` is the protocol's XGBoost on the sampler's resampled rows.",
        "",
        _per_fit(fraud),
        "",
    ]
    if cover:
        lines += [
            "## Cover (286,048 x 10, 2,747 positives), each sampler in a fresh process",
            "",
            _per_fit(cover),
            "",
        ]
    if cold:
        lines += [
            "## Cold start: two default fits on 20,000 rows in a fresh process",
            "",
            pd.DataFrame(cold).set_index("sampler").to_markdown(floatfmt=".2f"),
            "",
            "## Busy machine: another process burning one of the cores",
            "",
            pd.DataFrame(busy).set_index("fit").to_markdown(floatfmt=".2f"),
            "",
            "## GridSearchCV over Pipeline(WCGANOverSampler(), XGBClassifier), "
            "20,000 rows",
            "",
            pd.DataFrame(grids).to_markdown(index=False, floatfmt=".4f"),
            "",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="markdown file to write")
    parser.add_argument(
        "--samplers",
        nargs="*",
        default=["SMOTE", "CTGAN", "GANOverSampler", "WCGANOverSampler"],
    )
    parser.add_argument("--data", help="ADBench folder: also time cover")
    parser.add_argument(
        "--only-tables", action="store_true", help="fraud and cover only"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    names = list(args.samplers)
    try:
        import ctgan  # noqa: F401
    except ImportError:
        names = [n for n in names if n != "CTGAN"]
    fraud = [_fresh("one_sampler", name) for name in names]
    print(json.dumps(fraud, indent=1), flush=True)
    cover = None
    if args.data:
        cover = [_fresh("one_sampler", name, args.data) for name in names]
        print(json.dumps(cover, indent=1), flush=True)
    if args.only_tables:
        text = report(fraud, [], [], [], time.perf_counter() - start, cover)
        print(text)
        if args.out:
            Path(args.out).write_text(text + "\n")
        return
    cold = [_fresh("cold_start", n) for n in ("GANOverSampler", "WCGANOverSampler")]
    print(json.dumps(cold, indent=1), flush=True)
    busy = busy_machine()
    print(json.dumps(busy, indent=1), flush=True)
    grids = grid_search()
    text = report(fraud, cold, busy, grids, time.perf_counter() - start, cover)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
        Path(args.out).with_suffix(".json").write_text(
            json.dumps(
                {
                    "fraud": fraud,
                    "cover": cover,
                    "cold": cold,
                    "busy": busy,
                    "grids": grids,
                },
                default=float,
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
