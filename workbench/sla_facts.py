"""Facts the SLA takes from the live workbook: the lead commitment from the committed plans
(see `sla_commitment`), the MQL stage and hand-off from the funnel, and each essential
term's fact lines."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .errors import ValidationError
from .figure_text import format_duration
from .funnel import mql_stage as mql_stage  # the SLA's MQL stage is the funnel's
from .model import Owner, SlaVersion, Stage
from .sla_commitment import Commitment as Commitment
from .sla_commitment import LeadCommitment

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
}
OWNER_NAMES = {"marketing": "Marketing", "sales": "Sales", "shared": "Shared", None: "No owner"}


def handoff(stages: list[Stage]) -> str:
    """Where leads pass from marketing to sales, in words."""
    for upper, lower in zip(stages, stages[1:], strict=False):
        if upper.owner is Owner.MARKETING and lower.owner in (Owner.SALES, Owner.SHARED):
            return f"from marketing to sales when a {upper.name} becomes a {lower.name}"
    return "between the teams as each stage's owner shows"


def essential_facts(
    workbook: Workbook, stages: list[Stage], promise: LeadCommitment,
    parameters: dict[str, str], review_cadence: str,
) -> dict[str, tuple[tuple[str, str], ...]]:
    """The fact lines printed under each essential term, by term key."""
    from .sales_ready import sales_ready_facts  # it reads this module's mql_stage

    mql = mql_stage(stages)
    settings = workbook.scoring.settings()
    facts: dict[str, tuple[tuple[str, str], ...]] = {
        "leads_committed": commitment_facts(promise)}
    if mql is not None:
        facts["sales_ready"] = (
            ("MQL stage", mql.name), ("Definition", mql.definition or "—"),
            ("Entry criteria", mql.entry_criteria or "—"),
            ("Score", f"at least {settings.mql_threshold} points"),
            *sales_ready_facts(workbook),
        )
    method = parameters.get("distribution_method", "round_robin")
    facts["distribution"] = (("Method", DISTRIBUTION_METHODS.get(method, method)),)
    facts["disposition"] = tuple(
        (f"{label} ({code})", meaning or "—")
        for code, label, meaning in workbook.db.conn.execute(
            "SELECT code, label, meaning FROM disposition_codes WHERE disposed = 1 "
            "ORDER BY position, code")  # "New", "Open": no disposition, not a code to use
    )
    facts["follow_up"] = (
        ("First touch within", format_duration(mql.max_hours) if mql else "—"),
        ("Attempts", parameters.get("follow_up_attempts", "")),
        ("Over", f"{parameters.get('follow_up_days', '')} days"),
    )
    facts["ownership"] = (
        *((s.name, OWNER_NAMES[s.owner.value if s.owner else None]
           + (f", at most {format_duration(s.max_hours)}" if s.max_hours is not None else ""))
          for s in stages),
        ("Hand-off", handoff(stages)),
    )
    facts["closed_loop"] = (("System", parameters.get("closed_loop_system", "")),
                            ("Metrics", parameters.get("closed_loop_metrics", "")))
    facts["cadence"] = (("Review", review_cadence),
                        ("Escalation", parameters.get("escalation", "")))
    return facts


def commitment_facts(promise: LeadCommitment) -> tuple[tuple[str, str], ...]:
    """The lead commitment's fact lines: the plan and figures of one quarter, a line per
    quarter for a longer period, and a line for each quarter (or the period) without one."""
    if promise.complete and len(promise.commitments) == 1:
        only = promise.commitments[0]
        return (("Committed plan", f"{only.plan}, {only.quarter}"),
                ("MQLs per quarter", f"{only.per_quarter:,}"),
                ("MQLs per month", f"{only.per_month:,}"))
    lines = {c.quarter: f"{c.per_quarter:,} MQLs ({c.per_month:,} per month), {c.plan}"
             for c in promise.commitments}
    lines.update({label: f"— {sentence}" for label, sentence in promise.gaps})
    return tuple((label or "Lead commitment", lines[label])
                 for label in ("", *promise.quarters) if label in lines)


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
