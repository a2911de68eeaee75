"""`QuestionsPanel`: the workbook's own question set — reword a question or move it to
another root-cause area. The set starts as the app's; the first edit copies it into the
workbook, so another workbook keeps the app's wording."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.shell.blocks import note
from workbench.workshop_questions import Question, QuestionKind

from .tables import FIT, FREE, STRETCH, fill_row, picking_table, selected_key

KIND_WORDS = {QuestionKind.SCALE: "1–5 agreement", QuestionKind.CHOICE: "choice",
              QuestionKind.NUMBER: "number", QuestionKind.TEXT: "written"}


class QuestionsPanel(QWidget):
    """The questions as a table, and a form to reword the one selected."""

    save_requested = Signal(str, str, str)  # question key, text, area

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questions: list[Question] = []
        self.table = picking_table(["#", "Area", "Question", "Answer"],
                                   [FIT, FREE, STRETCH, FIT])
        self.table.setColumnWidth(1, 230)
        self.table.itemSelectionChanged.connect(self._selected)
        self.area = QLineEdit()
        self.area.setAccessibleName("Root-cause area")
        self.area.setMaximumWidth(260)
        self.area.setPlaceholderText("Area")
        self.text = QLineEdit()
        self.text.setAccessibleName("Question")
        self.text.setPlaceholderText("Choose a question above to reword it")
        self.save = QPushButton("Save question")
        self.save.setObjectName("primary")
        self.save.clicked.connect(self._save)
        self.error = note("", "fieldError")
        self.error.hide()
        form = QHBoxLayout()
        form.addWidget(self.area)
        form.addWidget(self.text, 1)
        form.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(note("Answers stay with their question; a new wording is what the "
                              "next participants read and what the report prints."))
        layout.addLayout(form)
        layout.addWidget(self.error)
        self._selected()

    def set_questions(self, questions: Sequence[Question]) -> None:
        chosen = self.selected_key()
        self.questions = list(questions)
        self.table.setRowCount(len(questions))
        for row, q in enumerate(questions):
            fill_row(self.table, row, (str(row + 1), q.area, q.text, KIND_WORDS[q.kind]),
                     q.key)
        keys = [q.key for q in questions]
        if chosen in keys:
            self.table.selectRow(keys.index(chosen))

    def selected_key(self) -> str | None:
        key = selected_key(self.table)
        return None if key is None else str(key)

    def _selected(self) -> None:
        chosen = next((q for q in self.questions if q.key == self.selected_key()), None)
        for widget in (self.area, self.text, self.save):
            widget.setEnabled(chosen is not None)
        if chosen is not None:
            self.area.setText(chosen.area)
            self.text.setText(chosen.text)
        self.show_refusal("")

    def _save(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.save_requested.emit(key, self.text.text(), self.area.text())

    def show_refusal(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
