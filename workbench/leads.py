"""Lead-level records imported from CRM exports: importing them, the saved column
mappings, and a windowed view for a lazy table of a million leads.

The leads table shows one page at a time: `page(filter, sort, offset, limit)` and
`count(filter)` answer from indexes, so scrolling to any row of 1,000,000 stays quick.
A filter by stage means "reached that stage"; with a quarter too, "reached it in that
quarter" (the leads behind the closed-loop numbers); a quarter alone means "created in it".
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import reached
from .changes import Changes
from .errors import ValidationError
from .lead_counts import CountRequest
from .lead_order import OrderRequest
from .model import LeadId, QuarterId, StageId

if TYPE_CHECKING:
    from .imports import ImportProgress, ImportReport, Mapping, Preview
    from .workbook import Workbook

SOURCED_BY = ("marketing", "sales", "partner", "other")
_ROW = ("l.id, l.external_id, l.created_at, l.source, l.campaign, l.owner, l.company, l.score, "
        "l.first_touch_at, l.disposition, l.amount, l.won_at, l.lost_at, l.attributes")
ATTRIBUTE_SAMPLE = 1000  # recent leads whose attribute names are listed besides the imports'


CHEAP_COUNT_UP_TO = 2_000_000  # leads SQLite counts in about 20 ms
CHEAP_FILTER_COUNT_UP_TO = 100_000  # a filter reads index entries, or stage dates, per lead


def _lead_row(row: tuple[Any, ...], stage: str | None) -> LeadRow:
    return LeadRow(LeadId(row[0]), row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                   row[8], row[9], row[10], row[11], row[12], stage, row[13] or "{}")


def _walks_an_index(lead_filter: LeadFilter, sort: str) -> bool:
    """Whether SQLite can page this directly along an index (created date, lead ID);
    other orders are sorted once and paged from memory."""
    plain = lead_filter.source is None and lead_filter.stage_id is None
    return plain and (sort == "created_at" or (sort == "external_id"
                                               and lead_filter.quarter_id is None))
# Columns the leads table shows and can sort by, in display order.
SORTABLE = ("external_id", "created_at", "source", "campaign", "owner", "company", "score",
            "first_touch_at", "disposition", "amount", "won_at", "lost_at")


@dataclass(frozen=True)
class LeadFilter:
    """Which leads a table shows; None means "any"."""

    quarter_id: QuarterId | None = None
    source: str | None = None
    stage_id: StageId | None = None


@dataclass(frozen=True)
class LeadRow:
    """One row of the leads table; `stage` is the furthest stage the lead has reached."""

    id: LeadId
    external_id: str | None
    created_at: str
    source: str
    campaign: str
    owner: str
    company: str
    score: float | None
    first_touch_at: str | None
    disposition: str | None
    amount: float | None
    won_at: str | None
    lost_at: str | None
    stage: str | None
    attributes_json: str = "{}"  # the columns an import kept that feed no field

    @property
    def attributes(self) -> dict[str, Any]:
        """The kept columns by name: numbers, booleans, dates ("YYYY-MM-DDTHH:MM:SS"), text."""
        value = json.loads(self.attributes_json)
        return value if isinstance(value, dict) else {}

    def scoring_values(self) -> dict[str, Any]:
        """What scoring rules look at: the lead's fields and its kept columns by name."""
        return {"source": self.source, "campaign": self.campaign, "owner": self.owner,
                "company": self.company, "score": self.score, "amount": self.amount,
                "disposition": self.disposition, **self.attributes}


@dataclass(frozen=True)
class ImportBatch:
    """One past lead import, as recorded."""

    id: int
    imported_at: str
    file: str
    added: int
    updated: int
    skipped: int
    unchanged: int = 0
    removable: bool = True  # False: made before imports recorded what they added
    removed_at: str | None = None
    removed: int | None = None  # how many of its leads were removed with it

    @property
    def state(self) -> str:
        """Whether it was removed, or cannot be, in words ("" for neither)."""
        if self.removed_at:
            return f"removed {self.removed_at[:10]} ({self.removed or 0:,} leads)"
        return "" if self.removable else \
            "cannot be removed: made before imports recorded what they added"


