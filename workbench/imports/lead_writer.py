"""Writing checked lead rows: new leads added, known ones (same external ID) updated, a
lead ID seen twice in one file refused. Runs inside the import's transaction."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from itertools import compress, count
from operator import ne
from typing import TYPE_CHECKING, Any

from .. import lead_tops, reached
from . import freed_memory
from .batch_undo import BULK_TABLES, ImportUndo
from .import_summary import ImportSummary
from .lead_chunks import Chunk
from .lead_rows import LEAD_COLUMNS, NULLABLE_TEXT, NUMBER_READERS, LeadRowReader
from .problems import RowProblem
from .row_digests import DIGEST_COLUMN, Unchanged

if TYPE_CHECKING:
    from ..workbook import Workbook


_Update = tuple[int, tuple[Any, ...], list[tuple[int, str | None]]]  # lead id, values, stage dates
# An update that changes something: also which columns (by index) and whether its dates.
_Change = tuple[int, tuple[Any, ...], list[tuple[int, str | None]], tuple[int, ...], bool]
_Stored = tuple[tuple[Any, ...], bytes | None, int | None]  # values, digest, import batch
NUMBER_COLUMNS = frozenset(LEAD_COLUMNS[k] for k in NUMBER_READERS)
# New leads and stage dates are written this many rows to an INSERT: binding them costs the
# sqlite3 module a third less than one statement per row (measured: a million leads, 3.2 s
# of `executemany` row by row, 2.15 s fifty at a time; more rows to a statement gain nothing).
ROWS_PER_INSERT = 50


_RowDates = list[tuple[int, str | None]]  # (stage id, date) of one row


class _Insert:
    """An INSERT of one row (`... VALUES (...)` with `width` parameters), and the same
    for as many rows as SQLite's limit on parameters allows, up to `ROWS_PER_INSERT`."""

    def __init__(self, conn: sqlite3.Connection, one: str, width: int) -> None:
        self.one = one
        self.width = width
        limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self.rows = max(1, min(ROWS_PER_INSERT, limit // max(1, width)))
        head, _, row = one.rpartition(" VALUES ")
        self.many = f"{head} VALUES {', '.join([row] * self.rows)}"

    def run(self, conn: sqlite3.Connection, columns: Sequence[Sequence[Any]]) -> None:
        """Insert the rows given column by column (`width` columns of one length), in
        order: many to a statement, the few left over one by one. The values are laid out
        row after row by a slice assignment per column (C loops), not a tuple per row."""
        values: list[Any] = [None] * (len(columns[0]) * self.width)
        for index, column in enumerate(columns):
            values[index::self.width] = column
        width, step = self.width, self.width * self.rows
        whole = len(values) - len(values) % step
        conn.executemany(self.many, [values[i:i + step] for i in range(0, whole, step)])
        conn.executemany(self.one, [values[i:i + width] for i in range(whole, len(values), width)])


def _dates_by_row(dates: list[tuple[int, int, str | None]]) -> dict[int, _RowDates]:
    by_row: dict[int, _RowDates] = {}
    for index, stage, when in dates:
        by_row.setdefault(index, []).append((stage, when))
    return by_row


class LeadSet:
    """Lead ids below `size`, a bit each (ten million leads in 1.25 MB)."""

    def __init__(self, size: int) -> None:
        import numpy as np  # loaded when an import runs, not when the app starts

        self.bits = np.zeros(size // 8 + 1, dtype=np.uint8)

    def add(self, ids: Any) -> None:
        """Add an array of ids."""
        import numpy as np

        np.bitwise_or.at(self.bits, ids >> 3, np.left_shift(1, ids & 7).astype(np.uint8))

    def any_of(self, ids: Any) -> bool:
        """Whether any of an array of ids is here."""
        return bool((self.bits[ids >> 3] >> (ids & 7) & 1).any())

    def add_one(self, lead_id: int) -> None:
        self.bits[lead_id >> 3] |= 1 << (lead_id & 7)

    def __contains__(self, lead_id: int) -> bool:
        byte = lead_id >> 3
        return 0 <= byte < len(self.bits) and bool(self.bits[byte] >> (lead_id & 7) & 1)


class LeadWriter:
    """Writes one import batch; `added`, `updated` and `unchanged` count what it did. A
    row that says exactly what the workbook already has about its lead writes nothing, so
    re-importing last month's export only costs the leads that changed."""

    def __init__(self, workbook: Workbook, rows: LeadRowReader, batch_id: int,
                 first_new_id: int, undo: ImportUndo, summary: ImportSummary) -> None:
        self.wb = workbook
        self.summary = summary
        self.conn = workbook.db.conn
        self.rows = rows
        self.batch_id = batch_id
        self.first_new_id = self.next_id = first_new_id
        self.undo = undo
        self.added = self.updated = self.unchanged = 0
        # The leads this import found unchanged or updated (only leads it found are:
        # those it adds have ids from `first_new_id` up).
        self._kept = LeadSet(first_new_id)
        self._digests: list[tuple[bytes, int]] = []  # digests of unchanged leads to store
        # An empty workbook has no leads to update: skip the look-up (duplicates within
        # the file still fail on the external ID's uniqueness).
        self.lookup = self.conn.execute("SELECT 1 FROM leads LIMIT 1").fetchone() is not None
        columns = (*rows.columns, DIGEST_COLUMN)  # each row ends with its digest
        names = ", ".join(f'"{c}"' for c in columns)
        # An empty date or disposition comes as "" (and an empty number as NaN, which
        # SQLite stores as NULL): binding None costs the sqlite3 module twice as much.
        values = ["nullif(?, '')" if c in NULLABLE_TEXT else "?" for c in columns]
        marks = ", ".join(values)
        self.insert_lead = (f"INSERT INTO main.leads (import_batch, {names}) "
                            f"VALUES ({int(batch_id)}, {marks})")
        self._lead_insert = _Insert(self.conn, self.insert_lead, len(columns))
        # An update sets the columns that change (never the external ID: the lead was
        # found by it), so an index of the others is not rewritten for nothing.
        self._sets = [f'"{c}" = {v}' for c, v in zip(columns, values, strict=True)]
        self._update_sql: dict[tuple[int, ...], str] = {}
        self._indexes = range(len(rows.columns))
        self._entries = reached.entry_stage_by_batch(self.conn)
        self.insert_date = ("INSERT INTO main.lead_stage_dates (lead_id, stage_id, reached_at) "
                            "VALUES (?, ?, ?)")
        self._date_insert = _Insert(self.conn, self.insert_date, 3)
        covered = set(rows.mapped_stages)
        covered.update(s for s in (rows.fill_entry, rows.fill_won) if s is not None)
        self.covered_stages = sorted(covered)
        self._stored = ", ".join(f'"{c}"' for c in columns)
        # Where a row's value stands for NULL ("" or NaN), to compare it with the stored one.
        self._nullable = [i for i, c in enumerate(columns)
                          if c in NULLABLE_TEXT or c in NUMBER_COLUMNS]
        self._won = columns.index("won_at") if "won_at" in columns else None
        # The first leads of each order, kept as leads are written (those out of date
        # before the import are worked out again from the leads at its end).
        self._tops = lead_tops.Tops.empty() if not self.lookup else lead_tops.Tops.load(
            self.conn, lead_tops.stamp(self.conn, without_batch=batch_id))
        self._top_columns = {name: i for i, name in enumerate(rows.columns)
                             if name in lead_tops.TOPS}

    # -- indexes --------------------------------------------------------------------------
    @contextlib.contextmanager
    def bulk(self, big: bool) -> Iterator[None]:
        """For a big import, drop the leads' secondary indexes and build them again at
        the end (far cheaper than keeping them up row by row). On an error the
        transaction's rollback brings them back, so nothing is rebuilt in vain."""
        if not big:
            yield
            return
        marks = ", ".join("?" for _ in BULK_TABLES)
        indexes = self.conn.execute(
            f"SELECT name, sql FROM main.sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})", BULK_TABLES).fetchall()
        for name, _ in indexes:
            self.conn.execute(f'DROP INDEX main."{name}"')
        yield
        freed_memory.give_back()  # what reading the file left free, before the sorter's
        # SQLite's sorter builds each index with helper threads of its own (the file has
        # been read by now: the cores are free): a fifth less time at a million leads.
        before = self.conn.execute("PRAGMA threads").fetchone()[0]
        self.conn.execute(f"PRAGMA threads = {min(os.cpu_count() or 1, 8) - 1}")
        try:
            for _, sql in indexes:
                self.conn.execute(sql)
        finally:
            self.conn.execute(f"PRAGMA threads = {int(before)}")

    # -- rows -----------------------------------------------------------------------------
    def write(self, chunk: Chunk) -> list[RowProblem]:
        """Write one chunk's good rows; returns those refused (a lead ID seen twice)."""
        refused = self._unchanged(chunk.unchanged) if chunk.unchanged.lines else []
        if not len(chunk):
            return refused
        return refused + self._write(chunk)

    def _unchanged(self, unchanged: Unchanged) -> list[RowProblem]:
        """Rows whose digest is their lead's: counted, unless the lead was written or
        found unchanged before in this file (then the row repeats its lead ID)."""
        import numpy as np

        ids = np.array(unchanged.lead_ids, dtype=np.int64)
        if ids.max() < self.first_new_id and not self._kept.any_of(ids):  # the usual case
            self._kept.add(ids)
            self.unchanged += len(ids)
            return []
        problems = []
        for line, lead_id in zip(unchanged.lines, unchanged.lead_ids, strict=True):
            if lead_id >= self.first_new_id or self._written(lead_id, None):
                external_id = self.conn.execute("SELECT external_id FROM main.leads WHERE "
                                                "id = ?", (lead_id,)).fetchone()[0]
                problems.append(self._duplicate(line, (external_id,)))
            else:
                self._keep(lead_id)
        return problems

    def _write(self, chunk: Chunk) -> list[RowProblem]:
        external_ids = chunk.columns[0]
        known = self._known(external_ids) if self.lookup else {}
        if not known and len(set(external_ids)) == len(external_ids):
            refused = self._insert(chunk)
            if refused:
                self.summary.rebuild()  # it counted rows that were not written
            return refused
        problems: list[RowProblem] = []
        dates = _dates_by_row(chunk.all_dates())
        new_lines: list[int] = []
        new_rows: list[tuple[Any, ...]] = []
        new_dates: list[tuple[int, int, str | None]] = []
        update: list[_Update] = []
        stored: dict[int, _Stored] = {}
        seen: set[str] = set()
        for index, (line, row) in enumerate(zip(chunk.lines, chunk.rows, strict=True)):
            hit = known.get(row[0])
            if row[0] in seen or (hit is not None and self._written(hit[0], hit[1])):
                problems.append(self._duplicate(line, row))
                continue
            seen.add(row[0])
            if hit is not None:
                update.append((hit[0], row, dates.get(index, [])))
                stored[hit[0]] = (hit[2], hit[3], hit[1])
            else:
                new_dates.extend((len(new_rows), s, d) for s, d in dates.get(index, []))
                new_lines.append(line)
                new_rows.append(row)
        problems.extend(self._insert(Chunk.of_rows(new_lines, new_rows, new_dates,
                                                   len(chunk.columns))))
        changed = self._changed(update, stored)
        self._update(changed)
        self._store_digests()
        if problems or (update and not self.summary.new_only):
            self.summary.rebuild()  # it counted rows that were not new leads
        return problems

    def _known(self, external_ids: Sequence[str]
               ) -> dict[str, tuple[int, int | None, tuple[Any, ...], bytes | None]]:
        """The leads with these IDs: id, import batch, the mapped values stored and the
        digest."""
        marks = ",".join("?" * len(external_ids))
        rows = self.conn.execute(
            f"SELECT external_id, id, import_batch, {self._stored} FROM main.leads "
            f"WHERE external_id IN ({marks})", list(external_ids)).fetchall()
        return {r[0]: (r[1], r[2], r[3:-1], r[-1]) for r in rows}

    def _written(self, lead_id: int, batch: int | None) -> bool:
        """Whether this import has already written (or kept unchanged) the lead."""
        return batch == self.batch_id or lead_id in self._kept

    def _changed(self, update: list[_Update], stored: dict[int, _Stored]) -> list[_Change]:
        """The updates that change something: a value, or a stage date the row covers.
        The others are counted as unchanged and written nowhere."""
        if not update:
            return []
        ids = [lead_id for lead_id, _, _ in update]
        # The stages the columns cover, and those a stage column names row by row (a status
        # without a date among them): a lead is unchanged only if all stay as they are.
        named = {int(stage) for _, _, row_dates in update for stage, _ in row_dates}
        wanted = {*map(int, self.covered_stages), *named}
        stages = ",".join(map(str, sorted(wanted))) or "NULL"
        # The stored dates; the implicit entry dates (see `workbench.reached`) from the
        # lead's batch and created date, as the view of both would give them.
        dated: dict[int, dict[int, str | None]] = {}
        for lead_id, stage, when in self.conn.execute(
                f"SELECT lead_id, stage_id, reached_at FROM main.lead_stage_dates WHERE lead_id "
                f"IN ({','.join('?' * len(ids))}) AND stage_id IN ({stages})", ids):
            dated.setdefault(lead_id, {})[stage] = when
        covered = set(map(int, self.covered_stages))
        changed: list[_Change] = []
        for (lead_id, row, row_dates), mine in zip(
                update, self._as_stored([row[:-1] for _, row, _ in update]), strict=True):
            theirs, digest, batch = stored[lead_id]
            after = self._dates_as_stored(row, row_dates)
            entry = self._entries.get(batch) if batch is not None else None
            found = dated.get(lead_id, {})
            if entry in wanted:
                found = {**found, entry: theirs[1]}
            now = {stage: when for stage, when in found.items()
                   if stage in covered or stage in after}
            same_dates = after == now
            if mine == theirs and same_dates:
                self._keep(lead_id)
                if row[-1] is not None and row[-1] != digest:
                    self._digests.append((row[-1], lead_id))
                continue
            columns = tuple(compress(self._indexes, map(ne, mine, theirs)))
            if columns[:1] == (0,):
                columns = columns[1:]  # the external ID the lead was found by: never set
            # Its dates are written again when they change, or when the stage it entered
            # at is dated another way by this import than by the one it came from.
            redate = not same_dates or entry != self.rows.implicit_entry
            changed.append((lead_id, row, row_dates, columns, redate))
        return changed

    def _as_stored(self, rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """The rows as the workbook stores them ("" and NaN as NULL), column by column."""
        columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
        for i in self._nullable:
            columns[i] = [None if value == "" or value != value else value  # NaN ≠ NaN
                          for value in columns[i]]
        return zip(*columns, strict=True)

    def _dates_as_stored(self, row: tuple[Any, ...], given: list[tuple[int, str | None]]
                         ) -> dict[int, str | None]:
        """The covered stage dates the lead would have after this row: those it gives,
        and the implicit ones (see `_fill_implicit_dates`)."""
        found: dict[int, str | None] = dict(given)
        if self.rows.fill_entry is not None:
            found.setdefault(int(self.rows.fill_entry), row[1])
        won = row[self._won] if self._won is not None else None
        if self.rows.fill_won is not None and won:
            found.setdefault(int(self.rows.fill_won), won)
        return found

    def _keep(self, lead_id: int, unchanged: bool = True) -> None:
        self._kept.add_one(lead_id)
        self.unchanged += unchanged

    def _store_digests(self) -> None:
        """The digests of rows found unchanged by comparing them in full (their lead had
        none, or one of another reading): the next import knows them at once. Undo leaves
        them, as the lead's values they vouch for stay the same."""
        if self._digests:
            self.conn.executemany(f"UPDATE main.leads SET {DIGEST_COLUMN} = ? WHERE id = ?",
                                  self._digests)
            self._digests.clear()

    def _insert(self, chunk: Chunk) -> list[RowProblem]:
        """Add new leads. They get ids from `next_id` up, as SQLite gives the next rowid
        (checked), so their stage dates can be written without reading ids back."""
        if not len(chunk):
            return []
        first, count = self.next_id, len(chunk)
        self.conn.execute("SAVEPOINT import_chunk")
        try:
            self._lead_insert.run(self.conn, chunk.columns)
            last = self.conn.execute("SELECT max(id) FROM main.leads").fetchone()[0]
            if last != first + count - 1:
                raise RuntimeError(f"lead ids {first}..{last} are not consecutive")
            self._insert_dates(chunk, first)
        except sqlite3.IntegrityError:
            self.conn.execute("ROLLBACK TO import_chunk")
            return self._insert_one_by_one(chunk)
        finally:
            # A full disk ends the whole transaction, the savepoint with it: releasing it
            # then would hide the real error behind "no such savepoint".
            if self.conn.in_transaction:
                self.conn.execute("RELEASE import_chunk")
        self._added(chunk, first)
        return []

    def _insert_dates(self, chunk: Chunk, first: int) -> None:
        """The explicit stage dates of new leads `first`…: a whole column per stage when the
        chunk has them so (the tuples made by C loops), else date by date."""
        if chunk.stage_columns is None:
            if chunk.dates:
                rows, stages, whens = zip(*chunk.dates, strict=True)
                self._date_insert.run(self.conn, [[first + i for i in rows], stages, whens])
            return
        for stage, dates in chunk.stage_columns.items():
            ids = list(compress(count(first), dates))
            self._date_insert.run(self.conn, [ids, [stage] * len(ids), [*filter(None, dates)]])

    def _insert_one_by_one(self, chunk: Chunk) -> list[RowProblem]:
        """The slow path after a chunk failed: find which rows failed, keep the rest."""
        problems = []
        dates = _dates_by_row(chunk.all_dates())
        written_lines: list[int] = []
        written: list[tuple[Any, ...]] = []
        written_dates: list[tuple[int, int, str | None]] = []
        first = self.next_id
        for index, (line, row) in enumerate(zip(chunk.lines, chunk.rows, strict=True)):
            try:
                self.conn.execute(self.insert_lead, row)
            except sqlite3.IntegrityError as error:
                if "external_id" in str(error):
                    problems.append(self._duplicate(line, row))
                else:
                    problems.append(RowProblem(self.rows.file, line, "", "",
                                               f"refused by the workbook ({error})"))
                continue
            row_dates = dates.get(index, [])
            lead_id = first + len(written)
            self.conn.executemany(self.insert_date,
                                  [(lead_id, stage, when) for stage, when in row_dates])
            written_dates.extend((len(written), stage, when) for stage, when in row_dates)
            written_lines.append(line)
            written.append(row)
        self._added(Chunk.of_rows(written_lines, written, written_dates, len(chunk.columns)),
                    first)
        return problems

    def _added(self, chunk: Chunk, first: int) -> None:
        """Leads `first`… have been written: their implicit stage dates too, and the count
        told."""
        count = len(chunk)
        if not count:
            return
        self._fill_implicit_dates("id BETWEEN ? AND ?", (first, first + count - 1))
        self._tops.added({name: chunk.columns[i] for name, i in self._top_columns.items()},
                         first, count)
        self.next_id += count
        self.added += count

    def _update(self, update: list[_Change]) -> None:
        """Write what changed: the columns of each lead that differ (leads alike in which
        do, in one statement), and the stage dates of those whose dates changed."""
        if not update:
            return
        ids = [lead_id for lead_id, *_ in update]
        self.undo.save_old(ids)
        alike: dict[tuple[int, ...], list[tuple[Any, ...]]] = {}
        for lead_id, row, _, columns, _ in update:
            alike.setdefault(columns, []).append((*(row[i] for i in columns), row[-1], lead_id))
        for columns, values in alike.items():
            self.conn.executemany(self._update_statement(columns), values)
        for lead_id in ids:
            self._keep(lead_id, unchanged=False)
        redated = [(lead_id, dates) for lead_id, _, dates, _, redate in update if redate]
        if self.covered_stages and redated:
            self.conn.execute(
                f"DELETE FROM main.lead_stage_dates WHERE lead_id IN "
                f"({','.join('?' * len(redated))}) "
                f"AND stage_id IN ({','.join(str(int(s)) for s in self.covered_stages)})",
                [lead_id for lead_id, _ in redated])
        self.conn.executemany(
            "INSERT OR REPLACE INTO main.lead_stage_dates (lead_id, stage_id, reached_at) "
            "VALUES (?, ?, ?)",
            [(lead_id, stage, when) for lead_id, dates in redated for stage, when in dates])
        self._fill_implicit_dates(f"id IN ({','.join('?' * len(ids))})", tuple(ids))
        self._tops.changed(ids, {name: [row[i] for _, row, *_ in update]
                                 for name, i in self._top_columns.items()})
        self.updated += len(update)
        self.summary.updated(ids)

    def finish(self) -> None:
        """Store the first leads of each order for the leads as they now are: the lists
        kept through the import, and those out of date before it worked out again."""
        self._tops.write(self.conn)
        if self._tops.missing:
            lead_tops.rebuild(self.conn, self._tops.missing)

    def _update_statement(self, columns: tuple[int, ...]) -> str:
        sql = self._update_sql.get(columns)
        if sql is None:
            sets = ", ".join([*(self._sets[i] for i in columns), self._sets[-1]])
            sql = self._update_sql[columns] = (
                f"UPDATE main.leads SET {sets}, import_batch = {int(self.batch_id)} "
                "WHERE id = ?")
        return sql

    def _fill_implicit_dates(self, where: str, params: tuple[int, ...]) -> None:
        """Stage dates the export leaves implicit, written in one statement each: the entry
        stage when the lead was created (unless the batch records it for all its leads),
        the last stage when it was won; a date the row gave for that stage wins."""
        for stage, column in ((self.rows.fill_entry, "created_at"), (self.rows.fill_won, "won_at")):
            if stage is None or stage == self.rows.implicit_entry:
                continue
            self.conn.execute(
                f"INSERT OR IGNORE INTO main.lead_stage_dates (lead_id, stage_id, reached_at) "
                f"SELECT id, {int(stage)}, {column} FROM main.leads "
                f"WHERE {where} AND {column} IS NOT NULL", params)

    def _duplicate(self, line: int, row: tuple[Any, ...]) -> RowProblem:
        column = self.rows.headers[self.rows.id_index]
        if self.rows.generated:
            return RowProblem(self.rows.file, line, column, str(row[0]), (
                "another row has the same created date, e-mail, name and company, so it looks "
                "like the same lead (the first one is kept)"))
        return RowProblem(self.rows.file, line, column, str(row[0]),
                          "this lead ID appears more than once in the file; each row must be "
                          "a different lead (the first one is kept)")
