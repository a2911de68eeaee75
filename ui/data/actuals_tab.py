"""The Quarterly actuals tab: one quarter's actuals per stage and source, typed by hand
(each edit one undo step), imported from a CSV (commas or semicolons, decimal points or
commas), or derived from the imported leads in one step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.plan.tables import RIGHT, ReadOnlyTable, cell
from workbench.changes import Changes
from workbench.errors import ValidationError
from workbench.imports import ActualsReport, ImportFailed, derive_actuals, import_actuals
from workbench.model import Actual, QuarterId, Stage, StageId
from workbench.workbook import Workbook

from . import common
from .actuals_model import ActualsModel, value_text

SHOWN_PROBLEMS = 6


class ActualsTab(QWidget):
    """Quarter picker, the actuals table, and the import and derive actions."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._refusal = ""
        self.model = ActualsModel(self._commit)
        self.quarter_combo = common.caption_combo(110)
        self.quarter_combo.currentIndexChanged.connect(self.show_quarter)
        self.import_button = QPushButton("Import actuals CSV…")
        self.import_button.clicked.connect(self.import_csv)
        self.derive_button = QPushButton("Derive from leads…")
        self.derive_button.setToolTip("Count each quarter's actuals from the imported leads")
        self.derive_button.clicked.connect(self.derive)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(30)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((200, 160, 110, 150)):
            header.resizeSection(column, width)
        self.view.setMinimumWidth(640)
        self.view.setMaximumWidth(700)
        self.totals = ReadOnlyTable(["Stage", "Leads", "Value"])
        totals_header = self.totals.horizontalHeader()
        totals_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            totals_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.message = common.note("", "fieldError")
        self.outcome = common.note()
        self.explainer = common.note(
            "Leads per stage and source that reached the stage in the quarter; value is "
            "their pipeline or won amount. Type in a cell to correct it — every change is "
            "one step on Edit → Undo.")
        self._lay_out()
        context.refused.connect(self._on_refused)

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        caption = QLabel("Quarter")
        caption.setObjectName("muted")
        bar.addWidget(caption)
        bar.addWidget(self.quarter_combo)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.derive_button)
        body = common.card("Quarterly actuals", self.explainer, self.view, self.message,
                           self.outcome, stretch=self.view)
        layout = body.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, bar)
        totals = common.card("All sources together", common.note(
            "The quarter's actuals per stage, every source added up."), self.totals,
            stretch=self.totals)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(12)
        outer.addWidget(body, 3)
        outer.addWidget(totals, 2)

    # -- showing --------------------------------------------------------------------------
    @property
    def workbook(self) -> Workbook | None:
        return self.context.workbook

    @property
    def quarter_id(self) -> QuarterId | None:
        data = self.quarter_combo.currentData()
        return None if data is None else QuarterId(data)

    def reload(self) -> None:
        """Refill the quarters (keeping the chosen one, else the latest) and the table."""
        wb, keep = self.workbook, self.quarter_combo.currentData()
        quarters = wb.plan.quarters() if wb else []
        self.quarter_combo.blockSignals(True)
        self.quarter_combo.clear()
        for quarter in quarters:
            self.quarter_combo.addItem(quarter.label, quarter.id)
        index = self.quarter_combo.findData(keep)
        self.quarter_combo.setCurrentIndex(index if index >= 0 else len(quarters) - 1)
        self.quarter_combo.blockSignals(False)
        self.show_quarter()

    def show_quarter(self) -> None:
        wb, qid = self.workbook, self.quarter_id
        if wb is None or qid is None:
            self.model.show_actuals([], [], [])
            self.totals.setRowCount(0)
            self.message.setText("No quarters yet: add one in the Plan area, or import an "
                                 "actuals CSV (its quarters are added).")
            return
        stages, actuals = wb.funnel.stages(), wb.actuals.for_quarter(qid)
        self.model.show_actuals(stages, wb.leads.sources(), actuals)
        self.message.setText("")
        self._show_totals(stages, actuals)

    def _show_totals(self, stages: list[Stage], actuals: list[Actual]) -> None:
        self.totals.setRowCount(len(stages))
        for row, stage in enumerate(stages):
            mine = [a for a in actuals if a.stage_id == stage.id]
            count = sum(a.count for a in mine)
            values = [a.value for a in mine if a.value is not None]
            unknown = len(mine) - len(values)
            self.totals.setItem(row, 0, cell(stage.name, bold=True))
            self.totals.setItem(row, 1, cell(f"{count:,}" if mine else "—", align=RIGHT,
                                             tooltip=None if mine else "no actuals entered"))
            self.totals.setItem(row, 2, cell(
                value_text(sum(values)) if mine and not unknown else "—", align=RIGHT,
                tooltip=None if mine and not unknown else "no actuals entered" if not mine
                else f"{unknown:,} of {len(mine):,} cells have no value, so the total is "
                     "not known"))

    # -- editing --------------------------------------------------------------------------
    def _commit(self, stage_id: StageId, source: str, count: int,
                value: float | None) -> str | None:
        """Store one typed cell through the context; the refusal's message, or None."""
        wb, qid = self.workbook, self.quarter_id
        if wb is None or qid is None:
            return "Open a workbook with a quarter first."
        self._refusal = ""
        result = self.context.perform(wb.actuals.set_actual, qid, stage_id, source, count,
                                      value, initiator=self)
        if result is None:
            self.message.setText(self._refusal)
            return self._refusal or "The workbook refused this value."
        self.message.setText("")
        self._show_totals(wb.funnel.stages(), wb.actuals.for_quarter(qid))  # the cell is shown
        return None

    def _on_refused(self, error: ValidationError, initiator: object) -> None:
        if initiator is self:
            self._refusal = error.message

    def cell_edited(self) -> None:
        """Show the message of a cell the reading refused (no workbook call was made)."""
        self.message.setText(self.model.last_message)

    def import_csv(self) -> ActualsReport | None:
        wb = self.workbook
        if wb is None:
            return None
        path = common.ask_import_path(self, "Import quarterly actuals",
                                      wb.path.parent if wb.path else Path.home())
        if path is None:
            return None
        result, error = common.run_step(self.context, import_actuals, wb, path, initiator=self)
        if error is not None:
            self._show_refusal(error)
            return None
        report: ActualsReport = result[1]
        added = f" Quarters added: {', '.join(report.quarters_added)}." \
            if report.quarters_added else ""
        self.reload()
        self._show_outcome(f"Imported {report.cells:,} actuals cells from {path.name}.{added}")
        return report

    def derive(self) -> ActualsReport | None:
        wb = self.workbook
        if wb is None:
            return None
        leads = wb.leads.count()
        if not leads:
            self.message.setText("There are no imported leads to derive actuals from. "
                                 "Import a CRM export first (Import leads…).")
            return None
        if not common.confirm(self, "Derive actuals from leads", derive_question(wb, leads),
                              "Derive and replace"):
            return None
        result, error = common.run_step(self.context, derive_actuals, wb, initiator=self)
        if error is not None:
            self._show_refusal(error)
            return None
        report: ActualsReport = result[1]
        self.reload()
        self._show_outcome(f"Derived {report.cells:,} actuals cells from {leads:,} leads. "
                           "Edit → Undo puts the previous numbers back.")
        return report

    def _show_refusal(self, error: Exception) -> None:
        self.outcome.setText("")
        if isinstance(error, ImportFailed):
            lines = [str(p) for p in error.problems[:SHOWN_PROBLEMS]]
            rest = error.count - len(lines)
            if rest > 0:
                lines.append(f"… and {rest:,} more problem{'s' if rest != 1 else ''}.")
            self.message.setText(f"Nothing was imported — {error.count:,} problem"
                                 f"{'s' if error.count != 1 else ''}:\n" + "\n".join(lines))
        else:
            self.message.setText(f"Nothing was imported: {error}")

    def _show_outcome(self, text: str) -> None:
        self.message.setText("")
        self.outcome.setText(text)

    def on_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self:
            return
        self.outcome.setText("")
        self.reload()


def derive_question(wb: Workbook, leads: int) -> str:
    """What deriving replaces, said before it happens."""
    cells = sum(len(wb.actuals.for_quarter(q.id)) for q in wb.plan.quarters())
    now = (f"The workbook has {cells:,} actuals cells now. " if cells
           else "The workbook has no actuals yet. ")
    return (f"Count quarterly actuals from the {leads:,} imported leads?\n\n{now}Deriving "
            "replaces the count and value of every quarter × stage × source cell that has "
            "leads behind it, including numbers typed by hand or imported; cells without "
            "leads keep theirs. Quarters the leads need are added.\n\nIt is one step: "
            "Edit → Undo puts every previous number back.")
