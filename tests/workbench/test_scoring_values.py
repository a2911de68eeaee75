"""Scoring rules read values as exports write them: numbers with thousands separators in
either convention, yes/no columns in the usual spellings, and the columns an import kept
per lead."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.cli import main
from workbench.model import Operator, RuleId, RuleKind, ScoringRule
from workbench.scoring import number_in, rule_matches, score_lead
from workbench.workbook import Workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def rule(attribute: str, operator: Operator, value: str, points: int = 10) -> ScoringRule:
    return ScoringRule(RuleId(1), RuleKind.FIT, attribute, operator, value, points, "", 0)


@pytest.mark.parametrize(("text", "number"), [
    ("1,200", 1200), ("1.200", 1200), ("12,500.50", 12500.5), ("12.500,50", 12500.5),
    ("1 200", 1200), ("1'200", 1200), ("1,5", 1.5), ("0.125", 0.125), ("€ 3.000.000", 3e6),
    ("-1,200.5", -1200.5), ("1200", 1200),
])
def test_numbers_as_exports_write_them(text: str, number: float) -> None:
    assert number_in(text) == number


@pytest.mark.parametrize("text", ["abc", "1,2,3", "2026-01-05", "", "12 %x", "+49 30 1234"])
def test_text_that_is_no_number_is_none(text: str) -> None:
    assert number_in(text) is None


@pytest.mark.parametrize("employees", ["1,200", "1.200", "1 200", 1200, 1200.0])
def test_employees_written_with_thousands_separators_earn_the_points(employees: object) -> None:
    big = rule("employees", Operator.AT_LEAST, "1,000", 15)
    assert score_lead([big], {"employees": employees}) == (15, 0)
    assert not rule_matches(rule("employees", Operator.AT_MOST, "999"), {"employees": employees})


@pytest.mark.parametrize(("value", "target", "matches"), [
    (True, "yes", True), ("true", "Yes", True), ("Ja", "true", True), ("1", "yes", True),
    (False, "no", True), ("no", "true", False), (True, "false", False), ("oui", "TRUE", True),
])
def test_yes_no_columns_in_the_usual_spellings(value: object, target: str,
                                               matches: bool) -> None:
    assert rule_matches(rule("demo_request", Operator.EQUALS, target), {"demo_request": value}) \
        is matches
    assert rule_matches(rule("demo_request", Operator.NOT_EQUALS, target),
                        {"demo_request": value}) is not matches


def test_a_column_an_import_kept_is_scored(tmp_path: Path) -> None:
    path = tmp_path / "Acme.awb"
    assert main(["new", str(path), "--template", "blank"]) == 0
    assert main(["import", str(path), str(FIXTURES / "salesforce_lead_report.csv")]) == 0
    revenue = rule("Annual Revenue", Operator.AT_LEAST, "100,000,000", 20)
    hot = rule("Rating", Operator.EQUALS, "hot", 5)
    with Workbook.open(path) as wb:
        leads = wb.leads.page(limit=20)
        scores = {lead.external_id[-3:]: score_lead([revenue, hot], lead.scoring_values())
                  for lead in leads if lead.external_id}
    # By hand: A05 $150,000,000 and A07 $310,000,000 are over 100 million; both are Hot,
    # as are A02, A03 and A09; A08 has no revenue given (no points, not an error).
    assert scores["A05"] == scores["A07"] == (25, 0)
    assert scores["A02"] == scores["A03"] == scores["A09"] == (5, 0)
    assert scores["A08"] == scores["A01"] == (0, 0)
