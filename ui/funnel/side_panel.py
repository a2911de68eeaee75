"""`StagePanel`: the card beside the diagram for the selected stage: its name and status
at the top, then tabs for the definition, both teams' proposals and the CRM names."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.shell.blocks import fill_tab, later_tab
from workbench.funnel import mql_stage
from workbench.model import Agreement, Stage

from . import theme
from .aliases import CrmNamesPanel
from .proposals import ProposalsPanel
from .stage_form import StageForm


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _chip_style(colour: str) -> str:
    return f"background: {colour};"


class StagePanel(QFrame):
    """Everything about the selected stage, edited in place."""

    def __init__(self, context: AppContext, initiator: object,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 12)
        layout.setSpacing(8)
        self.title = QLabel("No stage selected")
        self.title.setObjectName("stageTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        chips = QHBoxLayout()
        chips.setSpacing(8)
        self.owner_chip = QLabel()
        self.owner_chip.setObjectName("chip")
        self.agreement_chip = QLabel()
        self.agreement_chip.setObjectName("chip")
        chips.addWidget(self.owner_chip)
        chips.addWidget(self.agreement_chip)
        chips.addStretch(1)
        layout.addLayout(chips)
        self.context = context
        self.scoring_rule = QLabel()
        self.scoring_rule.setObjectName("muted")
        self.scoring_rule.setWordWrap(True)
        self.scoring_rule.setTextFormat(Qt.TextFormat.PlainText)
        self.scoring_rule.hide()
        layout.addWidget(self.scoring_rule)
        self.form = StageForm(context, initiator)
        self._initiator = initiator
        self._stage: Stage | None = None
        self._proposals: ProposalsPanel | None = None
        self._crm_names: CrmNamesPanel | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.form_scroll = _scrolled(self.form)
        self.tabs.addTab(self.form_scroll, "Definition")
        self.tabs.addTab(later_tab(), "Proposals")
        self.tabs.setTabToolTip(1, "Marketing says / Sales says, and the agreed text")
        self.tabs.addTab(later_tab(), "CRM names")
        self.tabs.currentChanged.connect(self._tab_opened)
        layout.addWidget(self.tabs, 1)

    # The Proposals and CRM names tabs are made, and shown the stage, when first opened (or
    # asked for): they are a third of the Funnel's widgets, which its first showing, the
    # app's first screen, need not make and style (`later_tab`).
    @property
    def proposals(self) -> ProposalsPanel:
        """Both teams' proposals for the stage, and the agreed text."""
        if self._proposals is None:
            self._proposals = ProposalsPanel(self.context, self._initiator)
            self._proposals.load(self._stage)
            fill_tab(self.tabs, 1, _scrolled(self._proposals))
        return self._proposals

    @property
    def crm_names(self) -> CrmNamesPanel:
        """What each CRM calls the stage."""
        if self._crm_names is None:
            self._crm_names = CrmNamesPanel(self.context, self._initiator)
            self._crm_names.load(self._stage)
            fill_tab(self.tabs, 2, self._crm_names)
        return self._crm_names

    def _tab_opened(self, index: int) -> None:
        made_by = {1: "proposals", 2: "crm_names"}
        if index in made_by:
            getattr(self, made_by[index])  # the property makes the tab's content, once

    def load(self, stage: Stage | None) -> None:
        """Show a stage (or nothing) in the header and every tab."""
        if stage is None:
            self.title.setText("No stage selected")
            self.owner_chip.hide()
            self.agreement_chip.hide()
        else:
            self.title.setText(stage.name)
            self.owner_chip.setText(theme.owner_label(stage.owner))
            self.owner_chip.setStyleSheet(_chip_style(theme.owner_colour(stage.owner).name()))
            agreement = stage.agreement
            self.agreement_chip.setText(agreement.value.capitalize())
            self.agreement_chip.setStyleSheet(
                _chip_style(theme.agreement_colour(agreement).name()))
            self.owner_chip.show()
            self.agreement_chip.setVisible(True)
            self.agreement_chip.setToolTip(
                "Both teams agreed this definition" if agreement is Agreement.AGREED
                else "Not agreed yet: see Proposals")
        self._stage = stage
        self.show_scoring_rule(stage)
        self.form.load(stage)
        if self._proposals is not None:
            self._proposals.load(stage)
        if self._crm_names is not None:
            self._crm_names.load(stage)

    def show_scoring_rule(self, stage: Stage | None) -> None:
        """On the MQL stage, the MQL rule as the SLA's scoring model states it (read from
        the Scoring screen's data, never copied into the definition)."""
        workbook = self.context.workbook
        if stage is None or workbook is None:
            self.scoring_rule.hide()
            return
        mql = mql_stage(workbook.funnel.stages())
        self.scoring_rule.setVisible(mql is not None and mql.id == stage.id)
        if mql is not None and mql.id == stage.id:
            from workbench.sales_ready import sales_ready_rule  # loads scoring: when needed

            self.scoring_rule.setText(
                f"Scoring (model “{workbook.scoring.model().name}”): a lead becomes an MQL "
                f"with {sales_ready_rule(workbook)}. Change it on the Scoring screen.")

    def show_error(self, field: str, message: str) -> bool:
        """Show a refusal under the field it belongs to; False if none here has it."""
        panels = ((self.form, 0), (self._proposals, 1), (self._crm_names, 2))
        for panel, tab in panels:  # a tab not made yet holds no field to refuse
            if panel is not None and panel.show_error(field, message):
                self.tabs.setCurrentIndex(tab)
                return True
        return False

    def focus_field(self, field: str | None) -> None:
        """Open the tab holding the named field and put the cursor in it."""
        if field == "agreement":
            self.tabs.setCurrentIndex(1)
            self.proposals.status.setFocus()
            return
        if field == "aliases":
            self.tabs.setCurrentIndex(2)
            self.crm_names.table.setFocus()
            return
        self.tabs.setCurrentIndex(0)
        row = self.form.focus_field(field)
        if row is not None:
            self.form_scroll.ensureWidgetVisible(row)
