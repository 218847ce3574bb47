import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from skgan.cli import main

pytest.importorskip("matplotlib")


@pytest.fixture
def csvs(tmp_path, seed):
    rng = np.random.RandomState(seed)
    paths = {}
    for name, n in (("real", 300), ("holdout", 200), ("synthetic", 600)):
        frame = pd.DataFrame(rng.randn(n, 3), columns=["a", "b", "c"])
        frame["y"] = (frame["a"] > 0).astype(int)
        paths[name] = tmp_path / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    return paths


def test_cli_evaluate_writes_the_report(csvs, tmp_path, capsys):
    out = tmp_path / "report.html"
    status = main(
        [
            "evaluate",
            str(csvs["real"]),
            str(csvs["synthetic"]),
            "--holdout",
            str(csvs["holdout"]),
            "--target",
            "y",
            "-o",
            str(out),
        ]
    )
    assert status == 0
    assert out.read_text().count('<img class="figure"') == 4
    printed = capsys.readouterr().out
    assert "detection accuracy" in printed and "DCR ratio" in printed


def test_cli_bad_files_give_a_clear_error_and_no_traceback(csvs, tmp_path):
    missing = tmp_path / "nope.csv"
    wrong = tmp_path / "wrong.csv"
    pd.DataFrame({"other": [1, 2, 3]}).to_csv(wrong, index=False)
    for argv, message in [
        (["evaluate", str(missing), str(csvs["synthetic"])], "does not exist"),
        (["evaluate", str(csvs["real"]), str(wrong)], "missing"),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "skgan", *argv, "-o", str(tmp_path / "r.html")],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr
