"""Saving what a screen shows: a widget as a PNG image, a table model as CSV.

CSV cells are neutralised against spreadsheet formulas: text starting with =, +, -, @ (or
a tab or carriage return) gets a leading apostrophe, so opening the file in a spreadsheet
never runs a formula a CRM export smuggled into a name. Plain numbers such as -12 or
-1,250.5 stay numbers.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.files import replacing

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[-+]?\d[\d,]*(\.\d+)?")
PNG_SCALE = 2  # twice the screen size: sharp in slides and documents


def neutralise(text: str) -> str:
    """`text` made safe for a spreadsheet: a formula-looking cell gets a leading "'"."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def model_rows(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[list[str]]:
    """The model's header and rows as the user sees them (display text)."""
    parent = parent or QModelIndex()
    columns = model.columnCount(parent)
    header = [str(model.headerData(c, Qt.Orientation.Horizontal,
                                   Qt.ItemDataRole.DisplayRole) or "") for c in range(columns)]
    rows = [header]
    for row in range(model.rowCount(parent)):
        cells = []
        for column in range(columns):
            value = model.data(model.index(row, column, parent), Qt.ItemDataRole.DisplayRole)
            cells.append("" if value is None else str(value))
        rows.append(cells)
    return rows


def write_model_csv(model: QAbstractItemModel, path: str | os.PathLike[str]) -> Path:
    """Write the table model to `path` as UTF-8 CSV (with a byte-order mark, so
    spreadsheets read accents right), neutralising formulas. Written under a temporary
    name and renamed, so a failure leaves no half-written file."""
    path = Path(path)
    with replacing(path) as (handle, _), open(os.dup(handle), "w", encoding="utf-8-sig",
                                              newline="") as stream:
        writer = csv.writer(stream)
        for row in model_rows(model):
            writer.writerow([neutralise(cell) for cell in row])
    return path


def widget_image(widget: QWidget, scale: int = PNG_SCALE) -> QImage:
    """The widget as it looks on screen, rendered at `scale` times its size on white."""
    image = QImage(widget.size() * scale, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(Qt.GlobalColor.white)
    widget.render(image)
    return image


def save_widget_png(widget: QWidget, path: str | os.PathLike[str],
                    scale: int = PNG_SCALE) -> Path:
    """Save the widget as a PNG image; raises OSError when it cannot be written."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        path = path.with_name(path.name + ".png")
    if not widget_image(widget, scale).save(str(path), "PNG"):
        raise OSError(f"{path}: cannot be written")
    return path


def suggested_name(title: str, extension: str) -> str:
    """A file name from a title: "Actual vs plan, 2026Q3" → "actual-vs-plan-2026q3.png"."""
    stem = re.sub(r"[^0-9A-Za-z]+", "-", title).strip("-").lower() or "export"
    return f"{stem[:60]}.{extension}"


def ask_save_path(parent: QWidget | None, caption: str, suggested: str,
                  file_filter: str) -> Path | None:
    """Where to save; None when cancelled. Tests replace this."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, file_filter)
    return Path(path) if path else None
