"""The mapping part of the import dialog: one row per column of the file with a few sample
values and a combo saying what the column imports as; the first rows as read; and which
stage names in the file count as which funnel stage (through the stage glossary).

A column may feed one lead field, the date of one stage, or — as HubSpot's "Became a
Customer Date" does — both the won date and a stage's date. Combo items carry their targets
as text ("field:won|stage:customer"); `apply_choice` turns a choice into a new `Mapping`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from reports import palette
from workbench.imports import LEAD_FIELDS, ColumnReport, Mapping, Preview
from workbench.imports.mapping import GENERATED_ID, identity_columns
from workbench.model import Stage

Resolver = Callable[[str], Stage | None]
IGNORE = ""  # feeds no field: kept per lead as an attribute
IGNORE_LABEL = "Keep as attribute"
LEAVE_OUT = "leave-out"
LEAVE_OUT_LABEL = "— leave out —"
FIELD_LABELS = {f.key: f.label for f in LEAD_FIELDS}
PREVIEW_ROWS = 20


def stage_target(stage: Stage) -> str:
    return f"stage:{stage.key or stage.name}"


def column_targets(mapping: Mapping, resolve: Resolver) -> dict[str, str]:
    """Column → what it feeds, as combo data ("field:created", "stage:mql", joined by |).
    A stage the funnel does not know reads "stage?Name"."""
    targets: dict[str, list[str]] = {}
    for key, column in mapping.fields.items():
        targets.setdefault(column, []).append(f"field:{key}")
    for name, column in mapping.stage_dates.items():
        stage = resolve(name)
        targets.setdefault(column, []).append(stage_target(stage) if stage else f"stage?{name}")
    return {column: "|".join(parts) for column, parts in targets.items()}


def target_label(target: str, stages: list[Stage]) -> str:
    """How the combo names a choice: "Created", "Date reached: MQL", "Won date + …"."""
    labels = []
    for part in target.split("|") if target else []:
        kind, _, what = part.partition(":")
        if kind == "field":
            labels.append(FIELD_LABELS.get(what, what))
        elif kind == "stage":
            stage = next((s for s in stages if (s.key or s.name) == what), None)
            labels.append(f"Date reached: {stage.name if stage else what}")
        else:
            labels.append(f"Date of “{part.partition('?')[2]}” (not in this funnel)")
    return " + ".join(labels) or IGNORE_LABEL


def apply_choice(mapping: Mapping, column: str, choice: str, resolve: Resolver) -> Mapping:
    """`mapping` with `column` feeding `choice` instead of what it fed; a field or stage
    date another column fed moves to this one. `LEAVE_OUT` leaves the column out of the
    import; `IGNORE` keeps it per lead as an attribute."""
    ignored = tuple(c for c in mapping.ignored if c != column)
    mapping = replace(mapping, ignored=(*ignored, column) if choice == LEAVE_OUT else ignored)
    if choice == LEAVE_OUT:
        choice = IGNORE
    for key, fed_by in list(mapping.fields.items()):
        if fed_by == column:
            mapping = mapping.with_field(key, None)
    for name, fed_by in list(mapping.stage_dates.items()):
        if fed_by == column:
            mapping = mapping.with_stage_date(name, None)
    for target in choice.split("|") if choice else []:
        kind, _, what = target.partition(":")
        if kind == "field":
            mapping = mapping.with_field(what, column)
        elif kind == "stage":
            stage = resolve(what)
            for name in list(mapping.stage_dates):
                named = resolve(name)
                if stage is not None and named is not None and named.id == stage.id:
                    mapping = mapping.with_stage_date(name, None)
            mapping = mapping.with_stage_date(what, column)
    return mapping


def _item(text: str, *, colour: str | None = None, tooltip: str | None = None,
          bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if colour:
        item.setForeground(QColor(colour))
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    item.setToolTip(tooltip if tooltip is not None else text)
    return item


class ColumnMappingTable(QTableWidget):
    """Column in the file | sample values | imports as (a combo per column) | what that
    means, with a warning where the column needs a look."""

    choice_made = Signal(str, str)  # column, combo data

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(["Column in the file", "Sample values", "Imports as",
                                        "Check"])
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(36)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 190)
        header.resizeSection(1, 150)
        header.resizeSection(2, 220)
        self.combos: dict[str, QComboBox] = {}

    def show_columns(self, preview: Preview, mapping: Mapping, stages: list[Stage],
                     resolve: Resolver, report: ColumnReport | None = None) -> None:
        """One row per column of the file, its combo set to what `mapping` makes of it,
        and what `report` says of it."""
        targets = column_targets(mapping, resolve)
        for column in mapping.ignored:
            targets.setdefault(column, LEAVE_OUT)
        if mapping.fields.get("external_id") == GENERATED_ID:  # they make the lead IDs
            for column in identity_columns(preview.headers):
                targets.setdefault(column, LEAVE_OUT)
        if list(self.combos) != preview.headers:
            self.setRowCount(len(preview.headers))
            self.combos = {}
            for row, column in enumerate(preview.headers):
                self.setItem(row, 0, _item(column, bold=True))
                samples = ", ".join(preview.column_samples(column, 4))
                self.setItem(row, 1, _item(samples or "(empty in the first rows)",
                                           colour=palette.MUTED))
                combo = QComboBox()
                combo.setProperty("column", column)
                combo.currentIndexChanged.connect(self._combo_changed)
                self.setCellWidget(row, 2, combo)
                self.combos[column] = combo
        for column, combo in self.combos.items():
            self._fill_combo(combo, targets.get(column, IGNORE), stages)
        for row, fate in enumerate(report.columns if report is not None else ()):
            if fate.flag:
                self.setItem(row, 3, _item(f"⚠ {fate.alert}", colour=palette.WARN, bold=True,
                                           tooltip=f"{fate.flag[:1].upper()}{fate.flag[1:]}."))
            elif fate.fate == "attribute":
                self.setItem(row, 3, _item(f"Kept per lead ({fate.target})",
                                           colour=palette.MUTED))
            elif fate.target.startswith("makes each lead's ID"):
                self.setItem(row, 3, _item("Makes each lead's ID (not stored)",
                                           colour=palette.MUTED, tooltip=fate.target))
            else:
                self.setItem(row, 3, _item(""))

    @staticmethod
    def _fill_combo(combo: QComboBox, current: str, stages: list[Stage]) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(IGNORE_LABEL, IGNORE)
        combo.addItem(LEAVE_OUT_LABEL, LEAVE_OUT)
        for lead_field in LEAD_FIELDS:
            combo.addItem(lead_field.label, f"field:{lead_field.key}")
        for stage in stages:
            combo.addItem(f"Date reached: {stage.name}", stage_target(stage))
        if combo.findData(current) < 0:
            combo.addItem(target_label(current, stages), current)
        combo.setCurrentIndex(combo.findData(current))
        combo.setToolTip(combo.currentText())
        combo.blockSignals(False)

    def _combo_changed(self) -> None:
        combo = self.sender()
        if isinstance(combo, QComboBox):
            self.choice_made.emit(str(combo.property("column")), str(combo.currentData()))

    def choose(self, column: str, choice: str) -> None:
        """Pick `choice` for `column` as the user would (tests, presets)."""
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(choice))

    def choice(self, column: str) -> str:
        return str(self.combos[column].currentData())


class RowsPreview(QTableWidget):
    """The first rows of the file as read, under the file's own headers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verticalHeader().setDefaultSectionSize(28)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        # A title wider than its column reads from its start ("Became a Marketing…"), not
        # centred and cut at both ends; the whole title is its tool tip.
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                    | Qt.AlignmentFlag.AlignVCenter)
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)

    def show_rows(self, preview: Preview) -> None:
        rows = preview.rows[:PREVIEW_ROWS]
        self.clear()
        self.setColumnCount(len(preview.headers))
        self.setHorizontalHeaderLabels(preview.headers)
        for column, title in enumerate(preview.headers):
            self.horizontalHeaderItem(column).setToolTip(title)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c in range(len(preview.headers)):
                value = row[c] if c < len(row) else ""
                self.setItem(r, c, _item("" if value is None else str(value)))
        self.resizeColumnsToContents()
        for c in range(self.columnCount()):
            self.setColumnWidth(c, min(self.columnWidth(c), 240))


