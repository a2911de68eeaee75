"""The SLA's wording fields, as the main window styles them: each is as tall as its text,
so no clause is cut off mid-line when the screen first shows."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.sla.fields import GrowingTextEdit


def test_every_wording_field_shows_all_its_lines(qtbot: QtBot, window: MainWindow) -> None:
    window.show_area("sla")
    QApplication.processEvents()
    fields = [f for f in window.areas.current_page().findChildren(GrowingTextEdit)
              if f.isVisible()]
    assert len(fields) >= 5
    for field in fields:
        last = field.document().lastBlock()
        bottom = field.blockBoundingGeometry(last).translated(field.contentOffset()).bottom()
        assert field.verticalScrollBar().maximum() == 0, field.toPlainText()[:40]
        assert bottom <= field.viewport().height(), (field.toPlainText()[:40], bottom)
