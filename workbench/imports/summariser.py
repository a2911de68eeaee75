"""Adding leads up into the monthly summaries (see `summaries`), with numpy.

Each batch of leads is worked on as arrays: dates become seconds since 1970, each date's
month and its lead's source one packed integer key, and every count, sum and list of
hours is gathered per stage and measure as arrays of keys, added up per key only at the
end (counts, exact in any order, also whenever many are pending). Sums are added in the
order of the leads, so an import and a rebuild arrive at the same figures. Deals (leads
with an amount) are followed through the stages into the open pipeline. A stage reached
at an unknown date (`summaries.UNDATED`) counts as reached but in no month.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .dates import NO_DATE
from .dates import date_seconds as seconds
from .hour_spill import HourSpill
from .summaries import UNDATED, LeadColumns, signature

CellKey = tuple[str, int, str, str]  # (month, stage id, source, measure)
Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
NONE = NO_DATE  # "no date": later than any date, so `minimum` skips it
_MONTH_BASE = 1 << 20  # months since 1970 made positive, so (month, source) packs in an int
_SOURCE_BITS = 0xFFFFFFFF  # the low 32 bits of a packed key: the source's code
# What is pending is added up in batches this small: sorting one out takes a few copies of
# it at once, and at 500,000 hours (250,000 keys) those made the import's memory jump by
# 10 MB or more each time (about 11 MB less at a peak, measured at 1M and 10M leads).
_SETTLE_COUNTS = 50_000  # pending counted keys before they are added up
_SETTLE_HOURS = 100_000  # pending hours before they are sorted out by key
# Pending sums added up at the end of a batch of leads (so a rebuild and an import, which
# add the same batches, add them in the same order).
_SETTLE_SUMS = 50_000
FETCH = 20_000  # leads read at a time by a rebuild
_NEVER = (9999 - 1970) * 12 + 11  # December 9999: the month a deal never closed "closes"


class Summariser:
    """Accumulates leads into summaries (`add`, a batch at a time); `load` adds the stored
    ones; `write` stores them, replacing what was there. While `sign` is -1, `add` takes
    leads away instead (leads an import changed, as they were): counts and sums go down,
    their hours are taken out of the stored ones."""

    def __init__(self, stage_ids: Sequence[int], mql_stage: int | None) -> None:
        self.stage_ids = list(stage_ids)
        self.mql_stage = mql_stage
        self.sign = 1
        self.subtracted = False
        self.cells: defaultdict[CellKey, float] = defaultdict(float)
        self._source_codes: dict[str, int] = {}
        self._disposition_codes: dict[str | None, int] = {None: -1, "": -1}
        self._counts: defaultdict[tuple[int, str, int], list[Ints]] = defaultdict(list)
        self._pending = 0
        self._sums: defaultdict[tuple[int, str], list[tuple[Ints, Floats]]] = defaultdict(list)
        self._pending_sums = 0
        self._hours: defaultdict[tuple[int, str], list[tuple[Ints, Floats]]] = defaultdict(list)
        self._pending_hours = 0
        # Hours already sorted out by key (stage id, kind, packed key), on disk.
        self._hour_groups = HourSpill()
        # Hours of leads taken away, pending and sorted out as those above, on disk too: a
        # re-import of ten million leads that changes one in ten takes away millions.
        self._removed: defaultdict[tuple[int, str], list[tuple[Ints, Floats]]] = \
            defaultdict(list)
        self._removed_groups = HourSpill()

    # -- adding leads ---------------------------------------------------------------------
    def add(self, leads: LeadColumns) -> None:
        """Count a batch of leads in: each stage they reached, their hours in it and to
        first touch, their dispositions, what they won, and their deals' pipeline."""
        sources = self._codes(leads.source)
        amounts = np.array(leads.amount, dtype=np.float64)  # None → NaN
        stages = [seconds(column) for column in leads.stage_dates]  # None: no lead has one
        onward = _Onward()
        for index in reversed(range(len(self.stage_ids))):
            moments = stages[index]
            if moments is not None:
                self._stage(self.stage_ids[index], moments, onward, sources, amounts, leads)
                onward.add(moments)
        won, lost = seconds(leads.won), seconds(leads.lost)
        if won is not None:
            reached = won != NONE
            keys = _keys(won[reached], sources[reached])
            self._count(0, "won", keys)
            self._sum(0, "won_amount", keys, np.nan_to_num(amounts[reached]))
        deals = np.flatnonzero(~np.isnan(amounts))
        if len(deals):
            def of_deals(moments: Ints | None) -> Ints | None:
                return None if moments is None else moments[deals]

            self._pipeline([of_deals(m) for m in stages], of_deals(won), of_deals(lost),
                           sources[deals], amounts[deals])
        if self._pending_sums > _SETTLE_SUMS:
            self._settle_sums()

    def _stage(self, stage_id: int, moments: Ints, onward: _Onward, sources: Ints,
               amounts: Floats, leads: LeadColumns) -> None:
        reached = moments < UNDATED  # a date is known: the lead counts in that month
        at = moments[reached]
        keys = _keys(at, sources[reached])
        self._count(stage_id, "reached", keys)
        if onward.any:
            moved, timed, until = onward.of(reached)
            self._count(stage_id, "advanced", keys[moved])
            self._add_hours(stage_id, "in_stage", keys[timed], until[timed] - at[timed])
        amount = amounts[reached]
        valued = (amount != 0) & ~np.isnan(amount)
        self._sum(stage_id, "reached_amount", keys[valued], amount[valued])
        if stage_id == self.mql_stage:
            self._follow_up(stage_id, reached, at, keys, leads)

    def _follow_up(self, stage_id: int, reached: NDArray[np.bool_], at: Ints, keys: Ints,
                   leads: LeadColumns) -> None:
        touches = seconds(leads.first_touch)
        if touches is not None:
            touch = touches[reached]
            touched = touch != NONE
            self._count(stage_id, "touched", keys[touched])
            self._add_hours(stage_id, "to_touch", keys[touched], touch[touched] - at[touched])
        codes = self._dispositions(leads.disposition)[reached]
        coded = codes >= 0  # which values are dispositions is asked when read (`closed_loop`)
        names = {code: name for name, code in self._disposition_codes.items() if name}
        for code in np.unique(codes[coded]).tolist():
            self._count(stage_id, f"disposition:{names[code]}", keys[codes == code])

    def _pipeline(self, stages: list[Ints | None], won: Ints | None, lost: Ints | None,
                  sources: Ints, amounts: Floats) -> None:
        """Each deal's amount moving through the stages: added at the first stage it
        reaches, in the month it reaches it (not before: a deal is in no pipeline before
        it is at a stage), moved to each further stage it reaches, taken away in the month
        it is won or lost. A stage moves the deal only if no later stage came earlier, and
        only before the month it closes; a stage reached at an unknown date never does."""
        closed = np.full(len(amounts), NONE)
        for moments in (won, lost):
            if moments is not None:
                closed = np.minimum(closed, moments)
        end = np.where(closed != NONE, _months(closed), _NEVER)
        events = []  # per stage: the month it moves each deal there, or NONE
        for moments in stages:
            month = np.full(len(end), NONE) if moments is None else _months(moments)
            events.append(np.where(month < end, month, NONE))
        movers, earliest = [], np.full(len(end), NONE)
        for month in reversed(events):
            movers.append((month != NONE) & (month <= earliest))
            earliest = np.minimum(earliest, month)
        here = np.full(len(end), -1, np.int64)  # the deal's stage; -1: at none yet
        for stage_id, month, mover in zip(self.stage_ids, events, reversed(movers), strict=True):
            leaves = mover & (here >= 0)
            self._open(month[leaves], here[leaves], sources[leaves], amounts[leaves], -1)
            here = np.where(mover, stage_id, here)
            self._open(month[mover], here[mover], sources[mover], amounts[mover], +1)
        gone = (closed != NONE) & (here >= 0)
        self._open(end[gone], here[gone], sources[gone], amounts[gone], -1)

    def _open(self, months: Ints, stage_ids: Ints, sources: Ints, amounts: Floats,
              sign: int) -> None:
        """Deals added to (+1) or taken from (-1) the open pipeline at a stage in a month."""
        keys = ((months + _MONTH_BASE) << 32) | sources
        for stage_id in np.unique(stage_ids).tolist():
            at = stage_ids == stage_id
            self._sum(stage_id, "open_amount", keys[at], sign * amounts[at])
            self._sum(stage_id, "open_count", keys[at], np.full(int(at.sum()), float(sign)))

    # -- gathering ------------------------------------------------------------------------
    def _codes(self, sources: Sequence[str]) -> Ints:
        codes = self._source_codes
        for name in set(sources).difference(codes):
            codes[name] = len(codes)
        return np.fromiter(map(codes.__getitem__, sources), dtype=np.int64, count=len(sources))

    def _dispositions(self, column: Sequence[str | None]) -> Ints:
        codes = self._disposition_codes
        for name in set(column).difference(codes):
            codes[name] = len(codes) - 2  # after None and "", both "no disposition"
        return np.fromiter(map(codes.__getitem__, column), dtype=np.int64, count=len(column))

    def _count(self, stage_id: int, measure: str, keys: Ints) -> None:
        if len(keys):
            self._counts[(stage_id, measure, self.sign)].append(keys)
            self._pending += len(keys)
            if self._pending > _SETTLE_COUNTS:
                self._settle_counts()

    def _sum(self, stage_id: int, measure: str, keys: Ints, values: Floats) -> None:
        if len(keys):
            self._sums[(stage_id, measure)].append((keys, values * self.sign))
            self._pending_sums += len(keys)

    def _add_hours(self, stage_id: int, kind: str, keys: Ints, seconds: Ints) -> None:
        """Hours from each start to its end, 0 for an end before its start."""
        if len(keys):
            pending = self._hours if self.sign > 0 else self._removed
            pending[(stage_id, kind)].append((keys, np.maximum(seconds, 0) / 3600))
            self._pending_hours += len(keys)
            if self._pending_hours > _SETTLE_HOURS:
                self._settle_hours()

    def _settle_hours(self) -> None:
        """Sort the pending hours out by key, so each needs its 8 bytes and no key."""
        settled: defaultdict[tuple[int, str, int], list[Floats]] = defaultdict(list)
        removed: defaultdict[tuple[int, str, int], list[Floats]] = defaultdict(list)
        for pending, groups in ((self._hours, settled), (self._removed, removed)):
            # A stage and kind at a time, its pending parts let go as soon as they are
            # joined: the copies that sorting makes are then of one stage's hours, not all.
            # (A group's hours are sorted when written: their order here does not matter.)
            while pending:
                (stage_id, kind), parts = pending.popitem()
                keys = np.concatenate([k for k, _ in parts])
                hours = np.concatenate([h for _, h in parts])
                del parts
                order = np.argsort(keys)
                keys, hours = keys[order], hours[order]
                del order
                starts = np.flatnonzero(np.diff(keys, prepend=-1))
                for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(keys)],
                                      strict=True):
                    groups[(stage_id, kind, int(keys[start]))].append(hours[start:end])
        self._hour_groups.add(settled)
        self._removed_groups.add(removed)
        self._pending_hours = 0

    def merge(self, other: Summariser) -> None:
        """Add what `other` gathered (leads added and taken away) to these."""
        other._settle()
        for key, value in other.cells.items():
            self.cells[key] += value
        other._settle_hours()
        names = _KeyNames(other._source_codes)

        def ours(group: tuple[int, str, int]) -> tuple[int, str, int]:
            stage_id, kind, key = group
            month = key & ~_SOURCE_BITS
            return stage_id, kind, month | int(self._codes([names(key)[1]])[0])

        for mine, theirs in ((self._hour_groups, other._hour_groups),
                             (self._removed_groups, other._removed_groups)):
            batch = _SpillBatch(mine)
            for group in theirs.groups():
                batch.add(ours(group), theirs.read(group))
            batch.flush()
        self.subtracted = self.subtracted or other.subtracted

    def take_out_removed(self) -> bool:
        """Take the hours of the leads taken away out of the others; False when some are
        not there (the summaries did not hold those leads: they must be rebuilt)."""
        self._settle_hours()
        for group in self._removed_groups.groups():  # a group at a time in memory
            remaining = _without(self._hour_groups.read(group), self._removed_groups.read(group))
            if remaining is None:  # the summaries are rebuilt: those taken out do not matter
                return False
            self._hour_groups.replace(group, remaining)
            self.subtracted = True
        self._removed_groups = HourSpill()  # the file goes with the old one
        return True

    def _settle_counts(self) -> None:
        name = _KeyNames(self._source_codes)
        for (stage_id, measure, sign), parts in self._counts.items():
            keys, counts = np.unique(np.concatenate(parts), return_counts=True)
            for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
                month, source = name(key)
                self.cells[(month, stage_id, source, measure)] += sign * count
            self.subtracted = self.subtracted or sign < 0
        self._counts.clear()
        self._pending = 0

    def _settle(self) -> None:
        """Add up everything gathered into `cells`."""
        self._settle_counts()
        self._settle_sums()

    def _settle_sums(self) -> None:
        name = _KeyNames(self._source_codes)
        for (stage_id, measure), parts in self._sums.items():
            keys, inverse = np.unique(np.concatenate([k for k, _ in parts]), return_inverse=True)
            totals = np.bincount(inverse, weights=np.concatenate([v for _, v in parts]))
            for key, total in zip(keys.tolist(), totals.tolist(), strict=True):
                month, source = name(key)
                self.cells[(month, stage_id, source, measure)] += total
        self._sums.clear()
        self._pending_sums = 0

    def _hour_rows(self) -> Iterator[tuple[str, int, str, str, bytes]]:
        """Every kept hour, sorted, per month, stage, source and kind, as rows of the
        hours table (one at a time: they are the summaries' bulk)."""
        self._settle_hours()
        name = _KeyNames(self._source_codes)
        rows = sorted((name(key)[0], stage_id, name(key)[1], kind, (stage_id, kind, key))
                      for stage_id, kind, key in self._hour_groups.groups())
        for month, stage_id, source, kind, group in rows:
            hours = np.sort(self._hour_groups.read(group))
            if len(hours):  # none left when every lead of the group was taken away
                yield month, stage_id, source, kind, hours.astype("<f8").tobytes()

    # -- storing --------------------------------------------------------------------------
    def load(self, conn: sqlite3.Connection) -> None:
        """Add the stored summaries to these (an import that only adds leads)."""
        self._settle()
        for month, stage, source, measure, value in conn.execute(
                "SELECT month, stage_id, source, measure, value FROM lead_summary_cells"):
            self.cells[(month, stage, source, measure)] += value
        batch = _SpillBatch(self._hour_groups)
        for month, stage, source, kind, blob in conn.execute(
                "SELECT month, stage_id, source, kind, hours FROM lead_summary_hours"):
            key = _month_key(month) + int(self._codes([source])[0])
            batch.add((stage, kind, key), np.frombuffer(blob, dtype="<f8"))
        batch.flush()

    def write(self, conn: sqlite3.Connection, stamp: str) -> None:
        self._settle()
        # Sums that leads taken away brought back to nothing may keep a rounding crumb:
        # they are nothing, as a rebuild finds them.
        least = 1e-6 if self.subtracted else 0.0
        conn.execute("DELETE FROM lead_summary_cells")
        conn.execute("DELETE FROM lead_summary_hours")
        conn.executemany(
            "INSERT INTO lead_summary_cells (month, stage_id, source, measure, value) "
            "VALUES (?, ?, ?, ?, ?)",
            sorted((*key, value) for key, value in self.cells.items() if abs(value) > least))
        conn.executemany(
            "INSERT INTO lead_summary_hours (month, stage_id, source, kind, hours) "
            "VALUES (?, ?, ?, ?, ?)", self._hour_rows())
        conn.execute("INSERT OR REPLACE INTO lead_summary_stamp (id, signature) VALUES (1, ?)",
                     (stamp,))


