"""Scenarios side by side: each plan's inputs and the volumes they require, with every
value that differs from the baseline (the committed plan, else the first) marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..figure_text import format_count, format_money, format_percent
from ..model import Plan, PlanId
from .reverse import FunnelPlan, funnel_for_plan

if TYPE_CHECKING:
    from ..workbook import Workbook


@dataclass(frozen=True)
class ComparisonRow:
    """One input or one stage's volume across the scenarios."""

    label: str
    kind: str  # "input" or "volume"
    values: tuple[float | None, ...]
    texts: tuple[str, ...]
    differs: tuple[bool, ...]  # from the baseline's value
    deltas: tuple[str, ...]  # "+571", "+10 pts", or "" where nothing differs


@dataclass(frozen=True)
class ScenarioComparison:
    """Plans as columns, inputs then stage volumes as rows."""

    plans: tuple[Plan, ...]
    baseline: int  # column index of the plan the others are compared with
    rows: tuple[ComparisonRow, ...]

    def row(self, label: str) -> ComparisonRow:
        return next(r for r in self.rows if r.label == label)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _delta(kind: str, value: float | None, base: float | None) -> str:
    if value is None or base is None or _same(value, base):
        return ""
    diff = value - base
    if kind == "rate":
        return f"{diff * 100:+.4g} pts"
    return f"{diff:+,.0f}"


def _row(label: str, kind: str, values: list[float | None], texts: list[str],
         baseline: int, delta_kind: str) -> ComparisonRow:
    base = values[baseline]
    return ComparisonRow(
        label, kind, tuple(values), tuple(texts),
        tuple(not _same(v, base) for v in values),
        tuple(_delta(delta_kind, v, base) for v in values),
    )


def compare_scenarios(
    workbook: Workbook, plan_ids: Sequence[PlanId], *, baseline: PlanId | None = None,
    today: date | None = None,
) -> ScenarioComparison:
    """Compare plans side by side; the baseline is `baseline`, the committed plan among
    them, or the first."""
    plans = [workbook.plan.plan(pid) for pid in plan_ids]
    if not plans:
        return ScenarioComparison((), 0, ())
    ids = [p.id for p in plans]
    if baseline not in ids:
        baseline = next((p.id for p in plans if p.committed), plans[0].id)
    base = ids.index(baseline)
    funnels: list[FunnelPlan] = [funnel_for_plan(workbook, p.id, today=today) for p in plans]
    currency = workbook.properties().currency
    rows = [
        _row("Revenue goal", "input", [p.revenue_goal for p in plans],
             [format_money(p.revenue_goal, currency) for p in plans], base, "amount"),
        _row("Average deal size", "input", [p.avg_deal_size for p in plans],
             [format_money(p.avg_deal_size, currency) for p in plans], base, "amount"),
    ]
    stages = workbook.funnel.stages()
    for upper, lower in zip(stages[:-1], stages[1:], strict=True):
        rates = [workbook.plan.conversions(p.id).get(upper.id) for p in plans]
        rows.append(_row(f"{upper.name} → {lower.name}", "input", list(rates),
                         [format_percent(r) for r in rates], base, "rate"))
    for index, stage in enumerate(stages):
        volumes: list[float | None] = [f.stages[index].volume for f in funnels]
        rows.append(_row(stage.name, "volume", volumes,
                         [format_count(None if v is None else int(v)) for v in volumes],
                         base, "count"))
    return ScenarioComparison(tuple(plans), base, tuple(rows))
