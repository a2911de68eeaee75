"""The Plan screen as a user sees it: typed inputs change every stage's volume, bad input
says what is wrong and shows "—", scenarios are copied, compared and committed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.workbench.test_plan import WORKED_VOLUMES, worked_plan
from ui.context import AppContext
from ui.data import common
from ui.plan import dialogs
from ui.plan.quick_panel import QuickPanel
from ui.plan.screen import PlanScreen
from ui.plan.tables import ScenarioTable
from workbench.planning.derive import Derivation, DerivedRate
from workbench.planning.inputs import conversion_field
from workbench.workbook import Workbook

SHOTS = Path(__file__).resolve().parents[3] / "shots"


def _shown(qtbot, context: AppContext) -> PlanScreen:
    screen = PlanScreen(context)
    screen.today = date(2026, 11, 23)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    return screen


class Questions:
    """The questions the screen asks, answered `yes` (True unless a test says otherwise)."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.yes = True

    def confirm(self, parent: object, title: str, text: str, action: str) -> bool:
        self.asked.append(text)
        return self.yes


@pytest.fixture(autouse=True)
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    asked = Questions()
    monkeypatch.setattr(common, "confirm", asked.confirm)
    return asked


@pytest.fixture
def planned(qtbot, blank: Workbook):
    """The worked example in the classic funnel, committed, on screen."""
    _, plan_id = worked_plan(blank)
    blank.plan.commit_plan(plan_id)
    context = AppContext(blank)
    return _shown(qtbot, context), context, plan_id


def _type(screen: PlanScreen, field: str, text: str) -> None:
    edit = screen.inputs.fields[field].edit
    edit.setText(text)
    edit.editingFinished.emit()


def _volumes(screen: PlanScreen) -> list[str]:
    return screen.funnel_table.column_texts(1)


def test_worked_example_on_screen_with_its_arithmetic(planned) -> None:
    screen, _, _ = planned
    assert _volumes(screen) == [f"{v:,}" for v in WORKED_VOLUMES]
    how = screen.funnel_table.column_texts(3)
    assert how[2] == "1,600 ÷ 60 % = 2,666.67 → 2,667 (rounded up)"
    assert how[-1] == "12,000,000 ÷ 60,000 = 200"
    assert "rounded up to whole leads" in screen.rounding_note.text()
    assert screen.month_note.text().endswith("Months: Jan 2027, Feb 2027, Mar 2027.")
    assert "3,810 MQLs this quarter (1,270 per month)" in screen.commitment.text()


def test_changing_the_goal_updates_every_stage(planned) -> None:
    screen, context, plan_id = planned
    _type(screen, "revenue_goal", "6,000,000")
    # 6,000,000 ÷ 60,000 = 100; ÷ 25 % = 400; ÷ 50 % = 800; ÷ 60 % = 1,333.3 → 1,334;
    # ÷ 70 % = 1,905.7 → 1,906; ÷ 15 % = 12,706.7 → 12,707
    assert _volumes(screen) == ["12,707", "1,906", "1,334", "800", "400", "100"]
    assert context.workbook.plan.plan(plan_id).revenue_goal == 6_000_000
    assert "1,906 MQLs this quarter" in screen.commitment.text()
    context.perform(context.workbook.undo)  # as the Edit menu would: another initiator
    assert _volumes(screen) == [f"{v:,}" for v in WORKED_VOLUMES]
    assert screen.inputs.fields["revenue_goal"].edit.text() == "12,000,000"


def test_zero_conversion_says_why_and_shows_dashes(planned) -> None:
    screen, context, plan_id = planned
    mql = context.workbook.funnel.stages()[1]
    field = conversion_field(mql.id)
    _type(screen, field, "0")
    message = screen.inputs.fields[field].message
    assert message.isVisible()
    assert message.text() == ("The conversion from Marketing Qualified Lead to Sales Accepted "
                              "Lead must be above 0 % and at most 100 % (not 0 %).")
    assert screen.inputs.fields[field].edit.text() == "0"  # the typed text stays to be fixed
    assert _volumes(screen) == ["—", "—", "2,667", "1,600", "800", "200"]
    assert screen.funnel_table.column_texts(3)[0].startswith("— The conversion from Marketing")
    assert context.workbook.plan.conversions(plan_id)[mql.id] == 0.7  # nothing stored
    _type(screen, field, "80")
    assert not message.isVisible()
    assert _volumes(screen)[:2] == ["22,227", "3,334"]


def test_text_that_is_not_an_amount_is_refused(planned) -> None:
    screen, context, plan_id = planned
    _type(screen, "avg_deal_size", "sixty k")
    assert screen.inputs.fields["avg_deal_size"].message.text() == \
        "“sixty k” is not an amount; type digits such as 12,000,000."
    assert _volumes(screen) == ["—"] * 6
    assert context.workbook.plan.plan(plan_id).avg_deal_size == 60_000


