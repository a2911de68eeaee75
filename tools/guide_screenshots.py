"""Take the user guide's screenshots: the app on a fresh demo workbook, offscreen, each
screen at one window size, saved small into `resources/guide/`.

    .venv/bin/python tools/guide_screenshots.py [--out resources/guide]

Run it again after a screen changes, look at the pictures, and commit them with the change.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: this checkout's packages
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, Qt  # noqa: E402  (after the platform is set)
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

WINDOW_SIZE = (1280, 800)  # a laptop or a projector
SAVED_WIDTH = 760  # what the guide's page shows without scrolling sideways
MAX_BYTES = 120_000

# (file name, area shown, seconds to let it finish drawing) for each picture of the window;
# the SLA's preview is a PDF built on a worker thread.
SCREENS = (("funnel.png", "funnel", 0.6), ("scoring.png", "scoring", 1.0),
           ("data.png", "data", 0.6), ("plan.png", "plan", 0.6),
           ("dashboard.png", "dashboard", 1.0), ("sla.png", "sla", 4.0),
           ("workshop.png", "workshop", 0.6))


def settle(app: QApplication, seconds: float = 0.6) -> None:
    """Let the screen finish drawing (figures read on worker threads arrive meanwhile)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, path: Path) -> int:
    """Grab `widget` and save it at `SAVED_WIDTH` in 256 colours (a flat interface loses
    nothing a reader sees, and the file shrinks by half); the file's size in bytes."""
    from PIL import Image

    image = widget.grab().toImage().scaledToWidth(
        SAVED_WIDTH, Qt.TransformationMode.SmoothTransformation)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    picture = Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGB")
    picture.quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
    return path.stat().st_size


def take(out: Path, say: Callable[[str], None] = print) -> list[Path]:
    """Take every picture into `out`; the files written."""
    from ui.app import application
    from ui.export.dialog import ExportDialog
    from ui.main_window import MainWindow
    from ui.shell.settings import ShellSettings
    from workbench.workbook import Workbook

    app = application()
    written = []
    with tempfile.TemporaryDirectory() as folder:
        workbook_path = Path(folder) / "Brightline Logistics Software.awb"
        Workbook.create(workbook_path, "demo").close()
        window = MainWindow(ShellSettings(Path(folder) / "settings.ini"), Path(folder))
        window.resize(*WINDOW_SIZE)
        window.show()
        window.start(workbook_path)
        for name, area, seconds in SCREENS:
            window.show_area(area)
            settle(app, seconds)
            written.append(out / name)
            say(f"{name}: {save(window, out / name):,} bytes")
        dialog = ExportDialog(window.context, window, kind="qbr")
        dialog.show()
        settle(app, 3.0)  # the preview is built on a worker thread
        written.append(out / "export.png")
        say(f"export.png: {save(dialog, out / 'export.png'):,} bytes")
        dialog.close()
        window.close()
        settle(app, 0.2)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "guide")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    too_big = [p for p in take(args.out) if p.stat().st_size > MAX_BYTES]
    for path in too_big:
        print(f"{path.name} is over {MAX_BYTES:,} bytes: simplify the screen shown",
              file=sys.stderr)
    return 1 if too_big else 0


if __name__ == "__main__":
    raise SystemExit(main())
