"""Facts the SLA takes from the live workbook: the lead commitment from the committed plan,
the MQL stage and hand-off from the funnel, and each essential term's fact lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .errors import ValidationError
from .model import Owner, Quarter, SlaVersion, Stage
from .plan import reverse_funnel

if TYPE_CHECKING:
    from .workbook import Workbook

DISTRIBUTION_METHODS = {
    "round_robin": "Round-robin",
    "territory": "Territory",
    "named_accounts": "Named accounts",
    "other": "The rule below",
}
# Structured values of the essential terms, with their defaults.
PARAMETER_DEFAULTS: dict[str, str] = {
    "follow_up_attempts": "6",
    "follow_up_days": "10",
    "distribution_method": "round_robin",
    "closed_loop_system": "the CRM",
    "closed_loop_metrics": "MQLs delivered, MQL-to-SAL rate, marketing-sourced pipeline "
                           "and won revenue, per source and campaign",
    "escalation": "Issues the teams cannot resolve go to the heads of marketing and sales "
                  "within one week.",
    "plan_quarter": "",
}
OWNER_NAMES = {"marketing": "Marketing", "sales": "Sales", "shared": "Shared", None: "No owner"}


def hours_text(hours: float | None) -> str:
    """24 → "24 h", 336 → "336 h (14 days)"."""
    if hours is None:
        return "—"
    if hours >= 48 and hours % 24 == 0:
        return f"{hours:g} h ({hours / 24:g} days)"
    return f"{hours:g} h"


@dataclass(frozen=True)
class Commitment:
    """How many MQLs marketing owes sales, from one quarter's committed plan."""

    quarter: str
    plan: str
    per_quarter: int
    per_month: int
    revenue_goal: float | None = None
    avg_deal_size: float | None = None
    volumes: tuple[tuple[str, int], ...] = ()  # every stage's required volume, top first
    conversions: tuple[tuple[str, float], ...] = ()  # each stage's rate to the next


def mql_stage(stages: list[Stage]) -> Stage | None:
    """The stage whose leads are marketing qualified: key "mql", else the last stage
    marketing owns before a sales-owned one."""
    for stage in stages:
        if stage.key == "mql":
            return stage
    for stage in stages:
        if "marketing qualified" in stage.name.lower() or stage.name.strip().upper() == "MQL":
            return stage
    for upper, lower in zip(stages, stages[1:], strict=False):
        if upper.owner is Owner.MARKETING and lower.owner is Owner.SALES:
            return upper
    return None


def handoff(stages: list[Stage]) -> str:
    """Where leads pass from marketing to sales, in words."""
    for upper, lower in zip(stages, stages[1:], strict=False):
        if upper.owner is Owner.MARKETING and lower.owner in (Owner.SALES, Owner.SHARED):
            return f"from marketing to sales when a {upper.name} becomes a {lower.name}"
    return "between the teams as each stage's owner shows"


