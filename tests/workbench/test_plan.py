"""The reverse funnel: the worked example, the arithmetic shown, bad input, the commitment."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tests.workbench.snapshot import dump
from workbench.errors import ValidationError
from workbench.model import PlanId, QuarterId
from workbench.plan import (
    committed_mql_commitment,
    conversion_field,
    funnel_for_plan,
    plan_funnel,
    reverse_funnel,
)
from workbench.sla_terms import build_document
from workbench.workbook import Workbook

# The classic funnel: Inquiry (lead), MQL, SAL, SQL, Opportunity, Customer.
WORKED_RATES = (0.15, 0.70, 0.60, 0.50, 0.25)
WORKED_VOLUMES = [25_400, 3_810, 2_667, 1_600, 800, 200]


def worked_plan(workbook: Workbook, label: str = "2027Q1") -> tuple[QuarterId, PlanId]:
    """The issue's worked example as a stored plan: 12,000,000 goal, 60,000 deals."""
    _, quarter_id = workbook.plan.add_quarter(label)
    stages = workbook.funnel.stages()
    _, plan_id = workbook.plan.add_plan(
        quarter_id, "Base", revenue_goal=12_000_000, avg_deal_size=60_000,
        conversions={s.id: r for s, r in zip(stages, WORKED_RATES, strict=False)})
    return quarter_id, plan_id


def test_worked_example_exactly() -> None:
    assert reverse_funnel(12_000_000, 60_000, list(WORKED_RATES)) == WORKED_VOLUMES


def test_worked_example_shows_the_arithmetic_and_rounds_up(blank: Workbook) -> None:
    _, plan_id = worked_plan(blank)
    result = funnel_for_plan(blank, plan_id, today=date(2026, 11, 1))
    assert [s.volume for s in result.stages] == WORKED_VOLUMES
    by_name = {s.name: s for s in result.stages}
    assert by_name["Customer"].arithmetic == "12,000,000 ÷ 60,000 = 200"
    assert by_name["Opportunity"].arithmetic == "200 ÷ 25 % = 800"
    assert by_name["Sales Accepted Lead"].arithmetic == \
        "1,600 ÷ 60 % = 2,666.67 → 2,667 (rounded up)"
    assert by_name["Marketing Qualified Lead"].arithmetic == "2,667 ÷ 70 % = 3,810"
    # Each stage is worked from the rounded one below: unrounded, leads would be 25,397.
    assert by_name["Inquiry"].arithmetic == "3,810 ÷ 15 % = 25,400"
    assert result.months == ("Jan 2027", "Feb 2027", "Mar 2027")
    assert [s.per_month for s in result.stages] == [8_467, 1_270, 889, 534, 267, 67]
    assert result.problems == ()


def test_rounding_up_happens_at_every_stage() -> None:
    # 10 customers at 30 % → 33.3 → 34 opportunities; 34 ÷ 0.3 = 113.3 → 114, not 112
    assert reverse_funnel(10, 1, [0.3, 0.3]) == [114, 34, 10]


def test_committed_mql_commitment_per_quarter_and_month(blank: Workbook) -> None:
    quarter_id, plan_id = worked_plan(blank)
    assert committed_mql_commitment(blank, quarter_id) is None  # nothing committed yet
    blank.plan.commit_plan(plan_id)
    assert committed_mql_commitment(blank, quarter_id) == 3_810
    assert committed_mql_commitment(blank, quarter_id, per_month=True) == 1_270


def test_demo_commitment_matches_its_sla_text(demo: Workbook) -> None:
    last = demo.plan.quarters()[-1]
    volume = committed_mql_commitment(demo, last.id)
    document = build_document(demo, demo.sla.versions()[0].id)
    (body,) = [term.body for term in document.terms if term.key == "leads_committed"]
    assert volume == 286
    assert committed_mql_commitment(demo, last.id, per_month=True) == 96
    assert "96 marketing qualified leads per month (286 per quarter)" in body


@pytest.mark.parametrize(("rate", "message"), [
    (0.0, "must be above 0 % and at most 100 % (not 0 %)"),
    (1.2, "must be above 0 % and at most 100 % (not 120 %)"),
    (-0.1, "must be above 0 % and at most 100 % (not -10 %)"),
    (math.nan, "must be a percentage such as 25 %"),
])
def test_bad_conversion_is_refused_and_changes_nothing(blank: Workbook, rate: float,
                                                       message: str) -> None:
    _, plan_id = worked_plan(blank)
    mql = blank.funnel.stages()[1]
    before, undo_name = dump(blank), blank.undo_name
    with pytest.raises(ValidationError) as caught:
        blank.plan.set_conversion(plan_id, mql.id, rate)
    assert message in caught.value.message
    assert "from Marketing Qualified Lead to Sales Accepted Lead" in caught.value.message
    assert caught.value.field == conversion_field(mql.id)
    assert dump(blank) == before and blank.undo_name == undo_name


def test_conversion_out_of_the_last_stage_is_refused(blank: Workbook) -> None:
    _, plan_id = worked_plan(blank)
    before = dump(blank)
    with pytest.raises(ValidationError, match="Customer is the last stage"):
        blank.plan.set_conversion(plan_id, blank.funnel.stages()[-1].id, 0.5)
    assert dump(blank) == before


