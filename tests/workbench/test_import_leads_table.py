"""The windowed view behind the lazy leads table: a page of rows for a filter (quarter,
source, stage), a sort column and an offset, and a count; plus the CSV a user exports,
with spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
from pathlib import Path

import pytest

from workbench.errors import ValidationError
from workbench.imports import import_leads
from workbench.imports.csv_export import neutralise, write_csv
from workbench.lead_order import _Stop as Stop
from workbench.leads import LeadFilter
from workbench.model import QuarterId
from workbench.workbook import Workbook

from .test_closed_loop import MAPPING, quarter, stage
from .test_import_formats import FIXTURES


@pytest.fixture(scope="module")
def table() -> Workbook:
    wb = Workbook.in_memory("blank")
    import_leads(wb, FIXTURES / "closed_loop_leads.csv", MAPPING)
    for label in ("2026Q1", "2026Q2"):
        wb.plan.add_quarter(label)
    return wb


def ids(rows: list[object]) -> list[str]:
    return [r.external_id for r in rows]  # type: ignore[attr-defined]


def test_pages_in_created_order_never_overlap(table: Workbook) -> None:
    assert table.leads.count() == 7
    first = table.leads.page(offset=0, limit=3)
    second = table.leads.page(offset=3, limit=3)
    last = table.leads.page(offset=6, limit=3)
    assert ids(first + second + last) == ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]
    assert table.leads.page(offset=7, limit=3) == []


def test_rows_show_the_furthest_stage_reached(table: Workbook) -> None:
    rows = {r.external_id: r for r in table.leads.page(limit=10)}
    assert rows["L1"].stage == "Customer"
    assert rows["L4"].stage == "Inquiry"
    assert rows["L6"].stage == "Opportunity"
    assert (rows["L3"].amount, rows["L3"].disposition, rows["L3"].source) == (
        20000.0, "accepted", "Webinar")


@pytest.mark.parametrize(("sort", "descending", "expected"), [
    ("amount", True, ["L3", "L1", "L6"]),  # then the leads without an amount
    ("external_id", True, ["L7", "L6", "L5"]),
    ("source", False, ["L6", "L5", "L1"]),  # Outbound, Partner, then Webinar by id
])
def test_sorting_by_a_column(table: Workbook, sort: str, descending: bool,
                             expected: list[str]) -> None:
    assert ids(table.leads.page(sort=sort, descending=descending, limit=3)) == expected


def test_filters_by_quarter_source_and_stage(table: Workbook) -> None:
    q1, q2 = quarter(table, "2026Q1"), quarter(table, "2026Q2")
    created_q1 = LeadFilter(quarter_id=q1)
    assert (table.leads.count(created_q1), ids(table.leads.page(created_q1))[-1]) == (6, "L6")
    webinar_q1 = LeadFilter(quarter_id=q1, source="Webinar")
    assert ids(table.leads.page(webinar_q1)) == ["L1", "L2", "L3", "L4"]
    opportunity = stage(table, "opportunity")
    reached_in_q2 = LeadFilter(quarter_id=q2, stage_id=opportunity)  # reached it in Q2
    assert ids(table.leads.page(reached_in_q2)) == ["L6"]
    assert table.leads.count(LeadFilter(stage_id=opportunity)) == 3
    assert table.leads.count(LeadFilter(stage_id=opportunity, source="Outbound")) == 1


def test_the_filter_matches_the_closed_loop_count(table: Workbook) -> None:
    from workbench import closed_loop

    q1 = quarter(table, "2026Q1")
    for volume in closed_loop.stage_volumes(table, q1):
        assert table.leads.count(LeadFilter(quarter_id=q1, stage_id=volume.stage_id)) == \
            volume.reached


@pytest.mark.parametrize(("call", "field", "message"), [
    (lambda wb: wb.leads.page(sort="id; DROP TABLE leads"), "sort",
     "Leads cannot be sorted by “id; DROP TABLE leads”."),
    (lambda wb: wb.leads.page(offset=-1), "offset", "Offset and limit cannot be negative."),
    (lambda wb: wb.leads.count(LeadFilter(quarter_id=QuarterId(999))), "quarter",
     "That quarter no longer exists."),
])
def test_bad_requests_are_refused(table: Workbook, call: object, field: str,
                                  message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call(table)  # type: ignore[operator]
    assert (caught.value.field, caught.value.message) == (field, message)


# -- CSV we write ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+49 30 1234", "'+49 30 1234"), ("-Buyer", "'-Buyer"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"), ("Plain", "Plain"), ("", ""), (None, ""), (-5, -5), (1.5, 1.5),
])
def test_text_that_would_be_a_formula_is_neutralised(value: object, written: object) -> None:
    assert neutralise(value) == written


def test_written_csv_opens_as_text_in_a_spreadsheet(table: Workbook, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    rows = [("L1", "=cmd|' /C calc'!A0", -3), ("Ł2", "Müller", 7.5)]
    assert write_csv(path, ["ID", "Company", "Score"], rows) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert read == [["ID", "Company", "Score"], ["L1", "'=cmd|' /C calc'!A0", "-3"],
                    ["Ł2", "Müller", "7.5"]]


def test_counts_kept_between_sorts_follow_every_write(tmp_path: Path) -> None:
    """The table asks for its count at each sort; kept until anything is written, by this
    workbook (an import, its undo) or by another program."""
    import sqlite3

    path = tmp_path / "Counted.awb"
    with Workbook.create(path, "blank") as wb:
        webinar = LeadFilter(source="Webinar")
        assert (wb.leads.count(), wb.leads.count(webinar)) == (0, 0)
        import_leads(wb, FIXTURES / "closed_loop_leads.csv", MAPPING)
        assert (wb.leads.count(), wb.leads.count(webinar)) == (7, 5)
        other = sqlite3.connect(path)  # another program removes a lead
        with other:
            other.execute("DELETE FROM leads WHERE external_id = 'L1'")
        other.close()
        assert (wb.leads.count(), wb.leads.count(webinar)) == (6, 4)
        wb.undo()
        assert (wb.leads.count(), wb.leads.count(webinar)) == (0, 0)


def test_counts_made_elsewhere_are_kept_only_if_nothing_was_written_since(
        tmp_path: Path) -> None:
    """A worker counts on a connection of its own (`count_request`); what it brings back
    is kept only for the write moment it was asked at."""
    import sqlite3

    path = tmp_path / "Counted.awb"
    with Workbook.create(path, "blank") as wb:
        import_leads(wb, FIXTURES / "closed_loop_leads.csv", MAPPING)
        webinar, nowhere = LeadFilter(source="Webinar"), LeadFilter(source="<b>Nowhere")
        request = wb.leads.count_request([LeadFilter(), webinar, nowhere])
        counts = request.count()
        assert counts == {LeadFilter(): 7, webinar: 5, nowhere: 0}
        assert wb.leads.kept_count(webinar) is None  # not yet
        assert wb.leads.keep_counts(counts, request.moment)
        assert wb.leads.kept_count(webinar) == 5
        stale = wb.leads.count_request([webinar])
        other = sqlite3.connect(path)  # another program removes a Webinar lead
        with other:
            other.execute("DELETE FROM leads WHERE external_id = 'L1'")
        other.close()
        assert not wb.leads.keep_counts(stale.count(), stale.moment)
        assert wb.leads.kept_count(webinar) is None
        assert wb.leads.count(webinar) == 4


def test_any_says_whether_a_filter_matches_without_counting(tmp_path: Path,
                                                            demo: Workbook) -> None:
    with Workbook.create(tmp_path / "Any.awb", "blank") as wb:
        assert not wb.leads.any()
    assert demo.leads.any() and demo.leads.any(LeadFilter(source="Webinar"))
    assert not demo.leads.any(LeadFilter(source="Zoë's 李雷 🚀"))
    demo.plan.add_quarter("2031Q1")  # no leads yet
    answers = {q.label: demo.leads.any(LeadFilter(quarter_id=q.id))
               for q in demo.plan.quarters()}
    assert answers == {q.label: demo.leads.count(LeadFilter(quarter_id=q.id)) > 0
                       for q in demo.plan.quarters()}
    assert set(answers.values()) == {True, False}


# Filters as (source, stage position, quarter id): stages 0-5 are reached by 100 % down
# to 4 % of the demo's leads; quarter 2 holds a sixth of them.
FILTERS = [(None, None, None), ("Webinar", None, None), (None, 2, None), (None, 5, 2),
           ("Webinar", 1, 2)]


@pytest.mark.parametrize("tops", ["kept", "out of date"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(("source", "stage", "quarter"), FILTERS)
def test_a_first_page_found_elsewhere_is_the_one_sqlite_gives(
        demo: Workbook, monkeypatch: pytest.MonkeyPatch, descending: bool,
        source: str | None, stage: int | None, quarter: int | None, tops: str) -> None:
    """With the first leads of each descending order kept as an import keeps them, or
    out of date (then scanned for, in parts)."""
    from workbench import lead_order, lead_tops
    from workbench.leads import SORTABLE

    monkeypatch.setattr(lead_order, "SPLIT_FROM", 0)  # the demo's 4,300 leads, in parts
    conn = demo.db.conn
    with demo.db.atomic():  # ties, gaps, and text as users type it
        conn.execute("UPDATE leads SET company = CASE id % 7 WHEN 0 THEN 'Zoë Müller GmbH' "
                     "WHEN 1 THEN '李雷科技' WHEN 2 THEN 'شركة النور' WHEN 3 THEN '🚀 Rocket' "
                     "WHEN 4 THEN '<b>Acme' WHEN 5 THEN 'acme' ELSE company END, "
                     "amount = CASE WHEN id % 5 = 0 THEN NULL ELSE round(amount) END, "
                     "score = CASE WHEN id % 3 = 0 THEN 7 ELSE score END, "
                     "owner = CASE WHEN id % 4 = 0 THEN owner ELSE '' END, "  # unassigned
                     "campaign = CASE WHEN id % 9 = 0 THEN '' ELSE campaign END")
        conn.execute("DELETE FROM leads WHERE id % 11 = 0")  # ids with holes
        if tops == "kept":  # as an import writing the leads so would keep them
            lead_tops.rebuild(conn)
        else:
            conn.execute("UPDATE lead_top_lists SET stamp = ''")
    stages = [row[0] for row in conn.execute("SELECT id FROM stages ORDER BY position")]
    lead_filter = LeadFilter(QuarterId(quarter) if quarter else None, source,
                             stages[stage] if stage is not None else None)
    where, params = demo.leads._where(lead_filter)
    order = "DESC" if descending else "ASC"
    empty = {sort: "IS NULL" for sort in lead_order.NULLABLE_SORTS} | \
        {sort: "= ''" for sort in lead_order.BLANK_SORTS}
    for sort in SORTABLE:
        request = demo.leads.order_request(lead_filter, sort, descending)
        expected = [row[0] for row in conn.execute(
            f"SELECT l.id FROM leads l {where} ORDER BY l.{sort} {order}, l.id {order} "
            "LIMIT 200", params)]
        for parts in (2, 3):
            assert list(request.first_ids(200, parts)) == expected, (sort, parts)
        assert list(request.all_ids())[:200] == expected
        # Along an index on the column (created date, source, lead ID), or, ascending, by
        # id for the leads that leave it empty (most have no amount, no owner), a walk
        # finds the first page, asking each lead met of its stage; else it finds none.
        walked = request._walked_first(200, Stop(1000), Stop(1000))
        empties = conn.execute(f"SELECT count(*) FROM leads l {where} {'AND' if where else 'WHERE'}"
                               f" l.{sort} {empty[sort]}", params).fetchone()[0] \
            if sort in empty else 0
        # By a column the imports keep the first leads of (`lead_tops`): those above its
        # floor (below its ceiling), then those at it; unfiltered, always over a page.
        kept = tops == "kept" and sort in lead_tops.TOPS
        if sort in ("created_at", "source", "external_id") or (
                not descending and empties >= 200) or (kept and lead_filter == LeadFilter()):
            assert walked is not None and list(walked) == expected, sort
        elif kept:
            assert walked is None or list(walked) == expected, sort
        else:
            assert walked is None, sort


def test_a_walk_along_an_index_that_finds_fewer_than_a_page_has_found_them_all(
        demo: Workbook) -> None:
    stages = [row[0] for row in demo.db.conn.execute("SELECT id FROM stages ORDER BY position")]
    few = LeadFilter(QuarterId(2), "Webinar", stages[5])  # a handful of won webinar leads
    where, params = demo.leads._where(few)
    everyone = [row[0] for row in demo.db.conn.execute(
        f"SELECT l.id FROM leads l {where} ORDER BY l.created_at DESC, l.id DESC", params)]
    assert 0 < len(everyone) < 200
    walked = demo.leads.order_request(few, "created_at", True)._walked_first(
        200, Stop(1000), Stop(1000))
    assert walked is not None and list(walked) == everyone
    # By id, the few leads with no amount are followed by the others: not a page.
    assert demo.leads.order_request(few, "amount", False)._walked_first(
        200, Stop(1000), Stop(1000)) is None


# A query that takes seconds unless it is stopped.
ENDLESS = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
           "LIMIT 100000000) SELECT max(i), 0 FROM n")


def test_a_side_of_a_race_that_lost_stops_its_queries_running_or_about_to_start() -> None:
    race = Stop(1000)
    running = sqlite3.connect(":memory:", check_same_thread=False)
    race.enter(running)
    failed: list[str] = []

    def run() -> None:
        try:
            running.execute(ENDLESS).fetchone()
        except sqlite3.OperationalError as error:
            failed.append(str(error))

    thread = threading.Thread(target=run)
    thread.start()
    race.stop()
    thread.join(60)
    assert not thread.is_alive() and failed == ["interrupted"]
    # A query about to start when stopped (which SQLite's interrupt alone would miss)
    # stops too; a connection joining after the stop is refused.
    late = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        race.enter(late)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        late.execute(ENDLESS).fetchone()


def test_a_walk_that_has_the_first_page_stops_the_scans(
        demo: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import lead_order

    monkeypatch.setattr(lead_order, "SPLIT_FROM", 0)
    stopped: list[tuple[int, int]] = []

    def endless_scan(self: lead_order.OrderRequest, limit: int, span: tuple[int, int],
                     race: Stop) -> list[tuple[object, int]]:
        try:
            return list(self._read(ENDLESS, (), race=race))
        except sqlite3.OperationalError:
            stopped.append(span)
            raise

    monkeypatch.setattr(lead_order.OrderRequest, "_rows", endless_scan)
    stage = demo.db.conn.execute("SELECT id FROM stages ORDER BY position LIMIT 1 OFFSET 2"
                                 ).fetchone()[0]
    request = demo.leads.order_request(LeadFilter(stage_id=stage), "created_at", True)
    where, params = demo.leads._where(request.lead_filter)
    expected = [row[0] for row in demo.db.conn.execute(
        f"SELECT l.id FROM leads l {where} ORDER BY l.created_at DESC, l.id DESC LIMIT 200",
        params)]
    assert list(request.first_ids(200, parts=3)) == expected
    assert len(stopped) == 3  # every scan, the window's own and the two helpers'


def test_scans_that_have_the_first_page_stop_the_walk(
        demo: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import lead_order

    monkeypatch.setattr(lead_order, "SPLIT_FROM", 0)
    monkeypatch.setattr(lead_order.OrderRequest, "_walk",
                        lambda self, conn, limit: ([(f"{ENDLESS} WHERE ? > ''",
                                                      self.walk_params)], True))
    walks: list[object] = []
    walked_first = lead_order.OrderRequest._walked_first

    def recorded(self: lead_order.OrderRequest, *args: Stop) -> object:
        walks.append(walked_first(self, *args))  # type: ignore[arg-type]
        return walks[-1]

    monkeypatch.setattr(lead_order.OrderRequest, "_walked_first", recorded)
    request = demo.leads.order_request(LeadFilter(source="Webinar"), "owner", False)
    expected = [row[0] for row in demo.db.conn.execute(
        "SELECT id FROM leads WHERE source = 'Webinar' ORDER BY owner, id LIMIT 200")]
    assert list(request.first_ids(200)) == expected
    assert walks == [None]


def test_a_cancelled_request_stops_its_sort_running_or_to_come(
        demo: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import lead_order

    monkeypatch.setattr(lead_order.OrderRequest, "_sql", lambda self, *args: (ENDLESS, ()))
    request = demo.leads.order_request(LeadFilter(), "owner", False)
    failed: list[str] = []

    def sort() -> None:
        try:
            request.all_ids()
        except sqlite3.OperationalError as error:
            failed.append(str(error))

    thread = threading.Thread(target=sort)
    thread.start()
    assert not request.cancelled
    request.cancel()
    thread.join(60)
    assert not thread.is_alive() and failed == ["interrupted"] and request.cancelled
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        request.first_ids(200)  # asked after: stopped before it reads a lead
