"""Files for the open-and-refuse tests: bad files of every kind, and a workbook as the
previous version of the app wrote it."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from workbench import schema, storage


def _png() -> bytes:
    """A real 1×1 PNG: signature, IHDR, IDAT and IEND chunks with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _text(path: Path, demo_path: Path) -> None:
    path.write_text("company,stage\nACME,MQL\n", encoding="utf-8")


def _picture(path: Path, demo_path: Path) -> None:
    path.write_bytes(_png())


def _empty(path: Path, demo_path: Path) -> None:
    path.write_bytes(b"")


def _half(path: Path, demo_path: Path) -> None:
    data = demo_path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _fifty_bytes(path: Path, demo_path: Path) -> None:
    path.write_bytes(demo_path.read_bytes()[:50])


def _other_database(path: Path, demo_path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada')")
    conn.commit()
    conn.close()


def _newer(path: Path, demo_path: Path) -> None:
    shutil.copy(demo_path, path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()


def _folder(path: Path, demo_path: Path) -> None:
    path.mkdir()


def _missing(path: Path, demo_path: Path) -> None:
    pass


Maker = Callable[[Path, Path], None]
BAD_FILES: dict[str, tuple[Maker, str]] = {
    "text": (_text, "not a workbook (it is not an SQLite database)"),
    "png": (_picture, "not a workbook (it is not an SQLite database)"),
    "empty": (_empty, "the file is empty, so it is not a workbook"),
    "half": (_half, "the file is damaged"),
    "fifty_bytes": (_fifty_bytes, "the file is damaged: it is truncated"),
    "other_database": (_other_database, "not an Alignment Workbench workbook"),
    "newer": (_newer, f"made by a newer version of Alignment Workbench "
                      f"(schema {schema.SCHEMA_VERSION + 1}; this version opens up to schema "
                      f"{schema.SCHEMA_VERSION}). Update the app to open it."),
    "folder": (_folder, "is a folder, not a workbook file"),
    "missing": (_missing, "no such file"),
}


def make_bad_file(kind: str, folder: Path, demo_path: Path) -> tuple[Path, str]:
    """Make one kind of bad file in `folder`; return its path and the expected problem."""
    maker, problem = BAD_FILES[kind]
    path = folder / f"ACME {kind}.awb"
    maker(path, demo_path)
    return path, problem


def state(folder: Path) -> dict[str, bytes | None]:
    """The folder's listing with each file's bytes (None for a sub-folder)."""
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir())}


def previous_version_file(path: Path) -> int:
    """A file as the build before the newest migration made it: every migration but the
    last applied, stamped with that older version."""
    older = schema.SCHEMA_VERSION - 1
    db = storage.connect(path)
    schema.MIGRATIONS.apply(db, stop_before=schema.MIGRATIONS.names[-1])
    db.conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    db.conn.execute(f"PRAGMA user_version = {older}")
    db.conn.execute("UPDATE properties SET company_name = 'Old Co' WHERE id = 1")
    db.conn.commit()
    db.close()
    return older


def downgraded(source: Path, target: Path, version: int) -> None:
    """`source`'s rows in a file of the older schema `version` (made by that version's
    migrations): the columns both have are copied, as a file of that version held them."""
    db = storage.connect(target)
    names = schema.MIGRATIONS.names
    schema.MIGRATIONS.apply(db, stop_before=names[version])
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("ATTACH DATABASE ? AS source", (str(source),))
    triggers = conn.execute("SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger'"
                            ).fetchall()  # a signed version's rows refuse to be written
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER main."{name}"')
    for (table,) in conn.execute("SELECT name FROM main.sqlite_schema WHERE type = 'table' "
                                 "AND name NOT LIKE 'sqlite_%' AND name <> "
                                 "'_sqlite_migrations'").fetchall():
        mine = [r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))]
        theirs = {r[1] for r in conn.execute(
            "SELECT * FROM pragma_table_info(?, 'source')", (table,))}
        if not theirs:  # a table a later version replaced: its rows stay as migrations made
            continue
        conn.execute(f'DELETE FROM main."{table}"')
        if table == "workshop_answers" and "team" in mine and "team" not in theirs:
            # before version 11 each team had one answer per question: its first one
            conn.execute("INSERT OR IGNORE INTO main.workshop_answers (question_key, team, "
                         "answer) SELECT a.question_key, p.team, a.answer FROM "
                         "source.workshop_answers a JOIN source.workshop_participants p "
                         "ON p.id = a.participant_id ORDER BY a.id")
            continue
        columns = ", ".join(f'"{c}"' for c in mine if c in theirs)
        conn.execute(f'INSERT INTO main."{table}" ({columns}) '
                     f'SELECT {columns} FROM source."{table}"')
    for _, sql in triggers:
        conn.execute(sql)
    conn.commit()
    conn.execute("DETACH DATABASE source")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    db.close()


_HOLD = """
import sys
from workbench.workbook import Workbook
wb = Workbook.open(sys.argv[1], lock="Alignment Workbench")
print("open", flush=True)
sys.stdin.readline()
wb.close()
"""


@contextlib.contextmanager
def held_elsewhere(path: Path) -> Iterator[Path]:
    """`path` open for editing in another process (another app window) while inside."""
    other = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        yield path
    finally:
        assert other.stdin is not None
        other.stdin.write("\n")
        other.stdin.flush()
        other.wait(timeout=30)


_MIDWAY_IMPORT = """
import os, sys
from workbench.imports import Mapping, chunk_source, lead_import, lead_writer
from workbench.workbook import Workbook

lead_import.BIG_FILE_BYTES = 0   # written with a rollback journal
lead_import.BYTES_PER_LEAD = 1   # even beside the demo's leads
lead_import.BULK_CACHE_KB = 1    # pages go to the file as the import writes
chunk_source.HELPER_BYTES = 1 << 62
chunk_source.CHUNK_ROWS = 100
real = lead_writer.LeadWriter.write

def write(writer, chunk):
    problems = real(writer, chunk)
    if writer.added >= 3000:
        {then}
    return problems

lead_writer.LeadWriter.write = write
workbook = Workbook.open(sys.argv[1], lock="alignment-workbench import")
workbook.leads.import_file(sys.argv[2], Mapping(
    fields={{"external_id": "ID", "created": "Created", "source": "Source"}}, date_format="iso"))
"""

KILLED = "os._exit(9)  # killed, in the middle of the import"
PAUSED = "print('importing', flush=True); sys.stdin.readline(); os._exit(9)"


def midway_import(then: str = KILLED) -> str:
    """A script (argv: workbook, CSV of 6,000 leads with ID, Created, Source) that imports
    big-import style (a rollback journal, pages written as it goes) and, 3,000 leads in,
    does `then`: is killed, or says "importing" and waits for a line on stdin first."""
    return _MIDWAY_IMPORT.replace("{then}", then).replace("{{", "{").replace("}}", "}")
