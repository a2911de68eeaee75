"""Plan inputs derived from actuals: average deal size = revenue ÷ customers, and each
stage's conversion = how many reached the next stage ÷ how many reached this one, summed
over a chosen range of past quarters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..figure_text import format_money, format_percent
from ..model import QuarterId, Stage, StageId

if TYPE_CHECKING:
    from ..workbook import Workbook


@dataclass(frozen=True)
class DerivedRate:
    """One stage's conversion to the next as the actuals show it, or why they cannot."""

    stage_id: StageId
    step: str  # "MQL → SAL"
    rate: float | None
    arithmetic: str  # "137 ÷ 215 = 63.7 %"
    reason: str | None


@dataclass(frozen=True)
class Derivation:
    """Deal size and conversion rates read from the actuals of some quarters."""

    quarters: tuple[str, ...]
    avg_deal_size: float | None
    deal_size_arithmetic: str
    deal_size_reason: str | None
    rates: tuple[DerivedRate, ...]

    @property
    def conversions(self) -> dict[StageId, float]:
        """The rates that could be derived, keyed by the stage they lead out of."""
        return {r.stage_id: r.rate for r in self.rates if r.rate is not None}

    @property
    def span(self) -> str:
        """The quarters as a range for messages: "2025Q2–2026Q1"."""
        if not self.quarters:
            return "no quarters"
        return self.quarters[0] if len(self.quarters) == 1 else \
            f"{self.quarters[0]}–{self.quarters[-1]}"


def derive_inputs(
    stages: Sequence[Stage], totals: Mapping[StageId, tuple[int, float | None]],
    quarters: Sequence[str], currency: str = "",
) -> Derivation:
    """Derive from per-stage totals (count, value) summed over `quarters`; pure. A value
    is None when some of the cells behind it have none."""
    span = Derivation(tuple(quarters), None, "", None, ()).span
    if not stages:
        return Derivation(tuple(quarters), None, "—", "The funnel has no stages.", ())
    count, value = totals.get(stages[-1].id, (0, 0.0))
    last = stages[-1].name
    if count == 0:
        size, arithmetic, reason = None, "—", f"No {last} in the actuals of {span}."
    elif value is None:
        size, arithmetic, reason = None, "—", (f"Some {last} cells of {span} have no value in "
                                               "the actuals, so their revenue is not known.")
    elif value <= 0:
        size, arithmetic, reason = None, "—", (f"The {count:,} {last} of {span} have no "
                                               "revenue in the actuals.")
    else:
        size = value / count
        arithmetic = f"{format_money(value, currency)} ÷ {count:,} = {format_money(size, currency)}"
        reason = None
    rates = tuple(_rate(upper, lower, totals, span) for upper, lower in zip(
        stages[:-1], stages[1:], strict=True))
    return Derivation(tuple(quarters), size, arithmetic, reason, rates)


def _rate(upper: Stage, lower: Stage, totals: Mapping[StageId, tuple[int, float | None]],
          span: str) -> DerivedRate:
    above = totals.get(upper.id, (0, 0.0))[0]
    below = totals.get(lower.id, (0, 0.0))[0]
    step = f"{upper.name} → {lower.name}"
    if above == 0:
        return DerivedRate(upper.id, step, None, "—", f"No {upper.name} in the actuals of {span}.")
    if below == 0:
        return DerivedRate(upper.id, step, None, "—",
                           f"No {lower.name} in the actuals of {span}: a 0 % rate cannot plan.")
    rate = below / above
    arithmetic = f"{below:,} ÷ {above:,} = {format_percent(rate)}"
    if rate > 1:
        return DerivedRate(upper.id, step, None, arithmetic,
                           f"More reached {lower.name} ({below:,}) than {upper.name} "
                           f"({above:,}) in {span}: not usable as a rate.")
    return DerivedRate(upper.id, step, rate, arithmetic, None)


def derive_from_actuals(workbook: Workbook, quarter_ids: Sequence[QuarterId]) -> Derivation:
    """Derive deal size and conversions from the actuals of the given quarters."""
    quarters = [q for q in workbook.plan.quarters() if q.id in set(quarter_ids)]
    ids = [q.id for q in quarters]
    marks = ", ".join("?" for _ in ids) or "NULL"
    totals = {
        StageId(r[0]): (int(r[1]), None if r[2] is None else float(r[2]))
        for r in workbook.db.conn.execute(
            f"SELECT stage_id, sum(count), CASE WHEN count(value) = count(*) THEN sum(value) END "
            f"FROM actuals WHERE quarter_id IN ({marks}) GROUP BY stage_id", ids)
    }
    return derive_inputs(workbook.funnel.stages(), totals, [q.label for q in quarters],
                         workbook.properties().currency)
