"""The forward check's lead timeline read off the main thread: while it is read the
figures say so ("—" and why, never 0), and once kept they are the figures read at once.
The fixture and its hand-worked numbers are those of test_plan_forward."""

from __future__ import annotations

import random
import threading
from operator import itemgetter
from pathlib import Path

import pytest

from tests.workbench.test_plan_forward import LEADS, MAPPING, TODAY, leads  # noqa: F401
from workbench.imports import import_leads
from workbench.planning import lead_pipeline
from workbench.planning.dashboard import dashboard_charts
from workbench.planning.forward import PENDING_REASON, Basis, forward_check


@pytest.fixture
def deferred(leads):  # noqa: F811 - the fixture imported above
    """The fixture with timelines of any size deferred; the requests made are kept."""
    workbook, quarters = leads
    lead_pipeline._CACHE.pop(workbook, None)
    requests: list[lead_pipeline.TimelineRequest] = []
    lead_pipeline.defer_to(workbook, requests.append, from_leads=0)
    yield workbook, quarters, requests
    lead_pipeline.defer_to(workbook, None)


def test_while_the_timeline_is_read_elsewhere_the_figures_say_so(deferred) -> None:
    workbook, quarters, requests = deferred
    check = forward_check(workbook, quarters["2026Q3"], today=TODAY)
    assert check.basis is Basis.PENDING and len(requests) == 1
    assert check.weighted_pipeline is None and check.on_track_for is None
    assert check.headline == ("On track for", "—", PENDING_REASON)
    assert "working out" in check.summary
    ended = forward_check(workbook, quarters["2026Q2"], today=TODAY)
    assert ended.headline == ("Won in 2026Q2 (ended)", "—", PENDING_REASON)
    data = dashboard_charts(workbook, quarters["2026Q3"], today=TODAY)
    tiles = {k.key: k for k in data.kpis}
    assert (tiles["on_track"].value, tiles["marketing_share"].value) == ("—", "—")
    assert PENDING_REASON in tiles["on_track"].detail
    won = next(s for s in data.pipeline_vs_goal.series if s.name == "Won")
    assert won.values == (None, None)  # not a zero bar


def test_once_kept_the_figures_are_those_read_at_once(deferred) -> None:
    workbook, quarters, requests = deferred
    forward_check(workbook, quarters["2026Q3"], today=TODAY)
    results = []
    worker = threading.Thread(target=lambda: results.append(requests[0].work()))
    worker.start()
    worker.join()
    assert lead_pipeline.keep(workbook, results[0])
    check = forward_check(workbook, quarters["2026Q3"], today=TODAY)
    assert check.basis is Basis.LEADS and len(requests) == 1  # not asked again
    # as test_plan_forward worked out by hand: 90,000 won + 47,000 weighted pipeline
    assert (check.won_value, check.on_track_for) == (90_000, pytest.approx(137_000))


def test_a_timeline_read_before_the_leads_changed_is_not_kept(deferred, tmp_path: Path) -> None:
    workbook, quarters, requests = deferred
    forward_check(workbook, quarters["2026Q3"], today=TODAY)
    result = requests[0].work()
    more = tmp_path / "more.csv"
    more.write_text(LEADS.splitlines()[0] + "\nB1,2026-07-01,Webinar,2026-07-02,2026-07-03,"
                    "2026-07-04,2026-07-05,2026-07-06,,10000\n", encoding="utf-8")
    import_leads(workbook, more, MAPPING)
    assert not lead_pipeline.keep(workbook, result)
    again = forward_check(workbook, quarters["2026Q3"], today=TODAY)
    assert again.pending and len(requests) == 2  # read again, with the new lead


