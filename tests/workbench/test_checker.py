"""The definitions checker: each rule fires with the message, stage and field the editor
shows, and an agreed funnel is clean."""

from __future__ import annotations

import pytest

from workbench.checker import Problem, check_funnel, max_score
from workbench.funnel import handoff
from workbench.model import Operator, Owner, RuleId, RuleKind, ScoringRule
from workbench.workbook import Workbook

from .test_funnel import sid


@pytest.fixture
def wb() -> Workbook:
    """The classic funnel with every stage defined, agreed and given exit criteria, and
    scoring rules that can reach the MQL threshold of 60 (at most 40 + 30)."""
    workbook = Workbook.in_memory("blank")
    for stage in workbook.funnel.stages():
        workbook.funnel.update_stage(
            stage.id, definition=f"What {stage.name} means.", agreement="agreed",
            exit_criteria=f"What moves a lead on from {stage.name}.")
    workbook.scoring.add_rule(kind="fit", attribute="employees", operator="at_least",
                              value="200", points=40)
    workbook.scoring.add_rule(kind="interest", attribute="demo_request", operator="equals",
                              value="yes", points=30)
    return workbook


def test_an_agreed_funnel_is_clean(wb: Workbook) -> None:
    assert check_funnel(wb) == []


def test_the_demo_shows_one_problem_the_disputed_sql_definition(demo: Workbook) -> None:
    assert check_funnel(demo) == [Problem(
        "disputed_definition", sid(demo, "sql"),
        "Marketing and sales dispute the definition of “Sales Qualified Lead”.", "agreement")]
    demo.funnel.adopt_proposal(sid(demo, "sql"), "sales")
    assert check_funnel(demo) == []


def test_a_stage_without_an_owner(wb: Workbook) -> None:
    wb.funnel.update_stage(sid(wb, "opportunity"), owner=None)
    assert check_funnel(wb) == [Problem(
        "no_owner", sid(wb, "opportunity"),
        "“Opportunity” has no owner: choose marketing, sales or shared.", "owner")]


def test_a_stage_without_exit_criteria(wb: Workbook) -> None:
    wb.funnel.update_stage(sid(wb, "sal"), exit_criteria="  ")
    assert check_funnel(wb) == [Problem(
        "no_exit_criteria", sid(wb, "sal"),
        "“Sales Accepted Lead” has no exit criteria: say what moves a lead on from it.",
        "exit_criteria")]


def test_a_stage_without_a_definition(wb: Workbook) -> None:
    wb.funnel.update_stage(sid(wb, "inquiry"), definition="")
    assert check_funnel(wb) == [Problem(
        "no_definition", sid(wb, "inquiry"),
        "“Inquiry” has no definition: write what it means, or adopt one team's proposal.",
        "definition")]


def test_a_definition_not_yet_agreed(wb: Workbook) -> None:
    wb.funnel.update_stage(sid(wb, "sal"), agreement="open")
    assert check_funnel(wb) == [Problem(
        "definition_not_agreed", sid(wb, "sal"),
        "The definition of “Sales Accepted Lead” is not marked agreed yet.", "agreement")]


def test_keys_that_differ_only_in_case_and_spaces_are_duplicates(wb: Workbook) -> None:
    # The API refuses such keys; a file edited by hand could still hold them.
    wb.db.conn.execute("UPDATE stages SET key = ' MQL ' WHERE key = 'sal'")
    assert check_funnel(wb) == [Problem(
        "duplicate_key", sid(wb, " MQL "),
        "“Sales Accepted Lead” has the key “MQL”, which “Marketing Qualified Lead” already "
        "uses.", "key")]


def test_names_that_differ_only_in_case_and_spaces_are_duplicates(wb: Workbook) -> None:
    wb.db.conn.execute("UPDATE stages SET name = 'opportunity ' WHERE key = 'sql'")
    assert check_funnel(wb) == [Problem(
        "duplicate_name", sid(wb, "opportunity"),
        "“Opportunity” has the name “Opportunity”, which “opportunity ” already uses.", "name")]


