"""The pane right of the sidebar: one page per area, each created the first time it is shown.

A screen is imported by its "module:Class" name only when first needed, so start-up loads
only the first screen's code. An area without a screen, or whose module does not exist yet,
shows a "Coming soon" card.

Each page sits in a scroll area of its own: a page wider or taller than the window (a
projector at 1280×720) scrolls instead of pushing the window's minimum size past the
screen, which would cut off its right-hand side.
"""

from __future__ import annotations

import importlib
import traceback

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget

from ui.areas import AREAS, Area
from ui.context import AppContext

from .cards import ComingSoon, ScreenFailed


def screen_class(spec: str) -> type[QWidget] | None:
    """Import the class named by "package.module:Class"; None when that module does not
    exist (yet). Any other import error propagates."""
    module_name, _, class_name = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None
        raise
    return getattr(module, class_name)  # type: ignore[no-any-return]


class AreaStack(QStackedWidget):
    """Shows one area at a time, creating its page lazily."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.pages: dict[str, QWidget] = {}
        self._made: dict[str, QWidget] = {}  # made by `show_area_soon`, to show next turn
        self._soon: str | None = None
        self.areas = {area.key: area for area in AREAS}

    def show_area(self, key: str) -> QWidget:
        """Bring `key`'s page to the front, creating it on first show; return it."""
        self._soon = None
        page = self._place(key)
        holder = self._holder(page)
        self.setCurrentWidget(holder)
        holder.show()  # the first page placed is current at once, but hidden: see _place
        return page

    def _place(self, key: str) -> QWidget:
        """`key`'s page, made (if it is not yet) and in its place in the stack."""
        page = self.pages.get(key)
        if page is None:
            page = self._made.pop(key, None) or self._create(self.areas[key])
            self.pages[key] = page
            # The scroll area joins the stack before the page goes into it: a page is
            # styled (polished) once, when it first takes its place, and moving a styled
            # page into another parent would style all its widgets again (a tenth of a
            # second for a screen's few hundred widgets).
            holder = QScrollArea()
            holder.setObjectName("AreaScroll")
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            self.addWidget(holder)
            # Hidden while the page goes in (the stack's first page would show at once):
            # a hidden page is laid out once, at the size it is shown at, not again at each
            # size it passes through as it is styled.
            holder.hide()
            holder.setWidget(page)
        return page

    def show_area_soon(self, key: str) -> None:
        """Show `key`'s page; one not made yet is made now, placed and styled a turn of
        the event loop later, and shown (laid out and painted) a turn after that: the
        window paints between the three, each stopping it a third as long (a screen's few
        hundred widgets take a tenth of a second or more to make, style and lay out).
        Another area asked for meanwhile wins; the page made stays for its turn."""
        if key in self.pages:
            self.show_area(key)
            return
        if key not in self._made:
            self._made[key] = self._create(self.areas[key])
        self._soon = key
        QTimer.singleShot(0, self._place_soon)

    def _place_soon(self) -> None:
        if self._soon is None:
            return
        self._place(self._soon)  # styled as it goes into its scroll area, still hidden
        QTimer.singleShot(0, self._show_soon)

    def _show_soon(self) -> None:
        if self._soon is not None:
            self.show_area(self._soon)

    @property
    def showing_soon(self) -> bool:
        """Whether a page asked for is made but not shown yet."""
        return self._soon is not None

    def current_page(self) -> QWidget | None:
        """The page shown now (inside its scroll area)."""
        holder = self.currentWidget()
        return holder.widget() if isinstance(holder, QScrollArea) else None

    def _holder(self, page: QWidget) -> QWidget:
        holder = page.parentWidget()
        while holder is not None and not isinstance(holder, QScrollArea):
            holder = holder.parentWidget()
        assert holder is not None
        return holder

    def _create(self, area: Area) -> QWidget:
        if area.screen is None:
            return ComingSoon(area)
        try:
            cls = screen_class(area.screen)
            if cls is None:
                return ComingSoon(area)
            return cls(self.context, None)
        except Exception as error:  # one broken screen must not take the window down
            traceback.print_exc()
            return ScreenFailed(area, f"{type(error).__name__}: {error}")

    def discard_pages(self) -> None:
        """Delete every page now (before the workbook goes away), so no screen hears about
        a workbook that is gone; pages are made again when next shown."""
        for page in self.pages.values():
            holder = self._holder(page)
            self.removeWidget(holder)
            shiboken6.delete(holder)
        for page in self._made.values():
            shiboken6.delete(page)
        self.pages.clear()
        self._made.clear()
        self._soon = None
