"""Every lead scored by a model at once: the leads' fields and kept columns are read into
numpy arrays once (each column as codes into its distinct values), each rule is matched on
the distinct values only (by `rule_match`, so one rule means the same here as for one
lead), and a model's fit and interest are sums of the rules' points. Moving a threshold
reads only the cached scores.

Interest points of a rule with a half-life decay with the lead's age as of the newest
lead's created date (the export's day), counted from the created date or the rule's own
date column.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .funnel_glossary import canonical_key
from .lead_stamp import lead_stamp
from .model import Operator, Quadrant, QuadrantRule, RuleKind, ScoringRule, ScoringSettings
from .reached import VIEW
from .rule_match import LEAD_FIELDS, value_matches

if TYPE_CHECKING:
    from .score_grid import ScoreGrid

Mask = npt.NDArray[np.bool_]
Points = npt.NDArray[np.int64]
QUADRANT_ORDER = (Quadrant.SALES_NOW, Quadrant.NURTURE, Quadrant.QUALIFY, Quadrant.NO_ACTION)
# Imported columns are read in one pass over the leads' JSON from this many (at two, the
# pass and a query per column cost the same).
ONE_PASS_FROM = 3


@dataclass
class Column:
    """One field of every lead, as codes into its distinct values."""

    codes: npt.NDArray[np.int32]
    values: list[Any]


@dataclass
class LeadData:
    """What scoring reads of every lead, in lead-id order; loaded once per state of the
    leads (`signature`), columns as rules ask for them."""

    signature: str
    ids: npt.NDArray[np.int64]
    months: list[str]  # "2026-07", the months leads were created in, in order
    month_index: npt.NDArray[np.int32]
    created_day: npt.NDArray[np.float64]  # julian day
    opportunity: Mask | None  # None: the funnel has no opportunity stage
    customer: Mask
    as_of_day: float
    conn: sqlite3.Connection = field(repr=False)
    columns: dict[str, Column] = field(default_factory=dict, repr=False)
    days: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict, repr=False)
    masks: dict[tuple[str, str, str], Mask] = field(default_factory=dict, repr=False)
    # The last rules' scores: the worker that loads the leads scores them for the model in
    # use, so the screen does not add up every rule's points again on the window's thread.
    scored: dict[tuple[ScoringRule, ...], ModelScores] = field(default_factory=dict,
                                                               repr=False)

    @property
    def count(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> Column:
        if name not in self.columns:
            self.columns[name] = _factorised(_read_column(self.conn, name))
        return self.columns[name]

    def read_columns(self, names: Iterable[str]) -> None:
        """Read the imported columns among `names` not read yet, in one pass over the
        leads when there are several (`_read_attributes`: five columns of the demo's
        leads in 15 ms instead of 39)."""
        wanted = sorted({n for n in names if n not in LEAD_FIELDS and n not in self.columns})
        if len(wanted) < ONE_PASS_FROM:
            return  # `column` reads each as asked
        coders = [_Coder() for _ in wanted]
        for chunk in _read_attributes(self.conn, wanted):
            for coder, values in zip(coders, chunk, strict=True):
                coder.add(values)
        for name, coder in zip(wanted, coders, strict=True):
            self.columns[name] = coder.column()

    def day_column(self, name: str) -> npt.NDArray[np.float64]:
        """A date field or column as julian days (NaN where absent)."""
        if name not in self.days:
            if name == "created_at":
                self.days[name] = self.created_day
            else:
                sql = (f"SELECT julianday({name}) FROM leads ORDER BY id" if name in LEAD_FIELDS
                       else "SELECT julianday(json_extract(attributes, ?)) FROM leads ORDER BY id")
                params = () if name in LEAD_FIELDS else (_path(name),)
                self.days[name] = _concatenated(
                    np.array([r[0] for r in rows], dtype=np.float64)
                    for rows in _chunks(self.conn.execute(sql, params)))
        return self.days[name]

    def mask(self, rule: ScoringRule) -> Mask:
        """Which leads the rule fires on (cached by what the rule compares)."""
        key = _mask_key(rule)
        if key not in self.masks and rule.operator is Operator.EXISTS and \
                rule.attribute in LEAD_FIELDS and rule.attribute not in self.columns:
            # Whether a field is filled needs none of its values: SQLite tells, without
            # coding ten million distinct dates into a dictionary first.
            name = rule.attribute
            self.masks[key] = _concatenated((
                np.fromiter((r[0] for r in rows), dtype=np.bool_, count=len(rows))
                for rows in _chunks(self.conn.execute(
                    f'SELECT "{name}" IS NOT NULL AND "{name}" IS NOT \'\' FROM leads '
                    "ORDER BY id"))), np.bool_)
        if key not in self.masks:
            column = self.column(rule.attribute)
            hits = np.fromiter((value_matches(rule, v) for v in column.values), dtype=np.bool_,
                               count=len(column.values))
            self.masks[key] = hits[column.codes] if len(hits) else np.zeros(0, np.bool_)
        return self.masks[key]

    def points(self, rule: ScoringRule) -> Points:
        """The points the rule gives each lead, decayed by age where it has a half-life."""
        mask = self.mask(rule)
        if rule.half_life_days is None:
            return np.where(mask, np.int64(rule.points), np.int64(0))
        age = self.as_of_day - self.day_column(rule.dated_by or "created_at")
        factor = np.power(0.5, np.maximum(age, 0.0) / rule.half_life_days)
        earned = np.rint(rule.points * np.where(np.isnan(factor), 1.0, factor)).astype(np.int64)
        return np.where(mask, earned, np.int64(0))


def _path(name: str) -> str:
    return "$." + json.dumps(name, ensure_ascii=False)


def _chunks(cursor: sqlite3.Cursor) -> Iterator[list[Any]]:
    """A query's rows a chunk at a time. Ten million values read into one list are also
    freed at once, and freeing them holds the interpreter (and the window, which waits for
    it) for a quarter of a second or more; a chunk's take a millisecond or two."""
    while rows := cursor.fetchmany(_CHUNK):
        yield rows


