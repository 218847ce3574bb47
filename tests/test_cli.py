import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import skgan
from skgan.cli import build_parser, main

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
    # PCA, marginals, cumulative marginals, column-pair trends, correlations.
    assert out.read_text().count('<img class="figure"') == 5
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


@pytest.fixture
def mixed_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 200
    frame = pd.DataFrame(
        {
            "colour": rng.choice(["red", "blue", "green"], n),
            "size": np.where(np.arange(n) % 8 == 0, np.nan, rng.normal(5, 2, n)),
            "count": rng.integers(0, 9, n),
            "Class": (rng.random(n) < 0.15).astype(int),
        }
    )
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_cli_fit_then_sample_with_a_condition(mixed_csv, tmp_path, capsys):
    path, frame = mixed_csv
    model = tmp_path / "model"
    argv = ["fit", str(path), "--model", "wcgan", "--target", "Class"]
    assert main([*argv, "--epochs", "2", "--batch-size", "40", "-o", str(model)]) == 0
    printed = capsys.readouterr()
    assert "Release card (privacy check on 10000 samples)" in printed.out
    assert "training rows: 200 (none stored)" in printed.out
    assert "epsilon: none" in printed.out
    # Rows whose only number is missing repeat training rows: said, not hidden.
    assert "skgan fit: warning: privacy risk" in printed.err
    out = tmp_path / "synthetic.csv"
    argv = ["sample", str(model), "--num-samples", "120", "--condition", "Class=1"]
    assert main([*argv, "--seed", "0", "-o", str(out)]) == 0
    # The card again, from the export alone (checked for edits first).
    assert main(["card", str(model)]) == 0
    assert "exact_copy_rate" in capsys.readouterr().out
    synthetic = pd.read_csv(out)
    assert list(synthetic.columns) == list(frame.columns)
    assert len(synthetic) == 120 and (synthetic["Class"] == 1).all()
    assert set(synthetic["colour"]) <= {"red", "blue", "green"}
    assert synthetic["size"].isna().any()


def test_cli_resample_balances_the_classes(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(150, 3)), columns=["a", "b", "c"])
    frame["Class"] = (np.arange(150) < 20).astype(int)
    path, out = tmp_path / "data.csv", tmp_path / "balanced.csv"
    frame.to_csv(path, index=False)
    argv = ["resample", str(path), "--target", "Class", "--max-iter", "2"]
    assert main([*argv, "-o", str(out)]) == 0
    balanced = pd.read_csv(out)
    assert list(balanced.columns) == list(frame.columns)
    assert balanced["Class"].value_counts().tolist() == [130, 130]
    pd.testing.assert_frame_equal(balanced.iloc[:150], frame, check_dtype=False)


def test_cli_fit_sample_resample_errors_are_clear(mixed_csv, tmp_path, capsys):
    path, _ = mixed_csv
    cases = [
        (["fit", str(path), "--target", "nope", "-o", str(tmp_path / "m")], "--target"),
        (["sample", str(tmp_path), "-o", str(tmp_path / "s.csv")], "no schema.json"),
        (["resample", str(path), "--target", "Klass", "-o", "x.csv"], "--target"),
    ]
    for argv, message in cases:
        assert main(argv) == 2
        assert message in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["fit", str(path), "--epochs", "0", "-o", str(tmp_path / "m")])


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"skgan {skgan.__version__}"


def test_cli_resample_takes_a_sampling_strategy_and_a_device(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(150, 2)), columns=["a", "b"])
    frame["Class"] = (np.arange(150) < 20).astype(int)
    path, out = tmp_path / "data.csv", tmp_path / "half.csv"
    frame.to_csv(path, index=False)
    argv = ["resample", str(path), "--target", "Class", "--max-iter", "2"]
    assert (
        main([*argv, "--sampling-strategy", "0.5", "--device", "cpu", "-o", str(out)])
        == 0
    )
    # A minority/majority ratio of 0.5: 65 minority rows for 130 majority rows.
    assert pd.read_csv(out)["Class"].value_counts().to_dict() == {0: 130, 1: 65}
    with pytest.raises(SystemExit):
        main([*argv, "--sampling-strategy", "lots", "-o", str(out)])
    assert "is not a sampling strategy" in capsys.readouterr().err