def test_past_quarter_goal_warns(qtbot, blank: Workbook) -> None:
    worked_plan(blank, "2026Q1")
    screen = _shown(qtbot, AppContext(blank))
    message = screen.inputs.fields["revenue_goal"].message
    assert message.text() == "2026Q1 ended on 31 Mar 2026: a goal set now is hindsight, not a plan."
    assert _volumes(screen) == [f"{v:,}" for v in WORKED_VOLUMES]


def test_copy_compare_and_commit_scenarios(planned, monkeypatch) -> None:
    screen, context, base = planned
    monkeypatch.setattr(dialogs, "ask_text", lambda *args: "MQL→SAL +10 pts")
    screen.buttons["copy"].click()
    assert screen.plan_combo.currentText() == "MQL→SAL +10 pts"
    mql = context.workbook.funnel.stages()[1]
    _type(screen, conversion_field(mql.id), "80")
    assert ("Marketing Qualified Lead", "3,334  (-476)") in screen.scenario_table.differing_cells()
    assert ("Marketing Qualified Lead → Sales Accepted Lead", "80 %  (+10 pts)") in \
        screen.scenario_table.differing_cells()
    assert screen.buttons["commit"].isEnabled()
    screen.buttons["commit"].click()
    assert "3,334 MQLs this quarter" in screen.commitment.text()
    assert screen.plan_combo.currentText() == "MQL→SAL +10 pts  ★ committed"
    assert not screen.buttons["commit"].isEnabled()


def test_tabs_opened_later_show_the_plan_as_it_is_and_follow_it(planned, monkeypatch) -> None:
    """The tabs beside the reverse funnel are made when first opened: one opened after a
    change shows it, and one made already follows the next change."""
    screen, context, _ = planned
    monkeypatch.setattr(dialogs, "ask_text", lambda *args: "Bigger goal")
    screen.buttons["copy"].click()
    _type(screen, "revenue_goal", "24,000,000")
    screen.tabs.setCurrentIndex(2)  # Compare scenarios
    table = screen.tabs.currentWidget().findChild(ScenarioTable)
    customers = context.workbook.funnel.stages()[-1].name
    assert (customers, "400  (+200)") in table.differing_cells()
    _type(screen, "revenue_goal", "6,000,000")
    assert (customers, "100  (-100)") in table.differing_cells()
    screen.tabs.setCurrentIndex(4)  # Quick method (year): the year of the quarter shown
    quick = screen.tabs.currentWidget().findChild(QuickPanel)
    assert quick is screen.quick_panel and quick.isEnabled()
    assert quick.year.value() == int(screen.quarter_combo.currentText()[:4])


def test_source_mix_is_applied_and_split(planned) -> None:
    screen, context, plan_id = planned
    context.workbook.db.conn.execute(
        "INSERT INTO sources (name, sourced_by) VALUES ('Webinar', 'marketing'), "
        "('Events', 'marketing')")
    screen.reload()
    shares = screen.mix_panel.shares
    assert shares.column_texts(0) == ["Webinar", "Events"]
    shares.item(0, 1).setText("60")
    shares.item(1, 1).setText("30")
    assert screen.mix_panel.total.text() == "Total: 90 % — must be 100 %"
    screen.mix_panel.apply_button.click()
    assert screen.mix_panel.message.text() == ("The shares add up to 90 %; they must add up "
                                               "to 100 %.")
    assert context.workbook.plan.source_mix(plan_id) == {}
    shares.item(1, 1).setText("40")
    screen.mix_panel.apply_button.click()
    assert context.workbook.plan.source_mix(plan_id) == {"Webinar": 0.6, "Events": 0.4}
    assert screen.mix_panel.split.column_texts(1)[0] == "15,240"
    assert screen.mix_panel.split.horizontalHeaderItem(1).text() == "Webinar (60 %)"


def test_derive_from_actuals_sets_inputs_in_one_step(planned, monkeypatch) -> None:
    screen, context, plan_id = planned
    mql = context.workbook.funnel.stages()[1]
    derivation = Derivation(("2026Q1",), 50_000, "", None,
                            (DerivedRate(mql.id, "MQL → SAL", 0.5, "", None),))
    monkeypatch.setattr(dialogs, "ask_derivation",
                        lambda *args: dialogs.DeriveChoice(derivation, True, True))
    screen.inputs.derive_button.click()
    assert screen.inputs.fields["avg_deal_size"].edit.text() == "50,000"
    assert screen.inputs.fields[conversion_field(mql.id)].edit.text() == "50"
    assert context.workbook.undo_name == "Derive plan from actuals (2026Q1)"
    assert _volumes(screen)[-1] == "240"  # 12,000,000 ÷ 50,000


