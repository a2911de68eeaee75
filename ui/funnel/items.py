"""The pieces the funnel diagram is drawn from: bands, badges, conversion labels, the
hand-off marker, recycle arrows and the legend, all plain graphics items."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
)

from reports import palette
from workbench.model import Stage

from . import theme
from .shape import FUNNEL_WIDTH, BandShape
from .units import max_time_label, percent_label

NAME_PX = 30
META_PX = 18
PAD = 24
HALO = 14  # width of the selection halo


def _text(text: str, pixels: float, colour: str | QColor, *, bold: bool = False,
          parent: QGraphicsItem | None = None) -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem(text, parent)
    item.setFont(theme.font(pixels, bold=bold))
    item.setBrush(QColor(colour))
    return item


def _pill(text: str, pixels: float, fill: QColor, ink: str, *, bold: bool = True,
          border: str | None = None) -> QGraphicsPathItem:
    """A rounded label; its origin is its top-left corner."""
    font = theme.font(pixels, bold=bold)
    metrics = QFontMetricsF(font)
    width, height = metrics.horizontalAdvance(text) + pixels * 1.3, metrics.height() + pixels * 0.5
    path = QPainterPath()
    path.addRoundedRect(QRectF(0, 0, width, height), height / 2, height / 2)
    pill = QGraphicsPathItem(path)
    pill.setBrush(fill)
    pill.setPen(QPen(QColor(border), 1.5) if border else QPen(Qt.PenStyle.NoPen))
    label = _text(text, pixels, ink, bold=bold, parent=pill)
    label.setPos((width - metrics.horizontalAdvance(text)) / 2, (height - metrics.height()) / 2)
    return pill


class BandItem(QGraphicsPathItem):
    """One stage as a trapezoid in its owner's colour, its name large and its owner and
    time limit beneath."""

    def __init__(self, stage: Stage, shape: BandShape) -> None:
        self.stage_id = stage.id
        self.full_name = stage.name
        self.selected = False
        self.shape_info = shape
        half_top, half_bottom = shape.top_width / 2, shape.bottom_width / 2
        centre = FUNNEL_WIDTH / 2
        outline = QPolygonF([
            QPointF(centre - half_top, 0), QPointF(centre + half_top, 0),
            QPointF(centre + half_bottom, shape.bottom - shape.top),
            QPointF(centre - half_bottom, shape.bottom - shape.top),
        ])
        path = QPainterPath()
        path.addPolygon(outline)
        path.closeSubpath()
        super().__init__(path)
        self.setPos(0, shape.top)
        colour = theme.owner_colour(stage.owner)
        self.setBrush(QBrush(colour))
        self.set_selected(False)
        ink = palette.INK if stage.owner is None else palette.PAPER
        room = min(shape.top_width, shape.bottom_width) - 2 * PAD
        self.name_item = self._centred(stage.name, NAME_PX, ink, room, 5, bold=True)
        meta = f"{theme.owner_label(stage.owner)}  ·  {max_time_label(stage.max_hours)}"
        self._centred(meta, META_PX, ink, room, 7 + NAME_PX * 1.25)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(stage.definition or "No definition yet")

    def _centred(self, text: str, pixels: float, ink: str, room: float, y: float,
                 *, bold: bool = False) -> QGraphicsSimpleTextItem:
        metrics = QFontMetricsF(theme.font(pixels, bold=bold))
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        item = _text(shown, pixels, ink, bold=bold, parent=self)
        item.setPos(FUNNEL_WIDTH / 2 - metrics.horizontalAdvance(shown) / 2, y)
        return item

    def set_selected(self, selected: bool) -> None:
        """Mark the selection with a thick accent halo around a white edge, which shows on
        every owner colour (Qt's dotted focus rectangle is invisible on a projector)."""
        self.prepareGeometryChange()
        self.selected = selected
        pen = QPen(QColor(palette.PAPER), 3 if selected else 2)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.setPen(pen)
        self.setZValue(3 if selected else 1)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        margin = HALO / 2 + 1 if getattr(self, "selected", False) else 0
        return super().boundingRect().adjusted(-margin, -margin, margin, margin)

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        if self.selected:
            halo = QPen(QColor(palette.ACCENT), HALO)
            halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(halo)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self.path())
        super().paint(painter, option, widget)


def agreement_badge(stage: Stage, shape: BandShape) -> QGraphicsPathItem:
    """"Open" or "Disputed", just left of the band, for stages not yet agreed."""
    text = "Disputed" if stage.agreement.value == "disputed" else "Open"
    badge = _pill(text, 16, theme.agreement_colour(stage.agreement), palette.PAPER)
    rect = badge.boundingRect()
    badge.setPos(shape.left_at_middle() - rect.width() - 14, shape.middle - rect.height() / 2)
    badge.setZValue(4)
    badge.setToolTip("Marketing and sales have not agreed this definition yet")
    return badge


