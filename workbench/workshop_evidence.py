"""What the workbook's data says beside the numbers people believe: for a numeric question
with `evidence`, the real figure of a quarter, from the one function that defines it —
or None with the reason ("—" on screen), never an invented figure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .figure_text import format_duration
from .model import Team
from .workshop_gaps import AreaScore, QuestionGap, area_scores, question_gaps
from .workshop_questions import number_text

if TYPE_CHECKING:
    from .model import Quarter
    from .workbook import Workbook


@dataclass(frozen=True)
class Evidence:
    """A figure in the question's unit (hours, %, MQLs a month), or None with `reason`;
    `source` says where it comes from."""

    value: float | None
    text: str
    source: str
    reason: str | None = None


def _none(reason: str) -> Evidence:
    return Evidence(None, "—", "", reason)


def evidence(workbook: Workbook, key: str, quarter: Quarter | None) -> Evidence | None:
    """The figure `key` names for `quarter`; None for a key that names no figure."""
    if key not in _FIGURES:
        return None
    if quarter is None:
        return _none("the workbook has no quarters yet")
    return _FIGURES[key](workbook, quarter)


def _follow_up_hours(workbook: Workbook, quarter: Quarter) -> Evidence:
    from .closed_loop import follow_up

    loop = follow_up(workbook, quarter.id, 0.0)
    if loop.median_hours is None:
        return _none(f"no MQL of {quarter.label} in the imported leads was followed up")
    return Evidence(loop.median_hours, format_duration(loop.median_hours),
                    f"median MQL → first touch of the {loop.touched:,} MQLs followed up in "
                    f"{quarter.label} (imported leads)")


def _followed_up_share(workbook: Workbook, quarter: Quarter) -> Evidence:
    from .closed_loop import follow_up

    loop = follow_up(workbook, quarter.id, 0.0)
    if not loop.mqls:
        return _none(f"the imported leads hold no MQL of {quarter.label}")
    share = 100 * loop.touched / loop.mqls
    return Evidence(share, f"{share:.0f} %", f"{loop.touched:,} of {loop.mqls:,} MQLs of "
                    f"{quarter.label} followed up (imported leads)")


def _marketing_share(workbook: Workbook, quarter: Quarter) -> Evidence:
    from .closed_loop import sourced_shares

    share = sourced_shares(workbook, quarter.id).pipeline_marketing
    if share.value is None:
        return _none(share.reason or "not known")
    value = 100 * share.value
    return Evidence(value, f"{value:.0f} %",
                    f"marketing-sourced share of the weighted pipeline, {quarter.label}")


def _mqls_per_month(workbook: Workbook, quarter: Quarter) -> Evidence:
    from .planning.reverse import committed_mql_commitment

    if workbook.plan.committed_plan(quarter.id) is None:
        return _none(f"no plan is committed for {quarter.label}")
    monthly = committed_mql_commitment(workbook, quarter.id, per_month=True)
    if monthly is None:
        return _none(f"the committed plan for {quarter.label} cannot work out its MQLs "
                     "(an input is missing, or the funnel has no MQL stage)")
    return Evidence(float(monthly), f"{number_text(monthly)} MQLs a month",
                    f"MQLs a month the committed plan for {quarter.label} needs")


_FIGURES = {"follow_up_hours": _follow_up_hours, "followed_up_share": _followed_up_share,
            "marketing_share": _marketing_share, "mqls_per_month": _mqls_per_month}
EVIDENCE_KEYS = tuple(_FIGURES)


@dataclass(frozen=True)
class WorkshopResults:
    """Everything the gap view, presentation mode and the workshop report show."""

    gaps: list[QuestionGap]
    areas: list[AreaScore]
    evidence: dict[str, Evidence]  # by question key, for numeric questions with evidence
    quarter: str  # the quarter the evidence is of ("" none)
    marketing: int  # participants per side
    sales: int


def workshop_results(workbook: Workbook, quarter: Quarter | None) -> WorkshopResults:
    """The gaps largest first, the radar's areas, and the evidence of `quarter`."""
    questions = workbook.workshop.questions()
    gaps = question_gaps(questions, workbook.workshop.answers())
    found = {q.key: evidence(workbook, q.evidence, quarter) for q in questions if q.evidence}
    sides = [p.team for p in workbook.workshop.participants()]
    return WorkshopResults(gaps, area_scores(questions, gaps),
                           {k: e for k, e in found.items() if e is not None},
                           quarter.label if quarter else "", sides.count(Team.MARKETING),
                           sides.count(Team.SALES))
