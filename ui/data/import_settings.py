"""The import dialog's settings bar: how the file is read (encoding, separator, date format,
decimal comma — each guessed, each overridable) and which mapping starts the column list
(guessed from the headers, a CRM preset, or one the user saved)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from workbench.imports import PRESETS, Mapping, Preview
from workbench.imports.dates import DATE_FORMATS
from workbench.imports.sniff import ENCODING_NAMES

from .common import select_data

SEPARATORS = {",": "Comma  ,", ";": "Semicolon  ;", "\t": "Tab", "|": "Vertical bar  |"}
DATE_LABELS = {"iso": "2026-03-14 (ISO)", "us": "3/14/2026 (US, month first)",
               "eu": "14.3.2026 (day first)", "uk": "14/3/2026 (UK, day first)"}
GUESS = "guess"


def source_key(kind: str, name: str = "") -> str:
    """Mapping-combo data: "guess", "preset:hubspot", "saved:My export"."""
    return kind if kind == GUESS else f"{kind}:{name}"


class ImportSettings(QWidget):
    """Read-as and mapping controls. Signals carry the user's choice; the dialog re-reads
    the file and calls `show_preview` with the outcome."""

    format_changed = Signal()  # encoding, separator, dates or decimal comma chosen
    source_chosen = Signal(str)  # source_key of the mapping to start from
    save_requested = Signal()
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.encoding = QComboBox()
        for code, name in ENCODING_NAMES.items():
            self.encoding.addItem(name, code)
        self.separator = QComboBox()
        for mark, name in SEPARATORS.items():
            self.separator.addItem(name, mark)
        self.dates = QComboBox()
        for code, name in DATE_LABELS.items():
            self.dates.addItem(name, code)
            self.dates.setItemData(self.dates.count() - 1, DATE_FORMATS[code], 3)  # tooltip
        self.decimal_comma = QCheckBox("Decimal comma (1.250,50)")
        self.source = QComboBox()
        self.source.setMinimumWidth(330)
        self.save_button = QPushButton("Save mapping as…")
        self.delete_button = QPushButton("Delete mapping")
        self.guesses = QLabel()
        self.guesses.setObjectName("muted")
        for combo in (self.encoding, self.separator, self.dates):
            combo.currentIndexChanged.connect(self.format_changed)
        self.decimal_comma.toggled.connect(self.format_changed)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.save_button.clicked.connect(self.save_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self._lay_out()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        read_as = QHBoxLayout()
        for caption, widget in (("Encoding", self.encoding), ("Separator", self.separator),
                                ("Dates", self.dates)):
            label = QLabel(caption)
            label.setObjectName("muted")
            read_as.addWidget(label)
            read_as.addWidget(widget)
            read_as.addSpacing(6)
        read_as.addWidget(self.decimal_comma)
        read_as.addStretch(1)
        mapping = QHBoxLayout()
        mapping.addWidget(self.source)
        mapping.addWidget(self.save_button)
        mapping.addWidget(self.delete_button)
        mapping.addSpacing(12)
        mapping.addWidget(self.guesses, 1)
        for row, (caption, layout) in enumerate((("Read as", read_as),
                                                 ("Mapping", mapping))):
            label = QLabel(caption)
            label.setObjectName("sectionTitle")
            grid.addWidget(label, row, 0)
            grid.addLayout(layout, row, 1)
        grid.setColumnStretch(1, 1)

    # -- showing ------------------------------------------------------------------------
    def fill_sources(self, saved: list[str], current: str) -> None:
        """The mapping choices: guessed, each preset, each saved mapping."""
        combo = self.source
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Guessed from the column names", GUESS)
        for preset in PRESETS.values():
            combo.addItem(f"Preset: {preset.title}", source_key("preset", preset.name))
            combo.setItemData(combo.count() - 1, preset.description, 3)
        for name in saved:
            combo.addItem(f"Saved: {name}", source_key("saved", name))
        combo.blockSignals(False)
        select_data(combo, current)
        self.delete_button.setEnabled(current.startswith("saved:"))

    def show_preview(self, preview: Preview) -> None:
        """Show how the file is read, and say what was guessed."""
        mapping = preview.mapping
        csv = preview.format.kind == "csv"
        for widget, value in ((self.encoding, mapping.encoding or preview.format.encoding),
                              (self.separator, mapping.delimiter or preview.format.delimiter),
                              (self.dates, preview.date_format)):
            select_data(widget, value)
        self.decimal_comma.blockSignals(True)
        self.decimal_comma.setChecked(preview.decimal_comma)
        self.decimal_comma.blockSignals(False)
        self.encoding.setEnabled(csv)
        self.separator.setEnabled(csv)
        guessed = f"Found: {preview.format.describe()}; dates as {DATE_LABELS[preview.date_format]}"
        if preview.date_format_ambiguous:
            guessed += " — could be either way, check the dates"
        self.guesses.setText(guessed + ".")
        self.guesses.setToolTip(guessed)

    def chosen_format(self, mapping: Mapping) -> Mapping:
        """`mapping` with the encoding, separator, date format and decimal comma shown."""
        csv = self.encoding.isEnabled()
        return replace(mapping, encoding=self.encoding.currentData() if csv else None,
                       delimiter=self.separator.currentData() if csv else None,
                       date_format=self.dates.currentData(),
                       decimal_comma=self.decimal_comma.isChecked())

    def current_source(self) -> str:
        return str(self.source.currentData())

    def _source_changed(self) -> None:
        key = self.current_source()
        self.delete_button.setEnabled(key.startswith("saved:"))
        self.source_chosen.emit(key)
