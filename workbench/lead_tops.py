"""The first leads of each descending order no index gives, kept current by the imports.

At ten million leads, sorting the leads table by amount (or owner, company, won date…)
highest first scanned every lead for its first page: over a second. The imports see every
value a lead gets, so they keep, per such column, a floor and every lead whose value is
above it: a thousand to two thousand leads, or fewer where many share the highest values
(then the floor is one of those). The table's first page is those leads in order (SQLite
orders them), then the leads whose value is the floor, newest first (read by id from the
newest back, as SQLite orders ties by id): milliseconds at any size (`lead_order`).

What is kept is exact, whatever the imports do: a new or updated lead joins when its value
is above the floor, an updated lead whose value no longer is leaves, a removed one leaves.
When more than `2 * KEEP` leads are above the floor, it is raised to the value of the
`KEEP + 1`-th highest of them. The floor is never lowered: leads that fall below it leave
fewer above it, and the page then reads more leads at the floor (or every lead, when too
few are at it).

Each list is stamped with the lead data it describes (`lead_stamp`) and used only while the
stamp matches: leads changed another way make it unused, never misleading (and the next
import works it out again from the leads). Lists are part of the undo history, so undoing
an import puts back those from before it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress, repeat
from operator import lt
from typing import Any

from .lead_order import sqlite_key
from .lead_stamp import lead_stamp

# The sortable columns no index orders (the created date, the source and the lead ID have
# one each); those holding numbers; those that are text and never NULL (blank is '').
TOPS = ("campaign", "owner", "company", "score", "first_touch_at", "disposition", "amount",
        "won_at", "lost_at")
NUMBERS = frozenset({"score", "amount"})
NOT_NULL = frozenset({"campaign", "owner", "company"})
KEEP = 1000  # leads above the floor once it is raised (the table's first page is 200)

Key = tuple[int, Any]  # a stored value's place in SQLite's order: NULL, numbers, text
_NULL: Key = sqlite_key(None)
key = sqlite_key  # a value as stored (None for NULL) as its place in SQLite's order


def stored(column: str, value: Any) -> Any:
    """A value as an import writes it, as the workbook stores it: an empty date or
    disposition ("") and an empty number (NaN) are NULL."""
    if value is None or value != value or (value == "" and column not in NOT_NULL):
        return None
    return value


def blank(column: str) -> Key:
    """The lowest value a lead can have in the column: every list's first floor."""
    return (2, "") if column in NOT_NULL else _NULL


def stamp(conn: sqlite3.Connection, *, without_batch: int | None = None) -> str:
    """What the lists depend on (see `lead_stamp`), as stored."""
    newest, batches = lead_stamp(conn, without_batch=without_batch)
    return f"{newest}:{batches}"


class Tops:
    """Per column, its floor and every lead above it (lead id → key)."""

    def __init__(self, floors: dict[str, Key], above: dict[str, dict[int, Key]]) -> None:
        self.floors = floors
        self.above = above

    @classmethod
    def empty(cls) -> Tops:
        """The lists of a workbook with no leads."""
        return cls({c: blank(c) for c in TOPS}, {c: {} for c in TOPS})

    @classmethod
    def load(cls, conn: sqlite3.Connection, stamped: str) -> Tops | None:
        """The stored lists, if every one is stamped `stamped` (see `stamp`); else None.
        Entries of leads no longer there are left out."""
        floors = {c: key(v) for c, v in conn.execute(
            "SELECT sort, floor FROM lead_top_lists WHERE stamp = ?", (stamped,))}
        if set(floors) != set(TOPS):
            return None
        return cls(floors, {column: {i: key(v) for v, i in conn.execute(
            f"SELECT l.{column}, l.id FROM lead_tops t JOIN leads l ON l.id = t.lead_id "
            f"WHERE t.sort = ?", (column,))} for column in TOPS})

    def added(self, columns: Mapping[str, Sequence[Any]], first: int) -> None:
        """New leads `first`, `first + 1` …: their values as written (as the file gave
        them), by column; a column not given is blank for all of them, so below any floor."""
        for column, values in columns.items():
            self._join(column, ((first + i, values[i])
                                for i in _above(column, values, self.floors[column])))

    def changed(self, ids: Sequence[int], columns: Mapping[str, Sequence[Any]]) -> None:
        """Leads updated (`ids`), with their values now by column, for the columns the
        update may have changed (the others stay as they are)."""
        for column, values in columns.items():
            above = self.above[column]
            for lead_id in ids:
                above.pop(lead_id, None)
            self._join(column, ((ids[i], values[i])
                                for i in _above(column, values, self.floors[column])))

    def _join(self, column: str, leads: Iterable[tuple[int, Any]]) -> None:
        """Leads (id, value as written) whose value is above the column's floor."""
        above = self.above[column]
        for lead_id, value in leads:
            above[lead_id] = key(stored(column, value))
        if len(above) > 2 * KEEP:  # raise the floor: to the KEEP + 1-th highest value
            floor = sorted(above.values(), reverse=True)[KEEP]
            self.floors[column] = floor
            self.above[column] = {i: k for i, k in above.items() if k > floor}

    def write(self, conn: sqlite3.Connection) -> None:
        """Store the lists, stamped with the leads as they are now. Only the entries that
        changed are written (the undo history records each)."""
        now = stamp(conn)
        for column in TOPS:
            before = {r[0] for r in conn.execute("SELECT lead_id FROM lead_tops WHERE sort = ?",
                                                 (column,))}
            after = set(self.above[column])
            conn.executemany("DELETE FROM lead_tops WHERE sort = ? AND lead_id = ?",
                             [(column, i) for i in sorted(before - after)])
            conn.executemany("INSERT INTO lead_tops (sort, lead_id) VALUES (?, ?)",
                             [(column, i) for i in sorted(after - before)])
            floor = self.floors[column]
            conn.execute("INSERT INTO lead_top_lists (sort, stamp, floor) VALUES (?, ?, ?) "
                         "ON CONFLICT (sort) DO UPDATE SET stamp = excluded.stamp, "
                         "floor = excluded.floor",
                         (column, now, None if floor == _NULL else floor[1]))


