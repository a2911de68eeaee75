"""Disposition codes…: values that are dispositions, values that say none yet, and the
values the imported leads hold that are no code — each change one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.data.dispositions_dialog import AS_NOT_YET
from ui.shell.undo import redo_last_step, undo_last_step
from workbench import dispositions
from workbench.imports import import_leads

from .conftest import FIXTURES


def test_values_that_are_no_code_are_listed_and_added_with_one_choice(qtbot, screen) -> None:
    wb = screen.context.workbook
    import_leads(wb, FIXTURES / "hubspot_contacts.csv")
    screen.show_tab("closed_loop")
    qtbot.mouseClick(screen.closed_loop_tab.codes_button, Qt.MouseButton.LeftButton)
    dialog = screen.codes_dialog
    assert dialog is not None and dialog.isVisible()
    boxes = dialog.boxes()
    assert boxes["accepted"].isChecked() and not boxes["new"].isChecked()
    # The HubSpot file's Lead Status values are no codes of the demo workbook.
    choices = dialog.choices()
    assert {"Connected", "Attempted to Contact", "Open Deal"} <= set(choices)
    row = next(r for r in range(dialog.table.rowCount())
               if dialog.table.item(r, 0).text() == "Connected")
    assert dialog.table.item(row, 1).text() == "not a code — on 1 lead"

    choices["Attempted to Contact"].setCurrentIndex(
        choices["Attempted to Contact"].findData(AS_NOT_YET))
    qtbot.waitUntil(lambda: "Attempted to Contact" in dialog.boxes())
    added = {c.code: c for c in dispositions.codes(wb)}["Attempted to Contact"]
    assert added.disposed is False
    assert "Attempted to Contact" not in dialog.choices()
    assert not dialog.boxes()["Attempted to Contact"].isChecked()

    dialog.boxes()["accepted"].setChecked(False)
    qtbot.waitUntil(lambda: dialog.boxes()["accepted"].text() == "No disposition yet")
    assert {c.code: c.disposed for c in dispositions.codes(wb)}["accepted"] is False
    assert wb.undo_name == "Edit disposition code"
    undo_last_step(screen.context)
    assert dialog.boxes()["accepted"].isChecked()  # the dialog follows the undo
    undo_last_step(screen.context)
    assert "Attempted to Contact" in dialog.choices()
    redo_last_step(screen.context)
    assert "Attempted to Contact" in dialog.boxes()
    dialog.table.scrollToTop()
    dialog.grab().save("/tmp/dispositions.png")
