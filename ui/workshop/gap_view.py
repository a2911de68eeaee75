"""The gap view for the projector: per question, marketing's and sales' answers side by
side (each answer a dot, the median a bar), largest gap first, with what the workbook's
data says beside the numbers people believe; and a radar of the root-cause areas by team.
Drawn with QPainter at any scale, so presentation mode draws the same rows larger."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.model import Team
from workbench.workshop_evidence import Evidence
from workbench.workshop_gaps import AreaScore, QuestionGap, SideView
from workbench.workshop_questions import SCALE, QuestionKind, number_text

from .theme import SIDE_LABEL, font, ink, side_colour

ROW_HEIGHT = 124  # at scale 1
NO_ANSWERS = ("Nobody has answered yet. Answers typed on the Answer tab, one participant "
              "at a time, or imported from a CSV show here, largest gap first.")


def gap_colour(gap: float | None) -> QColor:
    """Red from half the span apart, amber from a quarter, green below."""
    if gap is None:
        return ink("MUTED")
    return ink("BAD") if gap >= 0.5 else ink("WARN") if gap >= 0.25 else ink("GOOD")


def gap_words(gap: QuestionGap) -> str:
    return f"gap {round(100 * gap.gap)} %" if gap.gap is not None else gap.reason or ""


def evidence_words(evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    return f"Your data: {evidence.text}" if evidence.value is not None else \
        f"Your data: — ({evidence.reason})"


def _axis(gap: QuestionGap, evidence: Evidence | None) -> tuple[float, float]:
    if gap.question.kind is QuestionKind.SCALE:
        return float(SCALE[0]), float(SCALE[1])
    values = [float(v) for side in (gap.marketing, gap.sales) for v in side.answers]
    if evidence is not None and evidence.value is not None:
        values.append(evidence.value)
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high == low:
        high = low + 1
    if low >= 0:
        low = 0.0
    return low, high + (high - low) * 0.04


def _title_height(width: float, gap: QuestionGap, rank: int, s: float) -> float:
    """The question's text wrapped to `width` (two lines at most, the second elided)."""
    metrics = QFontMetricsF(font(12.5 * s, bold=True))
    lines = metrics.boundingRect(QRectF(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap,
                                 f"{rank}. {gap.question.text}").height()
    return min(lines, 2 * metrics.lineSpacing()) + 2 * s


def _title_width(width: float, s: float) -> float:
    metrics = QFontMetricsF(font(12.5 * s, bold=True))
    return width - 20 * s - metrics.horizontalAdvance("gap 100 %") - 12 * s


def gap_height(gap: QuestionGap, rank: int, width: float, scale: float = 1.0) -> float:
    """The height `paint_gap` needs for this question at `width`."""
    return ROW_HEIGHT * scale - 22 * scale + _title_height(_title_width(width, scale), gap,
                                                            rank, scale)


def paint_gap(p: QPainter, rect: QRectF, gap: QuestionGap, evidence: Evidence | None,
              rank: int, scale: float = 1.0) -> None:
    """One question's row: its text and gap, then a lane per side."""
    s = scale
    pad = 10 * s
    p.setPen(ink())
    p.setFont(font(12.5 * s, bold=True))
    badge = gap_words(gap) if gap.gap is not None else ""
    width = _title_width(rect.width(), s)
    title = QRectF(rect.left() + pad, rect.top() + pad * 0.6, width,
                   _title_height(width, gap, rank, s))
    p.drawText(title, Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
               f"{rank}. {gap.question.text}")
    if badge:
        p.setPen(gap_colour(gap.gap))
        p.drawText(QRectF(title.right(), title.top(), rect.right() - pad - title.right(),
                          22 * s), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   badge)
    p.setFont(font(10.5 * s))
    p.setPen(ink("MUTED"))
    detail = " · ".join(part for part in (
        gap.question.area, gap.summary, evidence_words(evidence),
        "" if gap.gap is not None else gap.reason or "") if part)
    line = QRectF(title.left(), title.bottom(), rect.width() - 2 * pad, 18 * s)
    p.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
               p.fontMetrics().elidedText(detail, Qt.TextElideMode.ElideRight,
                                          int(line.width())))
    p.setFont(font(11 * s, bold=True))
    label_width = p.fontMetrics().horizontalAdvance("Marketing 999") + 10 * s
    lane_height = 25 * s
    lane_top = line.bottom() + 4 * s
    strip = QRectF(rect.left() + pad + label_width, lane_top,
                   rect.width() - 2 * pad - label_width - 10 * s, 2 * lane_height)
    for i, team in enumerate(Team):
        lane = QRectF(strip.left(), lane_top + i * lane_height, strip.width(), lane_height)
        side = gap.side(team)
        p.setPen(side_colour(team))
        p.setFont(font(11 * s, bold=True))
        p.drawText(QRectF(rect.left() + pad, lane.top(), label_width, lane.height()),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   f"{SIDE_LABEL[team]} {side.count}")
        _paint_lane(p, lane, gap, side, team, evidence, s)
    if gap.question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        _paint_ticks(p, strip, gap, evidence, s)


