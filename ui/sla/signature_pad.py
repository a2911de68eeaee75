"""A small canvas on which a signer draws their signature with the mouse or a pen; the
strokes become a PNG (transparent, cropped to the ink) for the signature page."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QWidget

from reports import palette

INK_WIDTH = 2.4
PNG_SCALE = 2  # the PNG is drawn at twice the pad's size, so it prints crisply


class SignaturePad(QWidget):
    """Captures strokes; `png_bytes()` gives them as a PNG, `clear()` starts again."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(300, 110)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName("Signature drawing area")
        self.strokes: list[list[QPointF]] = []
        self._drawing = False

    @property
    def is_empty(self) -> bool:
        return not any(len(stroke) > 1 for stroke in self.strokes)

    def clear(self) -> None:
        self.strokes = []
        self.update()
        self.changed.emit()

    def add_stroke(self, points: list[QPointF]) -> None:
        """Add a whole stroke at once (as a pen would draw it)."""
        self.strokes.append(list(points))
        self.update()
        self.changed.emit()

    # -- input ----------------------------------------------------------------------------
    def _begin(self, point: QPointF) -> None:
        self._drawing = True
        self.strokes.append([point])

    def _extend(self, point: QPointF) -> None:
        if self._drawing and self.strokes:
            self.strokes[-1].append(point)
            self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()

    # -- drawing --------------------------------------------------------------------------
    def _path(self) -> QPainterPath:
        path = QPainterPath()
        for stroke in self.strokes:
            if not stroke:
                continue
            path.moveTo(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
        return path

    @staticmethod
    def _pen(scale: float = 1.0) -> QPen:
        pen = QPen(QColor(palette.INK), INK_WIDTH * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(QColor(palette.RULE), 1))
        painter.setBrush(QColor(palette.PAPER))
        painter.drawRoundedRect(frame, 6, 6)
        baseline = self.height() - 26
        painter.setPen(QPen(QColor(palette.RULE), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(16, baseline), QPointF(self.width() - 16, baseline))
        if self.is_empty:
            painter.setPen(QColor(palette.MUTED))
            painter.drawText(QRectF(0, baseline + 2, self.width(), 22),
                             Qt.AlignmentFlag.AlignCenter,
                             "Draw your signature here (optional)")
        painter.setPen(self._pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path())
        painter.end()

    def png_bytes(self) -> bytes | None:
        """The drawing as a PNG cropped to the ink, or None when nothing was drawn."""
        if self.is_empty:
            return None
        path = self._path()
        margin = INK_WIDTH * 2
        bounds = path.boundingRect().adjusted(-margin, -margin, margin, margin)
        image = QImage(max(1, round(bounds.width() * PNG_SCALE)),
                       max(1, round(bounds.height() * PNG_SCALE)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(PNG_SCALE, PNG_SCALE)
        painter.translate(-bounds.topLeft())
        painter.setPen(self._pen())
        painter.drawPath(path)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())
