"""`PresenterWindow`: slides full screen, one at a time. Right, Down, Space or Page Down:
next; Left, Up, Backspace or Page Up: back; Home / End; Esc or F5: leave. `Presenter`
gives a screen its Present button and F5, opens its slides, redraws them when the
workbook or a figure worked out elsewhere changes, and hands the keyboard back to where
it was on leaving."""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QShortcut,
)
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

if TYPE_CHECKING:
    from ui.context import AppContext

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


class Presenter(QObject):
    """A screen's presentation mode: `button` for its header, F5 anywhere in its window
    while the screen is shown, and the window it opens."""

    def __init__(self, screen: QWidget, deck: str, slides: Callable[[], Sequence[Slide]],
                 context: AppContext | None = None) -> None:
        super().__init__(screen)
        # Held weakly: a screen kept alive by its own presenter would outlive its test, its
        # window and its workbook (Qt's parent already ties this to the screen).
        self.deck, self._slides = deck, _weakly(slides)
        self.window: PresenterWindow | None = None
        self._return_to: QWidget | None = None
        self._button: QPushButton | None = None
        # Only the screen in view owns F5: a hidden screen's shortcut never fires.
        self.shortcut = QShortcut(QKeySequence(Qt.Key.Key_F5), screen, self.toggle,
                                  context=Qt.ShortcutContext.WindowShortcut)
        if context is not None:
            context.changed.connect(self.refresh_soon)
            context.figures_ready.connect(self.refresh_soon)
            context.workbook_replaced.connect(self.leave)

    @property
    def button(self) -> QPushButton:
        """The Present button, made for a screen that shows it (one with a header of tool
        buttons has its own): a button made and never placed would be left without a
        parent, for Python's cycle collector to destroy."""
        if self._button is None:
            self._button = QPushButton("Present (F5)")
            self._button.setToolTip("Full screen, large type, one slide at a time: arrows "
                                    "or space move, Esc leaves")
            self._button.clicked.connect(self.toggle)
        return self._button

    @property
    def screen(self) -> QWidget:
        parent = self.parent()
        assert isinstance(parent, QWidget)
        return parent

    def slides(self) -> Sequence[Slide]:
        """The screen's slides as they are now."""
        return self._slides()

    @property
    def showing(self) -> bool:
        return self.window is not None and self.window.isVisible()

    def toggle(self) -> None:
        if self.showing:
            self.leave()
        else:
            self.open()

    def open(self) -> None:
        """Show the screen's slides full screen, from the first."""
        focus = QApplication.focusWidget()
        self._return_to = focus
        if self.window is not None:
            self.window.deleteLater()
        self.window = PresenterWindow(self.deck, self.slides, self.screen)
        self.window.left.connect(self._restore)
        self.window.showFullScreen()
        self.window.activateWindow()
        self.window.setFocus()

    def leave(self) -> None:
        if self.showing:
            assert self.window is not None
            self.window.close()
            self._restore()

    def refresh_soon(self, *_: object) -> None:
        """Redraw the slides after the screen has redrawn from the same change."""
        if self.showing:
            QTimer.singleShot(0, self.refresh)

    def refresh(self) -> None:
        if self.showing:
            assert self.window is not None
            self.window.reload()

    def _restore(self) -> None:
        """Back to the window and the field that had the keyboard before."""
        home = self.screen.window()
        home.activateWindow()
        target = self._return_to
        if target is None or not shiboken6.isValid(target) or not target.isVisible():
            target = self.screen
        target.setFocus()


def _weakly(slides: Callable[[], Sequence[Slide]]) -> Callable[[], Sequence[Slide]]:
    """`slides`, held weakly when it is a bound method (no slides once its object is gone)."""
    if not inspect.ismethod(slides):
        return slides
    ref = weakref.WeakMethod(slides)

    def call() -> Sequence[Slide]:
        method = ref()
        return [] if method is None else method()

    return call
