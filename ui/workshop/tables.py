"""The workshop's lists (decisions, questions): read-only tables picked one row at a time,
with the item's key stored on each cell."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

FIT, STRETCH, FREE = (QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                      QHeaderView.ResizeMode.Interactive)


def picking_table(headers: Sequence[str], modes: Sequence[QHeaderView.ResizeMode]
                  ) -> QTableWidget:
    """A table of `headers`, one row selected at a time, not edited in place."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for column, mode in enumerate(modes):
        table.horizontalHeader().setSectionResizeMode(column, mode)
    return table


def fill_row(table: QTableWidget, row: int, texts: Sequence[str], key: object) -> None:
    """Row `row`'s cells, each carrying `key` (what `selected_key` returns)."""
    for column, text in enumerate(texts):
        item = QTableWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        table.setItem(row, column, item)


def selected_key(table: QTableWidget) -> object:
    """The key of the selected row, or None."""
    model = table.selectionModel()
    rows = model.selectedRows() if model is not None else []
    item = table.item(rows[0].row(), 0) if rows else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None
