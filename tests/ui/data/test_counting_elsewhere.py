"""A big workbook's leads are counted off the window (at ten million, one source's count
stopped it 0.1-0.2 s): the leads table, its count line, the Data screen's summary and the
Sources tab say they are counting at once, then show what a worker counted, which matches
SQLite's own GROUP BY, and keep it until the next write."""

from __future__ import annotations

import sqlite3

import pytest
from pytestqt.qtbot import QtBot

from ui.data.leads_model import PAGE_ROWS
from ui.data.screen import DataScreen
from workbench import leads
from workbench.lead_counts import CountRequest
from workbench.leads import LeadFilter
from workbench.workbook import Workbook

from .conftest import user_data


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on the demo's 4,300 leads count as too many to count on the window."""
    monkeypatch.setattr(leads, "CHEAP_COUNT_UP_TO", 10)
    monkeypatch.setattr(leads, "CHEAP_FILTER_COUNT_UP_TO", 10)


def by_source(wb: Workbook) -> dict[str, int]:
    return dict(wb.db.conn.execute("SELECT source, count(*) FROM leads GROUP BY source"))


def delete_a_webinar_lead(wb: Workbook) -> None:
    """As another program would write the file: no count kept survives it."""
    wb.db.conn.execute("DELETE FROM leads WHERE id = "
                       "(SELECT max(id) FROM leads WHERE source = 'Webinar')")
    wb.db.conn.commit()


def test_a_filter_s_leads_are_counted_elsewhere_then_shown(qtbot: QtBot, screen: DataScreen,
                                                           big: None) -> None:
    wb = screen.context.workbook
    tab = screen.leads_tab
    tab.source_combo.setCurrentIndex(tab.source_combo.findData("Webinar"))
    assert tab.model.counting
    assert tab.model.rowCount() == 0
    assert tab.count_label.text() == "Counting leads…"
    qtbot.waitUntil(lambda: not tab.model.counting, timeout=10_000)
    webinar = by_source(wb)["Webinar"]
    assert 0 < webinar < 4_300
    assert tab.model.rowCount() == webinar
    assert tab.count_label.text() == f"{webinar:,} of 4,300 leads"
    assert {row[3] for row in tab.model.rows_as_text(0, webinar)} == {"Webinar"}
    assert wb.leads.kept_count(LeadFilter(source="Webinar")) == webinar


