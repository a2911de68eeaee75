"""The open pipeline and won deals from lead-level data, at any moment.

A lead is *open* at a stage at a moment when, by then, that stage is the furthest it has
reached, it has not moved on to a later stage, and it is neither won nor lost, however
long ago it entered the stage. It is *won* on its won date (or, without one, the date it
reached the last stage; imports give every won lead that date). A stage reached at a date
the export does not give moves a lead at no moment (as in the closed loop's summaries, so
both give the same open pipeline at a quarter's end).

Reading that from a million leads takes a moment, so the leads are read once into step
functions per (stage, source): the running count of open leads, how many of them carry
an amount, and the sum of those amounts, changing on the dates leads enter and leave the
stage (and, apart, of those that have outstayed the stage's agreed maximum time). Any
moment is then a binary search per (stage, source). The steps are kept per
workbook until the lead data changes (checked cheaply: the newest lead, the stage-date
count, the import batches) or the funnel's order or pipeline stages do.

An app must not stop its window for those seconds: it registers a starter (`defer_to`),
and then a timeline asked for on the main thread that is not at hand comes back as
`TimelinePending` while the starter has `TimelineRequest.work` read it on another thread,
from its own read-only connection; `keep` puts the result in place if the leads are
still as they were read. Other threads (exports, the command line) read it at once.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate, islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..lead_stamp import lead_stamp
from ..model import Stage, StageId
from ..reached import reached_query

if TYPE_CHECKING:
    from ..workbook import Workbook


@dataclass(frozen=True)
class LeadCell:
    """Leads in one place: how many, how many carry an amount, and those amounts' sum."""

    count: int
    with_amount: int
    amount: float

    @property
    def without_amount(self) -> int:
        return self.count - self.with_amount


NO_LEADS = LeadCell(0, 0, 0.0)
K = TypeVar("K")
Change = tuple[str, int, int, float]  # (date, Δ leads, Δ leads with an amount, Δ amount)
FREE_AT_ONCE = 50_000  # changes freed in one call


def _free_in_parts(changes: list[Change]) -> None:
    """Empty `changes` a part at a time. Freeing a list frees every change in one call
    that holds the interpreter throughout (0.1 s for two million, the window waiting on
    this worker thread); between parts the window's thread can take its turn."""
    while changes:
        del changes[-FREE_AT_ONCE:]


class _Steps:
    """A running total that changes on dates; read as of just before a moment.

    Packed, not held as Python objects: a million leads made some 760,000 changes, and
    as lists of dates, counts and sums a ten-million-lead timeline replaced by a newer one
    held the interpreter, and so the window, for half a second while it was freed. The
    dates are one bytes object (`_PackedDates`), the running totals arrays; both are
    filled a part at a time, so the window's thread takes its turns meanwhile."""

    def __init__(self, changes: list[Change]) -> None:
        changes = _by_date(changes)
        width = 0
        for start in range(0, len(changes), FREE_AT_ONCE):
            texts = [c[0] for c in changes[start:start + FREE_AT_ONCE]]
            width = max(width, max(map(len, texts if "".join(texts).isascii()
                                       else map(_encoded, texts))))
        dates = bytearray()
        totals: tuple[array[Any], ...] = (array("q"), array("q"), array("d"))  # see `before`
        for start in range(0, len(changes), FREE_AT_ONCE):
            part = changes[start:start + FREE_AT_ONCE]
            texts = [c[0] for c in part]
            joined = "".join(texts)
            if joined.isascii() and min(map(len, texts)) == width:  # the usual: as they are
                dates += joined.encode("ascii")
            else:
                dates += b"".join([_encoded(text).ljust(width, b"\0") for text in texts])
            for column, running in enumerate(totals, start=1):  # on from the last part's
                carried = running[-1] if running else 0
                running.extend(islice(accumulate([c[column] for c in part], initial=carried),
                                      1, None))
        self.counts, self.with_amount, self.amounts = totals
        self.dates = _PackedDates(bytes(dates), width)
        _free_in_parts(changes)

    def before(self, moment: str) -> LeadCell:
        """The total of every change dated before `moment` (an ISO date or date-time)."""
        index = self.dates.count_before(moment)
        if index == 0:
            return NO_LEADS
        return LeadCell(self.counts[index - 1], self.with_amount[index - 1],
                        self.amounts[index - 1])


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class _PackedDates:
    """Dates in order, as UTF-8 bytes padded with NULs to one width, in one bytes object.
    Padded so, they compare as the strings do (a date is never longer than the width,
    and a shorter one sorts before those it begins)."""

    def __init__(self, data: bytes, width: int) -> None:
        self._data = data
        self.width = width

    def __len__(self) -> int:
        return len(self._data) // self.width if self.width else 0

    def __getitem__(self, index: int) -> bytes:
        start = index * self.width
        return self._data[start:start + self.width]

    def count_before(self, moment: str) -> int:
        """How many dates sort before `moment`."""
        key = _encoded(moment)
        if len(key) > self.width:  # a date before it is one before or equal to its start
            return bisect_right(self, key[:self.width])  # type: ignore[call-overload]
        return bisect_left(self, key.ljust(self.width, b"\0"))  # type: ignore[call-overload]


