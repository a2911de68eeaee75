"""The Closed-loop numbers tab: for a quarter and a source, the numbers both teams read
the same way — key figures on top (follow-up within the SLA's hours, dispositions, weighted
pipeline, marketing-sourced shares), then the stage table (volume, conversion, time in
stage) and the breakdowns (dispositions, pipeline, who sourced it, customers by source).
"—" always comes with the reason, as a tooltip and in the key figure's detail line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from ui.export.files import ask_save_path, suggested_name, write_model_csv
from ui.plan.tables import RIGHT, ReadOnlyTable, cell
from ui.shell.scrolling import scrolling_column
from workbench.leads import LeadFilter
from workbench.model import QuarterId
from workbench.workbook import Workbook

from . import common
from .closed_loop_rows import Cell, Figure, QuarterNumbers, quarter_numbers

STAGE_HEADERS = ["Stage", "Reached", "Went on", "Conversion", "Median time in stage",
                 "90th percentile", "Their amounts"]


class FigureTile(QFrame):
    """A key figure: small title, big value, one line of detail."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title, self.value, self.detail = QLabel(), QLabel(), QLabel()
        self.title.setObjectName("kpiTitle")
        self.value.setObjectName("kpiValue")
        self.detail.setObjectName("muted")
        for label in (self.title, self.detail):
            label.setWordWrap(True)
        # Room for a title of two lines in every tile, so the values line up in a row.
        self.title.setMinimumHeight(2 * self.title.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        for label in (self.title, self.value, self.detail):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_figure(self, figure: Figure) -> None:
        self.title.setText(figure.title.upper())
        self.value.setText(figure.value)
        self.value.setStyleSheet(f"color: {palette.colour(figure.role)};")
        self.detail.setText(figure.detail)
        self.setToolTip(f"{figure.title}: {figure.value}\n{figure.detail}")


class CellTable(ReadOnlyTable):
    """A read-only table of `Cell`s: numbers right-aligned, "—" muted with its reason."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(headers, parent)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # numbers stay together
        header.setStretchLastSection(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def show_rows(self, rows: list[list[Cell]], empty: str = "") -> None:
        self.setRowCount(len(rows) or (1 if empty else 0))
        if not rows and empty:
            self.setItem(0, 0, cell(empty, colour=palette.MUTED))
            for c in range(1, self.columnCount()):
                self.setItem(0, c, cell(""))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = cell(value.text, align=RIGHT if c else Qt.AlignmentFlag.AlignLeft
                            | Qt.AlignmentFlag.AlignVCenter, bold=c == 0,
                            tooltip=value.reason or value.text)
                if value.missing:
                    item.setForeground(QColor(palette.MUTED))
                self.setItem(r, c, item)
        rows_height = sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(self.horizontalHeader().height() + rows_height + 4)


class ClosedLoopTab(QWidget):
    """Quarter and source pickers over the closed-loop numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbook: Workbook | None = None
        self.numbers: QuarterNumbers | None = None
        self.quarter_combo = common.caption_combo(110)
        self.source_combo = common.caption_combo(170)
        self.quarter_combo.currentIndexChanged.connect(self.redraw)
        self.source_combo.currentIndexChanged.connect(self.redraw)
        self.save_button = QPushButton("Save stage table as CSV…")
        self.save_button.clicked.connect(self.save_stage_csv)
        self.codes_button = QPushButton("Disposition codes…")
        self.codes_button.setToolTip("Which values are dispositions, which say “no "
                                     "disposition yet”, and the values that are no code")
        self.banner = common.note("", "banner")
        self.tiles = [FigureTile() for _ in range(6)]
        self.stage_table = CellTable(STAGE_HEADERS)
        self.disposition_table = CellTable(["Disposition", "MQLs", "Share"])
        self.pipeline_table = CellTable(["Source", "Open pipeline", "Share"])
        self.sourced_table = CellTable(["Sourced by", "Weighted pipeline", "Share",
                                        "Won revenue", "Share"])
        self.customer_table = CellTable(["Original source", "Customers", "Revenue won"])
        self._lay_out()

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        for caption, combo in (("Quarter", self.quarter_combo), ("Source", self.source_combo)):
            label = QLabel(caption)
            label.setObjectName("muted")
            bar.addWidget(label)
            bar.addWidget(combo)
            bar.addSpacing(6)
        bar.addStretch(1)
        bar.addWidget(self.codes_button)
        bar.addWidget(self.save_button)
        tiles = QGridLayout()
        tiles.setSpacing(10)
        for i, tile in enumerate(self.tiles):
            tiles.addWidget(tile, 0, i)
            tiles.setColumnStretch(i, 1)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.undated_note = common.note("", "fieldWarning")
        grid.addWidget(common.card("Stages: volume, conversion and time in stage",
                                   common.note("Leads that reached each stage in the quarter, "
                                               "how many went on to a later stage, and how "
                                               "long those took."), self.stage_table,
                                   self.undated_note),
                       0, 0, 1, 2)
        grid.addWidget(common.card("Dispositions of the quarter's MQLs",
                                   self.disposition_table), 1, 0)
        grid.addWidget(common.card("Open pipeline by source, before weighting (at the "
                                   "quarter's end; as of today while it runs)",
                                   self.pipeline_table), 1, 1)
        grid.addWidget(common.card("Who sourced it (all sources)", self.sourced_table), 2, 0)
        grid.addWidget(common.card("Customers won, by original source (all sources)",
                                   self.customer_table), 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        _, scroll = scrolling_column(tiles, grid)
        self.body = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)

    # -- showing --------------------------------------------------------------------------
    @property
    def quarter_id(self) -> QuarterId | None:
        data = self.quarter_combo.currentData()
        return None if data is None else QuarterId(data)

    def show_workbook(self, workbook: Workbook | None) -> None:
        """Refill the pickers (keeping the choice where it exists) and redraw."""
        self.workbook = workbook
        keep_q, keep_s = self.quarter_combo.currentData(), self.source_combo.currentData()
        quarters = workbook.plan.quarters() if workbook else []
        for combo, items, everything in (
                (self.quarter_combo, [(q.label, q.id) for q in quarters], None),
                (self.source_combo, [(s, s) for s in workbook.leads.sources()]
                 if workbook else [], "All sources")):
            combo.blockSignals(True)
            combo.clear()
            if everything:
                combo.addItem(everything, None)
            for text, data in items:
                combo.addItem(text, data)
            combo.blockSignals(False)
        index = self.quarter_combo.findData(keep_q)
        self.quarter_combo.blockSignals(True)
        self.quarter_combo.setCurrentIndex(index if index >= 0 else self._latest_with_leads())
        self.quarter_combo.blockSignals(False)
        common.select_data(self.source_combo, keep_s)
        self.redraw()

    def _latest_with_leads(self) -> int:
        """The last quarter whose leads have data (the latest may be the one just begun)."""
        count = self.quarter_combo.count()
        wb = self.workbook
        if wb is None:
            return count - 1
        for index in range(count - 1, -1, -1):
            qid = QuarterId(self.quarter_combo.itemData(index))
            if wb.leads.any(LeadFilter(quarter_id=qid)):
                return index
        return count - 1

    def redraw(self) -> None:
        wb, qid = self.workbook, self.quarter_id
        source = self.source_combo.currentData()
        text = ""
        if wb is None:
            text = "Open a workbook to see its closed-loop numbers."
        elif not wb.leads.any():
            text = ("No imported leads yet: the closed-loop numbers are worked out from "
                    "lead-level CRM data. Import an export with “Import leads…”.")
        elif qid is None:
            text = "No quarters yet: add one in the Plan area."
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.body.setVisible(not text)
        self.save_button.setEnabled(not text)
        if text or wb is None or qid is None:
            self.numbers = None
            return
        self.numbers = quarter_numbers(wb, qid, source)
        self._show(self.numbers)

    def _show(self, numbers: QuarterNumbers) -> None:
        for tile, figure in zip(self.tiles, numbers.figures, strict=True):
            tile.show_figure(figure)
        self.stage_table.show_rows(numbers.stages)
        self.undated_note.setText(numbers.undated)
        self.undated_note.setVisible(bool(numbers.undated))
        self.disposition_table.show_rows(numbers.dispositions, "No MQLs in this quarter")
        self.pipeline_table.show_rows(numbers.pipeline, "No open pipeline at the quarter's end")
        self.sourced_table.show_rows(numbers.sourced, "No pipeline and no revenue won")
        self.customer_table.show_rows(numbers.customers, "No customers won in this quarter")

    def save_stage_csv(self) -> None:
        label = f"closed loop {self.quarter_combo.currentText()} {self.source_combo.currentText()}"
        path = ask_save_path(self, "Save stage table as CSV", suggested_name(label, "csv"),
                             "CSV files (*.csv)")
        if path is None:
            return
        try:
            write_model_csv(self.stage_table.model(), path)
        except OSError as error:
            common.show_error(self, "Cannot save the table", f"{path}: {error}")
