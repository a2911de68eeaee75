"""One term of the agreement in the editor: its title and agreed wording (editable in a
draft), what the wording reads like with the live values filled in, and — for an essential
term — the facts it takes from the workbook (read-only, with where they come from) and its
structured settings (attempts, days, distribution method, …)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench.model import SlaTerm
from workbench.sla_facts import DISTRIBUTION_METHODS
from workbench.sla_terms import Term

from .fields import BoundField, CommitTextEdit, GrowingTextEdit, caption, line_edit

PLACEHOLDERS = ("company", "mql_per_month", "mql_per_quarter", "plan_quarter", "plan",
                "mql_stage", "mql_threshold", "fit_threshold", "follow_up_hours",
                "follow_up_attempts", "follow_up_days", "distribution_method", "handoff",
                "closed_loop_system", "closed_loop_metrics", "review_cadence", "escalation")
# Structured settings per essential term: (parameter, caption, editor kind).
PARAMETERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "distribution": (("distribution_method", "Method", "method"),),
    "follow_up": (("follow_up_attempts", "Attempts", "line"),
                  ("follow_up_days", "Over (days)", "line")),
    "closed_loop": (("closed_loop_system", "System", "line"),
                    ("closed_loop_metrics", "Metrics", "text")),
    "cadence": (("escalation", "Escalation", "text"),),
}
# Facts the settings above already show as editors (not repeated read-only).
EDITED_FACTS = {"distribution": {"Method"}, "follow_up": {"Attempts", "Over"},
                "closed_loop": {"System", "Metrics"}, "cadence": {"Escalation"}}
# Where each essential term's live facts come from, as the user finds it in the app.
SOURCES = {
    "leads_committed": "from Plan → the committed plan of each quarter the effective "
                       "period covers",
    "sales_ready": "from Funnel → MQL · Scoring → MQL threshold",
    "disposition": "from Data → disposition codes",
    "follow_up": "first touch from Funnel → MQL (max time in stage)",
    "ownership": "from Funnel → stage owners",
    "cadence": "review from the agreement's review cadence",
}
PLACEHOLDER_TIP = ("Live values in braces are filled from the workbook: "
                   + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS))


def _small_button(text: str, tip: str) -> QToolButton:
    button = QToolButton(text=text, toolTip=tip, objectName="small")
    button.setAccessibleName(tip)
    return button


class TermEditor(QFrame):
    """Edits one term of a draft; read-only for a signed version."""

    move_requested = Signal(int, int)  # term id, -1 (up) or +1 (down)
    delete_requested = Signal(int)     # term id

    def __init__(self, context: AppContext, term: SlaTerm, *, essential: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("row")
        self.term_id, self.key, self.essential = term.id, term.key, essential
        sla = context.workbook.sla
        self.title = BoundField(context, line_edit("Title of the term"),
                                partial(sla.edit_term, term.id), "title")
        body = GrowingTextEdit(min_lines=2)
        body.setPlaceholderText("The agreed wording")
        body.setToolTip(PLACEHOLDER_TIP)
        self.body = BoundField(context, body, partial(sla.edit_term, term.id), "body")
        self.filled = QLabel(objectName="filled", wordWrap=True)
        self.source = QLabel(SOURCES.get(term.key, ""), objectName="source")
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(12)
        self.facts.setVerticalSpacing(2)
        self.parameters = {name: self._parameter(context, term, name, kind)
                           for name, _, kind in PARAMETERS.get(term.key, ())}
        self._layout(term)

    def _parameter(self, context: AppContext, term: SlaTerm, name: str,
                   kind: str) -> BoundField:
        mutation = partial(context.workbook.sla.set_parameter, term.version_id, name)
        if kind == "method":
            editor: QComboBox | CommitTextEdit | QWidget = QComboBox()
            for key, label in DISTRIBUTION_METHODS.items():
                editor.addItem(label, key)
        elif kind == "text":
            editor = GrowingTextEdit(min_lines=1, max_lines=6)
        else:
            editor = line_edit()
        editor.setAccessibleName(name.replace("_", " "))
        return BoundField(context, editor, mutation, "value")  # type: ignore[arg-type]

    def _layout(self, term: SlaTerm) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 10)
        layout.setSpacing(4)
        head = QHBoxLayout()
        self.number = QLabel(objectName="termTitle")
        self.number.setMinimumWidth(30)
        head.addWidget(self.number)
        head.addWidget(self.title, 1)
        self.buttons: list[QToolButton] = []
        if not self.essential:
            for text, tip, slot in (("↑", "Move this clause up", self._up),
                                    ("↓", "Move this clause down", self._down),
                                    ("✕", "Delete this clause", self._delete)):
                button = _small_button(text, tip)
                button.clicked.connect(slot)
                head.addWidget(button, 0)
                self.buttons.append(button)
        layout.addLayout(head)
        layout.addWidget(self.body)
        layout.addWidget(self.filled)
        if self.essential:
            self.source_row = QWidget()
            source_row = QHBoxLayout(self.source_row)
            source_row.setContentsMargins(0, 2, 0, 0)
            source_row.addWidget(QLabel("Live facts", objectName="caption"))
            source_row.addWidget(self.source)
            source_row.addStretch(1)
            self.source.setVisible(bool(self.source.text()))
            layout.addWidget(self.source_row)
            layout.addLayout(self.facts)
        if self.parameters:
            grid = QGridLayout()
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(2)
            for column, (name, text, _) in enumerate(PARAMETERS[term.key]):
                grid.addWidget(caption(text), 0, column)
                grid.addWidget(self.parameters[name], 1, column)
                grid.setColumnStretch(column, 1)
            layout.addLayout(grid)

    # -- loading --------------------------------------------------------------------------
    def load(self, term: SlaTerm, printed: Term | None, parameters: dict[str, str],
             *, read_only: bool, number: str = "", first: bool = False,
             last: bool = False) -> None:
        """Show the stored term (numbered as in the PDF), the live facts of its printed
        form and its settings."""
        self.number.setText(number)
        self.title.load(term.title)
        self.body.load(term.body)
        filled = printed.body if printed is not None else term.body
        self.filled.setText(f"In the PDF: {filled}")
        self.filled.setVisible(filled.strip() != term.body.strip())
        if self.essential:
            self._show_facts(printed)
        for name, field in self.parameters.items():
            field.load(parameters.get(name, ""))
            field.set_read_only(read_only)
        for field in (self.title, self.body):
            field.set_read_only(read_only)
        for button in self.buttons:
            button.setVisible(not read_only)
        if self.buttons:
            self.buttons[0].setEnabled(not first)
            self.buttons[1].setEnabled(not last)

    def _show_facts(self, printed: Term | None) -> None:
        while self.facts.count():
            item = self.facts.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        hidden = EDITED_FACTS.get(self.key, set())
        facts = [f for f in (printed.facts if printed else ()) if f[0] not in hidden]
        self.source_row.setVisible(bool(facts))
        for row, (label, value) in enumerate(facts):
            name = QLabel(label, objectName="factLabel", wordWrap=True)
            text = QLabel(value, objectName="factValue", wordWrap=True)
            name.setMinimumWidth(120)
            self.facts.addWidget(name, row, 0)
            self.facts.addWidget(text, row, 1)
        self.facts.setColumnStretch(1, 1)

    def fact_texts(self) -> list[tuple[str, str]]:
        """The read-only facts shown, as (label, value) pairs."""
        pairs = []
        for row in range(self.facts.rowCount()):
            cells = [self.facts.itemAtPosition(row, c) for c in (0, 1)]
            if all(cell is not None and cell.widget() is not None for cell in cells):
                pairs.append((cells[0].widget().text(), cells[1].widget().text()))
        return pairs

    # -- actions --------------------------------------------------------------------------
    def _up(self) -> None:
        self.move_requested.emit(self.term_id, -1)

    def _down(self) -> None:
        self.move_requested.emit(self.term_id, 1)

    def _delete(self) -> None:
        self.delete_requested.emit(self.term_id)
