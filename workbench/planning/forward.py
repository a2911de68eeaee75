"""The forward check: the revenue a quarter is on track for, from what is already won plus
the open pipeline weighted by each stage's probability, against the goal.

Counted from the quarter's actuals: a stage's open pipeline is what reached it this
quarter but not yet the next stage. Each open lead is worth the stage's average value in
the actuals (or the plan's deal size) times its chance of becoming a customer: the
stage's probability, or, where none is set, the plan's conversion rates multiplied down to
the last stage. Only stages owned by sales count as pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..chartdata import Status, format_money, format_percent
from ..model import Owner, Plan, QuarterId, Stage, StageId
from .reverse import mql_stage

if TYPE_CHECKING:
    from ..workbook import Workbook

SOURCED_BY = ("marketing", "sales", "partner", "other")
ON_TRACK_WARN = 0.9  # within 10 % of the goal is "close", below is "behind"


@dataclass(frozen=True)
class StageCell:
    """Actuals of one stage in one quarter, split by who sourced them."""

    count: int
    value: float
    counts_by: Mapping[str, int]


@dataclass(frozen=True)
class PipelineStage:
    """One stage's open pipeline and what it is worth weighted."""

    stage_id: StageId
    name: str
    open: int
    value_each: float | None
    weight: float | None
    weight_basis: str  # "probability" or "plan conversions"
    weighted: float | None
    arithmetic: str
    reason: str | None
    weighted_by: tuple[tuple[str, float], ...]  # (sourced_by, weighted value)


@dataclass(frozen=True)
class ForwardCheck:
    """What the quarter is on track for against its goal, and how that was worked out."""

    quarter: str
    currency: str
    goal: float | None
    won_count: int
    won_value: float
    won_arithmetic: str
    stages: tuple[PipelineStage, ...]
    status: Status
    summary: str

    @property
    def weighted_pipeline(self) -> float:
        return sum(s.weighted or 0.0 for s in self.stages)

    @property
    def on_track_for(self) -> float:
        return self.won_value + self.weighted_pipeline

    @property
    def share_of_goal(self) -> float | None:
        return self.on_track_for / self.goal if self.goal else None

    def pipeline_by(self, sourced_by: str) -> float:
        """Weighted pipeline sourced by marketing, sales, partner or other."""
        return sum(v for s in self.stages for who, v in s.weighted_by if who == sourced_by)

    @property
    def marketing_share(self) -> float | None:
        """Marketing-sourced share of the weighted pipeline."""
        total = self.weighted_pipeline
        return self.pipeline_by("marketing") / total if total > 0 else None


def pipeline_stages(stages: Sequence[Stage]) -> list[Stage]:
    """The stages that count as pipeline: sales-owned ones before the last stage, else
    every stage after the MQL stage, else every stage before the last."""
    open_stages = list(stages[:-1])
    owned = [s for s in open_stages if s.owner == Owner.SALES]
    if owned:
        return owned
    mql = mql_stage(stages)
    if mql is not None and mql in open_stages:
        return open_stages[open_stages.index(mql) + 1:] or open_stages
    return open_stages


def _weight(stages: Sequence[Stage], index: int, conversions: Mapping[StageId, float]
            ) -> tuple[float | None, str]:
    stage = stages[index]
    if stage.probability is not None:
        return stage.probability, "probability"
    chain = 1.0
    for upper in stages[index:-1]:
        rate = conversions.get(upper.id)
        if rate is None:
            return None, "plan conversions"
        chain *= rate
    return chain, "plan conversions"


def _pipeline_stage(stages: Sequence[Stage], index: int, cells: Mapping[StageId, StageCell],
                    plan: Plan | None, conversions: Mapping[StageId, float],
                    currency: str) -> PipelineStage:
    stage, below = stages[index], stages[index + 1]
    empty = StageCell(0, 0.0, {})
    cell, next_cell = cells.get(stage.id, empty), cells.get(below.id, empty)
    open_count = max(0, cell.count - next_cell.count)
    value_each = cell.value / cell.count if cell.value > 0 and cell.count else (
        plan.avg_deal_size if plan else None)
    weight, basis = _weight(stages, index, conversions)
    reason = None
    if value_each is None:
        reason = f"No value for {stage.name} in the actuals and no deal size in the plan."
    elif weight is None:
        reason = f"{stage.name} has no probability and the plan lacks a conversion rate."
    if reason:
        return PipelineStage(stage.id, stage.name, open_count, value_each, weight, basis, None,
                             "—", reason, ())
    weighted = open_count * value_each * weight  # type: ignore[operator]
    arithmetic = (f"({cell.count:,} reached − {next_cell.count:,} moved on) × "
                  f"{format_money(value_each, currency)} × {format_percent(weight)} = "
                  f"{format_money(weighted, currency)}")
    split = tuple((who, weighted * n / cell.count) for who, n in cell.counts_by.items()
                  if n and cell.count)
    return PipelineStage(stage.id, stage.name, open_count, value_each, weight, basis, weighted,
                         arithmetic, None, split)


