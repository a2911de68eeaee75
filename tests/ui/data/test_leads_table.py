"""The leads table: a window onto many leads that fetches only the pages it shows, sorts
and filters in the workbook, counts what matches and exports exactly what is filtered."""

from __future__ import annotations

import csv
import random
import sqlite3
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from ui.data.leads_model import COLUMNS, PAGE_ROWS, LeadsTableModel, PageCache
from ui.data.leads_tab import LeadsTab
from workbench.imports import import_leads
from workbench.leads import LeadFilter
from workbench.workbook import Workbook

from .conftest import FIXTURES, show_screen

MANY = 200_000
SOURCES = ("Webinar", "Events", "Paid search", "Partner", "Organic")


# -- the page cache, alone ------------------------------------------------------------------
def test_pages_are_fetched_once_and_the_least_used_are_dropped() -> None:
    asked: list[tuple[int, int]] = []

    def fetch(offset: int, limit: int) -> list[int]:
        asked.append((offset, limit))
        return list(range(offset, min(offset + limit, 1050)))

    cache = PageCache(fetch, page_rows=100, kept_pages=3)
    assert [cache.row(i) for i in (0, 99, 5)] == [0, 99, 5]
    assert asked == [(0, 100)]
    assert cache.row(1049) == 1049 and cache.row(1050) is None  # past the end of the last page
    cache.row(250)
    cache.row(0)  # page 0 used again: page 10 is now the least recently used
    cache.row(520)
    assert cache.kept == [2, 0, 5]
    assert asked == [(0, 100), (1000, 100), (200, 100), (500, 100)]
    cache.paused = True
    assert cache.row(700) is None and cache.row(10) == 10  # kept rows still read
    assert cache.fetches == 4


# -- a workbook with many leads ---------------------------------------------------------------
@pytest.fixture(scope="module")
def many() -> Iterator[Workbook]:
    """A blank workbook with 200,000 leads written straight into its table."""
    wb = Workbook.in_memory("blank")
    rng = random.Random(4)
    rows = [(f"M-{i:06d}", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00",
             SOURCES[i % len(SOURCES)], round(rng.uniform(0, 90_000), 2) if i % 3 else None)
            for i in range(MANY)]
    with wb.db.atomic():
        wb.db.conn.executemany("INSERT INTO leads (external_id, created_at, source, amount) "
                               "VALUES (?, ?, ?, ?)", rows)
    yield wb
    wb.close()


def expected_window(wb: Workbook, source: str, offset: int, count: int) -> list[str]:
    """The same window, worked out independently of the model."""
    rows = wb.db.conn.execute(
        "SELECT external_id FROM leads WHERE source = ? ORDER BY amount DESC, id DESC "
        "LIMIT ? OFFSET ?", (source, count, offset)).fetchall()
    return [r[0] for r in rows]


def test_a_sorted_filtered_window_deep_in_many_leads_shows_the_right_rows(many) -> None:
    model = LeadsTableModel(many)
    assert model.rowCount() == MANY
    model.set_filter(LeadFilter(source="Events"))
    assert model.sort_by("amount", descending=True)
    assert model.rowCount() == MANY // len(SOURCES)
    first = 31_390  # rows 31,390–31,419: the end of one page, the start of the next
    shown = [row[0] for row in model.rows_as_text(first, 30)]
    assert shown == expected_window(many, "Events", first, 30)
    assert model.pages.fetches == 2  # the window straddles two pages: nothing else is read
    last = model.rowCount() - 1
    index = model.index(last, COLUMNS.index(next(c for c in COLUMNS if c.key == "amount")))
    assert model.data(index) == ""  # the smallest "amount" descending: no amount at all
    assert model.data(model.index(last, 0)) == expected_window(many, "Events", last, 1)[0]


def test_a_column_the_workbook_cannot_sort_by_is_refused(many) -> None:
    model = LeadsTableModel(many)
    assert not model.sort_by("stage")
    assert model.sort_key == "created_at"