def _concatenated(parts: Iterable[npt.NDArray[Any]], dtype: Any = np.float64
                  ) -> npt.NDArray[Any]:
    """The chunks' arrays as one (an empty one of `dtype` when there are none)."""
    found = list(parts)
    return np.concatenate(found) if found else np.zeros(0, dtype=dtype)


def _mask_key(rule: ScoringRule) -> tuple[str, str, str]:
    """What a rule compares: rules alike in it fire on the same leads."""
    return rule.attribute, rule.operator.value, rule.value


def _read_column(conn: sqlite3.Connection, name: str) -> Iterator[list[Any]]:
    """A field's or an imported column's values, in lead-id order, a chunk at a time."""
    if name in LEAD_FIELDS:
        for rows in _chunks(conn.execute(f'SELECT "{name}" FROM leads ORDER BY id')):
            yield [r[0] for r in rows]
    elif '"' in name or "\\" in name:  # a JSON path cannot name it: read the JSON itself
        for columns in _read_attributes(conn, [name]):
            yield columns[0]
    else:
        path = _path(name)
        for rows in _chunks(conn.execute(
                "SELECT json_extract(attributes, ?), json_type(attributes, ?) FROM leads "
                "ORDER BY id", (path, path))):
            yield [True if kind == "true" else False if kind == "false" else value
                   for value, kind in rows]


def _read_attributes(conn: sqlite3.Connection, names: list[str]
                     ) -> Iterator[list[list[Any]]]:
    """Several imported columns' values in lead-id order, a chunk at a time (per chunk,
    one list per name): each lead's JSON read and parsed once for all of them, where
    `_read_column` has SQLite parse it once per column. The values are json_extract's:
    true and false as booleans, a list or an object as its JSON text."""
    for rows in _chunks(conn.execute("SELECT attributes FROM leads ORDER BY id")):
        parsed = [_object(r[0]) for r in rows]
        yield [[_scalar(p.get(name)) for p in parsed] for name in names]


def _object(text: str | None) -> dict[str, Any]:
    found = json.loads(text) if text else {}
    return found if isinstance(found, dict) else {}


