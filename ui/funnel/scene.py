"""`FunnelScene`: the whole funnel drawn from the stages, their volumes and the recycle
paths, laid out for the view's size; rebuilt in one go on every funnel change and every
resize (a dozen stages draw in a few milliseconds)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene

from reports import palette
from workbench.funnel import handoff
from workbench.model import Agreement, Recycle, Stage, StageId

from . import items, theme
from .layout import (
    HAND_OFF,
    SIDE_GAP,
    DiagramContent,
    DiagramLayout,
    RecyclePath,
    lay_out,
    recycle_apex,
)
from .shape import BandShape


def _spread(paths: list[RecyclePath], step: float = 10.0) -> list[tuple[float, float]]:
    """Vertical offsets of each arrow's tail and head, so arrows that meet the same band
    sit side by side there instead of on top of each other."""
    ends = [band for path in paths for band in (path.source, path.target)]
    offsets = []
    for index, band in enumerate(ends):
        sharing = [i for i, other in enumerate(ends) if other == band]
        offsets.append((sharing.index(index) - (len(sharing) - 1) / 2) * step)
    return list(zip(offsets[::2], offsets[1::2], strict=True))


class FunnelScene(QGraphicsScene):
    """The drawn funnel; `bands` maps each stage to its band, `shapes` holds the geometry,
    `layout` where everything went for the current view size."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.setBackgroundBrush(QColor(palette.PAPER))
        self.bands: dict[StageId, items.BandItem] = {}
        self.order: list[StageId] = []
        self.selected: StageId | None = None
        self.unsaved: set[StageId] = set()
        self.view_size = (1000.0, 700.0)
        self.layout: DiagramLayout | None = None
        self._drawn: tuple[list[Stage], list[int] | None, str, list[Recycle]] = ([], None, "", [])
        self._drop_line: QGraphicsLineItem | None = None

    @property
    def shapes(self) -> list[BandShape]:
        return self.layout.shapes if self.layout is not None else []

    def draw(self, stages: list[Stage], volumes: list[int] | None, caption: str,
             recycles: list[Recycle], view_size: tuple[float, float] | None = None) -> None:
        """Replace the drawing with these stages, top of the funnel first (laid out for
        `view_size` when given: the view's size now, so it is laid out once)."""
        self._drawn = (stages, volumes, caption, recycles)
        if view_size is not None:
            self.view_size = view_size
        self._rebuild()

    def keep(self, stages: list[Stage], volumes: list[int] | None, caption: str,
             recycles: list[Recycle]) -> None:
        """Take these stages to draw at the next `set_view_size` (the view is not shown)."""
        self._drawn = (stages, volumes, caption, recycles)
        self.layout = None

    def set_view_size(self, width: float, height: float) -> bool:
        """Lay the drawing out again for a view of this size; False when nothing changed."""
        if (width, height) == self.view_size and self.layout is not None:
            return False
        self.view_size = (width, height)
        self._rebuild()
        return True

    def set_unsaved(self, stage_ids: set[StageId]) -> None:
        """Mark the bands whose stages have refused, unsaved values in the side panel."""
        self.unsaved = set(stage_ids)
        for stage_id, band in self.bands.items():
            band.set_unsaved(stage_id in self.unsaved)

    def _rebuild(self) -> None:
        stages, volumes, caption, recycles = self._drawn
        self.clear()
        self._drop_line = None
        self.bands = {}
        self.order = [s.id for s in stages]
        paths = self._recycle_paths(recycles)
        hand_off = self._hand_off_index(stages)
        content = DiagramContent(
            len(stages), volumes,
            tuple((i, "Disputed" if s.agreement is Agreement.DISPUTED else "Open")
                  for i, s in enumerate(stages) if s.agreement is not Agreement.AGREED),
            hand_off, tuple(paths))
        layout = self.layout = lay_out(content, *self.view_size, caption)
        sizes = layout.sizes
        for item in items.legend(layout.header_x, layout.header_y, sizes.legend):
            self.addItem(item)
        self.addItem(items.caption(caption, layout.header_x, layout.caption_y, sizes.caption))
        for stage, shape in zip(stages, layout.shapes, strict=True):
            band = items.BandItem(stage, shape, sizes)
            self.addItem(band)
            self.bands[stage.id] = band
            band.set_unsaved(stage.id in self.unsaved)
            if stage.agreement is not Agreement.AGREED:
                self.addItem(items.agreement_badge(stage, shape, sizes.badge))
            if shape.index < len(stages) - 1:
                self.addItem(items.conversion_label(stage.target_conversion, shape.bottom,
                                                    layout.gap, shape.centre, sizes.pill))
        if hand_off is not None:
            self._draw_hand_off(hand_off)
        self._draw_recycles(paths)
        if self.selected in self.bands:
            self.bands[self.selected].set_selected(True)
        self.setSceneRect(QRectF(0, 0, layout.width, layout.height))

    def _hand_off_index(self, stages: list[Stage]) -> int | None:
        """The position of the band above the hand-off line, if it has one below it."""
        where = handoff(stages)
        if where is None:
            return None
        index = self.order.index(where[0])
        return index if index + 1 < len(stages) else None

    def _draw_hand_off(self, index: int) -> None:
        """A dashed line in the gap under the stage where marketing hands over."""
        assert self.layout is not None
        above, below = self.shapes[index], self.shapes[index + 1]
        width = theme.pill_size(HAND_OFF, self.layout.sizes.badge)[0]
        left = min(above.left_at_middle(), below.left_at_middle()) - SIDE_GAP - width
        right = max(above.right_at_middle(), below.right_at_middle()) + 16
        for item in items.hand_off_marker(above.bottom + self.layout.gap / 2, left, right,
                                          self.layout.sizes.badge):
            self.addItem(item)

    def _recycle_paths(self, recycles: list[Recycle]) -> list[RecyclePath]:
        """Recycle paths between drawn bands, by band position, the shortest first."""
        where = {sid: i for i, sid in enumerate(self.order)}
        paths = [RecyclePath(where[r.from_stage_id], where[r.to_stage_id], r.label or "")
                 for r in recycles if r.from_stage_id in where and r.to_stage_id in where
                 and r.from_stage_id != r.to_stage_id]
        return sorted(paths, key=lambda p: p.span[1] - p.span[0])

    def _draw_recycles(self, paths: list[RecyclePath]) -> None:
        """Curved arrows on the right, the shortest path innermost, labels beside them."""
        assert self.layout is not None
        layout = self.layout
        labelled = []
        ends = _spread(paths)
        for path, bulge, (start_dy, end_dy) in zip(paths, layout.bulges, ends, strict=True):
            source, target = self.shapes[path.source], self.shapes[path.target]
            start = QPointF(source.right_at_middle() + 4, source.middle + start_dy)
            end = QPointF(target.right_at_middle() + 8, target.middle + end_dy)
            for item in items.recycle_arrow(start, end, bulge):
                self.addItem(item)
            if path.label:
                apex = QPointF(recycle_apex(start.x(), end.x(), bulge),
                               (start.y() + end.y()) / 2)
                labelled.append((apex, path.label))
        top = float("-inf")
        for apex, label in sorted(labelled, key=lambda a: a[0].y()):
            placed, top = items.recycle_label(label, apex, layout.label_column, top,
                                              layout.label_width, layout.sizes.recycle)
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
        assert self.layout is not None
        gap = self.layout.gap
        shape = self.shapes[slot]
        y = shape.top - gap / 2 if slot < moving else shape.bottom + gap / 2
        if self._drop_line is None:
            self._drop_line = QGraphicsLineItem()
            self._drop_line.setPen(QPen(QColor(palette.ACCENT), 4))
            self._drop_line.setZValue(10)
            self.addItem(self._drop_line)
        self._drop_line.setLine(self.layout.funnel_left - 16, y,
                                self.layout.funnel_right + 16, y)
        self._drop_line.show()
