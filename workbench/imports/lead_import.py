"""Importing leads from a CRM export: streamed, all-or-nothing, one undo step.

`import_leads` is what the mapping dialog runs off the GUI thread (with a progress
callback and a cancel flag) and what `alignment-workbench import` runs on a terminal. It
reads the file in chunks, never whole; writes in one transaction; updates leads whose ID
the workbook already has instead of adding them twice; and either imports every good row
or, on the first problem, changes nothing while still reading on to count every problem.
With `skip_bad_rows` the bad rows are left out and listed in the report instead.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..changes import Changes
from ..model import StageId
from . import chunk_source, freed_memory
from .batch_undo import BULK_TABLES, ImportUndo
from .chunk_source import read_here, read_in_helper
from .column_report import ColumnReport
from .file_preview import Preview, columns_of, preview
from .import_summary import ImportSummary
from .lead_rows import Funnel, LeadRowReader
from .lead_writer import LeadWriter
from .mapping import Mapping
from .problems import (
    ColumnsNeedReview,
    FileUnreadable,
    ImportCancelled,
    ImportFailed,
    ProblemLog,
    RowProblem,
)
from .row_digests import DigestFilter, reading_key
from .stages import loose, stage_resolver

if TYPE_CHECKING:
    from ..workbook import Workbook

BULK_CACHE_KB = 8 * 1024  # larger is no faster (measured): the sorter and the WAL set the pace
# A file is big when it is over 20 MB and holds more leads (at about 200 bytes a row) than
# the workbook has: then its indexes are set aside and built again after the import.
BIG_FILE_BYTES = 20_000_000
BYTES_PER_LEAD = 200
PROGRESS_SECONDS = 0.1


@dataclass(frozen=True)
class ImportProgress:
    """How far an import is: `phase` ("Reading", "Indexing", "Summarising"), `done` of
    `total` (bytes of a CSV, rows of a spreadsheet), and the rows read so far."""

    phase: str
    done: int
    total: int
    rows: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


ProgressCallback = Callable[[ImportProgress], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: leads added and updated, rows skipped (with the first
    problems word for word and how many there were), and notes on choices made."""

    file: str
    added: int
    updated: int
    skipped: int
    problems: tuple[RowProblem, ...]
    problem_count: int
    notes: tuple[str, ...]
    batch_id: int
    unchanged: int = 0  # leads whose row said what the workbook already had
    columns: ColumnReport | None = None  # what became of each column of the file

    def summary(self) -> str:
        text = f"{_count(self.added, 'lead')} added, {self.updated:,} updated"
        if self.unchanged:
            text += f", {self.unchanged:,} unchanged"
        if self.skipped:
            text += f", {_count(self.skipped, 'row')} skipped"
        return text + f" from {Path(self.file).name}."


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def import_leads(
    workbook: Workbook, path: str | Path, mapping: Mapping | None = None, *,
    preset: str | None = None, skip_bad_rows: bool = False, accept_flagged: bool = False,
    progress: ProgressCallback | None = None, cancel: CancelCheck | None = None,
) -> tuple[Changes, ImportReport]:
    """Import the leads of a CSV or XLSX export as one undo step ("Import leads").

    Safe to run off the GUI thread as long as nothing else uses the workbook meanwhile.
    Raises `ColumnsNeedReview` (before anything is written) when columns are flagged
    (see `column_report`) unless `accept_flagged`,
    `ValidationError` for a mapping the file cannot satisfy, `FileUnreadable` for
    a file that cannot be read at all, `ImportFailed` listing the bad rows, and
    `ImportCancelled` when `cancel()` turns true; in every case nothing has changed.
    """
    path = Path(path)
    plan = preview(workbook, path, mapping, preset=preset, rows=0)
    plan.mapping.check(plan.headers)
    columns = columns_of(workbook, plan)
    if columns.flagged and not accept_flagged:
        raise ColumnsNeedReview(columns)
    funnel = funnel_for(workbook, plan.mapping.crm)
    rows = LeadRowReader(plan.mapping, plan.headers, funnel, path.name,
                         plan.date_format, plan.decimal_comma, columns.attributes)
    run = _Run(workbook, plan, rows, skip_bad_rows, progress, cancel, columns)
    run.alone = not workbook.db.conn.in_transaction
    with _bulk_settings(workbook.db.conn, run.big), workbook.step("Import leads") as rec:
        report = run.execute()
        rec.action = run.undo
        rec.bulk_tables.update(BULK_TABLES)
        rec.log("import", report.batch_id, "", None, report.summary())
    if run.size is not None and run.size >= chunk_source.HELPER_BYTES:
        freed_memory.give_back()  # the app goes on: what a big file's import left free
    return rec.changes, report


