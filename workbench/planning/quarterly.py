"""Per-quarter facts the dashboard and the reports compare: actual volume per stage, the
committed plan's volumes and rates, and MQL follow-up, for a window of quarters."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..closed_loop import FollowUp, follow_up
from ..errors import WorkbenchError
from ..model import Plan, PlanId, Quarter, QuarterId, Stage, StageId
from .reverse import plan_funnel, quarter_months

if TYPE_CHECKING:
    from ..workbook import Workbook



class FollowUpPending:
    """Follow-up of a quarter that a screen is still working out (it fills it in later)."""

    def __repr__(self) -> str:
        return "PENDING"


PENDING = FollowUpPending()
# (quarter, agreed hours) → follow-up; None where it cannot be derived (yet); PENDING while
# a screen works it out after painting everything else.
FollowUpSource = Callable[[QuarterId, float], FollowUp | FollowUpPending | None]
WINDOW = 8  # quarters shown in trends, ending at the selected one


@dataclass(frozen=True)
class QuarterFacts:
    """One quarter's actual and planned volumes per stage."""

    quarter: Quarter
    actual: dict[StageId, int]
    plan: Plan | None
    planned: dict[StageId, int | None]
    planned_rates: dict[StageId, float]
    follow_up: FollowUp | FollowUpPending | None

    def actual_of(self, stage_id: StageId) -> int:
        return self.actual.get(stage_id, 0)


def follow_up_or_none(workbook: Workbook) -> FollowUpSource:
    """The closed-loop follow-up of the workbook, answering None where it cannot be derived:
    not implemented yet, or lead data the closed-loop numbers cannot read (the dashboard
    then says "not derived" instead of failing)."""

    def source(quarter_id: QuarterId, hours: float) -> FollowUp | None:
        try:
            return follow_up(workbook, quarter_id, hours)
        except (NotImplementedError, sqlite3.Error, WorkbenchError):
            return None

    return source


def quarter_window(quarters: Sequence[Quarter], quarter_id: QuarterId,
                   size: int = WINDOW) -> list[Quarter]:
    """Up to `size` quarters ending with the selected one, oldest first."""
    index = next(i for i, q in enumerate(quarters) if q.id == quarter_id)
    return list(quarters[max(0, index - size + 1): index + 1])


def quarter_facts(
    workbook: Workbook, quarters: Sequence[Quarter], stages: Sequence[Stage],
    follow_up_hours: float | None, follow_ups: FollowUpSource | None,
) -> list[QuarterFacts]:
    """Facts for each quarter, read with one query per table for the whole window."""
    conn = workbook.db.conn
    ids = [q.id for q in quarters]
    marks = ", ".join("?" for _ in ids) or "NULL"
    actual: dict[QuarterId, dict[StageId, int]] = {qid: {} for qid in ids}
    for qid, sid, count in conn.execute(
            f"SELECT quarter_id, stage_id, sum(count) FROM actuals WHERE quarter_id IN ({marks}) "
            "GROUP BY quarter_id, stage_id", ids):
        actual[QuarterId(qid)][StageId(sid)] = int(count)
    plans = {p.quarter_id: p for p in (workbook.plan.committed_plan(qid) for qid in ids) if p}
    rates: dict[PlanId, dict[StageId, float]] = {p.id: {} for p in plans.values()}
    plan_marks = ", ".join("?" for _ in rates) or "NULL"
    for pid, sid, rate in conn.execute(
            f"SELECT plan_id, stage_id, conversion FROM plan_conversions "
            f"WHERE plan_id IN ({plan_marks})", list(rates)):
        rates[PlanId(pid)][StageId(sid)] = rate
    facts = []
    for quarter in quarters:
        plan = plans.get(quarter.id)
        planned: dict[StageId, int | None] = {}
        if plan is not None:
            funnel = plan_funnel(stages, plan.revenue_goal, plan.avg_deal_size, rates[plan.id],
                                 months=quarter_months(quarter))
            planned = {row.stage_id: row.volume for row in funnel.stages}
        loop = None
        if follow_ups is not None and follow_up_hours is not None:
            loop = follow_ups(quarter.id, follow_up_hours)
        facts.append(QuarterFacts(quarter, actual[quarter.id], plan, planned,
                                  rates[plan.id] if plan else {}, loop))
    return facts


def source_counts(workbook: Workbook, quarter_id: QuarterId
                  ) -> tuple[list[str], dict[tuple[StageId, str], int]]:
    """The quarter's actual count per (stage, source), and every source in a stable order
    (the sources table's order first, so a source keeps its colour across quarters)."""
    conn = workbook.db.conn
    counts = {(StageId(sid), source): int(n) for sid, source, n in conn.execute(
        "SELECT stage_id, source, sum(count) FROM actuals WHERE quarter_id = ? "
        "GROUP BY stage_id, source", (quarter_id,))}
    known = [r[0] for r in conn.execute("SELECT name FROM sources ORDER BY rowid")]
    extra = sorted({source for _, source in counts} - set(known))
    return known + extra, counts
