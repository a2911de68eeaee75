"""Editors bound to one stored SLA value: each shows the value, commits a change through
`AppContext.perform` (one undo step) when the user is done with it, and shows a refusal
beneath itself without losing what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from ui.context import AppContext
from ui.funnel.fields import CommitTextEdit, FieldRow
from workbench.errors import ValidationError

__all__ = ["BoundField", "CommitTextEdit", "GrowingTextEdit", "caption", "line_edit"]


class GrowingTextEdit(CommitTextEdit):
    """A wording field as tall as its text (between `min_lines` and `max_lines`), so a
    one-line term takes one line and a long clause is read without scrolling."""

    def __init__(self, min_lines: int = 1, max_lines: int = 14,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, lines=min_lines)
        self._lines = (min_lines, max_lines)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the style sheet's font, once styled
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # the text wraps anew
            self._fit()

    def _fit(self, *_: object) -> None:
        """As tall as the text wraps at this width. The document's own count is not
        enough: a plain-text document lays out only the lines it has shown, and counts
        the others as one line each."""
        low, high = self._lines
        metrics = self.fontMetrics()
        line = max(metrics.lineSpacing(), metrics.height())  # as the document lays it out
        margin = self.document().documentMargin()
        width = max(1, self.viewport().width() - round(2 * margin))
        wrapped = metrics.boundingRect(QRect(0, 0, width, 1_000_000),
                                       Qt.TextFlag.TextWordWrap, self.toPlainText())
        counted = int(self.document().documentLayout().documentSize().height())
        lines = max(counted, round(wrapped.height() / line))
        shown = max(low, min(high, lines))
        extra = 2 * self.frameWidth() + 2 * margin + 6
        self.setFixedHeight(round(shown * line + extra))


def caption(text: str) -> QLabel:
    """A small grey caption above a field."""
    return QLabel(text, objectName="caption")


def line_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


class BoundField(FieldRow):
    """A line, text or choice editor bound to `mutation(**{keyword: value})`.

    The stored value comes in through `load`; while the user is typing in it (focus and a
    different text), the field keeps what they typed.
    """

    def __init__(self, context: AppContext, editor: QLineEdit | CommitTextEdit | QComboBox,
                 mutation: Callable[..., Any], keyword: str,
                 trailing: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(editor, trailing, parent)
        self._context, self._mutation, self._keyword = context, mutation, keyword
        self._shown = ""
        if isinstance(editor, QLineEdit):
            editor.editingFinished.connect(self.commit)
        elif isinstance(editor, CommitTextEdit):
            editor.committed.connect(self.commit)
        else:
            editor.activated.connect(self.commit)
        context.refused.connect(self._on_refused)

    def value(self) -> str:
        editor = self.editor
        if isinstance(editor, QComboBox):
            data = editor.currentData()
            return str(data) if data is not None else editor.currentText()
        return str(editor.text())

    def load(self, value: str) -> None:
        """Show the stored `value` (unless the user is typing a different one here)."""
        editor = self.editor
        typing = editor.hasFocus() and self.value() != self._shown
        self._shown = value
        if typing or (self.refused and editor.hasFocus()):
            return
        self.clear_error()
        if isinstance(editor, QComboBox):
            index = editor.findData(value)
            if index < 0:
                editor.addItem(value, value)
                index = editor.count() - 1
            editor.setCurrentIndex(index)
        elif self.value() != value:
            editor.setText(value)

    def set_read_only(self, read_only: bool) -> None:
        editor = self.editor
        if isinstance(editor, QComboBox):
            editor.setEnabled(not read_only)
        else:
            editor.setReadOnly(read_only)
            editor.setProperty("readOnly", read_only)
            editor.style().unpolish(editor)
            editor.style().polish(editor)

    def commit(self) -> None:
        """Store the typed value when it differs from the stored one."""
        if self._is_read_only():
            return
        value = self.value()
        if value == self._shown:
            self.clear_error()
            return
        if self._context.perform(self._mutation, **{self._keyword: value},
                                 initiator=self) is not None:
            self._shown = value
            self.clear_error()

    def _is_read_only(self) -> bool:
        editor = self.editor
        return not editor.isEnabled() if isinstance(editor, QComboBox) else editor.isReadOnly()

    def _on_refused(self, error: ValidationError, initiator: object) -> None:
        if initiator is self:
            self.show_error(error.message)
