"""A page's reactions to the workbook, held while the page is hidden in the window.

Every area's page, once made, follows the workbook: a change, an undo or figures a worker
thread worked out redraw it. Redrawing the pages nobody sees made each step pay for all of
them: undoing an import at a million leads redrew the Dashboard's six charts, the Plan and
the Workshop behind the Scoring screen. So a hidden page's reactions wait, merged into one,
and run when the page is next shown, before it paints. A page on its own (a test's, a
dialog's) is never held.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, SignalInstance
from PySide6.QtWidgets import QWidget

from workbench.changes import Changes


class _Context(Protocol):
    changed: SignalInstance
    figures_ready: SignalInstance


class HeldWhileHidden(QObject):
    """One page's reactions: `changed(changes, initiator)` and `figures_ready()`, each
    a method of the page, run at once while the page is shown and held (merged) while it
    is hidden; `run_held` runs what waits (done when the page is shown)."""

    def __init__(self, page: QWidget, context: _Context, *,
                 changed: Callable[[Changes, object], None] | None = None,
                 figures_ready: Callable[[], None] | None = None) -> None:
        super().__init__(page)
        # Weakly: the context outlives its pages, and holds this through its signals.
        self._changed: weakref.WeakMethod[Any] | None = (
            weakref.WeakMethod(changed) if changed is not None else None)  # type: ignore[arg-type]
        self._figures_ready: weakref.WeakMethod[Any] | None = (
            weakref.WeakMethod(figures_ready) if figures_ready is not None else None)  # type: ignore[arg-type]
        self.held_changes: tuple[Changes, object] | None = None
        self.held_figures = False
        if changed is not None:
            context.changed.connect(self.on_changed)
        if figures_ready is not None:
            context.figures_ready.connect(self.on_figures_ready)
        page.installEventFilter(self)

    def hidden(self) -> bool:
        """Whether the page is in a window but not shown (another area is)."""
        page = self.parent()
        return isinstance(page, QWidget) and page.window() is not page and not page.isVisible()

    def on_changed(self, changes: Changes, initiator: object) -> None:
        if not self.hidden():
            self._call(self._changed, changes, initiator)
        elif self.held_changes is None:
            self.held_changes = (changes, initiator)
        else:  # one reaction to everything that changed meanwhile
            before, by = self.held_changes
            self.held_changes = (Changes(step=changes.step,
                                         tables=before.tables | changes.tables),
                                 by if by is initiator else None)

    def on_figures_ready(self) -> None:
        if self.hidden():
            self.held_figures = True
        else:
            self._call(self._figures_ready)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Show:
            self.run_held()
        return False

    def run_held(self) -> None:
        """Run what waits: the changes first, then the figures."""
        if self.held_changes is not None:
            changes, initiator = self.held_changes
            self.held_changes = None
            self._call(self._changed, changes, initiator)
        if self.held_figures:
            self.held_figures = False
            self._call(self._figures_ready)

    @staticmethod
    def _call(method: weakref.WeakMethod[Any] | None, *args: object) -> None:
        react = method() if method is not None else None
        if react is not None:
            react(*args)
