"""`Presenter` gives a screen its Present button and F5, opens its slides full screen (in a
`window.PresenterWindow`), redraws them when the workbook or a figure worked out elsewhere
changes, and hands the keyboard back to where it was on leaving. Apart from the window it
opens, so a screen made at start-up does not load the slides' drawing code."""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

if TYPE_CHECKING:
    from ui.context import AppContext

    from .canvas import Slide
    from .window import PresenterWindow


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
        from .window import PresenterWindow

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
