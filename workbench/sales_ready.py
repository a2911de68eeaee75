"""What a sales-ready lead is, in words, from the SLA's scoring model: the MQL rule stated
from the thresholds and the quadrants the teams chose, and each quadrant's agreed action.
The funnel's MQL stage and the SLA's "sales-ready lead" term both read these (the same
data, never a copy), so both follow a threshold change at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .funnel import mql_stage
from .model import Quadrant, QuadrantRule, ScoringSettings
from .scoring import QUADRANT_NAMES

if TYPE_CHECKING:
    from .workbook import Workbook


def mql_rule_text(settings: ScoringSettings, quadrants: dict[Quadrant, QuadrantRule]) -> str:
    """"a total score of at least 60 points with a fit score of at least 20 points"."""
    total = f"a total score of at least {settings.mql_threshold} points"
    counted = {q for q, rule in quadrants.items() if rule.counts_as_mql}
    fit = f"a fit score of at least {settings.fit_threshold} points"
    interest = f"an interest score of at least {settings.interest_threshold} points"
    if counted == set(Quadrant):
        return total
    if counted == {Quadrant.SALES_NOW}:
        return f"{total} with {fit} and {interest}"
    if counted == {Quadrant.SALES_NOW, Quadrant.NURTURE}:
        return f"{total} with {fit}"
    if counted == {Quadrant.SALES_NOW, Quadrant.QUALIFY}:
        return f"{total} with {interest}"
    names = [QUADRANT_NAMES[q].lower() for q in Quadrant if q in counted]
    return f"{total}, in the quadrants {', '.join(names)}"


def follow_up_hours(workbook: Workbook) -> str:
    """The hours sales has to follow an MQL up (the MQL stage's time limit), or "—"."""
    mql = mql_stage(workbook.funnel.stages())
    return f"{mql.max_hours:g}" if mql is not None and mql.max_hours is not None else "—"


def quadrant_actions(workbook: Workbook) -> list[tuple[str, str]]:
    """(quadrant name, its agreed action with the SLA's follow-up hours filled in)."""
    hours = follow_up_hours(workbook)
    return [(QUADRANT_NAMES[q], rule.action.replace("{follow_up_hours}", hours) or "—")
            for q, rule in workbook.scoring.quadrants().items()]


def sales_ready_rule(workbook: Workbook) -> str:
    """The SLA model's MQL rule in words."""
    return mql_rule_text(workbook.scoring.settings(), workbook.scoring.quadrants())


def sales_ready_facts(workbook: Workbook) -> tuple[tuple[str, str], ...]:
    """The lines the SLA prints under "what constitutes a sales-ready lead", and the funnel
    shows on its MQL stage: the model, the rule, and the action per quadrant."""
    model = workbook.scoring.model()
    return (("Scoring model", model.name), ("MQL rule", sales_ready_rule(workbook)),
            *quadrant_actions(workbook))