SORT_AT_ONCE = 50_000  # changes sorted in one call; more are sorted a month at a time


def _by_date(changes: list[Change]) -> list[Change]:
    """`changes` in date order (stably). A sort is one call that holds the interpreter
    throughout — 0.3 s for ten million leads' changes, the window waiting on it — so a
    long list is dealt into months first and each month sorted on its own: the same
    order, as a date's month orders it before all later months' dates."""
    if len(changes) <= SORT_AT_ONCE:
        changes.sort(key=itemgetter(0))  # str keys sort fastest on their own
        return changes
    months: defaultdict[str, list[Change]] = defaultdict(list)
    for change in changes:
        months[change[0][:7]].append(change)
    changes.clear()
    for month in sorted(months):
        part = months.pop(month)
        part.sort(key=itemgetter(0))
        changes += part
    return changes


@dataclass(frozen=True)
class LeadTimeline:
    """Open leads per (stage, source) and won leads per source, at any moment."""

    leads: int  # leads in the workbook
    open_steps: dict[tuple[StageId, str], _Steps]
    won_steps: dict[str, _Steps]
    stale_steps: dict[tuple[StageId, str], _Steps]  # open past the stage's maximum time

    def open_at(self, moment: str) -> dict[tuple[StageId, str], LeadCell]:
        """Leads open just before `moment`, per (pipeline stage, source)."""
        cells = {key: steps.before(moment) for key, steps in self.open_steps.items()}
        return {key: cell for key, cell in cells.items() if cell.count}

    def stale_at(self, moment: str) -> dict[tuple[StageId, str], int]:
        """Leads open just before `moment` that had by then sat in their stage longer than
        its agreed maximum time, per (pipeline stage, source)."""
        counts = {key: steps.before(moment).count for key, steps in self.stale_steps.items()}
        return {key: count for key, count in counts.items() if count}

    def won_between(self, start: str, before: str) -> dict[str, LeadCell]:
        """Leads won from `start` up to just before `before`, per source."""
        result = {}
        for source, steps in self.won_steps.items():
            late, early = steps.before(before), steps.before(start)
            if late.count - early.count:
                result[source] = LeadCell(late.count - early.count,
                                          late.with_amount - early.with_amount,
                                          late.amount - early.amount)
        return result


@dataclass
class _Cached:
    total_changes: int  # the connection's write counter when last checked
    fingerprint: tuple[int, str]  # the lead data when read (`lead_stamp`)
    layout: tuple[object, ...]  # stage order, pipeline stages and their maximum times
    timeline: LeadTimeline | None


_CACHE: weakref.WeakKeyDictionary[Workbook, _Cached] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class TimelinePending:
    """The timeline is being read on another thread; ask again when it is kept."""


@dataclass(frozen=True)
class TimelineRequest:
    """What a worker thread needs to read a workbook's timeline from the file itself."""

    path: Path
    stages: tuple[Stage, ...]
    pipeline: tuple[Stage, ...]

    @property
    def layout(self) -> tuple[object, ...]:
        return _layout(self.stages, self.pipeline)

    def work(self) -> TimelineResult:
        """Read the timeline on its own read-only connection, in one read transaction so
        the fingerprint and the leads are of the same moment (for a worker thread)."""
        from ..storage import connect

        db = connect(self.path, read_only=True)
        try:
            conn = db.conn
            conn.execute("BEGIN")
            fingerprint = lead_stamp(conn)
            timeline = _read(conn, self.stages, self.pipeline) if fingerprint[0] else None
            conn.execute("ROLLBACK")
        finally:
            db.conn.close()
        return TimelineResult(self.layout, fingerprint, timeline)


@dataclass(frozen=True)
class TimelineResult:
    layout: tuple[object, ...]
    fingerprint: tuple[int, str]
    timeline: LeadTimeline | None


