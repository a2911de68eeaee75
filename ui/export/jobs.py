"""Building a report off the GUI thread: lay out the PDF, then render its pages for the
preview with pypdfium2, reporting progress and stopping when cancelled.

The thread runs only the prepared `build` (pure layout of data read beforehand) and the
page rendering; it never touches a widget or the workbook. Its signals arrive on the GUI
thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QImage

from ui import pdf_pages

PROGRESS_EVERY_S = 0.05  # the bar moves at most this often: a report's layout says how far
# it is after every paragraph, and each word to the window cost it a repaint
PREVIEW_PAGE_LIMIT = 60  # pages rendered for the preview; the saved PDF has them all
# One build at a time: a cancelled build still finishing must not lay out (reportlab's
# font registry) or render (pdfium is not thread-safe) beside the next one.
_ONE_AT_A_TIME = pdf_pages.PDF_WORK


@dataclass(frozen=True)
class BuildResult:
    """A built report: its PDF bytes, page count, and preview images of its pages."""

    pdf: bytes
    page_count: int
    pages: list[QImage] = field(default_factory=list)


class Cancelled(Exception):
    """Raised inside the build when the user cancels."""


def render_pages(pdf: bytes, width: int, check: Callable[[], None] | None = None,
                 limit: int = PREVIEW_PAGE_LIMIT) -> tuple[int, list[QImage]]:
    """The page count and up to `limit` pages rendered `width` pixels wide."""
    count, images, _ = pdf_pages.render_pages(pdf, width, limit=limit, check=check)
    return count, images


class BuildJob(QThread):
    """One build of one report. `cancel()` stops it at its next progress step."""

    progressed = Signal(int, str)  # percent, what it is doing
    built = Signal(object)  # BuildResult
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, build: Callable[[Callable[[float, str], None]], bytes],
                 preview_width: int) -> None:
        super().__init__()
        self._build = build
        self._width = preview_width
        self._stop = threading.Event()
        self._told: tuple[int, str] = (-1, "")
        self._told_at = 0.0

    def cancel(self) -> None:
        self._stop.set()

    @property
    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:  # noqa: D102 - runs on the worker thread
        from reports.progress import ExportCancelled

        try:
            with _ONE_AT_A_TIME:
                self._check()
                pdf = self._build(self._progress)
                self._progress(0.97, "Rendering the preview")
                count, pages = render_pages(pdf, self._width, self._check)
        except (ExportCancelled, Cancelled):
            self.cancelled.emit()
            return
        except Exception as error:  # noqa: BLE001 - any failure must reach the user as text
            self.failed.emit(f"The report could not be built: {error}")
            return
        if self._stop.is_set():
            self.cancelled.emit()
            return
        self.progressed.emit(100, "Ready")
        self.built.emit(BuildResult(pdf, count, pages))

    def _check(self) -> None:
        if self._stop.is_set():
            raise Cancelled

    def _progress(self, fraction: float, text: str) -> None:
        """The build's progress callback: Cancel is checked every time, the window told
        when the step changes or the bar has moved, at most every `PROGRESS_EVERY_S`."""
        self._check()
        percent, now = round(fraction * 100), time.monotonic()
        if text == self._told[1] and (percent == self._told[0]
                                      or now - self._told_at < PROGRESS_EVERY_S):
            return
        self._told, self._told_at = (percent, text), now
        self.progressed.emit(percent, text)
