"""The Plan screen's dialogs: a name or quarter prompt, and deriving inputs from actuals
with a preview of what would be set. Module-level functions, so tests replace them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from workbench.model import Quarter, QuarterId
from workbench.planning.derive import Derivation, derive_from_actuals
from workbench.workbook import Workbook


def ask_text(parent: QWidget, title: str, label: str, default: str = "") -> str | None:
    """A one-line prompt; None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label, text=default)
    return text if ok else None


def next_quarter_label(quarters: Sequence[Quarter]) -> str:
    """The quarter after the latest one ("2026Q4" after "2026Q3"), or the current one."""
    if not quarters:
        from datetime import date

        today = date.today()
        return f"{today.year}Q{(today.month - 1) // 3 + 1}"
    last = quarters[-1].label
    year, q = int(last[:4]), int(last[5:])
    return f"{year + q // 4}Q{q % 4 + 1}"


@dataclass(frozen=True)
class DeriveChoice:
    """What the user chose to take from the actuals."""

    derivation: Derivation
    deal_size: bool
    conversions: bool


class DeriveDialog(QDialog):
    """Choose a range of quarters; see the deal size and rates their actuals give."""

    def __init__(self, workbook: Workbook, quarters: Sequence[Quarter],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Derive inputs from actuals")
        self.workbook = workbook
        self.quarters = list(quarters)
        self.first, self.last = QComboBox(), QComboBox()
        for combo in (self.first, self.last):
            for quarter in self.quarters:
                combo.addItem(quarter.label, quarter.id)
            combo.currentIndexChanged.connect(self._preview)
        self.first.setCurrentIndex(max(0, len(self.quarters) - 4))
        self.last.setCurrentIndex(len(self.quarters) - 1)
        self.use_deal = QCheckBox("Average deal size (revenue ÷ customers)")
        self.use_rates = QCheckBox("Conversion rates (next stage ÷ this stage)")
        self.use_deal.setChecked(True)
        self.use_rates.setChecked(True)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setMinimumWidth(460)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("From quarter", self.first)
        form.addRow("To quarter", self.last)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.use_deal)
        layout.addWidget(self.use_rates)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)
        self._preview()

    def chosen_ids(self) -> list[QuarterId]:
        a, b = sorted((self.first.currentIndex(), self.last.currentIndex()))
        return [q.id for q in self.quarters[a:b + 1]]

    def derivation(self) -> Derivation:
        return derive_from_actuals(self.workbook, self.chosen_ids())

    def _preview(self) -> None:
        result = self.derivation()
        lines = [f"<b>From the actuals of {result.span}:</b>",
                 "Average deal size: " + (result.deal_size_arithmetic
                                          if result.avg_deal_size is not None
                                          else f"— {result.deal_size_reason}")]
        for rate in result.rates:
            lines.append(f"{rate.step}: " + (rate.arithmetic if rate.rate is not None
                                             else f"— {rate.reason}"))
        skipped = sum(r.rate is None for r in result.rates)
        if skipped:
            lines.append(f"<i>{skipped} rate(s) cannot be derived and stay as they are.</i>")
        self.preview.setText("<br>".join(lines))


def ask_derivation(parent: QWidget, workbook: Workbook,
                   quarters: Sequence[Quarter]) -> DeriveChoice | None:
    """Run the derive dialog; None when cancelled."""
    if not quarters:
        return None
    dialog = DeriveDialog(workbook, quarters, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return DeriveChoice(dialog.derivation(), dialog.use_deal.isChecked(),
                        dialog.use_rates.isChecked())
