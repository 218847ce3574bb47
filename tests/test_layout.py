"""The house: no import circle between modules, one home for the version."""

import ast
from pathlib import Path

import skgan
from skgan._version import __version__

PACKAGE = Path(skgan.__file__).parent


def _imports():
    """``{module: modules it imports}`` for every module file (not ``__init__``),
    function-level imports included, re-exports through a package resolved
    to the module file where one exists."""
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["skgan", *path.relative_to(PACKAGE).with_suffix("").parts]
        package = parts[:-1]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif isinstance(node, ast.ImportFrom):
                target = node.module or ""
            else:
                continue
            for alias in node.names:
                module = f"{target}.{alias.name}"
                file = PACKAGE.parent / (module.replace(".", "/") + ".py")
                deps.add(module if file.exists() else target)
        if parts[-1] != "__init__":
            graph[".".join(parts)] = deps
    return graph


def test_no_module_imports_itself_through_others():
    graph = _imports()
    circles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            module, path = stack.pop()
            for dep in graph[module] & graph.keys():
                if dep == start:
                    circles.append(" -> ".join([*path, dep]))
                elif dep not in seen:
                    seen.add(dep)
                    stack.append((dep, [*path, dep]))
    assert circles == []


def test_the_version_has_one_home():
    assert skgan.__version__ == __version__
    graph = _imports()
    # Modules read it from skgan._version, never from the package above them.
    upward = [m for m, deps in graph.items() if "skgan" in deps]
    assert upward == []


def test_the_serving_package_imports_no_private_name_of_another_package():
    for path in (PACKAGE / "serving").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                assert not any(p.startswith("_") for p in node.module.split(".")[1:])
                assert not any(a.name.startswith("_") for a in node.names) or (
                    node.module == "_version"
                ), (path.name, node.module)


def test_every_result_the_readme_and_guides_cite_is_committed():
    import re

    root = PACKAGE.parent
    results = root / "benchmarks" / "results"
    if not results.is_dir():  # pragma: no cover - an installed package
        import pytest

        pytest.skip("not a source checkout")
    texts = [root / "README.md", *sorted((root / "docs").glob("*.rst"))]
    cited = set()
    for path in texts:
        cited |= set(
            re.findall(r"[a-z_]+_20\d\d-\d\d-\d\d[a-z]?\.(?:md|json)", path.read_text())
        )
    assert cited, "no result is cited"
    assert sorted(c for c in cited if not (results / c).is_file()) == []
