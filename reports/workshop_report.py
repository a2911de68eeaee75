"""The workshop report PDF, for the participants: who answered (by side, never by name),
where the teams differ most with the workbook's own figures beside the beliefs, the
root-cause areas by side (a radar and its numbers), each agreement question's answers, the
written answers, and the decisions with their owners and what they settle.

`workshop_report` reads the workbook; `build_workshop_pdf` lays the report out without it;
`export_workshop` does both and writes the file atomically."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Circle, Line, Polygon
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from workbench.workshop import Decision
from workbench.workshop_evidence import WorkshopResults, workshop_results
from workbench.workshop_gaps import QuestionGap, SideView
from workbench.workshop_questions import SCALE, QuestionKind, number_text

from . import palette
from .drawn_text import drawing_of, text_group, wrap_text
from .fonts import BODY
from .layout import (
    CONTENT_WIDTH,
    ReportDocument,
    build,
    cells,
    colour,
    data_table,
    heading,
    para,
    styles,
)

if TYPE_CHECKING:
    from workbench.model import Quarter
    from workbench.workbook import Workbook


@dataclass(frozen=True)
class WorkshopReport:
    """Everything the report shows."""

    company: str
    generated_on: str
    results: WorkshopResults
    decisions: tuple[tuple[Decision, str], ...]  # each with what it settles, in words


def evidence_quarter(workbook: Workbook, text: str | None = None) -> Quarter | None:
    """The quarter the evidence is of: `text` ("2026Q3"), else the reports' default (the
    newest with actuals); None while the workbook has no quarter."""
    from workbench.errors import ValidationError

    from .funnel_report import quarter_range

    if not text and not workbook.plan.quarters():
        return None
    quarters = quarter_range(workbook, text)
    if len(quarters) != 1:
        raise ValidationError("quarter", "The evidence is of one quarter: give --quarter "
                              "2026Q3, not a range.")
    return quarters[0]


def workshop_report(workbook: Workbook, quarter: Quarter | None) -> WorkshopReport:
    """Read the workshop's results, its evidence of `quarter`, and the decisions."""
    decisions = workbook.workshop.decisions()
    return WorkshopReport(workbook.properties().company_name, date.today().isoformat(),
                          workshop_results(workbook, quarter),
                          tuple((d, workbook.workshop.settles_label(d)) for d in decisions))


def build_workshop_pdf(data: WorkshopReport) -> bytes:
    """Lay the report out as PDF bytes (touches no workbook)."""
    buffer = io.BytesIO()
    doc = ReportDocument(buffer, company=data.company, title="Workshop report",
                         subject="Marketing and sales alignment workshop: results",
                         status_note=f"Generated {data.generated_on}")
    build(doc, [*_cover(data), *_gaps(data), *_areas(data), *_agreement(data),
                *_written(data), *_decisions(data)])
    return buffer.getvalue()


def export_workshop(workbook: Workbook, quarter: Quarter | None, out_path: Path) -> Path:
    """Write the workshop report to `out_path`, atomically."""
    from .signing import write_atomic

    write_atomic(Path(out_path), build_workshop_pdf(workshop_report(workbook, quarter)))
    return Path(out_path)


def _cover(data: WorkshopReport) -> list[Flowable]:
    s = styles()
    r = data.results
    people = (f"{r.marketing} from marketing and {r.sales} from sales answered, each "
              "anonymously unless they gave a name; this report names nobody.")
    evidence = (f"“Your data” is {r.quarter}'s, from the workbook." if r.quarter else
                "The workbook has no quarter yet: no figure stands beside the beliefs.")
    return [Spacer(1, 6 * mm), para(data.company, s.subtitle),
            para("Alignment workshop", s.title),
            para(f"{people} {evidence}", s.body)]


def side_text(gap: QuestionGap, side: SideView) -> str:
    """One side's answers to a question in words."""
    if not side.count:
        return "no answers"
    kind = gap.question.kind
    if kind is QuestionKind.CHOICE:
        return f"most said “{side.most_said}” ({side.distribution[side.most_said or '']} " \
               f"of {side.count})"
    if kind is QuestionKind.TEXT:
        return f"{side.count} written"
    unit = f" {gap.question.unit}" if gap.question.unit else ""
    return f"median {number_text(side.median)}{unit} (of {side.count})"