@dataclass(frozen=True)
class BatchRemoval:
    """What removing an import does: the leads it added that go, and the leads that keep
    what it (or a later import) wrote, so the user knows before."""

    batch: ImportBatch
    removes: int  # leads it added, unchanged by any later import
    keeps_updated: int  # leads it updated: their earlier values are not kept, they stay
    keeps_later: int  # leads it added that a later import changed since: they stay

    def sentence(self) -> str:
        parts = [f"Removes the leads the import of {self.batch.file} "
                 f"({self.batch.imported_at[:10]}) added ({self.removes:,}), with their stage "
                 "dates."]
        if self.keeps_updated:
            parts.append(f"Existing leads it updated ({self.keeps_updated:,}) keep the values "
                         "it gave them: their earlier values are not kept once the workbook "
                         "is closed; import the earlier file again to restore them.")
        if self.keeps_later:
            parts.append(f"Leads it added that a later import changed ({self.keeps_later:,}) "
                         "stay.")
        return " ".join(parts)


class Leads:
    """The leads of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn
        self._orders: dict[tuple[Any, ...], array[int]] = {}
        self._counts: tuple[tuple[int, int], dict[LeadFilter, int]] = ((-1, -1), {})

    def count(self, lead_filter: LeadFilter | None = None) -> int:
        """How many leads match the filter (all leads without one). Counts are kept until
        anything is written, here or by another connection: the table asks again at each
        sort, and counting ten million leads takes a tenth of a second."""
        lead_filter = lead_filter or LeadFilter()
        kept = self.kept_count(lead_filter)
        if kept is None:
            where, params = self._where(lead_filter)
            kept = int(self._conn.execute(f"SELECT count(*) FROM leads l {where}",
                                          params).fetchone()[0])
            self.keep_counts({lead_filter: kept}, self._wb.write_moment())
        return kept

    def kept_count(self, lead_filter: LeadFilter | None = None) -> int | None:
        """How many leads match the filter if that is known since the last write, else None
        (counting ten million leads takes a tenth of a second: see `count_request`)."""
        moment, counted = self._counts
        return counted.get(lead_filter or LeadFilter()) \
            if moment == self._wb.write_moment() else None

    def count_if_cheap(self, lead_filter: LeadFilter | None = None) -> int | None:
        """How many leads match the filter if that is kept, or if the leads are few enough
        to count at once (`CHEAP_COUNT_UP_TO` all of them; a filter's, which reads an index
        entry or stage dates per lead, `CHEAP_FILTER_COUNT_UP_TO`: a quarter's and a
        source's of a million took 45 ms); None when not counted since the last write
        (count them elsewhere: `count_request`)."""
        kept = self.kept_count(lead_filter)
        cheap = CHEAP_COUNT_UP_TO if lead_filter in (None, LeadFilter()) \
            else CHEAP_FILTER_COUNT_UP_TO
        if kept is not None or self.at_most() > cheap:
            return kept
        return self.count(lead_filter)

    def count_request(self, filters: list[LeadFilter]) -> CountRequest:
        """What a worker thread needs to count the leads matching each filter (the file
        must be saved: see `lead_counts`)."""
        assert self._wb.path is not None, "an unsaved workbook counts at once"
        queries = []
        for lead_filter in filters:
            where, params = self._where(lead_filter)
            queries.append((lead_filter, where, tuple(params)))
        return CountRequest(self._wb.path, tuple(queries), self._wb.write_moment())

    def keep_counts(self, counts: dict[LeadFilter, int], moment: tuple[int, int]) -> bool:
        """Keep counts made at write `moment` (elsewhere: `count_request`); False (nothing
        kept) when the workbook has been written since."""
        if moment != self._wb.write_moment():
            return False
        if self._counts[0] != moment:
            self._counts = (moment, {})
        self._counts[1].update(counts)
        return True

    def any(self, lead_filter: LeadFilter | None = None) -> bool:
        """Whether any lead matches the filter: one index seek, where counting them could
        read millions."""
        where, params = self._where(lead_filter or LeadFilter())
        return self._conn.execute(f"SELECT EXISTS (SELECT 1 FROM leads l {where})",
                                  params).fetchone()[0] == 1

    def at_most(self) -> int:
        """No fewer leads than there are (the highest lead id), read at once: enough to
        tell a few leads from millions without counting them."""
        newest = self._conn.execute("SELECT max(id) FROM leads").fetchone()[0]
        return 0 if newest is None else int(newest)

    def sources(self) -> list[str]:
        """Every source named by a lead or in the sources table, sorted. The leads' are
        found by stepping through the source index, one seek per source: a fifth of a
        millisecond at a million leads, where SELECT DISTINCT reads every entry (80 ms,
        at each redraw of the Data tabs)."""
        named = {r[0] for r in self._conn.execute("SELECT name FROM sources")}
        after = ""  # leads without a source ('' or NULL) are not a source
        while (found := self._conn.execute("SELECT min(source) FROM leads WHERE source > ?",
                                           (after,)).fetchone()[0]) is not None:
            named.add(found)
            after = found
        return sorted(named)  # code point order, as SQLite's

    # -- the windowed table ---------------------------------------------------------------
    def page(self, lead_filter: LeadFilter | None = None, *, sort: str = "created_at",
             descending: bool = False, offset: int = 0, limit: int = 200) -> list[LeadRow]:
        """Rows `offset` to `offset + limit` of the filtered leads in `sort` order (ties
        by id, so pages never overlap)."""
        if sort not in SORTABLE:
            raise ValidationError("sort", f"Leads cannot be sorted by “{sort}”.")
        if offset < 0 or limit < 0:
            raise ValidationError("offset", "Offset and limit cannot be negative.")
        lead_filter = lead_filter or LeadFilter()
        order = "DESC" if descending else "ASC"
        if _walks_an_index(lead_filter, sort):
            where, params = self._where(lead_filter)
            rows = self._conn.execute(
                f"SELECT {_ROW} FROM leads l {where} ORDER BY l.{sort} {order}, l.id {order} "
                f"LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        else:
            return self.rows(list(self._sorted_ids(lead_filter, sort, order)
                                  [offset:offset + limit]))
        stages = self._furthest_stages([r[0] for r in rows])
        return [_lead_row(r, stages.get(r[0])) for r in rows]

    # -- an order worked out elsewhere (a worker thread, at a million leads) -------------
    def order_at_hand(self, lead_filter: LeadFilter, sort: str, descending: bool) -> bool:
        """Whether `page` answers this order at once: along an index, or sorted already."""
        order = "DESC" if descending else "ASC"
        return _walks_an_index(lead_filter, sort) or \
            (lead_filter, sort, order, self._conn.total_changes) in self._orders

    def order_request(self, lead_filter: LeadFilter, sort: str, descending: bool) -> OrderRequest:
        """What a worker thread needs to sort the leads from the file itself."""
        if sort not in SORTABLE:
            raise ValidationError("sort", f"Leads cannot be sorted by “{sort}”.")
        if self._wb.path is None:
            raise ValidationError("sort", "Only a workbook saved in a file sorts elsewhere.")
        where, params = self._where(lead_filter)
        walk_where, walk_params = self._where(lead_filter, lead_by_lead=True)
        return OrderRequest(self._wb.path, lead_filter, sort, "DESC" if descending else "ASC",
                            where, tuple(params), walk_where, tuple(walk_params),
                            self._conn.total_changes)

    def keep_order(self, request: OrderRequest, ids: array[int]) -> bool:
        """Keep an order sorted elsewhere, if nothing was written since it was asked for."""
        if request.changes != self._conn.total_changes:
            return False
        self._orders = {request.key: ids}
        return True

    def rows(self, ids: list[int]) -> list[LeadRow]:
        """These leads' rows, in this order (ids no longer there are left out)."""
        found = {r[0]: r for r in self._conn.execute(
            f"SELECT {_ROW} FROM leads l WHERE l.id IN ({','.join('?' * len(ids))})", ids)}
        rows = [found[i] for i in ids if i in found]
        stages = self._furthest_stages([r[0] for r in rows])
        return [_lead_row(r, stages.get(r[0])) for r in rows]

    def _sorted_ids(self, lead_filter: LeadFilter, sort: str, order: str) -> array[int]:
        """Every matching lead id in `sort` order, sorted once and kept while the workbook
        is unchanged (8 MB for a million leads), so paging through it is instant."""
        key = (lead_filter, sort, order, self._conn.total_changes)
        if key not in self._orders:
            where, params = self._where(lead_filter)
            ids = array("q", (r[0] for r in self._conn.execute(
                f"SELECT l.id FROM leads l {where} ORDER BY l.{sort} {order}, l.id {order}",
                params)))
            self._orders = {key: ids}  # one order at a time: the table shows one
        return self._orders[key]

    def _where(self, lead_filter: LeadFilter, *, lead_by_lead: bool = False
               ) -> tuple[str, list[Any]]:
        """The filter as a WHERE clause on `leads l`, and its parameters; `lead_by_lead`
        asks a stage of each lead met (for a walk along an order), not of the stage."""
        clauses: list[str] = []
        params: list[Any] = []
        span = self._quarter_span(lead_filter.quarter_id)
        if lead_filter.stage_id is not None:
            reached_sql, reached_params = reached.reached_clause(
                self._conn, lead_filter.stage_id, span, lead_by_lead=lead_by_lead)
            clauses.append(reached_sql)
            params += reached_params
        elif span:
            clauses.append("l.created_at >= ? AND l.created_at < ?")
            params += list(span)
        if lead_filter.source is not None:
            clauses.append("l.source = ?")
            params.append(lead_filter.source)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _quarter_span(self, quarter_id: QuarterId | None) -> tuple[str, str] | None:
        if quarter_id is None:
            return None
        row = self._conn.execute("SELECT start_date, end_date FROM quarters WHERE id = ?",
                                 (quarter_id,)).fetchone()
        if row is None:
            raise ValidationError("quarter", "That quarter no longer exists.")
        return row[0], row[1]

    def _furthest_stages(self, lead_ids: list[int]) -> dict[int, str]:
        if not lead_ids:
            return {}
        marks = ",".join("?" * len(lead_ids))
        rows = self._conn.execute(
            f"SELECT d.lead_id, s.name FROM {reached.VIEW} d JOIN stages s ON s.id = d.stage_id "
            f"WHERE d.lead_id IN ({marks}) ORDER BY d.lead_id, s.position", lead_ids).fetchall()
        return dict(rows)  # the last row per lead, the furthest stage, wins

    # -- importing ------------------------------------------------------------------------
    def preview(self, path: str | Path, mapping: Mapping | None = None, *,
                preset: str | None = None) -> Preview:
        """The start of an export and the guesses about it, for the mapping dialog."""
        from .imports import preview

        return preview(self._wb, path, mapping, preset=preset)

    def import_file(
        self, path: str | Path, mapping: Mapping | None = None, *, preset: str | None = None,
        skip_bad_rows: bool = False, accept_flagged: bool = False,
        progress: Callable[[ImportProgress], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> tuple[Changes, ImportReport]:
        """Import an export's leads as one undo step; see `imports.import_leads`."""
        from .imports import import_leads

        with self._wb.busy:  # run on a worker thread by the app: the connection is its
            return import_leads(self._wb, path, mapping, preset=preset,
                                skip_bad_rows=skip_bad_rows, accept_flagged=accept_flagged,
                                progress=progress, cancel=cancel)

    def attribute_kinds(self) -> dict[str, str]:
        """Names of the columns imports kept per lead, and their types (number, boolean,
        date, text), the newest import's first; the attributes of recent leads no import
        recorded (written by the demo) read as text."""
        kinds: dict[str, str] = {}
        for name, kind in self._conn.execute(
                "SELECT name, kind FROM import_attributes ORDER BY batch_id DESC, rowid"):
            kinds.setdefault(name, kind)
        for (name,) in self._conn.execute(
                "SELECT DISTINCT j.key FROM (SELECT attributes FROM leads ORDER BY id DESC "
                f"LIMIT {ATTRIBUTE_SAMPLE}) l, json_each(l.attributes) j"):
            kinds.setdefault(name, "text")
        return kinds

    def batches(self) -> list[ImportBatch]:
        """Past imports, newest first."""
        rows = self._conn.execute(
            "SELECT id, imported_at, file, added, updated, skipped, unchanged, "
            "first_lead_id IS NOT NULL, removed_at, removed FROM import_batches "
            "ORDER BY id DESC").fetchall()
        return [ImportBatch(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9])
                for r in rows]

    def batch(self, batch_id: int) -> ImportBatch:
        found = next((b for b in self.batches() if b.id == batch_id), None)
        if found is None:
            raise ValidationError("batch", f"There is no import {batch_id} in this workbook.")
        return found

    def batch_removal(self, batch_id: int) -> BatchRemoval:
        """What removing import `batch_id` would do, before it is done."""
        batch = self.batch(batch_id)
        if batch.removed_at is not None:
            raise ValidationError("batch", f"The import of {batch.file} ({batch.imported_at[:10]})"
                                           " was removed already.")
        if not batch.removable:
            raise ValidationError("batch", f"The import of {batch.file} "
                                           f"({batch.imported_at[:10]}) was made before "
                                           "imports recorded which leads they added, so its "
                                           "leads cannot be told apart from those it updated; "
                                           "it cannot be removed.")
        first = self._conn.execute("SELECT first_lead_id FROM import_batches WHERE id = ?",
                                   (batch_id,)).fetchone()[0]
        added, kept = self._conn.execute(
            "SELECT count(*) FILTER (WHERE id >= ?), count(*) FILTER (WHERE id < ?) "
            "FROM leads WHERE import_batch = ?", (first, first, batch_id)).fetchone()
        later = max(0, batch.added - added)  # added here, changed by a later import since
        return BatchRemoval(batch, int(added), int(kept), later)

    def remove_batch(self, batch_id: int) -> Changes:
        """Remove the leads import `batch_id` added (and their stage dates), as one undo
        step; the import stays listed as removed. Leads it updated, and leads it added
        that a later import changed since, keep their values: `batch_removal` says how
        many, before."""
        removal = self.batch_removal(batch_id)
        first = self._conn.execute("SELECT first_lead_id FROM import_batches WHERE id = ?",
                                   (batch_id,)).fetchone()[0]
        from . import lead_tops
        from .workbook import now_iso

        batch = removal.batch
        with self._wb.step(f"Remove import of {batch.file}") as rec:
            before = lead_tops.stamp(self._conn)
            where = "lead_id IN (SELECT id FROM leads WHERE import_batch = ? AND id >= ?)"
            self._conn.execute(f"DELETE FROM lead_stage_dates WHERE {where}", (batch_id, first))
            self._conn.execute("DELETE FROM leads WHERE import_batch = ? AND id >= ?",
                               (batch_id, first))
            self._wb.update(rec, "import_batches", {"id": batch_id},
                            {"removed_at": now_iso(), "removed": removal.removes}, "data")
            lead_tops.after_removal(self._conn, before)
        return rec.changes

    # -- who sourced a source ------------------------------------------------------------
    def sourced_by(self) -> dict[str, str]:
        """Each classified source and who sources its leads (marketing, sales, partner,
        other), for the marketing-sourced shares."""
        return dict(self._conn.execute("SELECT name, sourced_by FROM sources ORDER BY name"))

    def set_sourced_by(self, source: str, sourced_by: str) -> Changes:
        """Say who sources the leads of a source ("Webinar" → marketing)."""
        source = " ".join(source.split())
        if not source:
            raise ValidationError("source", "Name the source.")
        if sourced_by not in SOURCED_BY:
            raise ValidationError("sourced_by", "A source is sourced by marketing, sales, "
                                                "partner or other.")
        if self.sourced_by().get(source) == sourced_by:
            return Changes(step="Classify source")
        with self._wb.step("Classify source") as rec:
            if source in self.sourced_by():
                self._wb.update(rec, "sources", {"name": source}, {"sourced_by": sourced_by},
                                "source")
            else:
                self._wb.insert(rec, "sources", {"name": source, "sourced_by": sourced_by},
                                "source")
        return rec.changes

    # -- saved mappings -------------------------------------------------------------------
    def mappings(self) -> dict[str, Mapping]:
        """The user's saved column mappings, by name."""
        from .imports import Mapping

        return {name: Mapping.from_json(text) for name, text in self._conn.execute(
            "SELECT name, mapping FROM import_mappings ORDER BY name")}

    def save_mapping(self, name: str, mapping: Mapping) -> Changes:
        """Save (or replace) a column mapping under a name, for the next export like it."""
        name = " ".join(name.split())
        if not name:
            raise ValidationError("name", "Give the mapping a name.")
        if len(name) > 100:
            raise ValidationError("name", "A mapping name can be at most 100 characters.")
        text = mapping.to_json()
        old = self._conn.execute("SELECT mapping FROM import_mappings WHERE name = ?",
                                 (name,)).fetchone()
        if old is not None and old[0] == text:
            return Changes(step="Save import mapping")
        with self._wb.step("Save import mapping") as rec:
            if old is None:
                self._wb.insert(rec, "import_mappings", {"name": name, "mapping": text},
                                "import_mapping")
            else:
                self._wb.update(rec, "import_mappings", {"name": name}, {"mapping": text},
                                "import_mapping")
        return rec.changes

    def delete_mapping(self, name: str) -> Changes:
        """Forget a saved mapping."""
        if self._conn.execute("SELECT 1 FROM import_mappings WHERE name = ?",
                              (name,)).fetchone() is None:
            raise ValidationError("name", f"There is no saved mapping “{name}”.")
        with self._wb.step("Delete import mapping") as rec:
            self._wb.delete(rec, "import_mappings", {"name": name}, "import_mapping", name)
        return rec.changes