def test_small_workbooks_and_other_threads_read_it_at_once(leads) -> None:  # noqa: F811
    workbook, quarters = leads
    lead_pipeline._CACHE.pop(workbook, None)
    requests: list[lead_pipeline.TimelineRequest] = []
    lead_pipeline.defer_to(workbook, requests.append)  # 9 leads: below DEFER_FROM
    try:
        assert forward_check(workbook, quarters["2026Q3"], today=TODAY).basis is Basis.LEADS
        lead_pipeline._CACHE.pop(workbook, None)
        lead_pipeline.defer_to(workbook, requests.append, from_leads=0)
        checks = []
        worker = threading.Thread(target=lambda: checks.append(
            forward_check(workbook, quarters["2026Q3"], today=TODAY)))
        worker.start()
        worker.join()
        assert checks[0].basis is Basis.LEADS and requests == []  # an export's thread
    finally:
        lead_pipeline.defer_to(workbook, None)


def test_a_long_list_of_changes_is_ordered_month_by_month_as_one_sort_would() -> None:
    """Past SORT_AT_ONCE the changes are dealt into months and each sorted alone (a single
    sort of millions holds the interpreter, and the window, for a third of a second)."""
    rng = random.Random(3)
    changes = [(f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                + ("" if n % 3 else f"T{rng.randint(0, 23):02d}:00:00"), n, 0, 0.0)
               for n in range(lead_pipeline.SORT_AT_ONCE * 2)]
    once = sorted(changes, key=itemgetter(0))  # stable: equal dates keep their order
    assert lead_pipeline._by_date(list(changes)) == once
    steps = lead_pipeline._Steps(list(changes))
    dates = sorted({c[0] for c in once})
    for moment in dates[::199] + [dates[0], dates[-1], "2025-12-31", "2027"]:
        assert steps.before(moment).count == sum(c[1] for c in once if c[0] < moment)


def test_steps_read_as_of_any_moment_as_the_dates_compare() -> None:
    """The steps keep their dates packed (bytes of one width): a moment shorter or longer
    than the dates, a date and a date-time of one day, odd text, all read as comparing
    the strings would."""
    changes = [("2026-03-01", 1, 1, 10.0), ("2026-03-01T09:30:00", 2, 0, 0.0),
               ("2026-03-01T09:30:00", 4, 1, 2.5), ("2026-03-02", -1, -1, -10.0),
               ("2026-04-01T00:00:00.250", 8, 0, 0.0), ("ünknown", 16, 1, 1.0),
               ("2026-03-01T09:30", 32, 0, 0.0)]
    steps = lead_pipeline._Steps(list(changes))
    moments = ["", "2026", "2026-03-01", "2026-03-01T", "2026-03-01T09:30",
               "2026-03-01T09:30:00", "2026-03-01T09:30:00.000001", "2026-03-02",
               "2026-03-02T00:00:00", "2026-04-01T00:00:00.25", "2026-04-01T00:00:00.2500001",
               "2026-04-01T00:00:00.250000000000", "u", "ü", "ünknown", "ünknowno", "\uffff"]
    for moment in moments:
        before = [c for c in changes if c[0] < moment]
        expected = (sum(c[1] for c in before), sum(c[2] for c in before),
                    sum(c[3] for c in before))
        cell = steps.before(moment)
        assert (cell.count, cell.with_amount, cell.amount) == expected, moment
    empty = lead_pipeline._Steps([])
    assert empty.before("2026-01-01") == lead_pipeline.NO_LEADS


def test_a_timeline_s_steps_are_a_few_objects_however_many_the_changes() -> None:
    """A timeline replaced by a newer one is freed where it is replaced: on the window's
    thread. Held as a Python object per change, ten million leads' took half a second to
    free, the window stopped meanwhile; packed, the steps are a few objects."""
    import gc
    import sys

    gc.collect()
    before = sys.getallocatedblocks()
    changes = [(f"2026-{1 + n % 12:02d}-01T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}",
                1, n % 2, 2.5 * (n % 2)) for n in range(200_000)]
    steps = lead_pipeline._Steps(changes)  # takes the changes, and frees them
    del changes
    gc.collect()
    assert sys.getallocatedblocks() - before < 1_000
    assert steps.before("2026-13").count == 200_000
    assert steps.before("2026-13").amount == 2.5 * 100_000
