"""The workshop's slides for presentation mode (`ui.present`): the radar of root-cause
areas, then each question largest gap first with where the workbook's figure comes from,
then the decisions and their owners."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt

from ui.present.canvas import BODY, LARGE, SMALL, Canvas, Painter, Slide
from workbench.workshop import Decision
from workbench.workshop_evidence import Evidence, WorkshopResults
from workbench.workshop_gaps import QuestionGap

from .gap_view import gap_height, paint_gap, paint_radar

GAP_SCALE = 1.6  # the gap view's sizes on a slide, per design pixel


def evidence_said(found: Evidence) -> str:
    """Where the workbook's figure comes from, or why there is none."""
    if found.value is None:
        return f"Your data: — ({found.reason})"
    return f"Your data: {found.text} — {found.source}"


def workshop_slides(results: WorkshopResults,
                    decisions: Sequence[tuple[Decision, str]]) -> list[Slide]:
    """The radar, a slide per question (largest gap first), the decisions."""
    slides = [Slide("Root-cause areas by team", _radar(results),
                    f"1 = disagree, 5 = agree; each side's mean per area, {results.quarter}"
                    if results.quarter else "1 = disagree, 5 = agree; each side's mean per "
                    "area")]
    count = len(results.gaps)
    for rank, gap in enumerate(results.gaps, 1):
        found = results.evidence.get(gap.question.key)
        slides.append(Slide(f"Question {rank} of {count}, largest gap first",
                            _gap(gap, found, rank),
                            evidence_said(found) if found is not None else ""))
    slides.append(Slide("Decisions and owners", _decisions(list(decisions))))
    return slides


def _radar(results: WorkshopResults) -> Painter:
    def paint(canvas: Canvas, rect: QRectF) -> None:
        paint_radar(canvas.painter, rect, results.areas, canvas.unit * GAP_SCALE * 1.05)

    return paint


def _gap(gap: QuestionGap, found: Evidence | None, rank: int) -> Painter:
    def paint(canvas: Canvas, rect: QRectF) -> None:
        scale = min(rect.width() / 620, rect.height() * 0.8 / 130)
        height = gap_height(gap, rank, rect.width(), scale)
        row = QRectF(rect.left(), rect.top() + max(0.0, (rect.height() - height) / 3),
                     rect.width(), height)
        paint_gap(canvas.painter, row, gap, found, rank, scale)

    return paint


def _decisions(decisions: list[tuple[Decision, str]]) -> Painter:
    def paint(canvas: Canvas, rect: QRectF) -> None:
        if not decisions:
            canvas.text(rect, "No decision recorded yet.", LARGE, role="muted",
                        align=Qt.AlignmentFlag.AlignCenter)
            return
        top = rect.top()
        detail_height = canvas.line_height(SMALL) * 1.1
        for number, (decision, settles) in enumerate(decisions):
            room = rect.bottom() - top - 2 * detail_height  # keep a line for “more”
            if room < canvas.line_height(BODY):
                canvas.text(QRectF(rect.left(), rect.bottom() - detail_height, rect.width(),
                                   detail_height), f"…and {len(decisions) - number} more",
                            SMALL, role="muted", wrap=False)
                break
            used = canvas.text(QRectF(rect.left(), top, rect.width(),
                                      min(room, canvas.line_height(BODY) * 2.2)),
                               f"• {decision.text}", BODY, bold=True)
            detail = " · ".join(x for x in (f"owner: {decision.owner}" if decision.owner
                                            else "no owner yet", settles) if x)
            canvas.text(QRectF(rect.left() + canvas.px(28), used.bottom(),
                               rect.width() - canvas.px(28), detail_height), detail, SMALL,
                        role="muted", wrap=False)
            top = used.bottom() + detail_height + canvas.px(10)

    return paint
