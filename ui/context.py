"""What every screen shares: the open workbook, one application-wide `changed` signal, and
`perform`, which runs a core mutation and reports refusals instead of raising.

Screens call the core through `perform` and redraw from the `Changes` they receive on
`changed`, skipping updates they initiated themselves (compare Anki's `OpChanges`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.shell.figures import BackgroundFigures
from ui.shell.wheel_guard import guard_all_wheels
from workbench.changes import Changes
from workbench.errors import ValidationError, WorkbenchError

if TYPE_CHECKING:  # the core's import cost stays off the first paint
    from workbench.workbook import Workbook


class AppContext(QObject):
    """One per main window. `workbook` is None while no workbook is open."""

    # (changes, initiator): the initiator is the object that asked for the change, or None.
    changed = Signal(object, object)
    # A user-facing message for the status bar (text, milliseconds to show it).
    status = Signal(str, int)
    # A refused input: (ValidationError, initiator) so the initiating field can show it.
    refused = Signal(object, object)
    workbook_replaced = Signal()
    # Another area asked to be shown at a target: (area key, what to show there), e.g. the
    # funnel's checker sending the user to ("scoring", "mql_threshold").
    area_requested = Signal(str, object)
    # Figures worked out off the GUI thread are ready: screens showing "—" for them redraw.
    figures_ready = Signal()

    def __init__(self, workbook: Workbook | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        guard_all_wheels()  # every screen's combo and spin boxes leave the wheel to the page
        self.workbook = workbook
        # The user's data folder (signing keys live under it); the main window sets it.
        self.data_dir: Path | None = None
        # Whether the window the screens are made for carries their style sheets (the main
        # window does); a screen made on its own, for a test, styles itself.
        self.window_styles_screens = False
        self.figures = BackgroundFigures(self)
        self.figures.watch(workbook)

    def user_data_dir(self) -> Path:
        """The user's data folder: `data_dir` when set (the main window sets it, tests give
        a temporary one), else the platform's folder for this app's data."""
        if self.data_dir is not None:
            return Path(self.data_dir)
        from PySide6.QtCore import QStandardPaths

        return Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.AppDataLocation))

    def set_workbook(self, workbook: Workbook | None) -> None:
        """Switch to another workbook (or none); every screen reloads."""
        self.workbook = workbook
        self.figures.watch(workbook)
        self.workbook_replaced.emit()

    def perform(
        self, mutation: Callable[..., Any], *args: Any, initiator: object = None, **kwargs: Any
    ) -> Any:
        """Run a core mutation, broadcast its `Changes`, and return its result.

        A mutation returns `Changes` or a tuple whose first item is `Changes`. A
        `ValidationError` is reported on `refused` (and the status bar) and None returned:
        nothing changed, so nothing redraws.
        """
        try:
            result = mutation(*args, **kwargs)
        except ValidationError as error:
            self.refused.emit(error, initiator)
            self.status.emit(error.message, 6000)
            return None
        except WorkbenchError as error:
            self.status.emit(str(error), 8000)
            return None
        changes = result[0] if isinstance(result, tuple) else result
        if isinstance(changes, Changes) and not changes.empty:
            self.changed.emit(changes, initiator)
            if not (changes.undone or changes.redone):
                self.status.emit(f"{changes.step} — saved", 2500)
        return result if result is not None else True
