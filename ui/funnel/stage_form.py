"""`StageForm`: the selected stage's fields. Each field commits on its own when the user
is done with it, as one undo step; a refused value stays in the field, flagged in red.

Nothing the user typed is lost: a refused value is kept as a draft of its stage and field,
shown again with its message whenever that stage is shown, until a valid value is stored
or the user presses Escape in the field (which puts the stored value back)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench.model import Owner, Stage, StageId

from .fields import CommitTextEdit, FieldRow
from .units import hours_text, parse_hours, parse_percent, percent_label

LABELS = {
    "name": "Name", "key": "Key", "owner": "Owner", "definition": "Definition",
    "entry_criteria": "Entry criteria", "exit_criteria": "Exit criteria",
    "max_hours": "Max time in stage", "target_conversion": "Conversion to next stage",
    "probability": "Win probability",
}
OWNERS: tuple[tuple[str, str | None], ...] = (
    ("No owner", None), ("Marketing", "marketing"), ("Sales", "sales"), ("Shared", "shared"),
)


SHORT_LABELS = {"max_hours": "Max time", "target_conversion": "Conversion"}
SHARED_LINES = {"key": "owner", "max_hours": "probability", "target_conversion": "probability"}


def _unit(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    return label


def _text_box(lines: int, most: int) -> CommitTextEdit:
    """A text box `lines` tall, growing to at most `most` lines when there is room."""
    box = CommitTextEdit(lines=lines)
    box.setMaximumHeight(box.minimumHeight() + (most - lines) * box.line_height)
    return box


def _side_by_side(rows: list[tuple[str, FieldRow]]) -> QWidget:
    """Fields that share one form line, each under its own caption; their refusal messages
    go under the whole line, where they have room to read."""
    line = QWidget()
    grid = QGridLayout(line)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(4)
    for column, (field, row) in enumerate(rows):
        caption = QLabel(SHORT_LABELS.get(field, LABELS[field]))
        caption.setToolTip(LABELS[field])
        caption.setBuddy(row.editor)
        grid.addWidget(caption, 0, column)
        grid.addWidget(row, 1, column, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(column, 1)
        row.layout().removeWidget(row.error)
        grid.addWidget(row.error, 2 + column, 0, 1, len(rows))
    return line


@dataclass(frozen=True)
class Draft:
    """A refused value as typed, and why it was refused."""

    text: str
    message: str


class StageForm(QWidget):
    """Edits one stage's definition fields through `context.perform`; keeps refused values
    as drafts per stage and field (`drafts_changed` tells when that set changes)."""

    drafts_changed = Signal()

    def __init__(self, context: AppContext, initiator: object,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._initiator = context, initiator
        self.stage_id: StageId | None = None
        self.rows: dict[str, FieldRow] = {}
        self.drafts: dict[tuple[StageId, str], Draft] = {}
        self._shown: dict[str, str] = {}   # each field's text as last loaded from the store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.setSpacing(4)
        self.owner = QComboBox()
        for label, value in OWNERS:
            self.owner.addItem(label, value)
        self.owner.activated.connect(self._owner_chosen)
        self._build_rows(layout)
        layout.addStretch(1)
        self.editor("max_hours").setPlaceholderText("24 or 3 d")
        self.editor("target_conversion").setPlaceholderText("e.g. 70")
        self.editor("probability").setPlaceholderText("e.g. 15")
        self.editor("key").setPlaceholderText("lowercase, e.g. sales_accepted")

    def _build_rows(self, layout: QVBoxLayout) -> None:
        """Each field under its caption; the text boxes start short (so the card does not
        scroll on a laptop) and share out the room a taller screen has."""
        builders: dict[str, Callable[[], tuple[QWidget, QWidget | None]]] = {
            "name": lambda: (QLineEdit(), None),
            "key": lambda: (QLineEdit(), None),
            "owner": lambda: (self.owner, None),
            "definition": lambda: (_text_box(3, 10), None),
            "entry_criteria": lambda: (_text_box(2, 6), None),
            "exit_criteria": lambda: (_text_box(2, 6), None),
            "max_hours": lambda: (QLineEdit(), _unit("h")),
            "target_conversion": lambda: (QLineEdit(), _unit("%")),
            "probability": lambda: (QLineEdit(), _unit("%")),
        }
        for field, build in builders.items():
            editor, trailing = build()
            editor.setObjectName(field)
            editor.setAccessibleName(LABELS[field])
            row = FieldRow(editor, trailing)
            self.rows[field] = row
            if isinstance(editor, QLineEdit):
                editor.editingFinished.connect(self._commit_sender)
            elif isinstance(editor, CommitTextEdit):
                editor.committed.connect(self._commit_sender)
            if field != "owner":
                editor.installEventFilter(self)  # Escape reverts
            if field in SHARED_LINES:
                continue
            sharing = [other for other, last in SHARED_LINES.items() if last == field]
            if sharing:  # short fields share a line, so the card needs no scrolling
                layout.addWidget(_side_by_side([(f, self.rows[f]) for f in [*sharing, field]]))
            else:
                caption = QLabel(LABELS[field])
                caption.setBuddy(editor)
                layout.addWidget(caption)
                lines = editor.lines if isinstance(editor, CommitTextEdit) else 0
                layout.addWidget(row, lines)
            layout.addSpacing(2)

    def editor(self, field: str) -> Any:
        return self.rows[field].editor

    # -- loading ---------------------------------------------------------------------------
    def load(self, stage: Stage | None) -> None:
        """Show a stage's stored values, or its drafts with their messages; a field being
        typed in or showing a refused value keeps its text, unless another stage is shown."""
        switching = stage is None or stage.id != self.stage_id
        self.stage_id = stage.id if stage else None
        self.setEnabled(stage is not None)
        if stage is None:
            return
        for field, row in self.rows.items():
            text = self._stored_text(stage, field)
            keep = not switching and self._keeps_typing(field, row)
            self._shown[field] = text
            if keep:
                continue
            draft = self.drafts.get((stage.id, field))
            self._set_text(field, text if draft is None else draft.text)
            if draft is None:
                row.clear_error()
            else:
                row.show_error(draft.message)

    def _set_text(self, field: str, text: str) -> None:
        editor = self.rows[field].editor
        if field == "owner":
            self.owner.setCurrentIndex(self.owner.findData(text or None))
        elif editor.text() != text:
            editor.setText(text)
            if isinstance(editor, QLineEdit):
                editor.setCursorPosition(0)

    def _keeps_typing(self, field: str, row: FieldRow) -> bool:
        if field == "owner":
            return False
        typed = row.editor.text()
        return typed != self._shown.get(field) and (row.refused or row.editor.hasFocus())

    @staticmethod
    def _stored_text(stage: Stage, field: str) -> str:
        value = getattr(stage, field)
        if field in ("target_conversion", "probability"):
            return percent_label(value)
        if field == "max_hours":
            return hours_text(value)
        if field == "owner":
            return value.value if isinstance(value, Owner) else ""
        return value or ""

    # -- committing ------------------------------------------------------------------------
    def _commit_sender(self) -> None:
        sender = self.sender()
        self.commit(sender.objectName())

    def _owner_chosen(self, index: int) -> None:
        self.commit("owner")

    def commit(self, field: str) -> None:
        """Store a field's value if the user changed it: one undo step."""
        if self.stage_id is None:
            return
        row = self.rows[field]
        if field == "owner":
            text = self.owner.currentData() or ""
        else:
            text = row.editor.text()
        if text.strip() == self._shown.get(field, "").strip():
            row.clear_error()
            self._drop_draft(field)
            return
        value: Any = text
        if field in ("target_conversion", "probability"):
            value = parse_percent(text)
        elif field == "max_hours":
            value = parse_hours(text)
        elif field == "owner":
            value = text or None
        funnel = self._context.workbook.funnel
        done = self._context.perform(funnel.update_stage, self.stage_id, **{field: value},
                                     initiator=self._initiator)
        if done is not None:
            row.clear_error()
            self._drop_draft(field)

    def show_error(self, field: str, message: str) -> bool:
        """Flag a refused value under its field and keep it as a draft of this stage; False
        if this form has no such field."""
        if field not in self.rows:
            return False
        row = self.rows[field]
        row.show_error(message)
        if self.stage_id is not None and field != "owner":
            self.drafts[(self.stage_id, field)] = Draft(row.editor.text(), message)
            self.drafts_changed.emit()
        return True

    # -- drafts ----------------------------------------------------------------------------
    def draft_stages(self) -> set[StageId]:
        """The stages that have refused values waiting to be corrected."""
        return {stage_id for stage_id, _field in self.drafts}

    def revert(self, field: str) -> None:
        """Put the stored value back in a field, forgetting what was typed there."""
        self.rows[field].clear_error()
        self._drop_draft(field)
        self._set_text(field, self._shown.get(field, ""))

    def forget_drafts(self) -> None:
        """Drop every draft (another workbook was opened: its stages are not these)."""
        if self.drafts:
            self.drafts.clear()
            self.drafts_changed.emit()

    def _drop_draft(self, field: str) -> None:
        if self.stage_id is not None and self.drafts.pop((self.stage_id, field), None):
            self.drafts_changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        """Escape in a field reverts it to the stored value."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            field = watched.objectName()
            if field in self.rows and self.rows[field].editor is watched:
                self.revert(field)
                return True
        return super().eventFilter(watched, event)

    def focus_field(self, field: str | None) -> QWidget | None:
        """Put the cursor in a field (for the checker); returns the field's row."""
        if field not in self.rows:
            return None
        self.rows[field].editor.setFocus()
        return self.rows[field]
