"""Input widgets that commit when the user is done with them, and the row that shows a
refused value's message beneath its field without losing what was typed."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from . import theme


class CommitTextEdit(QPlainTextEdit):
    """A multi-line field that commits on focus-out and on Ctrl+Enter; Tab moves on."""

    committed = Signal()

    def __init__(self, parent: QWidget | None = None, lines: int = 4) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.lines = lines
        line = QFontMetrics(theme.font(theme.FIELD_PX)).lineSpacing()  # the style sheet's
        self.line_height = line
        self.setMinimumHeight(line * lines + 28)  # + padding, border and document margin
        self.setMaximumHeight(line * (lines + 2) + 28)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As tall as its minimum: it grows into spare room, but never asks a form that
        wraps its text (height for width) to scroll for it."""
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.committed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.committed.emit()
            return
        super().keyPressEvent(event)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 (mirrors QLineEdit)
        self.setPlainText(text)


class FieldRow(QWidget):
    """An input with a red message under it while its value is refused."""

    def __init__(self, editor: QWidget, trailing: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        if trailing is None:
            layout.addWidget(editor)
        else:
            line = QHBoxLayout()
            line.setSpacing(8)
            line.addWidget(editor, 1)
            line.addWidget(trailing)
            layout.addLayout(line)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    @property
    def refused(self) -> bool:
        return not self.error.isHidden()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self._mark(True)

    def clear_error(self) -> None:
        if self.refused:
            self.error.hide()
            self.error.clear()
            self._mark(False)

    def _mark(self, refused: bool) -> None:
        self.editor.setProperty("refused", refused)
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)
