"""Open the HTML report in headless Chromium and check every figure rendered.

`.ci/run` installs Debian's chromium; where it is absent the test skips.
"""

import re
import shutil
import subprocess

import numpy as np
import pytest

import skgan

pytest.importorskip("matplotlib")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def test_every_figure_of_the_report_renders_in_chromium(tmp_path, seed):
    rng = np.random.RandomState(seed)
    real, holdout = rng.randn(300, 4), rng.randn(200, 4)
    path = skgan.evaluate(real, rng.randn(600, 4) * 1.2, holdout=holdout).to_html(
        tmp_path / "report.html"
    )
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    # every figure the report wrote: the four plots and the pair-trend heat map
    n_figures = path.read_text().count('<img class="figure"')
    assert n_figures == 5
    assert re.search(rf'data-figures="{n_figures}:{n_figures}"', dom), dom[:500]
    assert dom.count('data-rendered="yes"') == n_figures
    assert 'data-rendered="no"' not in dom
