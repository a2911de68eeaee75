"""The workbook's connection (`Database`) and its numbered migrations.

The workbook uses three things of a database object: its connection, `atomic()` and
`close()`. The app used sqlite-utils for them and for its numbered migrations; importing it
cost about 55 ms of every start (it pulls in click, dateutil and its plugin system), so
these few lines do the same, and its migration record stays the same table.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Step = Callable[["Database"], None]


class Database:
    """A workbook's connection, with transactions that nest."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # A trigger's own writes fire triggers too (sqlite-utils' default, relied on since).
        conn.execute("PRAGMA recursive_triggers = ON")

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction around the block; inside another one, a savepoint (rolled back
        alone when the block fails). As sqlite-utils' `Database.atomic`."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"atomic_{os.urandom(8).hex()}"  # as secrets.token_hex (no hashlib)
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            conn.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            conn.rollback()
            raise

    def close(self) -> None:
        self.conn.close()


class NumberedMigrations:
    """The schema's migrations in order, registered with `@MIGRATIONS(name=...)`.

    Each applied migration is recorded in `_sqlite_migrations`, the table (and index)
    sqlite-utils' `Migrations` keeps, made with the same SQL: workbooks it migrated open
    here, and ones migrated here open in builds that still use it (a test compares the
    two). The runner is the app's own because importing sqlite-utils cost about 55 ms of
    every start, a fifth of it, for a table and a loop.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: list[tuple[str, Step]] = []

    def __call__(self, *, name: str) -> Callable[[Step], Step]:
        def register(step: Step) -> Step:
            if name in self.names:
                raise ValueError(f"migration {name!r} is registered twice")
            self._steps.append((name, step))
            return step
        return register

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._steps]

    def applied(self, db: Database) -> list[str]:
        """The names of the migrations `db` has had, in the order it had them."""
        if not db.conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND "
                               "name = '_sqlite_migrations'").fetchone():
            return []
        return [name for (name,) in db.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            (self.name,))]

    def apply(self, db: Database, *, stop_before: str | None = None) -> None:
        """Apply the migrations `db` has not had, in order, each in one transaction with
        its record; up to `stop_before` (not yet applied) when given."""
        done = set(self.applied(db))
        if stop_before in done:
            raise ValueError(f"cannot stop before {stop_before!r}: it has been applied")
        db.conn.execute(_MIGRATIONS_TABLE)
        db.conn.execute(_MIGRATIONS_INDEX)
        for name, step in self._steps:
            if name == stop_before:
                return
            if name in done:
                continue
            with db.atomic():
                step(db)
                db.conn.execute(
                    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                    "VALUES (?, ?, ?)",
                    (self.name, name, str(datetime.datetime.now(datetime.UTC))))


# As sqlite-utils 4 writes them (`Migrations.ensure_migrations_table`).
_MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
)"""
_MIGRATIONS_INDEX = """CREATE UNIQUE INDEX IF NOT EXISTS "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name")"""

__all__ = ["Database", "NumberedMigrations"]
