"""The forward check's pieces: what was won and each pipeline stage's open leads with
their weighted value, read from lead-level data or, without leads, from the actuals.

From the leads: a stage's open leads are those sitting in it at a moment (see
`lead_pipeline`), each worth its own amount or, without one, the plan's deal size. From
the actuals: a stage's open leads are those that reached it in the quarter but not yet the
next stage, each worth the stage's average value in the actuals or the plan's deal size.
Either way a lead is weighted by its stage's probability or, where none is set, by the
plan's conversion rates multiplied down to the last stage. Only sales-owned stages count
as pipeline. Leads from a source not classified yet are split out as "unclassified" (not
counted as "other"), so marketing's share can say it is not known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..figure_text import format_money, format_percent
from ..model import Owner, Plan, Stage, StageId
from .lead_pipeline import NO_LEADS, LeadCell
from .reverse import mql_stage

SOURCED_BY = ("marketing", "sales", "partner", "other")
UNCLASSIFIED = "unclassified"  # who sourced a lead whose source is not classified yet


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
    stale: int = 0  # open leads past the stage's agreed maximum time (lead-level data only)
    value_by: tuple[tuple[str, float], ...] = ()  # (sourced_by, open value, unweighted)

    @property
    def open_value(self) -> float | None:
        """What the stage's open leads are worth before weighting (None when a lead's
        value is not known); never less than the weighted value."""
        if not self.open:
            return 0.0
        return None if self.value_each is None else self.open * self.value_each


@dataclass(frozen=True)
class Won:
    """What was won: how many deals, their value, and how that value was worked out."""

    count: int
    value: float
    arithmetic: str


def pipeline_stages(stages: Sequence[Stage]) -> list[Stage]:
    """The stages that count as pipeline: sales-owned ones before the last, else every
    stage after the MQL stage, else every stage before the last."""
    open_stages = list(stages[:-1])
    owned = [s for s in open_stages if s.owner == Owner.SALES]
    if owned:
        return owned
    mql = mql_stage(stages)
    if mql is not None and mql in open_stages:
        return open_stages[open_stages.index(mql) + 1:] or open_stages
    return open_stages


def unweighted_reason(rows: Sequence[PipelineStage]) -> str | None:
    """Why the weighted pipeline cannot be worked out — open leads in a stage that has no
    weight or no value — or None when every open lead is weighted."""
    missing = [p for p in rows if p.weighted is None and p.open]
    if not missing:
        return None
    if all(p.weight is None for p in rows):
        return ("No pipeline stage has a probability and the plan lacks the conversion rates "
                "to weight them.")
    return " ".join(p.reason or f"{p.name} cannot be weighted." for p in missing)


def weighted_by_who(rows: Sequence[PipelineStage]) -> dict[str, float]:
    """The weighted pipeline by who sourced it (with "unclassified")."""
    return _sum_by_who(row.weighted_by for row in rows)


def open_value_by_who(rows: Sequence[PipelineStage]) -> dict[str, float]:
    """The open pipeline's value before weighting, by who sourced it."""
    return _sum_by_who(row.value_by for row in rows)


