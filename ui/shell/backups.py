"""File → Restore from Backup…: the copies the app keeps of the open workbook, newest first,
with when each was taken; choosing one puts it back (see `workbench.backups`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.words import counted

if TYPE_CHECKING:  # the window is built before the core is loaded
    from workbench.backups import Backup

BACKUPS_FOLDER = "Backups"


def backups_root(data_dir: Path) -> Path:
    """Where the app keeps its copies of workbooks: the user's own data folder."""
    return data_dir / BACKUPS_FOLDER


def age(taken: datetime, now: datetime | None = None) -> str:
    """How long ago, in words: "just now", "5 minutes ago", "yesterday", "3 days ago"."""
    seconds = max(0, int(((now or datetime.now()) - taken).total_seconds()))
    if seconds < 60:
        return "just now"
    for size, unit in ((86_400, "day"), (3_600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            if unit == "day" and count == 1:
                return "yesterday"
            return f"{counted(count, unit)} ago"
    return "just now"


class RestoreDialog(QDialog):
    """Lists `found` (newest first) and lets the user pick one to restore."""

    def __init__(self, workbook_name: str, found: list[Backup], folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.setMinimumWidth(560)
        self._found = found
        intro = QLabel(
            f"Alignment Workbench keeps a copy of “{workbook_name}” each time it is opened "
            f"(the newest ten). Restoring puts the chosen copy in place of the workbook; the "
            f"workbook as it is now is kept as a copy too, so a restore can be taken back. "
            f"(Undo and Redo start afresh.)"
            if found else
            f"There is no backup of “{workbook_name}” yet. A copy is taken each time it is "
            "opened, once it has changed since the last copy.")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(found), 3)
        self.table.setHorizontalHeaderLabels(["Taken", "Age", "Size"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, backup in enumerate(found):
            for column, text in enumerate((f"{backup.taken:%A %d %B %Y, %H:%M:%S}",
                                           age(backup.taken), backup.size_text)):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(found))
        where = QLabel(f"Kept in {folder}")
        where.setObjectName("Hint")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("&Restore this copy",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(found))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.table.itemDoubleClicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(where)
        layout.addWidget(buttons)
        if found:
            self.table.selectRow(0)
            self.table.setFocus()

    def chosen(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self._found[rows[0].row()] if rows else None


def ask_backup(parent: QWidget | None, workbook_name: str, found: list[Backup],
               folder: Path) -> Backup | None:
    """The copy the user chose to restore; None when cancelled."""
    dialog = RestoreDialog(workbook_name, found, folder, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
