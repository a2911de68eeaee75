"""Closed-loop numbers derived from imported leads, per quarter and per source.

Volume at each stage and conversion to the stages after it; median and 90th-percentile
time in stage; MQL follow-up (MQL → first touch) and the share within the agreed hours;
dispositions; open and weighted pipeline at the quarter's end; marketing-sourced share of
pipeline and of won revenue; customers by original source.

Definitions, so both teams read the numbers the same way:
- a lead *reached* a stage in a quarter when its date for that stage falls in it; it
  *advanced* when it has a date for any later stage of the funnel (at any time);
- time in stage runs from reaching a stage to the earliest date of a later stage;
- follow-up counts MQLs reached in the quarter; a touch before the MQL date counts as 0 h;
- pipeline is every lead with an amount that is neither won nor lost by the quarter's end,
  weighted by the probability of the furthest stage it had reached by then;
- won revenue and customers count leads whose won date falls in the quarter.

Numbers come from monthly summaries kept with the leads (see `imports.summaries`), so a
quarter costs two small queries; results are cached until the workbook changes.
"""

from __future__ import annotations

import statistics
import weakref
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import ValidationError
from .imports import summaries
from .imports.stages import mql_stage
from .model import QuarterId, StageId

if TYPE_CHECKING:
    from .workbook import Workbook

UNCLASSIFIED = "unclassified"  # sourced_by of a source not in the sources table


@dataclass(frozen=True)
class FollowUp:
    """MQL follow-up in one quarter: MQLs, how many were touched, how many within the
    agreed hours, and the median hours from MQL to first touch (None with no touches)."""

    mqls: int
    touched: int
    within: int
    median_hours: float | None

    @property
    def share_within(self) -> float | None:
        return self.within / self.mqls if self.mqls else None


@dataclass(frozen=True)
class StageVolume:
    """Leads that reached a stage in the quarter, how many went on, and their amounts."""

    stage_id: StageId
    reached: int
    advanced: int
    amount: float

    @property
    def conversion(self) -> float | None:
        """Share of the leads that reached this stage that reached a later one."""
        return self.advanced / self.reached if self.reached else None


@dataclass(frozen=True)
class TimeInStage:
    """Hours in a stage of the leads that reached it in the quarter and moved on."""

    stage_id: StageId
    leads: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class Dispositions:
    """How reps dispositioned the quarter's MQLs: the share with a code, and by code."""

    mqls: int
    dispositioned: int
    by_code: dict[str, int]

    @property
    def share_dispositioned(self) -> float | None:
        return self.dispositioned / self.mqls if self.mqls else None


@dataclass(frozen=True)
class Pipeline:
    """Open deals at the quarter's end: amount, weighted amount, count, amount by source."""

    open_amount: float
    weighted: float
    deals: int
    by_source: dict[str, float]


@dataclass(frozen=True)
class SourcedShare:
    """Pipeline at the quarter's end and revenue won in it, by who sourced the lead
    (marketing, sales, partner, other; "unclassified" for sources not yet classified)."""

    pipeline: dict[str, float]
    won: dict[str, float]

    @property
    def pipeline_share(self) -> float | None:
        total = sum(self.pipeline.values())
        return self.pipeline.get("marketing", 0.0) / total if total else None

    @property
    def won_share(self) -> float | None:
        total = sum(self.won.values())
        return self.won.get("marketing", 0.0) / total if total else None


@dataclass
class _QuarterData:
    """A quarter's summaries, all sources, as loaded once."""

    cells: dict[tuple[int, str, str], float] = field(default_factory=lambda: defaultdict(float))
    open: dict[tuple[int, str, str], float] = field(default_factory=lambda: defaultdict(float))
    hours: dict[tuple[int, str, str], list[float]] = field(
        default_factory=lambda: defaultdict(list))

    def total(self, stage_id: int, measure: str, source: str | None) -> float:
        return sum(v for (s, src, m), v in self.cells.items()
                   if s == stage_id and m == measure and (source is None or src == source))

    def sorted_hours(self, stage_id: int, kind: str, source: str | None) -> list[float]:
        return sorted(h for (s, src, k), values in self.hours.items()
                      if s == stage_id and k == kind and (source is None or src == source)
                      for h in values)


