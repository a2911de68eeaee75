"""`LeadTable`: every lead, best model score first, with its CRM score beside it, its
quadrant and whether it is an MQL; choosing one shows why it scored what it did. Rows are
read from the workbook only as they come into view, so a million leads scroll freely."""

from __future__ import annotations

import sqlite3
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from workbench.lead_scores import ModelScores
from workbench.model import Quadrant, QuadrantRule, ScoringSettings
from workbench.rule_match import NO_VALUE, OPERATOR_WORDS
from workbench.score_figures import explain
from workbench.scoring import QUADRANT_NAMES

HEADERS = ("Lead", "Company", "Created", "Model score", "CRM score", "Quadrant", "MQL")
Index = QModelIndex | QPersistentModelIndex


class LeadModel(QAbstractTableModel):
    """The scored leads in score order; each row's text read when first shown."""

    def __init__(self) -> None:
        super().__init__()
        self.scores: ModelScores | None = None
        self.order = np.zeros(0, dtype=np.intp)
        self.settings = ScoringSettings(0, 0, 0)
        self.quadrants: dict[Quadrant, QuadrantRule] = {}
        self._rows: dict[int, tuple[Any, ...]] = {}

    def show(self, scores: ModelScores, settings: ScoringSettings,
             quadrants: dict[Quadrant, QuadrantRule]) -> None:
        """Show these scores at this cut. Nothing here reads every lead (the order is made
        with the scores, a row's quadrant when it is shown), so a dragged threshold redraws
        the table at once at any number of leads."""
        self.beginResetModel()
        if self.scores is None or scores.data is not self.scores.data:
            self._rows = {}  # the leads' own values are kept while the leads are the same
        self.scores, self.settings, self.quadrants = scores, settings, quadrants
        self.order = scores.best_first
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def row_of(self, view_row: int) -> int:
        """The lead's position in the scores (lead-id order)."""
        return int(self.order[view_row])

    def _lead(self, row: int) -> tuple[Any, ...]:
        if row not in self._rows:
            assert self.scores is not None
            conn: sqlite3.Connection = self.scores.data.conn
            found = conn.execute("SELECT external_id, company, substr(created_at, 1, 10), score "
                                 "FROM leads WHERE id = ?",
                                 (int(self.scores.data.ids[row]),)).fetchone()
            if len(self._rows) > 5000:
                self._rows.clear()
            self._rows[row] = found or ("", "", "", None)
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.scores is None:
            return None
        row, column = self.row_of(index.row()), index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 3:
            return f"{int(self.scores.total[row])}"
        if column == 5:
            return QUADRANT_NAMES[self.scores.quadrant_of(row, self.settings)]
        if column == 6:
            return "MQL" if self.scores.is_mql(row, self.settings, self.quadrants) else ""
        lead = self._lead(row)
        if column == 4:
            return "—" if lead[3] is None else f"{lead[3]:g}"
        return lead[column] or ("#" + str(int(self.scores.data.ids[row])) if column == 0 else "")


class LeadTable(QWidget):
    """The lead list and, under it, why the chosen lead scored what it did."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LeadModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((100, 170, 92, 96, 84, 130)):
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().currentRowChanged.connect(self._chosen)
        self.why = QLabel("Choose a lead to see why it scored what it did.")
        self.why.setObjectName("muted")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.settings = ScoringSettings(0, 0, 0)
        self.quadrants: dict[Quadrant, QuadrantRule] = {}
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.why.setMinimumWidth(260)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.why, 2)

    def show_scores(self, scores: ModelScores, settings: ScoringSettings,
                    quadrants: dict[Quadrant, QuadrantRule]) -> None:
        self.settings, self.quadrants = settings, quadrants
        self.model.show(scores, settings, quadrants)
        self.why.setText("Choose a lead to see why it scored what it did.")

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        scores = self.model.scores
        if scores is None or not current.isValid():
            return
        row = self.model.row_of(current.row())
        self.why.setText(why_text(scores, row, self.settings, self.quadrants,
                                  str(self.model.data(self.model.index(current.row(), 0)))))


def why_text(scores: ModelScores, row: int, settings: ScoringSettings,
             quadrants: dict[Quadrant, QuadrantRule], lead: str) -> str:
    """"L5: fit 15 + interest 34 = 49 …" and one line per rule that fired."""
    why = explain(scores, row, settings, quadrants)
    lines = [f"{lead}: fit {why.fit} + interest {why.interest} = {why.total} points — "
             f"{QUADRANT_NAMES[why.quadrant].lower()}, {'an MQL' if why.mql else 'not an MQL'}"]
    for reason in why.reasons:
        if not reason.fired:
            continue
        rule = reason.rule
        value = "" if rule.operator in NO_VALUE else f" {rule.value}"
        note = f" ({reason.note})" if reason.note else ""
        lines.append(f"{reason.points:+d}  {rule.label or rule.attribute}: {rule.attribute} "
                     f"{OPERATOR_WORDS[rule.operator]}{value}{note}")
    if len(lines) == 1:
        lines.append("No rule fired on this lead.")
    return "\n".join(lines)
