"""The closed-loop numbers and the sources as a user reads and sets them, on the seven-lead
fixture whose numbers tests/workbench/test_closed_loop.py works out by hand: the right
figures per quarter and source, "—" with its reason where a number cannot be had, and the
marketing-sourced shares following who sources each source."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from tests.workbench.test_closed_loop import MAPPING
from ui.context import AppContext
from ui.data.closed_loop_rows import hours_text
from ui.data.screen import DataScreen
from ui.shell.undo import redo_last_step, undo_last_step
from workbench.imports import import_leads
from workbench.workbook import Workbook

from .conftest import FIXTURES, show_screen


@pytest.fixture
def loop(tmp_path, blank_path) -> Iterator[Workbook]:
    import shutil

    shutil.copy(blank_path, tmp_path / "loop.awb")
    wb = Workbook.open(tmp_path / "loop.awb")
    import_leads(wb, FIXTURES / "closed_loop_leads.csv", MAPPING)
    for label in ("2026Q1", "2026Q2"):
        wb.plan.add_quarter(label)
    wb.leads.set_sourced_by("Webinar", "marketing")
    wb.leads.set_sourced_by("Outbound", "sales")
    for key, probability in (("sal", 0.1), ("opportunity", 0.4)):  # as the core test's
        wb.funnel.update_stage(wb.funnel.stage_by_key(key).id, probability=probability)
    yield wb
    wb.close()


@pytest.fixture
def loop_screen(qtbot, loop: Workbook) -> DataScreen:
    screen = show_screen(qtbot, AppContext(loop))
    screen.show_tab("closed_loop")
    return screen


def choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def table_texts(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def figures(screen: DataScreen) -> dict[str, tuple[str, str]]:
    return {t.title.text(): (t.value.text(), t.detail.text()) for t in screen.closed_loop_tab.tiles}


def test_a_quarter_shows_volumes_conversions_and_times_worked_out_by_hand(loop_screen) -> None:
    tab = loop_screen.closed_loop_tab
    choose(tab.quarter_combo, "2026Q1")
    rows = {row[0]: row[1:] for row in table_texts(tab.stage_table)}
    assert rows["Inquiry"][:3] == ["6", "5", "83.3 %"]
    # One percentage format per column: "60.0 %" below the inquiries' "83.3 %".
    assert rows["Marketing Qualified Lead"][:5] == ["5", "3", "60.0 %", "24 h", "43.2 h"]
    assert rows["Customer"][:3] == ["1", "0", "—"]
    last = tab.stage_table.item(tab.stage_table.rowCount() - 1, 3)
    assert last.toolTip() == "the last stage: nothing comes after it"
    shown = figures(loop_screen)
    assert shown["FOLLOWED UP WITHIN 24 H"] == ("60 %", "3 of 5 MQLs in the imported leads "
                                                "(SLA: 24 h)")
    assert shown["MEDIAN FOLLOW-UP"][0] == "15 h"
    # L3 20,000 × 40 % (Webinar: marketing) and L6 5,000 × 10 % (Outbound: sales).
    assert shown["WEIGHTED PIPELINE"] == (
        "8,500 USD", "2 open leads worth 25,000 USD at the quarter's end (31 Mar 2026) × each "
                     "stage's chance to win; from the imported leads")
    assert shown["MARKETING-SOURCED PIPELINE"][0] == "94.1 %"  # 8,000 of 8,500
    assert shown["MARKETING-SOURCED WON REVENUE"][0] == "100 %"

    choose(tab.source_combo, "Webinar")
    rows = {row[0]: row[1:] for row in table_texts(tab.stage_table)}
    assert rows["Marketing Qualified Lead"][:3] == ["3", "2", "66.7 %"]
    choose(tab.quarter_combo, "2026Q2")
    sal = next(r for r in range(tab.stage_table.rowCount())
               if tab.stage_table.item(r, 0).text() == "Sales Accepted Lead")
    assert tab.stage_table.item(sal, 3).text() == "—"
    assert tab.stage_table.item(sal, 3).toolTip() == "no lead reached this stage in the quarter"


def test_follow_up_without_agreed_hours_says_why_instead_of_a_number(loop_screen) -> None:
    wb = loop_screen.context.workbook
    mql = wb.funnel.stage_by_key("mql")
    loop_screen.context.perform(wb.funnel.update_stage, mql.id, max_hours=None)
    tab = loop_screen.closed_loop_tab
    choose(tab.quarter_combo, "2026Q1")
    value, detail = figures(loop_screen)["FOLLOWED UP IN TIME"]
    assert value == "—"
    assert detail.startswith("the MQL stage has no agreed follow-up time")


def test_dispositions_pipeline_and_customers_are_broken_down(loop_screen) -> None:
    tab = loop_screen.closed_loop_tab
    choose(tab.quarter_combo, "2026Q1")
    dispositions = {r[0]: r[1:] for r in table_texts(tab.disposition_table)}
    assert dispositions["No disposition yet"] == ["2", "40 %"]
    assert dispositions["Not a fit"] == [
        "1", "20 %"]  # the code's label
    assert sum(int(r[0]) for r in dispositions.values()) == 5
    assert table_texts(tab.pipeline_table) == [["Webinar", "20,000 USD", "80 %"],
                                               ["Outbound", "5,000 USD", "20 %"]]
    assert table_texts(tab.customer_table) == [["Webinar", "1", "10,000 USD"]]


def test_who_sources_a_source_drives_the_marketing_share(qtbot, loop_screen) -> None:
    wb = loop_screen.context.workbook
    sources = loop_screen.show_tab("sources")
    assert sources.combos["Partner"].currentText() == "— not classified —"
    assert sources.combos["Outbound"].currentText() == "Sales"
    sources.choose("Outbound", "marketing")
    assert wb.leads.sourced_by()["Outbound"] == "marketing"
    assert wb.undo_name == "Classify source"
    loop_screen.show_tab("closed_loop")
    choose(loop_screen.closed_loop_tab.quarter_combo, "2026Q1")
    assert figures(loop_screen)["MARKETING-SOURCED PIPELINE"][0] == "100 %"

    undo_last_step(loop_screen.context)
    assert figures(loop_screen)["MARKETING-SOURCED PIPELINE"][0] == "94.1 %"
    loop_screen.show_tab("sources")
    assert sources.combos["Outbound"].currentText() == "Sales"
    redo_last_step(loop_screen.context)
    assert sources.combos["Outbound"].currentText() == "Marketing"


def test_no_leads_says_where_the_numbers_come_from(qtbot, screen, blank) -> None:
    empty = show_screen(qtbot, AppContext(blank))
    tab = empty.show_tab("closed_loop")
    assert tab.banner.isVisible()
    assert tab.banner.text().startswith("No imported leads yet")
    assert empty.leads_tab.empty.text().startswith("No leads yet.")


@pytest.mark.parametrize(("hours", "text"), [(None, "—"), (2.0, "2 h"), (36.5, "36.5 h"),
                                              (71.9, "71.9 h"), (72.0, "3 d"),
                                              (130.0, "5.4 d")])
def test_hours_read_as_hours_then_days(hours, text) -> None:
    assert hours_text(hours, "why").text == text


def test_the_sources_tab_is_reached_by_keyboard_too(qtbot, loop_screen) -> None:
    loop_screen.tabs.setFocus()
    qtbot.keyClick(loop_screen.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert loop_screen.tabs.currentIndex() == 3


# -- what cannot be worked out says why (issue 13) ---------------------------------------------
def test_unknowns_show_a_dash_and_the_reason_on_the_tab(qtbot) -> None:
    """The deals of tests/workbench/test_closed_loop_honest.py: Q1's open pipeline is B
    (20,000, sales) and D (4,000, a source not classified), no stage has a probability;
    two of three MQLs dispositioned once "New" says none yet; one lead's SQL is undated."""
    from tests.workbench.test_closed_loop_honest import DEALS
    from tests.workbench.written_leads import Lead, quarters, write_leads
    from workbench import dispositions

    wb = Workbook.in_memory("blank")
    leads = [Lead(d.lead_id, d.created, d.source, d.stages, d.amount, d.won, d.lost,
                  disposition=value)
             for d, value in zip(DEALS, ["accepted", "new", "not_a_fit", "new", "accepted"],
                                 strict=True)]
    leads.append(Lead(6, "2026-01-05T00:00:00", "Webinar", {"mql": "2026-01-06T00:00:00",
                                                            "sql": None}, disposition="Later"))
    write_leads(wb, leads)
    quarters(wb, "2026Q1", "2026Q2")
    wb.leads.set_sourced_by("Webinar", "marketing")
    wb.leads.set_sourced_by("Outbound", "sales")
    screen = show_screen(qtbot, AppContext(wb))
    tab = screen.show_tab("closed_loop")
    choose(tab.quarter_combo, "2026Q1")
    shown = figures(screen)
    assert shown["WEIGHTED PIPELINE"] == (
        "—", "No pipeline stage has a probability and the plan lacks the conversion rates to "
             "weight them. 2 open leads worth 24,000 USD at the quarter's end (31 Mar 2026); "
             "from the imported leads")
    assert shown["MARKETING-SOURCED PIPELINE"] == ("—", "no weighted pipeline to share")
    # MQLs in Q1: all six; A (31 March) says New, D New, F "Later" (no code).
    assert shown["MQLS DISPOSITIONED"][0] == "—"
    assert shown["MQLS DISPOSITIONED"][1].startswith("50 %–66.7 %: 1 MQL holds a value")
    rows = {r[0]: r[1:] for r in table_texts(tab.disposition_table)}
    assert rows == {"Accepted": ["2", "33.3 %"], "Not a fit": ["1", "16.7 %"],
                    "No disposition yet": ["2", "33.3 %"],
                    "“Later” (not a code)": ["1", "16.7 %"]}
    assert tab.undated_note.isVisible()
    assert tab.undated_note.text().startswith("1 lead reached a stage at dates the export "
                                              "does not give")
    wb.funnel.update_stage(wb.funnel.stage_by_key("opportunity").id, probability=0.4)
    wb.funnel.update_stage(wb.funnel.stage_by_key("sal").id, probability=0.1)
    dispositions.add_code(wb, "Later", "Call back later", disposed=False)
    wb.leads.set_sourced_by("Partner", "partner")
    tab.redraw()
    shown = figures(screen)
    assert shown["WEIGHTED PIPELINE"][0] == "8,400 USD"  # 20,000 × 40 % + 4,000 × 10 %
    assert shown["MARKETING-SOURCED PIPELINE"][0] == "0 %"
    assert shown["MQLS DISPOSITIONED"][0] == "50 %"  # accepted ×2, not a fit: 3 of 6
    tab.grab().save("/tmp/closed_loop_tab.png")
    wb.close()
