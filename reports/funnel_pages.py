"""The funnel report's pages: headline figures, the funnel chart, the table of numbers, and
the stage definitions on the next page. Pure layout of a `FunnelReport`."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)

from workbench.figure_text import format_count, format_duration, format_percent
from workbench.model import Stage

from . import palette
from .drawn_text import text_width
from .fonts import BOLD
from .funnel_figure import FunnelFigure, funnel_rows, owner_legend
from .funnel_report import FunnelReport, headline_kpis
from .layout import (
    CONTENT_WIDTH,
    ReportDocument,
    build,
    cells,
    data_table,
    heading,
    para,
    same_decimals_by_column,
    styles,
    written,
)
from .progress import Progress, report, watch_layout
from .report_charts import empty_box, kpi_tiles

NUMBER_TITLES = ("Plan", "Actual", "% of plan", "Conversion to next", "Plan conversion")
AGREEMENT_TEXT = {"agreed": "Agreed by both teams", "open": "Not agreed yet",
                  "disputed": "Disputed"}


def build_pages(data: FunnelReport, buffer: io.BytesIO, progress: Progress | None) -> None:
    """Lay the report out into `buffer`."""
    report(progress, 0.05, "Drawing the funnel")
    doc = ReportDocument(buffer, company=data.company, title=f"Funnel report, {data.period}",
                         subject=f"Funnel, plan and actuals, {data.period}",
                         status_note=f"Generated {data.generated_on}")
    story = [*_first_page(data), PageBreak(), *_definitions(data)]
    watch_layout(doc, progress, 0.1, 0.95)
    build(doc, story)


def _first_page(data: FunnelReport) -> list[Flowable]:
    s = styles()
    quarters = len(data.quarters)
    span = f"{data.dates} · {quarters} quarters" if quarters > 1 else data.dates
    story: list[Flowable] = [
        heading(f"Funnel, {data.period}", anchor="funnel"),
        para(f"{data.company} · {span}", s.muted), Spacer(1, 3 * mm)]
    chart = data.figure.chart
    if chart.empty_reason is not None:
        story += [empty_box(chart.empty_reason, CONTENT_WIDTH), Spacer(1, 5 * mm)]
    else:
        story += [kpi_tiles(headline_kpis(data), CONTENT_WIDTH), Spacer(1, 4 * mm),
                  Paragraph(owner_legend(), s.muted), Spacer(1, 2 * mm),
                  funnel_rows(data.figure, CONTENT_WIDTH), Spacer(1, 2 * mm),
                  para(_plan_note(data), s.muted), Spacer(1, 5 * mm)]
    if data.has_plan or data.has_actuals:
        title = heading("The numbers", level=2, anchor="numbers")
        title.keepWithNext = 0  # the table repeats its header; it may start low on a page
        story += [CondPageBreak(45 * mm), title, stage_numbers_table(data.stages, data.figure)]
    return story


def _plan_note(data: FunnelReport) -> str:
    note = data.figure.chart.note
    quarters = len(data.quarters)
    if not data.has_plan:
        return note + " No quarter in the period has a committed plan."
    if data.plan_quarters < quarters:
        return (note + f" Only {data.plan_quarters} of the {quarters} quarters have a "
                "committed plan; the plan figures are their sum.")
    return note


def stage_numbers_table(stages: Sequence[Stage], figure: FunnelFigure) -> Flowable:
    """Plan, actual, actual ÷ plan and conversions per stage, numbers right-aligned."""
    s = styles()
    right = ParagraphStyle("CellRight", parent=s.cell, alignment=TA_RIGHT)
    right_bold = ParagraphStyle("CellRightBold", parent=s.cell_bold, alignment=TA_RIGHT)
    header = cells(["Stage", "Owner"], s.cell_bold) + cells(
        list(NUMBER_TITLES), right_bold)
    texts = []
    for index in range(len(stages)):
        planned, actual = figure.planned(index), figure.actual(index)
        ratio = actual / planned if planned and actual is not None else None
        last = index == len(stages) - 1
        texts.append([
            "—" if planned is None else f"{planned:,.0f}",
            format_count(None if actual is None else int(actual)), format_percent(ratio),
            "" if last else format_percent(figure.conversion(index)),
            "" if last else format_percent(figure.planned_conversions[index])])
    texts = same_decimals_by_column(texts)
    rows = [header]
    for stage, values in zip(stages, texts, strict=True):
        owner = palette.OWNER_LABEL[stage.owner.value if stage.owner else None]
        numbers: list[object] = list(values)
        rows.append(cells([stage.name, owner]) + cells(numbers, right))
    widths = [_column_width([row[i] for row in texts], title)
              for i, title in enumerate(NUMBER_TITLES)]
    return data_table(rows, [CONTENT_WIDTH - 21 * mm - sum(widths), 21 * mm, *widths])


def _column_width(texts: list[str], title: str) -> float:
    """Wide enough for the longest number on one line and the title's longest word
    (cell padding included)."""
    widest = max((text_width(t.replace(" ", "\u00a0"), 8.5) for t in texts), default=0.0)
    word = max(text_width(w, 8.5, BOLD) for w in title.split())
    return max(widest, word, 13 * mm) + 12


def _definitions(data: FunnelReport) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [
        heading("Stage definitions", anchor="definitions"),
        para("What each stage means, as the two teams wrote it in the workbook: who owns "
             "it, when a lead enters and leaves it, and how long it may stay.", s.body),
        Spacer(1, 2 * mm)]
    for number, stage in enumerate(data.stages, start=1):
        story.append(KeepTogether([heading(f"{number}. {stage.name}", level=2),
                                   _definition_table(stage), Spacer(1, 3 * mm)]))
    return story


def _definition_table(stage: Stage) -> Flowable:
    s = styles()
    owner = palette.OWNER_LABEL[stage.owner.value if stage.owner else None]
    agreement = AGREEMENT_TEXT.get(stage.agreement.value, stage.agreement.value)
    limits = ["No time limit in this stage" if stage.max_hours is None
              else f"At most {format_duration(stage.max_hours)} in this stage"]
    if stage.target_conversion is not None:
        limits.append(f"target conversion to the next stage "
                      f"{format_percent(stage.target_conversion)}")
    facts = [("Owner", f"{owner} · {agreement}"), ("Definition", stage.definition),
             ("Entry criteria", stage.entry_criteria), ("Exit criteria", stage.exit_criteria),
             ("Targets", "; ".join(limits))]
    rows = []
    for label, value in facts:
        rows.append([para(label, s.cell_bold), written(value)])
    return data_table(rows, [30 * mm, CONTENT_WIDTH - 30 * mm], header=False, zebra=False)
