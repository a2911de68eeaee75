"""Undo and redo of a lead import as one step, without a trigger entry per row.

An import writes with the undo triggers off. What it needs to be undone is small to say:
the leads it added have ids from `first_new_id` up (ids only grow while the history is
replayed in order), and the leads it updated had their old rows and stage dates copied
into temporary tables first, and the lead summaries too; at its end it keeps the summary
rows it changed. Undo saves the imported leads beside them (for redo), deletes the added
leads and puts the old rows back; redo does the reverse. The copies live in the
connection's temp schema, like the rest of the undo history, and are dropped with the step.
"""

from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..workbook import Workbook

BULK_TABLES = ("leads", "lead_stage_dates")
# Each summary table's key and its value column.
_SUMMARY_ROWS = {"lead_summary_cells": (("month", "stage_id", "source", "measure"), "value"),
                 "lead_summary_hours": (("month", "stage_id", "source", "kind"), "hours"),
                 "lead_summary_stamp": (("id",), "signature")}
SUMMARY_TABLES = tuple(_SUMMARY_ROWS)
_SERIAL = count(1)


class ImportUndo:
    """The undo of one import batch; a `history.StepAction`."""

    def __init__(self, workbook: Workbook, batch_id: int, first_new_id: int) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn
        self.batch_id = batch_id
        self.first_new_id = first_new_id
        # Its own name for its copies: an import undone, then made again, gets the same
        # batch id, and dropping the discarded step's copies must not drop the new ones.
        self._name = f"import_{batch_id}_{next(_SERIAL)}"
        self._columns = [r[1] for r in self._conn.execute("PRAGMA main.table_info(leads)")]
        self._saved_after = False

    def table(self, kind: str) -> str:
        """The temp table holding this batch's `kind` copy (old/new leads, old/new dates)."""
        return f"temp.{self._name}_{kind}"

    def prepare(self) -> None:
        """Create the empty copies, and copy the lead summaries as they are (they are
        small); call inside the import's transaction, before writing."""
        for kind, source in (("old_leads", "leads"), ("old_dates", "lead_stage_dates"),
                             ("new_leads", "leads"), ("new_dates", "lead_stage_dates"),
                             *((f"new_{t}", t) for t in SUMMARY_TABLES)):
            self._conn.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {self._name}_{kind} AS "
                f"SELECT * FROM main.{source} WHERE 0"
            )
        for table in SUMMARY_TABLES:
            key = ", ".join(_SUMMARY_ROWS[table][0])
            self._conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self._name}_old_"
                               f"{table} AS SELECT * FROM main.{table}")
            self._conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self._name}_gone_{table} "
                               f"AS SELECT {key} FROM main.{table} WHERE 0")
            self._conn.execute(  # put back row by row (`_put_back_summaries`)
                f"CREATE INDEX IF NOT EXISTS temp.{self._name}_old_{table}_key ON "
                f"{self._name}_old_{table} ({key})")
        # The updated leads as they were are read back by id to update the summaries.
        for kind, column in (("old_leads", "id"), ("old_dates", "lead_id")):
            self._conn.execute(f"CREATE INDEX IF NOT EXISTS temp.{self._name}_{kind}_by_id "
                               f"ON {self._name}_{kind} ({column})")

    def save_old(self, lead_ids: list[int]) -> None:
        """Copy leads about to be updated, with their stage dates, before the update."""
        marks = ",".join("?" * len(lead_ids))
        self._conn.execute(f"INSERT INTO {self.table('old_leads')} SELECT * FROM main.leads "
                           f"WHERE id IN ({marks})", lead_ids)
        self._conn.execute(f"INSERT INTO {self.table('old_dates')} SELECT * FROM "
                           f"main.lead_stage_dates WHERE lead_id IN ({marks})", lead_ids)

    # -- StepAction -----------------------------------------------------------------------
    def undo(self) -> None:
        with self._wb.history.untracked(*BULK_TABLES):
            if not self._saved_after:
                self._save_new_leads()
            self._conn.execute("DELETE FROM main.leads WHERE id >= ?", (self.first_new_id,))
            self._put_back("old")
            self._put_back_summaries("old")

    def redo(self) -> None:
        with self._wb.history.untracked(*BULK_TABLES):
            self._conn.execute("DELETE FROM main.leads WHERE id >= ?", (self.first_new_id,))
            self._put_back("new")
            self._put_back_summaries("new")

    def discard(self) -> None:
        kinds = ["old_leads", "old_dates", "new_leads", "new_dates"]
        kinds += [f"{age}_{t}" for age in ("old", "new", "gone") for t in SUMMARY_TABLES]
        for kind in kinds:
            self._write_outside(f"DROP TABLE IF EXISTS {self.table(kind)}")

    # -- helpers --------------------------------------------------------------------------
    def save_summaries(self) -> None:
        """Keep what the import changed in the summaries, for redo: call at its end, in its
        transaction (on the import's thread, so undo does not pay for it on the window's)."""
        for table in SUMMARY_TABLES:  # a few rows of thousands, as a rule
            key, value = _SUMMARY_ROWS[table]
            old = self.table(f"old_{table}")
            same = " AND ".join(f"copy.{k} = now.{k}" for k in key)
            self._conn.execute(
                f"INSERT INTO {self.table('new_' + table)} SELECT * FROM main.{table} AS now "
                f"WHERE NOT EXISTS (SELECT 1 FROM {old} AS copy WHERE {same} "
                f"AND copy.{value} IS now.{value})")
            self._conn.execute(
                f"INSERT INTO {self.table('gone_' + table)} SELECT {', '.join(key)} "
                f"FROM {old} AS copy WHERE NOT EXISTS "
                f"(SELECT 1 FROM main.{table} AS now WHERE {same})")

    def _save_new_leads(self) -> None:
        """Copy the imported state of every lead the import touched, for redo."""
        old = self.table("old_leads")
        self._conn.execute(f"INSERT INTO {self.table('new_leads')} SELECT * FROM main.leads "
                           f"WHERE id >= ? OR id IN (SELECT id FROM {old})", (self.first_new_id,))
        self._conn.execute(
            f"INSERT INTO {self.table('new_dates')} SELECT * FROM main.lead_stage_dates "
            f"WHERE lead_id >= ? OR lead_id IN (SELECT id FROM {old})", (self.first_new_id,))
        self._saved_after = True

    def _put_back(self, kind: str) -> None:
        """Make the updated leads and the added ones what the `kind` copy says."""
        leads, dates = self.table(f"{kind}_leads"), self.table(f"{kind}_dates")
        old = self.table("old_leads")
        self._conn.execute(f"DELETE FROM main.lead_stage_dates WHERE lead_id IN "
                           f"(SELECT id FROM {old})")
        others = [c for c in self._columns if c != "id"]
        assignments = ", ".join(f'"{c}" = copy."{c}"' for c in others)
        self._conn.execute(f"UPDATE main.leads SET {assignments} FROM {leads} AS copy "
                           f"WHERE main.leads.id = copy.id")
        self._conn.execute(f"INSERT INTO main.leads SELECT * FROM {leads} WHERE id >= ?",
                           (self.first_new_id,))
        self._conn.execute(f"INSERT INTO main.lead_stage_dates SELECT * FROM {dates}")

    def _put_back_summaries(self, kind: str) -> None:
        """Make the summaries what they were before the import ("old") or after it
        ("new"), writing only the rows that differ: an import changes a few months of a
        million leads' summaries, and writing every row and every list of hours again (then
        syncing them to disk) kept the window waiting tens of milliseconds at each undo and
        redo. The new copy holds only the rows the import changed or added, and the keys of
        those it removed (`save_summaries`): redo applies them to the state undo left, and
        undo, finding the summaries as the import left them (their stamp says so), puts
        back the old copy's rows of those keys only. Summaries built again since (stages
        reordered, then put back) are compared whole with the old copy instead."""
        as_left = kind == "old" and self._as_the_import_left_them()
        for table in SUMMARY_TABLES:
            key, value = _SUMMARY_ROWS[table]
            keys = ", ".join(key)
            new, gone = self.table(f"new_{table}"), self.table(f"gone_{table}")
            changed = f"SELECT {keys} FROM {new} UNION ALL SELECT {keys} FROM {gone}"
            if kind == "new" or as_left:
                self._conn.execute(f"DELETE FROM main.{table} WHERE ({keys}) IN ({changed})")
                source = new if kind == "new" else (
                    f"{self.table(f'old_{table}')} WHERE ({keys}) IN ({changed})")
                self._conn.execute(f"INSERT INTO main.{table} SELECT * FROM {source}")
                continue
            copy = self.table(f"old_{table}")
            kept = " AND ".join(f"copy.{k} = {table}.{k}" for k in key)
            self._conn.execute(f"DELETE FROM main.{table} WHERE NOT EXISTS "
                               f"(SELECT 1 FROM {copy} AS copy WHERE {kept})")
            same = " AND ".join(f"now.{k} = copy.{k}" for k in key)
            self._conn.execute(
                f"INSERT OR REPLACE INTO main.{table} SELECT copy.* FROM {copy} AS copy "
                f"WHERE NOT EXISTS (SELECT 1 FROM main.{table} AS now WHERE {same} "
                f"AND now.{value} IS copy.{value})")

    def _as_the_import_left_them(self) -> bool:
        """Whether the summaries carry the stamp the import left on them: built from the
        same leads and stages, they are the rows the import left (or the same sums)."""
        stamp = self.table("new_lead_summary_stamp")
        return bool(self._conn.execute(
            f"SELECT (SELECT signature FROM main.lead_summary_stamp WHERE id = 1) "
            f"IS (SELECT signature FROM {stamp} WHERE id = 1)").fetchone()[0])

    def _write_outside(self, sql: str) -> None:
        """Temp DDL outside any transaction, leaving none open behind."""
        outside = not self._conn.in_transaction
        self._conn.execute(sql)
        if outside and self._conn.in_transaction:
            self._conn.commit()