def test_a_conversion_target_outside_0_to_100_percent(wb: Workbook) -> None:
    wb.db.conn.execute("UPDATE stages SET target_conversion = 2.5 WHERE key = 'sal'")
    assert check_funnel(wb) == [Problem(
        "conversion_out_of_range", sid(wb, "sal"),
        "The conversion target of “Sales Accepted Lead” is 250 %; it must be between 0 % and "
        "100 %.", "target_conversion")]


def test_a_missing_conversion_target_breaks_the_chain_to_the_customer(wb: Workbook) -> None:
    wb.funnel.update_stage(sid(wb, "sql"), target_conversion=None)
    assert check_funnel(wb) == [Problem(
        "conversion_missing", sid(wb, "sql"),
        "“Sales Qualified Lead” has no conversion target, so the targets down to “Customer” "
        "do not multiply up.", "target_conversion")]


def test_a_zero_conversion_target_means_nobody_becomes_a_customer(wb: Workbook) -> None:
    wb.funnel.update_stage(sid(wb, "opportunity"), target_conversion=0)
    assert check_funnel(wb) == [Problem(
        "conversion_zero", sid(wb, "opportunity"),
        "“Opportunity” has a 0 % conversion target, so no lead would ever reach “Customer”.",
        "target_conversion")]


def test_stages_below_the_customer_need_no_conversion_target(wb: Workbook) -> None:
    wb.funnel.add_stage("Advocate", owner="shared", definition="A customer who refers us.",
                        exit_criteria="Stops referring.", agreement="agreed")
    assert check_funnel(wb) == []


def test_a_funnel_with_no_conversion_targets_at_all_is_not_flagged(wb: Workbook) -> None:
    for stage in wb.funnel.stages():
        wb.funnel.update_stage(stage.id, target_conversion=None)
    assert check_funnel(wb) == []


@pytest.mark.parametrize(("key", "message"), [
    ("mql", "“Marketing Qualified Lead” hands leads to sales but has no maximum time in "
     "stage: agree how fast leads reach sales."),
    ("sal", "“Sales Accepted Lead” takes leads over from marketing but has no maximum time "
     "in stage: agree how fast sales follows up."),
])
def test_both_sides_of_the_hand_off_need_a_time_limit(wb: Workbook, key: str, message: str
                                                      ) -> None:
    wb.funnel.update_stage(sid(wb, key), max_hours=None)
    assert check_funnel(wb) == [
        Problem("handoff_without_time_limit", sid(wb, key), message, "max_hours")]


def test_a_time_limit_away_from_the_hand_off_is_optional(wb: Workbook) -> None:
    wb.funnel.update_stage(sid(wb, "sql"), max_hours=None)
    assert check_funnel(wb) == []


def test_the_hand_off_is_the_last_marketing_stage_before_the_first_sales_stage(
    wb: Workbook,
) -> None:
    assert handoff(wb.funnel.stages()) == (sid(wb, "mql"), sid(wb, "sal"))
    wb.funnel.update_stage(sid(wb, "sal"), owner="shared")
    assert handoff(wb.funnel.stages()) == (sid(wb, "mql"), sid(wb, "sql"))
    wb.funnel.move_stage(sid(wb, "opportunity"), 0)  # a sales stage on top: no hand-off
    assert handoff(wb.funnel.stages()) is None


def test_no_stage_owned_by_sales(wb: Workbook) -> None:
    for key in ("sal", "sql", "opportunity"):
        wb.funnel.update_stage(sid(wb, key), owner=Owner.MARKETING)
    assert handoff(wb.funnel.stages()) is None
    assert check_funnel(wb) == [Problem(
        "no_sales_stage", None,
        "No stage is owned by sales: mark the stage where sales takes the lead over.", "owner")]


def test_an_mql_threshold_the_rules_cannot_reach(wb: Workbook) -> None:
    wb.scoring.set_thresholds(mql_threshold=71)
    assert check_funnel(wb) == [Problem(
        "mql_threshold_unreachable", sid(wb, "mql"),
        "No lead can reach the MQL threshold of 71 points: the scoring rules give at most 70 "
        "(fit 40 + interest 30). Lower the threshold or add rules on the Scoring screen.", None)]
    wb.scoring.set_thresholds(mql_threshold=70)
    assert check_funnel(wb) == []


