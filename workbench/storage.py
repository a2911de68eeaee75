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
from collections.abc import Callable
from pathlib import Path

from . import files, lock
from .errors import CheckCancelled, WorkbookFileError, storage_error
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from .sqlite import Database

SQLITE_HEADER = b"SQLite format 3\x00"


def inspect(path: Path, *, check: bool = True,
            cancelled: Callable[[], bool] | None = None) -> int:
    """Check `path` is a workbook this version can open; return its schema version.

    Reads only. Raises `WorkbookFileError` naming the problem. `check=False` leaves out the
    check of every page and value (seconds for a big file) and the comparison of its schema
    with the one this app makes (building that one takes 20 ms of every start), for a file
    the caller vouches for: one this app closed itself and nothing has touched since (see
    `file_stamp`), or one just checked whole. `cancelled`,
    asked every few thousand steps of SQLite's, stops the check with `CheckCancelled` when
    it says yes (from another thread: the user's Cancel).
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
    if Path(f"{path}-journal").exists() and (writer := lock.other_holder(path)):
        raise WorkbookFileError(path, f"is busy: {writer.describe()} is writing to it (an "
                                      "import, perhaps). Open it again when that has finished.")
    _roll_back_interrupted_import(path)
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_SECONDS)
    except sqlite3.Error as error:
        raise WorkbookFileError(path, f"cannot be opened ({error})") from None
    if cancelled is not None:
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
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

        changed = differences(conn, int(version)) if check else []
        if changed:
            shown = "; ".join(changed[:3]) + (f"; and {len(changed) - 3} more"
                                              if len(changed) > 3 else "")
            raise WorkbookFileError(
                path, f"was changed outside Alignment Workbench: it has {shown}. It was not "
                      "opened, so nothing in it ran; open a backup or an export instead")
        if check:
            _check_pages_and_values(conn, path, int(version))
    except sqlite3.DatabaseError as error:
        if cancelled is not None and cancelled():
            raise CheckCancelled(path, "the check was cancelled") from None
        raise _unreadable(path, error) from None
    finally:
        conn.close()
    return int(version)



def _check_pages_and_values(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """SQLite's quick check of every page, then every row against the CHECK rules of its
    version's schema (see `schema_check.broken_rules`)."""
    verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise WorkbookFileError(path, f"the file is damaged ({verdict})")
    from .schema_check import broken_rules

    broken = broken_rules(conn, version)
    if broken:
        raise WorkbookFileError(
            path, f"was changed outside Alignment Workbench: its {broken[0]} table holds a "
                  "value this app never writes (an unknown status, say). It was not opened, "
                  "so nothing in it ran; open a backup or an export instead")


def _unreadable(path: Path, error: sqlite3.Error) -> WorkbookFileError:
    """The message for a file SQLite could not read: damaged only when it is; busy, a
    full disk or a read-only place are said as such."""
    reason = storage_error(error)
    if reason is None or "damaged" in str(reason):
        return WorkbookFileError(path, f"the file is damaged ({error})")
    if "busy" in str(reason):
        return WorkbookFileError(path, "is busy: another program is writing to it (an import, "
                                       "perhaps). Open it again when that has finished.")
    if Path(f"{path}-journal").exists():
        place = unwritable(path) or "the disk could not be written"
        return WorkbookFileError(
            path, f"an import into it was interrupted, and putting the file back as it was "
                  f"before needs to write beside it, but {place}. Copy {path.name} together "
                  f"with {path.name}-journal to a folder you can write to, and open it there.")
    return WorkbookFileError(path, f"cannot be read here ({error})")


def unwritable(path: Path) -> str | None:
    """Why the workbook at `path` cannot be changed in place, or None when it can: a
    read-only disk or mount, a read-only file, a read-only folder (SQLite writes its log
    beside the file), or a disk with no room left for that log."""
    try:
        disk = os.statvfs(path)
    except OSError as error:
        return f"its disk cannot be read ({error.strerror})"
    if disk.f_flag & os.ST_RDONLY:
        return "it is on a read-only disk or mount"
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    if disk.f_bavail * disk.f_frsize < FREE_BYTES_NEEDED:
        return "its disk is full"
    return None


FREE_BYTES_NEEDED = 256 * 1024  # the log and its index, and room for a first edit


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
    if not Path(f"{path}-journal").exists() or unwritable(path):
        return
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS)
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        finally:
            conn.close()


def _has_journal(path: Path) -> bool:
    """Whether a write-ahead log (or its index) or a rollback journal lies next to `path`:
    a file in use, or one whose last session crashed with committed edits still in the
    log, or in the middle of a big import (which writes with a rollback journal)."""
    return any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm", "-journal"))


def read_only_uri(path: Path) -> str:
    """A URI that reads `path` without creating anything next to it.

    A WAL-mode file opened merely read-only still gets a -wal and -shm made beside it (and
    left behind); `immutable=1` avoids that. A log already there must be read, though, so
    then the plain read-only mode is used.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    return uri if _has_journal(path) else uri + "&immutable=1"


BUSY_SECONDS = 5.0  # how long a write waits for another writer to finish before it says so


def connect(path: Path | str, *, read_only: bool = False) -> Database:
    """Open a connection with the workbook's pragmas: foreign keys, WAL, full sync.

    Long work (an import) may run on a worker thread while the GUI thread waits, so the
    connection is not tied to the thread that opened it; it is never used by two at once.
    `read_only` opens a file in a place that cannot be written (see `unwritable`) without
    creating anything beside it.
    """
    target, uri = (read_only_uri(Path(path)), True) if read_only else (str(path), False)
    db = Database(sqlite3.connect(target, uri=uri, check_same_thread=False,
                                  timeout=BUSY_SECONDS))
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    if str(path) != ":memory:" and not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    return db


def migrate(db: Database) -> None:
    """Apply pending migrations and stamp the file as ours at the new version."""
    MIGRATIONS.apply(db)
    db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def copy_into(path: Path, partial: Path) -> None:
    """Copy the workbook at `path` into the new file `partial` with SQLite's backup API, on
    a read-only connection of its own: a consistent snapshot, edits still in the log
    included, even while another connection writes. Raises `sqlite3.Error`, `OSError`."""
    source = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_SECONDS)
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
                copy_into(path, partial)
            else:
                with path.open("rb") as original, os.fdopen(os.dup(handle), "wb") as raw:
                    shutil.copyfileobj(original, raw)
    except (OSError, sqlite3.Error) as error:
        raise WorkbookFileError(path, f"cannot back it up before updating it ({error})") from None
    return target