@pytest.mark.parametrize(("fields", "message"), [
    ({"avg_deal_size": 0}, "The average deal size cannot be 0."),
    ({"avg_deal_size": -5}, "The average deal size cannot be negative."),
    ({"revenue_goal": -1}, "The revenue goal cannot be negative."),
    ({"revenue_goal": math.inf}, "The revenue goal must be an amount such as 12,000,000."),
    ({"name": "  "}, "A plan needs a name."),
])
def test_bad_plan_field_is_refused_and_changes_nothing(blank: Workbook, fields: dict,
                                                       message: str) -> None:
    _, plan_id = worked_plan(blank)
    before = dump(blank)
    with pytest.raises(ValidationError) as caught:
        blank.plan.update_plan(plan_id, **fields)
    assert caught.value.message == message
    assert dump(blank) == before


def test_bad_input_shows_dash_with_the_reason_above_it_and_numbers_below(
        blank: Workbook) -> None:
    _, plan_id = worked_plan(blank)
    mql = blank.funnel.stages()[1]
    result = funnel_for_plan(blank, plan_id, overrides={conversion_field(mql.id): 0.0},
                             today=date(2026, 11, 1))
    volumes = [s.volume for s in result.stages]
    assert volumes == [None, None, 2_667, 1_600, 800, 200]
    reason = result.stages[0].reason or ""
    assert "from Marketing Qualified Lead to Sales Accepted Lead must be above 0 %" in reason
    assert result.stages[1].arithmetic == "—"
    assert result.problem(conversion_field(mql.id)) is not None


def test_zero_deal_size_and_missing_goal_explain_every_stage() -> None:
    stages = Workbook.in_memory().funnel.stages()
    result = plan_funnel(stages, 1_000_000, 0, {})
    assert all(s.volume is None for s in result.stages)
    assert result.stages[-1].reason == "The average deal size cannot be 0."
    result = plan_funnel(stages, None, 60_000, {})
    assert result.stages[-1].reason == "No revenue goal yet."
    assert result.problem("revenue_goal").message == "Enter the revenue goal for the quarter."


def test_missing_conversion_names_the_step() -> None:
    stages = Workbook.in_memory().funnel.stages()
    rates = {s.id: r for s, r in zip(stages, WORKED_RATES, strict=False)}
    del rates[stages[2].id]  # SAL → SQL
    result = plan_funnel(stages, 12_000_000, 60_000, rates)
    assert [s.volume for s in result.stages] == [None, None, None, 1_600, 800, 200]
    assert result.stages[0].reason == \
        "No conversion rate from Sales Accepted Lead to Sales Qualified Lead yet."


def test_absurd_inputs_never_give_infinity() -> None:
    stages = Workbook.in_memory().funnel.stages()
    rates = {s.id: 1e-12 for s in stages[:-1]}
    result = plan_funnel(stages, 1e12, 1, rates)
    assert result.stages[0].volume is None
    assert "check the inputs" in (result.stages[0].reason or "")
    assert all(s.volume is None or math.isfinite(s.volume) for s in result.stages)


def test_a_funnel_of_one_stage_says_why_it_cannot_plan() -> None:
    stages = Workbook.in_memory().funnel.stages()[:1]
    result = plan_funnel(stages, 100, 10, {})
    assert result.stages[0].volume is None
    assert "at least two stages" in (result.stages[0].reason or "")


def test_past_quarter_goal_is_a_warning_not_an_error(blank: Workbook) -> None:
    _, plan_id = worked_plan(blank, "2026Q1")
    result = funnel_for_plan(blank, plan_id, today=date(2026, 11, 23))
    assert [s.volume for s in result.stages] == WORKED_VOLUMES
    assert [w.message for w in result.warnings] == [
        "2026Q1 ended on 31 Mar 2026: a goal set now is hindsight, not a plan."]
    assert result.errors == ()
    assert funnel_for_plan(blank, plan_id, today=date(2026, 3, 31)).warnings == ()


def test_source_mix_splits_every_stage_rounding_up(blank: Workbook) -> None:
    _, plan_id = worked_plan(blank)
    blank.plan.set_source_mix(plan_id, {"Webinar": 0.6, "Paid search": 0.4})
    split = {s.source: s.volumes for s in funnel_for_plan(blank, plan_id).source_split}
    assert split["Webinar"] == (15_240, 2_286, 1_601, 960, 480, 120)
    assert split["Paid search"] == (10_160, 1_524, 1_067, 640, 320, 80)


def test_source_mix_that_does_not_add_up_is_refused(blank: Workbook) -> None:
    _, plan_id = worked_plan(blank)
    before = dump(blank)
    with pytest.raises(ValidationError) as caught:
        blank.plan.set_source_mix(plan_id, {"Webinar": 0.6, "Paid search": 0.3})
    assert caught.value.message == "The shares add up to 90 %; they must add up to 100 %."
    with pytest.raises(ValidationError, match="between 0 % and 100 %"):
        blank.plan.set_source_mix(plan_id, {"Webinar": 1.5, "Paid search": -0.5})
    assert dump(blank) == before


def test_parse_typed_numbers() -> None:
    from workbench.planning.inputs import parse_amount, parse_percent

    assert parse_amount("12,000,000", "revenue_goal") == 12_000_000
    assert parse_amount(" 60 000 ", "avg_deal_size") == 60_000
    assert parse_amount("", "revenue_goal") is None
    assert parse_percent("25 %", "c") == 0.25
    assert parse_percent("12,5", "c") == 0.125
    with pytest.raises(ValidationError, match="“twelve” is not an amount"):
        parse_amount("twelve", "revenue_goal")
