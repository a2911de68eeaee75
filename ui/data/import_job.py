"""Running a lead import off the GUI thread.

The thread runs only `Leads.import_file` with a progress callback and a cancel flag; it
never touches a widget. Its outcome arrives on the GUI thread through signals. While it
runs nothing else may use the workbook: the dialog is modal and the Data screen is
disabled. A running `QThread` whose last reference goes away aborts Qt, so every job is
kept in `_RUNNING` until its thread has ended.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.errors import WorkbenchError
from workbench.imports import ImportCancelled, ImportProgress, Mapping
from workbench.workbook import Workbook

_RUNNING: set[ImportJob] = set()


class ImportJob(QThread):
    """One import of one file. `cancel()` stops it at its next chunk of rows; the core
    then rolls everything back."""

    progressed = Signal(object)  # ImportProgress
    succeeded = Signal(object, object)  # Changes, ImportReport
    failed = Signal(object)  # the WorkbenchError (or other exception) that stopped it
    cancelled = Signal()

    def __init__(self, workbook: Workbook, path: Path, mapping: Mapping,
                 skip_bad_rows: bool) -> None:
        super().__init__()
        self.workbook = workbook
        self.path = path
        self.mapping = mapping
        self.skip_bad_rows = skip_bad_rows
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:  # noqa: D102 - runs on the worker thread
        try:
            changes, report = self.workbook.leads.import_file(
                self.path, self.mapping, skip_bad_rows=self.skip_bad_rows,
                progress=self.report_progress, cancel=self._stop.is_set)
        except ImportCancelled:
            self.cancelled.emit()
        except WorkbenchError as error:
            self.failed.emit(error)
        except Exception as error:  # noqa: BLE001 - any failure must reach the user as text
            self.failed.emit(error)
        else:
            self.succeeded.emit(changes, report)

    def report_progress(self, progress: ImportProgress) -> None:
        """The core's progress callback (worker thread): hand it to the GUI thread."""
        self.progressed.emit(progress)


class _Keeper(QObject):
    """Lives on the GUI thread, so a job's `finished` reaches it there (queued)."""

    @Slot()
    def release(self) -> None:
        job = self.sender()
        if isinstance(job, ImportJob):
            job.wait()  # `finished` comes just before the thread ends: let it end
            _RUNNING.discard(job)


_KEEPER: _Keeper | None = None


def start_job(job: ImportJob) -> ImportJob:
    """Start `job` (from the GUI thread), keeping it referenced until its thread has
    ended."""
    global _KEEPER
    if _KEEPER is None:
        _KEEPER = _Keeper()
    _RUNNING.add(job)
    job.finished.connect(_KEEPER.release)
    job.start()
    return job


def running_jobs() -> int:
    return len(_RUNNING)