class _SpillBatch:
    """Groups of hours on their way to the file, a few megabytes at a time."""

    LIMIT = 1 << 20  # hours

    def __init__(self, spill: HourSpill) -> None:
        self.spill = spill
        self.groups: defaultdict[tuple[int, str, int], list[Floats]] = defaultdict(list)
        self.size = 0

    def add(self, group: tuple[int, str, int], hours: Floats) -> None:
        self.groups[group].append(hours)
        self.size += len(hours)
        if self.size >= self.LIMIT:
            self.flush()

    def flush(self) -> None:
        self.spill.add(self.groups)
        self.groups = defaultdict(list)
        self.size = 0


def _without(hours: Floats, removed: Floats) -> Floats | None:
    """`hours` with each of `removed` taken out once (sorted); None when one is missing."""
    values, counts = np.unique(hours, return_counts=True)
    gone, times = np.unique(removed, return_counts=True)
    at = np.searchsorted(values, gone)
    if (at >= len(values)).any():
        return None
    if (values[at] != gone).any() or (counts[at] < times).any():
        return None
    counts[at] -= times
    return np.repeat(values, counts)


def _months(moments: Ints) -> Ints:
    """The month (since January 1970) of each date; `NONE` and `UNDATED` become `NONE`."""
    months = moments.view("datetime64[s]").astype("datetime64[M]").view(np.int64)
    return np.where(moments >= UNDATED, NONE, months)


