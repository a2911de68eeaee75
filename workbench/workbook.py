"""`Workbook`: the one door to a workbook file.

It opens the SQLite file, migrates it, and exposes the domain through one object per area
(`funnel`, `scoring`, `plan`, `actuals`, `leads`, `sla`, `workshop`). Every mutation runs
in one transaction, records an undo step and a change-log entry, and returns `Changes`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import files, storage
from . import lock as lock_mod
from .changes import Changes
from .errors import (
    StorageError,
    ValidationError,
    WorkbenchError,
    WorkbookFileError,
    storage_error,
)
from .history import History, LoggedChange, Step, StepAction
from .model import ChangeLogEntry, Properties
from .schema import SCHEMA_VERSION, UNDOABLE_TABLES
from .sqlite import Database

if TYPE_CHECKING:
    from .actuals import Actuals
    from .leads import Leads
    from .plan import Planning
    from .scoring import Scoring
    from .sla import Agreements
    from .workshop import Workshop

TEMPLATES = ("blank", "demo")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def _check_funnel_model(name: str) -> None:
    from .templates import funnel_models

    if name not in funnel_models():
        raise WorkbenchError(
            f"unknown funnel model {name!r}: choose one of {', '.join(funnel_models())}"
        )


class StepRecorder:
    """What a mutation in progress has changed, for the change log."""

    def __init__(self, workbook: Workbook, name: str) -> None:
        self.workbook = workbook
        self.name = name
        self.logged: list[LoggedChange] = []
        self.changes = Changes(step=name)
        # Bulk work that writes with the triggers off sets its own undo and names the
        # tables it touched (see `History.untracked` and `StepAction`).
        self.action: StepAction | None = None
        self.bulk_tables: set[str] = set()

    def log(self, entity: str, entity_id: object, field: str, old: object, new: object) -> None:
        self.logged.append(LoggedChange(entity, str(entity_id), field, _text(old), _text(new)))


class Workbook:
    """An open workbook file. Use `Workbook.open` or `Workbook.create`, then `close`."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path
        self.history = History(db.conn, UNDOABLE_TABLES)
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        # Why this workbook may not be changed (someone else has it open), or None.
        self.read_only: str | None = None
        self.closed = False  # work finished elsewhere for it (a count) then goes nowhere
        self._locked = False
        self._program: str | None = None  # who asked for the lock (a copy asks the same)
        self._place: str | None = None  # why its place cannot be written, if it cannot
        # Held while work on another thread (an import) uses the connection.
        self.busy = threading.RLock()
        self._data_version: int | None = None
        from .funnel import Funnel

        self.funnel = Funnel(self)

    # The other areas are made (and their modules loaded) when first used: a workbook
    # opened on the Funnel screen has no need of the SLA's or the workshop's code yet.
    # Imported in each, not at module top: each area module imports this one for types.
    @cached_property
    def scoring(self) -> Scoring:
        from .scoring import Scoring

        return Scoring(self)

    @cached_property
    def plan(self) -> Planning:
        from .plan import Planning

        return Planning(self)

    @cached_property
    def actuals(self) -> Actuals:
        from .actuals import Actuals

        return Actuals(self)

    @cached_property
    def leads(self) -> Leads:
        from .leads import Leads

        return Leads(self)

    @cached_property
    def sla(self) -> Agreements:
        from .sla import Agreements

        return Agreements(self)

    @cached_property
    def workshop(self) -> Workshop:
        from .workshop import Workshop

        return Workshop(self)

    # -- opening and closing --------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, check: bool = True,
             lock: str | None = None) -> Workbook:
        """Open an existing workbook, migrating an older one after backing it up.

        Raises `WorkbookFileError` (and writes nothing) for anything that is not a
        workbook this version can open. `check=False` skips the check of every page and
        value and of its schema, for a file this app closed itself and nothing has touched
        since, or one just checked (see `storage.inspect`). With
        `lock` (the program's name) the workbook is opened for editing: when another
        program holds its lock it opens read-only (`read_only` says who holds it).
        """
        path = Path(path)
        held = lock_mod.acquire(path, lock) if lock else None
        try:
            workbook = cls._open(path, check=check, migrate=held is None)
        except BaseException:
            if lock and held is None:
                lock_mod.release(path)
            raise
        if held is not None:
            workbook.read_only = (f"{path.name} is open in {held.describe()}: it opened "
                                  "read-only here, so that no change is lost. Close it "
                                  "there, or save a copy (File → Save As…) to edit.")
        elif workbook._place is not None:
            workbook.read_only = (f"{path.name} opened read-only: {workbook._place}, so no "
                                  "change could be saved. Save a copy (File → Save As…) "
                                  "somewhere you can write to edit it.")
        workbook._locked = bool(lock) and held is None
        workbook._program = lock
        return workbook

    @classmethod
    def _open(cls, path: Path, *, check: bool, migrate: bool) -> Workbook:
        version = storage.inspect(path, check=check)
        place = storage.unwritable(path)
        backup = None
        if version < SCHEMA_VERSION and not migrate:
            raise WorkbookFileError(path, "is from an older version and open elsewhere: it "
                                          "can be updated once it is closed there")
        if version < SCHEMA_VERSION and place is not None:
            raise WorkbookFileError(path, f"is from an older version and must be updated to "
                                          f"open, but {place}. Copy it to a folder you can "
                                          "write to and open it there")
        if version < SCHEMA_VERSION:
            backup = storage.backup_before_migrating(path, version)
        try:
            db = storage.connect(path, read_only=place is not None)
            if version < SCHEMA_VERSION:
                storage.migrate(db)
        except sqlite3.Error as error:
            problem = storage_error(error)
            raise WorkbookFileError(path, f"cannot be opened ({problem or error})") from None
        workbook = cls(db, path)
        workbook._place = place
        if backup is not None:
            workbook.migrated_from, workbook.backup_path = version, backup
        return workbook

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        template: str = "blank",
        *,
        company_name: str | None = None,
        overwrite: bool = False,
        funnel_model: str = "classic",
        lock: str | None = None,
    ) -> Workbook:
        """Create a workbook file from a template ("blank" or "demo") and open it.

        A blank workbook's funnel starts from `funnel_model` ("classic" or "simple", see
        `workbench.funnel.funnel_models()`); the demo brings its own funnel.

        The file is built under a temporary name and moved into place when complete, so
        an interrupted creation never leaves a half-made workbook at `path`.
        """
        if template not in TEMPLATES:
            raise WorkbenchError(
                f"unknown template {template!r}: choose one of {', '.join(TEMPLATES)}"
            )
        _check_funnel_model(funnel_model)
        path = Path(path)
        if path.exists() and not overwrite:
            raise WorkbookFileError(path, "already exists; choose another name")
        if not path.parent.is_dir():
            raise WorkbookFileError(path, "cannot be written: its folder does not exist")
        try:
            with files.replacing(path) as (_, partial):
                try:
                    db = storage.connect(partial)
                    storage.migrate(db)
                    workbook = cls(db, partial)
                    from .templates import fill

                    fill(workbook, template, company_name=company_name,
                         funnel_model=funnel_model)
                    workbook.history.clear()
                    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    db.close()
                finally:
                    files.remove_sidecars(partial)
        except (OSError, sqlite3.Error) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            raise WorkbookFileError(path, f"cannot be written ({reason})") from None
        return cls.open(path, lock=lock)

    @classmethod
    def in_memory(cls, template: str = "blank", *, funnel_model: str = "classic") -> Workbook:
        """A workbook that lives only in memory, for tests and previews."""
        _check_funnel_model(funnel_model)
        db = storage.connect(":memory:")
        storage.migrate(db)
        workbook = cls(db, None)
        from .templates import fill

        fill(workbook, template, funnel_model=funnel_model)
        workbook.history.clear()
        return workbook

    def close(self) -> None:
        """Close the file; the undo history ends with it."""
        self.closed = True
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
        if self._locked and self.path is not None:
            lock_mod.release(self.path)
            self._locked = False

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_moment(self) -> tuple[int, int]:
        """A value that changes whenever the file is written: by this workbook (its
        connection's write count) or by another program (SQLite's `data_version`). What
        was read from the file stays true while it is the same."""
        conn = self.db.conn
        return conn.total_changes, int(conn.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool | None:
        """Whether another program (another connection) has changed the file since the last
        call (False the first time); None when work on another thread is using the
        connection — ask again later. Cheap: SQLite's `data_version`."""
        if not self.busy.acquire(blocking=False):
            return None
        try:
            version = int(self.db.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None
        finally:
            self.busy.release()
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        return changed

    @staticmethod
    def schema_version() -> int:
        """The schema version this build writes and opens."""
        return SCHEMA_VERSION

    @property
    def name(self) -> str:
        return self.path.stem if self.path else "Untitled"

    def save_as(self, path: str | os.PathLike[str]) -> Workbook:
        """Copy this workbook to `path` and return the copy, opened; this one is closed.

        The copy is written with SQLite's backup API under a temporary name and moved into
        place when complete, so a failure leaves nothing half-written at `path`. The undo
        history stays behind: it belongs to the connection, not the file.
        """
        path = Path(path)
        if self.path is not None and path.resolve() == self.path.resolve():
            raise ValidationError("path", "That is this workbook's own file; choose another name.")
        try:
            with files.replacing(path) as (_, partial):
                try:
                    target = sqlite3.connect(partial)
                    try:
                        self.db.conn.backup(target)
                    finally:
                        target.close()
                finally:
                    files.remove_sidecars(partial)
                # A stale journal beside an overwritten file would be replayed into the copy.
                files.remove_sidecars(path)
        except (OSError, sqlite3.Error) as error:
            raise WorkbookFileError(path, f"cannot be written ({error})") from None
        self.close()
        return Workbook.open(path, lock=self._program)

    # -- mutations ------------------------------------------------------------------------
    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[StepRecorder]:
        """Run one mutation: one transaction, one undo step, change-log entries.

        The body writes through `insert`, `update` and `delete` (or plain SQL); when it
        finishes, `recorder.changes` says what it touched. On any error nothing changes.
        """
        if self.read_only is not None:
            raise StorageError(self.read_only)
        recorder = StepRecorder(self, name)
        first = self.history.mark()
        with self._transaction():
            yield recorder
            last, tables = self.history.entries_since(first)
            tables |= frozenset(recorder.bulk_tables)
            self._write_log(name, recorder.logged)
        if tables or recorder.action is not None:
            self.history.push(Step(name, first, last, tables, tuple(recorder.logged),
                                   recorder.action))
        recorder.changes = Changes(step=name, tables=tables)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction for a step. It takes the write lock at once (BEGIN IMMEDIATE),
        so a busy workbook is waited for (the busy timeout) instead of failing half-way
        when a read upgrades to a write; an error of the file or the disk (busy, read-only,
        full) becomes one `StorageError`, everything rolled back. Inside a larger
        transaction it is a savepoint."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise
            conn.commit()
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.rollback()
            mapped = storage_error(error, self.path.name if self.path else None)
            if mapped is None:
                raise
            raise mapped from None

    def _write_log(self, step: str, logged: list[LoggedChange] | tuple[LoggedChange, ...]) -> None:
        at = now_iso()
        self.db.conn.executemany(
            "INSERT INTO change_log (at, step, entity, entity_id, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(at, step, c.entity, c.entity_id, c.field, c.old, c.new) for c in logged],
        )

    def insert(self, rec: StepRecorder, table: str, values: dict[str, Any], entity: str) -> int:
        """Insert a row within a step and log it; returns the new row's id."""
        columns = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        cursor = self.db.conn.execute(
            f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(values.values())
        )
        row_id = int(cursor.lastrowid or 0)
        label = values.get("name") or values.get("title") or values.get("label") or row_id
        rec.log(entity, row_id, "", None, label)
        return row_id

    def update(
        self, rec: StepRecorder, table: str, where: dict[str, Any], values: dict[str, Any],
        entity: str,
    ) -> bool:
        """Update one row within a step, logging each field that really changes.

        Returns False (and writes nothing) when no value differs.
        """
        condition = " AND ".join(f'"{c}" = ?' for c in where)
        row = self.db.conn.execute(
            f'SELECT * FROM "{table}" WHERE {condition}', list(where.values())
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"{entity} no longer exists")
        names = [d[0] for d in self.db.conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description]
        old = dict(zip(names, row, strict=True))
        changed = {k: v for k, v in values.items() if old[k] != v}
        if not changed:
            return False
        assignments = ", ".join(f'"{c}" = ?' for c in changed)
        self.db.conn.execute(
            f'UPDATE "{table}" SET {assignments} WHERE {condition}',
            [*changed.values(), *where.values()],
        )
        entity_id = "/".join(str(v) for v in where.values())
        for column, value in changed.items():
            rec.log(entity, entity_id, column, old[column], value)
        return True

    def delete(
        self, rec: StepRecorder, table: str, where: dict[str, Any], entity: str, label: object
    ) -> None:
        """Delete rows within a step and log it."""
        condition = " AND ".join(f'"{c}" = ?' for c in where)
        self.db.conn.execute(f'DELETE FROM "{table}" WHERE {condition}', list(where.values()))
        rec.log(entity, "/".join(str(v) for v in where.values()), "", label, None)

    # -- undo and redo --------------------------------------------------------------------
    @property
    def undo_name(self) -> str | None:
        """The name of the step Undo would reverse, e.g. "Rename stage"."""
        return self.history.undo_name

    @property
    def redo_name(self) -> str | None:
        return self.history.redo_name

    def undo(self) -> Changes:
        """Reverse the newest step. Raises `NothingToUndo` when there is none."""
        return self._replay(redo=False)

    def redo(self) -> Changes:
        """Re-apply the newest undone step."""
        return self._replay(redo=True)

    def _replay(self, *, redo: bool) -> Changes:
        if self.read_only is not None:
            raise StorageError(self.read_only)
        try:
            with self.db.atomic():
                step, mirror = self.history.replay(redo=redo)
                label = ("Redo " if redo else "Undo ") + step.name
                self._write_log(label, mirror.logged)
        except sqlite3.IntegrityError as error:
            # The step touches something frozen since (a version signed later): it can never
            # replay, so drop it rather than let it block every step behind it.
            verb = "redo" if redo else "undo"
            name = (self.history.redo_name if redo else self.history.undo_name) or ""
            self.history.drop_newest(redo=redo)
            raise WorkbenchError(
                f"Cannot {verb} “{name}”: {error}. That step was removed from the history."
            ) from None
        self.history.settle(redo=redo, mirror=mirror)
        return Changes(step=step.name, tables=mirror.tables, undone=not redo, redone=redo)

    # -- properties and history -----------------------------------------------------------
    def properties(self) -> Properties:
        row = self.db.conn.execute(
            "SELECT company_name, currency, fiscal_year_start_month, template, created_at "
            "FROM properties WHERE id = 1"
        ).fetchone()
        return Properties(*row)

    def set_properties(
        self, *, company_name: str | None = None, currency: str | None = None,
        fiscal_year_start_month: int | None = None,
    ) -> Changes:
        """Change the company name, currency or fiscal year's first month."""
        values: dict[str, Any] = {}
        if company_name is not None:
            if not company_name.strip():
                raise ValidationError("company_name", "The company name cannot be empty.")
            values["company_name"] = company_name.strip()
        if currency is not None:
            code = currency.strip().upper()
            if len(code) != 3 or not code.isalpha():
                raise ValidationError(
                    "currency", "The currency must be a 3-letter code such as EUR."
                )
            values["currency"] = code
        if fiscal_year_start_month is not None:
            if not 1 <= fiscal_year_start_month <= 12:
                raise ValidationError(
                    "fiscal_year_start_month", "The fiscal year must start in month 1 to 12."
                )
            values["fiscal_year_start_month"] = fiscal_year_start_month
        with self.step("Edit workbook properties") as rec:
            self.update(rec, "properties", {"id": 1}, values, "workbook")
        return rec.changes

    def change_log(self, limit: int = 500, since: str | None = None) -> list[ChangeLogEntry]:
        """The newest change-log entries first."""
        rows = self.db.conn.execute(
            "SELECT id, at, step, entity, entity_id, field, old, new FROM change_log "
            "WHERE at >= coalesce(?, '') ORDER BY id DESC LIMIT ?",
            (since, limit),
        ).fetchall()
        return [ChangeLogEntry(*row) for row in rows]

    def summary(self, *, leads: bool = True) -> dict[str, Any]:
        """A short description for `alignment-workbench info` and the status bar (which
        counts the leads itself when there are many: without `leads`, "leads" is None)."""
        count = self._count
        return {
            "company": self.properties().company_name,
            "schema_version": SCHEMA_VERSION,
            "stages": count("stages"),
            "quarters": count("quarters"),
            "leads": self.leads.count() if leads else None,  # kept until a write
            "sla_versions": count("sla_versions"),
        }

    def _count(self, table: str) -> int:
        return int(self.db.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
