"""`CrmNamesPanel`: the names a stage goes by in the CRMs (the glossary mapping), so an
import can map "Working - Contacted" to Sales Accepted Lead."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench.model import Stage, StageId

from .fields import FieldRow


class CrmNamesPanel(QWidget):
    """A two-column table (CRM, name there) with Add and Remove."""

    def __init__(self, context: AppContext, initiator: object,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._initiator = context, initiator
        self.stage_id: StageId | None = None
        self._stored: list[tuple[str, str]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 8)
        layout.setSpacing(8)
        hint = QLabel("What this stage is called in your CRMs, so imports map to it.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["CRM", "Name in the CRM"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(200)
        self.table.itemChanged.connect(self._cell_edited)
        self.row = FieldRow(self.table)
        layout.addWidget(self.row, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add CRM name")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def load(self, stage: Stage | None) -> None:
        """Show a stage's CRM names; rows still being filled in stay while nothing else
        about this stage's names changed."""
        switching = stage is None or stage.id != self.stage_id
        self.stage_id = stage.id if stage else None
        self.setEnabled(stage is not None)
        if stage is None:
            self.table.setRowCount(0)
            return
        self._stored = self._context.workbook.funnel.aliases(stage.id)
        if not switching and self._complete_rows() == sorted(set(self._stored)):
            return
        self.row.clear_error()
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for crm, alias in self._stored:
            self._append(crm, alias)
        self.table.blockSignals(False)

    def _append(self, crm: str, alias: str) -> int:
        index = self.table.rowCount()
        self.table.insertRow(index)
        self.table.setItem(index, 0, QTableWidgetItem(crm))
        self.table.setItem(index, 1, QTableWidgetItem(alias))
        return index

    def _rows(self) -> list[tuple[str, str]]:
        rows = []
        for index in range(self.table.rowCount()):
            crm, alias = self.table.item(index, 0), self.table.item(index, 1)
            rows.append((crm.text() if crm else "", alias.text() if alias else ""))
        return rows

    def _complete_rows(self) -> list[tuple[str, str]]:
        return sorted({(c.strip(), a.strip()) for c, a in self._rows() if a.strip()})

    def add_row(self) -> None:
        """A new empty row, ready to type the CRM's name in."""
        self.table.blockSignals(True)
        index = self._append("", "")
        self.table.blockSignals(False)
        self.table.setCurrentCell(index, 0)
        self.table.editItem(self.table.item(index, 0))

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        self.table.blockSignals(True)
        for index in rows:
            self.table.removeRow(index)
        self.table.blockSignals(False)
        self.commit()

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        self.commit()

    def commit(self) -> None:
        """Store the table's complete rows if they differ from what is stored."""
        if self.stage_id is None or self._complete_rows() == sorted(set(self._stored)):
            return
        done = self._context.perform(self._context.workbook.funnel.set_aliases, self.stage_id,
                                     self._rows(), initiator=self._initiator)
        if done is not None:
            self.row.clear_error()

    def show_error(self, field: str, message: str) -> bool:
        if field != "aliases":
            return False
        self.row.show_error(message)
        return True



