"""`FunnelView`: the funnel diagram on screen. It has the drawing laid out again for its
own size (never scaled, so the text keeps its legible size), and turns clicks, drags, keys
and the context menu into requests the editor carries out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStyle,
    QWidget,
)

from workbench.model import StageId

from . import theme
from .scene import FunnelScene
from .shape import slot_for

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    from workbench.model import Recycle, Stage


class InlineNameEdit(QLineEdit):
    """The line edit laid over a band to rename it; Escape cancels."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class FunnelView(QGraphicsView):
    """Shows a `FunnelScene`; emits what the user asks for, changes nothing itself."""

    stage_clicked = Signal(int)          # stage id
    move_requested = Signal(int, int)    # stage id, new position
    rename_requested = Signal(int, str)  # stage id, new name
    step_requested = Signal(int)         # -1 up, +1 down
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        self.funnel = FunnelScene()
        super().__init__(self.funnel, parent)
        self.funnel.setParent(self)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # the drawing fits the view; only when even its smallest text size does not fit
        # (many stages on a small screen) does the view scroll
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Funnel diagram")
        self.context_actions: list[QAction] = []
        self._press: tuple[StageId, QPoint, QPointF] | None = None
        self._dragging = False
        self.name_edit: InlineNameEdit | None = None
        self._renaming: StageId | None = None

    # -- sizing ----------------------------------------------------------------------------
    def full_size(self) -> tuple[float, float]:
        """The view's size without scroll bars."""
        full = self.maximumViewportSize()
        return float(full.width()), float(full.height())

    def draw(self, stages: list[Stage], volumes: list[int] | None, caption: str,
             recycles: list[Recycle]) -> None:
        """Draw these stages, laid out for the view's size now; a view not shown yet
        keeps them and lays them out once, when shown, at the size it shows at (a screen
        made hidden passes through other sizes first)."""
        if not self.isVisible():
            self.funnel.keep(stages, volumes, caption, recycles)
            return
        self.funnel.draw(stages, volumes, caption, recycles, self.full_size())
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self.fit()

    def fit(self) -> None:
        """Have the drawing laid out for the view's current size (if that changed); a
        view not shown is laid out when it is."""
        if not self.isVisible():
            return
        width, height = self.full_size()
        self.funnel.set_view_size(width, height)
        if self.funnel.sceneRect().height() > height:
            # it will scroll down: leave the vertical scroll bar its room (as Qt reckons
            # it), or a horizontal bar would follow
            bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
            self.funnel.set_view_size(width - bar, height)

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.finish_rename(commit=True)
        self.fit()

    # -- mouse -----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        band = self.funnel.band_at(self.mapToScene(event.position().toPoint()))
        if band is None or event.button() != Qt.MouseButton.LeftButton:
            self._press = None
            if band is not None:
                self.stage_clicked.emit(band.stage_id)
            return
        self._press = (band.stage_id, event.position().toPoint(),
                       self.mapToScene(event.position().toPoint()))
        self.stage_clicked.emit(band.stage_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        stage_id, start, scene_start = self._press
        point = event.position().toPoint()
        distance = (point - start).manhattanLength()
        if not self._dragging and distance < QApplication.startDragDistance():
            return
        band = self.funnel.bands.get(stage_id)
        if band is None:
            self._press = None
            return
        self._dragging = True
        y = self.mapToScene(point).y()
        band.setOpacity(0.8)
        band.setZValue(9)
        band.setPos(0, band.shape_info.top + y - scene_start.y())
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        index = self.funnel.order.index(stage_id)
        self.funnel.show_drop_line(slot_for(y, self.funnel.shapes, index), index)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        press, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        self.viewport().unsetCursor()
        if press is not None and dragging:
            self.drop_band(press[0], self.mapToScene(event.position().toPoint()).y())

    def drop_band(self, stage_id: StageId, scene_y: float) -> None:
        """End a drag: ask to move the band to the slot at `scene_y`, or put it back."""
        self.funnel.show_drop_line(None)
        band = self.funnel.bands.get(stage_id)
        if band is None:
            return
        index = self.funnel.order.index(stage_id)
        band.setOpacity(1.0)
        band.setPos(0, band.shape_info.top)
        band.set_selected(self.funnel.selected == stage_id)
        slot = slot_for(scene_y, self.funnel.shapes, index)
        if slot != index:
            self.move_requested.emit(stage_id, slot)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        band = self.funnel.band_at(self.mapToScene(event.position().toPoint()))
        if band is not None:
            self.start_rename(band.stage_id)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        band = self.funnel.band_at(self.mapToScene(event.pos()))
        if band is None:
            return
        self.stage_clicked.emit(band.stage_id)
        menu = QMenu(self)
        for action in self.context_actions:
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Save diagram as PNG…", self.save_png)
        menu.exec(event.globalPos())

    def save_png(self) -> None:
        """Save the diagram as shown, at twice its size, as a PNG image."""
        from ui.export.files import ask_save_path, save_widget_png

        path = ask_save_path(self, "Save funnel diagram as PNG", "funnel.png",
                             "PNG image (*.png)")
        if path is None:
            return
        try:
            save_widget_png(self.viewport(), path)
        except OSError as error:
            QMessageBox.warning(self, "Cannot save the diagram", str(error))

    # -- keyboard --------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Up:
            self.step_requested.emit(-1)
        elif key == Qt.Key.Key_Down:
            self.step_requested.emit(1)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit()
        elif key in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.funnel.selected is not None:
                self.start_rename(self.funnel.selected)
        else:
            super().keyPressEvent(event)

    # -- rename in place -------------------------------------------------------------------
    def start_rename(self, stage_id: StageId) -> None:
        """Lay a line edit over the band's name, holding the name, all selected."""
        self.finish_rename(commit=True)  # may redraw: look the band up afterwards
        band = self.funnel.bands.get(stage_id)
        if band is None:
            return
        self.stage_clicked.emit(stage_id)
        shape = band.shape_info
        width = min(shape.top_width, shape.bottom_width) - 30
        scene_rect = band.name_item.sceneBoundingRect()
        centre_x = shape.centre
        top_left = self.mapFromScene(QPointF(centre_x - width / 2, scene_rect.top() - 6))
        bottom_right = self.mapFromScene(QPointF(centre_x + width / 2, scene_rect.bottom() + 6))
        edit = InlineNameEdit(self.viewport())
        edit.setAccessibleName("Stage name")
        pixels = self.funnel.layout.sizes.name if self.funnel.layout is not None else 16
        edit.setFont(theme.font(pixels, bold=True))
        # the screen's style sheet sets every field's size: this one matches the band's name
        edit.setStyleSheet(f"font-size: {pixels}px; font-weight: bold; padding: 0 4px;")
        edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        edit.setText(band.full_name)
        edit.selectAll()
        edit.setGeometry(QRect(top_left, bottom_right))
        edit.editingFinished.connect(self._rename_finished)
        edit.cancelled.connect(self._rename_cancelled)
        self.name_edit, self._renaming = edit, stage_id
        edit.show()
        edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _rename_finished(self) -> None:
        self.finish_rename(commit=True)

    def _rename_cancelled(self) -> None:
        self.finish_rename(commit=False)
        self.setFocus()

    def finish_rename(self, *, commit: bool) -> None:
        """Close the inline editor; with `commit`, ask for the typed name."""
        edit, stage_id = self.name_edit, self._renaming
        if edit is None or stage_id is None:
            return
        self.name_edit, self._renaming = None, None
        text, had_focus = edit.text(), edit.hasFocus()
        edit.hide()
        edit.deleteLater()
        band = self.funnel.bands.get(stage_id)
        if commit and (band is None or text != band.full_name):
            self.rename_requested.emit(stage_id, text)
        if had_focus:
            self.setFocus()
