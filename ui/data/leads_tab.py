"""The Leads tab: every imported lead in a lazy table, filtered by quarter, source and stage,
sorted by a header click (in the workbook, not in memory), counted, and exported as CSV
exactly as filtered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.imports import write_csv
from workbench.leads import ImportBatch, LeadFilter
from workbench.model import QuarterId, StageId
from workbench.workbook import Workbook

from . import common
from .leads_model import LeadsTableModel, cell_text

EXPORT_PAGE = 20_000
ROW_HEIGHT = 28


class LeadsTab(QWidget):
    """Filters, the leads table, its row count and the CSV export."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbook: Workbook | None = None
        self.model = LeadsTableModel()
        self.model.counted.connect(self._show_counts)
        self.model.sorted_elsewhere.connect(self._order_arrived)
        self.quarter_combo = common.caption_combo(140)  # "All quarters" whole
        self.source_combo = common.caption_combo(150)
        self.stage_combo = common.caption_combo(190, widest=320)  # "Reached " + a stage
        for combo in (self.quarter_combo, self.source_combo, self.stage_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.count_label = QLabel()
        self._count_text = ""  # the count label's text without the sorting note
        self.count_label.setObjectName("cardTitle")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the leads as filtered here as a CSV file")
        self.export_button.clicked.connect(self.export_csv)
        self.filter_note = common.note()
        self.last_import = common.note()
        self.view = self._make_view()
        self.empty = common.note("", "empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._lay_out()

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.model)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no row is measured
        rows.setDefaultSectionSize(ROW_HEIGHT)
        # No row numbers: a header sizes itself by asking every section (a million calls
        # after a reset); the count label says how many rows there are.
        rows.hide()
        header = view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self.model.modelReset.connect(self._size_columns)
        self._size_columns(header)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self.header_clicked)
        return view

    def _size_columns(self, header: QHeaderView | None = None) -> None:
        """Each column at its width (the kept import columns come and go with imports)."""
        header = header or self.view.horizontalHeader()
        for i, column in enumerate(self.model.columns):
            header.resizeSection(i, column.width)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.setSpacing(8)
        for caption, combo in (("Quarter", self.quarter_combo), ("Source", self.source_combo),
                               ("Stage", self.stage_combo)):
            label = QLabel(caption)
            label.setObjectName("muted")
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addStretch(1)
        filters.addWidget(self.export_button)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label)
        counts.addSpacing(12)
        counts.addWidget(self.filter_note, 1)
        body = common.card("Leads", self.view, stretch=self.view)
        layout = body.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, filters)
        layout.insertLayout(2, counts)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.last_import)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.addWidget(body)

    # -- filling --------------------------------------------------------------------------
    def show_workbook(self, workbook: Workbook | None) -> None:
        """Refill the filters (keeping what is chosen where it still exists) and the rows."""
        self.workbook = workbook
        keep = (self.quarter_combo.currentData(), self.source_combo.currentData(),
                self.stage_combo.currentData())
        self._fill(self.quarter_combo, "All quarters",
                   [(q.label, q.id) for q in workbook.plan.quarters()] if workbook else [])
        self._fill(self.source_combo, "All sources",
                   [(s, s) for s in workbook.leads.sources()] if workbook else [])
        self._fill(self.stage_combo, "Any stage",
                   [(f"Reached {s.name}", s.id) for s in workbook.funnel.stages()]
                   if workbook else [])
        for combo, data in zip((self.quarter_combo, self.source_combo, self.stage_combo), keep,
                               strict=True):
            common.select_data(combo, data)
        self.model.workbook = workbook
        self.model.lead_filter = self.current_filter()
        self.model.refresh(columns=True)
        self._show_counts()

    @staticmethod
    def _fill(combo: QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, data in items:
            combo.addItem(text, data)
        combo.blockSignals(False)

    def current_filter(self) -> LeadFilter:
        quarter, source, stage = (self.quarter_combo.currentData(),
                                  self.source_combo.currentData(), self.stage_combo.currentData())
        return LeadFilter(None if quarter is None else QuarterId(quarter), source,
                          None if stage is None else StageId(stage))

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self._show_counts()

    def header_clicked(self, section: int) -> None:
        """Sort by the clicked column (again: the other way round), in the workbook."""
        column = self.model.columns[section]
        header = self.view.horizontalHeader()
        if not column.sortable:
            header.setSortIndicator(self.model.sort_column(), self._order())
            self.filter_note.setText("The furthest stage is not sortable; filter by stage "
                                     "instead.")
            return
        descending = column.key == self.model.sort_key and not self.model.descending
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.model.sort_by(column.key, descending)
        finally:
            QGuiApplication.restoreOverrideCursor()
        header.setSortIndicator(section, self._order())
        self._show_counts()

    def _sorting_note(self) -> str:
        """While a big workbook's order is worked out elsewhere (the rows not yet placed
        read "…"): what it is sorting by, and whether the first rows are in."""
        if not self.model.sorting or self.model.counting:
            return ""
        title = self.model.columns[self.model.sort_column()].title.lower()
        rest = " the rest" if self.model.first_page_in else ""
        return f" · sorting{rest} by {title}…"

    def _order_arrived(self, _part: str) -> None:
        self.count_label.setText(self._count_text + self._sorting_note())

    def _order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self.model.descending \
            else Qt.SortOrder.AscendingOrder

    def _show_counts(self) -> None:
        wb = self.workbook
        total = wb.leads.count_if_cheap() if wb else 0  # counted with the filter's if not
        shown = self.model.total()
        if self.model.counting:
            text = "Counting leads…"
        elif self.model.count_error:
            text = f"Leads not counted ({self.model.count_error})"
        elif total is None or shown != total:
            text = f"{shown:,} of {'…' if total is None else f'{total:,}'} leads"
        else:
            text = f"{total:,} lead{'s' if total != 1 else ''}"
        self._count_text = text
        self.count_label.setText(text + self._sorting_note())
        stage = self.stage_combo.currentData()
        quarter = self.quarter_combo.currentText()
        if stage is not None and self.quarter_combo.currentData() is not None:
            text = f"Leads that {self.stage_combo.currentText().lower()} in {quarter}."
        elif stage is not None:
            text = f"Leads that {self.stage_combo.currentText().lower()} at any time."
        elif self.quarter_combo.currentData() is not None:
            text = f"Leads created in {quarter}."
        else:
            text = "Click a column's title to sort by it."
        self.filter_note.setText(text)
        self.export_button.setEnabled(shown > 0)
        any_leads = wb is not None and (wb.leads.any() if total is None else total > 0)
        self.view.setVisible(any_leads)
        self.empty.setVisible(not any_leads)
        self.empty.setText("No leads yet. Import a CRM export (CSV or XLSX) with "
                           "“Import leads…” to see them here." if wb else "")
        batches = wb.leads.batches() if wb else []
        self.last_import.setText(_last_import(batches[0]) if batches else "")
        self.last_import.setVisible(bool(batches))

    # -- export ---------------------------------------------------------------------------
    def export_csv(self) -> Path | None:
        """Save the filtered leads, in the table's order, as CSV (formulas neutralised)."""
        wb = self.workbook
        if wb is None:
            return None
        folder = wb.path.parent if wb.path else Path.home()
        path = common.ask_csv_path(self, "Export leads as CSV", folder / "leads.csv")
        if path is None:
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            count = write_csv(path, [c.title for c in self.model.columns], self._export_rows(wb))
        except OSError as error:
            common.show_error(self, "Cannot export leads", f"{path} cannot be written: {error}")
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.filter_note.setText(f"Exported {count:,} leads to {path.name}.")
        return path

    def _export_rows(self, wb: Workbook) -> Iterator[list[str]]:
        offset = 0
        while True:
            page = wb.leads.page(self.model.lead_filter, sort=self.model.sort_key,
                                 descending=self.model.descending, offset=offset,
                                 limit=EXPORT_PAGE)
            for lead in page:
                yield [cell_text(c, c.value(lead)) for c in self.model.columns]
            if len(page) < EXPORT_PAGE:
                return
            offset += EXPORT_PAGE


def _last_import(batch: ImportBatch) -> str:
    unchanged = f"{batch.unchanged:,} unchanged, " if batch.unchanged else ""
    return (f"Last import: {batch.file} on {batch.imported_at[:16].replace('T', ' ')} — "
            f"{batch.added:,} added, {batch.updated:,} updated, {unchanged}"
            f"{batch.skipped:,} skipped.")
