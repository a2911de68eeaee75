"""The preview in the Export dialog: the report's pages one below the other, each with
"Page X of Y", on a grey desk; or a sentence saying what is happening or went wrong."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from reports import palette


class PagePreview(QScrollArea):
    """Scrollable page images of the built report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("Preview of the report's pages")
        self.setStyleSheet(f"QScrollArea {{ background: {palette.RULE}; border: none; }}")
        self.page_labels: list[QLabel] = []
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(f"color: {palette.MUTED}; font-size: 14px; padding: 40px;")
        self._desk = QWidget()
        self._desk.setStyleSheet(f"background: {palette.RULE};")
        self._layout = QVBoxLayout(self._desk)
        self._layout.setContentsMargins(24, 20, 24, 24)
        self._layout.setSpacing(6)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._desk)
        self.show_message("")

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget()
            if widget is not None and widget is not self.message:
                widget.deleteLater()
        self.message.setParent(None)
        self.page_labels = []

    def show_message(self, text: str) -> None:
        """Show a sentence instead of pages (building…, nothing to export, an error)."""
        self._clear()
        self.message.setText(text)
        self._layout.addWidget(self.message)

    def show_pages(self, pages: list[QImage], count: int) -> None:
        """Show the page images; `count` is the report's full page count."""
        self._clear()
        ratio = self.devicePixelRatioF() or 1.0
        for number, image in enumerate(pages, start=1):
            page = QLabel()
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            page.setPixmap(pixmap)
            page.setFixedSize(round(image.width() / ratio) + 2, round(image.height() / ratio) + 2)
            page.setFrameShape(QFrame.Shape.Box)
            page.setStyleSheet(f"border: 1px solid {palette.MUTED}; background: white;")
            page.setAccessibleName(f"Page {number} of {count}")
            caption = QLabel(f"Page {number} of {count}")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setStyleSheet(f"color: {palette.INK}; font-size: 12px; padding-bottom: 12px;")
            self._layout.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
            self._layout.addWidget(caption)
            self.page_labels.append(page)
        if len(pages) < count:
            more = QLabel(f"The preview shows the first {len(pages)} of {count} pages; the "
                          "saved PDF has them all.")
            more.setAlignment(Qt.AlignmentFlag.AlignCenter)
            more.setStyleSheet(f"color: {palette.MUTED};")
            self._layout.addWidget(more)
        self.verticalScrollBar().setValue(0)
