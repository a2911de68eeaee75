"""`QuadrantPanel`: the model's thresholds, the 2×2 with each quadrant's agreed action and
whether it counts as MQL, the MQL rule those make (as the SLA states it), and the sales
capacity entered once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.shell.blocks import note
from workbench.model import Quadrant, QuadrantRule, SalesCapacity, ScoringSettings
from workbench.scoring import QUADRANT_NAMES

THRESHOLD_NAMES = {"mql_threshold": "MQL threshold", "fit_threshold": "Fit threshold",
                   "interest_threshold": "Interest threshold"}
POSITIONS = {Quadrant.QUALIFY: (0, 0), Quadrant.SALES_NOW: (0, 1),
             Quadrant.NO_ACTION: (1, 0), Quadrant.NURTURE: (1, 1)}


class QuadrantPanel(QWidget):
    """Emits `threshold_edited(name, value)`, `action_edited(quadrant, text)`,
    `counts_edited(quadrant, bool)` and `capacity_edited(field, text)`."""

    threshold_edited = Signal(str, int)
    action_edited = Signal(str, str)
    counts_edited = Signal(str, bool)
    capacity_edited = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thresholds: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for name, title in THRESHOLD_NAMES.items():
            spin = QSpinBox()
            spin.setRange(0, 10_000)
            spin.setSuffix(" points")
            spin.setObjectName(name)
            spin.setAccessibleName(title)
            spin.editingFinished.connect(self._threshold_done)
            self.thresholds[name] = spin
            form.addRow(title, spin)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setObjectName("mqlRule")
        self.actions: dict[Quadrant, QLineEdit] = {}
        self.counts: dict[Quadrant, QCheckBox] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for quadrant, (row, column) in POSITIONS.items():
            grid.addWidget(self._quadrant_box(quadrant), row, column)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.hours_per_mql = QLineEdit()
        self.hours_per_mql.setPlaceholderText("e.g. 1.5")
        self.rep_hours = QLineEdit()
        self.rep_hours.setPlaceholderText("e.g. 320")
        for field, edit in (("hours_per_mql", self.hours_per_mql),
                            ("rep_hours_per_month", self.rep_hours)):
            edit.setObjectName(field)
            edit.editingFinished.connect(self._capacity_done)
        capacity = QFormLayout()
        capacity.addRow("Follow-up hours per MQL", self.hours_per_mql)
        capacity.addRow("Reps' hours a month for MQLs", self.rep_hours)
        self.error = note("", "fieldError")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(note("An MQL reaches the MQL threshold in a quadrant ticked "
                              "“counts as MQL”. Across: fit; up: interest."))
        layout.addLayout(grid)
        layout.addWidget(self.rule)
        capacity_title = QLabel("Sales capacity")
        capacity_title.setObjectName("cardTitle")
        layout.addWidget(capacity_title)
        layout.addLayout(capacity)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def _quadrant_box(self, quadrant: Quadrant) -> QFrame:
        box = QFrame()
        box.setObjectName("quadrant")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(10, 8, 10, 8)
        title = QLabel(QUADRANT_NAMES[quadrant])
        title.setObjectName("quadrantTitle")
        action = QLineEdit()
        action.setObjectName(quadrant.value)
        action.setAccessibleName(f"{QUADRANT_NAMES[quadrant]}: agreed action")
        action.editingFinished.connect(self._action_done)
        counts = QCheckBox("counts as MQL")
        counts.setObjectName(quadrant.value)
        counts.clicked.connect(self._counts_done)
        self.actions[quadrant], self.counts[quadrant] = action, counts
        layout.addWidget(title)
        layout.addWidget(action)
        layout.addWidget(counts)
        return box

    def show_model(self, settings: ScoringSettings, quadrants: dict[Quadrant, QuadrantRule],
                   rule_text: str, capacity: SalesCapacity) -> None:
        for name, spin in self.thresholds.items():
            spin.blockSignals(True)
            spin.setValue(getattr(settings, name))
            spin.blockSignals(False)
        for quadrant, rule in quadrants.items():
            self.actions[quadrant].setText(rule.action)
            self.actions[quadrant].setCursorPosition(0)
            self.actions[quadrant].setToolTip(rule.action + "\n{follow_up_hours}: the MQL "
                                              "stage's time limit on the Funnel screen")
            self.counts[quadrant].setChecked(rule.counts_as_mql)
        self.rule.setText(f"A lead is an MQL with {rule_text}.")
        for edit, value in ((self.hours_per_mql, capacity.hours_per_mql),
                            (self.rep_hours, capacity.rep_hours_per_month)):
            edit.setText("" if value is None else f"{value:g}")
        self.error.hide()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def focus_threshold(self, name: str = "mql_threshold") -> None:
        self.thresholds[name].setFocus()
        self.thresholds[name].selectAll()

    def _threshold_done(self) -> None:
        spin = self.sender()
        if isinstance(spin, QSpinBox):
            self.threshold_edited.emit(spin.objectName(), spin.value())

    def _action_done(self) -> None:
        edit = self.sender()
        if isinstance(edit, QLineEdit) and edit.isModified():
            edit.setModified(False)
            self.action_edited.emit(edit.objectName(), edit.text())

    def _counts_done(self, checked: bool) -> None:
        box = self.sender()
        if isinstance(box, QCheckBox):
            self.counts_edited.emit(box.objectName(), checked)

    def _capacity_done(self) -> None:
        edit = self.sender()
        if isinstance(edit, QLineEdit) and edit.isModified():
            edit.setModified(False)
            self.capacity_edited.emit(edit.objectName(), edit.text())