# -- the numbers ----------------------------------------------------------------------------
def follow_up(
    workbook: Workbook, quarter_id: QuarterId, within_hours: float, source: str | None = None
) -> FollowUp:
    """MQL → first-touch follow-up for MQLs reached in the quarter."""
    mql = mql_stage(workbook)
    if mql is None:
        return FollowUp(0, 0, 0, None)
    data = _quarter(workbook, quarter_id)
    hours = data.sorted_hours(mql, "to_touch", source)
    return FollowUp(
        int(data.total(mql, "reached", source)), int(data.total(mql, "touched", source)),
        bisect_right(hours, within_hours), statistics.median(hours) if hours else None)


def stage_volumes(workbook: Workbook, quarter_id: QuarterId,
                  source: str | None = None) -> list[StageVolume]:
    """Per stage, in funnel order: leads that reached it in the quarter and went on."""
    data = _quarter(workbook, quarter_id)
    return [StageVolume(stage.id, int(data.total(stage.id, "reached", source)),
                        int(data.total(stage.id, "advanced", source)),
                        data.total(stage.id, "reached_amount", source))
            for stage in workbook.funnel.stages()]


def time_in_stage(workbook: Workbook, quarter_id: QuarterId,
                  source: str | None = None) -> list[TimeInStage]:
    """Per stage, in funnel order: median and 90th percentile hours in the stage."""
    data = _quarter(workbook, quarter_id)
    result = []
    for stage in workbook.funnel.stages():
        hours = data.sorted_hours(stage.id, "in_stage", source)
        result.append(TimeInStage(stage.id, len(hours), statistics.median(hours) if hours
                                  else None, percentile(hours, 0.9)))
    return result


def dispositions(workbook: Workbook, quarter_id: QuarterId,
                 source: str | None = None) -> Dispositions:
    """The quarter's MQLs: how many have a disposition, and how many have each code."""
    mql = mql_stage(workbook)
    if mql is None:
        return Dispositions(0, 0, {})
    data = _quarter(workbook, quarter_id)
    codes: dict[str, int] = defaultdict(int)
    for (stage, src, measure), value in data.cells.items():
        if stage == mql and measure.startswith("disposition:") and source in (None, src):
            codes[measure.partition(":")[2]] += int(value)
    return Dispositions(int(data.total(mql, "reached", source)),
                        int(data.total(mql, "dispositioned", source)), dict(sorted(codes.items())))


def pipeline(workbook: Workbook, quarter_id: QuarterId, source: str | None = None) -> Pipeline:
    """Open deals at the quarter's end, weighted by their furthest stage's probability."""
    data = _quarter(workbook, quarter_id)
    odds = {s.id: s.probability or 0.0 for s in workbook.funnel.stages()}
    amount = weighted = deals = 0.0
    by_source: dict[str, float] = defaultdict(float)
    for (stage, src, measure), value in data.open.items():
        if source not in (None, src):
            continue
        if measure == "open_count":
            deals += value
        else:
            amount += value
            weighted += value * odds.get(StageId(stage), 0.0)
            by_source[src] += value
    return Pipeline(amount, weighted, int(deals), dict(sorted(by_source.items())))


def sourced_shares(workbook: Workbook, quarter_id: QuarterId) -> SourcedShare:
    """Open pipeline at the quarter's end and revenue won in it, by who sourced the lead."""
    data = _quarter(workbook, quarter_id)
    owner = dict(workbook.db.conn.execute("SELECT name, sourced_by FROM sources").fetchall())
    pipe: dict[str, float] = defaultdict(float)
    won: dict[str, float] = defaultdict(float)
    for (_, src, measure), value in data.open.items():
        if measure == "open_amount":
            pipe[owner.get(src, UNCLASSIFIED)] += value
    for (stage, src, measure), value in data.cells.items():
        if stage == 0 and measure == "won_amount":
            won[owner.get(src, UNCLASSIFIED)] += value
    return SourcedShare(dict(pipe), dict(won))


