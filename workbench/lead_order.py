"""Sorting the leads away from the window, in an order no index gives.

An `OrderRequest` carries the filter and the order; a worker thread finds the first page
first (`first_ids`), then every id in order (`all_ids`), each on a read-only connection of
its own, while the leads table reads "…" and says what it is sorting by. The first page
of a scan is two scans at once over halves of the ids, merged as SQLite orders; in an
ascending order of a column most leads leave empty, it is the first empty ones by id.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .leads import LeadFilter
    from .sqlite import Database

FIRST_PAGE_PARTS = 2  # scans at once for an order's first page: a laptop's two cores
SPLIT_FROM = 100_000  # ids: fewer take tens of milliseconds to scan in one go
# Sortable columns a lead may leave empty (NULL): the others always hold a value.
NULLABLE_SORTS = frozenset({"external_id", "score", "first_touch_at", "disposition",
                            "amount", "won_at", "lost_at"})
# The first page of empties is looked for with a sixteenth of a scan's work at most:
# SQLite's steps, about STEPS_PER_LEAD a lead walked (counted by its progress handler).
EMPTIES_FROM_PART = 16
STEPS_PER_LEAD = 5  # measured: a walk checking two columns takes 3-5 a lead
PROGRESS_EVERY = 1000
EMPTIES_MIN_STEPS = 100  # thousands of steps: a small workbook walks its leads whole


@dataclass(frozen=True)
class OrderRequest:
    """Leads to sort off the main thread, on a read-only connection of their own: the
    first page first (SQLite keeps only the top rows), then every id in order."""

    path: Path
    lead_filter: LeadFilter
    sort: str
    order: str  # "ASC" or "DESC"
    where: str
    params: tuple[Any, ...]
    changes: int  # the workbook connection's write count when asked

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.lead_filter, self.sort, self.order, self.changes)

    def _ids(self, limit: int | None) -> array[int]:
        return array("q", (row[1] for row in self._select(limit)))

    def _rows(self, limit: int, span: tuple[int, int]) -> list[tuple[Any, int]]:
        return list(self._select(limit, span))

    def _sql(self, limit: int | None, span: tuple[int, int] | None = None
             ) -> tuple[str, tuple[Any, ...]]:
        """The query for (sort value, id) of the first `limit` matching leads in order
        (every one with no limit), of those with ids in `span` only when given."""
        where, params = self.where, self.params
        if span is not None:
            where = f"{where} AND l.id BETWEEN ? AND ?" if where else \
                "WHERE l.id BETWEEN ? AND ?"
            params += span
        return (f"SELECT l.{self.sort}, l.id FROM leads l {where} "
                f"ORDER BY l.{self.sort} {self.order}, l.id {self.order}"
                + ("" if limit is None else f" LIMIT {int(limit)}")), params

    def _select(self, limit: int | None, span: tuple[int, int] | None = None
                ) -> Iterator[tuple[Any, int]]:
        return self._read(*self._sql(limit, span))

    def _read(self, sql: str, params: tuple[Any, ...]) -> Iterator[Any]:
        db = _connect(self.path)
        try:
            yield from db.conn.execute(sql, params)
        finally:
            db.conn.close()

    def first_ids(self, limit: int, parts: int = FIRST_PAGE_PARTS) -> array[int]:
        """The ids of the first `limit` leads in order (for a worker thread). An order no
        index gives scans every matching lead: a long scan is split by id range into
        `parts` scans at once (SQLite works outside Python's lock), each keeping its own
        first `limit`, merged here as SQLite orders."""
        scanned = self._span_to_scan(limit)
        if scanned is None or parts < 2 or scanned[1] - scanned[0] < SPLIT_FROM:
            return self._ids(limit)
        empties = self._leading_empties(limit, scanned)
        if empties is not None:
            return empties
        low, high = scanned
        step = (high - low) // parts + 1
        spans = [(low + i * step, low + (i + 1) * step - 1) for i in range(parts)]
        with ThreadPoolExecutor(parts - 1) as pool:
            others = [pool.submit(self._rows, limit, span) for span in spans[1:]]
            rows = self._rows(limit, spans[0])
            for other in others:
                rows += other.result()
        rows.sort(key=_in_sqlite_order, reverse=self.order == "DESC")
        return array("q", (row[1] for row in rows[:limit]))

    def _leading_empties(self, limit: int, span: tuple[int, int]) -> array[int] | None:
        """An ascending order puts the leads with no value first, by id. When there are
        `limit` of them, they are the first page: found walking the ids in order and
        stopping there, not by a scan of every lead (most leads have no won date, no
        amount, no lost date). The walk reads no index (with one on the filter, SQLite
        would read all its leads, then sort them by id), and gives up past a sixteenth of
        a scan's work: None then, when the column always has a value, and for a filter by
        stage (SQLite lists all the stage's leads before it walks: a million at ten
        million leads, more than the walk may spend)."""
        if (self.order != "ASC" or self.sort not in NULLABLE_SORTS
                or self.lead_filter.stage_id is not None):  # its leads are listed first
            return None
        where = f"{self.where} AND" if self.where else "WHERE"
        steps = [max(EMPTIES_MIN_STEPS, (span[1] - span[0]) * STEPS_PER_LEAD
                     // EMPTIES_FROM_PART // PROGRESS_EVERY)]

        def spent() -> int:  # SQLite's progress handler: non-zero interrupts the query
            steps[0] -= 1
            return int(steps[0] < 0)

        db = _connect(self.path)
        try:
            db.conn.set_progress_handler(spent, PROGRESS_EVERY)
            ids = array("q", (row[0] for row in db.conn.execute(
                f"SELECT l.id FROM leads l NOT INDEXED {where} l.{self.sort} IS NULL "
                f"ORDER BY l.id LIMIT {int(limit)}", self.params)))
        except sqlite3.OperationalError:  # interrupted: too few empties, or too far in
            return None
        finally:
            db.conn.close()
        return ids if len(ids) == limit else None

    def _span_to_scan(self, limit: int) -> tuple[int, int] | None:
        """The leads' lowest and highest id when the first `limit` in order are found by
        a scan and a sort; None when an index gives them in order or there are none."""
        db = _connect(self.path)
        try:
            sql, params = self._sql(limit)
            plan = db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            if not any("TEMP B-TREE" in str(step[-1]) for step in plan):
                return None
            low, high = db.conn.execute(  # each alone, so each reads one end of the tree
                "SELECT (SELECT min(id) FROM leads), (SELECT max(id) FROM leads)").fetchone()
        finally:
            db.conn.close()
        return None if low is None else (low, high)

    def all_ids(self) -> array[int]:
        """Every matching id in order, 8 MB for a million (for a worker thread)."""
        return self._ids(None)


def _connect(path: Path) -> Database:
    """A read-only connection of the worker's own (storage loads when first sorting, not
    with the app: the leads table's module is imported before the window first paints)."""
    from .storage import connect

    return connect(path, read_only=True)


_TYPE_RANK = {type(None): 0, int: 1, float: 1, str: 2, bytes: 3}


def _in_sqlite_order(row: tuple[Any, int]) -> tuple[int, Any, int]:
    """A (value, id) row's place in SQLite's ORDER BY value, id: NULL first, then numbers,
    then text (by its code points, as the BINARY collation compares UTF-8), then blobs."""
    value = row[0]
    return _TYPE_RANK[type(value)], 0 if value is None else value, row[1]