def test_the_model_pages_rows_only_as_the_view_paints_them(qtbot, many) -> None:
    tab = LeadsTab()
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show_workbook(many)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.count_label.text() == "200,000 leads"
    assert tab.model.pages.fetches <= 2
    tab.view.scrollToBottom()
    qtbot.wait(50)
    assert tab.model.pages.kept[-1] == (MANY - 1) // PAGE_ROWS
    assert tab.model.pages.fetches <= 4


# -- the tab on the demo ----------------------------------------------------------------------
def test_a_header_click_sorts_in_the_workbook_and_again_reverses(qtbot, screen) -> None:
    tab = screen.leads_tab
    amount = next(i for i, c in enumerate(COLUMNS) if c.key == "amount")
    header = tab.view.horizontalHeader()
    header.sectionClicked.emit(amount)
    top = tab.model.lead(0)
    amounts = [r[0] for r in screen.context.workbook.db.conn.execute(
        "SELECT amount FROM leads WHERE amount IS NOT NULL ORDER BY amount")]
    assert (tab.model.sort_key, tab.model.descending) == ("amount", False)
    assert top is not None and top.amount is None  # no amount sorts first
    header.sectionClicked.emit(amount)
    assert tab.model.lead(0).amount == amounts[-1]
    assert header.sortIndicatorSection() == amount
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    stage = next(i for i, c in enumerate(COLUMNS) if c.key == "stage")
    header.sectionClicked.emit(stage)
    assert header.sortIndicatorSection() == amount  # unchanged: stage is not sortable
    assert "not sortable" in tab.filter_note.text()


def test_filters_combine_and_the_count_says_how_many_match(qtbot, screen) -> None:
    wb = screen.context.workbook
    tab = screen.leads_tab
    quarter = next(q for q in wb.plan.quarters() if q.label == "2026Q1")
    mql = wb.funnel.stage_by_key("mql")
    tab.quarter_combo.setCurrentIndex(tab.quarter_combo.findData(quarter.id))
    tab.source_combo.setCurrentIndex(tab.source_combo.findData("Webinar"))
    tab.stage_combo.setCurrentIndex(tab.stage_combo.findData(mql.id))
    expected = wb.leads.count(LeadFilter(quarter.id, "Webinar", mql.id))
    assert 0 < expected < 4_300
    assert tab.model.rowCount() == expected
    assert tab.count_label.text() == f"{expected:,} of 4,300 leads"
    assert tab.filter_note.text() == ("Leads that reached marketing qualified lead in 2026Q1.")
    assert {row[3] for row in tab.model.rows_as_text(0, expected)} == {"Webinar"}


