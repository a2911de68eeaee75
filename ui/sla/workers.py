"""Work done off the GUI thread: the SLA screens' laying out and rendering of the PDF
preview, signing, exporting and verifying; and the window's backups of the workbook.

The SLA's work runs on one worker thread, so reportlab, pdfium and pyHanko never run twice at
once (pdfium is not thread-safe). The work function gets plain data and never touches a
widget; its result (or its exception) arrives on the GUI thread through a signal.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

_POOLS: dict[str, QThreadPool] = {}
_RUNNING: set[Job] = set()  # jobs whose results have not been delivered yet
# How long a worker may keep the interpreter (the GIL) once the GUI thread asks for it.
# Python's default is 5 ms, and the GUI thread asks again at each call from Qt into
# Python (a paint, an event filter, a slot), so a screen drawn beside a busy worker can
# wait up to 5 ms at each. At 0.5 ms it waits a tenth as long (`bench/gil_handover.py`:
# 200 such calls 7.5x faster); the worker is slowed only while the window is busy.
SWITCH_SECONDS = 0.0005


def pool(name: str = "sla") -> QThreadPool:
    """A single worker thread: "sla" for the SLA screens, "files" for copies of the
    workbook (backups), which may take seconds and must not hold up a PDF preview; the
    others ("leads", "counts", "scores", "figures", "open") each for one kind of reading
    of a big workbook, so that one does not wait behind another."""
    found = _POOLS.get(name)
    if found is None:
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_SECONDS))
        found = _POOLS[name] = QThreadPool()
        found.setMaxThreadCount(1)
        found.setExpiryTimeout(30_000)
        app = QCoreApplication.instance()
        if app is not None and len(_POOLS) == 1:  # let running jobs finish before exit
            app.aboutToQuit.connect(_finish_on_quit)
    return found


def _finish_on_quit() -> None:
    wait_for_workers()


def wait_for_workers(timeout_ms: int = 30_000) -> bool:
    """Block until queued work is done on every worker thread (tests and shutdown); False
    on timeout."""
    return all([pool(name).waitForDone(timeout_ms) for name in list(_POOLS) or ["sla"]])


class Job(QObject):
    """One piece of work for the worker thread. Lives on the GUI thread, so `finished`
    and `failed`, emitted from the worker, are delivered there (queued)."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self._work = work

    def run_on_worker(self) -> None:
        """The worker thread's part: run the work, emit the outcome. No widgets here."""
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - delivered to the screen, which explains it
            outcome, signal = error, self.failed
        else:
            outcome, signal = result, self.finished
        with contextlib.suppress(RuntimeError):  # the app has shut down: no one is left
            signal.emit(outcome)                 # to hear it, and nothing to say

    def _release(self, _outcome: object) -> None:
        _RUNNING.discard(self)


def run_job(work: Callable[[], Any], on_finished: Callable[[Any], None],
            on_failed: Callable[[Exception], None], *, thread: str = "sla") -> Job:
    """Run `work()` on the worker thread; `on_finished(result)` or `on_failed(error)` is
    called on the GUI thread (pass bound methods of widgets: a deleted widget hears
    nothing)."""
    job = Job(work)
    job.finished.connect(on_finished)
    job.failed.connect(on_failed)
    # connected last, so the job is kept alive until the screen has had its outcome
    job.finished.connect(job._release)
    job.failed.connect(job._release)
    _RUNNING.add(job)
    pool(thread).start(job.run_on_worker)
    return job