def rebuild(conn: sqlite3.Connection) -> None:
    """Work every list out from the leads (a scan each: 0.1 s a million leads) and store
    it (within the caller's transaction)."""
    tops = Tops.empty()
    for column in TOPS:
        rows = conn.execute(f"SELECT {column}, id FROM leads ORDER BY {column} DESC, id DESC "
                            f"LIMIT {KEEP + 1}").fetchall()
        if len(rows) > KEEP:
            tops.floors[column] = floor = key(rows[KEEP][0])
            rows = [r for r in rows if key(r[0]) > floor]
        tops.above[column] = {i: key(v) for v, i in rows if key(v) > blank(column)}
    tops.write(conn)


def after_removal(conn: sqlite3.Connection, stamped: str) -> None:
    """Some leads were deleted (an import's, removed): lists current before (`stamped`)
    lose their entries, and stay exact. Lists out of date are left so."""
    tops = Tops.load(conn, stamped)
    if tops is not None:
        tops.write(conn)


def _above(column: str, values: Sequence[Any], floor: Key) -> list[int]:
    """Indexes of the values (as written) above `floor`, in C loops where they can be:
    first the highest alone (most chunks have none above a floor), then each; for dates
    read as seconds (`dates.StoredDates`), those."""
    if len(values) == 0:
        return []
    try:
        if column in NUMBERS:
            import numpy as np  # loaded when an import runs, not when the app starts

            numbers = np.asarray(values, dtype=np.float64)  # None, NaN: NaN, never above
            if floor != _NULL and not np.fmax.reduce(numbers) > floor[1]:
                return []
            found = ~np.isnan(numbers) if floor == _NULL else numbers > floor[1]
            return np.flatnonzero(found).tolist()  # type: ignore[no-any-return]
        if floor[0] == 2:  # text: a greater text ('' and NULL are below any)
            least = floor[1]
            seconds = _dated_above(values, least)
            if seconds is not None:
                return seconds
            if max(values) <= least:
                return []
            return list(compress(range(len(values)), map(lt, repeat(least), values)))
        if floor == _NULL:  # any text but "" (stored as NULL)
            return list(compress(range(len(values)), values))
    except (TypeError, ValueError):
        pass
    return [i for i, v in enumerate(values) if key(stored(column, v)) > floor]


def _dated_above(values: Sequence[Any], least: str) -> list[int] | None:
    """For a column of dates the import worked out as seconds (all in one stored form,
    so in the same order as their text), those after `least`; None for any other."""
    from .imports.dates import NO_DATE, known_seconds

    seconds = known_seconds(values)
    if seconds is None or len(least) != 19 or least[10] != "T":
        return None
    import numpy as np

    try:
        after = np.datetime64(least, "s").astype(np.int64)
    except ValueError:
        return None
    found = (seconds > after) & (seconds != NO_DATE)
    return np.flatnonzero(found).tolist()  # type: ignore[no-any-return]
