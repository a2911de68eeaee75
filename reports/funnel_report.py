"""The funnel chart PDF: one quarter (or a range of quarters) as a vector funnel with plan
and actual volume per stage, the conversion between stages, owner colours and the hand-off
marked; the numbers as a table underneath; the stage definitions on the next page.

`funnel_report` reads the numbers (the same per-quarter facts the dashboard uses) into a
plain `FunnelReport`; `build_funnel_pdf` lays that out without touching the workbook, so
it can run off the GUI thread; `export_funnel` does both and writes the file atomically.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.chartdata import BarChart, Kpi, Series, Status
from workbench.errors import ValidationError
from workbench.figure_text import format_count, format_percent
from workbench.funnel import handoff
from workbench.model import Quarter, QuarterId, Stage
from workbench.planning.quarterly import QuarterFacts, quarter_facts
from workbench.planning.reverse import mql_stage

from .funnel_figure import FunnelFigure
from .progress import Progress, report

if TYPE_CHECKING:
    from workbench.workbook import Workbook


@dataclass(frozen=True)
class FunnelReport:
    """Everything the funnel PDF shows, read from the workbook."""

    company: str
    period: str  # "2026Q3" or "2025Q2–2026Q3"
    quarters: tuple[str, ...]
    dates: str  # "2026-07-01 – 2026-09-30"
    stages: tuple[Stage, ...]
    figure: FunnelFigure
    plan_quarters: int  # how many of the quarters have a committed plan
    generated_on: str

    @property
    def has_actuals(self) -> bool:
        return any(self.figure.actual(i) for i in range(len(self.stages)))

    @property
    def has_plan(self) -> bool:
        return self.plan_quarters > 0


# -- which quarters -------------------------------------------------------------------------
def default_quarter(workbook: Workbook) -> Quarter:
    """The newest quarter with actuals, else the newest quarter."""
    quarters = workbook.plan.quarters()
    if not quarters:
        raise ValidationError("quarter", "The workbook has no quarters yet: add one on the "
                              "Plan screen.")
    with_data = [q for q in quarters if workbook.actuals.totals(q.id)]
    return (with_data or quarters)[-1]


def quarter_range(workbook: Workbook, text: str | None) -> list[Quarter]:
    """The quarters `text` names: "2026Q3", or a range "2025Q4..2026Q3"; the default
    quarter when `text` is empty. Raises `ValidationError` naming what exists."""
    quarters = workbook.plan.quarters()
    text = (text or "").strip()
    if not text:
        return [default_quarter(workbook)]
    first, _, last = text.replace("–", "..").partition("..")
    labels = [q.label for q in quarters]
    for label in (first, last or first):
        if label.strip() not in labels:
            known = f"{labels[0]} … {labels[-1]}" if len(labels) > 2 else ", ".join(labels)
            raise ValidationError("quarter", f"There is no quarter “{label.strip()}” in this "
                                  f"workbook (quarters: {known or 'none yet'}).")
    start, end = labels.index(first.strip()), labels.index((last or first).strip())
    if end < start:
        raise ValidationError("quarter", f"The range “{text}” ends before it starts.")
    return quarters[start:end + 1]


def period_label(quarters: Sequence[Quarter]) -> str:
    if not quarters:
        return ""
    return quarters[0].label if len(quarters) == 1 else \
        f"{quarters[0].label}–{quarters[-1].label}"


# -- the numbers -----------------------------------------------------------------------------
def funnel_report(workbook: Workbook, quarter_ids: Sequence[QuarterId]) -> FunnelReport:
    """The funnel report's numbers for the quarters (summed over a range)."""
    wanted = set(quarter_ids)
    quarters = [q for q in workbook.plan.quarters() if q.id in wanted]
    if not quarters:
        raise ValidationError("quarter", "Choose at least one quarter.")
    stages = workbook.funnel.stages()
    facts = quarter_facts(workbook, quarters, stages, None, None)
    figure = funnel_figure(stages, facts, period_label(quarters))
    from datetime import timedelta

    last_day = date.fromisoformat(quarters[-1].end_date) - timedelta(days=1)
    return FunnelReport(
        workbook.properties().company_name, period_label(quarters),
        tuple(q.label for q in quarters), f"{quarters[0].start_date} – {last_day.isoformat()}",
        tuple(stages), figure, sum(1 for f in facts if f.plan is not None),
        date.today().isoformat())


