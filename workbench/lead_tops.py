"""The first leads of each order no index gives (highest first and lowest first), kept
current by the imports.

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

Each ascending order has its list too, the mirror image: a ceiling and every lead below it
(blank ones first, as SQLite puts NULL and '' first). A column every lead fills (the
company, the owner, a score) scanned every lead for its ascending first page: a second at
ten million. A column most leads leave blank soon has the blank as its ceiling and nothing
below it; its page is then the blank leads by id, as before. A ceiling starts above every
value (stored as an empty blob, which SQLite orders after any text): then every lead is
in the list.

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
_ABOVE_ALL: Key = sqlite_key(b"")  # an ascending list's first ceiling: no value reaches it
key = sqlite_key  # a value as stored (None for NULL) as its place in SQLite's order


def list_name(column: str, descending: bool) -> str:
    """The name a column's list is stored under (`lead_tops.sort`): the column for its
    descending order, "column:asc" for its ascending one."""
    return column if descending else f"{column}:asc"


# Every list: (its name, its column, whether it is the descending order's).
LISTS = tuple((list_name(c, d), c, d) for d in (True, False) for c in TOPS)


def stored(column: str, value: Any) -> Any:
    """A value as an import writes it, as the workbook stores it: an empty date or
    disposition ("") and an empty number (NaN) are NULL."""
    if value is None or value != value or (value == "" and column not in NOT_NULL):
        return None
    return value


def blank(column: str) -> Key:
    """The lowest value a lead can have in the column: every descending list's first
    floor."""
    return (2, "") if column in NOT_NULL else _NULL


def stamp(conn: sqlite3.Connection, *, without_batch: int | None = None) -> str:
    """What the lists depend on (see `lead_stamp`), as stored."""
    newest, batches = lead_stamp(conn, without_batch=without_batch)
    return f"{newest}:{batches}"


class Tops:
    """Per list (see `LISTS`), its floor and every lead above it (lead id → key); for an
    ascending list, its ceiling and every lead below it."""

    def __init__(self, floors: dict[str, Key], above: dict[str, dict[int, Key]],
                 missing: frozenset[str] = frozenset()) -> None:
        self.floors = floors
        self.above = above
        # Lists not current (out of date, or made by no version yet): neither kept nor
        # stored, but worked out again from the leads (`rebuild`).
        self.missing = missing

    @classmethod
    def empty(cls, missing: frozenset[str] = frozenset()) -> Tops:
        """The lists of a workbook with no leads (but those `missing`)."""
        return cls({name: blank(c) if down else _ABOVE_ALL for name, c, down in LISTS},
                   {name: {} for name, _, _ in LISTS}, missing)

    @classmethod
    def load(cls, conn: sqlite3.Connection, stamped: str) -> Tops:
        """The stored lists stamped `stamped` (see `stamp`); the others `missing`.
        Entries of leads no longer there are left out."""
        floors = {name: key(v) for name, v in conn.execute(
            "SELECT sort, floor FROM lead_top_lists WHERE stamp = ?", (stamped,))}
        current = [(name, column) for name, column, _ in LISTS if name in floors]
        return cls({name: floors[name] for name, _ in current}, {name: {
            i: key(v) for v, i in conn.execute(
                f"SELECT l.{column}, l.id FROM lead_tops t JOIN leads l ON l.id = t.lead_id "
                f"WHERE t.sort = ?", (name,))} for name, column in current},
            frozenset(name for name, _, _ in LISTS if name not in floors))

    def added(self, columns: Mapping[str, Sequence[Any]], first: int, count: int) -> None:
        """New leads `first` … `first + count - 1`: their values as written (as the file
        gave them), by column. A column not given is blank for all of them: below any
        floor, and below an ascending list's ceiling unless that is the blank."""
        for name, column, down in LISTS:
            if name in self.missing:
                continue
            values = columns.get(column)
            if values is None:
                if down:
                    continue
                values = [""] * count  # stored as the column's blank ('' or NULL)
            found = _found(column, values, self.floors[name], down)
            self._join(name, column, down, ((first + i, values[i]) for i in found))

    def changed(self, ids: Sequence[int], columns: Mapping[str, Sequence[Any]]) -> None:
        """Leads updated (`ids`), with their values now by column, for the columns the
        update may have changed (the others stay as they are)."""
        for name, column, down in LISTS:
            values = columns.get(column)
            if values is None or name in self.missing:
                continue
            above = self.above[name]
            for lead_id in ids:
                above.pop(lead_id, None)
            found = _found(column, values, self.floors[name], down)
            self._join(name, column, down, ((ids[i], values[i]) for i in found))

    def _join(self, name: str, column: str, down: bool,
              leads: Iterable[tuple[int, Any]]) -> None:
        """Leads (id, value as written) above the list's floor (below its ceiling). With
        more than twice `KEEP`, the floor rises to the `KEEP + 1`-th highest value (the
        ceiling falls to the `KEEP + 1`-th lowest)."""
        above = self.above[name]
        for lead_id, value in leads:
            above[lead_id] = key(stored(column, value))
        if len(above) > 2 * KEEP:
            floor = self.floors[name] = sorted(above.values(), reverse=down)[KEEP]
            self.above[name] = {i: k for i, k in above.items() if _beyond(k, floor, down)}

    def write(self, conn: sqlite3.Connection) -> None:
        """Store the lists, stamped with the leads as they are now. Only the entries that
        changed are written (the undo history records each)."""
        now = stamp(conn)
        for name in (name for name, _, _ in LISTS if name not in self.missing):
            before = {r[0] for r in conn.execute("SELECT lead_id FROM lead_tops WHERE sort = ?",
                                                 (name,))}
            after = set(self.above[name])
            conn.executemany("DELETE FROM lead_tops WHERE sort = ? AND lead_id = ?",
                             [(name, i) for i in sorted(before - after)])
            conn.executemany("INSERT INTO lead_tops (sort, lead_id) VALUES (?, ?)",
                             [(name, i) for i in sorted(after - before)])
            floor = self.floors[name]
            conn.execute("INSERT INTO lead_top_lists (sort, stamp, floor) VALUES (?, ?, ?) "
                         "ON CONFLICT (sort) DO UPDATE SET stamp = excluded.stamp, "
                         "floor = excluded.floor",
                         (name, now, None if floor == _NULL else floor[1]))