def _sum_by_who(splits: Iterable[tuple[tuple[str, float], ...]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for split in splits:
        for who, value in split:
            total[who] = total.get(who, 0.0) + value
    return total


def stage_weight(stages: Sequence[Stage], index: int, conversions: Mapping[StageId, float]
                 ) -> tuple[float | None, str]:
    """A lead's chance at stage `index` of becoming a customer, and where it comes from."""
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


# -- from the actuals -----------------------------------------------------------------------
def actual_rows(stages: Sequence[Stage], cells: Mapping[StageId, StageCell],
                plan: Plan | None, conversions: Mapping[StageId, float], currency: str
                ) -> tuple[PipelineStage, ...]:
    """Each pipeline stage's open leads from one quarter's actuals."""
    chosen = {s.id for s in pipeline_stages(stages)}
    return tuple(_actual_row(stages, i, cells, plan, conversions, currency)
                 for i, s in enumerate(stages[:-1]) if s.id in chosen)


def _actual_row(stages: Sequence[Stage], index: int, cells: Mapping[StageId, StageCell],
                plan: Plan | None, conversions: Mapping[StageId, float],
                currency: str) -> PipelineStage:
    stage, below = stages[index], stages[index + 1]
    empty = StageCell(0, 0.0, {})
    cell, next_cell = cells.get(stage.id, empty), cells.get(below.id, empty)
    open_count = max(0, cell.count - next_cell.count)
    value_each = cell.value / cell.count if cell.value > 0 and cell.count else (
        plan.avg_deal_size if plan else None)
    weight, basis = stage_weight(stages, index, conversions)
    reason = None
    if value_each is None:
        reason = f"No value for {stage.name} in the actuals and no deal size in the plan."
    elif weight is None:
        reason = f"{stage.name} has no probability and the plan lacks a conversion rate."
    if reason or value_each is None or weight is None:
        return PipelineStage(stage.id, stage.name, open_count, value_each, weight, basis, None,
                             "—", reason, ())
    weighted = open_count * value_each * weight
    arithmetic = (f"({cell.count:,} reached − {next_cell.count:,} moved on) × "
                  f"{format_money(value_each, currency)} × {format_percent(weight)} = "
                  f"{format_money(weighted, currency)}")
    split = tuple((who, weighted * n / cell.count) for who, n in cell.counts_by.items()
                  if n and cell.count)
    values = tuple((who, open_count * value_each * n / cell.count)
                   for who, n in cell.counts_by.items() if n and cell.count)
    return PipelineStage(stage.id, stage.name, open_count, value_each, weight, basis, weighted,
                         arithmetic, None, split, value_by=values)


def actual_won(stages: Sequence[Stage], cells: Mapping[StageId, StageCell],
               plan: Plan | None, currency: str) -> Won:
    """The last stage's actuals: its value, or its count times the plan's deal size."""
    last = stages[-1]
    won = cells.get(last.id, StageCell(0, 0.0, {}))
    deal = plan.avg_deal_size if plan else None
    if won.value > 0:
        return Won(won.count, won.value,
                   f"{won.count:,} {last.name}: {format_money(won.value, currency)}")
    if won.count and deal:
        return Won(won.count, won.count * deal,
                   f"{won.count:,} {last.name} × {format_money(deal, currency)} deal size")
    return Won(won.count, 0.0, f"{won.count:,} {last.name}")


# -- from the leads -------------------------------------------------------------------------
def lead_rows(stages: Sequence[Stage], open_leads: Mapping[tuple[StageId, str], LeadCell],
              stale: Mapping[tuple[StageId, str], int], sourced_by: Mapping[str, str],
              plan: Plan | None, conversions: Mapping[StageId, float], currency: str
              ) -> tuple[PipelineStage, ...]:
    """Each pipeline stage's open leads at a moment, per (stage, source) as read from the
    leads, with how many of them are stale; `sourced_by` names who sourced each source
    (others count as "other")."""
    chosen = {s.id for s in pipeline_stages(stages)}
    deal = plan.avg_deal_size if plan else None
    rows = []
    for index, stage in enumerate(stages[:-1]):
        if stage.id not in chosen:
            continue
        by_who: dict[str, LeadCell] = {}
        for (stage_id, source), cell in open_leads.items():
            if stage_id == stage.id:
                who = sourced_by.get(source, UNCLASSIFIED)
                who = who if who in SOURCED_BY or who == UNCLASSIFIED else "other"
                by_who[who] = _plus(by_who.get(who, NO_LEADS), cell)
        weight, basis = stage_weight(stages, index, conversions)
        row = _lead_row(stage, by_who, deal, weight, basis, currency)
        rows.append(replace(row, stale=sum(n for (sid, _), n in stale.items()
                                           if sid == stage.id)))
    return tuple(rows)


def _plus(a: LeadCell, b: LeadCell) -> LeadCell:
    return LeadCell(a.count + b.count, a.with_amount + b.with_amount, a.amount + b.amount)


def _worth(cell: LeadCell, deal: float | None) -> float | None:
    """Open leads' value: their amounts, plus the deal size for each lead without one."""
    if cell.without_amount and deal is None:
        return None
    return cell.amount + cell.without_amount * (deal or 0.0)


def _lead_row(stage: Stage, by_who: Mapping[str, LeadCell], deal: float | None,
              weight: float | None, basis: str, currency: str) -> PipelineStage:
    total = NO_LEADS
    for cell in by_who.values():
        total = _plus(total, cell)
    value = _worth(total, deal)
    value_each = value / total.count if value is not None and total.count else deal
    reason = None
    if value is None:
        reason = (f"{total.without_amount:,} open {stage.name} leads have no amount and the "
                  "plan has no deal size.")
    elif weight is None:
        reason = f"{stage.name} has no probability and the plan lacks a conversion rate."
    if reason or value is None or weight is None:
        return PipelineStage(stage.id, stage.name, total.count, value_each, weight, basis,
                             None, "—", reason, ())
    weighted = value * weight
    values = tuple((who, _worth(by_who[who], deal) or 0.0) for who in (*SOURCED_BY, UNCLASSIFIED)
                   if who in by_who and by_who[who].count)
    return PipelineStage(stage.id, stage.name, total.count, value_each, weight, basis,
                         weighted, _lead_arithmetic(total, deal, weight, weighted, currency),
                         None, tuple((who, v * weight) for who, v in values), value_by=values)


def _lead_arithmetic(cell: LeadCell, deal: float | None, weight: float, weighted: float,
                     currency: str) -> str:
    def money(value: float | None) -> str:
        return format_money(value, currency)

    tail = f"× {format_percent(weight)} = {money(weighted)}"
    if not cell.count:
        return "no open leads"
    if not cell.without_amount:
        return f"{cell.count:,} open, their amounts {money(cell.amount)} {tail}"
    if not cell.with_amount:
        return f"{cell.count:,} open × {money(deal)} deal size {tail}"
    amounts = "1 amount" if cell.with_amount == 1 else f"{cell.with_amount:,} amounts"
    return (f"({money(cell.amount)} in {amounts} + {cell.without_amount:,} × {money(deal)} "
            f"deal size) {tail}")


def lead_won(won: Mapping[str, LeadCell], plan: Plan | None, currency: str) -> Won:
    """Deals won in a span, from the leads: their amounts, plus the plan's deal size for a
    deal without an amount (without a deal size such a deal adds nothing, and says so)."""
    total = NO_LEADS
    for cell in won.values():
        total = _plus(total, cell)
    deal = plan.avg_deal_size if plan else None
    amounts = f"{format_money(total.amount, currency)} in their amounts"
    if not total.without_amount:
        return Won(total.count, total.amount, f"{total.count:,} won: {amounts}")
    if deal is None:
        return Won(total.count, total.amount,
                   f"{total.count:,} won: {amounts}; {total.without_amount:,} without an amount "
                   "count as 0 (the plan has no deal size)")
    value = total.amount + total.without_amount * deal
    return Won(total.count, value,
               f"{total.count:,} won: {amounts} + {total.without_amount:,} × "
               f"{format_money(deal, currency)} deal size")
