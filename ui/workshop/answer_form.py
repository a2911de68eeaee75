"""`AnswerForm`: one participant at a time answers the diagnostic on the laptop. They choose
their side, answer what they like (partial answers are kept), and save; the form then
clears, so the next person cannot read back what the last one answered."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.shell.blocks import note
from ui.shell.scrolling import scrolling_column
from workbench.model import Team
from workbench.workshop_questions import SCALE, Question, QuestionKind

from .theme import SIDE_LABEL

NO_ANSWER = "— no answer —"


class QuestionInput(QWidget):
    """The input a question takes: 1–5 buttons, a choice, a number or a line of text."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.group: QButtonGroup | None = None
        self.combo: QComboBox | None = None
        self.line: QLineEdit | None = None
        if question.kind is QuestionKind.SCALE:
            self.group = QButtonGroup(self)
            layout.addWidget(QLabel("disagree"))
            for value in range(SCALE[0], SCALE[1] + 1):
                button = QPushButton(str(value))
                button.setObjectName("scale")
                button.setCheckable(True)
                button.setAccessibleName(f"{question.key} {value}")
                self.group.addButton(button, value)
                layout.addWidget(button)
            layout.addWidget(QLabel("agree"))
            layout.addStretch(1)
        elif question.kind is QuestionKind.CHOICE:
            self.combo = QComboBox()
            self.combo.addItems([NO_ANSWER, *question.choices])
            self.combo.setAccessibleName(question.key)
            layout.addWidget(self.combo)
            layout.addStretch(1)
        else:
            self.line = QLineEdit()
            self.line.setAccessibleName(question.key)
            if question.kind is QuestionKind.NUMBER:
                self.line.setPlaceholderText(question.unit)
                self.line.setMaximumWidth(180)
            layout.addWidget(self.line, 1 if question.kind is QuestionKind.TEXT else 0)
            if question.kind is QuestionKind.NUMBER:
                layout.addStretch(1)

    def value(self) -> str:
        """What was entered, as typed ("" when not answered)."""
        if self.group is not None:
            checked = self.group.checkedId()
            return str(checked) if checked > 0 else ""
        if self.combo is not None:
            return "" if self.combo.currentIndex() <= 0 else self.combo.currentText()
        return self.line.text() if self.line is not None else ""

    def set_value(self, text: str) -> None:
        if self.group is not None:
            button = self.group.button(int(text)) if text.isdigit() else None
            if button is not None:
                button.setChecked(True)
        elif self.combo is not None:
            self.combo.setCurrentText(text)
        elif self.line is not None:
            self.line.setText(text)

    def clear(self) -> None:
        if self.group is not None:
            self.group.setExclusive(False)
            for button in self.group.buttons():
                button.setChecked(False)
            self.group.setExclusive(True)
        elif self.combo is not None:
            self.combo.setCurrentIndex(0)
        elif self.line is not None:
            self.line.clear()


class AnswerForm(QWidget):
    """Side, optional name, every question; "Save" asks the screen to store them."""

    save_requested = Signal(object, str, dict)  # team, name, {question key: typed value}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.team: Team | None = None
        self.inputs: dict[str, QuestionInput] = {}
        self.side_buttons: dict[Team, QPushButton] = {}
        top = QHBoxLayout()
        top.addWidget(QLabel("I answer for"))
        sides = QButtonGroup(self)
        for team in Team:
            button = QPushButton(SIDE_LABEL[team])
            button.setObjectName("side")
            button.setProperty("team", team.value)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, t=team: self._choose(t))
            sides.addButton(button)
            self.side_buttons[team] = button
            top.addWidget(button)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name (optional — blank stays anonymous)")
        self.name.setAccessibleName("Participant name")
        top.addWidget(self.name, 1)
        self.save_button = QPushButton("Save and clear for the next person")
        self.save_button.setObjectName("primary")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save)
        self.saved = QLabel()
        self.saved.setObjectName("saved")
        self.saved.setWordWrap(True)
        self.error = note("", "fieldError")
        self.error.hide()
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(10)
        self.grid.setColumnStretch(1, 1)
        body, self.scroll = scrolling_column(self.grid)
        body.setMaximumWidth(1100)  # on a wide screen each answer stays near its question
        bottom = QHBoxLayout()
        bottom.addWidget(self.saved, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)

    def set_questions(self, questions: Sequence[Question]) -> None:
        """Lay out a row per question (keeping nothing typed: the questions changed)."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.inputs = {}
        area = ""
        row = 0
        for number, question in enumerate(questions, start=1):
            if question.area != area:
                area = question.area
                heading = QLabel(area)
                heading.setObjectName("cardTitle")
                self.grid.addWidget(heading, row, 0, 1, 2)
                row += 1
            text = QLabel(f"{number}. {question.text}")
            text.setObjectName("question")
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setMinimumWidth(260)
            self.inputs[question.key] = QuestionInput(question)
            self.grid.addWidget(text, row, 0)
            self.grid.addWidget(self.inputs[question.key], row, 1)
            row += 1
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 2)

    def _choose(self, team: Team) -> None:
        self.team = team
        self.save_button.setEnabled(True)
        self.saved.clear()

    def values(self) -> dict[str, str]:
        return {key: widget.value() for key, widget in self.inputs.items() if widget.value()}

    def _save(self) -> None:
        if self.team is not None:
            self.save_requested.emit(self.team, self.name.text(), self.values())

    def show_refusal(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_for_next(self, saved: str) -> None:
        """Forget everything typed and say it was saved: the next person starts blank."""
        for widget in self.inputs.values():
            widget.clear()
        self.name.clear()
        group = self.side_buttons[Team.MARKETING].group()
        if group is not None:
            group.setExclusive(False)
            for button in self.side_buttons.values():
                button.setChecked(False)
            group.setExclusive(True)
        self.team = None
        self.save_button.setEnabled(False)
        self.error.hide()
        self.saved.setText(saved)
        self.scroll.verticalScrollBar().setValue(0)
