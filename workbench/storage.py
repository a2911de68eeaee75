"""Opening workbook files safely: recognise, refuse, back up and migrate.

A file is inspected read-only before anything writes to it, so a file that is not a
workbook, is damaged, or comes from a newer version is refused untouched.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .errors import WorkbookFileError
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"


def inspect(path: Path) -> int:
    """Check `path` is a workbook this version can open; return its schema version.

    Reads only. Raises `WorkbookFileError` naming the problem.
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
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
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
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise WorkbookFileError(path, f"the file is damaged ({check})")
    except sqlite3.DatabaseError as error:
        raise WorkbookFileError(path, f"the file is damaged ({error})") from None
    finally:
        conn.close()
    return int(version)


def connect(path: Path | str) -> Database:
    """Open a connection with the workbook's pragmas: foreign keys, WAL, full sync."""
    db = Database(str(path), execute_plugins=False)
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
    """Copy an older workbook next to itself before it is migrated; return the copy."""
    target = path.with_name(f"{path.name}.schema{version}.bak")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.schema{version}-{counter}.bak")
    source = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    return target
