"""Rules as users write them: every comparison on typed values, decay by age, and the
rules that are refused (and change nothing) because they could never mean what they say."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from workbench.errors import ValidationError
from workbench.model import Operator, RuleId, RuleKind, ScoringRule
from workbench.rule_match import decayed, number_range, rule_matches
from workbench.workbook import Workbook

from .scored_leads import scored_workbook
from .snapshot import dump


def rule(attribute: str, operator: Operator, value: str = "") -> ScoringRule:
    return ScoringRule(RuleId(1), RuleKind.FIT, attribute, operator, value, 10, "", 0)


@pytest.mark.parametrize(("operator", "value", "lead", "matches"), [
    (Operator.EQUALS, "Müller GmbH", "müller gmbh", True),
    (Operator.EQUALS, "yes", True, True),
    (Operator.EQUALS, "1,200", 1200, True),
    (Operator.NOT_EQUALS, "DE", "AT", True),
    (Operator.NOT_EQUALS, "DE", "de ", False),
    (Operator.IN, "DE, AT, 中国", "中国", True),
    (Operator.IN, "DE, AT", "FR", False),
    (Operator.CONTAINS, "director", "Regional Director, EMEA", True),
    (Operator.CONTAINS, "مدير", "مدير المبيعات", True),
    (Operator.CONTAINS, "<b", "<b>COO</b>", True),
    (Operator.AT_LEAST, "1.000", "1,200", True),
    (Operator.AT_LEAST, "1,000", 999, False),
    (Operator.AT_MOST, "12.500,50", "12,500.50", True),
    (Operator.BETWEEN, "200..5,000", 5000, True),
    (Operator.BETWEEN, "200 – 5.000", "199", False),
    (Operator.BETWEEN, "1,000 to 2,000", "1 500", True),
    (Operator.IS_EMPTY, "", None, True),
    (Operator.IS_EMPTY, "", "   ", True),
    (Operator.IS_EMPTY, "", "0", False),
    (Operator.EXISTS, "", "🙂", True),
    (Operator.EXISTS, "", "", False),
    (Operator.AT_LEAST, "10", "ten", False),
])
def test_every_comparison(operator: Operator, value: str, lead: object, matches: bool) -> None:
    assert rule_matches(rule("field", operator, value), {"field": lead}) is matches


def test_a_field_the_lead_lacks_matches_only_is_empty() -> None:
    for operator in Operator:
        assert rule_matches(rule("missing", operator, "1"), {}) is (operator is Operator.IS_EMPTY)


@pytest.mark.parametrize(("text", "bounds"), [
    ("10..50", (10, 50)), ("1,000 to 5,000", (1000, 5000)), ("10 – 50", (10, 50)),
    ("50..10", None), ("10", None), ("a..b", None),
])
def test_ranges_as_typed(text: str, bounds: tuple[float, float] | None) -> None:
    assert number_range(text) == bounds


@pytest.mark.parametrize(("age", "points"), [
    (0, 10), (30, 5), (60, 2), (90, 1), (-3, 10), (None, 10), (float("nan"), 10)])
def test_interest_halves_every_half_life(age: float | None, points: int) -> None:
    # 60 days: 2.5 points, rounded half to even (as numpy rounds the whole column).
    assert decayed(10, age, 30) == points
    assert decayed(10, age, None) == 10


def _adds(**fields: object) -> Callable[[Workbook], object]:
    base = {"kind": "fit", "operator": "equals", "value": "x", "points": 5}
    return lambda wb: wb.scoring.add_rule(**{**base, **fields})


REFUSED = {
    "field no lead has": (_adds(attribute="Shoe size"),
                          "attribute", "No lead has a field “Shoe size”."),
    "text compared with ≥": (_adds(attribute="industry", operator="at_least", value="5"),
                             "operator", "“industry” holds text, so it cannot be compared "
                                         "with “≥”"),
    "an empty list": (_adds(attribute="industry", operator="in", value=" , ,"),
                      "value", "The list is empty: name at least one value, separated by "
                               "commas."),
    "a number that is none": (_adds(attribute="employees", operator="at_least", value="lots"),
                              "value", "“employees” holds numbers, and “lots” is not one."),
    "a range upside down": (_adds(attribute="employees", operator="between", value="500..50"),
                            "value", "“500..50” is not a range: give two numbers, the lower "
                                     "first, such as 50..500."),
    "yes/no that is neither": (_adds(kind="interest", attribute="demo_request",
                                     value="maybe"),
                               "value", "“demo_request” is yes or no, and “maybe” is neither."),
    "equals nothing": (_adds(attribute="industry", value="  "),
                       "value", "Give the value “industry” is compared with"),
    "fit that decays": (_adds(attribute="industry", value="Retail", half_life_days=30),
                        "half_life_days", "Only interest points decay with age"),
    "decay from a text": (_adds(kind="interest", attribute="demo_request", value="yes",
                                half_life_days=30, dated_by="industry"),
                          "dated_by", "Age is counted from a date, and “industry” holds no "
                                      "dates."),
    "a half-life of 0": (_adds(kind="interest", attribute="demo_request", value="yes",
                               half_life_days="0"),
                         "half_life_days", "The half-life is a number of days above 0."),
    "points with a fraction": (_adds(attribute="industry", value="Retail", points="2,5"),
                               "points", "Points must be a whole number."),
    "a rule edited into text ≥": (
        lambda wb: wb.scoring.update_rule(wb.scoring.rules()[0].id, operator="at_least"),
        "operator", "“industry” holds text"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_rule_that_cannot_mean_what_it_says_is_refused_and_nothing_changes(
        name: str, blank: Workbook) -> None:
    wb = scored_workbook(blank)
    act, field, message = REFUSED[name]
    before, undo = dump(wb), wb.undo_name
    with pytest.raises(ValidationError) as refused:
        act(wb)
    assert refused.value.field == field
    assert message in refused.value.message
    assert dump(wb) == before and wb.undo_name == undo


def test_before_any_lead_is_imported_a_rule_on_a_future_column_is_kept(
        blank: Workbook) -> None:
    _, rule_id = blank.scoring.add_rule(kind="interest", attribute="Webinar 🎥", operator="exists",
                                        points=10, half_life_days=14)
    assert blank.scoring.rule(rule_id).attribute == "Webinar 🎥"
    with pytest.raises(ValidationError, match="holds numbers"):
        blank.scoring.add_rule(kind="fit", attribute="Seats", operator="at_least", value="many",
                               points=5)


def test_rules_store_decay_and_the_persona_trait_they_encode(demo: Workbook) -> None:
    persona = demo.scoring.personas.personas()[0]
    trait = demo.scoring.personas.traits(persona.id)
    size = next(t for t in trait.values() if t.trait.value == "company_size")
    _, rule_id = demo.scoring.add_rule(kind="fit", attribute="employees", operator="between",
                                       value="1,000..10,000", points=5, trait_id=size.id)
    assert demo.scoring.personas.trait_label(demo.scoring.rule(rule_id).trait_id) == \
        "Operations leader · Company size"
    demo.undo()
    assert all(r.id != rule_id for r in demo.scoring.rules())


def test_the_fields_a_rule_can_name_follow_imports_and_their_undo(blank: Workbook,
                                                                  tmp_path) -> None:
    from workbench.imports import Mapping, import_leads
    from workbench.lead_attributes import attribute_kinds, attribute_names

    assert "Employees" not in blank.scoring.field_kinds()
    export = tmp_path / "leads.csv"
    export.write_text("ID,Created,Employees,Partner,Région\n1,2026-01-05,250,yes,Île\n"
                      "2,2026-01-06,12,no,Nord\n", encoding="utf-8")
    import_leads(blank, export, Mapping(fields={"external_id": "ID", "created": "Created"},
                                        date_format="iso"))
    kinds = blank.scoring.field_kinds()
    assert (kinds["Employees"], kinds["Partner"], kinds["Région"]) == (
        "number", "boolean", "text")
    # The Funnel's checks read only the names, untyped: the same set.
    assert attribute_names(blank.db.conn) == set(attribute_kinds(blank.db.conn)) == {
        "Employees", "Partner", "Région"}
    blank.undo()
    assert "Employees" not in blank.scoring.field_kinds()
    blank.redo()
    assert blank.scoring.field_kinds()["Employees"] == "number"