class StageGlossaryTable(QTableWidget):
    """Which names in the file count as which stage, and which count as none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels(["In the file", "Counts as stage"])
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(28)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(True)  # a long column title wraps rather than ends in "…"
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.unmatched: list[str] = []

    def show_stages(self, preview: Preview, mapping: Mapping, resolve: Resolver) -> int:
        """List the stage-date columns and the stage column's values with their stages;
        returns how many rows it lists."""
        rows: list[tuple[str, Stage | None, str]] = []
        for name, column in mapping.stage_dates.items():
            rows.append((column, resolve(name), name))
        stage_column = mapping.fields.get("stage")
        if stage_column in preview.headers:
            i = preview.headers.index(stage_column)
            values = Counter(str(row[i]).strip() for row in preview.rows
                             if i < len(row) and str(row[i] or "").strip())
            for value, count in values.most_common():
                rows.append((f"{value}  ({count}×)", resolve(value), value))
        self.unmatched = [name for _, stage, name in rows if stage is None]
        self.setVisible(bool(rows))
        self.setRowCount(len(rows))
        for r, (text, stage, _name) in enumerate(rows):
            self.setItem(r, 0, _item(text))
            if stage is None:
                self.setItem(r, 1, _item("no stage — these leads get no date from it",
                                         colour=palette.WARN,
                                         tooltip="Add this name as a CRM name of a stage in "
                                                 "the Funnel area to count it."))
            else:
                self.setItem(r, 1, _item(stage.name, colour=palette.GOOD, bold=True))
        self.resizeRowsToContents()
        return len(rows)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.resizeRowsToContents)  # wrapped to the new width
