"""Sorting the leads away from the window, in an order no index gives.

An `OrderRequest` carries the filter and the order; a worker thread finds the first page
first (`first_ids`), then every id in order (`all_ids`), each on a read-only connection of
its own, while the leads table reads "…" and says what it is sorting by. The first page
of a scan is two scans at once over halves of the ids, merged as SQLite orders. Where an
order SQLite reads without sorting may lead to it sooner (an index on the sort column
under a filter; the ids, for the empty ones first in an ascending order), a walk along it
races the scans: the first to have the page stops the other.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .leads import LeadFilter
    from .sqlite import Database

FIRST_PAGE_PARTS = 2  # scans at once for an order's first page: a laptop's two cores
SPLIT_FROM = 100_000  # ids: fewer take tens of milliseconds to scan in one go
# Sortable columns a lead may leave empty: NULL, or text left blank (''), which comes
# first of all text; the others always hold a value.
NULLABLE_SORTS = frozenset({"external_id", "score", "first_touch_at", "disposition",
                            "amount", "won_at", "lost_at"})
BLANK_SORTS = frozenset({"source", "campaign", "owner", "company"})  # TEXT NOT NULL
# SQLite's steps between a race's looks at whether it lost: each look takes Python's lock,
# which a busy window may hold for milliseconds. A scan looks about every 100,000 leads,
# and is interrupted at once besides; a walk, which should be short, every hundred.
SCAN_LOOKS_EVERY = 1_000_000
WALK_LOOKS_EVERY = 1_000


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
    walk_where: str  # the same filter, a stage asked of each lead met (see _walked_first)
    walk_params: tuple[Any, ...]
    changes: int  # the workbook connection's write count when asked
    # Every query the request runs, stopped by `cancel` (from any thread).
    _queries: _Stop = field(default_factory=lambda: _Stop(SCAN_LOOKS_EVERY), init=False,
                            repr=False, compare=False)

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.lead_filter, self.sort, self.order, self.changes)

    def cancel(self) -> None:
        """Stop the request's queries, running or to come: its order is no longer wanted
        (another was asked for). Its `first_ids` or `all_ids` raise `sqlite3.OperationalError`
        ("interrupted"); `cancelled` says why."""
        self._queries.stop()

    @property
    def cancelled(self) -> bool:
        return self._queries.stopped

    def _ids(self, limit: int | None) -> array[int]:
        return array("q", (row[1] for row in self._read(*self._sql(limit))))

    def _rows(self, limit: int, span: tuple[int, int], race: _Stop
              ) -> list[tuple[Any, int]]:
        return list(self._read(*self._sql(limit, span), race=race))

    def _sql(self, limit: int | None, span: tuple[int, int] | None = None
             ) -> tuple[str, tuple[Any, ...]]:
        """The query for (sort value, id) of the first `limit` matching leads in order
        (every one with no limit), of those with ids in `span` only when given."""
        where, params = self.where, self.params
        if span is not None:
            where, params = _and(where, "l.id BETWEEN ? AND ?"), params + span
        return (f"SELECT l.{self.sort}, l.id FROM leads l {where} "
                f"ORDER BY l.{self.sort} {self.order}, l.id {self.order}"
                + ("" if limit is None else f" LIMIT {int(limit)}")), params

    def _read(self, sql: str, params: tuple[Any, ...], race: _Stop | None = None
              ) -> Iterator[Any]:
        with self._connection(race or self._queries) as conn:
            yield from conn.execute(sql, params)

    @contextmanager
    def _connection(self, stop: _Stop) -> Iterator[sqlite3.Connection]:
        """A read-only connection of the worker's own, its queries ended by `stop` (and by
        `cancel`: every `stop` of a request's is one of its queries')."""
        db = _connect(self.path)
        try:
            stop.enter(db.conn)
            yield db.conn
        finally:
            stop.leave(db.conn)
            db.conn.close()

    def first_ids(self, limit: int, parts: int = FIRST_PAGE_PARTS) -> array[int]:
        """The ids of the first `limit` leads in order (for a worker thread). An order no
        index gives scans every matching lead: a long scan is split by id range into
        `parts` scans at once (SQLite works outside Python's lock), each keeping its own
        first `limit`, merged here as SQLite orders. A walk races them (`_walked_first`)."""
        from .lead_tops import TOPS  # (hashlib, for its stamp: not loaded with the app)

        if self.sort in TOPS:  # kept by the imports: at once
            page = self._from_tops(limit)
            if page is not None:
                return page
        scanned = self._span_to_scan(limit)
        if scanned is None or parts < 2 or scanned[1] - scanned[0] < SPLIT_FROM:
            return self._ids(limit)
        low, high = scanned
        step = (high - low) // parts + 1
        spans = [(low + i * step, low + (i + 1) * step - 1) for i in range(parts)]
        scans = _Stop(SCAN_LOOKS_EVERY, self._queries)
        walk = _Stop(WALK_LOOKS_EVERY, self._queries)
        with ThreadPoolExecutor(parts) as pool:
            walked = pool.submit(self._walked_first, limit, walk, scans)
            others = [pool.submit(self._rows, limit, span, scans) for span in spans[1:]]
            try:
                rows = self._rows(limit, spans[0], scans)
                for other in others:
                    rows += other.result()
            except sqlite3.OperationalError:
                if walked.result() is None:  # stopped by nothing else: a real failure
                    raise
            walk.stop()
            page = walked.result()
            if page is not None:
                return page
        rows.sort(key=_in_sqlite_order, reverse=self.order == "DESC")
        return array("q", (row[1] for row in rows[:limit]))

    def _from_tops(self, limit: int) -> array[int] | None:
        """The first page from the leads the imports keep above a floor, or below a
        ceiling (`lead_tops`), when those are current and at least a page of them match
        the filter: no other lead can come before them. None otherwise (the walk then
        reads on, at the floor)."""
        with self._connection(self._queries) as conn:
            head = self._tops_walk(conn)
            if head is None:
                return None
            queries, _ = head
            sql, params = queries[0]  # the leads kept
            ids = array("q", (row[0] for row in conn.execute(f"{sql} LIMIT {int(limit)}",
                                                             params)))
        return ids if len(ids) == limit else None

    def _tops_walk(self, conn: sqlite3.Connection
                   ) -> tuple[list[tuple[str, tuple[Any, ...]]], bool] | None:
        """The queries of a walk in an order the imports keep (`lead_tops`): the leads
        kept, in order, then those at the floor (ceiling), as SQLite orders ties by id;
        and whether they are then all (a descending list's floor is blank; an ascending
        one's ceiling is still above every value). None when the list is not current."""
        from .lead_tops import NOT_NULL, list_name, stamp

        down = self.order == "DESC"
        name = list_name(self.sort, down)
        row = conn.execute("SELECT floor FROM lead_top_lists WHERE sort = ? AND stamp = ?",
                           (name, stamp(conn))).fetchone()
        if row is None:
            return None
        floor = row[0]
        kept = _and(self.walk_where, "t.sort = ? AND l.id = t.lead_id")
        at = _and(self.walk_where, f"l.{self.sort} IS NULL" if floor is None else
                  f"l.{self.sort} = ?")
        whole = (floor is None or (floor == "" and self.sort in NOT_NULL)) if down \
            else isinstance(floor, bytes)
        return [(f"SELECT l.id FROM lead_tops t CROSS JOIN leads l {kept} "
                 f"ORDER BY l.{self.sort} {self.order}, l.id {self.order}",
                 (*self.walk_params, name)),
                (f"SELECT l.id FROM leads l NOT INDEXED {at} ORDER BY l.id {self.order}",
                 (*self.walk_params, *(() if floor is None else (floor,))))], whole

    def _walked_first(self, limit: int, race: _Stop, rivals: _Stop) -> array[int] | None:
        """The first page found by walking the leads in an order SQLite reads without
        sorting, testing each lead met against the filter, and stopping at a page's worth:
        along an index on the sort column (created date, source, lead ID, under a filter
        that otherwise needs a sort); in an ascending order of a column most leads leave
        empty (no won date, no amount, no owner), by id, as the empty ones come first; or
        in an order the imports keep (`lead_tops`), the leads above its floor (below its
        ceiling), then those at it by id. It asks a stage of each lead it meets (counting
        lists the stage's leads first: seconds for a common stage at ten million leads).
        When it has the page it stops its `rivals`, the scans; when they have it first,
        they stop the walk: None then, as when no walk serves this order."""
        try:
            with self._connection(race) as conn:
                walk = self._walk(conn, limit)
                if walk is None:
                    return None
                queries, whole = walk
                ids: array[int] = array("q")
                for sql, params in queries:
                    if len(ids) < limit:
                        ids.extend(row[0] for row in conn.execute(
                            f"{sql} LIMIT {int(limit - len(ids))}", params))
        except sqlite3.OperationalError:  # stopped: the scans had the page first
            return None
        if len(ids) == limit or whole:
            rivals.stop()
            return ids
        return None

    def _walk(self, conn: sqlite3.Connection, limit: int
              ) -> tuple[list[tuple[str, tuple[Any, ...]]], bool] | None:
        """The walk's queries (without their LIMIT), and whether fewer than `limit` found
        is every matching lead (along an index) or not (the empty ones are followed by the
        others). The walk by id reads no index: with one on the filter, SQLite would read
        all its leads first."""
        from .lead_tops import TOPS  # (hashlib, for its stamp: not loaded with the app)

        where = self.walk_where
        index = _index_on(conn, self.sort)
        if index is not None:
            sql = (f'SELECT l.id FROM leads l INDEXED BY "{index}" {where} '
                   f"ORDER BY l.{self.sort} {self.order}, l.id {self.order}")
            return None if _sorts(conn, f"{sql} LIMIT {int(limit)}", self.walk_params) \
                else ([(sql, self.walk_params)], True)
        if self.sort in TOPS:
            kept = self._tops_walk(conn)
            if kept is not None:
                return kept
        if self.order == "ASC" and self.sort in NULLABLE_SORTS | BLANK_SORTS:
            empty = "IS NULL" if self.sort in NULLABLE_SORTS else "= ''"
            return ([(f"SELECT l.id FROM leads l NOT INDEXED "
                      f"{_and(where, f'l.{self.sort} {empty}')} ORDER BY l.id",
                      self.walk_params)], False)
        return None

    def _span_to_scan(self, limit: int) -> tuple[int, int] | None:
        """The leads' lowest and highest id when the first `limit` in order are found by
        a scan and a sort; None when an index gives them in order or there are none."""
        with self._connection(self._queries) as conn:
            if not _sorts(conn, *self._sql(limit)):
                return None
            low, high = conn.execute(  # each alone, so each reads one end of the tree
                "SELECT (SELECT min(id) FROM leads), (SELECT max(id) FROM leads)").fetchone()
        return None if low is None else (low, high)

    def all_ids(self) -> array[int]:
        """Every matching id in order, 8 MB for a million (for a worker thread)."""
        return self._ids(None)


@dataclass
class _Stop:
    """Queries to stop together: a request's (`cancel`), or one side of a race for a
    first page. `stop` ends those running (by SQLite's interrupt, which may come from any
    thread) and those about to start, which an interrupt would miss: each query looks
    every `every` steps of SQLite's whether it, or its request (`within`), was stopped."""

    every: int
    within: _Stop | None = None
    stopped: bool = False
    _running: set[sqlite3.Connection] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, conn: sqlite3.Connection) -> None:
        """Have `stop` end the connection's queries (raises when it was stopped already)."""
        conn.set_progress_handler(self._looks, self.every)
        for stop in self._chain():
            with stop._lock:
                stop._running.add(conn)
        if self._looks():
            raise sqlite3.OperationalError("interrupted")

    def _looks(self) -> int:  # SQLite's progress handler: non-zero interrupts the query
        return int(any(stop.stopped for stop in self._chain()))

    def leave(self, conn: sqlite3.Connection) -> None:
        for stop in self._chain():
            with stop._lock:  # never interrupted once closed
                stop._running.discard(conn)

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            for conn in self._running:
                conn.interrupt()

    def _chain(self) -> tuple[_Stop, ...]:
        return (self,) if self.within is None else (self, self.within)


def _and(where: str, condition: str) -> str:
    """A WHERE clause (or none: "") with `condition` added."""
    return f"{where} AND {condition}" if where else f"WHERE {condition}"


def _sorts(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> bool:
    """Whether SQLite sorts the rows of `sql` (reading them all first) to order them."""
    plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return any("TEMP B-TREE" in str(step[-1]) for step in plan)


def _index_on(conn: sqlite3.Connection, column: str) -> str | None:
    """The name (quoted for SQL) of an index of the leads on `column` alone, if any."""
    for _, name, _, _, partial in conn.execute("PRAGMA index_list(leads)"):
        quoted = str(name).replace('"', '""')
        columns = [row[2] for row in conn.execute(f'PRAGMA index_info("{quoted}")')]
        if columns == [column] and not partial:
            return quoted
    return None


def _connect(path: Path) -> Database:
    """A read-only connection of the worker's own (storage loads when first sorting, not
    with the app: the leads table's module is imported before the window first paints)."""
    from .storage import connect

    return connect(path, read_only=True)


def sqlite_key(value: Any) -> tuple[int, Any]:
    """A value's place in SQLite's ORDER BY: NULL first, then numbers, then text (by its
    code points, as the BINARY collation compares UTF-8), then blobs."""
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (2, value)
    return (3, value) if isinstance(value, bytes) else (1, value)


def _in_sqlite_order(row: tuple[Any, int]) -> tuple[tuple[int, Any], int]:
    """A (value, id) row's place in SQLite's ORDER BY value, id."""
    return sqlite_key(row[0]), row[1]