def _beyond(found: Key, floor: Key, down: bool) -> bool:
    """Whether a value belongs in a list: above its floor, or below its ceiling."""
    return found > floor if down else found < floor


def rebuild(conn: sqlite3.Connection, names: Iterable[str] | None = None) -> None:
    """Work the lists out from the leads (a scan each: 0.1 s a million leads), all or
    those `names`, and store them (within the caller's transaction)."""
    wanted = {name for name, _, _ in LISTS} if names is None else set(names)
    tops = Tops.empty(frozenset(name for name, _, _ in LISTS if name not in wanted))
    for name, column, down in LISTS:
        if name not in wanted:
            continue
        order = "DESC" if down else "ASC"
        rows = conn.execute(f"SELECT {column}, id FROM leads ORDER BY {column} {order}, "
                            f"id {order} LIMIT {KEEP + 1}").fetchall()
        floor = tops.floors[name]
        if len(rows) > KEEP:
            floor = tops.floors[name] = key(rows[KEEP][0])
        tops.above[name] = {i: key(v) for v, i in rows if _beyond(key(v), floor, down)}
    tops.write(conn)


def after_removal(conn: sqlite3.Connection, stamped: str) -> None:
    """Some leads were deleted (an import's, removed): lists current before (`stamped`)
    lose their entries, and stay exact. Lists out of date are left so."""
    Tops.load(conn, stamped).write(conn)


def _found(column: str, values: Sequence[Any], floor: Key, down: bool) -> list[int]:
    """Indexes of the values (as written) that join a list: above its floor, or below an
    ascending list's ceiling."""
    return _above(column, values, floor) if down else _below(column, values, floor)


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
            seconds = _dated(values, least)
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


def _below(column: str, values: Sequence[Any], ceiling: Key) -> list[int]:
    """Indexes of the values (as written) below `ceiling`: blank ones among them (SQLite
    puts them first), but nothing is below a blank ceiling. In C loops where they can be:
    first the lowest alone (most chunks have none below a ceiling), then each."""
    if len(values) == 0 or ceiling == _NULL:
        return []
    if ceiling == _ABOVE_ALL:
        return list(range(len(values)))
    try:
        if column in NUMBERS:
            import numpy as np  # loaded when an import runs, not when the app starts

            numbers = np.asarray(values, dtype=np.float64)  # None, NaN: NaN, NULL
            if ceiling[0] != 1:  # a text ceiling: every number is below it, and NULL
                return list(range(len(values)))
            blanks = np.isnan(numbers)
            if not blanks.any() and not np.fmin.reduce(numbers) < ceiling[1]:
                return []
            return np.flatnonzero(blanks | (numbers < ceiling[1])).tolist()  # type: ignore[no-any-return]
        if ceiling[0] == 2:
            most = ceiling[1]
            seconds = _dated(values, most, before=True)
            if seconds is not None:
                return seconds
            if column in NOT_NULL:  # text, blank as '' (below any but '')
                if min(values) >= most:
                    return []
                return list(compress(range(len(values)), map(lt, values, repeat(most))))
    except (TypeError, ValueError):
        pass
    return [i for i, v in enumerate(values) if key(stored(column, v)) < ceiling]


def _dated(values: Sequence[Any], bound: str, *, before: bool = False) -> list[int] | None:
    """For a column of dates the import worked out as seconds (all in one stored form,
    so in the same order as their text), those after `bound` (or before it, the blank
    ones among them); None for any other."""
    from .imports.dates import NO_DATE, known_seconds

    seconds = known_seconds(values)
    if seconds is None or len(bound) != 19 or bound[10] != "T":
        return None
    import numpy as np

    try:
        moment = np.datetime64(bound, "s").astype(np.int64)
    except ValueError:
        return None
    found = ((seconds < moment) | (seconds == NO_DATE) if before
             else (seconds > moment) & (seconds != NO_DATE))
    return np.flatnonzero(found).tolist()  # type: ignore[no-any-return]
