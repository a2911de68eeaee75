"""Undo and redo for every mutation, recorded by SQLite itself.

Temporary triggers write, for each row a step inserts, updates or deletes, the SQL that
reverses it into a temporary `undo_log` (the technique in SQLite's own "undo/redo"
note). Undoing a step runs its entries backwards; the same triggers record their reversal,
which becomes the redo step. The history lives with the connection: it is capped and
cleared when the workbook closes, while the change log in the file keeps the record.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from .errors import NothingToUndo, WorkbenchError


class ChangedSince(WorkbenchError):
    """Undo or redo refused: a row it would put back was changed since by someone else."""


_AREAS = {"stages": "the funnel", "scoring_rules": "the scoring rules", "plans": "the plans",
          "leads": "the leads", "sla_terms": "the SLA", "properties": "the company details"}

DEFAULT_CAP = 200


@dataclass(frozen=True)
class LoggedChange:
    """A field-level change kept with a step so undo can log its reversal."""

    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None

    def reversed(self) -> LoggedChange:
        return LoggedChange(self.entity, self.entity_id, self.field, self.new, self.old)


class StepAction(Protocol):
    """Undo and redo written in Python, for bulk work too large for the row triggers (an
    import of a million leads). Both run inside the replay's transaction with tracking
    off; `discard` frees what the action keeps once its step leaves the history."""

    def undo(self) -> None: ...

    def redo(self) -> None: ...

    def discard(self) -> None: ...


@dataclass(frozen=True)
class Step:
    """One undoable step: its name and the range of `undo_log` entries it wrote, plus an
    optional `action` that undoes and redoes what the triggers did not record."""

    name: str
    first: int
    last: int
    tables: frozenset[str]
    logged: tuple[LoggedChange, ...]
    action: StepAction | None = None


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    rows = conn.execute(f"PRAGMA main.table_info({_quote_ident(table)})").fetchall()
    columns = [row[1] for row in rows]
    primary_key = [row[1] for row in sorted(rows, key=lambda r: r[5]) if row[5]]
    return columns, primary_key


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        conn.execute(f"SELECT rowid FROM main.{_quote_ident(table)} LIMIT 0")
    except sqlite3.OperationalError:
        return False
    return True


def _literal(text: str) -> str:
    """An SQL string literal holding `text`, for building trigger bodies."""
    return "'" + text.replace("'", "''") + "'"


def _quoted(expr: str) -> str:
    """SQL that renders the value of `expr` as a literal inside the trigger body.

    `quote()` stops at a NUL character, so text holding one is written as a cast blob.
    """
    return (f"CASE WHEN typeof({expr}) = 'text' AND instr({expr}, char(0)) "
            f"THEN 'CAST('||quote(CAST({expr} AS BLOB))||' AS TEXT)' ELSE quote({expr}) END")


def _trigger_sql(conn: sqlite3.Connection, table: str) -> list[str]:
    columns, primary_key = _columns(conn, table)
    q = _quote_ident(table)
    if _has_rowid(conn, table):
        key_cols = ["rowid"]
        insert_cols = ["rowid", *columns]
    else:
        key_cols = primary_key
        insert_cols = columns

    def ref(c: str) -> str:
        return c if c == "rowid" else _quote_ident(c)

    def where(prefix: str) -> str:
        parts = [f"{_literal(ref(c) + '=')}||{_quoted(f'{prefix}.{ref(c)}')}" for c in key_cols]
        return "||' AND '||".join(parts)

    values = "||','||".join(_quoted(f"old.{ref(c)}") for c in insert_cols)
    assignments = "||','||".join(
        f"{_literal(_quote_ident(c) + '=')}||{_quoted(f'old.{_quote_ident(c)}')}" for c in columns
    )
    when = "WHEN (SELECT active FROM undo_state)"
    name = table.replace('"', "")
    col_list = ",".join(ref(c) for c in insert_cols)
    log = "INSERT INTO undo_log (tbl, sql, guard) VALUES"

    def as_in(prefix: str) -> str:
        return "||' AND '||".join(
            f"{_literal(_quoted(ref(c)) + '=')}||quote({_quoted(f'{prefix}.{ref(c)}')})"
            for c in insert_cols)

    def unless_changed(*states: str) -> str:
        # Each state is looked for in the one row with the key (found by its index, not by
        # reading the whole table: a replay checks a guard per row it touched).
        key = where("new")
        found = "".join(f"||') OR EXISTS (SELECT 1 FROM {q} WHERE '||{key}||' AND '||{state}"
                        for state in states)
        return f"'(NOT EXISTS (SELECT 1 FROM {q} WHERE '||{key}{found}||'))'"

    # The guard: the row is still as this step left it (compared as `_quoted` renders
    # each value, on both sides), else another window or program changed it since. Gone
    # already (a cascade earlier in the same replay) is fine: nothing is overwritten; so is
    # a row a cascade already updated as undo would (a deleted stage sets its import
    # batches' entry stage to NULL, and redoing the deletion finds it so).
    still = unless_changed(as_in("new"))
    already = unless_changed(as_in("new"), as_in("old"))
    gone = f"'NOT EXISTS (SELECT 1 FROM {q} WHERE '||{where('old')}||')'"
    return [
        f"""CREATE TEMP TRIGGER undo_{name}_insert AFTER INSERT ON main.{q} {when}
        BEGIN {log} ({_literal(table)}, 'DELETE FROM {q} WHERE '||{where('new')},
            {still}); END""",
        f"""CREATE TEMP TRIGGER undo_{name}_update AFTER UPDATE ON main.{q} {when}
        BEGIN {log} ({_literal(table)},
            'UPDATE {q} SET '||{assignments}||' WHERE '||{where('new')}, {already}); END""",
        f"""CREATE TEMP TRIGGER undo_{name}_delete BEFORE DELETE ON main.{q} {when}
        BEGIN {log} ({_literal(table)},
            'INSERT INTO {q} ({col_list}) VALUES ('||{values}||')', {gone}); END""",
    ]


class History:
    """The undo and redo stacks of one open workbook."""

    def __init__(self, conn: sqlite3.Connection, tables: tuple[str, ...], cap: int = DEFAULT_CAP):
        self._conn = conn
        self._tables = tables
        self.cap = cap
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS undo_log "
            "(seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, sql TEXT NOT NULL, guard TEXT)"
        )
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS undo_state (active INTEGER NOT NULL)")
        conn.execute("DELETE FROM temp.undo_state")
        conn.execute("INSERT INTO temp.undo_state VALUES (1)")
        conn.commit()
        # The triggers are made before the first step, not here: a hundred of them take
        # about 30 ms, a tenth of opening the app, and a workbook only looked at needs none.
        self._armed = False

    def _arm(self) -> None:
        """Make the undo triggers, once, before anything is recorded. Inside a transaction
        that may still roll back (and take them with it) they are made again next time."""
        if self._armed:
            return
        outside = not self._conn.in_transaction
        self._make_triggers(self._tables)
        if outside:
            if self._conn.in_transaction:
                self._conn.commit()
            self._armed = True

    # -- recording ------------------------------------------------------------------------
    def mark(self) -> int:
        """The sequence number the next recorded entry will have (the undo triggers are
        in place from here on)."""
        self._arm()
        row = self._conn.execute("SELECT coalesce(max(seq), 0) FROM temp.undo_log").fetchone()
        return int(row[0]) + 1

    def entries_since(self, first: int) -> tuple[int, frozenset[str]]:
        """The last entry recorded since `first`, and the tables those entries touched."""
        rows = self._conn.execute(
            "SELECT max(seq), group_concat(DISTINCT tbl) FROM temp.undo_log WHERE seq >= ?",
            (first,),
        ).fetchone()
        if rows[0] is None:
            return first - 1, frozenset()
        return int(rows[0]), frozenset(rows[1].split(","))

    def set_tracking(self, active: bool) -> None:
        """Turn recording off for bulk work that records its own, coarser undo."""
        self._arm()
        self._write_temp("UPDATE temp.undo_state SET active = ?", (int(active),))

    @contextlib.contextmanager
    def untracked(self, *tables: str) -> Iterator[None]:
        """Inside the caller's transaction, write `tables` without the undo triggers
        firing at all (cheaper than `set_tracking(False)`, whose check runs per row); the
        caller records its own undo, e.g. a `StepAction`."""
        self._arm()
        names = [t for t in tables if t in self._tables]
        for table in names:
            for kind in ("insert", "update", "delete"):
                self._conn.execute(f"DROP TRIGGER IF EXISTS temp.undo_{table}_{kind}")
        try:
            yield
        finally:
            self._make_triggers(names)

    def _make_triggers(self, tables: Iterable[str]) -> None:
        """The undo triggers of `tables`, those not there already."""
        for table in tables:
            for statement in _trigger_sql(self._conn, table):
                self._conn.execute(statement.replace(
                    "CREATE TEMP TRIGGER", "CREATE TEMP TRIGGER IF NOT EXISTS", 1))

    def push(self, step: Step) -> None:
        """Record a new step: redo is cleared, the oldest step dropped past the cap."""
        self._undo.append(step)
        self._discard(self._redo)
        self._redo.clear()
        while len(self._undo) > self.cap:
            self._discard([self._undo.pop(0)])

    def _discard(self, steps: list[Step]) -> None:
        for step in steps:
            if step.action is not None:
                step.action.discard()
            self._write_temp(
                "DELETE FROM temp.undo_log WHERE seq BETWEEN ? AND ?", (step.first, step.last)
            )

    def _write_temp(self, sql: str, params: tuple[object, ...]) -> None:
        """Write the temp bookkeeping without leaving a transaction open behind.

        Python's sqlite3 opens a transaction before any DML, even on a temp table; left
        open, the next step would nest in it as a savepoint and never be committed.
        """
        outside = not self._conn.in_transaction
        self._conn.execute(sql, params)
        if outside and self._conn.in_transaction:
            self._conn.commit()

    # -- replaying ------------------------------------------------------------------------
    @property
    def undo_name(self) -> str | None:
        return self._undo[-1].name if self._undo else None

    @property
    def redo_name(self) -> str | None:
        return self._redo[-1].name if self._redo else None

    def replay(self, *, redo: bool) -> tuple[Step, Step]:
        """Reverse the newest undo (or redo) step inside the caller's transaction.

        Returns the step replayed and its mirror, which the caller files with `settle`
        once the transaction commits.
        """
        stack = self._redo if redo else self._undo
        if not stack:
            raise NothingToUndo("Nothing to redo" if redo else "Nothing to undo")
        step = stack[-1]
        # Entries replay in reverse; a cascade logged a parent before its children, so
        # check foreign keys at commit rather than after each statement.
        self._conn.execute("PRAGMA defer_foreign_keys = ON")
        rows = self._conn.execute(
            "SELECT sql, guard, tbl FROM temp.undo_log WHERE seq BETWEEN ? AND ? "
            "ORDER BY seq DESC", (step.first, step.last),
        ).fetchall()
        self._conn.execute(
            "DELETE FROM temp.undo_log WHERE seq BETWEEN ? AND ?", (step.first, step.last)
        )
        # Mark only now: new entries take max(seq) + 1, which reuses the numbers just freed
        # when this step was the newest, so a mark taken earlier would miss the mirror.
        first = self.mark()
        if step.action is not None and not redo:
            self._run_action(step.action.undo)
        for statement, guard, table in rows:
            if guard and not self._conn.execute(f"SELECT {guard}").fetchone()[0]:
                raise ChangedSince(
                    f"Cannot {'redo' if redo else 'undo'} “{step.name}”: the workbook was "
                    f"changed since by another window or program ({_AREAS.get(table, table)}), "
                    "and this would overwrite that change. Nothing was changed.")
            self._conn.execute(statement)
        if step.action is not None and redo:
            self._run_action(step.action.redo)
        last, tables = self.entries_since(first)
        mirror = Step(step.name, first, last, tables | step.tables,
                      tuple(change.reversed() for change in step.logged), step.action)
        return step, mirror

    def _run_action(self, run: Callable[[], None]) -> None:
        self.set_tracking(False)
        try:
            run()
        finally:
            self.set_tracking(True)

    def settle(self, *, redo: bool, mirror: Step) -> None:
        """File a replayed step's mirror on the other stack after its commit."""
        (self._redo if redo else self._undo).pop()
        (self._undo if redo else self._redo).append(mirror)

    def drop_newest(self, *, redo: bool) -> None:
        """Forget the newest undo (or redo) step: it can no longer be replayed."""
        stack = self._redo if redo else self._undo
        if stack:
            self._discard([stack.pop()])

    def clear(self) -> None:
        """Forget every step, and any entries written outside a step (a template's fill)."""
        for step in self._undo + self._redo:
            if step.action is not None:
                step.action.discard()
        self._write_temp("DELETE FROM temp.undo_log", ())
        self._undo.clear()
        self._redo.clear()
