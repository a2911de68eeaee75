"""The live PDF preview: the SLA laid out by reportlab and its pages rendered by pdfium,
both on the worker thread, shown as images at the view's width.

Requests are debounced (a burst of edits lays the PDF out once) and numbered; a result
that a newer request has overtaken is discarded. reportlab and pypdfium2 are imported on
the worker the first time a preview is built, never at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import pdf_pages

from .workers import run_job

if TYPE_CHECKING:
    from workbench.sla_terms import SlaDocument

DEBOUNCE_MS = 400
PAGE_GAP = 14
MARGIN = 14
A4_WIDTH_PT = 595.28
ZOOMS = (("Fit width", 0), ("50 %", 50), ("75 %", 75), ("100 %", 100), ("150 %", 150))


@dataclass(frozen=True)
class RenderedPdf:
    """One preview: which request it answers, the PDF and its pages as images."""

    generation: int
    pdf: bytes
    pages: tuple[QImage, ...]
    width: int
    page_width_pt: float


def layout_pdf(document: SlaDocument) -> bytes:
    """The SLA as an unsigned PDF (worker thread)."""
    from reports.sla_pdf import build_sla_pdf

    with pdf_pages.PDF_WORK:
        return build_sla_pdf(document)[0]


def render_pages(pdf: bytes, width_px: int) -> tuple[list[QImage], float]:
    """Every page of `pdf` as an image `width_px` wide (signature stamps included), and the
    first page's width in points (worker thread)."""
    _, images, page_width = pdf_pages.render_pages(pdf, width_px, forms=True)
    return images, page_width or A4_WIDTH_PT


def build_preview(generation: int, document: SlaDocument | None, pdf: bytes | None,
                  width_px: int) -> RenderedPdf:
    """Lay out `document` (unless `pdf` is given) and render it (worker thread)."""
    data = pdf if pdf is not None else layout_pdf(document)  # type: ignore[arg-type]
    pages, page_width = render_pages(data, width_px)
    return RenderedPdf(generation, data, tuple(pages), width_px, page_width)


