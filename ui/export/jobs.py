"""Building a report off the GUI thread: lay out the PDF, then render its pages for the
preview with pypdfium2, reporting progress and stopping when cancelled.

The thread runs only the prepared `build` (pure layout of data read beforehand) and the
page rendering; it never touches a widget or the workbook. Its signals arrive on the GUI
thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QImage

from ui import pdf_pages

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
        self._check()
        self.progressed.emit(round(fraction * 100), text)
