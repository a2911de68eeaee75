"""`PersonasPanel`: the buyer personas, trait by trait: what marketing says, what sales
says, and the agreed text; edit a cell to record it (agreeing writes the agreed text and
marks it agreed)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.shell.blocks import note
from workbench.model import Persona, PersonaTrait, Trait
from workbench.personas import TRAIT_NAMES

COLUMNS = ("Trait", "Marketing says", "Sales says", "Agreed", "Status")
EDITABLE = {1: "marketing", 2: "sales", 3: "agreed"}


class PersonasPanel(QWidget):
    """Emits `persona_chosen(id)`, `add_requested()`, `delete_requested(id)` and
    `text_edited(persona_id, trait, column, text)` with column marketing, sales or agreed."""

    persona_chosen = Signal()
    add_requested = Signal()
    delete_requested = Signal(int)
    text_edited = Signal(int, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.persona = QComboBox()
        self.persona.setMinimumWidth(220)
        self.persona.currentIndexChanged.connect(self._chosen)
        self.add = QPushButton("New persona…")
        self.delete = QPushButton("Delete persona")
        self.add.clicked.connect(self.add_requested)
        self.delete.clicked.connect(self._delete)
        self.table = QTableWidget(len(Trait), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._edited)
        self.error = note("", "fieldError")
        self.error.hide()
        top = QHBoxLayout()
        top.addWidget(self.persona)
        top.addWidget(self.add)
        top.addWidget(self.delete)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(note("Fit rules name the trait they encode, so “why does this rule "
                              "exist?” has an answer. Double-click a cell to write in it."))
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        self.personas: list[Persona] = []
        self._loading = False

    def current_id(self) -> int | None:
        data = self.persona.currentData()
        return int(data) if data is not None else None

    def show_personas(self, personas: list[Persona],
                      traits: dict[Trait, PersonaTrait] | None) -> None:
        current = self.current_id()
        self.personas = personas
        self.persona.blockSignals(True)
        self.persona.clear()
        for persona in personas:
            self.persona.addItem(persona.name, int(persona.id))
        index = self.persona.findData(current)
        self.persona.setCurrentIndex(max(index, 0) if personas else -1)
        self.persona.blockSignals(False)
        self.delete.setEnabled(bool(personas))
        self.table.setEnabled(bool(personas))
        self.show_traits(traits or {})
        self.error.hide()

    def show_traits(self, traits: dict[Trait, PersonaTrait]) -> None:
        self._loading = True
        for row, trait in enumerate(Trait):
            found = traits.get(trait)
            texts = (TRAIT_NAMES[trait], found.marketing if found else "",
                     found.sales if found else "", found.agreed if found else "",
                     found.agreement.value if found else "open")
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column not in EDITABLE:
                    item.setFlags(item.flags() & ~item.flags().ItemIsEditable)
                item.setData(256, trait.value)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self._loading = False

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _chosen(self) -> None:
        self.persona_chosen.emit()

    def _delete(self) -> None:
        persona = self.current_id()
        if persona is not None:
            self.delete_requested.emit(persona)

    def _edited(self, item: QTableWidgetItem) -> None:
        persona = self.current_id()
        if self._loading or persona is None or item.column() not in EDITABLE:
            return
        self.text_edited.emit(persona, str(item.data(256)), EDITABLE[item.column()], item.text())
