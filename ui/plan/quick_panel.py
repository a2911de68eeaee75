"""The Plan screen's "Quick method (year)" tab: marketing's five-step plan for a fiscal
year — goal, deal size from last year, customers, last year's lead-to-customer rate,
leads — with its split into quarters (see `workbench.planning.quick`)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from workbench.figure_text import format_money, format_percent
from workbench.model import YearlyGoal
from workbench.planning.quick import ROUNDING_NOTE, QuickPlan

from .inputs import InputField, add_input, amount_text, percent_text
from .panels import note
from .tables import LEFT, RIGHT, ReadOnlyTable, cell

AMOUNTS = ("revenue_goal", "last_year_revenue")
COUNTS = ("last_year_customers", "last_year_leads")
SHARES = tuple(f"q{n}_share" for n in range(1, 5))


class QuickPanel(QWidget):
    """Inputs on the left, the five steps and the quarters on the right."""

    year_chosen = Signal(int)
    edited = Signal(str, str)  # (field, text as typed)
    apply_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = QSpinBox()
        self.year.setRange(1900, 9999)
        self.year.setAccessibleName("Fiscal year")
        self.year.valueChanged.connect(self.year_chosen)
        self.fields: dict[str, InputField] = {}
        inputs = QFrame(objectName="card")
        inputs.setMinimumWidth(330)
        inputs.setMaximumWidth(420)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(0, 1)
        grid.addWidget(QLabel("Fiscal year"), 0, 0)
        grid.addWidget(self.year, 0, 1)
        row = 1
        for field, label in (("revenue_goal", "Revenue goal for the year"),
                             ("last_year_revenue", "Last year's revenue"),
                             ("last_year_customers", "Last year's customers"),
                             ("last_year_leads", "Last year's leads")):
            row = self._add(grid, field, label, "", row)
        heading = QLabel("Share of the year per quarter", objectName="cardTitle")
        grid.addWidget(heading, row, 0, 1, 3)
        row += 1
        for number, field in enumerate(SHARES, start=1):
            row = self._add(grid, field, f"Quarter {number}", "%", row)
        column = QVBoxLayout(inputs)
        column.setContentsMargins(16, 14, 16, 14)
        column.addWidget(QLabel("Quick method (year)", objectName="cardTitle"))
        column.addLayout(grid)
        column.addStretch(1)
        self.steps = ReadOnlyTable(["Step", "Value", "Worked out as"])
        self.quarters = ReadOnlyTable(["Quarter", "Share", "Revenue goal", "Customers",
                                       "Leads"])
        for table in (self.steps, self.quarters):
            table.fit_height = True  # every row in view, the working-out wrapped
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        self.steps.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.apply_button = QPushButton("Set the quarters' revenue goals")
        self.apply_button.setToolTip("Give each quarter's committed plan its share of the "
                                     "year's revenue goal (one undo step)")
        self.apply_button.clicked.connect(self.apply_requested)
        outputs = QFrame(objectName="card")
        right = QVBoxLayout(outputs)
        right.setContentsMargins(16, 14, 16, 14)
        right.setSpacing(8)
        right.addWidget(QLabel("Five steps", objectName="cardTitle"))
        right.addWidget(self.steps)
        right.addWidget(QLabel("Split into quarters", objectName="cardTitle"))
        right.addWidget(self.quarters)
        right.addWidget(note(ROUNDING_NOTE))
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(inputs)
        layout.addWidget(outputs, 1)

    def _add(self, grid: QGridLayout, field: str, label: str, unit: str, row: int) -> int:
        return add_input(self, grid, field, label, unit, row)

    def field_finished(self, field: str) -> None:
        self.edited.emit(field, self.fields[field].edit.text())

    def show_goal(self, goal: YearlyGoal, plan: QuickPlan, currency: str,
                  refused: dict[str, str], keep: frozenset[str] = frozenset()) -> None:
        """Fill the fields (except those in `keep`, still being fixed) and the tables."""
        self.year.blockSignals(True)
        self.year.setValue(goal.year)
        self.year.blockSignals(False)
        for field in AMOUNTS:
            self.fields[field].unit.setText(currency)
        values = {"revenue_goal": amount_text(goal.revenue_goal),
                  "last_year_revenue": amount_text(goal.last_year_revenue),
                  "last_year_customers": amount_text(goal.last_year_customers),
                  "last_year_leads": amount_text(goal.last_year_leads)}
        values.update({field: percent_text(share) for field, share in zip(
            SHARES, goal.shares, strict=True)})
        for field, item in self.fields.items():
            if field not in keep:
                item.set_value_text(values[field])
            item.show_message(refused.get(field))
        self._fill_steps(plan)
        self._fill_quarters(plan, currency)
        self.apply_button.setEnabled(goal.revenue_goal is not None)

    def _fill_steps(self, plan: QuickPlan) -> None:
        self.steps.setRowCount(len(plan.steps))
        for row, step in enumerate(plan.steps):
            self.steps.setItem(row, 0, cell(f"{row + 1}. {step.label}", bold=True))
            self.steps.setItem(row, 1, cell(step.shown, align=RIGHT, bold=row == 4))
            self.steps.setItem(row, 2, cell(step.how, align=LEFT, colour=palette.BAD
                                            if step.value is None else palette.MUTED))
        self.steps.fit_rows()

    def _fill_quarters(self, plan: QuickPlan, currency: str) -> None:
        self.quarters.setRowCount(len(plan.quarters))
        for row, quarter in enumerate(plan.quarters):
            texts = (quarter.label, format_percent(quarter.share),
                     format_money(quarter.revenue_goal, currency),
                     "—" if quarter.customers is None else f"{quarter.customers:,}",
                     "—" if quarter.leads is None else f"{quarter.leads:,}")
            for column, text in enumerate(texts):
                self.quarters.setItem(row, column, cell(text, align=LEFT if column == 0
                                                        else RIGHT, bold=column == 4))
        self.quarters.fit_rows()