def test_cli_series_writes_windows_and_a_report(tmp_path, capsys):
    t = np.arange(400)
    frame = pd.DataFrame(
        {
            "time": pd.date_range("2026-01-01", periods=400, freq="h").astype(str),
            "a": np.sin(t / 5),
            "b": np.cos(t / 5),
        }
    )
    frame.to_csv(tmp_path / "series.csv", index=False)
    out, report = tmp_path / "windows.csv", tmp_path / "series.html"
    args = ["series", str(tmp_path / "series.csv"), "--window-length", "12"]
    status = main(
        [*args, "--step", "2", "--max-iter", "5", "-n", "7", "-o", str(out)]
        + ["--report", str(report)]
    )
    assert status == 0
    windows = pd.read_csv(out)
    assert list(windows.columns) == ["window", "step", "a", "b"]
    assert len(windows) == 7 * 12 and windows["step"].max() == 11
    assert windows["window"].nunique() == 7
    assert report.read_text().count('<img class="figure"') == 3
    printed = capsys.readouterr().out
    assert "not numeric, left out: time" in printed and "DCR" not in printed
    assert "window detection accuracy" in printed


def test_cli_series_level_model(tmp_path, capsys):
    from skgan import GANSeriesSynthesizer
    from skgan.anomaly import make_windows

    t = np.arange(300)
    frame = pd.DataFrame({"a": np.sin(t / 5) + t / 50, "b": np.cos(t / 5) + t / 100})
    frame.to_csv(tmp_path / "series.csv", index=False)
    out = tmp_path / "windows.csv"
    args = ["series", str(tmp_path / "series.csv"), "--window-length", "12"]
    common = ["--max-iter", "5", "-n", "40", "-o", str(out)]
    assert main([*args, *common, "--level-model", "mixture"]) == 0
    written = pd.read_csv(out)[["a", "b"]].to_numpy().reshape(40, 12, 2)
    # The windows the library gives for the same settings.
    synth = GANSeriesSynthesizer(level_model="mixture", max_iter=5, random_state=0)
    synth.fit(make_windows(frame.to_numpy(), 12))
    assert synth.level_mixtures_ is not None
    np.testing.assert_allclose(written, synth.sample(40, random_state=0))
    with pytest.raises(SystemExit):
        main([*args, *common, "--level-model", "kde"])
    assert "invalid choice: 'kde'" in capsys.readouterr().err


def test_cli_series_errors_are_clear(tmp_path, capsys):
    frame = pd.DataFrame({"a": np.arange(20.0), "b": np.r_[np.arange(19.0), np.nan]})
    frame.to_csv(tmp_path / "series.csv", index=False)
    path = str(tmp_path / "series.csv")
    out = ["-o", str(tmp_path / "w.csv")]
    assert main(["series", path, "--window-length", "30", "--columns", "a", *out]) == 2
    assert "longer than the series (20 time steps)" in capsys.readouterr().err
    assert main(["series", path, "--window-length", "5", *out]) == 2
    assert "empty cells" in capsys.readouterr().err
    assert main(["series", path, "--window-length", "5", "--columns", "c", *out]) == 2
    assert "'c' is not a column" in capsys.readouterr().err


