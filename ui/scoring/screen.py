"""`ScoringScreen`: the scoring models. Choose a model (one per product line; one is the
SLA's); edit its rules, thresholds and 2×2; try cuts in the sandbox on the real leads;
calibrate against outcomes; write the buyer personas. Every edit goes through the core as
one undo step; the screen redraws from `changed`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.data import common
from ui.present.canvas import Slide
from ui.present.presenter import Presenter
from ui.present.scoring import scoring_slides
from ui.shell.blocks import card, fill_tab, later_tab, padded
from ui.shell.flow import flow_row
from ui.shell.held import HeldWhileHidden
from ui.shell.screen_sheets import style_screen
from ui.sla.workers import run_job
from ui.words import counted
from workbench.changes import Changes
from workbench.errors import WorkbenchError
from workbench.model import ModelId, PersonaId, RuleId
from workbench.personas import TRAIT_NAMES
from workbench.sales_ready import follow_up_hours, mql_rule_text
from workbench.score_figures import cut_figures, suggest_threshold

from .calibration import Calibration
from .personas_panel import PersonasPanel
from .quadrant_panel import QuadrantPanel
from .rules_panel import RulesPanel
from .sandbox import Sandbox

if TYPE_CHECKING:
    from workbench.lead_scores import LeadData
    from workbench.workbook import Workbook

TABS = ("rules", "sandbox", "calibration", "personas")
SCORE_ELSEWHERE_FROM = 50_000  # fewer leads are scored in tens of milliseconds: at once


class ScoringScreen(QWidget):
    """The Scoring area for the context's workbook."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model_id: ModelId | None = None
        self.setObjectName("ScoringScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_screen(self, by_window=context.window_styles_screens)
        self._scoring_elsewhere = False
        self._score_at_once = False
        self._build()
        self.held = HeldWhileHidden(self, context, changed=self._on_changed)
        context.workbook_replaced.connect(self.reload)
        self.reload()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("Scoring")
        title.setObjectName("screenTitle")
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(220)
        self.model_combo.setAccessibleName("Scoring model")
        self.model_combo.currentIndexChanged.connect(self._model_chosen)
        self.sla_badge = QLabel()
        self.sla_badge.setObjectName("badge")
        self.buttons: dict[str, QPushButton] = {}
        for key, text, handler in (("new", "New model…", self.new_model),
                                   ("rename", "Rename…", self.rename_model),
                                   ("sla", "Use for SLA", self.use_for_sla),
                                   ("delete", "Delete…", self.delete_model)):
            button = QPushButton(text)
            button.clicked.connect(handler)
            self.buttons[key] = button
        self.presenter = Presenter(self, "Scoring", self.presentation_slides, self.context)
        # The buttons wrap onto a second line in a narrow window, in view.
        header = flow_row(title, QLabel("Model"), self.model_combo, self.sla_badge,
                          right=(*self.buttons.values(), self.presenter.button))
        self.banner = common.note("", "banner")
        self.banner.hide()
        self.rules = RulesPanel()
        self.quadrants = QuadrantPanel()
        # The other tabs are made when first opened (or asked for): half the screen's
        # widgets, which its first showing need not make and style.
        self._sandbox: Sandbox | None = None
        self._calibration: Calibration | None = None
        self._personas: PersonasPanel | None = None
        rules_tab = QSplitter(Qt.Orientation.Horizontal)
        rules_tab.addWidget(card("Fit and interest rules", self.rules, stretch=self.rules))
        rules_tab.addWidget(card("Thresholds and the 2×2", self.quadrants,
                                 stretch=self.quadrants))
        rules_tab.setStretchFactor(0, 3)
        rules_tab.setStretchFactor(1, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(padded(rules_tab), "Rules and 2×2")
        for title in ("Sandbox", "Calibration", "Buyer personas"):
            self.tabs.addTab(later_tab(), title)
        self.tabs.currentChanged.connect(self._tab_shown)
        for index in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{index + 1}"), self, self._tab_key(index))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self._connect_panels()

    def _tab_key(self, index: int) -> Callable[[], None]:
        return lambda: self.tabs.setCurrentIndex(index)

    def _connect_panels(self) -> None:
        self.rules.add_requested.connect(self.add_rule)
        self.rules.save_requested.connect(self.save_rule)
        self.rules.delete_requested.connect(self.delete_rule)
        self.quadrants.threshold_edited.connect(self.save_threshold)
        self.quadrants.action_edited.connect(self.save_action)
        self.quadrants.counts_edited.connect(self.save_counts)
        self.quadrants.capacity_edited.connect(self.save_capacity)

    @property
    def sandbox(self) -> Sandbox:
        """The Sandbox tab (drawn when shown: `_tab_shown`)."""
        if self._sandbox is None:
            self._sandbox = Sandbox()
            self._sandbox.threshold_saved.connect(self.save_threshold)
            fill_tab(self.tabs, 1, self._sandbox)
        return self._sandbox

    @property
    def calibration(self) -> Calibration:
        """The Calibration tab (drawn when shown)."""
        if self._calibration is None:
            self._calibration = Calibration()
            self._calibration.apply_requested.connect(self.apply_suggestion)
            fill_tab(self.tabs, 2, self._calibration)
        return self._calibration

    @property
    def personas(self) -> PersonasPanel:
        """The Buyer personas tab (drawn when shown)."""
        if self._personas is None:
            self._personas = PersonasPanel()
            self._personas.persona_chosen.connect(self._show_traits)
            self._personas.add_requested.connect(self.add_persona)
            self._personas.delete_requested.connect(self.delete_persona)
            self._personas.text_edited.connect(self.save_trait)
            fill_tab(self.tabs, 3, self._personas)
        return self._personas

    # -- drawing --------------------------------------------------------------------------
    def reload(self) -> None:
        self.model_id = None
        self.refresh()

    def refresh(self) -> None:
        """Redraw the model list, the rules and 2×2, and the tab in view."""
        wb = self.context.workbook
        if wb is None:
            return
        models = wb.scoring.models()
        if self.model_id not in [m.id for m in models]:
            self.model_id = wb.scoring.model().id
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for model in models:
            self.model_combo.addItem(model.name + ("  (SLA)" if model.used_by_sla else ""),
                                     int(model.id))
        self.model_combo.setCurrentIndex(self.model_combo.findData(int(self.model_id)))
        self.model_combo.blockSignals(False)
        model = wb.scoring.model(self.model_id)
        self.sla_badge.setText("the SLA uses this model" if model.used_by_sla else
                               "not the SLA's model")
        self.buttons["sla"].setEnabled(not model.used_by_sla)
        self.buttons["delete"].setEnabled(not model.used_by_sla)
        traits = {t.id: f"{p.name} · {TRAIT_NAMES[t.trait]}"
                  for p in wb.scoring.personas.personas()
                  for t in wb.scoring.personas.traits(p.id).values()}
        self.rules.show_rules(wb.scoring.rules(model.id), wb.scoring.field_kinds(), traits)
        quadrants = wb.scoring.quadrants(model.id)
        self.quadrants.show_model(model.settings, quadrants,
                                  mql_rule_text(model.settings, quadrants),
                                  wb.scoring.capacity())
        self._stale = set(TABS)
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        """Draw the sandbox, calibration or personas when shown (and stale)."""
        wb = self.context.workbook
        name = TABS[index] if 0 <= index < len(TABS) else ""
        if wb is None or name not in getattr(self, "_stale", set()):
            return
        model = wb.scoring.model(self.model_id)
        if name in ("sandbox", "calibration") and not self._scores_at_hand(wb):
            return  # drawn when the leads are scored (`_scored`)
        self._stale.discard(name)
        if name == "sandbox":
            self.sandbox.show_scores(wb.scoring.scores(model.id), model.settings,
                                     wb.scoring.quadrants(model.id), wb.scoring.capacity())
        elif name == "calibration":
            scores = wb.scoring.scores(model.id)
            suggestion = suggest_threshold(scores, model.settings,
                                           wb.scoring.quadrants(model.id), wb.scoring.capacity())
            self.calibration.show_scores(scores, suggestion, model.settings.mql_threshold)
        elif name == "personas":
            personas = wb.scoring.personas.personas()
            self.personas.show_personas(personas, None)
            self._show_traits()

    # -- scoring a million leads on a worker thread ---------------------------------------
    def _scores_at_hand(self, wb: Workbook) -> bool:
        """Whether every lead's score can be read at once; if not, they are being scored
        on a worker thread (the sandbox says so) and the tab is drawn when that is done."""
        if self._score_at_once or wb.path is None or wb.scoring.lead_data_at_hand():
            return True
        leads = wb.leads.count_if_cheap()  # counting ten million leads here took 90 ms
        if leads is not None and leads < SCORE_ELSEWHERE_FROM:
            return True
        what = "Scoring every lead…" if leads is None else f"Scoring {counted(leads, 'lead')}…"
        self.sandbox.show_pending(what)
        self._banner(f"{what} The sandbox and calibration show their figures when it is "
                     "done; the window stays free meanwhile.")
        if not self._scoring_elsewhere:
            self._scoring_elsewhere = True
            run_job(wb.scoring.scoring_request(self.model_id).work, self._scored,
                    self._scoring_failed, thread="scores")
        return False

    def _scored(self, data: LeadData) -> None:
        self._scoring_elsewhere = False
        self.banner.hide()
        wb = self.context.workbook
        if wb is not None:
            wb.scoring.keep_lead_data(data)  # not kept: changed meanwhile, scored again
            self._tab_shown(self.tabs.currentIndex())
            self.presenter.refresh()

    def presentation_slides(self) -> list[Slide]:
        """The 2×2 and the MQL cut's figures (`ui.present`); "—" while the leads are
        scored on a worker thread."""
        wb = self.context.workbook
        if wb is None:
            return []
        model = wb.scoring.model(self.model_id)
        quadrants, capacity = wb.scoring.quadrants(model.id), wb.scoring.capacity()
        hours = follow_up_hours(wb)
        if not self._scores_at_hand(wb):
            leads = wb.leads.count_if_cheap()
            what = "every lead" if leads is None else counted(leads, "lead")
            return scoring_slides(model, quadrants, capacity, None, f"Scoring {what}…", hours)
        figures = cut_figures(wb.scoring.scores(model.id), model.settings, quadrants, capacity)
        return scoring_slides(model, quadrants, capacity, figures, "", hours)

    def _scoring_failed(self, _error: Exception) -> None:
        """Scoring elsewhere failed: score at once, where an error is shown as usual."""
        self._scoring_elsewhere = False
        self._score_at_once = True
        self._tab_shown(self.tabs.currentIndex())

    def _show_traits(self) -> None:
        wb = self.context.workbook
        persona = self.personas.current_id()
        if wb is not None:
            self.personas.show_traits(wb.scoring.personas.traits(PersonaId(persona))
                                      if persona is not None else {})

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.scoring or changes.data or changes.funnel:
            self.refresh()

    def _model_chosen(self) -> None:
        data = self.model_combo.currentData()
        if data is not None:
            self.model_id = ModelId(int(data))
            self.refresh()

    def show_target(self, target: object) -> None:
        """Open what a link elsewhere points at: "mql_threshold", or a rule id."""
        self.tabs.setCurrentIndex(0)
        wb = self.context.workbook
        if wb is not None:
            self.model_id = wb.scoring.model().id
            self.refresh()
        if isinstance(target, int):
            self.rules.select_rule(target)
        else:
            self.quadrants.focus_threshold(str(target or "mql_threshold"))

    # -- edits ----------------------------------------------------------------------------
    def _run(self, mutation: Callable[..., Any], *args: Any,
             show: Callable[[str], None] | None = None) -> Any:
        result, error = common.run_step(self.context, mutation, *args, initiator=self)
        if error is not None:
            (show or self._banner)(getattr(error, "message", str(error)))
        else:
            self.banner.hide()
        return result

    def _banner(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()

    def _scoring(self) -> Any:
        assert self.context.workbook is not None
        return self.context.workbook.scoring

    def add_rule(self, fields: dict[str, Any]) -> None:
        model = self.model_id
        result = self._run(lambda: self._scoring().add_rule(model, **fields),
                           show=self.rules.show_error)
        if result is not None:
            self.rules.select_rule(int(result[1]))

    def save_rule(self, rule_id: int, fields: dict[str, Any]) -> None:
        self._run(lambda: self._scoring().update_rule(RuleId(rule_id), **fields),
                  show=self.rules.show_error)

    def delete_rule(self, rule_id: int) -> None:
        self._run(self._scoring().delete_rule, RuleId(rule_id), show=self.rules.show_error)

    def save_threshold(self, name: str, value: int) -> None:
        model = self.model_id
        if getattr(self._scoring().settings(model), name) == value:
            return
        self._run(lambda: self._scoring().set_thresholds(model, **{name: value}),
                  show=self.quadrants.show_error)

    def apply_suggestion(self, threshold: int) -> None:
        self.save_threshold("mql_threshold", threshold)

    def save_action(self, quadrant: str, text: str) -> None:
        model = self.model_id
        self._run(lambda: self._scoring().set_quadrant(quadrant, model_id=model, action=text),
                  show=self.quadrants.show_error)

    def save_counts(self, quadrant: str, counts: bool) -> None:
        model = self.model_id
        if self._run(lambda: self._scoring().set_quadrant(quadrant, model_id=model,
                                                          counts_as_mql=counts),
                     show=self.quadrants.show_error) is None:
            self.quadrants.counts[next(q for q in self.quadrants.counts
                                       if q.value == quadrant)].setChecked(not counts)

    def save_capacity(self, field: str, text: str) -> None:
        self._run(lambda: self._scoring().set_capacity(**{field: text}),
                  show=self.quadrants.show_error)

    def new_model(self) -> None:
        name = common.ask_name(self, "New scoring model", "Product line or model name:")
        if name is not None:
            result = self._run(lambda: self._scoring().add_model(name, copy_of=self.model_id))
            if result is not None:
                self.model_id = result[1]
                self.refresh()

    def rename_model(self) -> None:
        model = self._scoring().model(self.model_id)
        name = common.ask_name(self, "Rename scoring model", "New name:", model.name)
        if name is not None:
            self._run(self._scoring().rename_model, model.id, name)

    def use_for_sla(self) -> None:
        self._run(self._scoring().use_for_sla, self.model_id)

    def delete_model(self) -> None:
        model = self._scoring().model(self.model_id)
        if common.confirm(self, "Delete scoring model",
                          f"Delete “{model.name}” and its {len(self._scoring().rules(model.id))} "
                          "rules? (Edit → Undo brings it back.)", "Delete"):
            self._run(self._scoring().delete_model, model.id)

    def add_persona(self) -> None:
        name = common.ask_name(self, "New buyer persona", "Persona name:")
        if name is not None:
            self._run(self._scoring().personas.add_persona, name, show=self.personas.show_error)

    def delete_persona(self, persona_id: int) -> None:
        self._run(self._scoring().personas.delete_persona, PersonaId(persona_id),
                  show=self.personas.show_error)

    def save_trait(self, persona_id: int, trait: str, column: str, text: str) -> None:
        personas = self._scoring().personas
        if column == "agreed":
            self._run(personas.agree, PersonaId(persona_id), trait, text,
                      show=self.personas.show_error)
        else:
            self._run(personas.set_proposal, PersonaId(persona_id), trait, column, text,
                      show=self.personas.show_error)
        self._show_traits()


__all__ = ["ScoringScreen", "WorkbenchError"]
