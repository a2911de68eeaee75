"""`DataScreen`: the Data area — imported leads, quarterly actuals, the closed-loop numbers
worked out from the leads, and who sources each source.

"Import leads…" opens the mapping dialog; while its import runs (off the GUI thread) the
screen is disabled and its leads table reads nothing, so nothing but the import uses the
workbook. Every other edit goes through `AppContext.perform`; the tabs redraw from
`changed`, the one on show at once and the others when next shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.shell.held import HeldWhileHidden
from ui.shell.lead_counter import LeadCounter
from ui.shell.screen_sheets import style_screen
from ui.words import counted
from workbench.changes import Changes
from workbench.leads import LeadFilter
from workbench.workbook import Workbook

from . import common
from .actuals_tab import ActualsTab
from .closed_loop_tab import ClosedLoopTab
from .dispositions_dialog import DispositionCodesDialog
from .import_dialog import ImportDialog
from .imports_dialog import ImportsDialog
from .leads_tab import LeadsTab
from .sources_tab import SourcesTab

TABS = ("leads", "actuals", "closed_loop", "sources")


class DataScreen(QWidget):
    """The Data area for the context's workbook."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("DataScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_screen(self, by_window=context.window_styles_screens)
        self.import_dialog: ImportDialog | None = None
        self.imports_dialog: ImportsDialog | None = None
        self.importing = False
        self._stale: set[str] = set(TABS)
        self.counter = LeadCounter(self)
        self.counter.counted.connect(self._show_summary)
        self.counter.failed.connect(self._show_summary)
        self._build()
        context.workbook_replaced.connect(self.reload)
        self.held = HeldWhileHidden(self, context, changed=self._on_changed,
                                    figures_ready=self._figures_ready)
        self.reload()

    def _build(self) -> None:
        title = QLabel("Data")
        title.setObjectName("screenTitle")
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.import_button = QPushButton("Import leads…")
        self.import_button.setObjectName("primary")
        self.import_button.setToolTip("Import a CRM export (CSV or XLSX) of leads")
        self.import_button.clicked.connect(self.import_leads)
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title)
        header.addSpacing(16)
        header.addWidget(self.summary, 1)
        self.imports_button = QPushButton("Imports…")
        self.imports_button.setToolTip("Every lead import, with what it did; remove one")
        self.imports_button.clicked.connect(self.show_imports)
        header.addWidget(self.imports_button)
        header.addWidget(self.import_button)
        self.leads_tab = LeadsTab()
        self.actuals_tab = ActualsTab(self.context)
        self.actuals_tab.model.dataChanged.connect(self.actuals_tab.cell_edited)
        self.closed_loop_tab = ClosedLoopTab()
        self.closed_loop_tab.codes_button.clicked.connect(self.edit_disposition_codes)
        self.codes_dialog: DispositionCodesDialog | None = None
        self.sources_tab = SourcesTab(self.context)
        self.tabs = QTabWidget()
        for tab, text in ((self.leads_tab, "Leads"), (self.actuals_tab, "Quarterly actuals"),
                          (self.closed_loop_tab, "Closed-loop numbers"),
                          (self.sources_tab, "Sources")):
            self.tabs.addTab(tab, text)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.body = QWidget()  # disabled while an import runs (the dialog stays usable)
        column = QVBoxLayout(self.body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addLayout(header)
        column.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.addWidget(self.body)

    @property
    def workbook(self) -> Workbook | None:
        return self.context.workbook

    # -- imports: listed, removed -------------------------------------------------------
    def show_imports(self) -> None:
        """Data → Imports…: the list, kept current while it is open."""
        if self.imports_dialog is None:
            self.imports_dialog = ImportsDialog(self)
            self.imports_dialog.remove_requested.connect(self.remove_import)
        self._fill_imports()
        self.imports_dialog.show()
        self.imports_dialog.raise_()

    def _fill_imports(self) -> None:
        wb = self.workbook
        if self.imports_dialog is not None:
            self.imports_dialog.show_batches(wb.leads.batches() if wb else [])

    def remove_import(self, batch_id: int) -> None:
        """Say what removing the import does, then do it (one undoable step)."""
        wb = self.workbook
        if wb is None:
            return
        removal, error = common.run_step(self.context, wb.leads.batch_removal, batch_id)
        if error is not None:
            common.show_error(self, "Cannot remove the import", str(error))
            return
        if common.confirm(self, "Remove this import?", removal.sentence(), "Remove import"):
            _, error = common.run_step(self.context, wb.leads.remove_batch, batch_id)
            if error is not None:
                common.show_error(self, "Cannot remove the import", str(error))
        self._fill_imports()

    # -- drawing --------------------------------------------------------------------------
    def reload(self) -> None:
        """Everything is out of date: redraw the tab on show, the others when shown."""
        self._stale = set(TABS)
        self._show_summary()
        self._tab_shown()

    def _show_summary(self, not_counted: str = "") -> None:
        """Leads, imports and quarters; the leads "counting…" while a worker counts them,
        or why they could not be counted (`not_counted`)."""
        wb = self.workbook
        if wb is None:
            self.summary.setText("")
            self.import_button.setEnabled(False)
            return
        if not_counted:
            leads = f"leads not counted ({not_counted})"
        elif self.counter.at_hand(wb, [LeadFilter()]):
            leads = counted(wb.leads.count(), "lead")
        else:
            leads = "counting leads…"
        quarters, batches = len(wb.plan.quarters()), len(wb.leads.batches())
        self.summary.setText(f"{leads} · {counted(batches, 'import')} · "
                             f"{counted(quarters, 'quarter')}")
        self.import_button.setEnabled(not self.importing)

    def _tab_shown(self) -> None:
        key = TABS[max(0, self.tabs.currentIndex())]
        if key not in self._stale or self.importing:
            return
        self._stale.discard(key)
        wb = self.workbook
        if key == "leads":
            self.leads_tab.show_workbook(wb)
        elif key == "actuals":
            self.actuals_tab.reload()
        elif key == "closed_loop":
            self.closed_loop_tab.show_workbook(wb)
        else:
            self.sources_tab.reload()

    def _figures_ready(self) -> None:
        """The open pipeline was worked out off screen: the closed loop shows it."""
        self._stale.add("closed_loop")
        self._tab_shown()

    def show_tab(self, key: str) -> QWidget:
        """Bring a tab to the front ("leads", "actuals", "closed_loop", "sources")."""
        self.tabs.setCurrentIndex(TABS.index(key))
        return self.tabs.currentWidget()

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if not (changes.data or changes.funnel or changes.plan or changes.properties):
            return
        stale = set(TABS)
        if initiator is self.actuals_tab:
            stale.discard("actuals")  # it shows the edit already
        if initiator is self.sources_tab:
            stale.discard("sources")
        self._stale |= stale
        self._show_summary()
        self._tab_shown()
        if self.imports_dialog is not None and self.imports_dialog.isVisible():
            self._fill_imports()

    # -- importing ------------------------------------------------------------------------
    def import_leads(self) -> ImportDialog | None:
        """Ask for a CRM export and open the mapping dialog on it."""
        wb = self.workbook
        if wb is None or self.importing:
            return None
        folder = wb.path.parent if wb.path else Path.home()
        path = common.ask_import_path(self, "Import leads from a CRM export", folder)
        if path is None:
            return None
        return self.open_import_dialog(path)

    def edit_disposition_codes(self) -> DispositionCodesDialog | None:
        """Open Disposition codes… (window-modal; the closed loop redraws on each change)."""
        if self.workbook is None:
            return None
        if self.codes_dialog is not None:  # the last one is closed: let it go
            self.codes_dialog.deleteLater()
        self.codes_dialog = DispositionCodesDialog(self.context, self)
        self.codes_dialog.open()
        return self.codes_dialog

    def open_import_dialog(self, path: Path) -> ImportDialog:
        if self.import_dialog is not None:  # the last one is closed: let it go
            self.import_dialog.deleteLater()
        dialog = ImportDialog(self.context, path, self)
        dialog.import_started.connect(self._import_started)
        dialog.import_ended.connect(self._import_ended)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _import_started(self) -> None:
        """The workbook belongs to the import until it ends: read nothing, allow nothing."""
        self.importing = True
        self.leads_tab.model.set_paused(True)
        self.body.setEnabled(False)

    def _import_ended(self, _changes: Changes | None) -> None:
        self.importing = False
        self.leads_tab.model.set_paused(False)
        self.body.setEnabled(True)
        self._show_summary()
        self._tab_shown()
