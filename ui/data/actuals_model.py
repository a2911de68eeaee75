"""The quarterly actuals of one quarter as an editable table: one row per stage and source,
with the count and value of leads. Typed text is read here; a value the reading or the
workbook refuses stays in its cell as typed, marked, with the reason as its tooltip, until
the user types something acceptable."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from reports import palette
from ui.plan import theme as plan_theme
from workbench.errors import ValidationError
from workbench.model import Actual, Stage, StageId
from workbench.planning.inputs import parse_amount

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Stage", "Source", "Count", "Value")
COUNT, VALUE = 2, 3
NO_SOURCE = "(all sources)"
_WHOLE = re.compile(r"-?\d+")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
# (stage, source, count, value) → the refusal's message, or None when it was stored
Commit = Callable[[StageId, str, int, float | None], str | None]


@dataclass(frozen=True)
class ActualRow:
    """One row: a stage and a source, and the actual entered for them (if any)."""

    stage: Stage
    source: str
    count: int | None
    value: float | None


def parse_count(text: str) -> int:
    """A count as typed: "1,240", "1 240", "310"; empty is 0. Negative counts are read
    (the workbook refuses them with its own message)."""
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return 0
    if not _WHOLE.fullmatch(cleaned):
        raise ValidationError("count", f"“{text.strip()}” is not a count; type a whole "
                                       "number of leads, such as 120.")
    return int(cleaned)


def value_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".removesuffix(".00")


class ActualsModel(QAbstractTableModel):
    """Stage | source | count | value for one quarter; count and value editable."""

    def __init__(self, commit: Commit) -> None:
        super().__init__()
        self.commit = commit
        self.rows: list[ActualRow] = []
        self.refused: dict[tuple[int, int], tuple[str, str]] = {}  # (row, col) → text, why
        self.last_message = ""

    def show_actuals(self, stages: list[Stage], sources: list[str],
                     actuals: list[Actual]) -> None:
        """Every stage × source (the sources known to the workbook and any the actuals
        name), with the actuals entered so far; refused texts are forgotten."""
        cells = {(a.stage_id, a.source): a for a in actuals}
        names = sorted(set(sources) | {a.source for a in actuals if a.source})
        if any(a.source == "" for a in actuals):
            names.insert(0, "")
        self.beginResetModel()
        self.rows = []
        for stage in stages:
            for source in names:
                actual = cells.get((stage.id, source))
                self.rows.append(ActualRow(stage, source, actual.count if actual else None,
                                           actual.value if actual else None))
        self.refused.clear()
        self.endResetModel()

    def row_of(self, stage_key: str, source: str) -> int:
        return next(i for i, r in enumerate(self.rows)
                    if r.stage.key == stage_key and r.source == source)

    # -- Qt's side ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and \
                role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if section >= COUNT else LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() >= COUNT else base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        refused = self.refused.get((index.row(), column))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if refused is not None:
                return refused[0]
            return self._text(row, column, editing=role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column >= COUNT else LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if refused is not None:
                return QColor(palette.BAD)
            if column >= COUNT and row.count is None:
                return QColor(palette.MUTED)
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and refused is not None:
            return QColor(plan_theme.BAD_SOFT)
        if role == Qt.ItemDataRole.ToolTipRole:
            if refused is not None:
                return refused[1]
            if column >= COUNT:
                return "Type to change; each change is one undo step"
        return None

    def _text(self, row: ActualRow, column: int, editing: bool = False) -> str:
        if column == 0:  # once per stage: the rows under it are its sources
            index = self.rows.index(row)
            return row.stage.name if index == 0 or self.rows[index - 1].stage != row.stage \
                else ""
        if column == 1:
            return row.source or NO_SOURCE
        if column == COUNT:
            return "" if row.count is None else (str(row.count) if editing
                                                 else f"{row.count:,}")
        if row.value is None and row.count is not None and not editing:
            return "—"  # a count without a value: not known, not 0
        return value_text(row.value)

    def setData(self, index: AnyIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Read and store what was typed in a count or value cell; a refusal keeps the
        text in the cell and its reason in `last_message`."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() < COUNT:
            return False
        text = "" if value is None else str(value)
        row = self.rows[index.row()]
        key = (index.row(), index.column())
        try:
            if index.column() == COUNT:
                count, amount = parse_count(text), row.value
            else:  # an emptied value is no value, not 0
                count, amount = row.count or 0, parse_amount(text, "value")
        except ValidationError as error:
            return self._refuse(index, key, text, error.message)
        message = self.commit(row.stage.id, row.source, count, amount)
        if message is not None:
            return self._refuse(index, key, text, message)
        self.refused.pop(key, None)
        self.last_message = ""
        stored = None if amount is None else float(amount)
        self.rows[index.row()] = ActualRow(row.stage, row.source, count, stored)
        self.dataChanged.emit(self.index(index.row(), COUNT), self.index(index.row(), VALUE))
        return True

    def _refuse(self, index: AnyIndex, key: tuple[int, int], text: str, message: str) -> bool:
        self.refused[key] = (text, message)
        self.last_message = message
        self.dataChanged.emit(index, index)
        return True  # the cell keeps the typed text, marked as refused
