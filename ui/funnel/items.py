"""The pieces the funnel diagram is drawn from: bands, badges, conversion labels, the
hand-off marker, recycle arrows and the legend, all plain graphics items."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
)

from reports import palette
from workbench.model import Stage

from . import theme
from .layout import HAND_OFF, SIDE_GAP, TextSizes
from .shape import BandShape
from .units import max_time_label, percent_label

HALO = 8            # width of the selection halo
MARKER_RADIUS = 10  # the unsaved-draft marker on a band's top right corner
TEXT_ROOM = 10      # kept clear at both ends of a band's name


def _text(text: str, pixels: float, colour: str | QColor, *, bold: bool = False,
          parent: QGraphicsItem | None = None) -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem(text, parent)
    item.setFont(theme.font(pixels, bold=bold))
    item.setBrush(QColor(colour))
    return item


def _pill(text: str, pixels: float, fill: QColor, ink: str, *, bold: bool = True,
          border: str | None = None) -> QGraphicsPathItem:
    """A rounded label; its origin is its top-left corner."""
    metrics = QFontMetricsF(theme.font(pixels, bold=bold))
    width, height = theme.pill_size(text, pixels, bold=bold)
    path = QPainterPath()
    path.addRoundedRect(QRectF(0, 0, width, height), height / 2, height / 2)
    pill = QGraphicsPathItem(path)
    pill.setBrush(fill)
    pill.setPen(QPen(QColor(border), 1.2) if border else QPen(Qt.PenStyle.NoPen))
    label = _text(text, pixels, ink, bold=bold, parent=pill)
    label.setPos((width - metrics.horizontalAdvance(text)) / 2, (height - metrics.height()) / 2)
    return pill


class BandItem(QGraphicsPathItem):
    """One stage as a trapezoid in its owner's colour, its name large and its owner and
    time limit beneath."""

    def __init__(self, stage: Stage, shape: BandShape, sizes: TextSizes) -> None:
        self.stage_id = stage.id
        self.full_name = stage.name
        self.selected = False
        self.shape_info = shape
        half_top, half_bottom = shape.top_width / 2, shape.bottom_width / 2
        centre = shape.centre
        outline = QPolygonF([
            QPointF(centre - half_top, 0), QPointF(centre + half_top, 0),
            QPointF(centre + half_bottom, shape.height),
            QPointF(centre - half_bottom, shape.height),
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
        room = min(shape.top_width, shape.bottom_width) - 2 * TEXT_ROOM
        name_height = QFontMetricsF(theme.font(sizes.name, bold=True)).height()
        block = name_height + QFontMetricsF(theme.font(sizes.meta)).height()
        top = (shape.height - block) / 2
        self.name_item = self._centred(stage.name, sizes.name, ink, room, top, bold=True)
        meta = f"{theme.owner_label(stage.owner)}  ·  {max_time_label(stage.max_hours)}"
        self.meta_item = self._centred(meta, sizes.meta, ink, room, top + name_height)
        self.unsaved_marker: QGraphicsPathItem | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(stage.definition or "No definition yet")

    def _centred(self, text: str, pixels: float, ink: str, room: float, y: float,
                 *, bold: bool = False) -> QGraphicsSimpleTextItem:
        metrics = QFontMetricsF(theme.font(pixels, bold=bold))
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        item = _text(shown, pixels, ink, bold=bold, parent=self)
        item.setPos(self.shape_info.centre - metrics.horizontalAdvance(shown) / 2, y)
        return item

    def set_unsaved(self, unsaved: bool) -> None:
        """Show or hide the warning marker: a value typed for this stage was refused and
        waits, unsaved, in the side panel."""
        if unsaved and self.unsaved_marker is None:
            self.unsaved_marker = unsaved_marker(self.shape_info, self)
        if self.unsaved_marker is not None:
            self.unsaved_marker.setVisible(unsaved)

    @property
    def unsaved(self) -> bool:
        return self.unsaved_marker is not None and self.unsaved_marker.isVisible()

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
        # The path's own bounds and half the (round-joined) pen: Qt's would stroke the
        # whole outline to find them, a millisecond or more each time a band is laid out.
        margin = self.pen().widthF() / 2 + (HALO / 2 + 1 if getattr(self, "selected", False)
                                            else 0)
        return self.path().boundingRect().adjusted(-margin, -margin, margin, margin)

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        if self.selected:
            halo = QPen(QColor(palette.ACCENT), HALO)
            halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(halo)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self.path())
        super().paint(painter, option, widget)


def unsaved_marker(shape: BandShape, band: QGraphicsItem) -> QGraphicsPathItem:
    """A white disc with an amber "!" on the band's top right corner, like a badge on an
    icon: clear of the centred text and of the recycle arrows at the band's middle."""
    path = QPainterPath()
    path.addEllipse(QPointF(0, 0), MARKER_RADIUS, MARKER_RADIUS)
    marker = QGraphicsPathItem(path, band)
    marker.setBrush(QColor(palette.PAPER))
    marker.setPen(QPen(QColor(palette.WARN), 2))
    marker.setPos(shape.centre + shape.top_width / 2 - MARKER_RADIUS * 0.6, 1)
    marker.setZValue(1)
    mark = _text("!", MARKER_RADIUS * 1.5, palette.WARN, bold=True, parent=marker)
    rect = mark.boundingRect()
    mark.setPos(-rect.width() / 2, -rect.height() / 2)
    marker.setToolTip("A value typed for this stage was refused and is not saved yet: "
                      "select the stage to correct it, or press Escape in the field")
    return marker


