"""The quarterly business review PDF: a cover with the verdict and contents, an executive
summary (on track or behind, in numbers), then plan vs actual per stage, trends, SLA
compliance, marketing's share of pipeline and revenue, the source mix, weighted pipeline vs
goal, and the changes to the definitions made in the quarter.

`qbr_data` (in `reports.qbr_data`) reads the numbers; `build_qbr_pdf` lays them out without
the workbook; `export_qbr` does both and writes the file atomically.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from workbench.chartdata import Kpi, Status
from workbench.figure_text import format_money, format_percent
from workbench.planning.dashboard import FOLLOW_UP_GOOD
from workbench.planning.forward import Phase

from . import palette
from .layout import (
    CONTENT_WIDTH,
    ReportDocument,
    build,
    cells,
    data_table,
    heading,
    para,
    styles,
    table_of_contents,
)
from .progress import Progress, report, watch_layout
from .qbr_data import QbrData, qbr_data
from .qbr_sections import (
    changes_section,
    contribution_section,
    pipeline_section,
    plan_section,
    sla_section,
    source_section,
    trend_section,
)
from .report_charts import kpi_tiles

if TYPE_CHECKING:
    from workbench.model import QuarterId
    from workbench.workbook import Workbook

STATUS_TEXT = {Status.GOOD: ("On track", palette.GOOD), Status.WARN: ("Close", palette.WARN),
               Status.BAD: ("Behind", palette.BAD), Status.NONE: ("No target", palette.MUTED)}


def build_qbr_pdf(data: QbrData, progress: Progress | None = None) -> bytes:
    """Lay the QBR out as PDF bytes (touches no workbook)."""
    report(progress, 0.05, "Drawing the charts")
    buffer = io.BytesIO()
    label = data.quarter.label
    doc = ReportDocument(buffer, company=data.company,
                         title=f"Quarterly business review, {label}",
                         subject=f"Marketing and sales review of {label}",
                         status_note=f"Generated {data.generated_on}")
    story = [*_cover(data), *_summary(data), *plan_section(data), *trend_section(data),
             *sla_section(data), *contribution_section(data), *source_section(data),
             *pipeline_section(data), *changes_section(data), *_decisions(data)]
    watch_layout(doc, progress, 0.1, 0.97)
    build(doc, story)
    return buffer.getvalue()


def export_qbr(workbook: Workbook, quarter_id: QuarterId, out_path: Path,
               progress: Progress | None = None) -> Path:
    """Write the QBR of one quarter to `out_path`, atomically."""
    from .signing import write_atomic

    report(progress, 0.0, "Reading the numbers")
    pdf = build_qbr_pdf(qbr_data(workbook, quarter_id), progress)
    write_atomic(Path(out_path), pdf)
    report(progress, 1.0, "Done")
    return Path(out_path)


def _decisions(data: QbrData) -> list[Flowable]:
    """The workshop's decisions, their owners and what they settle (none: no section)."""
    from .workshop_report import decisions_table

    if not data.decisions:
        return []
    # Not in the contents: the cover keeps room for the summary's start.
    return [CondPageBreak(40 * mm), para("9. Workshop decisions", styles().h1),
            decisions_table(data.decisions)]


def _cover(data: QbrData) -> list[Flowable]:
    s = styles()
    quarter = data.quarter
    return [
        Spacer(1, 10 * mm), para(data.company, s.subtitle),
        para("Quarterly business review", s.title),
        para(f"{quarter.label} · {quarter.start_date} – {data.last_day}", s.subtitle),
        Spacer(1, 4 * mm), _verdict_box(data), Spacer(1, 14 * mm),
        para("Contents", s.h2), table_of_contents(),
        CondPageBreak(90 * mm)]  # the summary follows on the cover when it has room


