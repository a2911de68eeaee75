"""`RulesPanel`: a model's fit and interest rules, and a form to add or change one with the
comparisons that suit the chosen field's type. A refused rule shows why under the form and
is not stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.shell.blocks import note
from workbench.model import Operator, RuleId, RuleKind, ScoringRule
from workbench.rule_match import NO_VALUE, OPERATOR_WORDS, OPERATORS_FOR

from .tables import fill_table, read_only_table

HINTS = {Operator.IN: "values separated by commas, e.g. DE, AT, CH",
         Operator.BETWEEN: "two numbers, lower first, e.g. 200..5,000",
         Operator.CONTAINS: "text the field contains, e.g. Director",
         Operator.AT_LEAST: "a number, e.g. 1,000", Operator.AT_MOST: "a number, e.g. 50"}


def rule_test(rule: ScoringRule) -> str:
    value = "" if rule.operator in NO_VALUE else f" {rule.value}"
    return f"{rule.attribute} {OPERATOR_WORDS[rule.operator]}{value}"


class RulesPanel(QWidget):
    """Emits `add_requested(fields)`, `save_requested(rule_id, fields)` and
    `delete_requested(rule_id)`; the screen runs them and calls `show_error` on refusal."""

    add_requested = Signal(dict)
    save_requested = Signal(int, dict)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules: list[ScoringRule] = []
        self.kinds: dict[str, str] = {}
        self.trait_labels: dict[int, str] = {}
        self.table = read_only_table(["Kind", "Rule", "Test", "Points", "Decay", "Persona trait"])
        self.table.itemSelectionChanged.connect(self._selected)
        self.kind = QComboBox()
        self.kind.addItem("Fit: who the lead is", RuleKind.FIT.value)
        self.kind.addItem("Interest: what the lead did", RuleKind.INTEREST.value)
        self.field = QComboBox()
        self.operator = QComboBox()
        self.value = QLineEdit()
        self.points = QSpinBox()
        self.points.setRange(-1000, 1000)
        self.half_life = QLineEdit()
        self.half_life.setPlaceholderText("days; empty: no decay")
        self.trait = QComboBox()
        self.label = QLineEdit()
        self.label.setPlaceholderText("what the rule stands for, e.g. Asked for a demo")
        self.error = note("", "fieldError")
        self.error.hide()
        self.add_button = QPushButton("Add rule")
        self.add_button.setObjectName("primary")
        self.save_button = QPushButton("Save changes")
        self.delete_button = QPushButton("Delete rule")
        self.new_button = QPushButton("New rule")
        for combo in (self.kind, self.field, self.operator, self.trait):
            # As wide as the form gives them, not as their longest item (a long attribute
            # or persona trait would push the screen past a 1280×720 projector).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.field.currentIndexChanged.connect(self._field_chosen)
        self.operator.currentIndexChanged.connect(self._operator_chosen)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.add_button.clicked.connect(self._add)
        self.save_button.clicked.connect(self._save)
        self.delete_button.clicked.connect(self._delete)
        self.new_button.clicked.connect(self.clear_form)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self._delete)
        self._build()

    def _build(self) -> None:
        form = QGridLayout()
        form.setHorizontalSpacing(8)
        pairs = (("Kind", self.kind), ("Points", self.points), ("Field", self.field),
                 ("Half-life", self.half_life), ("Comparison", self.operator),
                 ("Persona trait", self.trait), ("Value", self.value), ("Name", self.label))
        for index, (text, widget) in enumerate(pairs):
            label = QLabel(text)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            form.addWidget(label, index // 2, (index % 2) * 2)
            form.addWidget(widget, index // 2, (index % 2) * 2 + 1)
        form.setColumnStretch(1, 3)
        form.setColumnStretch(3, 2)
        self.half_life.setToolTip("Interest points halve every so many days of the lead's age "
                                  "(empty: they never decay)")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 3)
        self.form_title = QLabel("New rule")
        self.form_title.setObjectName("cardTitle")
        layout.addWidget(self.form_title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # -- showing --------------------------------------------------------------------------
    def show_rules(self, rules: list[ScoringRule], kinds: dict[str, str],
                   traits: dict[int, str]) -> None:
        """Show a model's rules; the form keeps the selected rule (by id) if it remains."""
        selected = self.selected_rule()
        self.rules, self.kinds, self.trait_labels = rules, kinds, traits
        fill_table(self.table, [
            (rule.kind.value.title(), rule.label or "—", rule_test(rule), f"{rule.points:+d}",
             f"halves in {rule.half_life_days:g} d" if rule.half_life_days else "",
             traits.get(rule.trait_id or 0, "")) for rule in rules], numeric=(3,))
        self._fill_fields()
        self.trait.blockSignals(True)
        self.trait.clear()
        self.trait.addItem("— none —", None)
        for trait_id, label in traits.items():
            self.trait.addItem(label, trait_id)
        self.trait.blockSignals(False)
        ids = [r.id for r in rules]
        if selected is not None and selected.id in ids:
            self.select_rule(selected.id)
        else:
            self.clear_form()

    def _fill_fields(self) -> None:
        current = self.field.currentData()
        self.field.blockSignals(True)
        self.field.clear()
        for name, kind in sorted(self.kinds.items(), key=lambda item: item[0].casefold()):
            self.field.addItem(f"{name}  ({kind})", name)
        self.field.blockSignals(False)
        self._set_field(current)

    def _set_field(self, name: str | None) -> None:
        index = self.field.findData(name)
        if index < 0 and name:  # a rule on a column no lead has (yet)
            self.field.addItem(f"{name}  (not in the leads)", name)
            index = self.field.count() - 1
        self.field.setCurrentIndex(max(index, 0))
        self._field_chosen()

    def _field_chosen(self) -> None:
        kind = self.kinds.get(self.field.currentData() or "", "text")
        current = self.operator.currentData()
        self.operator.blockSignals(True)
        self.operator.clear()
        for operator in OPERATORS_FOR[kind]:
            self.operator.addItem(OPERATOR_WORDS[operator], operator.value)
        index = self.operator.findData(current)
        self.operator.setCurrentIndex(max(index, 0))
        self.operator.blockSignals(False)
        self._operator_chosen()

    def _operator_chosen(self) -> None:
        operator = Operator(self.operator.currentData() or "equals")
        self.value.setEnabled(operator not in NO_VALUE)
        self.value.setPlaceholderText(HINTS.get(operator, "the value to compare with"))

    def _kind_chosen(self) -> None:
        interest = self.kind.currentData() == RuleKind.INTEREST.value
        self.half_life.setEnabled(interest)
        self.trait.setEnabled(not interest)

    def selected_rule(self) -> ScoringRule | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rules):
            return None
        return self.rules[rows[0].row()]

    def select_rule(self, rule_id: int) -> None:
        """Select a rule and load it into the form (for the checker's link too)."""
        for row, rule in enumerate(self.rules):
            if rule.id == rule_id:
                self.table.selectRow(row)
                self._load(rule)
                return

    def _selected(self) -> None:
        rule = self.selected_rule()
        if rule is not None:
            self._load(rule)

    def _load(self, rule: ScoringRule) -> None:
        self.form_title.setText(f"Rule: {rule.label or rule_test(rule)}")
        self.kind.setCurrentIndex(max(self.kind.findData(rule.kind.value), 0))
        self._set_field(rule.attribute)
        self.operator.setCurrentIndex(max(self.operator.findData(rule.operator.value), 0))
        self.value.setText(rule.value)
        self.points.setValue(rule.points)
        self.half_life.setText(f"{rule.half_life_days:g}" if rule.half_life_days else "")
        self.trait.setCurrentIndex(max(self.trait.findData(rule.trait_id), 0))
        self.label.setText(rule.label)
        self.save_button.setEnabled(True)
        self.delete_button.setEnabled(True)
        self.hide_error()

    def clear_form(self) -> None:
        self.table.clearSelection()
        self.form_title.setText("New rule")
        self.value.clear()
        self.label.clear()
        self.half_life.clear()
        self.points.setValue(10)
        self.trait.setCurrentIndex(0)
        self.save_button.setEnabled(False)
        self.delete_button.setEnabled(False)
        self._kind_chosen()
        self.hide_error()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def hide_error(self) -> None:
        self.error.hide()

    # -- asking ---------------------------------------------------------------------------
    def fields(self) -> dict[str, Any]:
        """The form as rule fields."""
        interest = self.kind.currentData() == RuleKind.INTEREST.value
        return {"kind": self.kind.currentData(), "attribute": self.field.currentData() or "",
                "operator": self.operator.currentData(), "value": self.value.text(),
                "points": self.points.value(), "label": self.label.text(),
                "half_life_days": self.half_life.text() if interest else None,
                "trait_id": None if interest else self.trait.currentData()}

    def _add(self) -> None:
        self.add_requested.emit(self.fields())

    def _save(self) -> None:
        rule = self.selected_rule()
        if rule is not None:
            self.save_requested.emit(int(rule.id), self.fields())

    def _delete(self) -> None:
        rule = self.selected_rule()
        if rule is not None:
            self.delete_requested.emit(int(RuleId(rule.id)))
