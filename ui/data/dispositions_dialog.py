"""Disposition codes… — which values of the leads' disposition column are dispositions,
which say "no disposition yet" (New, Open), and which values the imported leads hold that
are no code at all, each added here with one choice. Like the stage glossary for stages:
the closed-loop share of MQLs dispositioned follows it. Every change is one undo step."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from ui.context import AppContext
from workbench import dispositions
from workbench.changes import Changes

from . import common

NOT_A_CODE, AS_DISPOSITION, AS_NOT_YET = "", "disposed", "not-yet"
CHOICES = ((NOT_A_CODE, "— not a code —"), (AS_DISPOSITION, "Add: a disposition"),
           (AS_NOT_YET, "Add: no disposition yet"))


def unmapped_values(context: AppContext) -> dict[str, int]:
    """Values the leads hold in their disposition column that are no code (nor a code's
    label), and on how many leads."""
    wb = context.workbook
    if wb is None:
        return {}
    known = dispositions.disposed_by_code(wb)
    return {value: int(count) for value, count in wb.db.conn.execute(
        "SELECT disposition, count(*) FROM leads WHERE disposition IS NOT NULL "
        "AND disposition <> '' GROUP BY disposition ORDER BY count(*) DESC, disposition")
        if value not in known}


class DispositionCodesDialog(QDialog):
    """The codes with a "counts as a disposition" box each, then the values no code."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Disposition codes")
        self.setObjectName("DispositionCodesDialog")
        self.setStyleSheet(common.style_sheet("DispositionCodesDialog"))
        title = QLabel("Disposition codes")
        title.setObjectName("screenTitle")
        intro = common.note(
            "The values reps give a worked lead. Untick a value that says the lead has not "
            "been dispositioned yet (such as New or Open): it then counts as “no disposition "
            "yet”. Values the imported leads hold that are no code are listed below it; add "
            "each as one or the other.")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Value", "Label", "Meaning",
                                              "Counts as a disposition"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 170), (3, 210)):
            header.resizeSection(column, width)
        self.message = common.note("", "fieldError")
        close = QPushButton("Close")
        close.setObjectName("primary")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(860, 480)
        context.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        wb = self.context.workbook
        codes = dispositions.codes(wb) if wb is not None else []
        unmapped = unmapped_values(self.context)
        for row in range(self.table.rowCount()):  # the boxes and choices go with their rows
            widget = self.table.cellWidget(row, 3)
            if widget is not None:
                widget.hide()
                self.table.removeCellWidget(row, 3)
        self.table.setRowCount(0)
        self.table.setRowCount(len(codes) + len(unmapped))
        for row, code in enumerate(codes):
            for column, text in enumerate((code.code, code.label, code.meaning or "—")):
                self.table.setItem(row, column, _item(text, bold=column == 0))
            box = QCheckBox("Disposition" if code.disposed else "No disposition yet")
            box.setChecked(code.disposed)
            box.setProperty("code", code.code)
            box.toggled.connect(self._toggled)
            self.table.setCellWidget(row, 3, _centred(box))
        for row, (value, count) in enumerate(unmapped.items(), start=len(codes)):
            self.table.setItem(row, 0, _item(value, bold=True, colour=palette.WARN))
            self.table.setItem(row, 1, _item(f"not a code — on {count:,} lead"
                                             f"{'' if count == 1 else 's'}",
                                             colour=palette.MUTED))
            self.table.setItem(row, 2, _item("", colour=palette.MUTED))
            combo = QComboBox()
            for data, text in CHOICES:
                combo.addItem(text, data)
            combo.setProperty("value", value)
            combo.currentIndexChanged.connect(self._chosen)
            self.table.setCellWidget(row, 3, combo)

    def boxes(self) -> dict[str, QCheckBox]:
        """Each code's "counts as a disposition" box, by code (for tests)."""
        found: dict[str, QCheckBox] = {}
        for row in range(self.table.rowCount()):
            holder = self.table.cellWidget(row, 3)
            box = holder.findChild(QCheckBox) if holder is not None else None
            if box is not None:
                found[str(box.property("code"))] = box
        return found

    def choices(self) -> dict[str, QComboBox]:
        """Each value that is no code, with its choice (for tests)."""
        return {str(w.property("value")): w for row in range(self.table.rowCount())
                if isinstance(w := self.table.cellWidget(row, 3), QComboBox)}

    def _toggled(self, checked: bool) -> None:
        box = self.sender()
        wb = self.context.workbook
        if wb is None or not isinstance(box, QCheckBox):
            return
        self._run(partial(dispositions.update_code, wb, str(box.property("code")),
                          disposed=checked))

    def _chosen(self) -> None:
        combo = self.sender()
        wb = self.context.workbook
        if wb is None or not isinstance(combo, QComboBox) or not combo.currentData():
            return
        value = str(combo.property("value"))
        self._run(partial(dispositions.add_code, wb, value, value,
                          disposed=combo.currentData() == AS_DISPOSITION))

    def _run(self, mutation: Callable[[], Changes]) -> None:
        _, error = common.run_step(self.context, mutation, initiator=self)
        self.message.setText("" if error is None else str(error))
        QTimer.singleShot(0, self.reload)  # not inside the signal of a widget it replaces

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is not self and "disposition_codes" in changes.tables:
            self.reload()  # an undo from the main window


def _item(text: str, *, bold: bool = False, colour: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    item.setToolTip(text)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    if colour:
        item.setForeground(QColor(colour))
    return item


def _centred(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(8, 0, 8, 0)
    layout.addWidget(widget)
    layout.addStretch(1)
    return holder
