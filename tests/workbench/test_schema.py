"""A new file gets the whole schema and the workbook's pragmas; an older file is backed
up byte for byte, then migrated."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import schema, storage
from workbench.changes import Changes
from workbench.workbook import Workbook

from .files import previous_version_file
from .snapshot import tables


def test_new_file_is_stamped_as_a_workbook_at_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "New.awb"
    Workbook.create(path).close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == 0x41574231
        assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_open_connection_has_the_workbook_pragmas(blank: Workbook) -> None:
    conn = blank.db.conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 1


def test_a_current_workbook_opens_without_loading_the_migrations(tmp_path: Path) -> None:
    """sqlite-utils (a fifth of the app's start-up) loads only when a migration must run."""
    path = tmp_path / "Current.awb"
    Workbook.create(path).close()
    code = ("import sys; from workbench.workbook import Workbook; "
            f"Workbook.open({str(path)!r}, check=False).close(); "
            "print(sorted(m for m in sys.modules if m.startswith('sqlite_utils')))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=Path(__file__).resolve().parents[2])
    assert shown.stdout.strip() == "[]"


def test_atomic_commits_the_block_and_rolls_back_a_failed_one(blank: Workbook) -> None:
    conn = blank.db.conn
    with blank.db.atomic():
        conn.execute("UPDATE properties SET company_name = 'Kept'")
    with pytest.raises(ValueError), blank.db.atomic():
        conn.execute("UPDATE properties SET company_name = 'Lost'")
        raise ValueError("the block failed")
    assert not conn.in_transaction
    assert conn.execute("SELECT company_name FROM properties").fetchone()[0] == "Kept"


def test_atomic_inside_a_transaction_rolls_back_only_its_own_block(blank: Workbook) -> None:
    conn = blank.db.conn
    with blank.db.atomic():
        conn.execute("UPDATE properties SET company_name = 'Outer'")
        with pytest.raises(ValueError), blank.db.atomic():
            conn.execute("UPDATE properties SET currency = 'EUR'")
            raise ValueError("the inner block failed")
        assert conn.in_transaction
    assert conn.execute("SELECT company_name, currency FROM properties").fetchone() == (
        "Outer", "USD")


def test_every_undoable_table_exists(blank: Workbook) -> None:
    assert set(schema.UNDOABLE_TABLES) <= set(tables(blank.db.conn))
    assert "change_log" in tables(blank.db.conn)


def test_schema_version_counts_the_migrations() -> None:
    assert schema.SCHEMA_VERSION == len(schema.MIGRATIONS.names) >= 1
    assert Workbook.schema_version() == schema.SCHEMA_VERSION


@pytest.mark.skipif(schema.SCHEMA_VERSION < 2, reason="needs a migration to migrate across")
def test_older_workbook_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "Client.awb"
    older = previous_version_file(path)
    original = path.read_bytes()
    assert storage.inspect(path) == older

    with Workbook.open(path) as workbook:
        assert workbook.migrated_from == older
        assert workbook.backup_path == tmp_path / f"Client.awb.schema{older}.bak"
        assert workbook.properties().company_name == "Old Co"
        assert set(schema.UNDOABLE_TABLES) <= set(tables(workbook.db.conn))
        workbook.set_properties(company_name="Old Co, migrated")

    backup = tmp_path / f"Client.awb.schema{older}.bak"
    assert backup.read_bytes() == original
    assert storage.inspect(backup) == older
    assert storage.inspect(path) == schema.SCHEMA_VERSION
    with Workbook.open(path) as again:
        assert again.migrated_from is None
        assert again.properties().company_name == "Old Co, migrated"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "Client.awb", f"Client.awb.schema{older}.bak"
    ]


@pytest.mark.skipif(schema.SCHEMA_VERSION < 2, reason="needs a migration to migrate across")
def test_second_migration_of_same_version_keeps_the_first_backup(tmp_path: Path) -> None:
    path = tmp_path / "Client.awb"
    older = previous_version_file(path)
    first = tmp_path / f"Client.awb.schema{older}.bak"
    first.write_bytes(b"an earlier backup")
    Workbook.open(path).close()
    assert first.read_bytes() == b"an earlier backup"
    assert (tmp_path / f"Client.awb.schema{older}-2.bak").exists()


AREAS = ("properties", "funnel", "scoring", "plan", "data", "sla", "workshop")


@pytest.mark.parametrize("table", schema.UNDOABLE_TABLES)
def test_every_undoable_table_belongs_to_an_area_of_the_app(table: str) -> None:
    """Otherwise an edit there would redraw no view."""
    changes = Changes(tables=frozenset({table}))
    assert [area for area in AREAS if getattr(changes, area)], table


@pytest.mark.skipif(schema.SCHEMA_VERSION < 2, reason="needs a migration to migrate across")
def test_backup_of_an_older_workbook_keeps_edits_still_in_its_log(tmp_path: Path) -> None:
    """After a crash the newest edits may sit in the -wal file; the backup carries them."""
    path = tmp_path / "Client.awb"
    older = previous_version_file(path)
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE properties SET company_name = 'Only in the log'")
    writer.commit()
    try:
        with Workbook.open(path) as workbook:
            backup = workbook.backup_path
            assert backup is not None
    finally:
        writer.close()
    assert storage.inspect(backup) == older
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT company_name FROM properties").fetchone()[0] == (
            "Only in the log")
    finally:
        copy.close()


def test_the_migration_record_is_the_one_sqlite_utils_keeps(tmp_path: Path) -> None:
    """Workbooks migrated by sqlite-utils' `Migrations` (as earlier builds did) carry the
    same record table; ours is read by it, and its by ours, so neither applies a step twice."""
    from sqlite_utils import Database as UtilsDatabase
    from sqlite_utils.migrations import Migrations

    theirs = Migrations("alignment_workbench")
    for name in schema.MIGRATIONS.names[:-1]:
        theirs(name=name)(lambda db: None)
    old_path, new_path = tmp_path / "theirs.awb", tmp_path / "ours.awb"
    old = UtilsDatabase(sqlite3.connect(old_path))
    theirs.apply(old)
    ours = storage.connect(new_path)
    schema.MIGRATIONS.apply(ours)

    def record_schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
        return [(name, " ".join(sql.split())) for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_schema WHERE tbl_name = '_sqlite_migrations' "
            "ORDER BY name")]

    assert record_schema(ours.conn) == record_schema(old.conn)
    assert schema.MIGRATIONS.applied(storage.Database(old.conn)) == \
        schema.MIGRATIONS.names[:-1]
    ours_by_them = UtilsDatabase(ours.conn)
    assert [m.name for m in theirs.applied(ours_by_them)] == schema.MIGRATIONS.names
    theirs.apply(ours_by_them)  # nothing pending for them: no error, nothing added
    assert ours.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == \
        len(schema.MIGRATIONS.names)
    old.close()
    ours.close()