@contextlib.contextmanager
def _bulk_settings(conn: sqlite3.Connection, big: bool) -> Iterator[None]:
    """For the import's transaction only: a larger page cache, and foreign keys
    unchecked — every stage date the import writes belongs to a lead it has just written
    and a stage of the funnel, so checking each costs time and finds nothing. A `big`
    import writes the file directly (see `_journal_directly`). (These pragmas only change
    outside a transaction; inside one, as when an import is nested in a larger step, the
    import runs with the usual settings.) SQLite's sorter keeps to its one thread: a
    second made rebuilding a million leads' indexes slower on a busy two-core machine
    (1.7-1.8 s against 1.3-1.4) and cost half as much CPU again."""
    if conn.in_transaction:
        yield
        return
    saved = {name: conn.execute(f"PRAGMA {name}").fetchone()[0]
             for name in ("foreign_keys", "cache_size")}
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KB}")
    direct = big and _journal_directly(conn)
    try:
        yield
    finally:
        if direct:
            with contextlib.suppress(sqlite3.OperationalError):  # then the next open does
                conn.execute("PRAGMA journal_mode = WAL")
        for name, value in saved.items():
            conn.execute(f"PRAGMA {name} = {int(value)}")


def _journal_directly(conn: sqlite3.Connection) -> bool:
    """Switch to a rollback journal for a big import: its pages are written into the file
    once, instead of into the write-ahead log and then copied from there into the file —
    for a million leads, 300 MB less to write and sync, a second or more. It is as safe
    (a kill mid-import leaves a journal that puts the file back as it was, on the next
    open) and needs the file to itself: with another connection reading it, the import
    goes through the log as usual. The log is back once the import ends."""
    waits = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")  # no waiting for another connection to go
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError:  # another connection has the file open
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(waits)}")
    return str(mode).lower() == "delete"


def funnel_for(workbook: Workbook, crm: str) -> Funnel:
    """The stages, glossary and disposition codes rows are checked against."""
    resolve = stage_resolver(workbook, crm)
    stages = tuple(workbook.funnel.stages())
    entry = resolve("Inquiry") or resolve("Lead") or (stages[0] if stages else None)
    codes = workbook.db.conn.execute("SELECT code, label FROM disposition_codes").fetchall()
    dispositions = {loose(label): code for code, label in codes}
    dispositions.update({loose(code): code for code, _ in codes})
    return Funnel(stages, resolve, dispositions, StageId(entry.id) if entry else None)


