"""The Plan screen's "Quick method (year)" tab: the five steps and the quarters, typed as
a user types them, refused inputs said under the field, and the split applied to the
quarters' committed plans."""

from __future__ import annotations

import pytest

from ui.context import AppContext
from ui.data import common
from ui.plan.screen import PlanScreen
from ui.shell.undo import undo_last_step
from workbench.workbook import Workbook

from .test_plan_screen import _shown, worked_plan

QUICK = 4  # the tab's index


@pytest.fixture
def quick(qtbot, blank: Workbook) -> tuple[PlanScreen, AppContext]:
    _, plan_id = worked_plan(blank)  # 2027Q1, committed below
    blank.plan.commit_plan(plan_id)
    context = AppContext(blank)
    screen = _shown(qtbot, context)
    screen.tabs.setCurrentIndex(QUICK)
    return screen, context


def type_in(screen: PlanScreen, field: str, text: str) -> None:
    edit = screen.quick_panel.fields[field].edit
    edit.setText(text)
    edit.editingFinished.emit()


def column(table, index: int) -> list[str]:
    return [table.item(r, index).text() for r in range(table.rowCount())]


def test_the_five_steps_and_the_quarters_as_typed(quick) -> None:
    screen, context = quick
    panel = screen.quick_panel
    assert panel.year.value() == 2027  # the selected quarter's year
    assert column(panel.steps, 1) == ["—"] * 5
    for field, text in (("revenue_goal", "10,000,000"),
                        ("last_year_revenue", "8 000 000"), ("last_year_customers", "160"),
                        ("last_year_leads", "6,680"), ("q1_share", "20"),
                        ("q2_share", "25 %"), ("q3_share", "25")):
        type_in(screen, field, text)
    assert column(panel.steps, 1) == ["10,000,000 USD", "50,000 USD", "200", "2.4 %", "8,350"]
    assert panel.fields["q4_share"].edit.text() == "30"  # what the first three leave
    assert column(panel.quarters, 4) == ["1,670", "2,088", "2,087", "2,505"]
    assert column(panel.quarters, 2) == ["2,000,000 USD", "2,500,000 USD", "2,500,000 USD",
                                         "3,000,000 USD"]
    # Typing 25 where 25 stands changes nothing, so Edit → Undo takes back the first share.
    undo_last_step(context)
    assert [panel.fields[f].edit.text() for f in ("q1_share", "q4_share")] == ["25", "25"]
    assert context.workbook.plan.yearly_goal(2027).shares == (0.25, 0.25, 0.25, 0.25)
    assert column(panel.quarters, 4) == ["2,088", "2,088", "2,087", "2,087"]


@pytest.mark.parametrize(("field", "text", "message"), [
    ("last_year_customers", "12.5", "Last year's customers must be a whole number above 0."),
    ("last_year_revenue", "lots", "“lots” is not an amount"),
    ("q1_share", "70", None),
])
def test_a_refused_input_keeps_the_text_and_says_why(quick, field: str, text: str,
                                                     message: str | None) -> None:
    screen, context = quick
    if message is None:  # the first three quarters together above 100 %
        type_in(screen, "q2_share", "25")
        type_in(screen, "q3_share", "25")
        message = "The first three quarters would take 120 % of the year; together they " \
                  "can take at most 100 %."
    before = context.workbook.plan.yearly_goal(2027)
    type_in(screen, field, text)
    item = screen.quick_panel.fields[field]
    assert item.edit.text() == text
    assert item.message.text().startswith(message)
    assert context.workbook.plan.yearly_goal(2027) == before


def test_setting_the_quarters_goals_says_what_changes_and_refuses_a_missing_quarter(
        quick, monkeypatch: pytest.MonkeyPatch) -> None:
    screen, context = quick
    type_in(screen, "revenue_goal", "10,000,000")
    asked: list[str] = []
    monkeypatch.setattr(common, "confirm",
                        lambda parent, title, text, action: asked.append(text) or True)
    said: list[str] = []
    context.status.connect(lambda text, ms: said.append(text))
    before = [p.revenue_goal for p in context.workbook.plan.plans()]
    screen.quick_panel.apply_button.click()
    assert "2027Q1: 2,500,000 USD (now 12,000,000 USD)" in asked[0]
    assert "2027Q2: 2,500,000 USD (now no committed plan)" in asked[0]
    assert said[-1] == ("2027Q2 has no committed plan to take its share of the goal: add the "
                        "quarter and commit a plan.")
    assert [p.revenue_goal for p in context.workbook.plan.plans()] == before
