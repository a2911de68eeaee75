"""Closed-loop numbers derived from imported leads, per quarter and per source.

Volume at each stage and conversion to the stages after it; median and 90th-percentile
time in stage; MQL follow-up (MQL → first touch) and the share within the agreed hours;
dispositions; open and weighted pipeline at the quarter's end; marketing-sourced share of
pipeline and of won revenue; customers by original source.

Definitions, so both teams read the numbers the same way:
- a lead *reached* a stage in a quarter when its date for that stage falls in it; it
  *advanced* when it reached any later stage of the funnel (at any time, dated or not);
- a stage reached at a date the export does not give counts as reached (the lead advanced
  from the stages before it) but in no quarter, and in no time figure (`undated_leads`);
- time in stage runs from reaching a stage to the earliest date of a later stage, for
  leads whose next stage reached has a date;
- follow-up counts MQLs reached in the quarter; a touch before the MQL date counts as 0 h;
- a disposition counts only when its code says it is one (`disposed`); "New" or "Open"
  mapped as no disposition yet count as not dispositioned, and a value that is no code at
  all leaves the share unknown (shown as the range it lies in) until it is mapped;
- the open and weighted pipeline are the forward check's (`planning.forward`, the one
  definition): every lead standing in a pipeline stage at the quarter's end (as of today
  while the quarter runs), neither won nor lost, worth its amount or else the plan's deal
  size, weighted by its stage's probability; unknown ("—", with the reason) while an open
  lead has no value or its stage no weight;
- marketing's share of the pipeline is its share of the weighted pipeline, unknown while
  part of it comes from unclassified sources;
- won revenue and customers count leads whose won date falls in the quarter.

Numbers come from monthly summaries kept with the leads (see `imports.summaries`), so a
quarter costs two small queries; results are cached until the workbook changes.
"""

from __future__ import annotations

import weakref
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from .errors import ValidationError
from .figure_text import format_percent
from .imports import summaries
from .imports.stages import mql_stage
from .model import QuarterId, StageId
from .planning.forward import ForwardCheck, forward_check
from .planning.pipeline_rows import open_value_by_who, weighted_by_who

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from .workbook import Workbook

    Hours = NDArray[np.float64] | Sequence[float]  # in order: as the summaries give them

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
    """How reps dispositioned the quarter's MQLs: how many have a value that is a
    disposition, how many a value that says none yet ("New"), how many a value that is no
    code at all (`unmapped`, by value), and the count of each value."""

    mqls: int
    dispositioned: int
    by_code: dict[str, int]
    not_yet: int = 0
    unmapped: dict[str, int] = field(default_factory=dict)

    @property
    def share_dispositioned(self) -> float | None:
        """None with no MQLs, or while some values are no code (they could be either)."""
        return self.dispositioned / self.mqls if self.mqls and not self.unmapped else None

    @property
    def share_range(self) -> tuple[float, float] | None:
        """The least and most the share can be, whatever the unmapped values mean."""
        if not self.mqls:
            return None
        unmapped = sum(self.unmapped.values())
        return self.dispositioned / self.mqls, (self.dispositioned + unmapped) / self.mqls


@dataclass(frozen=True)
class Pipeline:
    """The open pipeline (`check`, the forward check's): its value before weighting
    (None while some open lead's value is not known), its weighted value (None, with
    `weight_reason`, while some open leads cannot be weighted), how many open leads, and
    the value by source and by pipeline stage."""

    open_amount: float | None
    weighted: float | None
    deals: int
    by_source: dict[str, float]
    weight_reason: str | None
    by_stage: dict[StageId, float]
    check: ForwardCheck


@dataclass(frozen=True)
class Share:
    """Marketing's share of an amount split by who sourced it; None with the reason when
    it cannot be worked out (nothing to share, or part from unclassified sources)."""

    value: float | None
    reason: str | None
    low: float | None = None  # with unclassified sources: the least and most it can be
    high: float | None = None


def marketing_share(amounts: Mapping[str, float], what: str = "the pipeline") -> Share:
    """Marketing's share of `amounts` (by who sourced them). The one definition of the
    figure: the closed loop, the dashboard and the QBR all ask it here."""
    total = sum(amounts.values())
    if total <= 0:
        return Share(None, f"no {what.removeprefix('the ')} to share")
    marketing, unknown = amounts.get("marketing", 0.0), amounts.get(UNCLASSIFIED, 0.0)
    if unknown > 1e-9:
        return Share(None, f"{format_percent(unknown / total)} of {what} comes from sources not "
                           "classified yet: classify them on the Sources tab",
                     marketing / total, (marketing + unknown) / total)
    return Share(marketing / total, None)


@dataclass(frozen=True)
class SourcedShare:
    """The weighted pipeline (empty while it is not known), revenue won in the quarter and
    the open pipeline's value before weighting, by who sourced the lead (marketing, sales,
    partner, other; "unclassified" for sources not yet classified)."""

    pipeline: dict[str, float]
    won: dict[str, float]
    open_value: dict[str, float] = field(default_factory=dict)

    @property
    def pipeline_marketing(self) -> Share:
        return marketing_share(self.pipeline, "the weighted pipeline")

    @property
    def won_marketing(self) -> Share:
        return marketing_share(self.won, "the revenue won")

    @property
    def pipeline_share(self) -> float | None:
        return self.pipeline_marketing.value

    @property
    def won_share(self) -> float | None:
        return self.won_marketing.value