class _Run:
    """One import in progress: reads chunks, hands good rows to the writer."""

    def __init__(self, workbook: Workbook, plan: Preview, rows: LeadRowReader,
                 skip_bad_rows: bool, progress: ProgressCallback | None,
                 cancel: CancelCheck | None, columns: ColumnReport) -> None:
        self.wb = workbook
        self.columns = columns
        self.plan = plan
        self.rows = rows
        self.skip = skip_bad_rows
        self.progress = progress
        self.cancel = cancel
        self.problems = ProblemLog()
        self.read = 0
        self.skipped = 0
        self.undo: ImportUndo | None = None
        self.alone = True  # not within a larger transaction that may have changed leads
        self._last_report = 0.0
        try:
            self.size: int | None = plan.path.stat().st_size
        except OSError:
            self.size = None
        self.big = self._big()

    def execute(self) -> ImportReport:
        conn = self.wb.db.conn
        batch_id = self._new_batch()
        first_new = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM leads").fetchone()[0])
        self.undo = ImportUndo(self.wb, batch_id, first_new)
        summary = ImportSummary(self.wb, self.rows,  # before writing: are they current?
                                (self.undo.table("old_leads"), self.undo.table("old_dates")),
                                batch_id)
        self.undo.prepare()
        writer = LeadWriter(self.wb, self.rows, batch_id, first_new, self.undo, summary)
        with self.wb.history.untracked(*BULK_TABLES), writer.bulk(self.big):
            self.rows.xlsx = self.plan.format.kind == "xlsx"
            self._read_all(writer, summary)
            self._finish_checks()
            self._report_progress("Indexing", 1, 1, force=True)
        self._report_progress("Summarising", 1, 1, force=True)
        summary.finish(changed=bool(writer.added or writer.updated))
        writer.finish()
        self.undo.save_summaries()
        conn.execute("UPDATE import_batches SET added = ?, updated = ?, unchanged = ?, skipped = ? "
                     "WHERE id = ?",
                     (writer.added, writer.updated, writer.unchanged, self.skipped, batch_id))
        column = self.rows.headers[self.rows.stage_index or 0]
        notes = [*self.plan.notes, *(
            f"“{name}” ({_count(count, 'lead')}) in “{column}” is not a stage of this funnel, "
            "so those leads got no date from it; add it to a stage's CRM names to count it."
            for name, count in self.rows.unknown_stages.most_common()), *self._tally_notes()]
        return ImportReport(str(self.plan.path), writer.added, writer.updated, self.skipped,
                            tuple(self.problems.problems), self.problems.count, tuple(notes),
                            batch_id, writer.unchanged, self.columns)

    def _tally_notes(self) -> list[str]:
        """What the report says of rows whose stages have no date, or that contradict
        themselves."""
        rows, tallies, notes = self.rows, self.rows.tallies, []
        if rows.generated:
            who = ", ".join(f"“{rows.headers[i]}”" for i in rows.identity)
            notes.append(f"The file has no lead IDs: each lead's ID was made from its created "
                         f"date and {who}, so importing the next export finds the same leads "
                         "as long as those stay the same.")
        if tallies["undated"]:
            column = rows.headers[rows.stage_index] if rows.stage_index is not None else \
                "the converted flag"
            notes.append(f"{_count(tallies['undated'], 'lead')} reached a stage (from "
                         f"“{column}”) at a date the file does not give: counted as reached, "
                         "left out of time in stage and of the quarters by date.")
        if rows.converted_index is not None:
            flag = rows.headers[rows.converted_index]
            status = rows.headers[rows.stage_index] if rows.stage_index is not None else ""
            for key, says in (("status converted, flag not",
                               f"“{status}” says converted but “{flag}” says not"),
                              ("converted, status not",
                               f"“{flag}” says converted but “{status}” names another stage")):
                if tallies[key]:
                    notes.append(f"{_count(tallies[key], 'row')} contradict"
                                 f"{'s' if tallies[key] == 1 else ''} itself: {says}; "
                                 f"“{flag}” (the CRM's conversion record) is used.")
        return notes

    def _read_all(self, writer: LeadWriter, summary: ImportSummary) -> None:
        key = reading_key(self.wb, self.plan, self.rows, self.columns.attributes)
        helper = self._helper()
        if helper:
            path = self.wb.path if writer.lookup and self._snapshot_readable() else None
            digests = DigestFilter(key, self.rows, None, path)
        else:
            digests = DigestFilter(key, self.rows, self.wb.db.conn if writer.lookup else None,
                                   None)
        summary.new_only = digests.looks_up or not writer.lookup
        source = (read_in_helper if helper else read_here)(self.plan, self.rows, digests)
        total = 1
        with contextlib.closing(source):
            for read in source:
                if self.cancel is not None and self.cancel():
                    raise ImportCancelled()
                chunk, total = read.chunk, read.total
                self.read += chunk.size
                for problems in chunk.refused:
                    self._refuse(problems)
                summary.add(chunk, read.known)  # before it is written: new leads only
                # Written even after a problem: the writer finds repeated IDs, and every
                # problem is counted; without skip_bad_rows the rollback undoes it all.
                for problem in writer.write(chunk):
                    self._refuse([problem])
                self._report_progress("Reading", read.done, total)
        self._report_progress("Reading", total, total, force=True)

    def _snapshot_readable(self) -> bool:
        """Whether another connection to the file sees the leads as this import found
        them: the import is no part of a larger transaction, and the file has its
        write-ahead log (a rollback journal would have the two wait on each other)."""
        if not self.alone or self.wb.path is None:
            return False
        mode = self.wb.db.conn.execute("PRAGMA journal_mode").fetchone()[0]
        return str(mode).lower() == "wal"

    def _helper(self) -> bool:
        """Whether a helper process reads the file while this one writes."""
        return (self.size is not None and self.size >= chunk_source.HELPER_BYTES
                and chunk_source.can_use_helper())

    def _refuse(self, problems: list[RowProblem]) -> None:
        self.skipped += 1
        for problem in problems:
            self.problems.add(problem)

    def _finish_checks(self) -> None:
        if self.read == 0:
            raise FileUnreadable(self.plan.path, "the file has a header row but no rows of "
                                                 "leads under it: there is nothing to import.")
        if self.problems.count and (not self.skip or self.skipped == self.read):
            raise ImportFailed(self.plan.path, self.problems.problems, self.problems.count)

    def _new_batch(self) -> int:
        from ..workbook import now_iso

        cursor = self.wb.db.conn.execute(
            "INSERT INTO import_batches (imported_at, file, mapping, entry_stage_id, "
            "first_lead_id) VALUES (?, ?, ?, ?, (SELECT coalesce(max(id), 0) + 1 FROM leads))",
            (now_iso(), self.plan.path.name, self.plan.mapping.to_json(),
             self.rows.implicit_entry))
        batch_id = int(cursor.lastrowid or 0)
        self.wb.db.conn.executemany(
            "INSERT INTO import_attributes (batch_id, name, kind) VALUES (?, ?, ?)",
            [(batch_id, name, kind) for name, kind in self.columns.attributes.items()])
        return batch_id

    def _big(self) -> bool:
        """Whether the file is large next to the workbook's leads, so indexes are cheaper
        rebuilt after the import than kept up row by row."""
        if self.size is None:
            return False
        existing = int(self.wb.db.conn.execute("SELECT count(*) FROM leads").fetchone()[0])
        return self.size > BIG_FILE_BYTES and self.size // BYTES_PER_LEAD > existing

    def _report_progress(self, phase: str, done: int, total: int, force: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if force or now - self._last_report >= PROGRESS_SECONDS:
            self._last_report = now
            self.progress(ImportProgress(phase, done, total, self.read))

