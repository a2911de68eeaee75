"""Undo and redo from the Edit menu: reverse or re-apply the workbook's newest step and tell
every screen what changed, exactly as `AppContext.perform` does for an edit."""

from __future__ import annotations

from ui.context import AppContext
from workbench.changes import Changes
from workbench.errors import WorkbenchError


def undo_last_step(context: AppContext) -> Changes | None:
    """Undo the newest step; None (and a status message) when nothing could be undone."""
    return _replay(context, redo=False)


def redo_last_step(context: AppContext) -> Changes | None:
    """Redo the newest undone step; None when there is none."""
    return _replay(context, redo=True)


def _replay(context: AppContext, *, redo: bool) -> Changes | None:
    workbook = context.workbook
    if workbook is None or (workbook.redo_name if redo else workbook.undo_name) is None:
        return None
    try:
        changes = workbook.redo() if redo else workbook.undo()
    except WorkbenchError as error:
        context.status.emit(str(error), 8000)
        return None
    context.changed.emit(changes, None)
    context.status.emit(f"{'Redid' if redo else 'Undid'} “{changes.step}”", 3000)
    return changes
