"""Render the app icon (resources/icons/app.svg) into the hicolor theme's PNG sizes, and the
Windows .ico and macOS .icns the spec names, with Qt's own SVG renderer.

    .venv/bin/python packaging/render_icons.py build/icons

writes OUT/hicolor/NxN/apps/io.github.alignmentworkbench.png for each size, the SVG as
OUT/hicolor/scalable/apps/io.github.alignmentworkbench.svg, and OUT/app.ico, OUT/app.icns.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICON = ROOT / "resources" / "icons" / "app.svg"
APP_ID = "io.github.alignmentworkbench"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(out: Path) -> list[Path]:
    """Write every icon file under `out`; returns the paths written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICON))
    if not renderer.isValid():
        raise SystemExit(f"{ICON}: Qt cannot read this SVG")
    written = []

    def image(size: int) -> QImage:
        result = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        result.fill(Qt.GlobalColor.transparent)
        painter = QPainter(result)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        return result

    for size in SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image(size).save(str(path), "PNG"):
            raise SystemExit(f"{path}: could not be written")
        written.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICON, scalable)
    written.append(scalable)
    for name, fmt, size in (("app.ico", "ICO", 256), ("app.icns", "ICNS", 512)):
        if image(size).save(str(out / name), fmt):
            written.append(out / name)
        else:  # the format plugin is missing: only the Windows or macOS build needs it
            print(f"note: Qt could not write {name} ({fmt})", file=sys.stderr)
    del app
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for written_path in render(Path(sys.argv[1])):
        print(written_path)
