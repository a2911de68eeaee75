"""The status bar counts a big workbook's leads on a worker thread: "counting leads…" at
first, then the number (kept for every screen until the next write); a write meanwhile
means counting again, and a workbook closed meanwhile hears nothing."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.sla.workers import wait_for_workers
from workbench import leads
from workbench.workbook import Workbook


@pytest.fixture
def big(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> Workbook:
    """The window's workbook, counted as big, one lead deleted by another program's kind
    of write (so no count is at hand)."""
    monkeypatch.setattr(leads, "CHEAP_COUNT_UP_TO", 10)
    workbook = window.context.workbook
    assert workbook is not None
    _delete_a_lead(workbook)
    return workbook


def _delete_a_lead(workbook: Workbook) -> None:
    workbook.db.conn.execute("DELETE FROM leads WHERE id = (SELECT max(id) FROM leads)")
    workbook.db.conn.commit()


def test_a_big_workbook_s_leads_are_counted_elsewhere_then_shown_and_kept(
        big: Workbook, window: MainWindow, qtbot: QtBot) -> None:
    assert big.leads.kept_count() is None
    window.counts_label.show_counts(big)
    assert window.counts_label.text() == (
        "7 stages · 6 quarters · counting leads… · saved automatically")
    qtbot.waitUntil(lambda: "4,299 leads" in window.counts_label.text(), timeout=10_000)
    assert window.counts_label.text() == (
        "7 stages · 6 quarters · 4,299 leads · saved automatically")
    assert big.leads.kept_count() == 4299  # the leads table need not count again


def test_a_count_from_before_a_write_is_not_kept(big: Workbook, window: MainWindow,
                                                 qtbot: QtBot) -> None:
    window.counts_label.show_counts(big)
    wait_for_workers()  # counted (4,299), not yet delivered
    _delete_a_lead(big)
    qtbot.waitUntil(lambda: "4,298 leads" in window.counts_label.text(), timeout=10_000)
    assert big.leads.kept_count() == 4298


def test_a_count_for_a_workbook_closed_meanwhile_is_not_shown(
        big: Workbook, window: MainWindow, qtbot: QtBot) -> None:
    window.counts_label.show_counts(big)
    window.close_workbook()
    wait_for_workers()
    qtbot.wait(50)
    assert window.counts_label.text() == ""


def test_counts_still_coming_when_the_workbook_closes_are_not_heard(
        big: Workbook, window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """The leads table (sorting them too), the Data summary and the Sources tab were
    counting a closed workbook's leads: what the workers bring back goes nowhere, and
    nothing fails."""
    from ui.data import leads_model

    monkeypatch.setattr(leads, "CHEAP_FILTER_COUNT_UP_TO", 10)
    monkeypatch.setattr(leads_model, "SORT_ELSEWHERE_FROM", 0)  # and sorting them
    window.show_area("data")
    qtbot.waitUntil(lambda: window.areas.current_page() is not None, timeout=10_000)
    screen = window.areas.current_page()
    model = screen.leads_tab.model
    screen.leads_tab.source_combo.setCurrentIndex(1)
    screen.show_tab("sources")
    assert model.counting and model.sorting and screen.sources_tab.counter.counting
    window.close_workbook()
    wait_for_workers()
    qtbot.wait(100)  # the counts are delivered: to no one
    assert window.context.workbook is None
