"""Opening workbook files safely: recognise, refuse, back up and migrate.

A file is inspected read-only before anything writes to it, so a file that is not a
workbook, is damaged, or comes from a newer version is refused untouched. (Only a rollback
journal left beside it by an import that was killed is played back first, as any SQLite
program would: until then the file cannot be read.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from pathlib import Path

from . import files
from .errors import WorkbookFileError
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from .sqlite import Database

SQLITE_HEADER = b"SQLite format 3\x00"


def inspect(path: Path, *, check: bool = True) -> int:
    """Check `path` is a workbook this version can open; return its schema version.

    Reads only. Raises `WorkbookFileError` naming the problem. `check=False` leaves out the
    integrity check of every page (seconds for a big file), for a file the caller knows
    this app closed itself and nothing has touched since (see `file_stamp`).
    """
    if not path.exists():
        raise WorkbookFileError(path, "no such file")
    if path.is_dir():
        raise WorkbookFileError(path, "is a folder, not a workbook file")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise WorkbookFileError(path, f"cannot be read ({error.strerror})") from None
    if not header:
        raise WorkbookFileError(path, "the file is empty, so it is not a workbook")
    if not header.startswith(SQLITE_HEADER):
        raise WorkbookFileError(path, "not a workbook (it is not an SQLite database)")
    if len(header) < 100:
        raise WorkbookFileError(path, "the file is damaged: it is truncated")
    _roll_back_interrupted_import(path)
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as error:
        raise WorkbookFileError(path, f"cannot be opened ({error})") from None
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if application_id != APPLICATION_ID:
            raise WorkbookFileError(
                path, "not an Alignment Workbench workbook (another kind of SQLite database)"
            )
        if version > SCHEMA_VERSION:
            raise WorkbookFileError(
                path,
                f"made by a newer version of Alignment Workbench (schema {version}; this "
                f"version opens up to schema {SCHEMA_VERSION}). Update the app to open it.",
            )
        from .schema_check import differences

        changed = differences(conn, int(version))
        if changed:
            shown = "; ".join(changed[:3]) + (f"; and {len(changed) - 3} more"
                                              if len(changed) > 3 else "")
            raise WorkbookFileError(
                path, f"was changed outside Alignment Workbench: it has {shown}. It was not "
                      "opened, so nothing in it ran; open a backup or an export instead")
        if check:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise WorkbookFileError(path, f"the file is damaged ({verdict})")
    except sqlite3.DatabaseError as error:
        raise WorkbookFileError(path, f"the file is damaged ({error})") from None
    finally:
        conn.close()
    return int(version)


def file_stamp(path: Path) -> str | None:
    """The file as it lies on disk (its inode, size and modification time), to tell later
    whether anything has touched it since; None when it is missing or a log lies beside
    it (the file is in use, or its last session crashed): such a file is always checked."""
    try:
        if _has_journal(path):
            return None
        status = path.stat()
    except OSError:
        return None
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def _roll_back_interrupted_import(path: Path) -> None:
    """A big import writes with a rollback journal (see `imports.lead_import`); killed
    midway, it leaves the journal, which must put the file back as it was before anything
    can read it — read-only connections cannot. Opening the file for writing and reading
    its schema does that (SQLite's own recovery); a file it cannot help is judged by the
    checks that follow."""
    if not Path(f"{path}-journal").exists():
        return
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(path)
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        finally:
            conn.close()


def _has_journal(path: Path) -> bool:
    """Whether a write-ahead log (or its index) or a rollback journal lies next to `path`:
    a file in use, or one whose last session crashed with committed edits still in the
    log, or in the middle of a big import (which writes with a rollback journal)."""
    return any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm", "-journal"))


def _read_only_uri(path: Path) -> str:
    """A URI that reads `path` without creating anything next to it.

    A WAL-mode file opened merely read-only still gets a -wal and -shm made beside it (and
    left behind); `immutable=1` avoids that. A log already there must be read, though, so
    then the plain read-only mode is used.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    return uri if _has_journal(path) else uri + "&immutable=1"


BUSY_SECONDS = 5.0  # how long a write waits for another writer to finish before it says so


def connect(path: Path | str) -> Database:
    """Open a connection with the workbook's pragmas: foreign keys, WAL, full sync.

    Long work (an import) may run on a worker thread while the GUI thread waits, so the
    connection is not tied to the thread that opened it; it is never used by two at once.
    """
    db = Database(sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_SECONDS),
                  execute_plugins=False)
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return db


def migrate(db: Database) -> None:
    """Apply pending migrations and stamp the file as ours at the new version."""
    MIGRATIONS.apply(db)
    db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def backup_before_migrating(path: Path, version: int) -> Path:
    """Copy an older workbook next to itself before it is migrated; return the copy.

    The copy is the file's exact bytes, so it opens in the version that made it. Only when
    a write-ahead log still holds edits is SQLite's backup used, to carry them over.
    """
    target = path.with_name(f"{path.name}.schema{version}.bak")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.schema{version}-{counter}.bak")
    try:
        with files.replacing(target) as (handle, partial):
            if _has_journal(path):
                source = sqlite3.connect(_read_only_uri(path), uri=True)
                try:
                    copy = sqlite3.connect(partial)
                    try:
                        with copy:
                            source.backup(copy)
                    finally:
                        copy.close()
                        files.remove_sidecars(partial)
                finally:
                    source.close()
            else:
                with path.open("rb") as original, os.fdopen(os.dup(handle), "wb") as raw:
                    shutil.copyfileobj(original, raw)
    except (OSError, sqlite3.Error) as error:
        raise WorkbookFileError(path, f"cannot back it up before updating it ({error})") from None
    return target
