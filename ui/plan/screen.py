"""`PlanScreen`: the reverse funnel of a quarter's plan scenarios.

Pick a quarter and a scenario; type the goal, deal size and conversions (or derive them
from actuals) and see every stage's volume with its arithmetic; split it by source; compare
the scenarios side by side; commit one; check the pipeline against the goal. Every edit
goes through `AppContext.perform`; the screen redraws from `changed`.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.data import common
from ui.present.canvas import Slide
from ui.present.plan import plan_slides
from ui.present.presenter import Presenter
from ui.shell.blocks import fill_tab, later_tab, padded
from ui.shell.held import HeldWhileHidden
from ui.shell.screen_sheets import style_screen
from workbench.changes import Changes
from workbench.errors import ValidationError
from workbench.figure_text import format_money, format_percent
from workbench.model import Plan, PlanId, Quarter, QuarterId, StageId, YearlyGoal
from workbench.planning.forward import ForwardCheck, forward_check
from workbench.planning.inputs import (
    DEAL_SIZE,
    GOAL,
    RawValue,
    conversion_field,
    parse_amount,
    parse_percent,
)
from workbench.planning.quick import quick_plan
from workbench.planning.reverse import (
    MONTH_NOTE,
    ROUNDING_NOTE,
    FunnelPlan,
    commitment_move,
    funnel_for_plan,
)
from workbench.planning.scenarios import ScenarioComparison, compare_scenarios
from workbench.workbook import Workbook

from . import dialogs
from .forward_panel import ForwardPanel
from .header import PlanHeader
from .inputs import PlanInputs
from .panels import SourceMixPanel, card, note
from .quick_panel import SHARES, QuickPanel
from .tables import FunnelTable, ScenarioTable


class PlanScreen(QWidget):
    """The Plan area for the context's workbook."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("PlanScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_screen(self, by_window=context.window_styles_screens)
        self.quarters: list[Quarter] = []
        self.plans: list[Plan] = []
        self.funnel: FunnelPlan | None = None
        self.comparison: ScenarioComparison | None = None
        self.check: ForwardCheck | None = None
        self.today: date | None = None  # None: the real date (tests pin it)
        self._quick_year: int | None = None  # the year the quick method shows
        self._quick_refused: dict[str, str] = {}
        self._overrides: dict[str, RawValue] = {}
        self._refused: dict[str, str] = {}
        self._quarter_label = ""  # the quarter shown (its label starts with its year)
        self._build()
        self.held = HeldWhileHidden(self, context, changed=self._on_changed,
                                    figures_ready=self.refresh)
        context.refused.connect(self._on_refused)
        context.workbook_replaced.connect(self.reload)
        self.reload()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = PlanHeader()
        self.quarter_combo, self.plan_combo = self.header.quarter_combo, self.header.plan_combo
        self.buttons, self.commitment = self.header.buttons, self.header.commitment
        self.quarter_combo.currentIndexChanged.connect(self._quarter_chosen)
        self.plan_combo.currentIndexChanged.connect(self._plan_chosen)
        for name, handler in (("new", self.new_plan), ("copy", self.copy_plan),
                              ("commit", self.commit_plan), ("delete", self.delete_plan),
                              ("quarter", self.add_quarter)):
            self.buttons[name].clicked.connect(handler)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._funnel_tab(), "Reverse funnel")
        # The other tabs are made when first opened (or asked for), then kept drawn: two
        # thirds of the screen's widgets, and a comparison of every scenario and the
        # forward check worked out only once someone looks.
        self._mix: SourceMixPanel | None = None
        self._scenarios: ScenarioTable | None = None
        self._forward: ForwardPanel | None = None
        self._quick: QuickPanel | None = None
        for title in ("Source mix", "Compare scenarios", "Forward check",
                      "Quick method (year)"):
            self.tabs.addTab(later_tab(), title)
        self.tabs.currentChanged.connect(self._tab_opened)
        self.presenter = Presenter(self, "Plan", self.presentation_slides, self.context)
        self.tabs.setCornerWidget(self.presenter.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

    @property
    def mix_panel(self) -> SourceMixPanel:
        """The Source mix tab."""
        if self._mix is None:
            self._mix = SourceMixPanel()
            self._mix.apply_requested.connect(self.apply_source_mix)
            fill_tab(self.tabs, 1, self._mix)
            self._show_mix()
        return self._mix

    @property
    def scenario_table(self) -> ScenarioTable:
        """The Compare scenarios tab's table."""
        if self._scenarios is None:
            self._scenarios = ScenarioTable()
            fill_tab(self.tabs, 2, padded(card(
                "Scenarios side by side", note("Values that differ from the baseline (the "
                                               "committed plan) are highlighted with the "
                                               "difference."), self._scenarios,
                stretch=self._scenarios)))
            self._show_comparison()
        return self._scenarios

    @property
    def forward_panel(self) -> ForwardPanel:
        """The Forward check tab."""
        if self._forward is None:
            self._forward = ForwardPanel()
            fill_tab(self.tabs, 3, self._forward)
            self._show_forward()
        return self._forward

    @property
    def quick_panel(self) -> QuickPanel:
        """The Quick method (year) tab."""
        if self._quick is None:
            self._quick = QuickPanel()
            self._quick.year_chosen.connect(self.quick_year_chosen)
            self._quick.edited.connect(self.quick_edited)
            self._quick.apply_requested.connect(self.apply_yearly_goal)
            fill_tab(self.tabs, 4, self._quick)
            self._show_quick()
        return self._quick

    def _tab_opened(self, index: int) -> None:
        made_by = {1: "mix_panel", 2: "scenario_table", 3: "forward_panel", 4: "quick_panel"}
        if index in made_by:
            getattr(self, made_by[index])  # the property makes the tab's content, once

    def _funnel_tab(self) -> QWidget:
        self.inputs = PlanInputs()
        self.inputs.setMinimumWidth(340)
        self.inputs.setMaximumWidth(420)
        self.inputs.edited.connect(self.input_edited)
        self.inputs.derive_requested.connect(self.derive_from_actuals)
        self.funnel_table = FunnelTable()
        self.month_note = note(MONTH_NOTE)
        self.outputs_title = QLabel("Volume needed")
        self.outputs_title.setObjectName("cardTitle")
        outputs = QFrame()
        outputs.setObjectName("card")
        column = QVBoxLayout(outputs)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(8)
        column.addWidget(self.outputs_title)
        self.rounding_note = note(ROUNDING_NOTE)
        column.addWidget(self.rounding_note)
        column.addWidget(self.funnel_table, 1)
        column.addWidget(self.month_note)
        tab = QWidget()
        row = QHBoxLayout(tab)
        row.setContentsMargins(0, 8, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.inputs)
        row.addWidget(outputs, 1)
        return tab

    # -- selection ------------------------------------------------------------------------
    @property
    def workbook(self) -> Workbook | None:
        return self.context.workbook

    @property
    def quarter_id(self) -> QuarterId | None:
        data = self.quarter_combo.currentData()
        return None if data is None else QuarterId(data)

    @property
    def plan_id(self) -> PlanId | None:
        data = self.plan_combo.currentData()
        return None if data is None else PlanId(data)

    @property
    def plan(self) -> Plan | None:
        return next((p for p in self.plans if p.id == self.plan_id), None)

    def select_quarter(self, quarter_id: QuarterId) -> None:
        self.quarter_combo.setCurrentIndex(self.quarter_combo.findData(quarter_id))

    def select_plan(self, plan_id: PlanId) -> None:
        self.plan_combo.setCurrentIndex(self.plan_combo.findData(plan_id))

    def reload(self) -> None:
        """Re-read quarters and plans, keeping the selection where it still exists."""
        wb = self.workbook
        self.quarters = wb.plan.quarters() if wb else []
        self.header.fill_quarters(self.quarters, self.quarter_id)
        self._load_plans()

    def _load_plans(self, prefer: PlanId | None = None) -> None:
        keep = prefer or self.plan_id
        wb, qid = self.workbook, self.quarter_id
        self.plans = wb.plan.plans(qid) if wb and qid is not None else []
        self.header.fill_plans(self.plans, keep)
        self._overrides.clear()
        self._refused.clear()
        self.refresh()

    def _quarter_chosen(self) -> None:
        self._load_plans()

    def _plan_chosen(self) -> None:
        self._overrides.clear()
        self._refused.clear()
        self.refresh()

    # -- drawing --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw everything from the workbook and the values still being fixed."""
        wb, plan, qid = self.workbook, self.plan, self.quarter_id
        self._show_banner(wb, qid, plan)
        stages = wb.funnel.stages() if wb else []
        currency = wb.properties().currency if wb else ""
        self.funnel = funnel_for_plan(wb, plan.id, overrides=self._overrides, today=self.today) \
            if wb and plan else None
        conversions = wb.plan.conversions(plan.id) if wb and plan else {}
        self.inputs.show_plan(plan, stages, conversions, currency,
                              keep=frozenset(self._overrides))
        self.inputs.show_problems(self.funnel, self._refused)
        quarter = next((q for q in self.quarters if q.id == qid), None)
        label = quarter.label if quarter else ""
        self.outputs_title.setText(f"Volume needed — {plan.name}, {label}" if plan
                                   else "Volume needed")
        self.funnel_table.show_funnel(self.funnel)
        if self.funnel and self.funnel.months:
            self.month_note.setText(f"{MONTH_NOTE} Months: {', '.join(self.funnel.months)}.")
        self.header.show_state(wb, qid, plan)
        self._quarter_label = label
        if self._mix is not None:
            self._show_mix()
        if self._scenarios is not None:
            self._show_comparison()
        if self._forward is not None:
            self._show_forward()
        if self._quick is not None:
            self._show_quick()

    def _show_mix(self) -> None:
        wb, plan, panel = self.workbook, self.plan, self._mix
        assert panel is not None
        sources = [r[0] for r in wb.db.conn.execute("SELECT name FROM sources ORDER BY rowid")] \
            if wb else []
        panel.show_mix(sources, wb.plan.source_mix(plan.id) if wb and plan else {}, self.funnel)
        panel.setEnabled(plan is not None)

    def _show_comparison(self) -> None:
        wb, table = self.workbook, self._scenarios
        assert table is not None
        self.comparison = compare_scenarios(wb, [p.id for p in self.plans], today=self.today) \
            if wb and self.plans else None
        if self.comparison:
            table.show_comparison(self.comparison)
        else:
            table.setRowCount(0)

    def _show_forward(self) -> None:
        assert self._forward is not None
        self._forward.show_check(self._forward_check())

    def _forward_check(self) -> ForwardCheck | None:
        wb, qid = self.workbook, self.quarter_id
        self.check = forward_check(wb, qid, today=self.today) if wb and qid is not None \
            else None
        return self.check

    def presentation_slides(self) -> list[Slide]:
        """The scenario's reverse funnel and the forward check (`ui.present`)."""
        wb, qid = self.workbook, self.quarter_id
        quarter = next((q.label for q in self.quarters if q.id == qid), "")
        check = self.check if self._forward is not None else self._forward_check()  # kept
        return plan_slides(self.plan, quarter, self.funnel,
                           wb.properties().currency if wb else "", check)

    # -- the quick method for a year ------------------------------------------------------
    def _show_quick(self) -> None:
        wb, panel = self.workbook, self._quick
        assert panel is not None
        currency = wb.properties().currency if wb else ""
        if self._quick_year is None:
            label = self._quarter_label
            self._quick_year = int(label[:4]) if label else (self.today or date.today()).year
        goal = wb.plan.yearly_goal(self._quick_year) if wb else YearlyGoal(self._quick_year)
        panel.setEnabled(wb is not None)
        panel.show_goal(goal, quick_plan(goal, currency), currency,
                        self._quick_refused, keep=frozenset(self._quick_refused))

    def quick_year_chosen(self, year: int) -> None:
        self._quick_year = year
        self._quick_refused.clear()
        self.refresh()

    def quick_edited(self, field: str, text: str) -> None:
        """Store one typed input of the year's quick plan; a refusal keeps the text and
        says why under the field."""
        wb = self.workbook
        if wb is None or self._quick_year is None:
            return
        self._quick_refused.pop(field, None)
        goal = wb.plan.yearly_goal(self._quick_year)
        try:
            if field in SHARES:
                value: object = self._shares_with(goal, field, text)
                field_name = "shares"
            else:
                value = parse_amount(text, field)
                field_name = field
        except ValidationError as error:
            self._quick_refused[field] = error.message
            self.refresh()
            return
        if self._perform(wb.plan.set_yearly_goal, self._quick_year,
                         **{field_name: value}) is None:
            self._quick_refused[field] = self._refused.pop(field_name, "") or \
                "That value cannot be used."
        self.refresh()

    @staticmethod
    def _shares_with(goal: YearlyGoal, field: str, text: str) -> tuple[float, ...]:
        """The four quarters' shares with `field` set to `text`; the fourth quarter takes
        what the first three leave, so they always add up to 100 %."""
        share = parse_percent(text, field)
        if share is None:
            raise ValidationError(field, "Enter the quarter's share, such as 25 for 25 %.")
        shares = list(goal.shares)
        index = SHARES.index(field)
        if index == 3:
            raise ValidationError(field, "The fourth quarter takes what the first three "
                                         "leave; change one of those.")
        shares[index] = share
        rest = 1 - sum(shares[:3])
        if rest < -0.0005:
            raise ValidationError(field, f"The first three quarters would take "
                                         f"{format_percent(sum(shares[:3]))} of the year; "
                                         "together they can take at most 100 %.")
        shares[3] = max(0.0, rest)
        return tuple(shares)

    def apply_yearly_goal(self) -> None:
        """Give each quarter's committed plan its share of the year's goal, after saying
        what changes."""
        wb, year = self.workbook, self._quick_year
        if wb is None or year is None:
            return
        if wb.plan.yearly_goal(year).revenue_goal is None:
            return
        currency = wb.properties().currency
        lines = [f"{label}: {format_money(revenue, currency)} (now "
                 f"{format_money(plan.revenue_goal, currency) if plan else 'no committed plan'})"
                 for label, plan, revenue in wb.plan.yearly_split(year)]
        if common.confirm(self, "Set the quarters' revenue goals?",
                          "Each quarter's committed plan gets its share of the year's goal, "
                          "and the SLA's MQL commitment follows:\n\n" + "\n".join(lines),
                          "Set the goals"):
            self._perform(wb.plan.apply_yearly_goal, year)
            self._load_plans(prefer=self.plan.id if self.plan else None)

    def _show_banner(self, wb: Workbook | None, qid: QuarterId | None,
                     plan: Plan | None) -> None:
        text = ""
        if wb is None:
            text = "Open a workbook to plan."
        elif qid is None:
            text = "No quarters yet: add the quarter you are planning for (Add quarter…)."
        elif plan is None:
            text = "No plan for this quarter yet: start one with New plan."
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    # -- reacting to the rest of the app --------------------------------------------------
    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self:
            return
        if changes.plan or changes.data or changes.funnel or changes.properties:
            self.reload()

    def _on_refused(self, error: ValidationError, initiator: object) -> None:
        if initiator is self:
            self._refused[error.field] = error.message

    # -- editing --------------------------------------------------------------------------
    def _perform(self, mutation: object, *args: object, **kwargs: object) -> object:
        return self.context.perform(mutation, *args, initiator=self, **kwargs)  # type: ignore

    def input_edited(self, field: str, text: str) -> None:
        """Parse and store one typed input; on refusal keep the text, say why, and show the
        outputs it blocks as "—"."""
        wb, plan = self.workbook, self.plan
        if wb is None or plan is None:
            return
        self._refused.pop(field, None)
        try:
            value = parse_amount(text, field) if field in (GOAL, DEAL_SIZE) \
                else parse_percent(text, field)
            if value is None and field not in (GOAL, DEAL_SIZE):
                raise ValidationError(field, "Enter a conversion rate, such as 25 for 25 %.")
        except ValidationError as error:
            self._overrides[field] = error
            self._refused[field] = error.message
            self.refresh()
            return
        if not self._commitment_change_accepted({field: value}):
            self._overrides.pop(field, None)
            self.refresh()  # the field shows the plan's value again
            return
        if field in (GOAL, DEAL_SIZE):
            result = self._perform(wb.plan.update_plan, plan.id, **{field: value})
        else:
            stage_id = StageId(int(field.partition(":")[2]))
            result = self._perform(wb.plan.set_conversion, plan.id, stage_id, value)
        if result is None:
            self._overrides[field] = value
        else:
            self._overrides.pop(field, None)
            self._refused.pop(field, None)
        self._reload_plan_rows()

    def _commitment_change_accepted(self, overrides: dict[str, RawValue]) -> bool:
        """A change to the committed plan that moves the SLA's MQL commitment is said, and
        applied only when the user goes ahead."""
        wb, plan = self.workbook, self.plan
        if wb is None or plan is None:
            return False
        move = commitment_move(wb, plan.id, overrides)
        return move is None or common.confirm(
            self, "Change the SLA's commitment?", move.sentence(), "Change the commitment")

    def _reload_plan_rows(self) -> None:
        wb, qid = self.workbook, self.quarter_id
        self.plans = wb.plan.plans(qid) if wb and qid is not None else []
        self.refresh()

    def derive_from_actuals(self) -> None:
        wb, plan = self.workbook, self.plan
        if wb is None or plan is None:
            return
        quarter = next(q for q in self.quarters if q.id == plan.quarter_id)
        earlier = [q for q in self.quarters if q.start_date < quarter.start_date] or \
            self.quarters
        choice = dialogs.ask_derivation(self, wb, earlier)
        if choice is None:
            return
        derivation = choice.derivation
        deal = derivation.avg_deal_size if choice.deal_size else None
        rates = derivation.conversions if choice.conversions else {}
        if deal is None and not rates:
            self.context.status.emit("Nothing could be derived from those quarters.", 6000)
            return
        derived: dict[str, RawValue] = {conversion_field(s): rate for s, rate in rates.items()}
        if deal is not None:
            derived[DEAL_SIZE] = deal
        if not self._commitment_change_accepted(derived):
            return
        for field in derived:
            self._overrides.pop(field, None)
            self._refused.pop(field, None)
        self._perform(wb.plan.set_inputs, plan.id, avg_deal_size=deal, conversions=rates,
                      step=f"Derive plan from actuals ({derivation.span})")
        self._reload_plan_rows()

    def apply_source_mix(self, mix: object) -> None:
        wb, plan = self.workbook, self.plan
        if wb is None or plan is None:
            return
        if isinstance(mix, str):
            self.mix_panel.message.setText(mix)
            return
        if self._perform(wb.plan.set_source_mix, plan.id, mix) is None:
            self.mix_panel.message.setText(self._refused.pop("source_mix", ""))
            return
        self.refresh()

    def new_plan(self) -> None:
        wb, qid = self.workbook, self.quarter_id
        if wb is None or qid is None:
            return
        name = dialogs.ask_text(self, "New plan", "Name of the plan:",
                                "Base plan" if not self.plans else f"Plan {len(self.plans) + 1}")
        if name is None:
            return
        earlier = [p for p in wb.plan.plans() if p.committed and p.avg_deal_size]
        deal = earlier[-1].avg_deal_size if earlier else None
        # Not committed: committing a plan is the teams' explicit act (Commit this plan).
        result = self._perform(wb.plan.add_plan, qid, name, avg_deal_size=deal,
                               conversions=wb.plan.suggested_conversions(qid))
        if result:
            self._load_plans(prefer=result[1])  # type: ignore[index]

    def copy_plan(self) -> None:
        wb, plan = self.workbook, self.plan
        if wb is None or plan is None:
            return
        name = dialogs.ask_text(self, "Copy plan", "Name of the new scenario:",
                                f"{plan.name} (copy)")
        if name is None:
            return
        result = self._perform(wb.plan.copy_plan, plan.id, name)
        if result:
            self._load_plans(prefer=result[1])  # type: ignore[index]

    def commit_plan(self) -> None:
        wb, plan = self.workbook, self.plan
        if wb and plan and self._perform(wb.plan.commit_plan, plan.id):
            self._load_plans(prefer=plan.id)

    def delete_plan(self) -> None:
        wb, plan = self.workbook, self.plan
        if wb and plan and self._perform(wb.plan.delete_plan, plan.id):
            self._load_plans()

    def add_quarter(self) -> None:
        wb = self.workbook
        if wb is None:
            return
        label = dialogs.ask_text(self, "Add quarter", "Quarter (like 2026Q4):",
                                 dialogs.next_quarter_label(self.quarters))
        if label is None:
            return
        result = self._perform(wb.plan.add_quarter, label.strip())
        if result:
            self.reload()
            self.select_quarter(result[1])  # type: ignore[index]
