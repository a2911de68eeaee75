"""`FunnelScene`: the whole funnel drawn from the stages, their volumes and the recycle
paths; rebuilt in one go on every funnel change (a dozen stages draw in milliseconds)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene

from reports import palette
from workbench.funnel import handoff
from workbench.model import Agreement, Recycle, Stage, StageId

from . import items
from .shape import FUNNEL_WIDTH, GAP, BandShape, band_shapes

MARGIN = 24.0


class FunnelScene(QGraphicsScene):
    """The drawn funnel; `bands` maps each stage to its band, `shapes` holds the geometry."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.setBackgroundBrush(QColor(palette.PAPER))
        self.bands: dict[StageId, items.BandItem] = {}
        self.shapes: list[BandShape] = []
        self.order: list[StageId] = []
        self.selected: StageId | None = None
        self._drop_line: QGraphicsLineItem | None = None

    def draw(self, stages: list[Stage], volumes: list[int] | None, caption: str,
             recycles: list[Recycle]) -> None:
        """Replace the drawing with these stages, top of the funnel first."""
        self.clear()
        self._drop_line = None
        self.bands = {}
        self.order = [s.id for s in stages]
        self.shapes = band_shapes(len(stages), volumes)
        for item in items.legend(0):
            self.addItem(item)
        self.addItem(items.caption(caption, 44))
        for stage, shape in zip(stages, self.shapes, strict=True):
            band = items.BandItem(stage, shape)
            self.addItem(band)
            self.bands[stage.id] = band
            if stage.agreement is not Agreement.AGREED:
                self.addItem(items.agreement_badge(stage, shape))
            if shape.index < len(stages) - 1:
                self.addItem(items.conversion_label(stage.target_conversion, shape.bottom, GAP))
        self._draw_hand_off(stages)
        self._draw_recycles(recycles)
        if self.selected in self.bands:
            self.bands[self.selected].set_selected(True)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))

    def _draw_hand_off(self, stages: list[Stage]) -> None:
        """A dashed line in the gap under the stage where marketing hands over."""
        where = handoff(stages)
        if where is None:
            return
        shape = self.shapes[self.order.index(where[0])]
        below = self.shapes[shape.index + 1]
        left = min(below.left_at_middle(), shape.left_at_middle()) - 150
        for item in items.hand_off_marker(shape.bottom + GAP / 2, left):
            self.addItem(item)

    def _draw_recycles(self, recycles: list[Recycle]) -> None:
        """Curved arrows on the right, the shortest path innermost."""
        where = {sid: self.shapes[i] for i, sid in enumerate(self.order)}
        paths = sorted((r for r in recycles if r.from_stage_id in where
                        and r.to_stage_id in where and r.from_stage_id != r.to_stage_id),
                       key=lambda r: abs(where[r.from_stage_id].index
                                         - where[r.to_stage_id].index))
        arrows = []
        for lane, recycle in enumerate(paths):
            source, target = where[recycle.from_stage_id], where[recycle.to_stage_id]
            low, high = sorted((source.index, target.index))
            edge = max(shape.right_at_middle() for shape in self.shapes[low:high + 1])
            start = QPointF(source.right_at_middle() + 4, source.middle)
            end = QPointF(target.right_at_middle() + 8, target.middle)
            bulge = edge + 70 + 60 * lane
            for item in items.recycle_arrow(start, end, bulge):
                self.addItem(item)
            arrows.append((items.recycle_apex(start, end, bulge), recycle.label))
        labelled = sorted((a for a in arrows if a[1]), key=lambda a: a[0].y())
        column = max((apex.x() for apex, _ in labelled), default=0) + 30
        top = float("-inf")
        for apex, label in labelled:
            placed, top = items.recycle_label(label, apex, column, top)
            for item in placed:
                self.addItem(item)

    # -- selection and dragging ------------------------------------------------------------
    def select(self, stage_id: StageId | None) -> None:
        """Outline the selected band; the previous one goes back to normal."""
        if self.selected in self.bands:
            self.bands[self.selected].set_selected(False)
        self.selected = stage_id
        if stage_id in self.bands:
            self.bands[stage_id].set_selected(True)

    def band_at(self, point: QPointF) -> items.BandItem | None:
        """The band under a scene point, if any (its labels count as the band)."""
        for item in self.items(point):
            while item is not None and not isinstance(item, items.BandItem):
                item = item.parentItem()
            if item is not None:
                return item
        return None

    def band_rect(self, stage_id: StageId) -> QRectF:
        return self.bands[stage_id].sceneBoundingRect()

    def show_drop_line(self, slot: int | None, moving: int = -1) -> None:
        """Mark where the band at index `moving` would land at position `slot` (None, or
        its own place, hides the mark)."""
        if slot is None or slot == moving or not self.shapes:
            if self._drop_line is not None:
                self._drop_line.hide()
            return
        if slot < moving:
            y = self.shapes[slot].top - GAP / 2
        else:
            y = self.shapes[slot].bottom + GAP / 2
        if self._drop_line is None:
            self._drop_line = QGraphicsLineItem()
            self._drop_line.setPen(QPen(QColor(palette.ACCENT), 6))
            self._drop_line.setZValue(10)
            self.addItem(self._drop_line)
        self._drop_line.setLine(-20, y, FUNNEL_WIDTH + 20, y)
        self._drop_line.show()
