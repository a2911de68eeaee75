"""Quarterly actuals as a user edits them: a typed count is stored as one undo step; text
the reading or the workbook refuses stays in the cell with the reason shown; actuals come
in from a semicolon CSV or are derived from the leads after saying what that replaces."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.workbench.snapshot import dump
from ui.data import common
from ui.data.actuals_model import COUNT, VALUE
from ui.data.screen import DataScreen
from ui.shell.undo import redo_last_step, undo_last_step
from workbench.model import QuarterId, StageId
from workbench.workbook import Workbook

from .conftest import FIXTURES, user_data, write_csv_text


def actual(wb: Workbook, quarter_id: QuarterId, stage_id: StageId, source: str) -> tuple:
    found = [a for a in wb.actuals.for_quarter(quarter_id)
             if a.stage_id == stage_id and a.source == source]
    return (found[0].count, found[0].value) if found else (None, None)


def type_into_cell(qtbot, screen: DataScreen, row: int, column: int, text: str) -> None:
    """Double-click-edit a cell as a user does: select all, type, press Enter."""
    view = screen.actuals_tab.view
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    assert view.edit(index, view.EditTrigger.DoubleClicked, None)
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the view commits the text queued, then closes (and later deletes) the editor
    qtbot.waitUntil(lambda: not shiboken6.isValid(editor) or not editor.isVisible())


def mql_webinar(screen: DataScreen) -> tuple[Workbook, QuarterId, StageId, int]:
    wb = screen.context.workbook
    tab = screen.show_tab("actuals")
    assert tab is screen.actuals_tab
    stage = wb.funnel.stage_by_key("mql")
    return wb, tab.quarter_id, stage.id, tab.model.row_of("mql", "Webinar")


def test_a_typed_count_is_stored_and_undo_puts_the_old_one_back(qtbot, screen) -> None:
    wb, quarter, stage, row = mql_webinar(screen)
    old = actual(wb, quarter, stage, "Webinar")
    model = screen.actuals_tab.model
    assert model.data(model.index(row, COUNT)) == f"{old[0]:,}"

    type_into_cell(qtbot, screen, row, COUNT, "1,234")
    assert actual(wb, quarter, stage, "Webinar") == (1234, old[1])
    assert model.data(model.index(row, COUNT)) == "1,234"
    assert wb.undo_name == "Edit actuals"
    type_into_cell(qtbot, screen, row, VALUE, "56,000.50")
    assert actual(wb, quarter, stage, "Webinar") == (1234, 56000.5)

    undo_last_step(screen.context)
    undo_last_step(screen.context)
    assert actual(wb, quarter, stage, "Webinar") == old
    assert model.data(model.index(row, COUNT)) == f"{old[0]:,}"
    redo_last_step(screen.context)
    assert actual(wb, quarter, stage, "Webinar") == (1234, old[1])
    assert model.data(model.index(model.row_of("mql", "Webinar"), COUNT)) == "1,234"


def test_text_that_is_no_count_stays_in_the_cell_with_the_reason(qtbot, screen) -> None:
    wb, quarter, stage, row = mql_webinar(screen)
    before = dump(wb)
    model = screen.actuals_tab.model
    type_into_cell(qtbot, screen, row, COUNT, "lots")
    assert screen.actuals_tab.message.text() == ("“lots” is not a count; type a whole number "
                                                 "of leads, such as 120.")
    assert model.data(model.index(row, COUNT)) == "lots"
    assert model.data(model.index(row, COUNT), Qt.ItemDataRole.ToolTipRole) == \
        screen.actuals_tab.message.text()
    assert dump(wb) == before

    type_into_cell(qtbot, screen, row, COUNT, "-5")  # read, then refused by the workbook
    assert screen.actuals_tab.message.text() == "A count cannot be negative."
    assert model.data(model.index(row, COUNT)) == "-5"
    type_into_cell(qtbot, screen, row, VALUE, "12 Euro")
    assert screen.actuals_tab.message.text().startswith("“12 Euro” is not an amount")
    assert model.data(model.index(row, VALUE)) == "12 Euro"
    assert dump(wb) == before

    type_into_cell(qtbot, screen, row, COUNT, "77")
    assert actual(wb, quarter, stage, "Webinar")[0] == 77
    assert screen.actuals_tab.message.text() == ""
    assert model.data(model.index(row, COUNT)) == "77"


def test_a_semicolon_csv_with_decimal_commas_imports_as_one_step(qtbot, screen, answer_files,
                                                                 tmp_path) -> None:
    wb = screen.context.workbook
    tab = screen.show_tab("actuals")
    before = dump(wb)
    answer_files["open"] = FIXTURES / "actuals_semicolon.csv"
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert tab.outcome.text() == "Imported 5 actuals cells from actuals_semicolon.csv."
    q1 = next(q.id for q in wb.plan.quarters() if q.label == "2026Q1")
    opportunity = wb.funnel.stage_by_key("opportunity").id
    assert actual(wb, q1, opportunity, "Webinar") == (42, 1_250_000.5)
    tab.quarter_combo.setCurrentIndex(tab.quarter_combo.findData(q1))
    row = tab.model.row_of("opportunity", "Webinar")
    assert tab.model.data(tab.model.index(row, VALUE)) == "1,250,000.50"
    assert undo_last_step(screen.context).step == "Import actuals"
    assert dump(wb) == before

    answer_files["open"] = write_csv_text(tmp_path, "bad.csv", "Quarter,Stage,Count\n"
                                          "2026Q1,MQL,12\n2026Q5,MQL,3\n2026Q2,Nowhere,x\n")
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    lines = tab.message.text().splitlines()
    assert lines[0] == "Nothing was imported — 3 problems:"
    assert lines[1] == ("bad.csv, line 3, column “Quarter”: “2026Q5” — expected a quarter "
                        "such as 2026Q1 or Q1 2026")
    assert dump(wb) == before


def test_derive_says_what_it_replaces_and_is_one_undo_step(qtbot, screen, monkeypatch) -> None:
    wb = screen.context.workbook
    tab = screen.show_tab("actuals")
    asked: list[str] = []
    answer = {"go": False}

    def confirm(_parent: object, _title: str, text: str, action: str) -> bool:
        asked.append(f"{text}\n[{action}]")
        return answer["go"]

    monkeypatch.setattr(common, "confirm", confirm)
    wb.actuals.set_actual(tab.quarter_id, wb.funnel.stage_by_key("mql").id, "Webinar", 9999)
    before = user_data(wb)
    qtbot.mouseClick(tab.derive_button, Qt.MouseButton.LeftButton)
    assert "Count quarterly actuals from the 4,300 imported leads?" in asked[0]
    assert "replaces the count and value of every quarter × stage × source cell" in asked[0]
    assert asked[0].endswith("[Derive and replace]")
    assert user_data(wb) == before  # the user said no

    answer["go"] = True
    qtbot.mouseClick(tab.derive_button, Qt.MouseButton.LeftButton)
    assert wb.undo_name == "Derive actuals from leads"
    mql_webinar_row = tab.model.row_of("mql", "Webinar")
    assert tab.model.data(tab.model.index(mql_webinar_row, COUNT)) != "9,999"
    assert tab.outcome.text().startswith("Derived ")
    undo_last_step(screen.context)
    assert user_data(wb) == before
    assert tab.model.data(tab.model.index(mql_webinar_row, COUNT)) == "9,999"


def test_an_emptied_value_is_no_value_and_the_total_says_so(qtbot, screen) -> None:
    wb, quarter, stage, row = mql_webinar(screen)
    old = actual(wb, quarter, stage, "Webinar")
    type_into_cell(qtbot, screen, row, VALUE, "")
    assert actual(wb, quarter, stage, "Webinar") == (old[0], None)
    model = screen.actuals_tab.model
    assert model.data(model.index(row, VALUE)) == "—"
    totals = screen.actuals_tab.totals
    line = next(r for r in range(totals.rowCount())
                if totals.item(r, 0).text() == "Marketing Qualified Lead")
    assert totals.item(line, 2).text() == "—"
    assert totals.item(line, 2).toolTip().endswith("cells have no value, so the total is "
                                                   "not known")
    undo_last_step(screen.context)
    assert actual(wb, quarter, stage, "Webinar") == old
