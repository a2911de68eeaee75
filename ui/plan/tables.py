"""Read-only tables of the Plan screen: the reverse funnel with its arithmetic, the split by
source, and the scenario comparison with differences highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from reports import palette
from workbench.figure_text import format_count, format_percent
from workbench.planning.reverse import FunnelPlan
from workbench.planning.scenarios import ScenarioComparison

from . import theme

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def cell(text: str, *, align: Qt.AlignmentFlag = LEFT, bold: bool = False,
         colour: str | None = None, background: str | None = None,
         tooltip: str | None = None) -> QTableWidgetItem:
    """A read-only table cell."""
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(align)
    if bold:
        item.setFont(theme.font(10, bold=True))
    if colour:
        item.setForeground(QColor(colour))
    if background:
        item.setBackground(QColor(background))
    item.setToolTip(tooltip if tooltip is not None else text)
    return item


class ReadOnlyTable(QTableWidget):
    """A table the user reads and copies from, never edits."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrap, never "…"
        self.fit_height = False
        self.setAlternatingRowColors(False)
        self.verticalHeader().setDefaultSectionSize(30)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """A narrower window wraps long cells onto more lines: rows grow to show them."""
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.fit_rows)  # once the columns have their widths

    def fit_rows(self) -> None:
        """Rows as tall as their wrapped text; with `fit_height`, the table as tall as its
        rows (no scrolling inside it)."""
        self.resizeRowsToContents()
        if self.fit_height:
            rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
            self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows
                                + 2 * self.frameWidth() + 2)

    def column_texts(self, column: int) -> list[str]:
        """What a column shows, top to bottom (for tests and copying)."""
        return [self.item(r, column).text() if self.item(r, column) else ""
                for r in range(self.rowCount())]


STAGE_COLUMN = 170


class FunnelTable(ReadOnlyTable):
    """Stage | needed this quarter | per month | how it is worked out (or why not)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(["Stage", "This quarter", "Per month", "Worked out as"], parent)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, STAGE_COLUMN)  # a long stage name wraps, leaving room to explain
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def show_funnel(self, funnel: FunnelPlan | None) -> None:
        rows = funnel.stages if funnel else ()
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.setItem(r, 0, cell(row.name, bold=True))
            self.setItem(r, 1, cell(format_count(row.volume), align=RIGHT, bold=True))
            self.setItem(r, 2, cell(format_count(row.per_month), align=RIGHT))
            if row.volume is None:
                self.setItem(r, 3, cell(f"— {row.reason}", colour=palette.BAD))
            else:
                self.setItem(r, 3, cell(row.arithmetic, colour=palette.MUTED))
        self.resizeRowsToContents()  # a long reason wraps instead of being cut off


class SourceSplitTable(ReadOnlyTable):
    """Stage × source: the volume each source must bring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(["Stage"], parent)

    def show_split(self, funnel: FunnelPlan | None) -> None:
        split = funnel.source_split if funnel else ()
        self.setColumnCount(1 + len(split))
        self.setHorizontalHeaderLabels(
            ["Stage", *(f"{s.source} ({format_percent(s.share)})" for s in split)])
        rows = funnel.stages if funnel and split else ()
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.setItem(r, 0, cell(row.name, bold=True))
            for c, source in enumerate(split, start=1):
                self.setItem(r, c, cell(format_count(source.volumes[r]), align=RIGHT))
        self.resizeColumnsToContents()


class ScenarioTable(ReadOnlyTable):
    """Scenarios as columns; inputs, then stage volumes, as rows; what differs from the
    baseline scenario is tinted amber and shows the difference."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([""], parent)
        self.comparison: ScenarioComparison | None = None

    def show_comparison(self, comparison: ScenarioComparison) -> None:
        self.comparison = comparison
        plans = comparison.plans
        self.setColumnCount(1 + len(plans))
        headers = [""]
        for index, plan in enumerate(plans):
            marks = [m for m, on in (("★ committed", plan.committed),
                                     ("baseline", index == comparison.baseline)) if on]
            headers.append(plan.name + (f"\n({', '.join(marks)})" if marks else ""))
        self.setHorizontalHeaderLabels(headers)
        rows: list[tuple[str, object]] = []
        kind = None
        for row in comparison.rows:
            if row.kind != kind:
                kind = row.kind
                rows.append(("Inputs" if kind == "input" else "Volume needed per stage", None))
            rows.append((row.label, row))
        self.setRowCount(len(rows))
        for r, (label, row) in enumerate(rows):
            if row is None:
                self.setItem(r, 0, cell(label, bold=True, background=palette.CANVAS))
                for c in range(1, self.columnCount()):
                    self.setItem(r, c, cell("", background=palette.CANVAS))
                continue
            self.setItem(r, 0, cell(label))
            for c, (text, differs, delta) in enumerate(
                    zip(row.texts, row.differs, row.deltas, strict=True), start=1):
                shown = f"{text}  ({delta})" if delta else text
                self.setItem(r, c, cell(shown, align=RIGHT, bold=differs,
                                        background=theme.WARN_SOFT if differs else None))
        self.resizeColumnsToContents()
        self.horizontalHeader().setStretchLastSection(True)

    def differing_cells(self) -> list[tuple[str, str]]:
        """(row label, cell text) of every highlighted cell, for tests and reading aloud."""
        found = []
        for r in range(self.rowCount()):
            for c in range(1, self.columnCount()):
                item = self.item(r, c)
                if item and item.background().color() == QColor(theme.WARN_SOFT):
                    found.append((self.item(r, 0).text(), item.text()))
        return found
