"""Whole-database snapshots for undo tests: every table of the main schema, sorted."""

from __future__ import annotations

import sqlite3

from workbench.workbook import Workbook

Dump = dict[str, list[tuple[object, ...]]]


def tables(conn: sqlite3.Connection) -> list[str]:
    """The names of the main schema's tables, the change log included."""
    rows = conn.execute(
        "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def dump(workbook: Workbook) -> Dump:
    """Every row of every table except the change log (which undo never reverses).

    Rows are sorted so the snapshot says what is stored, not in which order.
    """
    conn = workbook.db.conn
    return {
        table: sorted(conn.execute(f'SELECT * FROM main."{table}"').fetchall(), key=repr)
        for table in tables(conn)
        if table != "change_log"
    }


def integrity_problems(workbook: Workbook) -> list[tuple[object, ...]]:
    """What `integrity_check` and `foreign_key_check` find; empty when the file is sound."""
    conn = workbook.db.conn
    problems = [r for r in conn.execute("PRAGMA integrity_check").fetchall() if r != ("ok",)]
    return problems + conn.execute("PRAGMA foreign_key_check").fetchall()