def _x(strip: QRectF, axis: tuple[float, float], value: float) -> float:
    low, high = axis
    return strip.left() + (value - low) / (high - low) * strip.width()


def _paint_lane(p: QPainter, lane: QRectF, gap: QuestionGap, side: SideView, team: Team,
                evidence: Evidence | None, s: float) -> None:
    colour = side_colour(team)
    mid = lane.center().y()
    kind = gap.question.kind
    if kind not in (QuestionKind.TEXT, QuestionKind.CHOICE):  # a choice's bar is its lane
        p.setPen(QPen(ink("RULE"), 1 * s))
        p.drawLine(QPointF(lane.left(), mid), QPointF(lane.right(), mid))
    if kind is QuestionKind.CHOICE:
        _paint_choices(p, lane, gap, side, colour, s)
        return
    if kind is QuestionKind.TEXT:
        p.setPen(ink())
        p.setFont(font(10.5 * s))
        words = " | ".join(side.answers) or "—"
        p.drawText(lane.adjusted(4 * s, 0, 0, 0), Qt.AlignmentFlag.AlignLeft
                   | Qt.AlignmentFlag.AlignVCenter, p.fontMetrics().elidedText(
                       words, Qt.TextElideMode.ElideRight, int(lane.width())))
        return
    axis = _axis(gap, evidence)
    if side.median is not None:
        x = _x(lane, axis, side.median)
        p.setPen(QPen(ink(), 3 * s))
        p.drawLine(QPointF(x, lane.top()), QPointF(x, lane.bottom()))
    counts = Counter(float(v) for v in side.answers)
    radius = min(lane.height() * 0.36, 10 * s)
    p.setFont(font(8.5 * s, bold=True))
    for value, count in sorted(counts.items()):
        x = _x(lane, axis, value)
        r = radius * (0.6 + 0.4 * min(count, 4) / 4)
        fill = QColor(colour)
        fill.setAlpha(215)
        p.setPen(QPen(colour.darker(120), 1 * s))
        p.setBrush(fill)
        p.drawEllipse(QPointF(x, mid), r, r)
        if count > 1:
            p.setPen(ink("PAPER"))
            p.drawText(QRectF(x - r, mid - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                       str(count))
    p.setBrush(Qt.BrushStyle.NoBrush)


def _paint_choices(p: QPainter, lane: QRectF, gap: QuestionGap, side: SideView,
                   colour: QColor, s: float) -> None:
    if not side.count:
        return
    left = lane.left()
    bar = lane.adjusted(0, lane.height() * 0.12, 0, -lane.height() * 0.12)
    p.setFont(font(9.5 * s))
    for i, choice in enumerate(gap.question.choices):
        n = side.distribution.get(choice, 0)
        if not n:
            continue
        width = bar.width() * n / side.count
        fill = QColor(colour)
        fill.setAlpha(255 - 45 * (i % 4))
        segment = QRectF(left, bar.top(), width, bar.height())
        p.fillRect(segment, fill)
        p.setPen(QPen(ink("PAPER"), 1.5 * s))
        p.drawRect(segment)
        p.setPen(ink("PAPER"))
        p.drawText(segment.adjusted(4 * s, 0, -2 * s, 0), Qt.AlignmentFlag.AlignLeft
                   | Qt.AlignmentFlag.AlignVCenter, p.fontMetrics().elidedText(
                       f"{choice} {n}", Qt.TextElideMode.ElideRight, int(width - 6 * s)))
        left += width


def _paint_ticks(p: QPainter, strip: QRectF, gap: QuestionGap, evidence: Evidence | None,
                 s: float) -> None:
    """Under the lanes: the axis's ends and the median mark's meaning; the workbook's own
    figure as a dashed line across both lanes, labelled below them."""
    axis = _axis(gap, evidence)
    below = QRectF(strip.left(), strip.bottom() + 1 * s, strip.width(), 15 * s)
    p.setFont(font(9 * s))
    p.setPen(ink("MUTED"))
    unit = f" {gap.question.unit}" if gap.question.unit else ""
    ends = (number_text(round(axis[0])), number_text(round(axis[1])) + unit)
    if gap.question.kind is QuestionKind.SCALE:
        ends = ("1 disagree", "agree 5")
    p.drawText(below, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, ends[0])
    p.drawText(below, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, ends[1])
    if evidence is None or evidence.value is None:
        return
    x = _x(strip, axis, evidence.value)
    p.setPen(QPen(ink(), 2 * s, Qt.PenStyle.DashLine))
    p.drawLine(QPointF(x, strip.top()), QPointF(x, strip.bottom() + 2 * s))
    p.setFont(font(9.5 * s, bold=True))
    p.setPen(ink())
    label = f"your data {evidence.text}"
    width = p.fontMetrics().horizontalAdvance(label) + 6 * s
    left = min(max(x - width / 2, below.left() + 70 * s), below.right() - width - 70 * s)
    p.fillRect(QRectF(left, below.top(), width, below.height()), ink("PAPER"))
    p.drawText(QRectF(left, below.top(), width, below.height()), Qt.AlignmentFlag.AlignCenter,
               label)


class GapList(QWidget):
    """Every question's row, largest gap first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gaps: list[QuestionGap] = []
        self.evidence: dict[str, Evidence] = {}
        self.scale = 1.0
        self.tops: list[float] = [0.0]
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_gaps(self, gaps: Sequence[QuestionGap], evidence: dict[str, Evidence]) -> None:
        self.gaps, self.evidence = list(gaps), evidence
        self._lay_out()

    def _lay_out(self) -> None:
        """Each row's top and height at the present width (a long question takes 2 lines)."""
        self.tops: list[float] = []
        top = 0.0
        for i, gap in enumerate(self.gaps):
            self.tops.append(top)
            top += gap_height(gap, i + 1, self.width(), self.scale)
        self.tops.append(top)
        if not any(g.marketing.count or g.sales.count for g in self.gaps):
            top = 2 * ROW_HEIGHT * self.scale  # room for the message, not for empty rows
        self.setFixedHeight(max(int(ROW_HEIGHT * self.scale), int(top) + 1))
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._lay_out()

    def row_rect(self, index: int) -> QRectF:
        return QRectF(0, self.tops[index], self.width(),
                      self.tops[index + 1] - self.tops[index])

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(640, self.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not any(g.marketing.count or g.sales.count for g in self.gaps):
            p.setPen(ink("MUTED"))
            p.setFont(font(13))
            p.drawText(QRectF(self.rect()).adjusted(20, 20, -20, -20),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, NO_ANSWERS)
            return
        for i, gap in enumerate(self.gaps):
            rect = self.row_rect(i)
            if not rect.intersects(QRectF(event.rect())):
                continue
            p.fillRect(rect.adjusted(0, 2, 0, -2), ink("PAPER"))
            p.setPen(QPen(ink("RULE"), 1))
            p.drawRoundedRect(rect.adjusted(0.5, 2.5, -0.5, -2.5), 8, 8)
            paint_gap(p, rect, gap, self.evidence.get(gap.question.key), i + 1, self.scale)


def paint_radar(p: QPainter, rect: QRectF, areas: Sequence[AreaScore], scale: float = 1.0) -> None:
    """Each root-cause area an axis (1 at the centre, 5 at the rim), a polygon per side."""
    s = scale
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not any(a.marketing is not None or a.sales is not None for a in areas):
        p.setPen(ink("MUTED"))
        p.setFont(font(12 * s))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                   "No agreement answers yet.")
        return
    if len(areas) < 3:
        p.setPen(ink("MUTED"))
        p.setFont(font(12 * s))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                   "The radar needs agreement questions in three areas or more.")
        return
    legend = 46 * s
    label_w = min(150 * s, rect.width() * 0.27)
    label_h = 34 * s if label_w >= 120 * s else 50 * s  # a narrow label takes three lines
    centre = QPointF(rect.center().x(), rect.center().y() + legend / 2)
    radius = min(rect.width() / 2 - label_w - 6 * s,
                 (rect.height() - legend) / 2 - label_h - 4 * s)
    n = len(areas)

    def point(i: int, value: float) -> QPointF:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * (value - SCALE[0]) / (SCALE[1] - SCALE[0])
        return QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))

    p.setPen(QPen(ink("RULE"), 1 * s))
    for ring in range(SCALE[0] + 1, SCALE[1] + 1):
        p.drawPolygon(QPolygonF([point(i, ring) for i in range(n)]))
    p.setFont(font(9.5 * s))
    for i, area in enumerate(areas):
        p.setPen(QPen(ink("RULE"), 1 * s))
        p.drawLine(centre, point(i, SCALE[1]))
        tip = point(i, SCALE[1])
        dx, dy = tip.x() - centre.x(), tip.y() - centre.y()
        if abs(dx) < radius * 0.2:  # top or bottom: centred above or below the tip
            box = QRectF(tip.x() - label_w / 2, tip.y() - label_h - 4 * s if dy < 0
                         else tip.y() + 4 * s, label_w, label_h)
            align = Qt.AlignmentFlag.AlignHCenter
        else:  # a side: beside the tip, reading away from the chart
            box = QRectF(tip.x() + 6 * s if dx > 0 else tip.x() - 6 * s - label_w,
                         tip.y() - label_h / 2, label_w, label_h)
            align = Qt.AlignmentFlag.AlignLeft if dx > 0 else Qt.AlignmentFlag.AlignRight
        p.setPen(ink())
        p.drawText(box, align | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                   area.area)
    for team in Team:
        values = [a.marketing if team is Team.MARKETING else a.sales for a in areas]
        colour = side_colour(team)
        fill = QColor(colour)
        fill.setAlpha(50)
        p.setPen(QPen(colour, 3 * s))
        if all(v is not None for v in values):
            p.setBrush(fill)
            p.drawPolygon(QPolygonF([point(i, v) for i, v in enumerate(values)
                                     if v is not None]))
        p.setBrush(colour)
        for i, v in enumerate(values):
            if v is not None:
                p.drawEllipse(point(i, v), 3.5 * s, 3.5 * s)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setFont(font(11 * s, bold=True))
    x = rect.left() + 8 * s
    for team in Team:
        p.fillRect(QRectF(x, rect.top() + 6 * s, 14 * s, 14 * s), side_colour(team))
        p.setPen(ink())
        label = f"{SIDE_LABEL[team]}"
        p.drawText(QPointF(x + 20 * s, rect.top() + 18 * s), label)
        x += 20 * s + p.fontMetrics().horizontalAdvance(label) + 18 * s
    p.setFont(font(9 * s))
    p.setPen(ink("MUTED"))
    p.drawText(QRectF(rect.left() + 8 * s, rect.top() + 26 * s, rect.width() - 8 * s, 16 * s),
               Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
               "mean agreement: 1 centre, 5 rim")


class Radar(QWidget):
    """The root-cause areas by team."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.areas: list[AreaScore] = []
        self.scale = 1.0
        self.setMinimumSize(300, 300)

    def set_areas(self, areas: Sequence[AreaScore]) -> None:
        self.areas = list(areas)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        paint_radar(p, QRectF(self.rect()), self.areas, self.scale)