def check_forward(
    stages: Sequence[Stage], cells: Mapping[StageId, StageCell], plan: Plan | None,
    conversions: Mapping[StageId, float], *, quarter: str, currency: str = "",
) -> ForwardCheck:
    """The forward check from one quarter's actuals per stage; pure."""
    if len(stages) < 2:
        return ForwardCheck(quarter, currency, None, 0, 0.0, "—", (), Status.NONE,
                            "The funnel needs at least two stages for a forward check.")
    last = stages[-1]
    won = cells.get(last.id, StageCell(0, 0.0, {}))
    deal = plan.avg_deal_size if plan else None
    if won.value > 0:
        won_value = won.value
        won_text = f"{won.count:,} {last.name}: {format_money(won.value, currency)}"
    elif won.count and deal:
        won_value = won.count * deal
        won_text = f"{won.count:,} {last.name} × {format_money(deal, currency)} deal size"
    else:
        won_value, won_text = 0.0, f"{won.count:,} {last.name}"
    chosen = {s.id for s in pipeline_stages(stages)}
    rows = tuple(_pipeline_stage(stages, i, cells, plan, conversions, currency)
                 for i, s in enumerate(stages[:-1]) if s.id in chosen)
    goal = plan.revenue_goal if plan else None
    result = ForwardCheck(quarter, currency, goal, won.count, won_value, won_text, rows,
                          Status.NONE, "")
    return _judged(result)


def _judged(check: ForwardCheck) -> ForwardCheck:
    on_track, money = check.on_track_for, check.currency
    if not check.goal:
        status = Status.NONE
        summary = (f"On track for {format_money(on_track, money)}; there is no revenue goal to "
                   "compare with (no committed plan with a goal).")
    else:
        share = on_track / check.goal
        status = Status.GOOD if share >= 1 else (
            Status.WARN if share >= ON_TRACK_WARN else Status.BAD)
        verdict = "on track" if share >= 1 else "behind"
        summary = (f"{check.quarter} is {verdict}: {format_money(on_track, money)} of the "
                   f"{format_money(check.goal, money)} goal ({format_percent(share)}).")
        if share < 1:
            summary += f" Gap: {format_money(check.goal - on_track, money)}."
    return ForwardCheck(check.quarter, check.currency, check.goal, check.won_count,
                        check.won_value, check.won_arithmetic, check.stages, status, summary)


def stage_cells(workbook: Workbook, quarter_id: QuarterId) -> dict[StageId, StageCell]:
    """A quarter's actuals per stage, with counts split by who sourced them."""
    rows = workbook.db.conn.execute(
        "SELECT a.stage_id, coalesce(s.sourced_by, 'other'), sum(a.count), sum(a.value) "
        "FROM actuals a LEFT JOIN sources s ON s.name = a.source WHERE a.quarter_id = ? "
        "GROUP BY a.stage_id, 2", (quarter_id,)).fetchall()
    counts: dict[StageId, dict[str, int]] = {}
    values: dict[StageId, float] = {}
    for stage_id, who, count, value in rows:
        who = who if who in SOURCED_BY else "other"
        by = counts.setdefault(StageId(stage_id), {})
        by[who] = by.get(who, 0) + int(count)
        values[StageId(stage_id)] = values.get(StageId(stage_id), 0.0) + float(value)
    return {sid: StageCell(sum(by.values()), values[sid], by) for sid, by in counts.items()}


def forward_check(workbook: Workbook, quarter_id: QuarterId, plan: Plan | None = None
                  ) -> ForwardCheck:
    """The forward check of a quarter against its committed plan (or `plan`)."""
    plan = plan or workbook.plan.committed_plan(quarter_id)
    conversions = workbook.plan.conversions(plan.id) if plan else {}
    return check_forward(
        workbook.funnel.stages(), stage_cells(workbook, quarter_id), plan, conversions,
        quarter=workbook.plan.quarter(quarter_id).label,
        currency=workbook.properties().currency,
    )