def test_export_writes_the_filtered_leads_with_formulas_neutralised(
        qtbot, screen, answer_files, tmp_path) -> None:
    wb = screen.context.workbook
    import_leads(wb, FIXTURES / "salesforce_leads.csv", preset="salesforce")
    screen.reload()
    tab = screen.leads_tab
    tab.source_combo.setCurrentIndex(tab.source_combo.findData("Web"))
    answer_files["save"] = tmp_path / "web.csv"
    assert tab.export_csv() == tmp_path / "web.csv"
    with open(tmp_path / "web.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [c.title for c in tab.model.columns]
    assert rows[0][:len(COLUMNS)] == [c.title for c in COLUMNS]
    assert [r[0] for r in rows[1:]] == ["00Q5e00001AbCdE", "00Q5e00001AbCdH", "00Q5e00001AbCdI"]
    company = [c.key for c in COLUMNS].index("company")
    assert rows[2][company] == "'=HYPERLINK(\"http://x.example\",\"click\")"


def test_columns_an_import_kept_show_as_columns_of_the_table(qtbot, screen) -> None:
    wb = screen.context.workbook
    import_leads(wb, FIXTURES / "salesforce_lead_report.csv")
    screen.reload()
    model = screen.leads_tab.model
    titles = [model.headerData(i, Qt.Orientation.Horizontal)
              for i in range(model.columnCount())]
    assert titles[:len(COLUMNS)] == [c.title for c in COLUMNS]
    assert titles[len(COLUMNS):len(COLUMNS) + 2] == ["Annual Revenue", "Rating"]
    revenue = titles.index("Annual Revenue")
    assert "(number)" in model.headerData(revenue, Qt.Orientation.Horizontal,
                                          Qt.ItemDataRole.ToolTipRole)
    model.sort_by("external_id")
    shown = {row[0]: row for row in model.rows_as_text(0, model.total())
             if row[0].startswith("00Q5e00001LdA")}
    assert shown["00Q5e00001LdA05"][revenue] == "150,000,000"
    assert shown["00Q5e00001LdA05"][revenue + 1] == "Hot"
    assert shown["00Q5e00001LdA08"][revenue] == ""  # none given: empty, not 0


def test_many_leads_sort_on_a_worker_thread_first_page_first(qtbot, demo, monkeypatch) -> None:
    """Past SORT_ELSEWHERE_FROM leads an order no index gives is sorted elsewhere: the rows
    read "…" at once (the window is free), then the first page, then every row, in the
    order the workbook gives."""
    from ui.data import leads_model

    monkeypatch.setattr(leads_model, "SORT_ELSEWHERE_FROM", 0)  # the demo's leads as many
    model = LeadsTableModel(demo)
    arrived: list[str] = []
    model.sorted_elsewhere.connect(arrived.append)
    owner = [c.key for c in COLUMNS].index("owner")
    model.sort(owner, Qt.SortOrder.DescendingOrder)
    assert model.sorting and model.rows_as_text(0, 1) == [[""] * len(model.columns)]
    assert model.data(model.index(0, owner)) == "…"
    qtbot.waitUntil(lambda: not model.sorting, timeout=20_000)
    assert arrived == ["first page", "all"]
    deep = PAGE_ROWS * 7 + 3
    expected = demo.leads.page(sort="owner", descending=True, offset=deep, limit=5)
    assert [r[0] for r in model.rows_as_text(deep, 5)] == [r.external_id for r in expected]
    first = demo.leads.page(sort="owner", descending=True, limit=3)
    assert [r[0] for r in model.rows_as_text(0, 3)] == [r.external_id for r in first]
    model.sort(owner, Qt.SortOrder.DescendingOrder)  # the same order again: nothing to do
    assert not model.sorting


def test_an_order_asked_for_cancels_the_one_still_being_sorted(qtbot, demo, monkeypatch) -> None:
    """Sorting by one column, then at once by another: the first sort is stopped where it
    is (its worker is the next one's: a full sort of ten million leads takes seconds), and
    the table neither waits for it nor says it failed."""
    from ui.data import leads_model
    from workbench.lead_order import OrderRequest

    monkeypatch.setattr(leads_model, "SORT_ELSEWHERE_FROM", 0)  # the demo's leads as many
    endless = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
               "LIMIT 1000000000) SELECT max(i), 0 FROM n")  # a minute unless stopped
    sql, first_ids = OrderRequest._sql, OrderRequest.first_ids
    monkeypatch.setattr(OrderRequest, "_sql", lambda self, *args: (endless, ()) if
                        self.sort == "owner" else sql(self, *args))
    # The owner's first page by that query too, not from the list the imports keep.
    monkeypatch.setattr(OrderRequest, "first_ids", lambda self, limit, *args: self._ids(limit)
                        if self.sort == "owner" else first_ids(self, limit, *args))
    model = LeadsTableModel(demo)
    arrived: list[str] = []
    model.sorted_elsewhere.connect(arrived.append)
    model.sort([c.key for c in COLUMNS].index("owner"), Qt.SortOrder.AscendingOrder)
    stuck = model._sorting
    assert stuck is not None
    qtbot.wait(100)  # the owner's sort under way
    model.sort([c.key for c in COLUMNS].index("amount"), Qt.SortOrder.DescendingOrder)
    assert stuck.cancelled
    qtbot.waitUntil(lambda: not model.sorting, timeout=10_000)
    assert arrived == ["first page", "all"]
    top = demo.leads.page(sort="amount", descending=True, limit=3)
    assert [r[0] for r in model.rows_as_text(0, 3)] == [r.external_id for r in top]


