"""`DecisionsPanel`: the decisions log — what was decided, who owns it, what it settles (a
stage, an SLA term, a scoring rule or a question). "Apply" opens the item it settles."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.shell.blocks import note
from ui.shell.flow import flow_row
from workbench.workshop import Decision, Settles

from .tables import FIT, FREE, STRETCH, fill_row, picking_table, selected_key

KIND_WORDS = {None: "Settles nothing in particular", Settles.STAGE: "A funnel stage",
              Settles.SLA_TERM: "An SLA term", Settles.SCORING_RULE: "A scoring rule",
              Settles.QUESTION: "A workshop question"}


class DecisionsPanel(QWidget):
    """The log as a table, and a form to record or edit one decision."""

    record_requested = Signal(object, str, str, object)  # decision id or None, text, owner,
    remove_requested = Signal(int)                       # (kind, key) or None
    apply_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options: dict[Settles, list[tuple[str, str]]] = {}
        self.decisions: list[Decision] = []
        self.table = picking_table(["Decision", "Owner", "Settles"], [STRETCH, FIT, FREE])
        self.table.setWordWrap(True)
        self.table.setColumnWidth(2, 280)
        self.table.itemSelectionChanged.connect(self._selected)
        self.text = QLineEdit()
        self.text.setPlaceholderText("What was decided")
        self.text.setAccessibleName("Decision")
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Owner")
        self.owner.setAccessibleName("Owner")
        self.owner.setMaximumWidth(220)
        self.kind = QComboBox()
        for kind, words in KIND_WORDS.items():
            self.kind.addItem(words, kind)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.item = QComboBox()
        self.item.setMinimumWidth(200)
        self.item.setMaximumWidth(420)
        self.record = QPushButton("Record decision")
        self.record.setObjectName("primary")
        self.record.clicked.connect(lambda: self._record(None))
        self.save = QPushButton("Save changes")
        self.save.clicked.connect(self._save_selected)
        self.apply = QPushButton("Apply")
        self.apply.setToolTip("Open what the decision settles, with the decision on the "
                              "status bar")
        self.apply.clicked.connect(self._apply)
        self.remove = QPushButton("Remove")
        self.remove.clicked.connect(self._remove)
        self.error = note("", "fieldError")
        self.error.hide()
        first = QHBoxLayout()
        first.addWidget(self.text, 1)
        first.addWidget(self.owner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(first)
        layout.addWidget(flow_row(self.kind, self.item, right=(
            self.record, self.save, self.apply, self.remove)))
        layout.addWidget(self.error)
        self._selected()
        self._kind_chosen()

    def set_decisions(self, decisions: Sequence[Decision], labels: Sequence[str],
                      options: dict[Settles, list[tuple[str, str]]]) -> None:
        chosen = self.selected_id()
        self.options, self.decisions = options, list(decisions)
        self.table.setRowCount(len(decisions))
        for row, (decision, label) in enumerate(zip(decisions, labels, strict=True)):
            fill_row(self.table, row, (decision.text, decision.owner or "—", label or "—"),
                     decision.id)
        self.table.resizeRowsToContents()
        ids = [d.id for d in decisions]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        self._kind_chosen()

    def selected_id(self) -> int | None:
        key = selected_key(self.table)
        return None if key is None else int(str(key))

    def _selected(self) -> None:
        chosen = next((d for d in self.decisions if d.id == self.selected_id()), None)
        for button in (self.save, self.remove):
            button.setEnabled(chosen is not None)
        self.apply.setEnabled(chosen is not None and chosen.settles is not None)
        if chosen is not None:
            self.text.setText(chosen.text)
            self.owner.setText(chosen.owner)
            self.kind.setCurrentIndex(self.kind.findData(chosen.settles))
            self._kind_chosen()
            self.item.setCurrentIndex(max(0, self.item.findData(chosen.settles_key)))

    def _kind_chosen(self) -> None:
        kind = self.kind.currentData()
        current = self.item.currentData()
        self.item.clear()
        for key, words in self.options.get(kind, []) if kind else []:
            self.item.addItem(words, key)
            self.item.setItemData(self.item.count() - 1, words, Qt.ItemDataRole.ToolTipRole)
        self.item.setEnabled(kind is not None)
        if current is not None and self.item.findData(current) >= 0:
            self.item.setCurrentIndex(self.item.findData(current))

    def _settles(self) -> tuple[Settles, str] | None:
        kind = self.kind.currentData()
        key = self.item.currentData()
        return (kind, str(key)) if kind is not None and key is not None else None

    def _record(self, decision_id: int | None) -> None:
        self.record_requested.emit(decision_id, self.text.text(), self.owner.text(),
                                   self._settles())

    def _save_selected(self) -> None:
        if self.selected_id() is not None:
            self._record(self.selected_id())

    def _apply(self) -> None:
        if self.selected_id() is not None:
            self.apply_requested.emit(self.selected_id())

    def _remove(self) -> None:
        if self.selected_id() is not None:
            self.remove_requested.emit(self.selected_id())

    def show_refusal(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def clear_form(self) -> None:
        self.table.clearSelection()
        self.text.clear()
        self.owner.clear()
        self.kind.setCurrentIndex(0)
        self.show_refusal("")