def agreement_badge(stage: Stage, shape: BandShape, pixels: float) -> QGraphicsPathItem:
    """"Open" or "Disputed", just left of the band, for stages not yet agreed."""
    text = "Disputed" if stage.agreement.value == "disputed" else "Open"
    badge = _pill(text, pixels, theme.agreement_colour(stage.agreement), palette.PAPER)
    rect = badge.boundingRect()
    badge.setPos(shape.left_at_middle() - rect.width() - SIDE_GAP,
                 shape.middle - rect.height() / 2)
    badge.setZValue(4)
    badge.setToolTip("Marketing and sales have not agreed this definition yet")
    return badge


def conversion_label(rate: float | None, gap_top: float, gap: float, centre: float,
                     pixels: float) -> QGraphicsPathItem:
    """"→ 70 %" in the gap under a band: its target conversion to the next stage."""
    known = rate is not None
    text = f"→ {percent_label(rate)} %" if known else "→ ? %"
    pill = _pill(text, pixels, QColor(palette.PAPER), palette.INK if known else palette.MUTED,
                 border=palette.RULE)
    rect = pill.boundingRect()
    pill.setPos(centre - rect.width() / 2, gap_top + (gap - rect.height()) / 2)
    pill.setZValue(5)
    pill.setToolTip("Target conversion to the next stage")
    return pill


def hand_off_marker(y: float, left: float, right: float, pixels: float
                    ) -> list[QGraphicsItem]:
    """A dashed line across the funnel at `y`, from a "Hand-off" label at `left`."""
    pen = QPen(QColor(palette.INK), 2, Qt.PenStyle.DashLine)
    path = QPainterPath(QPointF(left, y))
    path.lineTo(QPointF(right, y))
    line = QGraphicsPathItem(path)
    line.setPen(pen)
    line.setZValue(4)
    label = _pill(HAND_OFF, pixels, QColor(palette.INK), palette.PAPER)
    label.setPos(left, y - label.boundingRect().height() / 2)
    label.setZValue(6)
    label.setToolTip("Marketing hands leads over to sales here")
    return [line, label]


def recycle_arrow(start: QPointF, end: QPointF, bulge: float) -> list[QGraphicsItem]:
    """A curved arrow from `start` (a lower band's right edge) back up to `end`."""
    path = QPainterPath(start)
    path.cubicTo(QPointF(bulge, start.y()), QPointF(bulge, end.y()), end)
    arrow = QGraphicsPathItem(path)
    pen = QPen(QColor(palette.MUTED), 2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    arrow.setPen(pen)
    head = QPainterPath()
    head.addPolygon(QPolygonF([end, QPointF(end.x() + 13, end.y() - 6.5),
                               QPointF(end.x() + 13, end.y() + 6.5)]))
    head.closeSubpath()
    tip = QGraphicsPathItem(head)
    tip.setBrush(QColor(palette.MUTED))
    tip.setPen(QPen(Qt.PenStyle.NoPen))
    for item in (arrow, tip):
        item.setZValue(2)
    return [arrow, tip]


def shortened(text: str, font: QFont, width: float, lines: int = 3) -> str:
    """`text` as it wraps into at most `lines` lines of `width`, cut at a word with "…"."""
    metrics = QFontMetricsF(font)
    limit = metrics.lineSpacing() * lines + 1

    def height(candidate: str) -> float:
        box = QRectF(0, 0, width, limit * 4)
        return metrics.boundingRect(box, Qt.TextFlag.TextWordWrap, candidate).height()

    if height(text) <= limit:
        return text
    words = text.split()
    while len(words) > 1 and height(" ".join(words) + "…") > limit:
        words.pop()
    return " ".join(words) + "…"


def recycle_label(label: str, apex: QPointF, column: float, top: float, width: float,
                  pixels: float) -> tuple[list[QGraphicsItem], float]:
    """A recycle path's label, wrapped to `width`, at `column`, no higher than `top`,
    joined to its arrow's apex by a dotted leader; returns the items and where the next
    label may start. A label too long for three lines is cut, in full in its tooltip."""
    text = QGraphicsTextItem()
    text.setFont(theme.font(pixels))
    text.document().setDocumentMargin(0)
    text.setDefaultTextColor(QColor(palette.INK))
    shown = shortened(label, text.font(), width)
    text.setPlainText(shown)
    text.setTextWidth(width)
    if shown != label:
        text.setToolTip(label)
    height = text.boundingRect().height()
    y = max(top, apex.y() - height / 2)
    text.setPos(column, y)
    leader = QGraphicsPathItem(_leader(apex, QPointF(column - 4, y + height / 2)))
    leader.setPen(QPen(QColor(palette.MUTED), 1.5, Qt.PenStyle.DotLine))
    dot = QGraphicsPathItem(_dot(apex, 3.5))
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


def legend(x: float, y: float, pixels: float) -> list[QGraphicsItem]:
    """Swatches naming the owner colours, left to right."""
    items: list[QGraphicsItem] = []
    side = pixels + 6
    for owner in ("marketing", "sales", "shared", None):
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, side, side), 4, 4)
        swatch = QGraphicsPathItem(path)
        swatch.setBrush(theme.owner_colour(owner))
        swatch.setPen(QPen(Qt.PenStyle.NoPen))
        swatch.setPos(x, y)
        label = _text(theme.owner_label(owner), pixels, palette.INK)
        label.setPos(x + side + 8, y + side / 2 - QFontMetricsF(label.font()).height() / 2)
        items += [swatch, label]
        x += side + 8 + label.boundingRect().width() + 22
    return items


def caption(text: str, x: float, y: float, pixels: float) -> QGraphicsSimpleTextItem:
    item = _text(text, pixels, palette.MUTED)
    item.setPos(x, y)
    return item
