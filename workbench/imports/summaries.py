"""Monthly summaries of the leads, so closed-loop numbers per quarter never wait on a scan
of a million leads.

Per month × stage × source the summaries count the leads that reached the stage, those
that went on to a later stage, their amounts, and (at the MQL stage) touches and
dispositions; they keep the hours each lead spent in a stage and, at the MQL stage, the
hours to first touch, as sorted arrays, so medians and shares within any SLA are exact.
For the open pipeline they hold, per month, how the deals open at month-end changed: a
deal adds its amount to the furthest stage it has reached in the month it is created,
moves it when it reaches a later stage, and takes it away in the month it is won or lost.
The pipeline at any month-end is the sum of the changes up to it.

They are built as leads are imported (new leads only add to them) or rebuilt from the
leads in one pass, and stamped with what they were built from; `closed_loop` rebuilds
them when the stamp no longer matches (leads written by other code, stages reordered).
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress, repeat
from typing import Any

TABLES = ("lead_summary_cells", "lead_summary_hours", "lead_summary_stamp")
CellKey = tuple[str, int, str, str]  # (month, stage id, source, measure)
HoursKey = tuple[str, int, str, str]  # (month, stage id, source, kind)
FETCH = 5000


@dataclass
class LeadColumns:
    """A batch of leads, column by column: what the summaries need of each lead.
    `stage_dates` holds one column per funnel stage, in funnel order."""

    source: Sequence[str]
    created: Sequence[str]
    stage_dates: list[Sequence[str | None]]
    first_touch: Sequence[str | None]
    disposition: Sequence[str | None]
    amount: Sequence[float | None]
    won: Sequence[str | None]
    lost: Sequence[str | None]


class Summariser:
    """Accumulates leads into summaries; `write` stores them, replacing what was there."""

    def __init__(self, stage_ids: Sequence[int], mql_stage: int | None) -> None:
        self.stage_ids = list(stage_ids)
        self.mql_stage = mql_stage
        self.cells: defaultdict[CellKey, float] = defaultdict(float)
        self.hours: dict[HoursKey, array[float]] = {}

    # -- adding leads ---------------------------------------------------------------------
    def add(self, leads: LeadColumns) -> None:
        later: list[str | None] = [None] * len(leads.source)
        for index in reversed(range(len(self.stage_ids))):
            column = leads.stage_dates[index]
            if not any(column):
                continue  # a stage none of these leads reached (checked at C speed)
            self._stage(self.stage_ids[index], column, later, leads)
            later = [d if d is not None and (m is None or d < m) else m
                     for d, m in zip(column, later, strict=True)]
        self._won(leads)
        self._pipeline(leads)

    def _stage(self, stage_id: int, column: Sequence[str | None], later: list[str | None],
               leads: LeadColumns) -> None:
        present = [i for i, d in enumerate(column) if d is not None]
        if not present:
            return
        dates = [column[i] for i in present]
        months = [d[:7] for d in dates]  # type: ignore[index]
        sources = [leads.source[i] for i in present]
        self._count(months, stage_id, sources, "reached")
        onward = [later[i] for i in present]
        moved = [n is not None for n in onward]
        self._count(list(compress(months, moved)), stage_id, list(compress(sources, moved)),
                    "advanced")
        self._hours(stage_id, "in_stage", months, sources, dates, onward)
        for month, source, i in zip(months, sources, present, strict=True):
            amount = leads.amount[i]
            if amount:
                self.cells[(month, stage_id, source, "reached_amount")] += amount
        if stage_id == self.mql_stage:
            self._follow_up(stage_id, present, months, sources, dates, leads)

    def _follow_up(self, stage_id: int, present: list[int], months: list[str],
                   sources: list[str], dates: list[str | None], leads: LeadColumns) -> None:
        touches = [leads.first_touch[i] for i in present]
        touched = [t is not None for t in touches]
        self._count(list(compress(months, touched)), stage_id, list(compress(sources, touched)),
                    "touched")
        self._hours(stage_id, "to_touch", months, sources, dates, touches)
        codes = [leads.disposition[i] for i in present]
        coded = [c is not None for c in codes]
        self._count(list(compress(months, coded)), stage_id, list(compress(sources, coded)),
                    "dispositioned")
        self._add_counts(Counter(zip(compress(months, coded), repeat(stage_id),
                                     compress(sources, coded),
                                     (f"disposition:{c}" for c in codes if c is not None))))

    def _won(self, leads: LeadColumns) -> None:
        for won, source, amount in zip(leads.won, leads.source, leads.amount, strict=True):
            if won is not None:
                self.cells[(won[:7], 0, source, "won")] += 1
                self.cells[(won[:7], 0, source, "won_amount")] += amount or 0.0

    def _pipeline(self, leads: LeadColumns) -> None:
        """Each deal's amount moving through the stages: added where it stands in the
        month it is created, moved as it reaches further stages, taken away when it is
        won or lost."""
        for i, amount in enumerate(leads.amount):
            if amount is None:
                continue
            closed = min((d for d in (leads.won[i], leads.lost[i]) if d is not None),
                         default=None)
            end = closed[:7] if closed else "9999-12"
            start = leads.created[i][:7]
            if start >= end:
                continue
            moves = sorted((max(start, column[i][:7]), position)  # type: ignore[index]
                           for position, column in enumerate(leads.stage_dates)
                           if column[i] is not None and column[i][:7] < end)  # type: ignore
            key = (leads.source[i], amount)
            here, furthest = 0, -1
            self._move(start, None, here, key)
            for month, position in moves:
                if position > furthest:
                    self._move(month, here, self.stage_ids[position], key)
                    here, furthest = self.stage_ids[position], position
            if closed:
                self._move(end, here, None, key)

    def _move(self, month: str, old: int | None, new: int | None,
              deal: tuple[str, float]) -> None:
        source, amount = deal
        if old is not None:
            self.cells[(month, old, source, "open_amount")] -= amount
            self.cells[(month, old, source, "open_count")] -= 1
        if new is not None:
            self.cells[(month, new, source, "open_amount")] += amount
            self.cells[(month, new, source, "open_count")] += 1

    def _count(self, months: list[str], stage_id: int, sources: list[str], measure: str) -> None:
        self._add_counts(Counter(zip(months, repeat(stage_id), sources, repeat(measure))))

    def _add_counts(self, counts: Counter[CellKey]) -> None:
        """Counted at C speed by `Counter`, then added per distinct cell (few)."""
        for key, count in counts.items():
            self.cells[key] += count

    def _hours(self, stage_id: int, kind: str, months: list[str], sources: list[str],
               starts: Sequence[str | None], ends: Sequence[str | None]) -> None:
        """Hours from each start to its end (0 for an end before its start), kept per
        month and source; rows without an end are left out."""
        parse, hours = datetime.fromisoformat, self.hours
        for month, source, start, end in zip(months, sources, starts, ends, strict=True):
            if end is None or start is None:
                continue
            seconds = (parse(end) - parse(start)).total_seconds()
            key = (month, stage_id, source, kind)
            values = hours.get(key)
            if values is None:
                values = hours[key] = array("d")
            values.append(seconds / 3600 if seconds > 0 else 0.0)

    # -- storing --------------------------------------------------------------------------
    def load(self, conn: sqlite3.Connection) -> None:
        """Add the stored summaries to these (an import that only adds leads)."""
        for month, stage, source, measure, value in conn.execute(
                "SELECT month, stage_id, source, measure, value FROM lead_summary_cells"):
            self.cells[(month, stage, source, measure)] += value
        for month, stage, source, kind, blob in conn.execute(
                "SELECT month, stage_id, source, kind, hours FROM lead_summary_hours"):
            self.hours.setdefault((month, stage, source, kind), array("d")).extend(
                hours_from_blob(blob))

    def write(self, conn: sqlite3.Connection, stamp: str) -> None:
        conn.execute("DELETE FROM lead_summary_cells")
        conn.execute("DELETE FROM lead_summary_hours")
        conn.executemany(
            "INSERT INTO lead_summary_cells (month, stage_id, source, measure, value) "
            "VALUES (?, ?, ?, ?, ?)",
            sorted((*key, value) for key, value in self.cells.items() if value))
        conn.executemany(
            "INSERT INTO lead_summary_hours (month, stage_id, source, kind, hours) "
            "VALUES (?, ?, ?, ?, ?)",
            [(*key, hours_to_blob(values)) for key, values in sorted(self.hours.items())])
        conn.execute("INSERT OR REPLACE INTO lead_summary_stamp (id, signature) VALUES (1, ?)",
                     (stamp,))


def hours_to_blob(values: array[float]) -> bytes:
    """Sorted hours as little-endian doubles (the stored form is the same on any machine)."""
    data = array("d", sorted(values))
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def hours_from_blob(blob: bytes) -> array[float]:
    data = array("d")
    data.frombytes(blob)
    if sys.byteorder == "big":
        data.byteswap()
    return data


def month_before(month: str) -> str:
    """"2026-01" → "2025-12"."""
    number = int(month[:4]) * 12 + int(month[5:7]) - 2
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


# -- building from the stored leads ---------------------------------------------------------
def signature(conn: sqlite3.Connection, mql_stage: int | None) -> str:
    """What the summaries depend on, cheaply: the stage order, how many leads and stage
    dates there are, the newest lead, and the MQL stage."""
    stages = ",".join(f"{i}:{p}" for i, p in conn.execute(
        "SELECT id, position FROM stages ORDER BY position, id"))
    leads = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM leads").fetchone()
    dates = conn.execute("SELECT count(*) FROM lead_stage_dates").fetchone()[0]
    return f"{stages}|{leads[0]}:{leads[1]}|{dates}|mql={mql_stage}"


def stored_signature(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT signature FROM lead_summary_stamp WHERE id = 1").fetchone()
    return str(row[0]) if row else None


def is_current(conn: sqlite3.Connection, mql_stage: int | None) -> bool:
    """Whether the stored summaries match the leads. A workbook that never had leads has
    nothing to summarise, so reading its numbers writes nothing."""
    stored = stored_signature(conn)
    if stored is None and conn.execute("SELECT 1 FROM leads LIMIT 1").fetchone() is None:
        return conn.execute("SELECT 1 FROM lead_summary_cells LIMIT 1").fetchone() is None
    return stored == signature(conn, mql_stage)


def rebuild(conn: sqlite3.Connection, stage_ids: Sequence[int], mql_stage: int | None) -> None:
    """Summarise every stored lead again (within the caller's transaction). Leads are read
    in id order a batch at a time, their stage dates by the same id range, so both reads
    run along their tables' keys."""
    summariser = Summariser(stage_ids, mql_stage)
    position = {int(s): i for i, s in enumerate(stage_ids)}
    after = 0
    while rows := conn.execute(
            "SELECT id, source, created_at, first_touch_at, disposition, amount, won_at, "
            "lost_at FROM main.leads WHERE id > ? ORDER BY id LIMIT ?", (after, FETCH)
    ).fetchall():
        columns: list[Any] = list(zip(*rows, strict=True))
        index = {lead_id: i for i, lead_id in enumerate(columns[0])}
        stage_dates: list[list[str | None]] = [[None] * len(rows) for _ in stage_ids]
        for lead_id, stage_id, reached in conn.execute(
                "SELECT lead_id, stage_id, reached_at FROM main.lead_stage_dates "
                "WHERE lead_id > ? AND lead_id <= ?", (after, columns[0][-1])):
            if stage_id in position:
                stage_dates[position[stage_id]][index[lead_id]] = reached
        summariser.add(LeadColumns(
            source=columns[1], created=columns[2], first_touch=columns[3],
            disposition=columns[4], amount=columns[5], won=columns[6], lost=columns[7],
            stage_dates=list(stage_dates)))
        after = columns[0][-1]
    summariser.write(conn, signature(conn, mql_stage))