def conversion_label(rate: float | None, gap_top: float, gap: float) -> QGraphicsPathItem:
    """"→ 70 %" in the gap under a band: its target conversion to the next stage."""
    known = rate is not None
    text = f"→ {percent_label(rate)} %" if known else "→ ? %"
    pill = _pill(text, 17, QColor(palette.PAPER), palette.INK if known else palette.MUTED,
                 border=palette.RULE)
    rect = pill.boundingRect()
    pill.setPos(FUNNEL_WIDTH / 2 - rect.width() / 2, gap_top + (gap - rect.height()) / 2)
    pill.setZValue(5)
    pill.setToolTip("Target conversion to the next stage")
    return pill


def hand_off_marker(y: float, left: float) -> list[QGraphicsItem]:
    """A dashed line across the funnel at `y` and a "Hand-off" label at its left end."""
    pen = QPen(QColor(palette.INK), 2.5, Qt.PenStyle.DashLine)
    path = QPainterPath(QPointF(left, y))
    path.lineTo(QPointF(FUNNEL_WIDTH + 20, y))
    line = QGraphicsPathItem(path)
    line.setPen(pen)
    line.setZValue(4)
    label = _pill("Hand-off", 16, QColor(palette.INK), palette.PAPER)
    label.setPos(left, y - label.boundingRect().height() / 2)
    label.setZValue(6)
    label.setToolTip("Marketing hands leads over to sales here")
    return [line, label]


def recycle_apex(start: QPointF, end: QPointF, bulge: float) -> QPointF:
    """The outermost point of a recycle arrow's curve (the cubic at t = ½)."""
    return QPointF(0.125 * (start.x() + end.x()) + 0.75 * bulge, (start.y() + end.y()) / 2)


def recycle_arrow(start: QPointF, end: QPointF, bulge: float) -> list[QGraphicsItem]:
    """A curved arrow from `start` (a lower band's right edge) back up to `end`."""
    path = QPainterPath(start)
    path.cubicTo(QPointF(bulge, start.y()), QPointF(bulge, end.y()), end)
    arrow = QGraphicsPathItem(path)
    pen = QPen(QColor(palette.MUTED), 3)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    arrow.setPen(pen)
    head = QPainterPath()
    head.addPolygon(QPolygonF([end, QPointF(end.x() + 16, end.y() - 8),
                               QPointF(end.x() + 16, end.y() + 8)]))
    head.closeSubpath()
    tip = QGraphicsPathItem(head)
    tip.setBrush(QColor(palette.MUTED))
    tip.setPen(QPen(Qt.PenStyle.NoPen))
    for item in (arrow, tip):
        item.setZValue(2)
    return [arrow, tip]


def recycle_label(label: str, apex: QPointF, column: float, top: float
                  ) -> tuple[list[QGraphicsItem], float]:
    """A recycle path's label in the label column, no higher than `top`, joined to its
    arrow's apex by a dotted leader; returns the items and where the next label may start."""
    text = QGraphicsTextItem()
    text.setFont(theme.font(18))
    text.setDefaultTextColor(QColor(palette.INK))
    text.setPlainText(label)
    text.setTextWidth(240)
    height = text.boundingRect().height()
    y = max(top, apex.y() - height / 2)
    text.setPos(column, y)
    leader = QGraphicsPathItem(_leader(apex, QPointF(column + 2, y + height / 2)))
    leader.setPen(QPen(QColor(palette.MUTED), 2, Qt.PenStyle.DotLine))
    dot = QGraphicsPathItem(_dot(apex, 5))
    dot.setBrush(QColor(palette.MUTED))
    dot.setPen(QPen(Qt.PenStyle.NoPen))
    for item in (text, leader, dot):
        item.setZValue(2)
    return [leader, dot, text], y + height + 6


def _leader(start: QPointF, end: QPointF) -> QPainterPath:
    path = QPainterPath(start)
    path.lineTo(end)
    return path


def _dot(centre: QPointF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(centre, radius, radius)
    return path


def legend(y: float) -> list[QGraphicsItem]:
    """Swatches naming the owner colours, left to right."""
    items: list[QGraphicsItem] = []
    x = 0.0
    for owner in ("marketing", "sales", "shared", None):
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, 24, 24), 5, 5)
        swatch = QGraphicsPathItem(path)
        swatch.setBrush(theme.owner_colour(owner))
        swatch.setPen(QPen(Qt.PenStyle.NoPen))
        swatch.setPos(x, y)
        label = _text(theme.owner_label(owner), 19, palette.INK)
        label.setPos(x + 32, y + 12 - QFontMetricsF(label.font()).height() / 2)
        items += [swatch, label]
        x += 32 + label.boundingRect().width() + 34
    return items


def caption(text: str, y: float) -> QGraphicsSimpleTextItem:
    item = _text(text, 17, palette.MUTED)
    item.setPos(0, y)
    return item
