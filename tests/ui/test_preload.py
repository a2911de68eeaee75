"""Every area's screen module is loaded on a worker thread once the app has settled, so
the first visit to the Dashboard or Scoring does not stop the window to load pyqtgraph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, threading
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QTimer
app = QApplication([])
from ui.areas import AREAS
from ui.shell import preload
wanted = [a.screen.partition(":")[0] for a in AREAS if a.screen]
assert "pyqtgraph" not in sys.modules and not any(m in sys.modules for m in wanted)
preload.preload_screens_later(after_ms=50)
seen = []
def check():
    threads = [t.name for t in threading.enumerate()]
    if all(m in sys.modules for m in wanted) and "preload" not in threads:
        seen.append(True); app.quit()
timer = QTimer(interval=20); timer.timeout.connect(check); timer.start()
QTimer.singleShot(20_000, app.quit)
app.exec()
print("loaded" if seen and "pyqtgraph" in sys.modules else "not loaded")
"""


def test_the_screens_load_on_a_worker_thread_once_the_app_has_settled(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                               "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded"
    # No Qt object was made or freed off the GUI thread while the modules loaded.
    assert "thread" not in done.stderr.lower(), done.stderr
