"""Work the SLA screens do off the GUI thread: laying out and rendering the PDF preview,
signing, exporting and verifying.

Everything runs on one worker thread, so reportlab, pdfium and pyHanko never run twice at
once (pdfium is not thread-safe). The work function gets plain data and never touches a
widget; its result (or its exception) arrives on the GUI thread through a signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

_POOL: QThreadPool | None = None
_RUNNING: set[Job] = set()  # jobs whose results have not been delivered yet


def pool() -> QThreadPool:
    """The SLA screens' single worker thread."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
        _POOL.setExpiryTimeout(30_000)
        app = QCoreApplication.instance()
        if app is not None:  # let a running job finish before Python shuts down
            app.aboutToQuit.connect(_finish_on_quit)
    return _POOL


def _finish_on_quit() -> None:
    wait_for_workers()


def wait_for_workers(timeout_ms: int = 30_000) -> bool:
    """Block until queued work is done (tests and shutdown); False on timeout."""
    return pool().waitForDone(timeout_ms)


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
            self.failed.emit(error)
        else:
            self.finished.emit(result)

    def _release(self, _outcome: object) -> None:
        _RUNNING.discard(self)


def run_job(work: Callable[[], Any], on_finished: Callable[[Any], None],
            on_failed: Callable[[Exception], None]) -> Job:
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
    pool().start(job.run_on_worker)
    return job
