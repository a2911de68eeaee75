"""The lead import dialog: preview a CRM export, check how it is read and what each column
imports as, then import it off the GUI thread with progress and Cancel.

All-or-nothing: a file with bad rows imports nothing and the dialog lists the first
problems (file, line, column, value, what was expected) with a count of the rest, offering
to skip those rows instead. A finished import is one undo step; the dialog then tells the
whole app (`context.changed`) so every screen redraws. While the import runs the dialog is
modal and the Data screen disabled, so nothing else touches the workbook.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench.changes import Changes
from workbench.errors import ValidationError, WorkbenchError
from workbench.imports import (
    ColumnReport,
    FileUnreadable,
    ImportFailed,
    ImportReport,
    Mapping,
    Preview,
    preview,
)
from workbench.imports.file_preview import columns_of
from workbench.imports.mapping import GENERATED_ID, guess_mapping
from workbench.imports.stages import stage_resolver

from . import common
from .import_job import ImportJob, start_job
from .import_mapping import (
    ColumnMappingTable,
    Resolver,
    RowsPreview,
    StageGlossaryTable,
    apply_choice,
)
from .import_outcome import ProblemsPanel, ProgressPanel, ResultPanel, save_problems_csv
from .import_settings import GUESS, ImportSettings, source_key

SAMPLE_ROWS = 200  # read for the samples and the stage names; the first 20 are shown
PAGES = ("rows", "progress", "problems", "result")


class ImportDialog(QDialog):
    """Import one file's leads into the context's workbook."""

    import_started = Signal()
    import_ended = Signal(object)  # the import's Changes, or None when nothing changed

    def __init__(self, context: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.workbook is not None
        self.context = context
        self.workbook = context.workbook
        self.path = Path(path)
        self.preview: Preview | None = None
        self.mapping: Mapping | None = None
        self.job: ImportJob | None = None
        self.report: ImportReport | None = None
        self.failure: ImportFailed | None = None
        self.column_report: ColumnReport | None = None
        self.setObjectName("ImportDialog")
        self.setStyleSheet(common.style_sheet("ImportDialog"))
        self.setWindowTitle(f"Import leads — {self.path.name}")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._build()
        self._size_for_screen()
        self.settings.fill_sources(sorted(self.workbook.leads.mappings()), GUESS)
        self.load()
        self.import_button.setFocus()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(f"Import leads from “{self.path.name}”")
        title.setObjectName("screenTitle")
        self.settings = ImportSettings()
        self.settings.format_changed.connect(self.format_changed)
        self.settings.source_chosen.connect(self.source_chosen)
        self.settings.save_requested.connect(self.save_mapping)
        self.settings.delete_requested.connect(self.delete_mapping)
        self.notes = common.note("", "banner")
        self.columns = ColumnMappingTable()
        self.columns.choice_made.connect(self.column_mapped)
        self.stages = StageGlossaryTable()
        self.stages_note = common.note()
        self.rows = RowsPreview()
        self.progress = ProgressPanel()
        self.progress.cancel_requested.connect(self.cancel_import)
        self.problems = ProblemsPanel()
        self.problems.skip_requested.connect(self.skip_bad_rows)
        self.result_panel = ResultPanel()
        self.result_panel.save_requested.connect(self.save_skipped_rows)
        self.outcome_pages = QStackedWidget()
        self.outcome_pages.addWidget(common.card("First rows of the file", self.rows,
                                                 stretch=self.rows))
        for widget in (self.progress, self.problems, self.result_panel):
            self.outcome_pages.addWidget(widget)
        self.upper = upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(common.card("What each column imports as", self.columns,
                                    stretch=self.columns))
        upper.addWidget(common.card("Stage names in this file", self.stages_note, self.stages,
                                    stretch=self.stages))
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        self.middle = QSplitter(Qt.Orientation.Vertical)
        self.middle.addWidget(upper)
        self.middle.addWidget(self.outcome_pages)
        self.middle.setStretchFactor(0, 3)
        self.middle.setStretchFactor(1, 2)
        self.message = common.note("", "fieldError")
        self.make_ids = QCheckBox("No lead ID column: make each lead's ID from its row "
                                  "(e-mail, names, company and created date)")
        self.make_ids.setToolTip("The same row in the next export gets the same ID, so "
                                 "importing it again updates the leads instead of adding "
                                 "them twice")
        self.make_ids.toggled.connect(self.make_ids_toggled)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.settings)
        layout.addWidget(self.notes)
        layout.addWidget(self.middle, 1)
        layout.addWidget(self.make_ids)
        layout.addLayout(buttons)

    def _size_for_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen else None
        width = min(1280, int(room.width() * 0.94)) if room else 1200
        height = min(860, int(room.height() * 0.92)) if room else 720
        self.resize(width, height)

    # -- reading the file -----------------------------------------------------------------
    def load(self, mapping: Mapping | None = None, preset: str | None = None) -> bool:
        """Read the start of the file (as `mapping` or `preset` says, else as guessed) and
        show it; a file that cannot be read is explained and nothing else happens."""
        try:
            found = preview(self.workbook, self.path, mapping, preset=preset, rows=SAMPLE_ROWS)
        except (FileUnreadable, ValidationError) as error:
            self._show_unreadable(str(error))
            return False
        self.preview, self.mapping = found, found.mapping
        if mapping is None and preset is None and found.preset:
            common.select_data(self.settings.source, source_key("preset", found.preset))
            self.settings.delete_button.setEnabled(False)
        self.settings.show_preview(found)
        self.notes.setText("\n".join(found.notes))
        self.notes.setVisible(bool(found.notes))
        self.rows.show_rows(found)
        self.outcome_pages.setCurrentIndex(PAGES.index("rows"))
        self._show_mapping()
        return True

    def _show_unreadable(self, text: str) -> None:
        if self.preview is None:  # nothing readable at all: only Close makes sense
            self.settings.setEnabled(False)
            self.middle.setEnabled(False)
            self.problems.show_message("This file cannot be imported.", text)
            self.outcome_pages.setCurrentIndex(PAGES.index("problems"))
            self.import_button.setEnabled(False)
        self.message.setText(text)

    def _resolver(self) -> Resolver:
        return stage_resolver(self.workbook, self.mapping.crm if self.mapping else "")

    def _show_mapping(self) -> None:
        """Columns, stage names and whether the mapping is complete enough to import."""
        assert self.preview is not None and self.mapping is not None
        resolve = self._resolver()
        stages = self.workbook.funnel.stages()
        self.column_report = columns_of(self.workbook, replace(self.preview,
                                                               mapping=self.mapping))
        self.columns.show_columns(self.preview, self.mapping, stages, resolve,
                                  self.column_report)
        listed = self.stages.show_stages(self.preview, self.mapping, resolve)
        self.stages_note.setText(
            "Names are matched through the stage glossary (the stages' CRM names in the "
            "Funnel area)." if listed else "No column gives stages yet: map a stage column "
            "(such as Lead Status) or a date column per stage. Leads still count as "
            "reaching the first stage when created.")
        made = self.mapping.fields.get("external_id") == GENERATED_ID
        self.make_ids.blockSignals(True)
        self.make_ids.setChecked(made)
        self.make_ids.blockSignals(False)
        self.make_ids.setVisible(made or "external_id" not in self.mapping.fields)
        try:
            self.mapping.check(self.preview.headers)
        except ValidationError as error:
            self.message.setText(error.message)
            self.import_button.setEnabled(False)
            return
        self.message.setText("")
        self.import_button.setEnabled(True)

    def make_ids_toggled(self, on: bool) -> None:
        """Lead IDs made from each row, for a file that has none (or not)."""
        if self.mapping is not None:
            self.mapping = self.mapping.with_field("external_id", GENERATED_ID if on else None)
            self._show_mapping()

    def format_changed(self) -> None:
        if self.mapping is not None:
            self.load(self.settings.chosen_format(self.mapping))

    def source_chosen(self, key: str) -> None:
        kind, _, name = key.partition(":")
        if kind == "preset":
            self.load(preset=name)
        elif kind == "saved":
            saved = self.workbook.leads.mappings().get(name)
            if saved is not None:
                self.load(saved)
        elif self.preview is not None:
            self.load(guess_mapping(self.preview.headers))

    def column_mapped(self, column: str, choice: str) -> None:
        if self.mapping is None:
            return
        self.mapping = apply_choice(self.mapping, column, choice, self._resolver())
        self._show_mapping()

    # -- saved mappings -------------------------------------------------------------------
    def save_mapping(self) -> None:
        if self.mapping is None:
            return
        current = self.settings.current_source()
        suggested = current.partition(":")[2] if current.startswith("saved:") else \
            self.path.stem
        name = common.ask_name(self, "Save mapping", "Name for this mapping:", suggested)
        if name is None:
            return
        result, error = common.run_step(self.context, self.workbook.leads.save_mapping, name,
                                        self.mapping, initiator=self)
        if error is not None:
            self.message.setText(str(error))
            return
        clean = " ".join(name.split())
        self.settings.fill_sources(sorted(self.workbook.leads.mappings()),
                                   source_key("saved", clean))
        self.message.setText("")
        self.context.status.emit(f"Saved the mapping “{clean}”.", 4000)

    def delete_mapping(self) -> None:
        current = self.settings.current_source()
        if not current.startswith("saved:"):
            return
        _, error = common.run_step(self.context, self.workbook.leads.delete_mapping,
                                   current.partition(":")[2], initiator=self)
        if error is not None:
            self.message.setText(str(error))
            return
        self.settings.fill_sources(sorted(self.workbook.leads.mappings()), GUESS)

    # -- importing ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.job is not None

    def start_import(self, skip_bad_rows: bool = False) -> None:
        """Run the import off the GUI thread; nothing else may use the workbook meanwhile."""
        if self.mapping is None or self.preview is None or self.running:
            return
        try:
            self.mapping.check(self.preview.headers)
        except ValidationError as error:
            self.message.setText(error.message)
            return
        flagged = [c.column for c in (self.column_report.flagged if self.column_report else [])]
        if flagged:
            if not self.confirm_flagged():
                self.message.setText("Nothing imported: map the flagged columns (⚠), or "
                                     "import again and confirm them.")
                return
            self.mapping = replace(self.mapping, accepted=(*self.mapping.accepted, *flagged))
        self.failure = None
        self.message.setText("")
        self.job = ImportJob(self.workbook, self.path, self.mapping, skip_bad_rows)
        self.job.progressed.connect(self.progress.show_progress)
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self._set_running(True)
        self.progress.start(self.path.name)
        self.outcome_pages.setCurrentIndex(PAGES.index("progress"))
        self.import_started.emit()
        start_job(self.job)

    def confirm_flagged(self) -> bool:
        """Ask whether the flagged columns are right as they are (modal; tests replace it)."""
        assert self.column_report is not None
        flagged = self.column_report.flagged
        box = QMessageBox(QMessageBox.Icon.Warning, "Check these columns",
                          f"{len(flagged)} column{'' if len(flagged) == 1 else 's'} of "
                          f"“{self.path.name}” may not import as you expect:", parent=self)
        box.setInformativeText("\n".join(f"• “{c.column}”: {c.flag}." for c in flagged))
        go = box.addButton("Import as shown", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Go back and map them", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is go

    def skip_bad_rows(self) -> None:
        self.start_import(skip_bad_rows=True)

    def cancel_import(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress.cancelling()

    def _set_running(self, running: bool) -> None:
        self.settings.setEnabled(not running)
        self.upper.setEnabled(not running)
        self.import_button.setEnabled(not running)
        self.close_button.setEnabled(not running)

    def _ended(self, changes: Changes | None) -> None:
        self.job = None
        self._set_running(False)
        self.import_ended.emit(changes)
        if changes is None:
            self._show_mapping()  # Import enabled again if the mapping allows

    def _succeeded(self, changes: Changes, report: ImportReport) -> None:
        self._ended(changes)
        self.report = report
        self.result_panel.show_report(report)
        self.outcome_pages.setCurrentIndex(PAGES.index("result"))
        self.import_button.hide()
        self.close_button.setText("Done")
        self.close_button.setObjectName("primary")
        self.close_button.setStyle(self.close_button.style())
        self.settings.setEnabled(False)
        self.upper.setEnabled(False)
        self.context.changed.emit(changes, None)
        self.context.status.emit(report.summary(), 8000)

    def _failed(self, error: Exception) -> None:
        skipping = bool(self.job and self.job.skip_bad_rows)
        self._ended(None)
        if isinstance(error, ImportFailed):
            self.failure = error
            self.problems.show_failure(error.problems, error.count, can_skip=not skipping)
            if skipping:
                self.problems.more.setText("Every row has a problem, so there is nothing to "
                                           "import. Check the mapping and the date format.")
        elif isinstance(error, WorkbenchError):
            self.problems.show_message("Nothing was imported. The workbook is unchanged.",
                                       str(error))
        else:
            self.problems.show_message("The import stopped on an unexpected error; nothing "
                                       "was imported.", f"{type(error).__name__}: {error}")
        self.outcome_pages.setCurrentIndex(PAGES.index("problems"))

    def _cancelled(self) -> None:
        self._ended(None)
        self.outcome_pages.setCurrentIndex(PAGES.index("rows"))
        self.message.setText("Import cancelled; nothing was changed.")
        self.context.status.emit("Import cancelled; nothing was changed.", 5000)

    def save_skipped_rows(self) -> Path | None:
        if self.report is None:
            return None
        path = common.ask_csv_path(self, "Save skipped rows",
                                   self.path.with_name(f"{self.path.stem} skipped rows.csv"))
        if path is None:
            return None
        try:
            save_problems_csv(path, self.report.problems)
        except OSError as error:
            self.message.setText(f"{path} cannot be written: {error}")
            return None
        self.context.status.emit(f"Saved the skipped rows to {path}", 5000)
        return path

    # -- closing --------------------------------------------------------------------------
    def reject(self) -> None:
        """Escape or Close: while importing this cancels the import instead."""
        if self.running:
            self.cancel_import()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.running:
            self.cancel_import()
            event.ignore()
            return
        super().closeEvent(event)