class _Onward:
    """Per lead, what is known of the stages after the one being counted (stages are
    counted last to first): the earliest known date at any of them, and whether the
    nearest one it reached has no date (then its time in the stage is unknown)."""

    def __init__(self) -> None:
        self.any = False
        self.earliest: Ints = np.empty(0, np.int64)
        self.next_undated: NDArray[np.bool_] = np.empty(0, np.bool_)

    def add(self, moments: Ints) -> None:
        """A stage's dates (or `NONE`, `UNDATED`), the one before the last added."""
        dated = np.where(moments == UNDATED, NONE, moments)
        if not self.any:
            self.any = True
            self.earliest, self.next_undated = dated, moments == UNDATED
            return
        self.earliest = np.minimum(self.earliest, dated)
        self.next_undated = np.where(moments != NONE, moments == UNDATED, self.next_undated)

    def of(self, leads: NDArray[np.bool_]) -> tuple[NDArray[np.bool_], NDArray[np.bool_], Ints]:
        """For the leads chosen: whether each went on (to a stage dated or not), whether
        its time in the stage is known, and the date it went on (where known)."""
        until, unknown = self.earliest[leads], self.next_undated[leads]
        dated = until != NONE
        return dated | unknown, dated & ~unknown, until


def _keys(moments: Ints, sources: Ints) -> Ints:
    """Each date's month and lead's source, packed into one int."""
    return ((_months(moments) + _MONTH_BASE) << 32) | sources


