"""The layers stay apart: a computing core that stands alone, presentation on top of it,
the command line and the dashboard at the edges, and no import cycle anywhere.

The core is everything in `pipeline/` except `present/` (words, tables, charts),
`report/` (the beretning) and `cli/` (the command line). These tests read the source
(every import, also those inside functions), so a wrong-way import fails here before it
can become a hidden dependency.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

OUTER = ("pipeline.present", "pipeline.report", "pipeline.cli", "pipeline.__main__")
UI_LIBRARIES = ("streamlit", "plotly", "kaleido", "docx")
HEAVY_LIBRARIES = ("pandas", "numpy", "scipy", "pyarrow", "openpyxl", *UI_LIBRARIES)


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_files() -> dict[str, Path]:
    files = [*REPO.glob("pipeline/**/*.py"), *REPO.glob("dashboard_pages/*.py"),
             REPO / "dashboard.py"]
    return {_module_name(p): p for p in files}


MODULES = _project_files()


def _imports(name: str) -> set[str]:
    """Every module `name` imports, anywhere in its source; `from a import b` counts as
    importing `a.b` when that is a module of the project, else `a`."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found


def _is_core(name: str) -> bool:
    return name.startswith("pipeline") and not name.startswith(OUTER)


def _hits(imported: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in imported if any(m == p or m.startswith(f"{p}.") for p in prefixes))


def test_the_core_imports_no_presentation_report_cli_or_dashboard():
    wrong = {name: _hits(_imports(name), (*OUTER, "dashboard_pages", "dashboard",
                                          *UI_LIBRARIES))
             for name in MODULES if _is_core(name)}
    assert not {k: v for k, v in wrong.items() if v}
    assert len([n for n in MODULES if _is_core(n)]) > 20  # the check did look


def test_presentation_and_report_do_not_reach_outwards():
    rules = {"pipeline.present": ("pipeline.report", "pipeline.cli", "dashboard_pages",
                                  "streamlit", "kaleido", "docx"),
             "pipeline.report": ("pipeline.cli", "dashboard_pages", "streamlit")}
    wrong = {name: _hits(_imports(name), banned) for layer, banned in rules.items()
             for name in MODULES if name.startswith(layer)}
    assert not {k: v for k, v in wrong.items() if v}


def test_no_import_cycle_anywhere():
    graph = {name: {m for m in _imports(name) if m in MODULES and m != name}
             for name in MODULES}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles


def test_the_command_line_starts_without_the_heavy_libraries():
    """`python -m pipeline --help` answers at once: loading the command group imports
    neither pandas nor scipy nor the dashboard's and report's libraries (the benchmark
    measures the time)."""
    code = ("import sys; from pipeline.cli.commands import main; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY_LIBRARIES!r}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def _problem_calls() -> list[tuple[str, int, ast.Call]]:
    calls = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem":
                calls.append((name, node.lineno, node))
    return calls


def test_every_problem_has_a_stable_code():
    calls = _problem_calls()
    assert len(calls) > 50
    codes = {}
    for name, line, call in calls:
        code = next((k.value for k in call.keywords if k.arg == "code"), None)
        assert code is not None, f"{name}:{line} makes a Problem without a code"
        if isinstance(code, ast.Constant):
            assert re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", code.value), (name, line, code.value)
            codes[code.value] = name
    assert len(codes) > 40  # distinct kinds, not one code for everything


def _where_things_are() -> list[str]:
    """The paths in the README's table: a bare file name after a folder (`pipeline/read/`
    (`tables.py`, ...)) or after another file of that folder is read as in that folder."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where things are", 1)[1].split("\n## ", 1)[0]
    paths = []
    for line in section.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        folder = ""
        for item in re.findall(r"`([^`]+)`", line.split("|")[2]):
            if "/" in item:
                folder = item if item.endswith("/") else item.rsplit("/", 1)[0] + "/"
                paths.append(item)
            elif "." in item and " " not in item:  # top-level files (dashboard.py) as they are
                nested = folder and not (REPO / item).exists()
                paths.append(folder + item if nested else item)
    return paths


def test_the_readme_names_only_paths_that_exist():
    paths = _where_things_are()
    assert len(paths) >= 25
    missing = [p for p in paths if not (REPO / p.rstrip("/")).exists()]
    assert not missing


@pytest.mark.parametrize("layer", ["pipeline/read", "pipeline/outputs", "pipeline/intake",
                                   "pipeline/cli", "pipeline/present", "pipeline/report"])
def test_every_layer_is_in_the_readme(layer):
    assert any(p.startswith(layer) for p in _where_things_are())