def verdict(data: QbrData) -> tuple[str, str]:
    """The one-line verdict on the quarter and its colour."""
    if not data.has_actuals:
        return (f"No actuals for {data.quarter.label} yet: the review has no results to "
                "show. Enter or import the quarter's actuals first.", palette.MUTED)
    check = data.forward
    return check.summary, STATUS_TEXT[check.status][1]


def _verdict_box(data: QbrData) -> Flowable:
    from reportlab.lib.styles import ParagraphStyle

    text, paint = verdict(data)
    style = ParagraphStyle("Verdict", parent=styles().body, fontSize=12.5, leading=17)
    table = data_table([[para(text, style)]], [CONTENT_WIDTH], header=False, zebra=False)
    from reportlab.platypus import TableStyle

    from .layout import colour

    table.setStyle(TableStyle([("LINEBEFORE", (0, 0), (0, 0), 4, colour(paint)),
                               ("BACKGROUND", (0, 0), (-1, -1), colour(palette.CANVAS)),
                               ("LEFTPADDING", (0, 0), (-1, -1), 12),
                               ("TOPPADDING", (0, 0), (-1, -1), 9),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
    return table


def _summary(data: QbrData) -> list[Flowable]:
    s = styles()
    text, _ = verdict(data)
    story: list[Flowable] = [heading("1. Executive summary", anchor="summary"),
                             para(text, s.body), Spacer(1, 2 * mm)]
    if data.dashboard.kpis:
        story += [kpi_tiles(data.dashboard.kpis, CONTENT_WIDTH), Spacer(1, 5 * mm)]
    rows = [cells(["Measure", "Target", "Actual", "Status"], s.cell_bold)]
    for measure, target, kpi in _measures(data):
        word, paint = STATUS_TEXT[kpi.status]
        actual = kpi.value if not kpi.detail else (
            kpi.detail if kpi.value == "—" else f"{kpi.value} — {kpi.detail}")
        rows.append(cells([measure, target, actual]) + [_status_cell(word, paint)])
    story += [para("On track or behind, in numbers", s.h2),
              data_table(rows, [48 * mm, 40 * mm, CONTENT_WIDTH - 113 * mm, 25 * mm])]
    return story


def _status_cell(word: str, paint: str) -> Flowable:
    from reportlab.lib.styles import ParagraphStyle

    from .layout import colour

    style = ParagraphStyle(f"Status{word}", parent=styles().cell_bold, textColor=colour(paint))
    return para(word, style)


def _measures(data: QbrData) -> list[tuple[str, str, Kpi]]:
    """(measure, its target in words, the dashboard's key figure) for the summary table."""
    dashboard, check, money = data.dashboard, data.forward, data.currency
    keys = {k.key for k in dashboard.kpis}
    rows: list[tuple[str, str, Kpi]] = []
    if "on_track" in keys:
        ended = check.phase is Phase.ENDED  # judged on what it won: no pipeline added
        rows.append((dashboard.kpi("on_track").title if ended else
                     "Revenue on track for (won + weighted pipeline)",
                     format_money(check.goal, money) if check.goal else "No goal",
                     dashboard.kpi("on_track")))
    if "customers" in keys:
        planned = data.now.planned.get(data.stages[-1].id)
        rows.append((f"Won ({data.stages[-1].name})",
                     f"{planned:,} planned" if planned else "No plan",
                     dashboard.kpi("customers")))
    if "mql_delivery" in keys:
        committed = data.now.planned.get(data.mql.id) if data.mql else None
        rows.append(("MQLs delivered", f"{committed:,} committed" if committed else "No plan",
                     dashboard.kpi("mql_delivery")))
    if "follow_up" in keys:
        rows.append((dashboard.kpi("follow_up").title,
                     f"{format_percent(FOLLOW_UP_GOOD)} of MQLs", dashboard.kpi("follow_up")))
    if "marketing_share" in keys:
        rows.append(("Marketing-sourced share of the weighted pipeline", "—",
                     dashboard.kpi("marketing_share")))
    return rows
