"""The layers point one way: ui → reports → workbench. The core and the reports never
import Qt or the UI, so the command line and the PDF builders run without a screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT = {"PySide6", "pyqtgraph", "shiboken6"}
FORBIDDEN = {"workbench": QT | {"ui", "reports"}, "reports": QT | {"ui"}}


def imported_packages(source: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in a file, nested ones included."""
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


@pytest.mark.parametrize("layer", list(FORBIDDEN))
def test_layer_imports_nothing_above_it(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"no Python files under {layer}/"
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in files
        for line, package in imported_packages(path)
        if package in FORBIDDEN[layer]
    ]
    assert offences == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\ndef later():\n    from PySide6.QtCore import QObject\n"
                      "    import ui.cli\n", encoding="utf-8")
    assert imported_packages(sample) == [(1, "os"), (4, "PySide6"), (5, "ui")]


def test_core_and_command_line_load_without_qt() -> None:
    probe = ("import sys, workbench.workbook, ui.cli; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('PySide6', 'pyqtgraph', 'shiboken6')))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
