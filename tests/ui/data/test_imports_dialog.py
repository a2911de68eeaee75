"""Data → Imports…: the imports listed with what they did; Remove import… says what goes
and what stays before it removes anything, and Edit → Undo brings the leads back."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.context import AppContext
from ui.data import common
from ui.data.screen import DataScreen
from ui.shell.undo import undo_last_step
from workbench.workbook import Workbook

from ...workbench.test_import_formats import write
from ...workbench.test_remove_import import FIRST, MAPPING, SECOND


@pytest.fixture
def screen(qtbot, blank: Workbook, tmp_path: Path) -> tuple[DataScreen, AppContext]:
    blank.leads.import_file(write(tmp_path, FIRST, "first.csv"), MAPPING)
    blank.leads.import_file(write(tmp_path, SECOND, "second — Zoë.csv"), MAPPING)
    context = AppContext(blank)
    widget = DataScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget, context


def texts(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_the_imports_are_listed_and_one_is_removed_after_saying_what_goes(
        screen, monkeypatch: pytest.MonkeyPatch) -> None:
    widget, context = screen
    widget.imports_button.click()
    dialog = widget.imports_dialog
    assert dialog is not None and dialog.isVisible()
    assert texts(dialog.table, 0)[1:6] == ["second — Zoë.csv", "2", "1", "0", "0"]
    assert texts(dialog.table, 1)[1:3] == ["first.csv", "3"]
    asked: list[str] = []
    monkeypatch.setattr(common, "confirm",
                        lambda parent, title, text, action: asked.append(text) or True)
    dialog.table.selectRow(0)
    dialog.remove_button.click()
    assert "Existing leads it updated (1) keep the values it gave them" in asked[0]
    assert context.workbook.leads.count() == 3
    assert texts(dialog.table, 0)[6].startswith("removed ")
    dialog.table.selectRow(0)
    assert not dialog.remove_button.isEnabled()  # removed already
    undo_last_step(context)
    assert context.workbook.leads.count() == 5
    assert texts(dialog.table, 0)[6] == ""  # the list follows the undo


def test_keeping_the_import_changes_nothing(screen, monkeypatch: pytest.MonkeyPatch) -> None:
    widget, context = screen
    widget.imports_button.click()
    monkeypatch.setattr(common, "confirm", lambda *args: False)
    widget.imports_dialog.table.selectRow(1)
    widget.imports_dialog.remove_button.click()
    assert context.workbook.leads.count() == 5
    assert context.workbook.undo_name != "Remove import of first.csv"