def _month_key(month: str) -> int:
    """"2026-03" as the month part of a packed key."""
    number = int(month[:4]) * 12 + int(month[5:7]) - 1 - 1970 * 12
    return (number + _MONTH_BASE) << 32


class _KeyNames:
    """The month ("YYYY-MM") and source of a packed key; each month worked out once."""

    def __init__(self, source_codes: dict[str, int]) -> None:
        self.sources = [""] * len(source_codes)
        for source, code in source_codes.items():
            self.sources[code] = source
        self.months: dict[int, str] = {}

    def __call__(self, key: int) -> tuple[str, str]:
        month = self.months.get(key >> 32)
        if month is None:
            month = self.months[key >> 32] = str(np.datetime64((key >> 32) - _MONTH_BASE, "M"))
        return month, self.sources[key & _SOURCE_BITS]




def rebuild(conn: sqlite3.Connection, stage_ids: Sequence[int], mql_stage: int | None) -> None:
    """Summarise every stored lead again (within the caller's transaction)."""
    summariser = Summariser(stage_ids, mql_stage)
    add_stored(summariser, conn)
    summariser.write(conn, signature(conn, mql_stage))


def add_stored(summariser: Summariser, conn: sqlite3.Connection, leads: str = "main.leads",
               dates: str = "main.lead_stage_dates", only: Sequence[int] | None = None) -> None:
    """Add the leads of the table `leads` (those whose ids are `only`, when given) with
    their stage dates in `dates`. Leads are read in id order a batch at a time, their stage
    dates by the same id range, so both reads run along their tables' keys; each stage's
    dates are put in place as seconds by numpy."""
    stage_ids = summariser.stage_ids
    entries = _entry_positions(conn, stage_ids)
    # Some leads: their ids bound as one JSON array (one statement, whatever they are).
    chosen: tuple[Any, ...] = (json.dumps(sorted(only)),) if only is not None else ()
    source = f"json_each(?) o JOIN {leads} l ON l.id = o.value" if chosen else f"{leads} l"
    dated = f"json_each(?) o JOIN {dates} d ON d.lead_id = o.value" if chosen else f"{dates} d"
    after = 0
    while rows := conn.execute(
            "SELECT l.id, l.source, l.created_at, l.first_touch_at, l.disposition, l.amount, "
            f"l.won_at, l.lost_at, l.import_batch FROM {source} WHERE l.id > ? "
            "ORDER BY l.id LIMIT ?",
            (*chosen, after, FETCH)).fetchall():
        columns: list[Any] = list(zip(*rows, strict=True))
        ids = np.array(columns[0], dtype=np.int64)
        stage_dates = _stage_seconds(conn, ids, stage_ids, dated, chosen)
        if entries:
            _add_entry_dates(stage_dates, entries, columns[8], columns[2])
        summariser.add(LeadColumns(
            source=columns[1], created=columns[2], first_touch=columns[3],
            disposition=columns[4], amount=columns[5], won=columns[6], lost=columns[7],
            stage_dates=stage_dates))  # type: ignore[arg-type]  # seconds, not text
        after = columns[0][-1]