def test_cli_fit_with_differential_privacy(mixed_csv, tmp_path, capsys):
    pytest.importorskip("opacus")
    path, _ = mixed_csv
    bounds = tmp_path / "bounds.json"
    bounds.write_text('{"size": [0, 12], "count": [0, 8]}')
    model = tmp_path / "model"
    argv = ["fit", str(path), "--target", "Class", "--epsilon", "5", "--bounds"]
    argv += [str(bounds), "--epochs", "1", "--batch-size", "40"]
    # Counted with noise, Class's 15% of ones (30 rows) would not reach the
    # threshold (about 37 rows) and every row would be a 0: refused.
    assert main([*argv, "-o", str(tmp_path / "refused")]) == 2
    assert "column 'Class' would keep one value (0)" in capsys.readouterr().err
    classes = tmp_path / "classes.json"
    classes.write_text('{"Class": [0, 1]}')
    argv += ["--categories", str(classes)]
    assert main([*argv, "-o", str(model)]) == 0
    printed = capsys.readouterr().out
    assert "epsilon: none" not in printed and "epsilon" in printed


@pytest.mark.parametrize(
    "extra, bounds_text, message",
    [
        # Refused before any training, each naming the setting.
        (["--delta", "1e-5"], None, "delta only apply to a differentially private"),
        (["--epsilon", "1"], '{"size": [0, 12, 20]}', "bounds['size'] must be two"),
        (["--epsilon", "1"], '{"size": [0, 12], "height": [0, 2]}', "height"),
        (["--epsilon", "1"], "size: 0-12", "is not JSON"),
        (["--epsilon", "1"], "[0, 12]", "must hold a JSON object"),
    ],
)
def test_cli_fit_private_settings_are_refused(
    mixed_csv, tmp_path, capsys, extra, bounds_text, message
):
    path, _ = mixed_csv
    argv = ["fit", str(path), *extra, "-o", str(tmp_path / "m")]
    if bounds_text is not None:
        bounds = tmp_path / "bounds.json"
        bounds.write_text(bounds_text)
        argv += ["--bounds", str(bounds)]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_cli_series_report_takes_a_holdout_and_gru_updates(tmp_path, capsys):
    t = np.arange(500)
    frame = pd.DataFrame({"a": np.sin(t / 5), "b": np.cos(t / 5)})
    frame.iloc[:400].to_csv(tmp_path / "train.csv", index=False)
    frame.iloc[400:].to_csv(tmp_path / "later.csv", index=False)
    out, report = tmp_path / "windows.csv", tmp_path / "series.html"
    args = ["series", str(tmp_path / "train.csv"), "--window-length", "12"]
    args += ["--max-iter", "5", "-n", "20", "-o", str(out), "--report", str(report)]
    extra = ["--holdout", str(tmp_path / "later.csv"), "--gru-updates", "20"]
    assert main([*args, *extra]) == 0
    # With a holdout the report has a DCR ratio (the run without one has none).
    assert "DCR" in capsys.readouterr().out
    assert report.exists()


def test_cli_series_report_options_are_checked_before_training(tmp_path, capsys):
    t = np.arange(200)
    pd.DataFrame({"a": np.sin(t / 5)}).to_csv(tmp_path / "s.csv", index=False)
    pd.DataFrame({"z": np.sin(t / 5)}).to_csv(tmp_path / "other.csv", index=False)
    base = ["series", str(tmp_path / "s.csv"), "--window-length", "12"]
    base += ["-o", str(tmp_path / "w.csv")]
    assert main([*base, "--gru-updates", "20"]) == 2
    assert "add --report FILE" in capsys.readouterr().err
    report = ["--report", str(tmp_path / "r.html")]
    assert main([*base, *report, "--holdout", str(tmp_path / "other.csv")]) == 2
    assert "holdout channel 'a' is not a column" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*base, *report, "--gru-updates", "0"])
    assert not (tmp_path / "w.csv").exists()