def test_an_mql_threshold_without_any_scoring_rules() -> None:
    workbook = Workbook.in_memory("blank", funnel_model="simple")
    problems = [p for p in check_funnel(workbook) if p.rule == "mql_threshold_unreachable"]
    assert problems == [Problem(
        "mql_threshold_unreachable", sid(workbook, "mql"),
        "There are no scoring rules yet, so no lead can reach the MQL threshold of 60 points.",
        None)]


def test_rules_that_exclude_each_other_do_not_add_up(wb: Workbook) -> None:
    for industry, points in (("Retail", 20), ("Logistics", 25)):
        wb.scoring.add_rule(kind="fit", attribute="industry", operator="equals",
                            value=industry, points=points)
    wb.scoring.set_thresholds(mql_threshold=100)  # 40 + 30 + 25 = 95, not 115
    assert [p.message for p in check_funnel(wb)] == [
        "No lead can reach the MQL threshold of 100 points: the scoring rules give at most 95 "
        "(fit 65 + interest 30). Lower the threshold or add rules on the Scoring screen."]


def test_the_mql_stage_is_found_by_its_crm_names_after_a_rename(wb: Workbook) -> None:
    mql = sid(wb, "mql")
    wb.funnel.update_stage(mql, name="Hot lead", key="hot_lead")
    wb.scoring.set_thresholds(mql_threshold=500)
    assert check_funnel(wb) == []  # nothing says this stage is the MQL any more
    wb.funnel.set_aliases(mql, [("HubSpot", "marketingqualifiedlead")])
    assert [(p.rule, p.stage_id) for p in check_funnel(wb)] == [
        ("mql_threshold_unreachable", mql)]


def test_problems_come_in_stage_order_with_funnel_wide_ones_last(wb: Workbook) -> None:
    for key in ("sal", "sql", "opportunity"):
        wb.funnel.update_stage(sid(wb, key), owner="shared")
    wb.funnel.update_stage(sid(wb, "customer"), exit_criteria="")
    wb.funnel.update_stage(sid(wb, "inquiry"), definition="")
    assert [(p.rule, p.stage_id) for p in check_funnel(wb)] == [
        ("no_definition", sid(wb, "inquiry")), ("no_exit_criteria", sid(wb, "customer")),
        ("no_sales_stage", None)]


def rule(kind: RuleKind, attribute: str, operator: Operator, value: str, points: int
         ) -> ScoringRule:
    return ScoringRule(RuleId(0), kind, attribute, operator, value, points, "", 0)


FIT, INTEREST = RuleKind.FIT, RuleKind.INTEREST


@pytest.mark.parametrize(("rules", "best"), [
    ([], (0, 0)),
    ([rule(FIT, "industry", Operator.EQUALS, "Retail", 20),
      rule(FIT, "Industry ", Operator.EQUALS, "Logistics", 30)], (30, 0)),
    ([rule(FIT, "industry", Operator.IN, "Retail, Logistics", 10),
      rule(FIT, "industry", Operator.EQUALS, "retail", 20)], (30, 0)),
    ([rule(FIT, "country", Operator.NOT_EQUALS, "US", 5),
      rule(FIT, "country", Operator.EQUALS, "US", 20)], (20, 0)),
    ([rule(FIT, "country", Operator.NOT_EQUALS, "US", 5),
      rule(FIT, "country", Operator.EQUALS, "DE", 20)], (25, 0)),
    ([rule(FIT, "title", Operator.CONTAINS, "Head", 10),
      rule(FIT, "title", Operator.CONTAINS, "Director", 10),
      rule(FIT, "title", Operator.CONTAINS, "Student", -40)], (20, 0)),
    ([rule(FIT, "employees", Operator.AT_LEAST, "200", 15),
      rule(INTEREST, "demo_request", Operator.EQUALS, "yes", 30),
      rule(INTEREST, "demo_request", Operator.EQUALS, "no", 5)], (15, 30)),
])
def test_max_score(rules: list[ScoringRule], best: tuple[int, int]) -> None:
    assert max_score(rules) == best


def test_the_demo_scoring_model_can_reach_its_threshold(demo: Workbook) -> None:
    fit, interest = max_score(demo.scoring.rules())
    assert (fit, interest) == (55, 65)
    assert fit + interest >= demo.scoring.settings().mql_threshold
