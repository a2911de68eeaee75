"""Is this file's schema the one its version should have? A file with our application id
and schema version may still carry objects the app never made — a trigger that rewrites
the SLA on every write, a view in place of a table, a column missing — and those must
never run or be read. The schema each version should have is built once in memory by
the same migrations, and the file's is compared with it before anything else reads it.
Its rows are then held to that schema's CHECK rules (a status this app never writes would
otherwise be met later as a crash): a read-only connection's integrity check leaves those
rules out, and a file's own table definitions may have had them taken away.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from functools import cache

from .schema import MIGRATIONS, SCHEMA_VERSION
from .sqlite import Database

_KINDS = {"table": "table", "view": "view", "trigger": "trigger", "index": "index"}


def differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """What differs from the schema of `version`, in words (empty when nothing does)."""
    expected = _expected(version)
    found = _objects(conn)
    problems = []
    for name, (kind, shape) in sorted(found.items()):
        if name not in expected:
            problems.append(f"a {_KINDS.get(kind, kind)} “{name}” this app did not create")
        elif expected[name][0] != kind:
            problems.append(f"a {_KINDS.get(kind, kind)} “{name}” where this app keeps a "
                            f"{expected[name][0]}")
        elif expected[name][1] != shape:
            what = "columns" if kind == "table" else "definition"
            problems.append(f"the {_KINDS.get(kind, kind)} “{name}” with other {what} than "
                            "this app made")
    for name, (kind, _) in sorted(expected.items()):
        if name not in found:
            problems.append(f"no {_KINDS.get(kind, kind)} “{name}”")
    return problems


def broken_rules(conn: sqlite3.Connection, version: int) -> list[str]:
    """The tables holding a row that breaks a CHECK rule of the schema of `version` (run
    after `differences` found none, so every table and column named exists)."""
    broken = []
    for table, rules in _rules(version).items():
        fails = " OR ".join(f"NOT coalesce(({rule}), 1)" for rule in rules)
        if conn.execute(f'SELECT 1 FROM main."{table}" WHERE {fails} LIMIT 1').fetchone():
            broken.append(table)
    return broken


def _expected(version: int) -> dict[str, tuple[str, object]]:
    return _reference(version)[0]


def _rules(version: int) -> dict[str, tuple[str, ...]]:
    return _reference(version)[1]


def _table_rules(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    found = {}
    for name, sql in conn.execute("SELECT name, sql FROM main.sqlite_schema WHERE "
                                  "type = 'table' AND name NOT LIKE 'sqlite_%'"):
        checks = tuple(_checks(sql))
        if checks:
            found[name] = checks
    return found


@cache
def _reference(version: int) -> tuple[dict[str, tuple[str, object]],
                                       dict[str, tuple[str, ...]]]:
    """The objects and the CHECK rules of the schema the migrations make for `version`,
    built in memory once per version."""
    db = Database(sqlite3.connect(":memory:"))
    names = MIGRATIONS.names
    stop = names[version] if 0 <= version < SCHEMA_VERSION else None
    MIGRATIONS.apply(db, stop_before=stop)
    try:
        return _objects(db.conn), _table_rules(db.conn)
    finally:
        db.close()


def _checks(sql: str) -> Iterator[str]:
    """The expressions of the CHECK clauses in a CREATE TABLE statement."""
    for match in re.finditer(r"\bCHECK\s*\(", sql, re.IGNORECASE):
        depth, quote, start = 1, "", match.end()
        for at in range(start, len(sql)):
            char = sql[at]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    yield sql[start:at]
                    break


def _objects(conn: sqlite3.Connection) -> dict[str, tuple[str, object]]:
    """Name → (type, shape): a table's columns, another object's SQL as normalised."""
    objects: dict[str, tuple[str, object]] = {}
    for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM main.sqlite_schema WHERE name NOT LIKE 'sqlite_%'"):
        if kind == "table":
            columns = tuple(tuple(row[1:6]) for row in conn.execute(
                "SELECT * FROM pragma_table_xinfo(?)", (name,)))
            objects[name] = (kind, columns)
        else:
            objects[name] = (kind, _normalised(sql or ""))
    return objects


def _normalised(sql: str) -> str:
    """SQL text compared without case, quoting or layout."""
    return re.sub(r"\s+", " ", re.sub(r"[\"`\[\]]", "", sql)).strip().lower()
