"""Data → Imports…: every lead import of the workbook, newest first, with what it did, and
Remove… for the one chosen (the leads it added go, in one undoable step; what it updated
stays, and the question says so first)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from workbench.leads import ImportBatch

HEADERS = ("When", "File", "Added", "Updated", "Unchanged", "Skipped", "")


class ImportsDialog(QDialog):
    """The imports of the context's workbook; `remove_requested(batch id)` asks to remove
    one (the screen asks and performs it, then calls `show_batches` again)."""

    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Imports")
        self.setMinimumSize(760, 360)
        self.batches: list[ImportBatch] = []
        intro = QLabel("Every lead import of this workbook, newest first. Removing one takes "
                       "out the leads it added; Edit → Undo brings them back.", wordWrap=True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = QLabel("No leads have been imported yet.", objectName="muted")
        self.remove_button = QPushButton("Remove import…")
        self.remove_button.clicked.connect(self._remove)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)

    def show_batches(self, batches: list[ImportBatch]) -> None:
        self.batches = batches
        self.table.setRowCount(len(batches))
        for row, batch in enumerate(batches):
            texts = (batch.imported_at[:16].replace("T", " "), batch.file,
                     f"{batch.added:,}", f"{batch.updated:,}", f"{batch.unchanged:,}",
                     f"{batch.skipped:,}", batch.state)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if 2 <= column <= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if batch.removed_at:
                    item.setForeground(QColor(palette.MUTED))
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(batches))
        self.empty.setVisible(not batches)
        self._selected()

    def chosen(self) -> ImportBatch | None:
        rows = self.table.selectionModel().selectedRows()
        return self.batches[rows[0].row()] if rows else None

    def _selected(self) -> None:
        batch = self.chosen()
        self.remove_button.setEnabled(batch is not None and batch.removable
                                      and batch.removed_at is None)

    def _remove(self) -> None:
        batch = self.chosen()
        if batch is not None:
            self.remove_requested.emit(batch.id)
