"""The plan's inputs: revenue goal, average deal size and each stage's conversion to the
next. A field reports what the user typed (`edited`); the screen decides what to do with
it and tells each field what is wrong with it, or warns, underneath."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.model import Plan, Stage, StageId
from workbench.planning.inputs import DEAL_SIZE, GOAL, conversion_field
from workbench.planning.reverse import FunnelPlan

if TYPE_CHECKING:
    from .quick_panel import QuickPanel


def amount_text(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def percent_text(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.4g}"


class InputField(QWidget):
    """A labelled line edit with a unit after it and a message line under it."""

    def __init__(self, field: str, label: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setObjectName(f"input:{field}")
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setMaximumWidth(150)
        self.unit = QLabel(unit)
        self.unit.setObjectName("muted")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

    def set_value_text(self, text: str) -> None:
        if self.edit.text() != text:
            self.edit.setText(text)

    def show_message(self, text: str | None, *, warning: bool = False) -> None:
        """Show an error (red border, red text), a warning (amber text) or nothing."""
        refused = bool(text) and not warning
        if self.edit.property("refused") != refused:
            self.edit.setProperty("refused", refused)
            self.edit.style().unpolish(self.edit)
            self.edit.style().polish(self.edit)
        self.message.setObjectName("fieldWarning" if warning else "fieldError")
        self.message.setStyleSheet("")  # re-apply the object-name rule
        self.message.setText(text or "")
        self.message.setVisible(bool(text))
        self.edit.setToolTip(text or "")


def add_input(owner: PlanInputs | QuickPanel, grid: QGridLayout, field: str, label: str,
              unit: str, row: int) -> int:
    """An `InputField` in `grid` at `row` (its message on the row under it), kept in
    `owner.fields`, reporting to `owner.field_finished(field)`; the next free row."""
    item = InputField(field, label, unit, owner)
    item.edit.editingFinished.connect(partial(owner.field_finished, field))
    owner.fields[field] = item
    grid.addWidget(item.label, row, 0)
    grid.addWidget(item.edit, row, 1)
    grid.addWidget(item.unit, row, 2)
    grid.addWidget(item.message, row + 1, 0, 1, 3)
    return row + 2


class PlanInputs(QFrame):
    """The inputs card of the reverse-funnel tab."""

    edited = Signal(str, str)  # (field, text as typed)
    derive_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.fields: dict[str, InputField] = {}
        self._layout_key: object = None  # the stages and currency the fields were built for
        title = QLabel("Inputs")
        title.setObjectName("cardTitle")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(0, 1)
        self.derive_button = QPushButton("Derive from actuals…")
        self.derive_button.setToolTip("Average deal size = revenue ÷ customers, and each "
                                      "conversion from the actuals of quarters you choose")
        self.derive_button.clicked.connect(self.derive_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addLayout(self.grid)
        row = QHBoxLayout()
        row.addWidget(self.derive_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def _add(self, field: str, label: str, unit: str, row: int) -> int:
        return add_input(self, self.grid, field, label, unit, row)

    def field_finished(self, field: str) -> None:
        self.edited.emit(field, self.fields[field].edit.text())

    def _rebuild(self, stages: Sequence[Stage], currency: str) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for item in self.fields.values():
            item.deleteLater()
        self.fields.clear()
        row = self._add(GOAL, "Revenue goal for the quarter", currency, 0)
        row = self._add(DEAL_SIZE, "Average deal size", currency, row)
        heading = QLabel("Conversion to the next stage")
        heading.setObjectName("cardTitle")
        self.grid.addWidget(heading, row, 0, 1, 3)
        row += 1
        for upper, lower in zip(stages[:-1], stages[1:], strict=True):
            row = self._add(conversion_field(upper.id), f"{upper.name} → {lower.name}", "%", row)

    def show_plan(self, plan: Plan | None, stages: Sequence[Stage],
                  conversions: Mapping[StageId, float], currency: str,
                  keep: frozenset[str] = frozenset()) -> None:
        """Fill the fields from the stored plan, except those in `keep` (still being fixed)."""
        key = (tuple((s.id, s.name) for s in stages), currency)
        if key != self._layout_key:
            self._rebuild(stages, currency)
            self._layout_key = key
        values = {GOAL: amount_text(plan.revenue_goal if plan else None),
                  DEAL_SIZE: amount_text(plan.avg_deal_size if plan else None)}
        for stage in stages[:-1]:
            values[conversion_field(stage.id)] = percent_text(conversions.get(stage.id))
        for field, item in self.fields.items():
            item.edit.setEnabled(plan is not None)
            if field not in keep:
                item.set_value_text(values.get(field, ""))
        self.derive_button.setEnabled(plan is not None)

    def show_problems(self, funnel: FunnelPlan | None, refused: Mapping[str, str]) -> None:
        """Each field's message: what the core refused, else what the funnel found."""
        for field, item in self.fields.items():
            if field in refused:
                item.show_message(refused[field])
                continue
            problem = funnel.problem(field) if funnel else None
            item.show_message(problem.message if problem else None,
                              warning=bool(problem and problem.warning))