@dataclass
class _QuarterData:
    """A quarter's summaries, all sources, as loaded once."""

    cells: dict[tuple[int, str, str], float] = field(default_factory=lambda: defaultdict(float))
    hours: dict[tuple[int, str, str], list[array[float]]] = field(  # sorted, per month
        default_factory=lambda: defaultdict(list))

    def total(self, stage_id: int, measure: str, source: str | None) -> float:
        return sum(v for (s, src, m), v in self.cells.items()
                   if s == stage_id and m == measure and (source is None or src == source))

    def sorted_hours(self, stage_id: int, kind: str, source: str | None) -> Hours:
        """Every lead's hours in these summaries, in order, as a numpy array. (At ten
        million leads a quarter's first stage holds most of a million: Python's sort kept
        the interpreter a tenth of a second, and so did turning them into a list of Python
        floats, and `statistics.median` sorting that list again.)"""
        import numpy as np  # loaded with the first figures, not at start

        parts = [values for (s, src, k), months in self.hours.items()
                 if s == stage_id and k == kind and (source is None or src == source)
                 for values in months]
        if not parts:
            return np.empty(0)
        return np.sort(np.concatenate(parts), kind="stable")  # runs of sorted months


def _median(sorted_values: Hours) -> float | None:
    """As `statistics.median`, of values already in order; None for none."""
    n = len(sorted_values)
    if n == 0:
        return None
    if n % 2:
        return float(sorted_values[n // 2])
    return (float(sorted_values[n // 2 - 1]) + float(sorted_values[n // 2])) / 2


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
        bisect_right(hours, within_hours), _median(hours))


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
        result.append(TimeInStage(stage.id, len(hours), _median(hours),
                                  percentile(hours, 0.9)))
    return result


def dispositions(workbook: Workbook, quarter_id: QuarterId,
                 source: str | None = None) -> Dispositions:
    """The quarter's MQLs: how many have a disposition, none yet, or a value that is no
    code (see `workbench.dispositions`), and how many have each value."""
    from .dispositions import disposed_by_code

    mql = mql_stage(workbook)
    if mql is None:
        return Dispositions(0, 0, {})
    data = _quarter(workbook, quarter_id)
    codes: dict[str, int] = defaultdict(int)
    for (stage, src, measure), value in data.cells.items():
        if stage == mql and measure.startswith("disposition:") and source in (None, src):
            codes[measure.partition(":")[2]] += int(value)
    disposed = disposed_by_code(workbook)
    done = sum(n for code, n in codes.items() if disposed.get(code) is True)
    not_yet = sum(n for code, n in codes.items() if disposed.get(code) is False)
    unmapped = {code: n for code, n in sorted(codes.items()) if code not in disposed}
    return Dispositions(int(data.total(mql, "reached", source)), done,
                        dict(sorted(codes.items())), not_yet, unmapped)


def pipeline(workbook: Workbook, quarter_id: QuarterId, source: str | None = None, *,
             today: date | None = None) -> Pipeline:
    """The quarter's open and weighted pipeline, as the forward check counts it (the one
    definition, `planning.forward`): at the quarter's end once it has ended, as of
    `today` while it runs; nothing before it starts."""
    check = forward_check(workbook, quarter_id, today=today, source=source)
    by_source: dict[str, float] = {}
    if source is None and check.open_leads:
        for name in workbook.leads.sources():
            one = forward_check(workbook, quarter_id, today=today, source=name)
            if one.open_leads and one.open_value is not None:
                by_source[name] = one.open_value
    return Pipeline(check.open_value, check.weighted_pipeline, check.open_leads, by_source,
                    check.weight_reason, {s.stage_id: s.open_value or 0.0 for s in check.stages
                                          if s.open}, check)


def sourced_shares(workbook: Workbook, quarter_id: QuarterId, *,
                   today: date | None = None) -> SourcedShare:
    """The weighted pipeline (the forward check's) and the revenue won in the quarter, by
    who sourced the lead."""
    data = _quarter(workbook, quarter_id)
    owner = dict(workbook.db.conn.execute("SELECT name, sourced_by FROM sources").fetchall())
    won: dict[str, float] = defaultdict(float)
    for (stage, src, measure), value in data.cells.items():
        if stage == 0 and measure == "won_amount":
            won[owner.get(src, UNCLASSIFIED)] += value
    check = forward_check(workbook, quarter_id, today=today)
    pipe = {} if check.weight_reason else weighted_by_who(check.stages)
    return SourcedShare(pipe, dict(won), open_value_by_who(check.stages))


def undated_leads(workbook: Workbook) -> int:
    """How many leads reached a stage at a date the export does not give: they count as
    having reached it, but are left out of time figures and of each quarter's volume."""
    from .reached import undated_leads as count

    return count(workbook.db.conn)


def customers_by_source(workbook: Workbook, quarter_id: QuarterId) -> dict[str, tuple[int, float]]:
    """Leads won in the quarter, by their original source: (customers, revenue)."""
    data = _quarter(workbook, quarter_id)
    result: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (stage, src, measure), value in data.cells.items():
        if stage == 0 and measure in ("won", "won_amount"):
            result[src][0 if measure == "won" else 1] += value
    return {src: (int(n), amount) for src, (n, amount) in sorted(result.items())}


def percentile(sorted_values: Hours, fraction: float) -> float | None:
    """The value below which `fraction` of the values lie, interpolated linearly between
    ranks (as a spreadsheet's PERCENTILE.INC); None for no values."""
    if len(sorted_values) == 0:
        return None
    rank = fraction * (len(sorted_values) - 1)
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    below, above = float(sorted_values[low]), float(sorted_values[high])
    return below + (above - below) * (rank - low)


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
    if not force and summaries.stamped_before(conn, mql):
        with workbook.db.atomic():
            summaries.restamp(conn, mql)
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
    for stage, source, kind, blob in conn.execute(
            "SELECT stage_id, source, kind, hours FROM lead_summary_hours "
            "WHERE month >= ? AND month < ?", (first, after)):
        data.hours[(stage, source, kind)].append(summaries.hours_from_blob(blob))
    return data
