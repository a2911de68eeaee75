"""The columns an import kept per lead, and their types: read without numpy, so the
Funnel screen's checks (does a scoring rule name a column the leads have?) do not load
what scoring every lead needs."""

from __future__ import annotations

import sqlite3
from typing import Any

from .imports.values import FALSE_WORDS, TRUE_WORDS
from .rule_match import number_in

_FLAGS = (TRUE_WORDS | FALSE_WORDS) - {""}
ATTRIBUTE_SAMPLE = 1000


def attribute_names(conn: sqlite3.Connection) -> set[str]:
    """The kept columns' names (those `attribute_kinds` types), read without typing their
    values: all the Funnel's checks need to know."""
    return {name for (name,) in conn.execute(
        "SELECT name FROM import_attributes UNION SELECT j.key FROM (SELECT attributes "
        f"FROM leads ORDER BY id DESC LIMIT {ATTRIBUTE_SAMPLE}) l, json_each(l.attributes) j "
        "WHERE j.type <> 'null'")}


def attribute_kinds(conn: sqlite3.Connection) -> dict[str, str]:
    """The kept columns and their types: as each import recorded them (newest first), then
    those no import recorded, typed from recent leads' values (numbers, yes/no, text)."""
    kinds: dict[str, str] = {}
    for name, kind in conn.execute(
            "SELECT name, kind FROM import_attributes ORDER BY batch_id DESC, rowid"):
        kinds.setdefault(name, kind)
    possible: dict[str, set[str]] = {}
    for name, kind, value in conn.execute(
            "SELECT j.key, j.type, j.value FROM (SELECT attributes FROM leads ORDER BY id DESC "
            f"LIMIT {ATTRIBUTE_SAMPLE}) l, json_each(l.attributes) j WHERE j.type <> 'null'"):
        if name not in kinds:
            fits = possible.setdefault(name, {"number", "boolean", "text"})
            fits &= _kinds_of(kind, value)
    for name, fits in possible.items():
        kinds[name] = next((k for k in ("number", "boolean") if k in fits), "text")
    return kinds


def _kinds_of(json_type: str, value: Any) -> set[str]:
    """The types one JSON value could be of: 3 a number, true yes/no, "1" any of them."""
    if json_type in ("integer", "real"):
        return {"number"}
    if json_type in ("true", "false"):
        return {"boolean"}
    text = str(value).strip()
    found = {"text"}
    if text and number_in(text) is not None:
        found.add("number")
    if text.lower() in _FLAGS:
        found.add("boolean")
    return found