def test_an_order_sorted_before_a_change_is_sorted_again(qtbot, demo, monkeypatch) -> None:
    from ui.data import leads_model

    monkeypatch.setattr(leads_model, "SORT_ELSEWHERE_FROM", 0)
    model = LeadsTableModel(demo)
    model.sort([c.key for c in COLUMNS].index("amount"), Qt.SortOrder.DescendingOrder)
    request = model._sorting
    assert request is not None
    ids = request.all_ids()
    with demo.db.atomic():  # as another step would write it
        demo.db.conn.execute("UPDATE leads SET amount = 1e9 WHERE id = "
                             "(SELECT min(id) FROM leads)")
    assert not demo.leads.keep_order(request, ids)  # written to since it was asked for
    qtbot.waitUntil(lambda: not model.sorting, timeout=20_000)
    top = demo.db.conn.execute("SELECT external_id FROM leads WHERE amount = 1e9").fetchone()[0]
    assert model.rows_as_text(0, 1)[0][0] == top


def test_a_source_named_at_length_does_not_crowd_out_the_other_filters(qtbot, context) -> None:
    wb = context.workbook
    long_name = "Partner co-marketing — " + "Zoë Müller 李雷 " * 12
    with wb.db.atomic():
        wb.db.conn.execute("UPDATE leads SET source = ? WHERE id = (SELECT min(id) FROM leads)",
                           (long_name,))
    tab = show_screen(qtbot, context).leads_tab  # its boxes sized to the choices they hold
    tab.source_combo.setCurrentIndex(tab.source_combo.findData(long_name))
    qtbot.wait(50)
    assert tab.source_combo.width() <= 240 < tab.source_combo.sizeHint().width()
    assert tab.source_combo.toolTip() == long_name  # whole, where the box cuts it short
    for combo in (tab.quarter_combo, tab.stage_combo):
        assert combo.width() >= combo.sizeHint().width(), combo.currentText()
    assert tab.model.rowCount() == 1


def test_the_count_line_says_what_a_big_workbook_is_sorting_by_until_it_is_sorted(
        qtbot, screen, monkeypatch) -> None:
    """While an order is worked out elsewhere the rows not yet placed read "…": the count
    line says what it is sorting by, then that the first rows are in, then nothing more;
    a sort that fails stops saying it is sorting."""
    from ui.data import leads_model

    monkeypatch.setattr(leads_model, "SORT_ELSEWHERE_FROM", 0)  # the demo's leads as many
    tab = screen.leads_tab
    owner = next(i for i, c in enumerate(COLUMNS) if c.key == "owner")
    said: list[tuple[str, str]] = []
    tab.model.sorted_elsewhere.connect(lambda part: said.append((part, tab.count_label.text())))
    tab.view.horizontalHeader().sectionClicked.emit(owner)
    assert tab.model.sorting
    assert tab.count_label.text() == "4,300 leads · sorting by owner…"
    qtbot.waitUntil(lambda: not tab.model.sorting, timeout=20_000)
    assert said == [("first page", "4,300 leads · sorting the rest by owner…"),
                    ("all", "4,300 leads")]

    def fails(*_args: object) -> None:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(leads_model, "_sort", fails)
    said.clear()
    tab.view.horizontalHeader().sectionClicked.emit(owner)  # the other way round
    assert tab.count_label.text() == "4,300 leads · sorting by owner…"
    qtbot.waitUntil(lambda: not tab.model.sorting, timeout=20_000)
    assert said[-1] == ("failed", "4,300 leads")
    rows = screen.context.workbook.leads.page(sort="owner", descending=True, limit=3)
    assert [r[0] for r in tab.model.rows_as_text(0, 3)] == [r.external_id for r in rows]
