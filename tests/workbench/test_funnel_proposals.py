"""Marketing says / sales says: both teams' proposed definitions per stage, the agreed
text and its status; adopting one side or writing a merged text."""

from __future__ import annotations

import pytest

from workbench.funnel import ProposalPair
from workbench.model import Agreement, Team
from workbench.workbook import Workbook

from .test_funnel import assert_refused, assert_round_trip, sid

MARKETING = "Any lead with a score of 50 or more."
SALES = "A lead at a 200+ employee company that asked for a demo."


@pytest.fixture
def wb() -> Workbook:
    """A blank workbook whose MQL stage has both teams' proposals and no agreed text."""
    workbook = Workbook.in_memory("blank")
    mql = sid(workbook, "mql")
    workbook.funnel.set_proposal(mql, Team.MARKETING, MARKETING)
    workbook.funnel.set_proposal(mql, "sales", SALES)
    return workbook


def test_a_proposal_is_recorded_per_team(wb: Workbook) -> None:
    sal = sid(wb, "sal")
    assert_round_trip(wb, "Edit marketing's proposal",
                      lambda: wb.funnel.set_proposal(sal, "marketing", "  Not rejected in 24 h. "))
    assert_round_trip(wb, "Edit sales' proposal",
                      lambda: wb.funnel.set_proposal(sal, Team.SALES, "Accepted by an SDR."))
    assert_round_trip(wb, "Edit sales' proposal",
                      lambda: wb.funnel.set_proposal(sal, Team.SALES, "Accepted in the CRM."))
    assert wb.funnel.proposal_pair(sal) == ProposalPair(
        sal, "Not rejected in 24 h.", "Accepted in the CRM.", "", Agreement.OPEN)


def test_both_sides_show_even_when_one_team_has_not_proposed(wb: Workbook) -> None:
    sql = sid(wb, "sql")
    assert wb.funnel.proposal_pair(sql) == ProposalPair(sql, "", "", "", Agreement.OPEN)
    wb.funnel.set_proposal(sql, "sales", "Budget, authority, need and timing confirmed.")
    pair = wb.funnel.proposal_pair(sql)
    assert (pair.marketing, pair.sales) == ("", "Budget, authority, need and timing confirmed.")


def test_adopt_marketings_definition(wb: Workbook) -> None:
    mql = sid(wb, "mql")
    assert_round_trip(wb, "Adopt marketing's definition",
                      lambda: wb.funnel.adopt_proposal(mql, Team.MARKETING))
    assert wb.funnel.proposal_pair(mql) == ProposalPair(
        mql, MARKETING, SALES, MARKETING, Agreement.AGREED)


def test_adopt_sales_definition(wb: Workbook) -> None:
    mql = sid(wb, "mql")
    wb.funnel.update_stage(mql, agreement="disputed")
    assert_round_trip(wb, "Adopt sales' definition",
                      lambda: wb.funnel.adopt_proposal(mql, "sales"))
    stage = wb.funnel.stage(mql)
    assert (stage.definition, stage.agreement) == (SALES, Agreement.AGREED)


def test_a_merged_definition_is_written_and_agreed_in_one_step(wb: Workbook) -> None:
    mql = sid(wb, "mql")
    merged = "A lead scoring 60 or more, at least 20 of them for fit."
    assert_round_trip(wb, "Agree merged definition",
                      lambda: wb.funnel.merge_definition(mql, f" {merged} "))
    assert wb.funnel.proposal_pair(mql) == ProposalPair(
        mql, MARKETING, SALES, merged, Agreement.AGREED)


def test_the_status_can_be_set_to_disputed_and_back(wb: Workbook) -> None:
    mql = sid(wb, "mql")
    assert_round_trip(wb, "Change agreement status",
                      lambda: wb.funnel.update_stage(mql, agreement=Agreement.DISPUTED))
    assert wb.funnel.stage(mql).agreement is Agreement.DISPUTED


def test_adopting_a_missing_proposal_is_refused(wb: Workbook) -> None:
    sql = sid(wb, "sql")
    assert_refused(wb, "proposal", "Marketing has not proposed a definition yet.",
                   lambda: wb.funnel.adopt_proposal(sql, "marketing"))
    assert_refused(wb, "proposal", "Sales has not proposed a definition yet.",
                   lambda: wb.funnel.adopt_proposal(sql, Team.SALES))


def test_an_empty_merged_definition_is_refused(wb: Workbook) -> None:
    assert_refused(wb, "definition", "Write the merged definition before agreeing it.",
                   lambda: wb.funnel.merge_definition(sid(wb, "mql"), "   "))


def test_a_proposal_from_neither_team_is_refused(wb: Workbook) -> None:
    mql = sid(wb, "mql")
    message = "A proposal comes from marketing or sales."
    assert_refused(wb, "team", message, lambda: wb.funnel.set_proposal(mql, "finance", "x"))
    assert_refused(wb, "team", message, lambda: wb.funnel.adopt_proposal(mql, "finance"))


def test_proposals_for_a_deleted_stage_are_refused(wb: Workbook) -> None:
    sal = sid(wb, "sal")
    wb.funnel.delete_stage(sal)
    message = "That stage no longer exists."
    assert_refused(wb, "stage", message, lambda: wb.funnel.set_proposal(sal, "sales", "x"))
    assert_refused(wb, "stage", message, lambda: wb.funnel.merge_definition(sal, "x"))
    assert_refused(wb, "stage", message, lambda: wb.funnel.adopt_proposal(sal, "sales"))


def test_the_demo_shows_the_disputed_sql_definitions(demo: Workbook) -> None:
    pair = demo.funnel.proposal_pair(sid(demo, "sql"))
    assert pair.agreement is Agreement.DISPUTED
    assert pair.marketing.startswith("A lead that has had a first meeting")
    assert pair.sales.startswith("A lead with confirmed budget")