DEFER_FROM = 50_000  # fewer leads are read in a few tens of milliseconds: at once
_STARTERS: weakref.WeakKeyDictionary[
    Workbook, tuple[Callable[[TimelineRequest], None], int]] = weakref.WeakKeyDictionary()


def defer_to(workbook: Workbook, start: Callable[[TimelineRequest], None] | None, *,
             from_leads: int | None = None) -> None:
    """From now on, a timeline of `from_leads` leads or more that the main thread asks for
    and that is not at hand is read elsewhere: `start(request)` is called (it should run
    `request.work()` off the main thread, then `keep`) and the caller gets
    `TimelinePending`. None: read at once again. `from_leads` defaults to `DEFER_FROM`."""
    if start is None:
        _STARTERS.pop(workbook, None)
    else:
        _STARTERS[workbook] = (start, DEFER_FROM if from_leads is None else from_leads)


def defers(workbook: Workbook) -> bool:
    """Whether a timeline of this workbook asked for on the main thread is read elsewhere
    (it has enough leads and a starter)."""
    start, from_leads = _STARTERS.get(workbook, (None, 0))
    if start is None or workbook.path is None:
        return False
    newest = workbook.db.conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
    return bool(newest) and int(newest) >= from_leads


@contextmanager
def at_once(workbook: Workbook) -> Iterator[None]:
    """Within: the timeline is read at once, never deferred (a report must print figures,
    not "being worked out")."""
    found = _STARTERS.pop(workbook, None)
    try:
        yield
    finally:
        if found is not None and workbook not in _STARTERS:
            _STARTERS[workbook] = found


def keep(workbook: Workbook, result: TimelineResult) -> bool:
    """Keep a timeline read elsewhere, if the leads are still as it read them; False (and
    nothing kept) when they changed since."""
    conn = workbook.db.conn
    fingerprint = lead_stamp(conn)
    if fingerprint != result.fingerprint:
        return False
    _CACHE[workbook] = _Cached(conn.total_changes, fingerprint, result.layout, result.timeline)
    return True


def _layout(stages: Sequence[Stage], pipeline: Sequence[Stage]) -> tuple[object, ...]:
    return (tuple(s.id for s in stages), tuple((s.id, s.max_hours) for s in pipeline))


def lead_timeline(workbook: Workbook, stages: Sequence[Stage],
                  pipeline: Sequence[Stage]) -> LeadTimeline | TimelinePending | None:
    """The open pipeline and won deals of the workbook's leads over time; None when the
    workbook holds no leads. Cached until the leads or the funnel change; on the main
    thread of an app that defers it (`defer_to`), `TimelinePending` while it is read."""
    conn = workbook.db.conn
    layout = _layout(stages, pipeline)
    cached = _CACHE.get(workbook)
    if cached is not None and cached.total_changes == conn.total_changes:
        fingerprint = cached.fingerprint  # nothing at all was written since
    else:
        fingerprint = lead_stamp(conn)
    if cached is None or (cached.fingerprint, cached.layout) != (fingerprint, layout):
        start, from_leads = _STARTERS.get(workbook, (None, 0))
        if (start is not None and fingerprint[0] and fingerprint[0] >= from_leads
                and workbook.path is not None
                and threading.current_thread() is threading.main_thread()):
            start(TimelineRequest(workbook.path, tuple(stages), tuple(pipeline)))
            return TimelinePending()
        timeline = _read(conn, stages, pipeline) if fingerprint[0] else None
        cached = _CACHE[workbook] = _Cached(conn.total_changes, fingerprint, layout, timeline)
    cached.total_changes = conn.total_changes
    return cached.timeline


