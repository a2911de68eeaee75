"""Figures that take seconds at a million leads are worked out off the GUI thread.

The forward check's lead timeline (the open pipeline and won deals at any moment) reads
every lead that reached the pipeline: seconds for a million. `BackgroundFigures` has the
core hand that reading to a worker thread with its own read-only connection
(`lead_pipeline.defer_to`); the screens show "—" and why meanwhile, and redraw on
`AppContext.figures_ready` once the timeline is kept. It starts as soon as a workbook is
open, so by the time someone opens the dashboard it is usually there.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from ui.sla.workers import run_job

if TYPE_CHECKING:
    from ui.context import AppContext
    from workbench.planning.lead_pipeline import TimelineRequest, TimelineResult
    from workbench.workbook import Workbook


class BackgroundFigures:
    """Reads slow figures of the current workbook on the "figures" worker thread; when a
    reading ends, the context's `figures_ready` is emitted (what was asked for can be read
    at once, or is asked for again).

    Not a QObject, and it holds its context, workbook and itself (in the core's starter)
    weakly: no Qt object can be left for Python's collector to destroy off its thread."""

    def __init__(self, context: AppContext) -> None:
        self._context = weakref.ref(context)
        self._workbook: weakref.ref[Workbook] | None = None
        self._running: set[tuple[object, ...]] = set()
        self.reads = 0  # how many readings were started (tests)

    def watch(self, workbook: Workbook | None) -> None:
        """Work out `workbook`'s slow figures off the GUI thread from now on, starting
        with its timeline (soon after this returns, so the first screen paints first)."""
        self._running.clear()
        self._workbook = None if workbook is None else weakref.ref(workbook)
        if workbook is None or workbook.path is None:
            return
        from workbench.planning import lead_pipeline

        lead_pipeline.defer_to(workbook, _weakly(self._start))
        if lead_pipeline.defers(workbook):  # a small workbook's is read when first asked
            QTimer.singleShot(0, _weakly(self.prefetch))

    def prefetch(self) -> None:
        """Ask for the current timeline: read elsewhere if it is not at hand."""
        workbook = self._current()
        if workbook is None:
            return
        from workbench.planning.forward import pipeline_stages
        from workbench.planning.lead_pipeline import lead_timeline

        stages = workbook.funnel.stages()
        try:
            lead_timeline(workbook, stages, pipeline_stages(stages))
        except Exception:  # noqa: BLE001 - the screen that needs it will say what is wrong
            return

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def _current(self) -> Workbook | None:
        return None if self._workbook is None else self._workbook()

    def _start(self, request: TimelineRequest) -> None:
        if request.layout in self._running:
            return  # already being read
        self._running.add(request.layout)
        self.reads += 1
        run_job(request.work, self._finished, self._failed, thread="figures")

    def _finished(self, result: TimelineResult) -> None:
        from workbench.planning import lead_pipeline

        self._running.discard(result.layout)
        workbook = self._current()
        if workbook is None:
            return
        try:
            lead_pipeline.keep(workbook, result)  # not kept: changed meanwhile, read again
        except sqlite3.Error:  # closed meanwhile: nothing to show it in
            return
        self._emit_ready()

    def _failed(self, _error: Exception) -> None:
        """Reading elsewhere failed (the file went away, say): read it at once from now on,
        so the screen that asks gets the error and says what is wrong."""
        from workbench.planning import lead_pipeline

        self._running.clear()
        workbook = self._current()
        if workbook is not None:
            lead_pipeline.defer_to(workbook, None)
            self._emit_ready()

    def _emit_ready(self) -> None:
        context = self._context()
        if context is not None:
            context.figures_ready.emit()


def _weakly(method: Callable[..., None]) -> Callable[..., None]:
    """`method`, called only while its object lives (which this does not keep alive)."""
    ref = weakref.WeakMethod(method)

    def call(*args: object) -> None:
        found = ref()
        if found is not None:
            found(*args)

    return call
