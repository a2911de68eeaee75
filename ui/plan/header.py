"""The Plan screen's header: which quarter and scenario are shown, the scenario buttons, and
the MQL commitment the committed plan puts into the SLA."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.model import Plan, Quarter, QuarterId
from workbench.planning.reverse import committed_mql_commitment
from workbench.workbook import Workbook

BUTTONS = (("commit", "Commit this plan"), ("new", "New plan"), ("copy", "Copy…"),
           ("delete", "Delete"), ("quarter", "Add quarter…"))


class PlanHeader(QWidget):
    """Title, quarter and scenario pickers, scenario buttons, and the commitment line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Plan")
        title.setObjectName("screenTitle")
        self.quarter_combo, self.plan_combo = QComboBox(), QComboBox()
        self.quarter_combo.setMinimumWidth(110)
        self.plan_combo.setMinimumWidth(260)
        self.buttons = {name: QPushButton(text) for name, text in BUTTONS}
        self.buttons["commit"].setObjectName("primary")
        self.buttons["commit"].setToolTip("The committed plan's MQL volume is what the SLA "
                                          "commits marketing to deliver.")
        # Two rows, so the header fits a 1280×720 projector: the quarter, then its scenarios.
        quarter_row, plan_row = QHBoxLayout(), QHBoxLayout()
        for row in (quarter_row, plan_row):
            row.setSpacing(8)
        quarter_row.addWidget(title)
        quarter_row.addSpacing(16)
        for row, label, widget in ((quarter_row, "Quarter", self.quarter_combo),
                                   (plan_row, "Scenario", self.plan_combo)):
            caption = QLabel(label)
            caption.setObjectName("muted")
            caption.setMinimumWidth(60)
            row.addWidget(caption)
            row.addWidget(widget)
        quarter_row.addWidget(self.buttons["quarter"])
        quarter_row.addStretch(1)
        for name in ("commit", "new", "copy", "delete"):
            plan_row.addWidget(self.buttons[name])
        plan_row.addStretch(1)
        self.commitment = QLabel()
        self.commitment.setObjectName("muted")
        self.commitment.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(quarter_row)
        layout.addLayout(plan_row)
        layout.addWidget(self.commitment)

    def fill_quarters(self, quarters: list[Quarter], keep: QuarterId | None) -> None:
        """List the quarters, keeping `keep` selected if it still exists, else the last."""
        combo = self.quarter_combo
        combo.blockSignals(True)
        combo.clear()
        for quarter in quarters:
            combo.addItem(quarter.label, quarter.id)
        index = combo.findData(keep) if keep is not None else -1
        combo.setCurrentIndex(index if index >= 0 else len(quarters) - 1)
        combo.blockSignals(False)

    def fill_plans(self, plans: list[Plan], keep: object) -> None:
        """List the scenarios; keep `keep` selected, else the committed one, else the first."""
        combo = self.plan_combo
        combo.blockSignals(True)
        combo.clear()
        for plan in plans:
            combo.addItem(plan.name + ("  ★ committed" if plan.committed else ""), plan.id)
        ids = [p.id for p in plans]
        chosen = keep if keep in ids else next((p.id for p in plans if p.committed),
                                               ids[0] if ids else None)
        combo.setCurrentIndex(combo.findData(chosen) if chosen is not None else -1)
        combo.blockSignals(False)

    def show_state(self, wb: Workbook | None, quarter_id: QuarterId | None,
                   plan: Plan | None) -> None:
        """Enable what applies and say what the committed plan promises the SLA."""
        self.buttons["quarter"].setEnabled(wb is not None)
        self.buttons["new"].setEnabled(wb is not None and quarter_id is not None)
        for name in ("copy", "delete"):
            self.buttons[name].setEnabled(plan is not None)
        self.buttons["commit"].setEnabled(plan is not None and not plan.committed)
        self.buttons["commit"].setText("Committed ★" if plan and plan.committed
                                       else "Commit this plan")
        committed = wb.plan.committed_plan(quarter_id) if wb and quarter_id is not None else None
        if wb is None or quarter_id is None or committed is None:
            self.commitment.setText("No committed plan for this quarter: the SLA has no MQL "
                                    "commitment for it yet." if quarter_id is not None else "")
            return
        quarterly = committed_mql_commitment(wb, quarter_id)
        monthly = committed_mql_commitment(wb, quarter_id, per_month=True)
        self.commitment.setText(
            f"Committed: {committed.name}. Marketing commits to "
            f"{'—' if quarterly is None else f'{quarterly:,}'} MQLs this quarter "
            f"({'—' if monthly is None else f'{monthly:,}'} per month) in the SLA.")