def customers_by_source(workbook: Workbook, quarter_id: QuarterId) -> dict[str, tuple[int, float]]:
    """Leads won in the quarter, by their original source: (customers, revenue)."""
    data = _quarter(workbook, quarter_id)
    result: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (stage, src, measure), value in data.cells.items():
        if stage == 0 and measure in ("won", "won_amount"):
            result[src][0 if measure == "won" else 1] += value
    return {src: (int(n), amount) for src, (n, amount) in sorted(result.items())}


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """The value below which `fraction` of the values lie, interpolated linearly between
    ranks (as a spreadsheet's PERCENTILE.INC); None for no values."""
    if not sorted_values:
        return None
    rank = fraction * (len(sorted_values) - 1)
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


# -- summaries and the cache ----------------------------------------------------------------
_CACHE: weakref.WeakKeyDictionary[Workbook, tuple[int, dict[QuarterId, _QuarterData]]] = (
    weakref.WeakKeyDictionary())


def refresh(workbook: Workbook, *, force: bool = False) -> bool:
    """Rebuild the lead summaries if they no longer match the leads (or `force`); returns
    whether they were rebuilt (about 4 s for a million leads).

    Imports keep the summaries current, and the numbers above call this whenever they find
    them stale. Code that writes leads directly — a bench or a template filling a workbook
    with `executemany` — calls it once afterwards, so the first numbers read do not pay
    for the rebuild. Runs in its own transaction (nested in the caller's, if any)."""
    conn = workbook.db.conn
    mql = mql_stage(workbook)
    if not force and summaries.is_current(conn, mql):
        return False
    stage_ids = [s.id for s in workbook.funnel.stages()]
    with workbook.db.atomic():
        summaries.rebuild(conn, stage_ids, mql)
    return True


def _quarter(workbook: Workbook, quarter_id: QuarterId) -> _QuarterData:
    token, quarters = _CACHE.get(workbook, (-1, {}))
    if token != workbook.db.conn.total_changes:
        refresh(workbook)
        token, quarters = workbook.db.conn.total_changes, {}
        _CACHE[workbook] = (token, quarters)
    if quarter_id not in quarters:
        quarters[quarter_id] = _load_quarter(workbook, quarter_id)
    return quarters[quarter_id]


def _load_quarter(workbook: Workbook, quarter_id: QuarterId) -> _QuarterData:
    conn = workbook.db.conn
    row = conn.execute("SELECT start_date, end_date FROM quarters WHERE id = ?",
                       (quarter_id,)).fetchone()
    if row is None:
        raise ValidationError("quarter", "That quarter no longer exists.")
    first, after = row[0][:7], row[1][:7]
    data = _QuarterData()
    for stage, source, measure, value in conn.execute(
            "SELECT stage_id, source, measure, sum(value) FROM lead_summary_cells "
            "WHERE month >= ? AND month < ? AND measure NOT LIKE 'open%' GROUP BY 1, 2, 3",
            (first, after)):
        data.cells[(stage, source, measure)] = value
    # The pipeline at the quarter's end: every change to open deals up to then.
    for stage, source, measure, value in conn.execute(
            "SELECT stage_id, source, measure, sum(value) FROM lead_summary_cells "
            "WHERE month < ? AND measure LIKE 'open%' GROUP BY 1, 2, 3", (after,)):
        if abs(value) > 1e-9:
            data.open[(stage, source, measure)] = value
    for stage, source, kind, blob in conn.execute(
            "SELECT stage_id, source, kind, hours FROM lead_summary_hours "
            "WHERE month >= ? AND month < ?", (first, after)):
        data.hours[(stage, source, kind)].extend(summaries.hours_from_blob(blob))
    return data