def _read(conn: sqlite3.Connection, stages: Sequence[Stage],
          pipeline: Sequence[Stage]) -> LeadTimeline:
    """Read the leads that reached the pipeline or any stage after its start, and turn
    them into step functions. Their stage dates come sorted by lead (SQLite sorts them,
    without holding the interpreter), beside the leads in id order: each lead's dates are
    taken as its row comes, and no dictionary of ten million leads' dates is built (its
    growing and its freeing held the interpreter, and the window, for tenths of a
    second)."""
    chosen = {s.id: s.max_hours for s in pipeline}
    first = min((i for i, s in enumerate(stages) if s.id in chosen), default=len(stages) - 1)
    read = [s.id for s in stages[first:]]
    position = {stage_id: i for i, stage_id in enumerate(read)}
    reached_sql, params = reached_query(conn, read)
    dated = conn.execute(  # reached at an unknown date: moves it at no moment
        f"SELECT lead_id, stage_id, reached_at FROM ({reached_sql}) "
        "WHERE reached_at IS NOT NULL ORDER BY lead_id", params)
    pending = next(dated, None)
    pipeline_at = [stage_id if stage_id in chosen else None for stage_id in read]
    overdue_after = {stage_id: None if hours is None else _Overdue(hours)
                     for stage_id, hours in chosen.items()}
    open_changes: defaultdict[tuple[StageId, str], list[Change]] = defaultdict(list)
    stale_changes: defaultdict[tuple[StageId, str], list[Change]] = defaultdict(list)
    won_changes: defaultdict[str, list[Change]] = defaultdict(list)
    last = len(read) - 1
    for lead_id, source, amount, won, lost in conn.execute(
            "SELECT id, source, amount, won_at, lost_at FROM leads WHERE id IN "
            f"(SELECT lead_id FROM ({reached_sql})) ORDER BY id", params):
        lead_dates: list[tuple[str, int]] = []
        while pending is not None and pending[0] <= lead_id:
            if pending[0] == lead_id:
                lead_dates.append((pending[2], position[pending[1]]))
            pending = next(dated, None)
        lead_dates.sort()
        with_amount, value = (1, amount) if amount is not None else (0, 0.0)
        for stage_id, entered, left in _stays(lead_dates, won, lost, pipeline_at):
            key = (stage_id, source)
            open_changes[key].append((entered, 1, with_amount, value))
            if left is not None:
                open_changes[key].append((left, -1, -with_amount, -value))
            overdue = overdue_after[stage_id]
            if overdue is not None:
                _stale(stale_changes[key], entered, left, overdue)
        if won is None and lead_dates and lead_dates[-1][1] == last:  # when it became one
            won = lead_dates[-1][0]
        if won is not None:
            won_changes[source].append((won, 1, with_amount, value))
    leads = int(conn.execute("SELECT count(*) FROM leads").fetchone()[0])
    return LeadTimeline(leads, _steps(open_changes), _steps(won_changes),
                        _steps(stale_changes))


def _stays(dates: list[tuple[str, int]], won: str | None, lost: str | None,
           pipeline_at: list[StageId | None]) -> list[tuple[StageId, str, str | None]]:
    """The pipeline stages a lead sat in, with when it entered and left each (None: it is
    still there): it stands at the furthest stage reached so far, until it is won or
    lost. `dates` are (reached, position) in date order."""
    closed = lost if won is None else won if lost is None else min(won, lost)
    stays: list[tuple[StageId, str, str | None]] = []
    here: tuple[StageId, str] | None = None
    furthest = -1
    for reached, position in dates:
        if closed is not None and reached >= closed:
            break
        if position <= furthest:
            continue
        furthest, stage_id = position, pipeline_at[position]
        if here is not None:
            stays.append((*here, reached))
        here = None if stage_id is None else (stage_id, reached)
    if here is not None:
        stays.append((*here, closed))
    return stays


class _Overdue:
    """When a lead entering a stage at a moment outstays its maximum time. Whole days (the
    usual case) shift the date part alone, remembered per day, so a million leads cost a
    few hundred date sums; other times are added to the full date-time."""

    def __init__(self, hours: float) -> None:
        self.delta = timedelta(hours=hours)
        self.whole_days = hours % 24 == 0
        self.days: dict[str, str] = {}

    def after(self, entered: str) -> str | None:
        try:
            if not self.whole_days or len(entered) < 10 or entered[10:11] not in ("", "T"):
                return (datetime.fromisoformat(entered) + self.delta).isoformat()
            day = entered[:10]
            shifted = self.days.get(day)
            if shifted is None:
                shifted = self.days[day] = (date.fromisoformat(day) + self.delta).isoformat()
            return shifted + entered[10:]
        except ValueError:
            return None


def _stale(changes: list[Change], entered: str, left: str | None, overdue: _Overdue) -> None:
    """A lead counts as stale from the moment it outstays the stage's agreed maximum time
    until it leaves the stage."""
    since = overdue.after(entered)
    if since is not None and (left is None or since < left):
        changes.append((since, 1, 0, 0.0))
        if left is not None:
            changes.append((left, -1, 0, 0.0))


def _steps(changes: dict[K, list[Change]]) -> dict[K, _Steps]:
    """Each key's changes as steps; the changes are taken out (and freed) one key at a
    time, not all at once when `_read` returns."""
    return {key: _Steps(changes.pop(key)) for key in list(changes)}
