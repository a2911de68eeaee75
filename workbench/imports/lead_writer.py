"""Writing checked lead rows: new leads added, known ones (same external ID) updated, a
lead ID seen twice in one file refused. Runs inside the import's transaction."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .batch_undo import BULK_TABLES, ImportUndo
from .lead_rows import LeadRowReader
from .problems import RowProblem

if TYPE_CHECKING:
    from ..workbook import Workbook

GoodRow = tuple[int, tuple[Any, ...], list[tuple[int, str]]]  # (line, values, stage dates)


class LeadWriter:
    """Writes one import batch; `added` and `updated` count what it did."""

    def __init__(self, workbook: Workbook, rows: LeadRowReader, batch_id: int,
                 first_new_id: int, undo: ImportUndo) -> None:
        self.wb = workbook
        self.conn = workbook.db.conn
        self.rows = rows
        self.batch_id = batch_id
        self.next_id = first_new_id
        self.undo = undo
        self.added = self.updated = 0
        # An empty workbook has no leads to update: skip the look-up (duplicates within
        # the file still fail on the external ID's uniqueness).
        self.lookup = self.conn.execute("SELECT 1 FROM leads LIMIT 1").fetchone() is not None
        columns = rows.columns
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        self.insert_lead = (f"INSERT INTO main.leads (id, import_batch, {names}) "
                            f"VALUES (?, {int(batch_id)}, {marks})")
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        self.update_lead = (f"UPDATE main.leads SET {sets}, import_batch = {int(batch_id)} "
                            "WHERE id = ?")
        self.insert_date = ("INSERT INTO main.lead_stage_dates (lead_id, stage_id, reached_at) "
                            "VALUES (?, ?, ?)")
        covered = set(rows.mapped_stages)
        for extra in (rows.fill_entry, rows.last_stage if rows.won_index is not None else None):
            if extra is not None:
                covered.add(extra)
        self.covered_stages = sorted(covered)

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
        for _, sql in indexes:
            self.conn.execute(sql)

    # -- rows -----------------------------------------------------------------------------
    def write(self, good: list[GoodRow]) -> list[RowProblem]:
        """Write one chunk; returns the rows refused (a lead ID seen twice)."""
        problems: list[RowProblem] = []
        known = self._known([values[0] for _, values, _ in good]) if self.lookup else {}
        new: list[tuple[int, GoodRow]] = []
        update: list[tuple[int, GoodRow]] = []
        seen: set[str] = set()
        for row in good:
            external_id = row[1][0]
            hit = known.get(external_id)
            if external_id in seen or (hit is not None and hit[1] == self.batch_id):
                problems.append(self._duplicate(row))
                continue
            seen.add(external_id)
            if hit is not None:
                update.append((hit[0], row))
            else:
                new.append((self.next_id, row))
                self.next_id += 1
        problems.extend(self._insert(new))
        self._update(update)
        return problems

    def _known(self, external_ids: list[str]) -> dict[str, tuple[int, int | None]]:
        marks = ",".join("?" * len(external_ids))
        rows = self.conn.execute(
            f"SELECT external_id, id, import_batch FROM main.leads WHERE external_id IN ({marks})",
            external_ids).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def _insert(self, new: list[tuple[int, GoodRow]]) -> list[RowProblem]:
        if not new:
            return []
        self.conn.execute("SAVEPOINT import_chunk")
        try:
            self.conn.executemany(self.insert_lead, [(lead_id, *row[1]) for lead_id, row in new])
            self.conn.executemany(self.insert_date, [
                (lead_id, stage_id, when) for lead_id, row in new for stage_id, when in row[2]])
            self.added += len(new)
            return []
        except sqlite3.IntegrityError:
            self.conn.execute("ROLLBACK TO import_chunk")
            return self._insert_one_by_one(new)
        finally:
            self.conn.execute("RELEASE import_chunk")

    def _insert_one_by_one(self, new: list[tuple[int, GoodRow]]) -> list[RowProblem]:
        """The slow path after a chunk failed: find which rows failed, keep the rest."""
        problems = []
        for lead_id, row in new:
            try:
                self.conn.execute(self.insert_lead, (lead_id, *row[1]))
            except sqlite3.IntegrityError as error:
                if "external_id" in str(error):
                    problems.append(self._duplicate(row))
                else:
                    problems.append(RowProblem(self.rows.file, row[0], "", "",
                                               f"refused by the workbook ({error})"))
                continue
            self.conn.executemany(self.insert_date,
                                  [(lead_id, stage_id, when) for stage_id, when in row[2]])
            self.added += 1
        return problems

    def _update(self, update: list[tuple[int, GoodRow]]) -> None:
        if not update:
            return
        ids = [lead_id for lead_id, _ in update]
        self.undo.save_old(ids)
        self.conn.executemany(self.update_lead, [(*row[1], lead_id) for lead_id, row in update])
        if self.covered_stages:
            self.conn.execute(
                f"DELETE FROM main.lead_stage_dates WHERE lead_id IN ({','.join('?' * len(ids))}) "
                f"AND stage_id IN ({','.join(str(int(s)) for s in self.covered_stages)})", ids)
        self.conn.executemany(
            "INSERT OR REPLACE INTO main.lead_stage_dates (lead_id, stage_id, reached_at) "
            "VALUES (?, ?, ?)",
            [(lead_id, stage_id, when) for lead_id, row in update for stage_id, when in row[2]])
        self.updated += len(update)

    def _duplicate(self, row: GoodRow) -> RowProblem:
        column = self.rows.headers[self.rows.id_index]
        return RowProblem(self.rows.file, row[0], column, str(row[1][0]),
                          "this lead ID appears more than once in the file; each row must be "
                          "a different lead (the first one is kept)")
