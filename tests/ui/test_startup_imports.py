"""Start-up stays light: opening the app on the demo workbook imports none of the heavy
libraries that only exports, charts, scoring and imports need (they load when first used)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("reportlab", "pyhanko", "pyqtgraph", "openpyxl", "numpy")
ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from ui.app import launch
from ui.shell.settings import ShellSettings
folder = Path(sys.argv[1])
window = launch(None, True, settings=ShellSettings(folder / "s.ini"), data_dir=folder)
QApplication.processEvents()
print(window.windowTitle())
print(",".join(sorted({m.split(".")[0] for m in sys.modules})))
print(",".join(sorted(sys.modules)))
import linecache
print(",".join(sorted(name for name in linecache.cache if "/ui/" in name or "/workbench/" in name)))
"""
# What the Funnel screen, the first, does not need either: the other areas' core, the
# importers, the migrations' library, the package metadata reader.
NOT_YET = ("workbench.sla", "workbench.workshop", "workbench.imports.lead_import",
           "workbench.imports.actuals_import", "sqlite_utils", "importlib.metadata",
           "ui.sla.screen", "ui.dashboard.screen", "workbench.chartdata")


def test_opening_the_app_imports_no_heavy_library(tmp_path: Path, demo_path: Path) -> None:
    (tmp_path / "Demo company.awb").write_bytes(demo_path.read_bytes())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    title, modules, loaded, sources_read = result.stdout.splitlines()[-4:]
    assert title.startswith("Demo company — ")  # it did open the workbook
    assert "PySide6" in modules.split(",")
    assert set(modules.split(",")) & set(HEAVY) == set()
    assert "ui.funnel.editor" in loaded.split(",")  # the first screen was made
    assert set(loaded.split(",")) & set(NOT_YET) == set()
    # PySide6's look at each later import read the files' bytes (`ui.pyside_imports`): no
    # module of the app's was read whole into `linecache`
    assert sources_read == ""