class PdfPreview(QWidget):
    """Pages of a PDF, refreshed off the GUI thread, with page navigation and zoom."""

    updated = Signal(int)  # the number of pages now shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self._generation = 0
        self._request: tuple[SlaDocument | None, bytes | None] | None = None
        self._shown: RenderedPdf | None = None
        self._busy = self._dirty = False
        self._labels: list[QLabel] = []
        self._pending_page: int | None = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self._build()

    def _build(self) -> None:
        self.previous_button = QToolButton(text="‹", toolTip="Previous page")
        self.next_button = QToolButton(text="›", toolTip="Next page")
        self.page_label = QLabel("No pages", objectName="muted")
        self.status_label = QLabel("", objectName="muted")
        self.zoom = QComboBox(toolTip="Zoom")
        for text, percent in ZOOMS:
            self.zoom.addItem(text, percent)
        self.previous_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.status_label)
        bar.addWidget(self.zoom)
        self.pages = QWidget()
        self._column = QVBoxLayout(self.pages)
        self._column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self._column.setSpacing(PAGE_GAP)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message = QLabel("", objectName="muted", wordWrap=True,
                              alignment=Qt.AlignmentFlag.AlignCenter)
        self._column.addWidget(self.message)
        self.scroll = QScrollArea(objectName="pages", widgetResizable=True)
        self.scroll.setWidget(self.pages)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll.verticalScrollBar().valueChanged.connect(self._update_page_label)
        self.scroll.verticalScrollBar().rangeChanged.connect(self._update_page_label)
        self.scroll.verticalScrollBar().rangeChanged.connect(self._apply_pending_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        self._update_page_label()

    # -- what tests and screens read ------------------------------------------------------
    @property
    def page_count(self) -> int:
        return len(self._shown.pages) if self._shown else 0

    @property
    def page_images(self) -> tuple[QImage, ...]:
        return self._shown.pages if self._shown else ()

    @property
    def pdf(self) -> bytes | None:
        """The PDF now shown."""
        return self._shown.pdf if self._shown else None

    @property
    def is_updating(self) -> bool:
        """True while a refresh is waiting for its debounce delay or being built."""
        return self._busy or self._timer.isActive()

    @property
    def is_building(self) -> bool:
        """True while the worker thread lays out or renders a preview."""
        return self._busy

    # -- requests -------------------------------------------------------------------------
    def show_document(self, document: SlaDocument) -> None:
        """Lay out and show `document`, after the debounce delay."""
        self._request = (document, None)
        self._schedule()

    def show_pdf(self, pdf: bytes) -> None:
        """Show an existing PDF (a signed version's), after the debounce delay."""
        self._request = (None, pdf)
        self._schedule()

    def show_message(self, text: str) -> None:
        """No preview, a reason instead (e.g. the document cannot be built)."""
        self._generation += 1
        self._request, self._shown = None, None
        self._timer.stop()
        self._set_pages([])
        self.message.setText(text)
        self.message.show()
        self.status_label.clear()

    def _schedule(self) -> None:
        self._generation += 1
        self.status_label.setText("Updating…")
        self._timer.start()

    def _start(self) -> None:
        if self._request is None:
            return
        if self._busy:
            self._dirty = True
            return
        self._busy = True
        document, pdf = self._request
        run_job(partial(build_preview, self._generation, document, pdf, self._target_width()),
                self._rendered, self._failed)

    def _rendered(self, result: RenderedPdf) -> None:
        self._busy = False
        if result.generation == self._generation:
            self._request = (None, result.pdf)  # re-renders (resize, zoom) reuse the layout
            self._shown = result
            self.message.hide()
            self._set_pages(result.pages)
            self.status_label.clear()
            self.updated.emit(len(result.pages))
        if self._dirty:
            self._dirty = False
            self._start()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self.status_label.setText("Preview failed")
        self.message.setText(f"The preview could not be built: {error}")
        self.message.show()
        if self._dirty:
            self._dirty = False
            self._start()

    # -- pages ----------------------------------------------------------------------------
    def _target_width(self) -> int:
        percent = self.zoom.currentData() or 0
        if percent:
            page_width = self._shown.page_width_pt if self._shown else A4_WIDTH_PT
            return max(120, round(page_width * self.logicalDpiX() / 72 * percent / 100))
        # leave room for the vertical scroll bar, which appears once pages are shown
        bar = self.scroll.verticalScrollBar()
        room = 0 if bar.isVisible() else max(bar.sizeHint().width(), 10)
        return max(120, self.scroll.viewport().width() - 2 * MARGIN - room - 2)

    def _set_pages(self, images: tuple[QImage, ...] | list[QImage]) -> None:
        while len(self._labels) > len(images):
            self._labels.pop().deleteLater()
        while len(self._labels) < len(images):
            label = QLabel()
            label.setStyleSheet("background: white; border: 1px solid #C9CED6;")
            self._column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self._labels.append(label)
        for label, image in zip(self._labels, images, strict=True):
            label.setPixmap(QPixmap.fromImage(image))
            label.setFixedSize(image.width() + 2, image.height() + 2)
        self._update_page_label()

    def _page_tops(self) -> list[int]:
        """Where each page starts in the scrolled column, from the pages' sizes (so it is
        right before the layout has placed them)."""
        tops, y = [], MARGIN
        for label in self._labels:
            tops.append(y)
            y += label.height() + PAGE_GAP
        return tops

    def current_page(self) -> int:
        """The page at the top third of the view (0-based)."""
        mark = self.scroll.verticalScrollBar().value() + self.scroll.viewport().height() // 3
        return max(0, sum(top <= mark for top in self._page_tops()) - 1)

    def go_to_page(self, index: int) -> None:
        """Scroll page `index` (0-based) to the top, once the pages are laid out."""
        if not self._labels:
            return
        self._pending_page = max(0, min(index, len(self._labels) - 1))
        self._apply_pending_page()

    def _apply_pending_page(self) -> None:
        index = self._pending_page
        if index is None or index >= len(self._labels):
            return
        bar = self.scroll.verticalScrollBar()
        tops = self._page_tops()
        content = tops[-1] + self._labels[-1].height() + MARGIN
        if bar.maximum() + self.scroll.viewport().height() < content - 4:
            return  # the scroll range has not caught up with new pages yet: rangeChanged
        self._pending_page = None
        bar.setValue(tops[index] - PAGE_GAP // 2)
        self._update_page_label()

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def _update_page_label(self) -> None:
        count = len(self._labels)
        current = self.current_page() if count else -1
        self.page_label.setText(f"Page {current + 1} of {count}" if count else "No pages")
        self.previous_button.setEnabled(count > 0 and current > 0)
        self.next_button.setEnabled(count > 0 and current < count - 1)

    def _zoom_changed(self) -> None:
        if self._request is not None:
            self._schedule()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        fit = not self.zoom.currentData()
        shown = self._shown.width if self._shown else None
        if fit and self._request is not None and shown is not None \
                and abs(self._target_width() - shown) > 16:
            self._schedule()
