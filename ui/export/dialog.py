"""File → Export…: choose a report and its quarter, see its pages before saving, save it,
and open it when done.

Every change of choice rebuilds the preview: the numbers are read here on the GUI thread
(quick), the PDF is laid out and its pages rendered on a `BuildJob` thread with progress
and Cancel. Save writes the very bytes the preview shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.words import counted
from workbench.errors import WorkbenchError

from . import files
from .jobs import BuildJob, BuildResult
from .preview import PagePreview
from .sources import KINDS, PreparedExport, prepare, quarters_taken

PREVIEW_WIDTH = 560  # logical pixels per previewed page
REBUILD_DELAY_MS = 200  # choices settle before a rebuild starts


def open_file(path: Path) -> bool:
    """Open a saved file in the desktop's viewer. Tests replace this."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ExportDialog(QDialog):
    """The Export dialog for the context's workbook."""

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 kind: str = "funnel") -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Export report")
        self.resize(980, 760)
        self.result_pdf: BuildResult | None = None
        self.prepared: PreparedExport | None = None
        self.job: BuildJob | None = None
        self._old_jobs: list[BuildJob] = []
        self.saved_path: Path | None = None
        self._waiting_for_figures = False
        context.figures_ready.connect(self._figures_ready)
        self._build_controls()
        self._lay_out()
        self._fill_quarters()
        self.kind_box.setCurrentIndex(max(self.kind_box.findData(kind), 0))
        self._timer = QTimer(self, singleShot=True, interval=REBUILD_DELAY_MS)
        self._timer.timeout.connect(self.rebuild)
        for box in (self.kind_box, self.quarter_box, self.through_box):
            box.currentIndexChanged.connect(self._choice_changed)
        self._choice_changed()

    # -- building the dialog --------------------------------------------------------------
    def _build_controls(self) -> None:
        self.kind_box = QComboBox()
        for key, label, _ in KINDS:
            self.kind_box.addItem(label, key)
        self.quarter_box, self.through_box = QComboBox(), QComboBox()
        for box in (self.quarter_box, self.through_box):
            box.setMinimumWidth(110)
        self.kind_box.setMinimumWidth(280)
        self.quarter_label, self.through_label = QLabel("Quarter"), QLabel("through")
        self.preview = PagePreview()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop building this report")
        self.cancel_button.clicked.connect(self.cancel_build)
        self.open_when_done = QCheckBox("Open when done")
        self.open_when_done.setChecked(True)
        self.save_button = QPushButton("Save…")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)

    def _lay_out(self) -> None:
        choices = QGridLayout()
        choices.addWidget(QLabel("Report"), 0, 0)
        choices.addWidget(self.kind_box, 0, 1, 1, 3)
        choices.addWidget(self.quarter_label, 1, 0)
        choices.addWidget(self.quarter_box, 1, 1)
        choices.addWidget(self.through_label, 1, 2)
        choices.addWidget(self.through_box, 1, 3)
        choices.setColumnStretch(4, 1)
        busy = QHBoxLayout()
        busy.addWidget(self.status, 1)
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_when_done)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.preview, 1)
        layout.addLayout(busy)
        layout.addLayout(buttons)

    def _fill_quarters(self) -> None:
        workbook = self.context.workbook
        quarters = workbook.plan.quarters() if workbook is not None else []
        default = None
        if workbook is not None and quarters:
            from reports.funnel_report import default_quarter

            default = default_quarter(workbook).id
        for box in (self.quarter_box, self.through_box):
            box.blockSignals(True)
            for quarter in quarters:
                box.addItem(quarter.label, quarter.id)
            box.setCurrentIndex(max(box.findData(default), 0))
            box.blockSignals(False)

    # -- choices --------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def quarter_ids(self) -> list[int]:
        """The chosen quarter, or the range from "Quarter" through "through"."""
        first, last = self.quarter_box.currentIndex(), self.through_box.currentIndex()
        if first < 0:
            return []
        if quarters_taken(self.kind) < 2:
            last = first
        low, high = min(first, last), max(first, last)
        return [self.quarter_box.itemData(i) for i in range(low, high + 1)]

    def _choice_changed(self) -> None:
        taken = quarters_taken(self.kind)
        for widget in (self.quarter_label, self.quarter_box):
            widget.setVisible(taken > 0)
        for widget in (self.through_label, self.through_box):
            widget.setVisible(taken > 1)
        self.quarter_label.setText("Quarters" if taken > 1 else "Quarter")
        self._forget_result()
        self.preview.show_message("Preparing the preview…")
        self._timer.start()

    # -- building -------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Read the numbers for the current choice and start building the preview."""
        self._timer.stop()
        self._stop_job()
        self._forget_result()
        workbook = self.context.workbook
        if workbook is None:
            self._show_problem("No workbook is open.")
            return
        if self.context.figures.busy:  # the report must print them, not "—": wait
            self._waiting_for_figures = True
            self.preview.show_message("Waiting for the open pipeline, being worked out from "
                                      "the imported leads…")
            return
        from workbench.planning.lead_pipeline import at_once

        try:
            with at_once(workbook):
                self.prepared = prepare(workbook, self.kind, self.quarter_ids())
        except WorkbenchError as error:
            self._show_problem(str(error))
            return
        job = BuildJob(self.prepared.build, round(PREVIEW_WIDTH * self.devicePixelRatioF()))
        job.progressed.connect(self._on_progress)
        job.built.connect(self._on_built)
        job.failed.connect(self._show_problem)
        job.cancelled.connect(self._on_cancelled)
        self.job = job
        self._set_busy(True, "Building the report…")
        job.start()

    def _figures_ready(self) -> None:
        if self._waiting_for_figures:
            self._waiting_for_figures = False
            self.rebuild()

    def _stop_job(self) -> None:
        """Cancel the running build; its thread finishes on its own (kept until then)."""
        job, self.job = self.job, None
        if job is None:
            return
        for signal in (job.progressed, job.built, job.failed, job.cancelled):
            signal.disconnect()
        job.cancel()
        self._retire(job)

    def _retire(self, job: BuildJob | None) -> None:
        """Keep a job referenced until its thread has really ended: a QThread whose last
        Python reference goes while it runs is destroyed running, and Qt aborts."""
        self._old_jobs = [j for j in self._old_jobs if not j.isFinished()]
        if job is not None:
            self._old_jobs.append(job)

    def cancel_build(self) -> None:
        """Stop building; the preview says so and nothing can be saved."""
        if self.job is not None:
            self.job.cancel()
            self.status.setText("Cancelling…")

    def _on_progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(text)

    def _on_built(self, result: BuildResult) -> None:
        self._retire(self.job)
        self.job = None
        self.result_pdf = result
        self._set_busy(False, f"{self.prepared.title if self.prepared else 'Report'} · "
                              f"{counted(result.page_count, 'page')}"
                              f" · {len(result.pdf) / 1024:,.0f} KB")
        self.preview.show_pages(result.pages, result.page_count)
        self.save_button.setEnabled(True)

    def _on_cancelled(self) -> None:
        self._retire(self.job)
        self.job = None
        self._set_busy(False, "Cancelled: nothing was built.")
        self.preview.show_message("The build was cancelled. Change a choice to build again.")

    def _show_problem(self, message: str) -> None:
        self._retire(self.job)
        self.job = None
        self._set_busy(False, "")
        self.preview.show_message(message)

    def _set_busy(self, busy: bool, text: str) -> None:
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.cancel_button.setVisible(busy)
        self.status.setText(text)
        self.save_button.setEnabled(not busy and self.result_pdf is not None)

    def _forget_result(self) -> None:
        self.result_pdf = None
        self.save_button.setEnabled(False)

    def is_building(self) -> bool:
        return self.job is not None

    # -- saving ---------------------------------------------------------------------------
    def save(self) -> Path | None:
        """Ask where to save the built PDF, write it, and open it when asked to."""
        if self.result_pdf is None or self.prepared is None:
            return None
        workbook = self.context.workbook
        folder = workbook.path.parent if workbook and workbook.path else Path.home()
        path = files.ask_save_path(self, "Save report as PDF",
                                   str(folder / self.prepared.file_name), "PDF (*.pdf)")
        if path is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        from reports.signing import write_atomic  # the SLA's PDFs are written the same way

        try:
            write_atomic(path, self.result_pdf.pdf)
        except WorkbenchError as error:
            self.status.setText(str(error))
            return None
        self.saved_path = path
        self.status.setText(f"Saved {path}")
        self.context.status.emit(f"Saved {path.name}", 6000)
        if self.open_when_done.isChecked():
            open_file(path)
        return path

    # -- closing --------------------------------------------------------------------------
    def done(self, result: int) -> None:  # noqa: D102 - Qt's name
        self._stop_job()
        for job in self._old_jobs:
            job.wait(5000)
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._stop_job()
        for job in self._old_jobs:
            job.wait(5000)
        super().closeEvent(event)


def show_export_dialog(context: AppContext, parent: QWidget | None = None) -> ExportDialog:
    """Open the Export dialog (modal); returns it once closed."""
    dialog = ExportDialog(context, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.exec()
    return dialog
