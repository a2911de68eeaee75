"""Saving what a screen shows: a table model as CSV with spreadsheet formulas neutralised,
a widget as a PNG at twice its size, and the funnel diagram's "Save diagram as PNG…"."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.context import AppContext
from ui.export import files
from ui.export.files import neutralise, save_widget_png, write_model_csv
from workbench.workbook import Workbook


@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("Paid search", "Paid search"), ("", ""),
    ("-12", "-12"), ("-1,250.5", "-1,250.5"), ("+44", "+44"), ("a=b", "a=b"),
])
def test_formula_looking_cells_get_an_apostrophe(cell: str, written: str) -> None:
    assert neutralise(cell) == written


def test_a_table_model_is_written_as_the_user_sees_it(tmp_path: Path) -> None:
    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["Source", "MQLs", "Note"])
    for row in (["Paid search", "54", "=1+1"], ["Café & Co", "-3", "@evil"]):
        model.appendRow([QStandardItem(text) for text in row])
    path = write_model_csv(model, tmp_path / "sources.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read UTF-8
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["Source", "MQLs", "Note"], ["Paid search", "54", "'=1+1"],
                    ["Café & Co", "-3", "'@evil"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.csv"]


def test_a_csv_that_cannot_be_written_leaves_nothing(tmp_path: Path) -> None:
    model = QStandardItemModel(1, 1)
    with pytest.raises(OSError):
        write_model_csv(model, tmp_path / "missing folder" / "x.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_widget_is_saved_as_png_at_twice_its_size(qtbot: QtBot, tmp_path: Path) -> None:
    label = QLabel("Actual vs plan")
    qtbot.addWidget(label)
    label.resize(200, 40)
    path = save_widget_png(label, tmp_path / "chart")
    assert path.name == "chart.png"
    image = QImage(str(path))
    assert (image.width(), image.height()) == (400, 80)


def test_the_funnel_diagram_saves_itself_as_png(
        qtbot: QtBot, demo: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.funnel.editor import FunnelEditor

    editor = FunnelEditor(AppContext(demo))
    qtbot.addWidget(editor)
    editor.resize(1200, 800)
    editor.show()
    qtbot.waitExposed(editor)
    target = tmp_path / "funnel.png"
    monkeypatch.setattr(files, "ask_save_path", lambda *args: target)
    editor.view.save_png()
    image = QImage(str(target))
    viewport = editor.view.viewport().size()
    assert (image.width(), image.height()) == (viewport.width() * 2, viewport.height() * 2)
    assert image.pixelColor(image.width() // 2, image.height() // 4).name() != "#ffffff"
