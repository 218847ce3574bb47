"""Every Python code block of the README and the guides runs as written.

The blocks of one page run in order in one namespace, as a reader would run
them, in a fresh directory (they write files). They train real models at the
documented settings, so they are slow.
"""

import os
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]


def python_blocks(path):
    """The Python code blocks of a Markdown or reStructuredText page."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    blocks = []
    for match in re.finditer(r"^\.\. code-block:: python\n\n", text, flags=re.M):
        body = []
        for line in text[match.end() :].splitlines():
            if line.strip() and not line.startswith("   "):
                break
            body.append(line)
        blocks.append(textwrap.dedent("\n".join(body)))
    return blocks


def test_pages_have_the_blocks_this_test_runs():
    counts = {path.name: len(python_blocks(path)) for path in PAGES}
    assert counts["README.md"] == 4
    assert counts["scale.rst"] == 2 and counts["synthesis.rst"] == 4
    assert counts["serve.rst"] == 1 and counts["series.rst"] == 3


@pytest.mark.slow
@pytest.mark.parametrize(
    "page", [p for p in PAGES if python_blocks(p)], ids=lambda p: p.name
)
def test_code_blocks_run_as_written(page, tmp_path, monkeypatch):
    pytest.importorskip("palmerpenguins")
    if page.name == "scale.rst":
        pytest.importorskip("distributed")
    if page.name == "serve.rst":
        pytest.importorskip("mlflow")
    if page.name == "synthesis.rst":
        pytest.importorskip("opacus")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    for number, block in enumerate(python_blocks(page), 1):
        code = compile(block, f"{page.name}, block {number}", "exec")
        exec(code, namespace)  # noqa: S102 (the documentation's own code)
    assert os.getcwd() == str(tmp_path)
