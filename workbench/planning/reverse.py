"""The reverse funnel ("talk revenue"): from the revenue goal back up the funnel.

Customers needed = revenue goal ÷ average deal size; each stage above = the next stage ÷
its conversion rate to that next stage, rounded up to whole leads at every stage. Bad or
missing inputs never raise here: the stages they block get no volume and a reason, so a
screen shows "—" and why, never NaN or ∞.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..errors import ValidationError
from ..figure_text import format_number, format_percent
from ..funnel import mql_stage_named as mql_stage  # a plan's: keyed or named so, no fallback
from ..model import PlanId, Quarter, QuarterId, Stage, StageId
from .inputs import (
    DEAL_SIZE,
    GOAL,
    LARGEST,
    SOURCE_MIX,
    InputProblem,
    RawValue,
    check_conversion,
    check_deal_size,
    check_goal,
    conversion_field,
)

if TYPE_CHECKING:
    from ..workbook import Workbook

ROUNDING_NOTE = ("Customers = revenue goal ÷ average deal size; each stage above = the next "
                 "stage ÷ its conversion rate. Every stage is rounded up to whole leads, and "
                 "the stage above is worked out from the rounded number.")
MONTH_NOTE = "Per month = the quarter's volume ÷ 3, rounded up."
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class StageVolume:
    """The volume one stage needs this quarter, how it was worked out, or why it cannot be."""

    stage_id: StageId
    name: str
    volume: int | None
    per_month: int | None
    conversion: float | None  # the plan's rate from this stage to the next; None at the end
    arithmetic: str  # e.g. "1,600 ÷ 60 % = 2,666.67 → 2,667"; "—" without a volume
    reason: str | None  # why there is no volume


@dataclass(frozen=True)
class SourceSplit:
    """One source's share of the plan and the volume it must bring at each stage."""

    source: str
    share: float
    volumes: tuple[int | None, ...]  # in stage order


@dataclass(frozen=True)
class FunnelPlan:
    """The reverse funnel for one set of inputs: volumes per stage, problems, source split."""

    stages: tuple[StageVolume, ...]
    months: tuple[str, ...]
    problems: tuple[InputProblem, ...]
    source_split: tuple[SourceSplit, ...] = ()

    def volume(self, stage_id: StageId) -> int | None:
        return next((s.volume for s in self.stages if s.stage_id == stage_id), None)

    def problem(self, field: str) -> InputProblem | None:
        return next((p for p in self.problems if p.field == field), None)

    @property
    def errors(self) -> tuple[InputProblem, ...]:
        return tuple(p for p in self.problems if not p.warning)

    @property
    def warnings(self) -> tuple[InputProblem, ...]:
        return tuple(p for p in self.problems if p.warning)


def ceil_whole(value: float) -> int:
    """Round up to a whole lead, ignoring floating-point dust (3810.0000000004 is 3810)."""
    nearest = round(value)
    return int(nearest) if abs(value - nearest) < 1e-6 else math.ceil(value)


def _checked(check: object, raw: RawValue, *args: str) -> tuple[float | None, str | None]:
    """Run a check on a raw input: (value, None), or (None, the message saying why not)."""
    if isinstance(raw, ValidationError):
        return None, raw.message
    if raw is None:
        return None, None
    try:
        return check(raw, *args), None  # type: ignore[operator]
    except ValidationError as error:
        return None, error.message


def _step_name(upper: Stage, lower: Stage) -> str:
    return f"from {upper.name} to {lower.name}"


def _customers(goal: RawValue, deal: RawValue, problems: list[InputProblem]
               ) -> tuple[float | None, str, str | None]:
    goal_value, goal_error = _checked(check_goal, goal)
    deal_value, deal_error = _checked(check_deal_size, deal)
    if goal_error:
        problems.append(InputProblem(GOAL, goal_error))
    elif goal_value is None:
        problems.append(InputProblem(GOAL, "Enter the revenue goal for the quarter."))
    if deal_error:
        problems.append(InputProblem(DEAL_SIZE, deal_error))
    elif deal_value is None:
        problems.append(InputProblem(DEAL_SIZE, "Enter the average deal size, or derive it "
                                                "from actuals."))
    if goal_value is None or deal_value is None:
        why = goal_error or deal_error or ("No revenue goal yet." if goal_value is None
                                           else "No average deal size yet.")
        return None, "—", why
    exact = goal_value / deal_value
    return exact, f"{format_number(goal_value)} ÷ {format_number(deal_value)}", None