def _scalar(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


class _Coder:
    """Codes values into their distinct values, in order of first appearance (a value and
    its type: 1 and True and "1" stay apart), a chunk at a time."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.distinct: list[Any] = []
        self.parts: list[npt.NDArray[np.int32]] = []

    def code(self, value: Any) -> int:
        # Text is its own key; other values are kept apart by type (1, 1.0 and True are
        # equal keys). A text key is no container for the garbage collector to follow: a
        # column of ten million distinct dates made as many tuples, and each collection
        # that walked them held the interpreter, and the window, for up to a second.
        key = value if type(value) is str else (type(value), value)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.distinct)
            self.distinct.append(value)
        return found

    def add(self, values: list[Any]) -> None:
        self.parts.append(np.fromiter(map(self.code, values), dtype=np.int32,
                                      count=len(values)))

    def column(self) -> Column:
        return Column(_concatenated(self.parts, np.int32), self.distinct)


def _factorised(chunks: Iterable[list[Any]]) -> Column:
    """Each value as a code into the distinct values (see `_Coder`)."""
    coder = _Coder()
    for values in chunks:
        coder.add(values)
    return coder.column()


def signature(conn: sqlite3.Connection) -> str:
    """What the loaded leads depend on: the lead data (`lead_stamp`, a millisecond to
    read) and the funnel's order."""
    newest, batches = lead_stamp(conn)
    stages = ",".join(f"{i}:{p}" for i, p in conn.execute("SELECT id, position FROM stages"))
    return f"{newest}|{batches}|{stages}"


_CHUNK = 50_000


def load(conn: sqlite3.Connection, stages: Sequence[Any],
         aliases: dict[Any, list[str]]) -> LeadData:
    """Read what every lead's score and outcome need (columns come later, as asked)."""
    cursor = conn.execute("SELECT id, substr(created_at, 1, 7), julianday(created_at), "
                          "won_at IS NOT NULL FROM leads ORDER BY id")
    id_parts, created_parts, won_parts, month_parts = [], [], [], []
    codes: dict[str, int] = {}  # each month as a code, in order of first appearance
    # A chunk at a time: a million rows read at once are also freed at once, holding the
    # interpreter (and the window, waiting for it) for tens of milliseconds.
    for rows in _chunks(cursor):
        id_parts.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
        month_parts.append(np.fromiter((codes.setdefault(r[1] or "", len(codes))
                                        for r in rows), dtype=np.int32, count=len(rows)))
        created_parts.append(np.array([np.nan if r[2] is None else r[2] for r in rows],
                                      dtype=np.float64))
        won_parts.append(np.fromiter((bool(r[3]) for r in rows), dtype=np.bool_,
                                     count=len(rows)))
    ids = _concatenated(id_parts, np.int64)
    created = _concatenated(created_parts)
    won = _concatenated(won_parts, np.bool_)
    months = month_span(set(codes) - {""})
    position = {m: i for i, m in enumerate(months)}
    month_of_code = np.array([position.get(m, -1) for m in codes], dtype=np.int32)
    month_index = month_of_code[_concatenated(month_parts, np.intp)]
    keys = [canonical_key(s, aliases.get(s.id, ())) for s in stages]
    customer = won | _reached(conn, ids, [s.id for s, k in zip(stages, keys, strict=True)
                                         if k == "customer"])
    opportunity: Mask | None = None
    if "opportunity" in keys:
        first = keys.index("opportunity")
        later = [s.id for s, k in zip(stages[first:], keys[first:], strict=True)
                 if k not in ("disqualified", "evangelist")]
        opportunity = customer | _reached(conn, ids, later)
    valid = created[~np.isnan(created)]
    as_of = float(valid.max()) if len(valid) else float("nan")
    return LeadData(signature(conn), ids, months, month_index, created, opportunity, customer,
                    as_of, conn)


@dataclass(frozen=True)
class ScoringRequest:
    """What a worker thread needs to load and score every lead from the file itself, on a
    read-only connection of its own (seconds at a million leads)."""

    path: Path
    stages: tuple[Any, ...]
    aliases: dict[Any, list[str]]
    rules: tuple[ScoringRule, ...]

    def work(self) -> LeadData:
        """Load the leads and match every rule once (for a worker thread); the result is
        handed to `Scoring.keep_lead_data`, which gives it the workbook's connection."""
        from .storage import connect

        db = connect(self.path, read_only=True)
        try:
            db.conn.execute("BEGIN")  # the signature and the leads of one moment
            data = load(db.conn, self.stages, self.aliases)
            scores = score(data, list(self.rules))
            scores.by_total, scores.grid, scores.best_first  # noqa: B018 - made here, kept
            db.conn.execute("ROLLBACK")
        finally:
            db.conn.close()
        return data


def month_span(months: set[str]) -> list[str]:
    """Every month from the first to the last given ("2026-01" … "2026-03"), so that a
    month without leads still counts in an average per month."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    span = []
    while f"{year:04d}-{month:02d}" <= last:
        span.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return span


def _reached(conn: sqlite3.Connection, ids: npt.NDArray[np.int64], stage_ids: list[int]
             ) -> Mask:
    found = np.zeros(len(ids), dtype=np.bool_)
    if not stage_ids or not len(ids):
        return found
    marks = ",".join("?" * len(stage_ids))
    reached = np.fromiter((r[0] for r in conn.execute(
        f"SELECT DISTINCT lead_id FROM {VIEW} WHERE stage_id IN ({marks})", stage_ids)),
        dtype=np.int64)
    where = np.searchsorted(ids, reached)
    inside = where < len(ids)
    where = where[inside]
    found[where[ids[where] == reached[inside]]] = True
    return found


def quadrant_codes(fit: Any, interest: Any, settings: ScoringSettings) -> Any:
    """Where fit and interest land: 0 both, 1 fit only, 2 interest only, 3 neither (the
    positions in QUADRANT_ORDER). For single values, arrays of leads, or a grid of every
    fit against every interest (arrays that broadcast)."""
    return (np.less(fit, settings.fit_threshold).astype(np.int8) * 2
            + np.less(interest, settings.interest_threshold).astype(np.int8))


def mql_codes(total: Any, codes: Any, settings: ScoringSettings,
              quadrants: dict[Quadrant, QuadrantRule]) -> Any:
    """Whether a total with these quadrant codes is an MQL: at least the MQL threshold, in
    a quadrant that counts."""
    counting = np.array([quadrants[q].counts_as_mql for q in QUADRANT_ORDER], dtype=np.bool_)
    return np.greater_equal(total, settings.mql_threshold) & counting[codes]


@dataclass(frozen=True)
class ScoreCounts:
    """Per total score, from the lowest (`low`) up: the leads, and those that became
    customers and opportunities (None without an opportunity stage)."""

    low: int
    leads: npt.NDArray[np.int64]
    customers: npt.NDArray[np.int64]
    opportunities: npt.NDArray[np.int64] | None


@dataclass
class ModelScores:
    """One model's fit and interest for every lead; cuts are read from these."""

    data: LeadData
    rules: list[ScoringRule]
    fit: Points
    interest: Points

    @property
    def total(self) -> Points:
        return self.fit + self.interest

    @cached_property
    def grid(self) -> ScoreGrid | None:
        """The leads counted per cell of fit × interest (None when there would be too many
        cells): every figure of a cut is read from it (`score_figures.cut_figures`)."""
        from .score_grid import grid_of

        data = self.data
        return grid_of(self.fit, self.interest, data.customer, data.opportunity,
                       data.month_index, len(data.months))

    @cached_property
    def best_first(self) -> npt.NDArray[np.intp]:
        """The leads' positions, highest total first (ties in lead order): the sandbox's
        table. Totals span a few hundred points, so the sort is numpy's radix sort of
        16-bit keys, a pass over the leads, not a comparison sort of them."""
        total = self.total
        if not len(total):
            return np.zeros(0, dtype=np.intp)
        high, low = int(total.max()), int(total.min())
        key = high - total  # ascending key: descending total
        if high - low <= np.iinfo(np.uint16).max:
            key = key.astype(np.uint16)
        return np.argsort(key, kind="stable")

    @cached_property
    def by_total(self) -> ScoreCounts:
        """The leads counted per total score, once: the bands and their conversion are
        read from these few hundred counts, not from every lead again (at ten million
        leads, a fifth of a second each time the Scoring screen redrew)."""
        total = self.total
        low = int(total.min()) if len(total) else 0
        shifted = total - low
        leads = np.bincount(shifted)
        opportunity = self.data.opportunity
        return ScoreCounts(
            low, leads, np.bincount(shifted[self.data.customer], minlength=len(leads)),
            None if opportunity is None else
            np.bincount(shifted[opportunity], minlength=len(leads)))

    def quadrant_index(self, settings: ScoringSettings) -> npt.NDArray[np.int8]:
        """0 fit and interest, 1 fit only, 2 interest only, 3 neither (QUADRANT_ORDER)."""
        return quadrant_codes(self.fit, self.interest, settings)  # type: ignore[no-any-return]

    def quadrant_of(self, row: int, settings: ScoringSettings) -> Quadrant:
        """One lead's quadrant (its position in the scores)."""
        return QUADRANT_ORDER[int(quadrant_codes(self.fit[row], self.interest[row], settings))]

    def is_mql(self, row: int, settings: ScoringSettings,
               quadrants: dict[Quadrant, QuadrantRule]) -> bool:
        """Whether one lead is an MQL."""
        codes = quadrant_codes(self.fit[row], self.interest[row], settings)
        return bool(mql_codes(self.fit[row] + self.interest[row], codes, settings, quadrants))

    def mql(self, settings: ScoringSettings, quadrants: dict[Quadrant, QuadrantRule]) -> Mask:
        """Leads whose total reaches the MQL threshold, in a quadrant that counts."""
        return mql_codes(  # type: ignore[no-any-return]
            self.total, self.quadrant_index(settings), settings, quadrants)


def score(data: LeadData, rules: list[ScoringRule]) -> ModelScores:
    """Every lead's fit and interest under these rules (the same rules as last time: the
    same scores, which nobody changes)."""
    key = tuple(rules)
    kept = data.scored.get(key)
    if kept is not None:
        return kept
    data.read_columns(rule.attribute for rule in rules if _mask_key(rule) not in data.masks)
    fit = np.zeros(data.count, dtype=np.int64)
    interest = np.zeros(data.count, dtype=np.int64)
    for rule in rules:
        target = fit if rule.kind is RuleKind.FIT else interest
        target += data.points(rule)
    scores = ModelScores(data, list(rules), fit, interest)
    data.scored.clear()  # one set kept: a what-if's scores replace the model's
    data.scored[key] = scores
    return scores