def commitment(workbook: Workbook, quarter_label: str | None = None) -> Commitment | None:
    """The MQL commitment of the committed plan for `quarter_label` (default: the latest
    quarter that has a committed plan); None when no number can be worked out."""
    quarters = workbook.plan.quarters()
    committed = {p.quarter_id: p for p in workbook.plan.plans() if p.committed}
    candidates = [q for q in quarters if q.id in committed]
    if quarter_label:
        candidates = [q for q in candidates if q.label == quarter_label]
    if not candidates:
        return None
    quarter = candidates[-1]
    plan = committed[quarter.id]
    stages = workbook.funnel.stages()
    mql = mql_stage(stages)
    if mql is None or not plan.revenue_goal or not plan.avg_deal_size:
        return None
    rates = workbook.plan.conversions(plan.id)
    conversions = [rates.get(s.id, s.target_conversion) for s in stages[:-1]]
    if any(rate is None or not 0 < rate <= 1 for rate in conversions):
        return None
    volumes = reverse_funnel(plan.revenue_goal, plan.avg_deal_size,
                             [float(r) for r in conversions if r is not None])
    per_quarter = volumes[stages.index(mql)]
    per_month = -(-per_quarter // 3)
    per_quarter, per_month = _from_plan_module(workbook, quarter) or (per_quarter, per_month)
    return Commitment(quarter.label, plan.name, per_quarter, per_month,
                      plan.revenue_goal, plan.avg_deal_size,
                      tuple((s.name, v) for s, v in zip(stages, volumes, strict=True)),
                      tuple((s.name, float(r)) for s, r in zip(stages, conversions, strict=False)
                            if r is not None))


def _from_plan_module(workbook: Workbook, quarter: Quarter) -> tuple[int, int] | None:
    """MQLs per quarter and per month from the plan's own `committed_mql_commitment`,
    when the plan module offers it (else None: our own reverse funnel decides)."""
    from . import plan

    provider: Any = getattr(plan, "committed_mql_commitment", None)
    if provider is None:
        return None
    try:
        quarterly, monthly = provider(workbook, quarter.id), provider(
            workbook, quarter.id, per_month=True)
    except Exception:  # noqa: BLE001 - a plan-side gap falls back to our own reverse funnel
        return None
    if isinstance(quarterly, int | float) and isinstance(monthly, int | float):
        return int(quarterly), int(monthly)
    return None


def essential_facts(
    workbook: Workbook, stages: list[Stage], promise: Commitment | None,
    parameters: dict[str, str], review_cadence: str,
) -> dict[str, tuple[tuple[str, str], ...]]:
    """The fact lines printed under each essential term, by term key."""
    mql = mql_stage(stages)
    settings = workbook.scoring.settings()
    facts: dict[str, tuple[tuple[str, str], ...]] = {}
    if promise is not None:
        facts["leads_committed"] = (
            ("Committed plan", f"{promise.plan}, {promise.quarter}"),
            ("MQLs per quarter", f"{promise.per_quarter:,}"),
            ("MQLs per month", f"{promise.per_month:,}"),
        )
    if mql is not None:
        facts["sales_ready"] = (
            ("MQL stage", mql.name), ("Definition", mql.definition or "—"),
            ("Entry criteria", mql.entry_criteria or "—"),
            ("Score", f"at least {settings.mql_threshold} points"),
        )
    method = parameters.get("distribution_method", "round_robin")
    facts["distribution"] = (("Method", DISTRIBUTION_METHODS.get(method, method)),)
    facts["disposition"] = tuple(
        (f"{label} ({code})", meaning or "—")
        for code, label, meaning in workbook.db.conn.execute(
            "SELECT code, label, meaning FROM disposition_codes ORDER BY position, code")
    )
    facts["follow_up"] = (
        ("First touch within", hours_text(mql.max_hours) if mql else "—"),
        ("Attempts", parameters.get("follow_up_attempts", "")),
        ("Over", f"{parameters.get('follow_up_days', '')} days"),
    )
    facts["ownership"] = (
        *((s.name, OWNER_NAMES[s.owner.value if s.owner else None]
           + (f", at most {hours_text(s.max_hours)}" if s.max_hours is not None else ""))
          for s in stages),
        ("Hand-off", handoff(stages)),
    )
    facts["closed_loop"] = (("System", parameters.get("closed_loop_system", "")),
                            ("Metrics", parameters.get("closed_loop_metrics", "")))
    facts["cadence"] = (("Review", review_cadence),
                        ("Escalation", parameters.get("escalation", "")))
    return facts


def validate_details(fields: dict[str, Any], version: SlaVersion) -> dict[str, Any]:
    """Check a version's title, effective dates and review cadence as entered."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("effective_from", "effective_to"):
            if value in (None, ""):
                values[name] = None
                continue
            try:
                values[name] = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise ValidationError(name, f"“{value}” is not a date like 2026-10-01.") from None
        elif name in ("title", "review_cadence"):
            if not str(value).strip():
                raise ValidationError(name, f"The {name.replace('_', ' ')} cannot be empty.")
            values[name] = str(value).strip()
        else:
            raise ValidationError(name, f"{name} is not an SLA version field.")
    start = values.get("effective_from", version.effective_from)
    end = values.get("effective_to", version.effective_to)
    if start and end and end <= start:
        raise ValidationError("effective_to", "The agreement must end after it starts.")
    return values


def validate_parameter(name: str, value: object) -> str:
    """Check one structured term value (attempts, days, distribution method, texts)."""
    if name not in PARAMETER_DEFAULTS:
        raise ValidationError(name, f"{name} is not an SLA term setting.")
    text = str(value if value is not None else "").strip()
    if name in ("follow_up_attempts", "follow_up_days"):
        limit = 100 if name == "follow_up_attempts" else 365
        what = "attempts" if name == "follow_up_attempts" else "days"
        if not text.isdigit() or not 1 <= int(text) <= limit:
            raise ValidationError(name, f"The number of {what} must be a whole number "
                                        f"from 1 to {limit}.")
        return str(int(text))
    if name == "distribution_method" and text not in DISTRIBUTION_METHODS:
        raise ValidationError(name, "Leads are distributed by round_robin, territory, "
                                    "named_accounts or other.")
    return text
