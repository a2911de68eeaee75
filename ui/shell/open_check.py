"""The check of a workbook from elsewhere, before it opens: on a worker thread for a big file.

SQLite's check of every page and the CHECK rules of every row take seconds at a million
leads; run on the GUI thread they would freeze the window. So a big file is checked on
a worker thread with its own read-only connection while a dialog says so and offers
Cancel; the window goes on painting (a nested event loop, so the caller still gets its
answer in line). A small file is checked at once: a dialog for a blink would only flicker.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from ui.sla.workers import run_job

CHECK_ELSEWHERE_FROM = 64 * 1024 * 1024  # bytes: about 250,000 leads


def check_before_opening(path: Path, parent: QWidget) -> None:
    """`storage.inspect(path, check=True)`, without freezing `parent` for a big file.
    Raises what the check raises; `CheckCancelled` when the user cancels."""
    from workbench import storage

    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # inspect says why the file cannot be read
    if size < CHECK_ELSEWHERE_FROM:
        storage.inspect(path, check=True)
        return
    _Check(path, parent).wait()


class _Check(QObject):
    """One check on the "open" worker thread and the dialog that waits for it."""

    def __init__(self, path: Path, parent: QWidget) -> None:
        super().__init__()
        self.path = path
        self.stop = threading.Event()
        self.loop = QEventLoop()
        self.error: Exception | None = None
        self.dialog = QProgressDialog(parent)
        label = QLabel()
        label.setWordWrap(True)
        self.dialog.setLabel(label)  # wrapped: a long file name must not widen the dialog
        self.dialog.setLabelText(
            f"Checking “{path.name}” before opening it: every page of the file and every "
            "value in it, as for any workbook from elsewhere.")
        self.dialog.setCancelButtonText("Cancel")
        self.dialog.setRange(0, 0)
        self.dialog.setWindowTitle("Opening workbook")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setFixedWidth(480)
        self.dialog.canceled.connect(self._cancel)

    def wait(self) -> None:
        run_job(self._work, self._finished, self._failed, thread="open")
        self.dialog.show()
        self.loop.exec()
        self.dialog.close()
        self.dialog.deleteLater()
        if self.error is not None:
            raise self.error

    def _work(self) -> int:  # the worker thread: no widgets
        from workbench import storage

        return storage.inspect(self.path, check=True, cancelled=self.stop.is_set)

    def _cancel(self) -> None:
        self.stop.set()
        self.dialog.setLabelText("Stopping the check…")

    def _finished(self, _version: object) -> None:
        self.loop.quit()

    def _failed(self, error: object) -> None:
        self.error = error if isinstance(error, Exception) else RuntimeError(str(error))
        self.loop.quit()
