"""Marketing's quick method for a year's plan, in five steps, beside the stage-by-stage
reverse funnel of its quarters:

1. the revenue goal;
2. average deal size = last year's revenue ÷ last year's customers;
3. customers needed = goal ÷ deal size;
4. lead-to-customer rate = last year's customers ÷ last year's leads;
5. leads needed = customers ÷ that rate.

Worked out exactly and rounded up once, at the end (a customer or a lead is whole): the
stage-by-stage funnel rounds up at every stage, so its total can be a few leads higher.
The year's figures are split into quarters by the shares the teams set; the quarters'
whole numbers add up to the year's (largest remainders get the spare units).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..figure_text import format_money, format_percent
from ..model import YearlyGoal

ROUNDING_NOTE = ("Worked out exactly and rounded up once, at the end: a customer or a lead "
                 "is whole. The stage-by-stage plan rounds up at every stage, so its total can "
                 "be a few leads higher. The quarters' whole numbers add up to the year's.")


@dataclass(frozen=True)
class QuickStep:
    """One step of the method: its value (None when it cannot be worked out) and how."""

    label: str
    value: float | None
    shown: str  # the value as printed, or "—"
    how: str  # the arithmetic, or why it cannot be worked out


@dataclass(frozen=True)
class QuarterSplit:
    """A quarter's part of the year."""

    label: str
    share: float
    revenue_goal: float | None
    customers: int | None
    leads: int | None


@dataclass(frozen=True)
class QuickPlan:
    steps: tuple[QuickStep, ...]
    quarters: tuple[QuarterSplit, ...]
    currency: str

    @property
    def leads(self) -> int | None:
        return _whole(self.steps[-1].value)

    @property
    def customers(self) -> int | None:
        return _whole(self.steps[2].value)


def quick_plan(goal: YearlyGoal, currency: str) -> QuickPlan:
    """The five steps for `goal`'s year and its split into quarters."""
    def money(value: float) -> str:
        return format_money(value, currency)

    revenue, ly_revenue = goal.revenue_goal, goal.last_year_revenue
    ly_customers, ly_leads = goal.last_year_customers, goal.last_year_leads
    steps = [QuickStep("Revenue goal", revenue, "—" if revenue is None else money(revenue),
                       f"the goal for {goal.year}" if revenue is not None
                       else "— enter the year's revenue goal")]
    deal = ly_revenue / ly_customers if ly_revenue and ly_customers else None
    steps.append(QuickStep(
        "Average deal size", deal, "—" if deal is None else money(deal),
        f"{money(ly_revenue)} ÷ {ly_customers:,} customers last year"
        if ly_revenue and ly_customers else "— enter last year's revenue and customers"))
    customers = revenue / deal if revenue is not None and deal else None
    steps.append(QuickStep(
        "Customers needed", customers, _rounded_up(customers),
        f"{money(revenue)} ÷ {money(deal)} = {_exact(customers)}"
        if revenue is not None and deal else "— needs the goal and the deal size"))
    rate = ly_customers / ly_leads if ly_customers and ly_leads else None
    steps.append(QuickStep(
        "Lead-to-customer rate", rate, format_percent(rate),
        f"{ly_customers:,} customers ÷ {ly_leads:,} leads last year"
        if ly_customers and ly_leads else "— enter last year's customers and leads"))
    leads = customers / rate if customers is not None and rate else None
    steps.append(QuickStep(
        "Leads needed", leads, _rounded_up(leads),
        f"{_decimals(customers)} customers × {ly_leads:,} leads ÷ {ly_customers:,} "
        f"customers = {_exact(leads)}"
        if customers is not None and ly_customers and ly_leads
        else "— needs the customers and the rate"))
    return QuickPlan(tuple(steps), _split(goal, revenue, _whole(customers), _whole(leads)),
                     currency)


def _split(goal: YearlyGoal, revenue: float | None, customers: int | None,
           leads: int | None) -> tuple[QuarterSplit, ...]:
    shares = goal.shares
    split_customers = largest_remainders(customers, shares)
    split_leads = largest_remainders(leads, shares)
    return tuple(
        QuarterSplit(f"{goal.year}Q{index + 1}", share,
                     None if revenue is None else revenue * share,
                     split_customers[index], split_leads[index])
        for index, share in enumerate(shares))


def largest_remainders(total: int | None, shares: tuple[float, ...]) -> list[int | None]:
    """`total` split by `shares` into whole numbers that add up to it: each gets its
    share rounded down, and the units left over go to the largest remainders."""
    if total is None:
        return [None] * len(shares)
    exact = [total * share for share in shares]
    parts = [math.floor(value + 1e-9) for value in exact]
    order = sorted(range(len(shares)), key=lambda i: (parts[i] - exact[i], i))
    for index in order[:total - sum(parts)]:
        parts[index] += 1
    return list(parts)


def _whole(value: float | None) -> int | None:
    return None if value is None else math.ceil(round(value, 6))


def _rounded_up(value: float | None) -> str:
    whole = _whole(value)
    return "—" if whole is None else f"{whole:,}"


def _exact(value: float | None) -> str:
    """"8,349.6 → 8,350 (rounded up)", or just "8,350" when it is whole already."""
    whole = _whole(value)
    if value is None or whole is None:
        return "—"
    if whole == round(value, 6):
        return f"{whole:,}"
    return f"{_decimals(value)} → {whole:,} (rounded up)"


def _decimals(value: float) -> str:
    """A figure worked out exactly, to two decimals: 8,349.6, 199.5, 240."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")
