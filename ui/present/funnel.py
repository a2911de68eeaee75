"""The funnel's slides: the whole funnel (a band per stage, coloured by owner, the hand-off
marked, the volumes the committed plan needs), then each stage with its definition, entry
and exit criteria, owner and time limit."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPen, QPolygonF

from reports import palette
from ui.funnel.shape import band_widths
from workbench.figure_text import format_count, format_duration, format_percent
from workbench.funnel import handoff
from workbench.model import Agreement, Stage

from .canvas import BODY, SMALL, Canvas, Painter, Slide, colour, message_slide
from .charts import LEFT_MIDDLE

NOT_WRITTEN = "Not written yet"
AGREEMENT_SAID = {Agreement.AGREED: "Agreed by both teams",
                  Agreement.OPEN: "Not agreed yet",
                  Agreement.DISPUTED: "Disputed: the teams' wordings differ"}


def owner_label(stage: Stage) -> str:
    return palette.OWNER_LABEL[stage.owner.value if stage.owner else None]


def stage_facts(stage: Stage, volume: int | None) -> str:
    """Owner, time limit, the volume needed and the conversion on, in one line."""
    parts = [owner_label(stage)]
    if stage.max_hours is not None:
        parts.append(f"within {format_duration(stage.max_hours)}")
    if volume is not None:
        parts.append(f"{format_count(volume)} needed")
    if stage.target_conversion is not None:
        parts.append(f"{format_percent(stage.target_conversion)} go on")
    return " · ".join(parts)


def funnel_slides(stages: Sequence[Stage], volumes: Sequence[int] | None,
                  caption: str) -> list[Slide]:
    """The overview, then a slide per stage. `volumes` (top first) and `caption` are the
    screen's own (`ui.funnel.shape.plan_volumes`)."""
    if not stages:
        return [message_slide("The funnel", "No stages yet: add one on the Funnel screen.")]
    needed = list(volumes) if volumes is not None else [None] * len(stages)
    handing = handoff(stages)

    def overview(canvas: Canvas, rect: QRectF) -> None:
        paint_funnel(canvas, rect, stages, needed, handing)

    slides = [Slide(f"The funnel: {len(stages)} stages", overview, caption)]
    for number, (stage, volume) in enumerate(zip(stages, needed, strict=True), 1):
        slides.append(Slide(f"{number} of {len(stages)}: {stage.name}",
                            _stage_painter(stage, volume), AGREEMENT_SAID[stage.agreement]))
    return slides


def paint_funnel(canvas: Canvas, rect: QRectF, stages: Sequence[Stage],
                 volumes: Sequence[int | None], handing: tuple[object, object] | None) -> None:
    """A band per stage down the left, as wide as the screen's (log-scaled volumes, else
    even steps), its name and facts beside it; the hand-off a dashed line."""
    p = canvas.painter
    row = min(rect.height() / len(stages), canvas.px(84))
    band_area = rect.width() * 0.36
    known = [v for v in volumes if v is not None]
    widths = band_widths(len(stages), known if len(known) == len(stages) else None,
                         band_area)
    centre = rect.left() + band_area / 2
    text_left = rect.left() + band_area + canvas.px(24)
    name_height = canvas.line_height(BODY, True)
    for index, stage in enumerate(stages):
        top = rect.top() + index * row
        upper = widths[index]
        lower = widths[index + 1] if index + 1 < len(widths) else upper * 0.9
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour(f"owner:{stage.owner.value}" if stage.owner else "owner:"))
        p.drawPolygon(QPolygonF([QPointF(centre - upper / 2, top + row * 0.06),
                                 QPointF(centre + upper / 2, top + row * 0.06),
                                 QPointF(centre + lower / 2, top + row * 0.94),
                                 QPointF(centre - lower / 2, top + row * 0.94)]))
        two_lines = row >= name_height + canvas.line_height(SMALL)
        name_top = top + (row - name_height - canvas.line_height(SMALL)) / 2 if two_lines \
            else top
        canvas.text(QRectF(text_left, name_top, rect.right() - text_left,
                           name_height if two_lines else row), stage.name, BODY, bold=True,
                    align=LEFT_MIDDLE, wrap=False)
        if two_lines:
            canvas.text(QRectF(text_left, name_top + name_height, rect.right() - text_left,
                               canvas.line_height(SMALL)), stage_facts(stage, volumes[index]),
                        SMALL, align=LEFT_MIDDLE, wrap=False)
        if handing is not None and stage.id == handing[0]:
            y = top + row
            p.setPen(QPen(colour("ink"), canvas.px(3), Qt.PenStyle.DashLine))
            p.drawLine(QLineF(rect.left(), y, text_left - canvas.px(12), y))


def _stage_painter(stage: Stage, volume: int | None) -> Painter:
    def paint(canvas: Canvas, rect: QRectF) -> None:
        used = canvas.text(QRectF(rect.left(), rect.top(), rect.width(),
                                  canvas.line_height(BODY) * 1.2), stage_facts(stage, volume),
                           BODY, bold=True, role=f"owner:{stage.owner.value}" if stage.owner
                           else "ink", wrap=False)
        top = used.bottom() + canvas.px(14)
        heading = canvas.line_height(SMALL, True)
        half = (rect.bottom() - top) / 2
        _section(canvas, QRectF(rect.left(), top, rect.width(), half), "Definition",
                 stage.definition, heading)
        column = (rect.width() - canvas.px(30)) / 2
        for offset, (title, text) in enumerate((("Entry criteria", stage.entry_criteria),
                                                ("Exit criteria", stage.exit_criteria))):
            _section(canvas, QRectF(rect.left() + offset * (column + canvas.px(30)),
                                    top + half + canvas.px(6), column,
                                    half - canvas.px(6)), title, text, heading)

    return paint


def _section(canvas: Canvas, rect: QRectF, title: str, text: str, heading: float) -> None:
    canvas.text(QRectF(rect.left(), rect.top(), rect.width(), heading), title.upper(), SMALL,
                bold=True, role="muted", wrap=False)
    canvas.text(QRectF(rect.left(), rect.top() + heading + canvas.px(4), rect.width(),
                       rect.height() - heading - canvas.px(4)),
                text.strip() or NOT_WRITTEN, BODY, role="ink" if text.strip() else "muted")
