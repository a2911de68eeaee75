"""The SLA's lead commitment: the committed plan of every quarter its effective period
covers, or which plan is missing.

Each quarter's MQL figure is the plan's own (`plan.committed_mql_commitment`, the number
the plan screen shows); nothing is worked out again here and nothing falls back to
another quarter, another plan or the funnel's target rates. Where a quarter has no
figure, the SLA says which plan is missing and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .plan import committed_mql_commitment, funnel_for_plan, mql_stage, quarter_dates
from .planning.forward import next_quarter_label

if TYPE_CHECKING:
    from .model import Plan, Quarter
    from .workbook import Workbook

NO_PERIOD = ("The effective period is not set: the lead commitment comes from the committed "
             "plans of the quarters the agreement covers.")
NO_MQL_STAGE = ("The funnel has no MQL stage (a stage with the key “mql” or named "
                "“Marketing qualified lead”), so no plan states an MQL figure.")


@dataclass(frozen=True)
class Commitment:
    """How many MQLs marketing owes sales, from one quarter's committed plan."""

    quarter: str
    plan: str
    per_quarter: int
    per_month: int
    revenue_goal: float | None = None
    avg_deal_size: float | None = None
    volumes: tuple[tuple[str, int], ...] = ()  # the stages' required volumes, top first
    conversions: tuple[tuple[str, float], ...] = ()  # each stage's rate to the next
    monthly: tuple[tuple[str, int], ...] = ()  # the stages' volumes per month, top first


@dataclass(frozen=True)
class LeadCommitment:
    """What the agreement's period commits marketing to, quarter by quarter.

    `quarters` are the labels the period covers, `commitments` the figures of those that
    have one, and `gaps` (quarter label, sentence) for each quarter without one (label ""
    when the period itself is missing).
    """

    quarters: tuple[str, ...]
    commitments: tuple[Commitment, ...]
    gaps: tuple[tuple[str, str], ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the commitment is incomplete, one sentence per gap."""
        return tuple(sentence for _, sentence in self.gaps)

    @property
    def complete(self) -> bool:
        """True when every covered quarter has a figure."""
        return bool(self.commitments) and not self.gaps


def quarter_label(day: date, fiscal_start_month: int = 1) -> str:
    """The fiscal quarter holding `day`, e.g. 2026-11-05 → "2026Q4" (a fiscal year is
    named after the calendar year it starts in, as in `plan.quarter_dates`)."""
    months = day.year * 12 + day.month - 1 - (fiscal_start_month - 1)
    year, index = divmod(months, 12)
    return f"{year}Q{index // 3 + 1}"


def covered_quarters(
    effective_from: str, effective_to: str | None, fiscal_start_month: int,
    planned: Iterable[str] = (),
) -> list[str]:
    """The quarters an agreement from `effective_from` to `effective_to` (its last day)
    covers. An open-ended one covers its first quarter and runs on to the last of the
    `planned` quarters (those with a committed plan), so a missing one between shows."""
    first = quarter_label(date.fromisoformat(effective_from), fiscal_start_month)
    if effective_to:
        last_day = date.fromisoformat(effective_to)
    else:
        later = [quarter_dates(q, fiscal_start_month)[0] for q in planned]
        last_day = date.fromisoformat(max([quarter_dates(first, fiscal_start_month)[0],
                                           *later]))
    labels, label = [], first
    while date.fromisoformat(quarter_dates(label, fiscal_start_month)[0]) <= last_day:
        labels.append(label)
        label = next_quarter_label(label)
    return labels


def lead_commitment(workbook: Workbook, effective_from: str | None,
                    effective_to: str | None) -> LeadCommitment:
    """The committed plans' MQL figures for every quarter of the period, or why not."""
    if not effective_from:
        return LeadCommitment((), (), (("", NO_PERIOD),))
    by_label = {q.label: q for q in workbook.plan.quarters()}
    committed = {p.quarter_id: p for p in workbook.plan.plans() if p.committed}
    planned = [q.label for q in by_label.values() if q.id in committed
               and q.start_date >= effective_from]
    labels = covered_quarters(effective_from, effective_to,
                              workbook.properties().fiscal_year_start_month, planned)
    has_mql = mql_stage(workbook.funnel.stages()) is not None
    commitments: list[Commitment] = []
    gaps: list[tuple[str, str]] = []
    for label in labels:
        quarter = by_label.get(label)
        plan = committed.get(quarter.id) if quarter is not None else None
        if quarter is None or plan is None:
            gaps.append((label, f"No committed plan for {label}."))
        elif not has_mql:
            gaps.append((label, f"{label} ({plan.name}): {NO_MQL_STAGE}"))
        else:
            figure = _quarter_commitment(workbook, quarter, plan)
            if isinstance(figure, str):
                gaps.append((label, f"{label} ({plan.name}): {figure}"))
            else:
                commitments.append(figure)
    return LeadCommitment(tuple(labels), tuple(commitments), tuple(gaps))


def _quarter_commitment(workbook: Workbook, quarter: Quarter, plan: Plan) -> Commitment | str:
    """One quarter's commitment from its committed plan, or the plan's reason for none."""
    per_quarter = committed_mql_commitment(workbook, quarter.id)
    per_month = committed_mql_commitment(workbook, quarter.id, per_month=True)
    funnel = funnel_for_plan(workbook, plan.id)
    if per_quarter is None or per_month is None:
        stage = mql_stage(workbook.funnel.stages())
        row = next((r for r in funnel.stages if stage and r.stage_id == stage.id), None)
        return (row.reason if row is not None and row.reason else
                "The plan states no MQL figure.")
    return Commitment(
        quarter.label, plan.name, per_quarter, per_month, plan.revenue_goal,
        plan.avg_deal_size,
        volumes=tuple((r.name, r.volume) for r in funnel.stages if r.volume is not None),
        conversions=tuple((r.name, r.conversion) for r in funnel.stages
                          if r.conversion is not None),
        monthly=tuple((r.name, r.per_month) for r in funnel.stages if r.per_month is not None))
