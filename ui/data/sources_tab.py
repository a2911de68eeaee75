"""The Sources tab: who sources each lead source's leads — marketing, sales, partner or
other. It decides the marketing-sourced shares of pipeline and won revenue."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QWidget

from reports import palette
from ui.context import AppContext
from ui.plan.tables import RIGHT, ReadOnlyTable, cell
from ui.shell.lead_counter import LeadCounter
from workbench.leads import SOURCED_BY, LeadFilter
from workbench.workbook import Workbook

from . import common

NOT_CLASSIFIED = "— not classified —"


class SourcesTab(QWidget):
    """Source | leads | sourced by (a combo per source)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.table = ReadOnlyTable(["Source", "Leads", "Sourced by"])
        self.table.setSelectionMode(ReadOnlyTable.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(38)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 110)
        header.resizeSection(2, 220)
        self.combos: dict[str, QComboBox] = {}
        self.counter = LeadCounter(self)
        self.counter.counted.connect(self._show_counts)
        self.counter.failed.connect(self._not_counted)
        self.message = common.note("", "fieldError")
        explainer = common.note(
            "Say who brings each source's leads. Sources marked marketing make up the "
            "marketing-sourced share of pipeline and of won revenue on the Closed-loop tab; "
            "a source not classified yet counts for nobody.")
        body = common.card("Who sources each source", explainer, self.table, self.message,
                           stretch=self.table)
        body.setMinimumWidth(620)
        body.setMaximumWidth(820)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(body, 1)
        layout.addStretch(0)

    @property
    def workbook(self) -> Workbook | None:
        return self.context.workbook

    def reload(self) -> None:
        wb = self.workbook
        sources = wb.leads.sources() if wb else []
        owners = wb.leads.sourced_by() if wb else {}
        self.table.setRowCount(len(sources))
        self.combos = {}
        for row, source in enumerate(sources):
            self.table.setItem(row, 0, cell(source, bold=True))
            combo = QComboBox()
            owner = owners.get(source)
            if owner is None:
                combo.addItem(NOT_CLASSIFIED, None)
            for choice in SOURCED_BY:
                combo.addItem(choice.capitalize(), choice)
            combo.setCurrentIndex(max(0, combo.findData(owner)))
            combo.setProperty("source", source)
            combo.currentIndexChanged.connect(self._chosen)
            self.table.setCellWidget(row, 2, combo)
            self.combos[source] = combo
        self.message.setText("" if sources else "No sources yet: they come with imported "
                                                "leads and with the plan's source mix.")
        self._show_counts()

    def _show_counts(self) -> None:
        """Each source's leads; "counting…" while a big workbook's are counted elsewhere."""
        wb = self.workbook
        sources = list(self.combos)
        filters = [LeadFilter(source=source) for source in sources]
        at_hand = wb is None or self.counter.at_hand(wb, filters)
        for row, lead_filter in enumerate(filters):
            count = (wb.leads.count(lead_filter) if wb else 0) if at_hand else None
            text = "counting…" if count is None else f"{count:,}"
            self.table.setItem(row, 1, cell(text, align=RIGHT,
                                            colour=None if count else palette.MUTED))

    def _not_counted(self, error: str) -> None:
        for row in range(self.table.rowCount()):
            self.table.setItem(row, 1, cell("not counted", align=RIGHT, colour=palette.MUTED,
                                            tooltip=error))

    def _chosen(self) -> None:
        combo = self.sender()
        wb = self.workbook
        if not isinstance(combo, QComboBox) or wb is None or combo.currentData() is None:
            return
        source = str(combo.property("source"))
        result = self.context.perform(wb.leads.set_sourced_by, source, combo.currentData(),
                                      initiator=self)
        if result is None:
            self.message.setText(f"“{source}” could not be classified.")
            return
        self.message.setText("")
        unclassified = combo.findData(None)
        if unclassified >= 0:
            combo.blockSignals(True)
            combo.removeItem(unclassified)
            combo.blockSignals(False)

    def choose(self, source: str, sourced_by: str) -> None:
        """Pick who sources `source` as the user would (tests)."""
        combo = self.combos[source]
        combo.setCurrentIndex(combo.findData(sourced_by))