def _rounded(exact: float, formula: str) -> tuple[int | None, str, str | None]:
    if exact > LARGEST:
        return None, "—", "More than a quadrillion: check the inputs."
    volume = ceil_whole(exact)
    if volume == exact or abs(volume - exact) < 1e-6:
        return volume, f"{formula} = {volume:,}", None
    return volume, f"{formula} = {exact:,.2f} → {volume:,} (rounded up)", None


def plan_funnel(
    stages: Sequence[Stage], revenue_goal: RawValue, avg_deal_size: RawValue,
    conversions: Mapping[StageId, RawValue], *, months: Sequence[str] = (),
    source_mix: Mapping[str, float] | None = None,
) -> FunnelPlan:
    """Work the funnel backwards from the goal; never raises on bad input.

    `conversions[stage.id]` is the rate from that stage to the next; the last stage is
    customers. Stages above a missing or bad input get no volume and the reason.
    """
    problems: list[InputProblem] = []
    if len(stages) < 2:
        problems.append(InputProblem("stages", "The funnel needs at least two stages (for "
                                               "example MQL and Customer) to plan."))
        blocked = tuple(StageVolume(s.id, s.name, None, None, None, "—", problems[0].message)
                        for s in stages)
        return FunnelPlan(blocked, tuple(months), tuple(problems))
    exact, formula, reason = _customers(revenue_goal, avg_deal_size, problems)
    volume, arithmetic, reason = _rounded(exact, formula) if exact is not None else (
        None, "—", reason)
    rows = [StageVolume(stages[-1].id, stages[-1].name, volume, None, None, arithmetic, reason)]
    for upper, lower in zip(reversed(stages[:-1]), reversed(stages[1:]), strict=True):
        field = conversion_field(upper.id)
        step = _step_name(upper, lower)
        rate, error = _checked(check_conversion, conversions.get(upper.id), field, step)
        if error:
            problems.append(InputProblem(field, error))
        elif rate is None:
            error = f"No conversion rate {step} yet."
            problems.append(InputProblem(field, error))
        if rate is None:
            volume, arithmetic, reason = None, "—", error or reason
        elif volume is not None:
            volume, arithmetic, reason = _rounded(
                volume / rate, f"{volume:,} ÷ {format_percent(rate)}")
        rows.append(StageVolume(upper.id, upper.name, volume, None, rate, arithmetic, reason))
    rows = [_with_month(row, len(months)) for row in reversed(rows)]
    split = _source_split(rows, source_mix or {}, problems)
    return FunnelPlan(tuple(rows), tuple(months), tuple(problems), split)


def _with_month(row: StageVolume, months: int) -> StageVolume:
    if row.volume is None or not months:
        return row
    return StageVolume(row.stage_id, row.name, row.volume, ceil_whole(row.volume / months),
                       row.conversion, row.arithmetic, row.reason)


def _source_split(rows: Sequence[StageVolume], mix: Mapping[str, float],
                  problems: list[InputProblem]) -> tuple[SourceSplit, ...]:
    if not mix:
        return ()
    total = sum(mix.values())
    if abs(total - 1) > 0.0005:
        problems.append(InputProblem(
            SOURCE_MIX, f"The source mix adds up to {format_percent(total)}, not 100 %; "
                        "the split by source is shown once it does."))
        return ()
    return tuple(
        SourceSplit(source, share, tuple(None if r.volume is None else ceil_whole(r.volume * share)
                                         for r in rows))
        for source, share in mix.items()
    )


def quarter_months(quarter: Quarter) -> tuple[str, ...]:
    """The quarter's months as labels: ("Jul 2026", "Aug 2026", "Sep 2026")."""
    start = date.fromisoformat(quarter.start_date)
    labels = []
    for offset in range(3):
        month0 = start.month - 1 + offset
        labels.append(f"{_MONTHS[month0 % 12]} {start.year + month0 // 12}")
    return tuple(labels)