def test_a_filter_is_counted_elsewhere_sooner_than_every_lead(
        qtbot: QtBot, screen: DataScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting every lead is one walk of the table's b-tree; a quarter's leads of one
    source are found one index entry at a time: the second counts as big far sooner."""
    monkeypatch.setattr(leads, "CHEAP_FILTER_COUNT_UP_TO", 10)
    wb = screen.context.workbook
    tab = screen.leads_tab
    delete_a_webinar_lead(wb)  # nothing kept
    tab.quarter_combo.setCurrentIndex(tab.quarter_combo.findText("2026Q1"))
    assert wb.leads.kept_count() == 4_299  # every lead: counted at once
    assert tab.model.counting
    qtbot.waitUntil(lambda: not tab.model.counting, timeout=10_000)
    quarter = tab.quarter_combo.currentData()
    expected = wb.db.conn.execute(
        "SELECT count(*) FROM leads WHERE created_at >= (SELECT start_date FROM quarters "
        "WHERE id = ?) AND created_at < (SELECT end_date FROM quarters WHERE id = ?)",
        (quarter, quarter)).fetchone()[0]
    assert 0 < expected < 4_299
    assert tab.model.rowCount() == expected
    assert tab.count_label.text() == f"{expected:,} of 4,299 leads"


def test_a_write_meanwhile_means_counting_again(qtbot: QtBot, screen: DataScreen,
                                                big: None) -> None:
    wb = screen.context.workbook
    tab = screen.leads_tab
    tab.source_combo.setCurrentIndex(tab.source_combo.findData("Webinar"))
    webinar = by_source(wb)["Webinar"]
    delete_a_webinar_lead(wb)  # before the worker's count is delivered
    qtbot.waitUntil(lambda: not tab.model.counting, timeout=10_000)
    assert tab.model.rowCount() == webinar - 1
    assert tab.count_label.text() == f"{webinar - 1:,} of 4,299 leads"


def test_the_sources_tab_counts_each_source_elsewhere(qtbot: QtBot, screen: DataScreen,
                                                      big: None) -> None:
    wb = screen.context.workbook
    tab = screen.show_tab("sources")
    shown = {tab.table.item(row, 0).text(): tab.table.item(row, 1).text()
             for row in range(tab.table.rowCount())}
    assert set(shown.values()) == {"counting…"}
    expected = by_source(wb)
    qtbot.waitUntil(lambda: not tab.counter.counting, timeout=10_000)
    shown = {tab.table.item(row, 0).text(): tab.table.item(row, 1).text()
             for row in range(tab.table.rowCount())}
    assert shown == {source: f"{expected.get(source, 0):,}" for source in shown}
    assert sum(expected.get(source, 0) for source in shown) == 4_300 - expected.get("", 0)


def test_the_summary_says_it_is_counting_then_how_many(qtbot: QtBot, screen: DataScreen,
                                                       big: None) -> None:
    delete_a_webinar_lead(screen.context.workbook)
    screen.reload()
    assert screen.summary.text().startswith("counting leads… · ")
    qtbot.waitUntil(lambda: screen.summary.text().startswith("4,299 leads · "),
                    timeout=10_000)


def test_a_count_that_fails_says_why_and_changes_nothing(
        qtbot: QtBot, screen: DataScreen, big: None, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = screen.context.workbook
    before = user_data(wb)

    def broken(_request: CountRequest) -> dict[LeadFilter, int]:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(CountRequest, "count", broken)
    tab = screen.leads_tab
    tab.source_combo.setCurrentIndex(tab.source_combo.findData("Webinar"))
    qtbot.waitUntil(lambda: not tab.model.counting, timeout=10_000)
    assert tab.count_label.text() == "Leads not counted (database disk image is malformed)"
    assert tab.model.rowCount() == 0
    sources = screen.show_tab("sources")
    qtbot.waitUntil(lambda: not sources.counter.counting, timeout=10_000)
    assert sources.table.item(0, 1).text() == "not counted"
    assert sources.table.item(0, 1).toolTip() == "database disk image is malformed"
    assert user_data(wb) == before


def test_the_first_page_shows_while_the_filter_is_counted(
        qtbot: QtBot, screen: DataScreen, big: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first page is asked for with the count, not after it, and shown as soon as it
    is in: at ten million leads a stage's leads took 1.3 s to count, and their first page
    0.1 s. The count then adds the rest under it."""
    import threading

    from ui.data import leads_model

    monkeypatch.setattr(leads_model, "SORT_ELSEWHERE_FROM", 0)  # the demo's leads as many
    wb = screen.context.workbook
    model = screen.leads_tab.model
    model.sort_by("owner", descending=True)
    qtbot.waitUntil(lambda: not model.sorting and not model.counting, timeout=10_000)
    counted = threading.Event()  # the count waits for the first page: as at ten million
    count = CountRequest.count

    def slow(request: CountRequest) -> dict[LeadFilter, int]:
        counted.wait(10)
        return count(request)

    monkeypatch.setattr(CountRequest, "count", slow)
    shown: list[tuple[str, bool, int]] = []  # each part of the order, as it was said
    model.sorted_elsewhere.connect(
        lambda part: shown.append((part, model.counting, model.rowCount())))
    screen.leads_tab.source_combo.setCurrentIndex(
        screen.leads_tab.source_combo.findData("Webinar"))
    assert model.counting and model.sorting and model.rowCount() == 0
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    webinar = wb.leads.page(LeadFilter(source="Webinar"), sort="owner", descending=True,
                            limit=5_000)
    assert shown == [("first page", True, PAGE_ROWS)]
    assert screen.leads_tab.count_label.text() == "Counting leads…"
    assert [row[0] for row in model.rows_as_text(0, PAGE_ROWS)] == \
        [lead.external_id for lead in webinar[:PAGE_ROWS]]
    counted.set()
    qtbot.waitUntil(lambda: not model.sorting and not model.counting, timeout=10_000)
    webinars = by_source(wb)["Webinar"]
    assert webinars > PAGE_ROWS
    assert shown[1:] == [("all", False, webinars)]
    assert model.rowCount() == len(webinar) == webinars
    assert [row[0] for row in model.rows_as_text(0, model.rowCount())] == \
        [lead.external_id for lead in webinar]
    assert screen.leads_tab.count_label.text() == f"{webinars:,} of 4,300 leads"


def test_sources_named_as_users_type_them_are_counted_elsewhere_too(
        qtbot: QtBot, screen: DataScreen, big: None) -> None:
    wb = screen.context.workbook
    names = ["Zoë's Müller-Messe", "李雷 展会", "معرض الرياض", "🚀 Launch", "<b>Webinar</b> & co",
             "x" * 200]
    with wb.db.atomic():
        wb.db.conn.executemany(
            "UPDATE leads SET source = ? WHERE id IN (SELECT id FROM leads WHERE source = "
            "'Webinar' LIMIT ?)", [(name, n + 1) for n, name in enumerate(names)])
    screen.reload()
    tab = screen.show_tab("sources")
    qtbot.waitUntil(lambda: not tab.counter.counting, timeout=10_000)
    shown = {tab.table.item(row, 0).text(): tab.table.item(row, 1).text()
             for row in range(tab.table.rowCount())}
    expected = by_source(wb)
    assert {name: shown[name] for name in names} == {name: f"{expected[name]:,}"
                                                     for name in names}
    leads_tab = screen.show_tab("leads")
    leads_tab.source_combo.setCurrentIndex(leads_tab.source_combo.findData("李雷 展会"))
    qtbot.waitUntil(lambda: not leads_tab.model.counting, timeout=10_000)
    assert leads_tab.model.rowCount() == expected["李雷 展会"] > 0
    assert leads_tab.count_label.text() == f"{expected['李雷 展会']:,} of 4,300 leads"