def test_cli_fit_refuses_a_used_output_directory_before_training(
    mixed_csv, tmp_path, capsys
):
    path, _ = mixed_csv
    used = tmp_path / "model"
    used.mkdir()
    (used / "notes.txt").write_text("keep me")
    # Trained for the whole fit, then refused, before.
    assert main(["fit", str(path), "--epochs", "1", "-o", str(used)]) == 2
    err = capsys.readouterr().err
    assert str(used) in err and "not an empty directory" in err
    assert "epoch" not in err.lower()
    assert sorted(p.name for p in used.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("port", ["70000", "0", "http"])
def test_cli_serve_refuses_a_port_out_of_range(tmp_path, capsys, port):
    # A 23-frame traceback from the server before.
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", str(tmp_path), "--port", port])
    assert exit_info.value.code == 2
    assert "expected a port between 1 and 65535" in capsys.readouterr().err


def test_cli_sample_refuses_too_many_rows_before_loading_anything(tmp_path, capsys):
    out = tmp_path / "rows.csv"
    # The case that broke: -n 10**10 wrote until killed. The model path does
    # not even exist: the refusal comes before anything is read or written.
    argv = ["sample", str(tmp_path / "absent"), "-n", str(10**10), "-o", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "is above --max-rows 10000000" in err and "absent" not in err
    assert list(tmp_path.iterdir()) == []
    # In a fresh process the refusal loads neither torch nor pandas: it
    # answers in a few hundredths of a second, not the seconds they take.
    code = (
        "import sys; from skgan.cli import main; "
        f"status = main({argv!r}); "
        "print(status, 'torch' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["2", "False", "False"]


def test_cli_ctrl_c_leaves_no_file_and_one_line(mixed_csv, tmp_path, capsys):
    import signal
    import time

    path, _ = mixed_csv
    model = tmp_path / "model"
    assert main(["fit", str(path), "--epochs", "1", "-o", str(model)]) == 0
    out = tmp_path / "rows.csv"
    partial = tmp_path / ".rows.csv.partial"
    argv = ["sample", str(model), "-n", "9000000", "--max-rows", "9000000"]
    process = subprocess.Popen(
        [sys.executable, "-m", "skgan", *argv, "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As from a terminal: a shell's background job (CI, make &) starts
        # with SIGINT ignored, and Python then keeps ignoring it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not (partial.exists() and partial.stat().st_size > 0):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "skgan sample: interrupted; nothing written"
    assert not out.exists() and not partial.exists()


def test_every_option_of_every_command_has_help_text():
    import argparse

    from skgan.cli import build_parser

    commands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    missing = [
        f"{name} {'/'.join(action.option_strings) or action.dest}"
        for name, parser in commands.choices.items()
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction) and not action.help
    ]
    # fit --batch-size and resample --model had none.
    assert missing == []


@pytest.mark.parametrize("value, expected", [("auto", "auto"), ("64", 64)])
def test_cli_fit_batch_size_takes_auto_or_a_positive_integer(value, expected):
    fit = ["fit", "data.csv", "-o", "m"]
    args = build_parser().parse_args([*fit, "--batch-size", value])
    assert args.batch_size == expected
    assert build_parser().parse_args(fit).batch_size == "auto"


def test_cli_fit_refuses_a_batch_size_that_is_not_a_positive_integer(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["fit", "data.csv", "-o", "m", "--batch-size", "0"])
    assert exit_info.value.code == 2
    assert "expected a positive integer, got '0'" in capsys.readouterr().err


def test_cli_series_writes_integer_channels_as_integers(tmp_path):
    t = np.arange(300)
    frame = pd.DataFrame({"price": np.sin(t / 5) + 10, "volume": 1000 + t % 17})
    frame.to_csv(tmp_path / "series.csv", index=False)
    out = tmp_path / "windows.csv"
    args = ["series", str(tmp_path / "series.csv"), "--window-length", "12"]
    assert main([*args, "--max-iter", "5", "-n", "4", "-o", str(out)]) == 0
    # The case that broke: an integer channel written as 1007.0.
    text = out.read_text().splitlines()
    assert all(not line.rsplit(",", 1)[1].endswith(".0") for line in text[1:])
    assert pd.read_csv(out)["volume"].dtype == np.int64


def test_cli_sample_takes_a_series_export(tmp_path, capsys):
    from skgan import GANSeriesSynthesizer, load_generator

    t = np.arange(300)
    frame = pd.DataFrame({"a": np.sin(t / 5), "b": np.cos(t / 5)})
    labels = np.repeat(["calm", "busy"], 289 // 2 + 1)[:289]
    windows = np.stack([frame.to_numpy()[i : i + 12] for i in range(289)])
    synth = GANSeriesSynthesizer(max_iter=5, random_state=0).fit(windows, labels)
    synth.export_generator(tmp_path / "m")
    out = tmp_path / "w.csv"
    argv = ["sample", str(tmp_path / "m"), "-n", "3", "--seed", "1", "-o", str(out)]
    # The case that broke: iter_samples() got an unexpected keyword argument.
    assert main([*argv, "--condition", "class=busy"]) == 0
    expected = load_generator(tmp_path / "m").sample(3, y="busy", random_state=1)
    written = pd.read_csv(out)[["0", "1"]].to_numpy()
    np.testing.assert_allclose(written, expected.reshape(-1, 2))
    assert "36 rows written" in capsys.readouterr().out
    assert main([*argv, "--condition", "class=loud"]) == 2
    assert "'loud' is not a class of this series model" in capsys.readouterr().err


def test_cli_fit_epsilon_without_bounds_names_the_file_and_its_format(
    mixed_csv, tmp_path, capsys
):
    path, _ = mixed_csv
    argv = ["fit", str(path), "--epsilon", "1", "-o", str(tmp_path / "m")]
    # The case that broke: the answer was bounds={'size': (low, high)}.
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "pass --bounds FILE, a JSON file such as" in err
    assert '"size": [low, high]' in err and "bounds={" not in err


def test_cli_fit_categories_declare_the_values_kept_under_epsilon(tmp_path, capsys):
    pytest.importorskip("opacus")
    rng = np.random.default_rng(0)
    kinds = rng.choice(["owl", "cat", "dog"], 300, p=[0.1, 0.5, 0.4])
    frame = pd.DataFrame({"kind": kinds, "weight": rng.normal(9, 3, 300).round(1)})
    frame.to_csv(tmp_path / "d.csv", index=False)
    (tmp_path / "b.json").write_text('{"weight": [0, 20]}')
    (tmp_path / "c.json").write_text('{"kind": ["owl", "cat", "dog"]}')
    argv = ["fit", str(tmp_path / "d.csv"), "--epsilon", "1", "--bounds"]
    argv += [str(tmp_path / "b.json"), "--epochs", "1"]
    # Counted with noise at epsilon=1, a kind needs about 88 rows: the owls
    # (30) are dropped, which the warning names and the card reports.
    with pytest.warns(UserWarning, match=r"suppressed: 'kind': \['owl'\]"):
        assert main([*argv, "-o", str(tmp_path / "m")]) == 0
    assert "values counted with noise: kind" in capsys.readouterr().out
    declared = [*argv, "--categories", str(tmp_path / "c.json")]
    assert main([*declared, "-o", str(tmp_path / "n")]) == 0
    assert "values counted with noise" not in capsys.readouterr().out
    rows = skgan.load_generator(tmp_path / "n").sample(500, random_state=0)
    assert set(rows["kind"]) == {"owl", "cat", "dog"}
    (tmp_path / "c.json").write_text('{"kind": ["cat", "dog"]}')
    assert main([*declared, "-o", str(tmp_path / "o")]) == 2
    assert "holds values not in its list, ['owl']" in capsys.readouterr().err


def test_cli_output_into_a_missing_folder_is_named(mixed_csv, tmp_path, capsys):
    path, _ = mixed_csv
    out = tmp_path / "nowhere" / "x.csv"
    argv = ["resample", str(path), "--target", "Class", "--max-iter", "2"]
    # The case that broke: the error named the hidden '.x.csv.partial'.
    assert main([*argv, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "does not exist; create it first" in err and ".partial" not in err
