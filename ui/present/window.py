"""`PresenterWindow`: slides full screen, one at a time. Right, Down, Space or Page Down:
next; Left, Up, Backspace or Page Up: back; Home / End; Esc or F5: leave. A screen opens
it through its `presenter.Presenter`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QWidget

from .canvas import (
    DESIGN_HEIGHT,
    DESIGN_WIDTH,
    FOOTER,
    SMALL,
    TITLE,
    Canvas,
    Drawn,
    Slide,
    colour,
    message_slide,
)

NEXT = {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_PageDown}
BACK = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace, Qt.Key.Key_PageUp}
LEAVE = {Qt.Key.Key_Escape, Qt.Key.Key_F5}
HINT = "→ or space: next  ·  ←: back  ·  Esc: leave"


def caption_height(canvas: Canvas, width: float, caption: str) -> float:
    """The room a caption takes: the lines it needs, at most three."""
    if not caption:
        return 0.0
    line = canvas.line_height(SMALL)
    needed = QFontMetricsF(canvas.font(SMALL)).boundingRect(
        QRectF(0, 0, width, 10 * line), int(Qt.TextFlag.TextWordWrap), caption).height()
    return min(needed, 3 * line) + 1


def paint_slide(p: QPainter, width: float, height: float, slide: Slide, number: int,
                count: int, deck: str) -> Drawn:
    """Paint a whole slide (title, body, caption, footer) at this size; the canvas keeps
    every text drawn, for the tests of fit."""
    u = min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT)
    canvas = Canvas(p, u)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.fillRect(QRectF(0, 0, width, height), Qt.GlobalColor.white)
    margin = 40 * u
    canvas.text(QRectF(margin, 24 * u, width - 2 * margin, 62 * u), slide.title, TITLE,
                bold=True, wrap=False, align=Qt.AlignmentFlag.AlignLeft
                | Qt.AlignmentFlag.AlignVCenter)
    p.fillRect(QRectF(margin, 88 * u, width - 2 * margin, 3 * u), colour("accent"))
    footer = QRectF(margin, height - 44 * u, width - 2 * margin, 32 * u)
    caption = caption_height(canvas, width - 2 * margin, slide.caption)
    caption_top = footer.top() - 10 * u - caption
    body = QRectF(margin, 104 * u, width - 2 * margin, caption_top - 16 * u - 104 * u)
    p.save()
    slide.paint(canvas, body)
    p.restore()
    if slide.caption:
        canvas.text(QRectF(margin, caption_top, width - 2 * margin, caption), slide.caption,
                    SMALL)
    canvas.text(QRectF(footer.left(), footer.top(), footer.width() * 0.45, footer.height()),
                deck, FOOTER, role="muted", wrap=False,
                align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    canvas.text(QRectF(footer.left() + footer.width() * 0.45, footer.top(),
                       footer.width() * 0.55, footer.height()),
                f"{number} / {count}   ·   {HINT}", FOOTER, role="muted", wrap=False,
                align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return canvas.drawn()


def render_slide(slide: Slide, number: int = 1, count: int = 1, deck: str = "",
                 size: QSize | None = None) -> tuple[QImage, Drawn]:
    """A slide as an image (1280×720 unless `size`), and what it drew."""
    size = size or QSize(DESIGN_WIDTH, DESIGN_HEIGHT)
    image = QImage(size, QImage.Format.Format_RGB32)
    p = QPainter(image)
    drawn = paint_slide(p, size.width(), size.height(), slide, number, count, deck)
    p.end()
    return image, drawn


class PresenterWindow(QWidget):
    """A full-screen window showing `slides()` one at a time."""

    left = Signal()

    def __init__(self, deck: str, slides: Callable[[], Sequence[Slide]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{deck} — presentation")
        self.deck, self._source = deck, slides
        self.slides: list[Slide] = []
        self.index = 0
        self.drawn: Drawn | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.reload()

    @property
    def slide_count(self) -> int:
        return len(self.slides)

    def slide_title(self) -> str:
        """What the slide in view shows, as its title says."""
        return self.slides[self.index].title

    def reload(self) -> None:
        """Ask the screen for its slides again (the data changed, or a figure is ready)."""
        self.slides = list(self._source()) or [
            message_slide(self.deck, "Nothing to present yet.")]
        self.index = max(0, min(self.index, len(self.slides) - 1))
        self.update()

    def go(self, index: int) -> None:
        self.index = max(0, min(self.slide_count - 1, index))
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = Qt.Key(event.key())
        if key in NEXT:
            self.go(self.index + 1)
        elif key in BACK:
            self.go(self.index - 1)
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(self.slide_count - 1)
        elif key in LEAVE:
            self.close()
            self.left.emit()
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        self.drawn = paint_slide(p, self.width(), self.height(), self.slides[self.index],
                                 self.index + 1, self.slide_count, self.deck)
        p.end()