def test_add_quarter_and_first_plan(qtbot, blank: Workbook, monkeypatch) -> None:
    screen = _shown(qtbot, AppContext(blank))
    assert screen.banner.text().startswith("No quarters yet")
    answers = iter(["2027Q1", "Base plan"])
    monkeypatch.setattr(dialogs, "ask_text", lambda *args: next(answers))
    screen.buttons["quarter"].click()
    assert screen.quarter_combo.currentText() == "2027Q1"
    assert screen.banner.text().startswith("No plan for this quarter yet")
    screen.buttons["new"].click()
    # Committing is the teams' explicit act, not a side effect of the first plan.
    assert screen.plan_combo.currentText() == "Base plan"
    assert screen.commitment.text().startswith("No committed plan for this quarter")
    assert screen.buttons["commit"].isEnabled()
    assert not screen.banner.isVisible()
    assert _volumes(screen)[-1] == "—"
    assert screen.inputs.fields["revenue_goal"].message.text() == \
        "Enter the revenue goal for the quarter."


def test_screenshot_on_the_demo(qtbot, demo: Workbook) -> None:
    screen = _shown(qtbot, AppContext(demo))
    SHOTS.mkdir(exist_ok=True)
    for index, name in enumerate(("funnel", "mix", "scenarios", "forward")):
        screen.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        image = screen.grab()
        assert image.save(str(SHOTS / f"plan-{name}.png"))
    assert screen.quarter_combo.currentText() == "2026Q3"
    assert _volumes(screen)[2] == "286"
    assert screen.scenario_table.columnCount() == 3
    assert screen.forward_panel.summary.text() == (
        "2026Q3 ended: 315,500 EUR won of the 900,000 EUR goal (35.1 %) — behind by "
        "584,500 EUR.")


def test_forward_check_tab_judges_an_ended_quarter_on_what_it_won(qtbot, demo: Workbook) -> None:
    screen = _shown(qtbot, AppContext(demo))  # 23 Nov 2026: the demo's 2026Q3 has ended
    panel = screen.forward_panel
    assert panel.basis.text().startswith("From lead-level data: 4,300 imported leads")
    assert panel.pipeline_note.text().startswith("Not part of the result: the pipeline open "
                                                 "when 2026Q3 ended (30 Sep 2026)")
    assert panel.table.column_texts(0) == [
        "Sales Accepted Lead", "Sales Qualified Lead", "Opportunity", "Carries into 2026Q4",
        "Won in 2026Q3", "Goal"]
    assert panel.table.column_texts(4)[-2:] == ["315,500 EUR", "900,000 EUR"]
    assert panel.stale.text().endswith("they swell the pipeline.")
    screen.today = date(2026, 9, 15)  # while 2026Q3 was under way
    screen.refresh()
    assert panel.summary.text().startswith("2026Q3 is on track: ")
    assert panel.table.column_texts(0)[-3:] == ["Won so far", "On track for", "Goal"]
    assert panel.pipeline_note.text().startswith("Open pipeline as of 15 Sep 2026")


def test_a_change_to_the_committed_plan_asks_before_it_moves_the_sla(
        planned, questions: Questions) -> None:
    screen, context, plan_id = planned
    wb = context.workbook
    questions.yes = False
    _type(screen, "revenue_goal", "18,000,000")
    assert questions.asked[-1].startswith(
        "“Base” is the committed plan for 2027Q1: the SLA commits marketing to 3,810 MQLs "
        "(1,270 a month). With this change it would commit them to 5,715 MQLs")
    assert wb.plan.plan(plan_id).revenue_goal == 12_000_000  # kept
    assert screen.inputs.fields["revenue_goal"].edit.text() == "12,000,000"
    assert "3,810 MQLs this quarter" in screen.commitment.text()
    questions.yes = True
    _type(screen, "revenue_goal", "18,000,000")
    assert wb.plan.plan(plan_id).revenue_goal == 18_000_000
    assert "5,715 MQLs this quarter (1,905 per month)" in screen.commitment.text()
    wb.undo()
    assert wb.plan.plan(plan_id).revenue_goal == 12_000_000


def test_a_change_that_leaves_the_commitment_alone_asks_nothing(
        planned, questions: Questions) -> None:
    screen, context, _ = planned
    inquiry = context.workbook.funnel.stages()[0]
    _type(screen, conversion_field(inquiry.id), "20")
    assert questions.asked == []
    assert _volumes(screen)[0] == "19,050"  # 3,810 ÷ 20 %
