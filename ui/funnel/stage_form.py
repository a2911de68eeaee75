"""`StageForm`: the selected stage's fields. Each field commits on its own when the user
is done with it, as one undo step; a refused value stays in the field, flagged in red."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGridLayout, QLabel, QLineEdit, QWidget

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


def _unit(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setFixedWidth(44)  # "hours" and "%" alike, so the three inputs line up
    return label


def _side_by_side(rows: list[tuple[str, FieldRow]]) -> QWidget:
    """Fields that share one form line, each under its own caption."""
    line = QWidget()
    grid = QGridLayout(line)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(4)
    for column, (field, row) in enumerate(rows):
        caption = QLabel(LABELS[field])
        caption.setBuddy(row.editor)
        grid.addWidget(caption, 0, column)
        grid.addWidget(row, 1, column, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(column, 1)
    return line


class StageForm(QWidget):
    """Edits one stage's definition fields through `context.perform`."""

    def __init__(self, context: AppContext, initiator: object,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._initiator = context, initiator
        self.stage_id: StageId | None = None
        self.rows: dict[str, FieldRow] = {}
        self._shown: dict[str, str] = {}   # each field's text as last loaded from the store
        layout = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        layout.setContentsMargins(4, 8, 4, 8)
        layout.setVerticalSpacing(4)
        self.owner = QComboBox()
        for label, value in OWNERS:
            self.owner.addItem(label, value)
        self.owner.activated.connect(self._owner_chosen)
        builders: dict[str, Callable[[], tuple[QWidget, QWidget | None]]] = {
            "name": lambda: (QLineEdit(), None),
            "key": lambda: (QLineEdit(), None),
            "owner": lambda: (self.owner, None),
            "definition": lambda: (CommitTextEdit(lines=3), None),
            "entry_criteria": lambda: (CommitTextEdit(lines=2), None),
            "exit_criteria": lambda: (CommitTextEdit(lines=2), None),
            "max_hours": lambda: (QLineEdit(), _unit("hours")),
            "target_conversion": lambda: (QLineEdit(), _unit("%")),
            "probability": lambda: (QLineEdit(), _unit("%")),
        }
        for field, build in builders.items():
            editor, trailing = build()
            editor.setObjectName(field)
            editor.setAccessibleName(LABELS[field])
            row = FieldRow(editor, trailing)
            self.rows[field] = row
            if field == "key":
                continue
            if field == "owner":  # key and owner share a line: both are short
                layout.addRow(_side_by_side([("key", self.rows["key"]), ("owner", row)]))
            else:
                layout.addRow(LABELS[field], row)
            if isinstance(editor, QLineEdit):
                editor.editingFinished.connect(self._commit_sender)
            elif isinstance(editor, CommitTextEdit):
                editor.committed.connect(self._commit_sender)
        self.editor("max_hours").setPlaceholderText("e.g. 24, or 3 d")
        self.editor("target_conversion").setPlaceholderText("e.g. 70")
        self.editor("probability").setPlaceholderText("e.g. 15")
        self.editor("key").setPlaceholderText("lowercase, e.g. sales_accepted")

    def editor(self, field: str) -> Any:
        return self.rows[field].editor

    # -- loading ---------------------------------------------------------------------------
    def load(self, stage: Stage | None) -> None:
        """Show a stage's stored values; a field being typed in or showing a refused value
        keeps its text, unless another stage is shown."""
        switching = stage is None or stage.id != self.stage_id
        self.stage_id = stage.id if stage else None
        self.setEnabled(stage is not None)
        if stage is None:
            return
        for field, row in self.rows.items():
            text = self._stored_text(stage, field)
            if not switching and self._keeps_typing(field, row):
                self._shown[field] = text
                continue
            row.clear_error()
            self._shown[field] = text
            if field == "owner":
                self.owner.setCurrentIndex(self.owner.findData(text or None))
            elif row.editor.text() != text:
                row.editor.setText(text)
                if isinstance(row.editor, QLineEdit):
                    row.editor.setCursorPosition(0)

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

    def show_error(self, field: str, message: str) -> bool:
        """Flag a refused value under its field; False if this form has no such field."""
        if field not in self.rows:
            return False
        self.rows[field].show_error(message)
        return True

    def focus_field(self, field: str | None) -> QWidget | None:
        """Put the cursor in a field (for the checker); returns the field's row."""
        if field not in self.rows:
            return None
        self.rows[field].editor.setFocus()
        return self.rows[field]