def _gaps(data: WorkshopReport) -> list[Flowable]:
    s = styles()
    rows: list[list[object]] = [cells(["#", "Question", "Marketing", "Sales", "Gap",
                                       "Your data"], s.cell_bold)]
    for rank, gap in enumerate(data.results.gaps, start=1):
        if gap.question.kind is QuestionKind.TEXT:
            continue
        found = data.results.evidence.get(gap.question.key)
        said = "" if found is None else found.text if found.value is not None else \
            f"— ({found.reason})"
        why = f"\nNo gap: {gap.reason}" if gap.gap is None else ""
        rows.append(cells([rank, f"{gap.question.text}\n{gap.question.area}{why}",
                           side_text(gap, gap.marketing), side_text(gap, gap.sales),
                           f"{round(100 * gap.gap)} %" if gap.gap is not None else "—",
                           said]))
    widths = [8 * mm, 62 * mm, 30 * mm, 30 * mm, 17 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    return [heading("Where the teams differ most"),
            para("Largest gap first. The gap is how far apart the sides are, from 0 % (alike) "
                 "to 100 % (as far apart as the question allows): medians over the 1–5 "
                 "scale, medians over the larger of the two for numbers, and the share of "
                 "answers that would have to change for choices.", s.small),
            Spacer(1, 2 * mm), data_table(rows, widths)]


def _areas(data: WorkshopReport) -> list[Flowable]:
    areas = data.results.areas
    if not areas:
        return []
    rows: list[list[object]] = [cells(["Root-cause area", "Marketing", "Sales", "Apart"],
                                      styles().cell_bold)]
    for area in areas:
        apart = abs(area.marketing - area.sales) if area.marketing is not None \
            and area.sales is not None else None
        rows.append(cells([area.area, _mean(area.marketing), _mean(area.sales),
                           _mean(apart)]))
    widths = [80 * mm, 30 * mm, 30 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    story: list[Flowable] = [heading("Root-cause areas by team"),
                             para("Each side's mean agreement (1 disagree – 5 agree) over the "
                                  "area's agreement questions.", styles().small)]
    if len(areas) >= 3:
        story.append(radar_drawing(data.results))
    return [KeepTogether([*story, data_table(rows, widths)])]


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def radar_drawing(results: WorkshopResults, size: float = 78 * mm) -> Flowable:
    """The radar: an axis per area, 1 at the centre and 5 at the rim, a polygon per side."""
    areas = results.areas
    drawing = drawing_of(CONTENT_WIDTH, size)
    cx, cy, radius = CONTENT_WIDTH / 2, size / 2 - 2 * mm, size / 2 - 14 * mm
    n = len(areas)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * i / n
        r = radius * (value - SCALE[0]) / (SCALE[1] - SCALE[0])
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    rule = colour(palette.RULE)
    for ring in range(SCALE[0] + 1, SCALE[1] + 1):
        drawing.add(Polygon([c for i in range(n) for c in point(i, ring)], strokeColor=rule,
                            fillColor=None, strokeWidth=0.5))
    for i, area in enumerate(areas):
        drawing.add(Line(cx, cy, *point(i, SCALE[1]), strokeColor=rule, strokeWidth=0.5))
        x, y = point(i, SCALE[1] + 0.45)
        anchor = "middle" if abs(x - cx) < 5 else "start" if x > cx else "end"
        for j, line in enumerate(wrap_text(area.area, BODY, 8, 45 * mm, max_lines=2)):
            drawing.add(text_group(x, y - j * 9.5 - (4 if y < cy else 0), line, size=8,
                                   fill=colour(palette.INK), anchor=anchor))
    for team, values in (("marketing", [a.marketing for a in areas]),
                         ("sales", [a.sales for a in areas])):
        paint = colour(palette.OWNER[team])
        if all(v is not None for v in values):
            drawing.add(Polygon([c for i, v in enumerate(values) for c in point(i, v or 0)],
                                strokeColor=paint, strokeWidth=1.6, fillColor=None))
        for i, v in enumerate(values):
            if v is not None:
                drawing.add(Circle(*point(i, v), 1.8, fillColor=paint, strokeColor=None))
    for k, (team, label) in enumerate((("marketing", "Marketing"), ("sales", "Sales"))):
        drawing.add(Line(0, size - 6 - k * 12, 14, size - 6 - k * 12,
                         strokeColor=colour(palette.OWNER[team]), strokeWidth=2))
        drawing.add(text_group(18, size - 9 - k * 12, label, size=8.5,
                               fill=colour(palette.INK)))
    return drawing


def _agreement(data: WorkshopReport) -> list[Flowable]:
    """Each 1–5 question's answers, value by value, side by side."""
    gaps = [g for g in data.results.gaps if g.question.kind is QuestionKind.SCALE]
    if not gaps:
        return []
    s = styles()
    values = [str(v) for v in range(SCALE[0], SCALE[1] + 1)]
    rows: list[list[object]] = [cells(["Agreement question", *[f"M{v}" for v in values],
                                       *[f"S{v}" for v in values]], s.cell_bold)]
    for gap in gaps:
        rows.append(cells([gap.question.text,
                           *[gap.marketing.distribution[v] or "" for v in values],
                           *[gap.sales.distribution[v] or "" for v in values]]))
    widths = [CONTENT_WIDTH - 10 * 10 * mm] + [10 * mm] * 10
    return [heading("Agreement, answer by answer"),
            para("How many on each side answered 1 (disagree) to 5 (agree), largest gap "
                 "first; M marketing, S sales.", s.small),
            Spacer(1, 2 * mm), data_table(rows, widths)]


def _written(data: WorkshopReport) -> list[Flowable]:
    texts = [g for g in data.results.gaps if g.question.kind is QuestionKind.TEXT]
    story: list[Flowable] = []
    s = styles()
    for gap in texts:
        rows: list[list[object]] = [cells(["Marketing", "Sales"], s.cell_bold)]
        m, sa = list(gap.marketing.answers), list(gap.sales.answers)
        for i in range(max(len(m), len(sa))):
            rows.append(cells([m[i] if i < len(m) else "", sa[i] if i < len(sa) else ""]))
        if len(rows) == 1:
            rows.append(cells(["no answers", "no answers"]))
        story += [heading(gap.question.text, 2), data_table(rows, [CONTENT_WIDTH / 2] * 2)]
    return [heading("Written answers"), *story] if story else []


def _decisions(data: WorkshopReport) -> list[Flowable]:
    if not data.decisions:
        return [heading("Decisions and owners"), para("No decision was recorded.",
                                                      styles().body)]
    return [KeepTogether([heading("Decisions and owners"), decisions_table(
        [(d.text, d.owner, settles) for d, settles in data.decisions])])]


def decisions_table(rows: Sequence[tuple[str, str, str]]) -> Flowable:
    """The decisions' table, the same in the workshop report, the SLA and the QBR."""
    header = cells(["Decision", "Owner", "Settles"], styles().cell_bold)
    return data_table([header, *(cells([text, owner or "—", settles or "—"])
                                 for text, owner, settles in rows)],
                      [88 * mm, 34 * mm, CONTENT_WIDTH - 122 * mm])