def _entry_positions(conn: sqlite3.Connection, stage_ids: Sequence[int]) -> dict[int, int]:
    """Import batch → where in `stage_ids` the stage its leads reached when created is
    (see `workbench.reached`)."""
    from ..reached import entry_stage_by_batch

    position = {int(stage_id): i for i, stage_id in enumerate(stage_ids)}
    return {batch: position[stage] for batch, stage in entry_stage_by_batch(conn).items()
            if stage in position}


def _add_entry_dates(stage_dates: list[Ints], entries: dict[int, int],
                     batches: Sequence[int | None], created: Sequence[str]) -> None:
    """Put the implicit entry dates in place: a lead's created date, at the stage its
    import batch says, for the leads of such batches."""
    where = np.array([entries.get(b, -1) if b is not None else -1 for b in batches],
                     dtype=np.int64)
    if not (where >= 0).any():
        return
    moments = seconds(created)
    assert moments is not None  # every lead has one
    for position in np.unique(where[where >= 0]).tolist():
        here = where == position
        column = stage_dates[position]
        column[here] = np.minimum(column[here], moments[here])


def _stage_seconds(conn: sqlite3.Connection, ids: Ints, stage_ids: Sequence[int],
                   dates: str, params: tuple[Any, ...]) -> list[Ints]:
    """Per stage, in funnel order, the seconds at which each of the leads `ids` (sorted)
    reached it, `NONE` where it did not, `UNDATED` where it did at an unknown date."""
    found = conn.execute(
        f"SELECT d.lead_id, d.stage_id, d.reached_at FROM {dates} "
        "WHERE d.lead_id >= ? AND d.lead_id <= ?", (*params, int(ids[0]), int(ids[-1]))
    ).fetchall()
    result = [np.full(len(ids), NONE) for _ in stage_ids]
    if not found:
        return result
    lead_ids, stages, reached = zip(*found, strict=True)
    leads = np.array(lead_ids, dtype=np.int64)
    at = np.searchsorted(ids, leads)
    if len(ids) < int(ids[-1] - ids[0]) + 1:  # some leads in the range are not these
        ours = ids[np.minimum(at, len(ids) - 1)] == leads
        found = [row for row, mine in zip(found, ours.tolist(), strict=True) if mine]
        if not found:
            return result
        lead_ids, stages, reached = zip(*found, strict=True)
        at = at[ours]
    stage_of = np.array(stages, dtype=np.int64)
    moments = seconds(reached)
    # Every row is a stage reached: one without a date was reached at an unknown date.
    moments = np.full(len(reached), UNDATED) if moments is None else \
        np.where(moments == NONE, UNDATED, moments)
    for column, stage_id in zip(result, stage_ids, strict=True):
        here = stage_of == int(stage_id)
        column[at[here]] = moments[here]
    return result
