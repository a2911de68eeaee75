"""Start-up time: from process start to the first painted main window on the demo workbook,
against a bare PySide6 QMainWindow measured in the same run.

    .venv/bin/python bench/startup.py [--runs 5]

"App ready" is the workbook open and its first screen shown, as a user starts the app
on the workbook it closed last (the child quits by closing its window); the same start on
a workbook from elsewhere, checked whole before it opens, is reported beside it.

Each sample is a fresh `python -c` child. The parent notes `time.perf_counter()` just
before spawning it; the child prints its own `perf_counter()` once the window's first paint
event has been handled (both read the same monotonic clock). The runs of the two kinds
alternate, after one unmeasured warm-up of each. Prints the medians and their ratio (the
target is at most 2.5x), and which heavy libraries (reportlab, pyHanko, pyqtgraph,
openpyxl) the app imported before its first paint: it should be none.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("reportlab", "pyhanko", "pyqtgraph", "openpyxl", "numpy")
TARGET_RATIO = 2.5

# Shared by both children: report the moment the first paint event of `window` is done.
FIRST_PAINT = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

# The first paint burst (the window and its children, painted together before Qt flushes
# them to the screen) ends with the last Paint event before other queued work (a timer) runs.
class FirstPaint(QObject):
    painted = False
    finished_at = None
    def eventFilter(self, watched, event):
        kind = event.type()
        if kind == QEvent.Type.Paint and FirstPaint.finished_at is None:
            FirstPaint.painted = True
            FirstPaint.last_paint = time.perf_counter()
        elif FirstPaint.painted and FirstPaint.finished_at is None and kind in (
                QEvent.Type.Timer, QEvent.Type.MetaCall):
            FirstPaint.finished_at = FirstPaint.last_paint
        return False
def report_first_paint(window):
    app = QApplication.instance()
    watcher = FirstPaint()
    app.installEventFilter(watcher)
    while not FirstPaint.painted:
        app.processEvents()
    app.processEvents()
    moment = FirstPaint.finished_at or FirstPaint.last_paint
    print(f"painted {moment:.6f}", flush=True)
    heavy = sorted({m.split('.')[0] for m in sys.modules} & set(HEAVY))
    print("heavy " + ",".join(heavy), flush=True)
"""
BARE = FIRST_PAINT + """
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1366, 768)
window.show()
report_first_paint(window)
"""

# As `alignment-workbench` starts the app (`ui.cli.main`, `ui.app.run_app`): automatic
# cycle collection off before the app loads, the GUI thread's collector once it is shown.
APP = "import gc\ngc.disable()\n" + FIRST_PAINT + """
print(f"qt {time.perf_counter():.6f}", flush=True)
from pathlib import Path
from ui.app import launch
from ui.shell.settings import ShellSettings
print(f"ui {time.perf_counter():.6f}", flush=True)
folder = Path(sys.argv[1])
window = launch(None, True, settings=ShellSettings(folder / sys.argv[2]), data_dir=folder,
                defer_open=True)
from ui.shell.collector import GuiThreadCollector
collector = GuiThreadCollector()
print(f"shown {time.perf_counter():.6f}", flush=True)
report_first_paint(window)
app = QApplication.instance()
while window.context.workbook is None or window.areas.currentWidget() is None:
    app.processEvents()
app.processEvents()
print(f"ready {time.perf_counter():.6f}", flush=True)
if sys.argv[3] == "close":  # as the user quits: the next start finds the file as it left it
    window.close()
"""
# Where the app's time goes, as (label, mark the phase ends at); each starts where the
# previous one ended, the first at the spawn.
PHASES = (("Python + PySide6 imports", "qt"), ("UI imports (shell, context)", "ui"),
          ("build window", "shown"), ("first paint (window with 'Opening…')", "painted"),
          ("open workbook, core imports, first screen", "ready"))


def sample(code: str, folder: Path, env: dict[str, str], settings: str = "reopen.ini",
           end: str = "close") -> tuple[dict[str, float], str]:
    """One child: seconds from spawning it to each mark it printed ("painted" last), and
    the heavy modules it had imported by then. The app's child keeps its settings in
    `settings` and, with `end` "close", closes its window once ready, as a user quits."""
    script = f"HEAVY = {HEAVY!r}\n" + code
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", script, str(folder), settings, end],
                            cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    if result.returncode != 0 or "painted" not in lines:
        raise SystemExit(f"child failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    marks = {key: float(value) - start for key, value in lines.items() if key != "heavy"}
    if "ui" in marks and "ready" not in marks:
        raise SystemExit(f"child never became ready:\n{result.stdout}{result.stderr}")
    return marks, lines.get("heavy", "").strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The children start as a user's app does, from Python's bytecode cache (written by the
    # warm-ups): a shell that says not to write it would have each child compile every
    # module of the app again (about 0.13 s here), which no user's start pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="aw-startup-") as tmp:
        folder = Path(tmp)
        sys.path.insert(0, str(ROOT))
        from workbench.workbook import Workbook

        Workbook.create(folder / "Demo company.awb", "demo").close()
        sample(BARE, folder, env)  # warm-ups: the disk cache, Python's bytecode cache
        sample(APP, folder, env)  # and the first close, which the next start finds
        bare, app, ready, checked, heavy = [], [], [], [], set()
        phases: dict[str, list[float]] = {label: [] for label, _ in PHASES}
        for _ in range(runs):
            bare.append(sample(BARE, folder, env)[0]["painted"])
            # A settings file that never saw the workbook closed: opened as one from
            # elsewhere, its every page and value checked first.
            checked.append(sample(APP, folder, env, "elsewhere.ini", "stay")[0]["ready"])
            marks, modules = sample(APP, folder, env)
            app.append(marks["painted"])
            ready.append(marks["ready"])
            heavy.update(filter(None, modules.split(",")))
            previous = 0.0
            for label, mark in PHASES:
                phases[label].append(marks[mark] - previous)
                previous = marks[mark]
    bare_median, app_median = statistics.median(bare), statistics.median(app)
    ratio = app_median / bare_median
    print(f"bare QMainWindow      median {bare_median * 1000:7.0f} ms  "
          f"({', '.join(f'{s * 1000:.0f}' for s in bare)})")
    print(f"app on demo workbook  median {app_median * 1000:7.0f} ms  "
          f"({', '.join(f'{s * 1000:.0f}' for s in app)})")
    for label, seconds in phases.items():
        print(f"    {label:<44} median {statistics.median(seconds) * 1000:5.0f} ms")
    ready_median, checked_median = statistics.median(ready), statistics.median(checked)
    print(f"app ready (workbook open, Funnel screen shown) median {ready_median * 1000:5.0f} ms"
          f" = {ready_median / bare_median:.2f}x the bare window (target <= {TARGET_RATIO}x)")
    print(f"app ready on a workbook from elsewhere (checked whole first) median "
          f"{checked_median * 1000:5.0f} ms = {checked_median / bare_median:.2f}x")
    print(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): "
          f"{'OK' if ratio <= TARGET_RATIO else 'OVER'}")
    print(f"heavy libraries imported before the first paint: {', '.join(sorted(heavy)) or 'none'}")
    return 0 if ratio <= TARGET_RATIO and not heavy else 1


if __name__ == "__main__":
    raise SystemExit(main())