def day_text(day: date) -> str:
    """A day as the screens write it: 30 Sep 2026."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def past_quarter_warning(quarter: Quarter, today: date) -> InputProblem | None:
    """A warning when the quarter is already over: its goal is hindsight, not a plan."""
    end = date.fromisoformat(quarter.end_date)  # exclusive: the day after the last
    if end > today:
        return None
    last = date.fromordinal(end.toordinal() - 1)
    return InputProblem(GOAL, f"{quarter.label} ended on {day_text(last)}: a goal set now is "
                              "hindsight, not a plan.",
                        warning=True)


def funnel_for_plan(
    workbook: Workbook, plan_id: PlanId, *, overrides: Mapping[str, RawValue] | None = None,
    today: date | None = None,
) -> FunnelPlan:
    """The reverse funnel of a stored plan, with `overrides` for values being typed.

    Override keys are "revenue_goal", "avg_deal_size" and "conversion:<stage id>".
    """
    overrides = overrides or {}
    plan = workbook.plan.plan(plan_id)
    quarter = workbook.plan.quarter(plan.quarter_id)
    stages = workbook.funnel.stages()
    conversions: dict[StageId, RawValue] = dict(workbook.plan.conversions(plan_id))
    for stage in stages:
        if conversion_field(stage.id) in overrides:
            conversions[stage.id] = overrides[conversion_field(stage.id)]
    result = plan_funnel(
        stages, overrides.get(GOAL, plan.revenue_goal),
        overrides.get(DEAL_SIZE, plan.avg_deal_size), conversions,
        months=quarter_months(quarter), source_mix=workbook.plan.source_mix(plan_id),
    )
    warning = past_quarter_warning(quarter, today or date.today())
    if warning is None:
        return result
    return FunnelPlan(result.stages, result.months, (*result.problems, warning),
                      result.source_split)


def committed_mql_commitment(
    workbook: Workbook, quarter_id: QuarterId, *, per_month: bool = False
) -> int | None:
    """The MQLs marketing commits to deliver in a quarter (or per month): the committed
    plan's MQL volume. None without a committed plan, an MQL stage or complete inputs."""
    plan = workbook.plan.committed_plan(quarter_id)
    stage = mql_stage(workbook.funnel.stages())
    if plan is None or stage is None:
        return None
    row = next(r for r in funnel_for_plan(workbook, plan.id).stages if r.stage_id == stage.id)
    return row.per_month if per_month else row.volume


@dataclass(frozen=True)
class CommitmentMove:
    """What a change to a committed plan does to the MQLs the SLA commits marketing to."""

    quarter: str
    plan: str
    before: tuple[int | None, int | None]  # per quarter, per month
    after: tuple[int | None, int | None]

    def sentence(self) -> str:
        def said(figures: tuple[int | None, int | None]) -> str:
            quarterly, monthly = figures
            if quarterly is None or monthly is None:
                return "no figure (the plan would be incomplete)"
            return f"{quarterly:,} MQLs ({monthly:,} a month)"

        return (f"“{self.plan}” is the committed plan for {self.quarter}: the SLA commits "
                f"marketing to {said(self.before)}. With this change it would commit them "
                f"to {said(self.after)}. Draft agreements covering {self.quarter} state the "
                "new figure; signed ones keep theirs.")


def commitment_move(workbook: Workbook, plan_id: PlanId,
                    overrides: Mapping[str, RawValue]) -> CommitmentMove | None:
    """What changing `plan_id`'s inputs to `overrides` (as `funnel_for_plan` takes them)
    would do to the SLA's MQL commitment; None when the plan is not the committed one or
    the commitment stays the same."""
    plan = workbook.plan.plan(plan_id)
    stage = mql_stage(workbook.funnel.stages())
    if not plan.committed or stage is None:
        return None

    def figures(changed: Mapping[str, RawValue]) -> tuple[int | None, int | None]:
        funnel = funnel_for_plan(workbook, plan_id, overrides=changed)
        row = next(r for r in funnel.stages if r.stage_id == stage.id)
        return row.volume, row.per_month

    before, after = figures({}), figures(overrides)
    if before == after:
        return None
    quarter = workbook.plan.quarter(plan.quarter_id)
    return CommitmentMove(quarter.label, plan.name, before, after)
