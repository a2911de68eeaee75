"""The quick, five-step plan for a year (marketing's standard method), worked by hand:
goal 10,000,000; last year 8,000,000 revenue from 160 customers out of 6,680 leads."""

from __future__ import annotations

import pytest

from workbench.errors import ValidationError
from workbench.model import YearlyGoal
from workbench.plan import reverse_funnel
from workbench.planning.quick import ROUNDING_NOTE, largest_remainders, quick_plan
from workbench.workbook import Workbook

from .snapshot import dump

HAND = YearlyGoal(2027, 10_000_000, 8_000_000, 160, 6_680, (0.2, 0.25, 0.25, 0.3))


def test_the_five_steps_worked_by_hand() -> None:
    plan = quick_plan(HAND, "EUR")
    assert [(s.label, s.shown) for s in plan.steps] == [
        ("Revenue goal", "10,000,000 EUR"),
        ("Average deal size", "50,000 EUR"),       # 8,000,000 ÷ 160
        ("Customers needed", "200"),                # 10,000,000 ÷ 50,000
        ("Lead-to-customer rate", "2.4 %"),         # 160 ÷ 6,680 = 2.395 %
        ("Leads needed", "8,350"),                  # 200 × 6,680 ÷ 160
    ]
    assert plan.steps[1].how == "8,000,000 EUR ÷ 160 customers last year"
    assert plan.steps[4].how == "200 customers × 6,680 leads ÷ 160 customers = 8,350"
    # Each quarter's share; the whole numbers add up to the year's (8,350 and 200).
    assert [(q.label, q.revenue_goal, q.customers, q.leads) for q in plan.quarters] == [
        ("2027Q1", 2_000_000, 40, 1_670), ("2027Q2", 2_500_000, 50, 2_088),
        ("2027Q3", 2_500_000, 50, 2_087), ("2027Q4", 3_000_000, 60, 2_505)]


def test_rounding_once_at_the_end_against_rounding_every_stage() -> None:
    """9,990,000 ÷ 50,000 = 199.8 customers. The quick method: 199.8 × 6,680 ÷ 160 =
    8,341.65 → 8,342. Rounding up at every stage with the same overall rate (30 % × 40 %
    × 19.96 %) first makes 199.8 into 200 customers, and ends at 8,350."""
    goal = YearlyGoal(2027, 9_990_000, 8_000_000, 160, 6_680)
    plan = quick_plan(goal, "EUR")
    assert plan.steps[2].how == "9,990,000 EUR ÷ 50,000 EUR = 199.8 → 200 (rounded up)"
    assert plan.steps[4].how == ("199.8 customers × 6,680 leads ÷ 160 customers = "
                                 "8,341.65 → 8,342 (rounded up)")
    assert plan.leads == 8_342
    last = (160 / 6_680) / (0.3 * 0.4)
    assert reverse_funnel(9_990_000, 50_000, [0.3, 0.4, last])[0] == 8_350
    assert "rounded up once, at the end" in ROUNDING_NOTE


def test_missing_inputs_show_a_dash_and_what_to_enter() -> None:
    plan = quick_plan(YearlyGoal(2027, 10_000_000), "EUR")
    assert [s.shown for s in plan.steps] == ["10,000,000 EUR", "—", "—", "—", "—"]
    assert plan.steps[1].how == "— enter last year's revenue and customers"
    assert plan.steps[3].how == "— enter last year's customers and leads"
    assert plan.leads is None and all(q.leads is None for q in plan.quarters)
    assert [q.revenue_goal for q in plan.quarters] == [2_500_000] * 4


@pytest.mark.parametrize(("total", "shares", "parts"), [
    (8_350, (0.2, 0.25, 0.25, 0.3), [1_670, 2_088, 2_087, 2_505]),
    (10, (0.25, 0.25, 0.25, 0.25), [3, 3, 2, 2]),
    (0, (0.25, 0.25, 0.25, 0.25), [0, 0, 0, 0]),
])
def test_largest_remainders_add_up(total: int, shares: tuple[float, ...],
                                   parts: list[int]) -> None:
    assert largest_remainders(total, shares) == parts
    assert sum(parts) == total


def test_entering_the_years_inputs_is_one_undoable_step(blank: Workbook) -> None:
    before = dump(blank)
    blank.plan.set_yearly_goal(2027, revenue_goal=10_000_000, last_year_revenue=8_000_000,
                               last_year_customers=160, last_year_leads=6_680,
                               shares=(0.2, 0.25, 0.25, 0.3))
    assert blank.plan.yearly_goal(2027) == HAND
    blank.plan.set_yearly_goal(2027, last_year_leads=None)
    assert blank.plan.yearly_goal(2027).last_year_leads is None
    blank.undo()
    blank.undo()
    assert dump(blank) == before
    assert blank.plan.yearly_goal(2027) == YearlyGoal(2027)
    blank.redo()
    assert blank.plan.yearly_goal(2027) == HAND


@pytest.mark.parametrize(("fields", "message"), [
    ({"shares": (0.2, 0.2, 0.25, 0.25)},
     "The quarters' shares add up to 90 %; they must add up to 100 %."),
    ({"shares": (1.2, -0.2, 0, 0)}, "Each of the four quarters' shares must be between 0 % "
                                    "and 100 %."),
    ({"last_year_customers": 12.5}, "Last year's customers must be a whole number above 0."),
    ({"last_year_leads": "many"}, "Last year's leads must be a whole number such as 1,200."),
    ({"last_year_revenue": 0}, "Last year's revenue must be an amount above 0 such as "
                               "9,600,000."),
    ({"revenue_goal": -5}, "The revenue goal cannot be negative."),
    ({"colour": "red"}, "colour is not an input of the quick plan."),
])
def test_a_bad_input_is_refused_and_changes_nothing(
        blank: Workbook, fields: dict[str, object], message: str) -> None:
    before = dump(blank)
    with pytest.raises(ValidationError) as caught:
        blank.plan.set_yearly_goal(2027, **fields)
    assert str(caught.value) == message
    assert dump(blank) == before


def test_the_years_goal_is_split_into_its_quarters_committed_plans(blank: Workbook) -> None:
    blank.plan.set_yearly_goal(2027, revenue_goal=10_000_000, shares=(0.2, 0.25, 0.25, 0.3))
    plans = []
    for quarter in ("2027Q1", "2027Q2", "2027Q3"):
        _, quarter_id = blank.plan.add_quarter(quarter)
        plans.append(blank.plan.add_plan(quarter_id, "Base", committed=True)[1])
    before = dump(blank)
    with pytest.raises(ValidationError) as caught:
        blank.plan.apply_yearly_goal(2027)
    assert str(caught.value) == ("2027Q4 has no committed plan to take its share of the goal:"
                                 " add the quarter and commit a plan.")
    assert dump(blank) == before
    _, q4 = blank.plan.add_quarter("2027Q4")
    plans.append(blank.plan.add_plan(q4, "Base", committed=True)[1])
    blank.plan.apply_yearly_goal(2027)
    assert [blank.plan.plan(p).revenue_goal for p in plans] == [
        2_000_000, 2_500_000, 2_500_000, 3_000_000]
    assert blank.undo_name == "Split the 2027 goal into quarters"
    blank.undo()
    assert [blank.plan.plan(p).revenue_goal for p in plans] == [None] * 4
