"""Monthly summaries of the leads, so closed-loop numbers per quarter never wait on a scan
of a million leads.

Per month × stage × source the summaries count the leads that reached the stage, those
that went on to a later stage, their amounts, and (at the MQL stage) touches and
dispositions; they keep the hours each lead spent in a stage and, at the MQL stage, the
hours to first touch, as sorted arrays, so medians and shares within any SLA are exact.
For the open pipeline they hold, per month, how the deals open at month-end changed: a
deal adds its amount to the first stage it reaches in the month it reaches it (never
before: no hindsight), moves it when it reaches a later stage, and takes it away in the
month it is won or lost. The pipeline at any month-end is the sum of the changes up to
it; which stages count as pipeline is decided when it is read (`closed_loop.pipeline`).

A stage reached at a date the export does not give (`reached_at` NULL) counts as reached
(the lead advanced from the stages before it) but is in no month: it adds to no month's
volume, no time in stage or to first touch, and moves no deal in the pipeline.

They are built as leads are imported (new leads only add to them) or rebuilt from the
leads in one pass (`summariser.Summariser` does the sums), and stamped with what they
were built from; `closed_loop.refresh` rebuilds them when the stamp no longer matches
(leads written by other code, stages reordered).
"""

from __future__ import annotations

import re
import sqlite3
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from ..lead_stamp import lead_stamp
from .dates import NO_DATE

TABLES = ("lead_summary_cells", "lead_summary_hours", "lead_summary_stamp")
# As seconds in a stage's column: reached, at a date the export does not give. Next to
# `NO_DATE` (not reached), so both sort after every real date.
UNDATED = NO_DATE - 1
# Part of the stamp: summaries built by an older way of counting are built again.
COUNTING = "2"


@dataclass
class LeadColumns:
    """A batch of leads, column by column: what the summaries need of each lead.
    `stage_dates` holds one column per funnel stage, in funnel order; in a column of
    seconds, `UNDATED` marks a stage reached at an unknown date."""

    source: Sequence[str]
    created: Sequence[str]
    stage_dates: list[Sequence[str | None]]  # or seconds since 1970 (see `dates`)
    first_touch: Sequence[str | None]
    disposition: Sequence[str | None]
    amount: Sequence[float | None]
    won: Sequence[str | None]
    lost: Sequence[str | None]


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
def signature(conn: sqlite3.Connection, mql_stage: int | None, *,
              without_batch: int | None = None) -> str:
    """What the summaries depend on, read in a millisecond: the way of counting, the stage
    order, the lead data (`lead_stamp`) and the MQL stage. (Implicit entry dates change
    only with an import, which keeps the summaries itself, or with the stage order.)"""
    stages = ",".join(f"{i}:{p}" for i, p in conn.execute(
        "SELECT id, position FROM stages ORDER BY position, id"))
    newest, batches = lead_stamp(conn, without_batch=without_batch)
    return f"v{COUNTING}|{stages}|{newest}:{batches}|mql={mql_stage}"


def stored_signature(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT signature FROM lead_summary_stamp WHERE id = 1").fetchone()
    return str(row[0]) if row else None


def is_current(conn: sqlite3.Connection, mql_stage: int | None, *,
               without_batch: int | None = None) -> bool:
    """Whether the stored summaries match the leads. A workbook that never had leads has
    nothing to summarise, so reading its numbers writes nothing."""
    stored = stored_signature(conn)
    if stored is None and conn.execute("SELECT 1 FROM leads LIMIT 1").fetchone() is None:
        return conn.execute("SELECT 1 FROM lead_summary_cells LIMIT 1").fetchone() is None
    return stored == signature(conn, mql_stage, without_batch=without_batch)


def stamped_before(conn: sqlite3.Connection, mql_stage: int | None) -> bool:
    """Whether the stored summaries carry a stamp of the kind written before lead stamps
    (counts of the leads and their stage dates) that still matches the leads: then they
    are current, and only their stamp needs writing again (`restamp`) — a third of a
    second at a million leads, once, instead of seconds summarising them all again."""
    stored = stored_signature(conn)
    if stored is None or not _COUNTED_STAMP.fullmatch(stored):
        return False
    stages = ",".join(f"{i}:{p}" for i, p in conn.execute(
        "SELECT id, position FROM stages ORDER BY position, id"))
    leads = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM leads").fetchone()
    dates = conn.execute("SELECT count(*), count(reached_at) FROM lead_stage_dates").fetchone()
    counted = f"v{COUNTING}|{stages}|{leads[0]}:{leads[1]}|{dates[0]}:{dates[1]}|mql={mql_stage}"
    return stored == counted


_COUNTED_STAMP = re.compile(r"v\d+\|[^|]*\|\d+:\d+\|\d+:\d+\|mql=\w+")


def restamp(conn: sqlite3.Connection, mql_stage: int | None) -> None:
    """Stamp the stored summaries as current (within the caller's transaction)."""
    conn.execute("UPDATE lead_summary_stamp SET signature = ? WHERE id = 1",
                 (signature(conn, mql_stage),))


def rebuild(conn: sqlite3.Connection, stage_ids: Sequence[int], mql_stage: int | None) -> None:
    """Summarise every stored lead again (within the caller's transaction); see
    `summariser.rebuild`."""
    from .summariser import rebuild as summarise_all  # numpy: loaded when needed, not at start

    summarise_all(conn, stage_ids, mql_stage)