def funnel_figure(stages: Sequence[Stage], facts: Sequence[QuarterFacts],
                  period: str) -> FunnelFigure:
    """Plan and actual per stage summed over the quarters, as chart data."""
    planned: list[float | None] = []
    actual: list[float | None] = []
    for stage in stages:
        plans = [f.planned.get(stage.id) for f in facts if f.plan is not None]
        known = [p for p in plans if p is not None]
        planned.append(float(sum(known)) if known else None)
        actual.append(float(sum(f.actual_of(stage.id) for f in facts)))
    has_actuals = any(actual)
    has_plan = any(f.plan is not None for f in facts)
    reason = None
    if not has_actuals and not has_plan:
        reason = (f"No plan and no actuals for {period}: enter actuals on the Data screen "
                  "and commit a plan on the Plan screen.")
    elif not has_actuals:
        reason = f"No actuals for {period} yet: the table below shows the committed plan."
    names = tuple(s.name for s in stages)
    labels = tuple(_label(s.name, p, a) for s, p, a in zip(stages, planned, actual, strict=True))
    chart = BarChart(
        "funnel", f"Funnel, {period}", names,
        (Series("Plan", tuple(planned), "plan", labels),
         Series("Actual", tuple(actual if has_actuals else [None] * len(stages)), "actual",
                labels)),
        value_axis="count", horizontal=True, empty_reason=reason,
        note="Volume that reached each stage in the period, beside the committed plan.")
    mark = handoff(stages)
    index = next((i for i, s in enumerate(stages) if mark and s.id == mark[1]), None)
    return FunnelFigure(chart, tuple(s.owner.value if s.owner else None for s in stages),
                        _planned_rates(stages, facts), index)


def _label(name: str, planned: float | None, actual: float | None) -> str:
    plan = "no plan volume" if planned is None else f"{planned:,.0f} planned"
    return f"{name}: {format_count(None if actual is None else int(actual))} ({plan})"


def _planned_rates(stages: Sequence[Stage], facts: Sequence[QuarterFacts]
                   ) -> tuple[float | None, ...]:
    """The plan's conversion out of each stage: the rate when every planned quarter agrees,
    else planned next ÷ planned this over the range."""
    rates: list[float | None] = []
    plans = [f for f in facts if f.plan is not None]
    for index, stage in enumerate(stages):
        found = {f.planned_rates.get(stage.id) for f in plans}
        if index == len(stages) - 1 or not plans or None in found:
            rates.append(None)
        elif len(found) == 1:
            rates.append(found.pop())
        else:
            above = sum(f.planned.get(stage.id) or 0 for f in plans)
            below = sum(f.planned.get(stages[index + 1].id) or 0 for f in plans)
            rates.append(below / above if above else None)
    return tuple(rates)


def headline_kpis(report: FunnelReport) -> tuple[Kpi, ...]:
    """Actual against plan at the top of the funnel, the MQL stage and the last stage."""
    stages = list(report.stages)
    picks = [0]
    mql = mql_stage(stages)
    if mql is not None:
        picks.append(stages.index(mql))
    picks.append(len(stages) - 1)
    kpis = []
    for index in dict.fromkeys(picks):
        planned, actual = report.figure.planned(index), report.figure.actual(index)
        ratio = actual / planned if planned and actual is not None else None
        status = Status.NONE if ratio is None else (
            Status.GOOD if ratio >= 1 else Status.WARN if ratio >= 0.9 else Status.BAD)
        value = format_count(None if actual is None else int(actual))
        detail = (f"of {planned:,.0f} planned · {format_percent(ratio)}"
                  if ratio is not None else "no plan volume")
        kpis.append(Kpi(f"stage{index}", stages[index].name, value, detail, status))
    return tuple(kpis)


# -- the PDF ---------------------------------------------------------------------------------
def build_funnel_pdf(report_data: FunnelReport, progress: Progress | None = None) -> bytes:
    """Lay out the funnel report as PDF bytes (touches no workbook)."""
    from .funnel_pages import build_pages

    buffer = io.BytesIO()
    build_pages(report_data, buffer, progress)
    return buffer.getvalue()


def export_funnel(workbook: Workbook, quarter_ids: Sequence[QuarterId], out_path: Path,
                  progress: Progress | None = None) -> Path:
    """Write the funnel report for the quarters to `out_path`, atomically."""
    from .signing import write_atomic

    report(progress, 0.0, "Reading the numbers")
    data = funnel_report(workbook, quarter_ids)
    pdf = build_funnel_pdf(data, progress)
    write_atomic(Path(out_path), pdf)
    report(progress, 1.0, "Done")
    return Path(out_path)
