"""The numbers of the quarterly business review, read from the workbook once.

The charts are the dashboard's own chart data (`workbench.planning.dashboard`), so the QBR
and the Dashboard screen show the same figures; around them come the per-quarter facts,
the forward check, the closed-loop numbers (follow-up, dispositions, who sourced the won
revenue) where the workbook can derive them, the source mix, and the quarter's changes to
the definitions from the change log. `build_qbr_pdf` lays a `QbrData` out without the
workbook, so reading and layout can be timed (and threaded) apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from workbench import closed_loop
from workbench.closed_loop import Dispositions, FollowUp, SourcedShare
from workbench.model import ChangeLogEntry, Quarter, QuarterId, Stage, StageId
from workbench.planning.dashboard import DashboardData, dashboard_charts
from workbench.planning.forward import SOURCED_BY, ForwardCheck, forward_check
from workbench.planning.quarterly import (
    QuarterFacts,
    quarter_facts,
    quarter_window,
    source_counts,
)
from workbench.planning.reverse import mql_stage

if TYPE_CHECKING:
    from workbench.workbook import Workbook

# Change-log entities that are definitions both teams agree on.
DEFINITION_ENTITIES = ("stage", "proposal", "recycle", "rule", "scoring")
CHANGE_LIMIT = 2000


@dataclass(frozen=True)
class QbrData:
    """Everything the QBR shows for one quarter."""

    company: str
    currency: str
    quarter: Quarter
    generated_on: str
    stages: tuple[Stage, ...]
    dashboard: DashboardData
    facts: tuple[QuarterFacts, ...]  # the trend window, oldest first; the last is this one
    forward: ForwardCheck
    mql: Stage | None
    dispositions: tuple[Dispositions | None, ...]  # per quarter of `facts`; None: not derived
    shares: SourcedShare | None  # the closed loop's pipeline and won revenue by who sourced
    won_by: tuple[tuple[str, float], ...] | None  # won revenue in the actuals, by who sourced
    sources: tuple[tuple[str, dict[StageId, int]], ...]  # this quarter's count per stage
    changes: tuple[ChangeLogEntry, ...]  # oldest first
    more_changes: bool  # the change list was cut at CHANGE_LIMIT
    decisions: tuple[tuple[str, str, str], ...] = ()  # the workshop's: text, owner, settles

    @property
    def now(self) -> QuarterFacts:
        return self.facts[-1]

    @property
    def last_day(self) -> str:
        end = date.fromisoformat(self.quarter.end_date) - timedelta(days=1)
        return end.isoformat()

    @property
    def has_actuals(self) -> bool:
        return bool(self.now.actual)


def cached_follow_ups(workbook: Workbook) -> Callable[[QuarterId, float], FollowUp | None]:
    """The closed loop's MQL follow-up, asked once per quarter and reused (the dashboard
    data and the QBR's own tables both need it); None where it cannot be derived."""
    memo: dict[tuple[QuarterId, float], FollowUp | None] = {}

    def cached(quarter_id: QuarterId, hours: float) -> FollowUp | None:
        if (quarter_id, hours) not in memo:
            memo[(quarter_id, hours)] = _closed_loop(closed_loop.follow_up, workbook,
                                                     quarter_id, hours)
        return memo[(quarter_id, hours)]

    return cached


def _closed_loop(function: Callable[..., Any], *args: Any) -> Any:
    """A closed-loop number, or None while the closed loop cannot derive it."""
    try:
        return function(*args)
    except NotImplementedError:
        return None


def qbr_data(workbook: Workbook, quarter_id: QuarterId, *,
             follow_ups: Callable[[QuarterId, float], Any] | None = None) -> QbrData:
    """Read the QBR's numbers for one quarter. `follow_ups` answers MQL follow-up per
    quarter (a screen may pass its cache); by default the closed loop is asked."""
    stages = workbook.funnel.stages()
    quarter = workbook.plan.quarter(quarter_id)
    follow_ups = follow_ups or cached_follow_ups(workbook)
    dashboard = dashboard_charts(workbook, quarter_id, follow_ups=follow_ups)
    window = quarter_window(workbook.plan.quarters(), quarter_id)
    mql = mql_stage(stages)
    facts = quarter_facts(workbook, window, stages, mql.max_hours if mql else None, follow_ups)
    properties = workbook.properties()
    names, counts = source_counts(workbook, quarter_id)
    per_source = tuple((name, {sid: n for (sid, src), n in counts.items() if src == name})
                       for name in names if any(src == name for _, src in counts))
    changes, more = definition_changes(workbook, quarter)
    return QbrData(
        properties.company_name, properties.currency, quarter, date.today().isoformat(),
        tuple(stages), dashboard, tuple(facts),
        forward_check(workbook, quarter_id, facts[-1].plan), mql,
        tuple(_closed_loop(closed_loop.dispositions, workbook, q.id) for q in window),
        _closed_loop(closed_loop.sourced_shares, workbook, quarter_id),
        _won_by(workbook, quarter_id, stages), per_source, changes, more,
        workbook.workshop.decision_rows())


def definition_changes(workbook: Workbook, quarter: Quarter
                       ) -> tuple[tuple[ChangeLogEntry, ...], bool]:
    """Changes to the definitions made within the quarter's dates, oldest first, and
    whether there were more than `CHANGE_LIMIT` entries to look through."""
    entries = workbook.change_log(limit=CHANGE_LIMIT, since=quarter.start_date)
    inside = [e for e in entries if e.at < quarter.end_date
              and e.entity in DEFINITION_ENTITIES]
    return tuple(reversed(inside)), len(entries) >= CHANGE_LIMIT


def _won_by(workbook: Workbook, quarter_id: QuarterId, stages: list[Stage]
            ) -> tuple[tuple[str, float], ...] | None:
    """Won revenue (the last stage's value in the actuals) per who sourced it; None when
    the actuals carry no value for the last stage, or lack one for any of its cells (a
    partial sum would understate it)."""
    if not stages:
        return None
    last = stages[-1].id
    who = dict(workbook.db.conn.execute("SELECT name, sourced_by FROM sources").fetchall())
    totals: dict[str, float] = {}
    for actual in workbook.actuals.for_quarter(quarter_id):
        if actual.stage_id != last:
            continue
        if actual.value is None:
            return None
        if actual.value > 0:
            sourced = who.get(actual.source, "other")
            sourced = sourced if sourced in SOURCED_BY else "other"
            totals[sourced] = totals.get(sourced, 0.0) + actual.value
    if not totals:
        return None
    return tuple((name, totals.get(name, 0.0)) for name in SOURCED_BY)


def follow_up_of(facts: QuarterFacts) -> FollowUp | None:
    """The quarter's follow-up when it was derived (not pending, not missing)."""
    return facts.follow_up if isinstance(facts.follow_up, FollowUp) else None
