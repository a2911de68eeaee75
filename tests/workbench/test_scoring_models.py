"""Several scoring models, the 2×2's actions and MQL rule, sales capacity and buyer
personas: each edit one undo step, each refusal a message with nothing changed; the SLA's
"sales-ready lead" term and the funnel's MQL stage follow the SLA model's thresholds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from workbench.errors import ValidationError
from workbench.model import Agreement, ModelId, PersonaId, Quadrant, Trait
from workbench.sales_ready import sales_ready_facts, sales_ready_rule
from workbench.sla_terms import build_document
from workbench.workbook import Workbook

from .snapshot import dump


def _sales_ready(wb: Workbook) -> dict[str, str]:
    version = wb.sla.versions()[0].id
    return dict(build_document(wb, version).term("sales_ready").facts)


def test_each_model_has_its_own_rules_and_thresholds(demo: Workbook) -> None:
    fleet = demo.scoring.model()
    _, parts = demo.scoring.add_model("Spare parts")
    demo.scoring.add_rule(parts, kind="fit", attribute="industry", operator="equals",
                          value="Retail", points=40)
    demo.scoring.set_thresholds(parts, mql_threshold=35)
    assert [r.label or r.attribute for r in demo.scoring.rules(parts)] == ["industry"]
    assert demo.scoring.settings(parts).mql_threshold == 35
    assert demo.scoring.settings().mql_threshold == fleet.settings.mql_threshold == 60
    assert len(demo.scoring.rules()) == 11  # the SLA's model is untouched
    assert demo.scoring.quadrants(parts)[Quadrant.SALES_NOW].counts_as_mql


def test_the_sla_states_the_model_it_uses_and_follows_a_switch(demo: Workbook) -> None:
    _, parts = demo.scoring.add_model("Spare parts", copy_of=demo.scoring.model().id)
    demo.scoring.set_thresholds(parts, mql_threshold=45)
    assert _sales_ready(demo)["Scoring model"] == "Fleet platform"
    demo.scoring.use_for_sla(parts)
    facts = _sales_ready(demo)
    assert facts["Scoring model"] == "Spare parts"
    assert facts["Score"] == "at least 45 points"
    demo.undo()
    assert _sales_ready(demo)["Scoring model"] == "Fleet platform"
    assert [m.used_by_sla for m in demo.scoring.models()] == [True, False]


def test_sla_and_funnel_texts_follow_a_threshold_change(demo: Workbook) -> None:
    rule = ("a total score of at least 60 points with a fit score of at least 20 points")
    assert sales_ready_rule(demo) == rule
    assert _sales_ready(demo)["MQL rule"] == rule
    demo.scoring.set_thresholds(mql_threshold=70, fit_threshold=25)
    rule = "a total score of at least 70 points with a fit score of at least 25 points"
    assert _sales_ready(demo)["MQL rule"] == rule
    assert dict(sales_ready_facts(demo))["MQL rule"] == rule
    version = demo.sla.versions()[0].id
    term = next(t for t in demo.sla.terms(version) if t.key == "sales_ready")
    demo.sla.edit_term(term.id, body="Sales-ready: {mql_rule}.")
    assert build_document(demo, version).term("sales_ready").body == f"Sales-ready: {rule}."


def test_quadrant_actions_fill_in_the_agreed_follow_up_hours(demo: Workbook) -> None:
    facts = _sales_ready(demo)
    assert facts["Fit and interest"] == "Sales follows up within 24 hours."
    mql = demo.funnel.stage_by_key("mql")
    assert mql is not None
    demo.funnel.update_stage(mql.id, max_hours=8)
    assert _sales_ready(demo)["Fit and interest"] == "Sales follows up within 8 hours."
    demo.scoring.set_quadrant("qualify", action="SDR قيّم within 2 days <b>")
    assert _sales_ready(demo)["Low fit, interest"] == "SDR قيّم within 2 days <b>"


@pytest.mark.parametrize(("counted", "text"), [
    ({"sales_now"}, "a total score of at least 60 points with a fit score of at least 20 "
                    "points and an interest score of at least 30 points"),
    ({"sales_now", "qualify"}, "a total score of at least 60 points with an interest score "
                               "of at least 30 points"),
    ({"sales_now", "nurture", "qualify", "no_action"}, "a total score of at least 60 points"),
    ({"nurture", "no_action"}, "a total score of at least 60 points, in the quadrants fit, "
                               "low interest, neither"),
])
def test_the_mql_rule_is_stated_from_the_quadrants_chosen(demo: Workbook, counted: set[str],
                                                          text: str) -> None:
    for quadrant in Quadrant:  # switch on first, so that one always counts
        demo.scoring.set_quadrant(quadrant, counts_as_mql=True)
    for quadrant in Quadrant:
        if quadrant.value not in counted:
            demo.scoring.set_quadrant(quadrant, counts_as_mql=False)
    assert sales_ready_rule(demo) == text


def test_personas_keep_both_teams_wording_and_the_agreed_text(blank: Workbook) -> None:
    personas = blank.scoring.personas
    _, persona = personas.add_persona("  Ops   leader ")
    personas.set_proposal(persona, "role", "marketing", "Runs operations")
    personas.set_proposal(persona, "role", "sales", "Head of logistics 物流")
    personas.adopt(persona, "role", "sales")
    role = personas.traits(persona)[Trait.ROLE]
    assert (role.marketing, role.sales, role.agreed, role.agreement) == (
        "Runs operations", "Head of logistics 物流", "Head of logistics 物流", Agreement.AGREED)
    assert [p.name for p in personas.personas()] == ["Ops leader"]
    personas.dispute(persona, "role")
    assert personas.traits(persona)[Trait.ROLE].agreement is Agreement.DISPUTED
    blank.undo()
    blank.undo()
    assert personas.traits(persona)[Trait.ROLE].agreed == ""


def test_deleting_a_persona_keeps_its_rules_points(demo: Workbook) -> None:
    persona = demo.scoring.personas.personas()[0]
    linked = [r for r in demo.scoring.rules() if r.trait_id is not None]
    demo.scoring.personas.delete_persona(persona.id)
    rules = demo.scoring.rules()
    assert len(rules) == 11 and all(r.trait_id is None for r in rules)
    demo.undo()
    assert [r.trait_id for r in demo.scoring.rules() if r.trait_id] == \
        [r.trait_id for r in linked]


def _model(wb: Workbook) -> ModelId:
    return wb.scoring.model().id


def _persona(wb: Workbook) -> PersonaId:
    return wb.scoring.personas.personas()[0].id


REFUSED: dict[str, tuple[Callable[[Workbook], object], str]] = {
    "model without a name": (lambda wb: wb.scoring.add_model("   "),
                             "Give the model a name, such as its product line."),
    "model named twice": (lambda wb: wb.scoring.add_model("fleet PLATFORM"),
                          "There is already a model called “fleet PLATFORM”."),
    "delete the SLA's model": (lambda wb: wb.scoring.delete_model(_model(wb)),
                               "The SLA uses “Fleet platform”: choose another model for the "
                               "SLA before deleting this one."),
    "a model that is gone": (lambda wb: wb.scoring.set_thresholds(ModelId(999), mql_threshold=5),
                             "That scoring model no longer exists."),
    "threshold with a fraction": (lambda wb: wb.scoring.set_thresholds(mql_threshold="55,5"),
                                  "A threshold is a whole number of points."),
    "threshold as words": (lambda wb: wb.scoring.set_thresholds(fit_threshold="<b>20</b>"),
                           "A threshold is a whole number of points."),
    "no quadrant counts": (lambda wb: wb.scoring.set_quadrant("sales_now", counts_as_mql=False)
                           and wb.scoring.set_quadrant("nurture", counts_as_mql=False),
                           "At least one quadrant's leads must count as MQLs."),
    "unknown quadrant": (lambda wb: wb.scoring.set_quadrant("hot", action="Call"),
                         "Unknown quadrant 'hot'."),
    "negative capacity": (lambda wb: wb.scoring.set_capacity(rep_hours_per_month="-4"),
                          "Enter a number of hours of 0 or more."),
    "zero hours per MQL": (lambda wb: wb.scoring.set_capacity(hours_per_mql="0"),
                           "Enter a number of hours above 0."),
    "persona named twice": (lambda wb: wb.scoring.personas.add_persona("OPERATIONS leader"),
                            "There is already a persona called “OPERATIONS leader”."),
    "agree nothing": (lambda wb: wb.scoring.personas.agree(_persona(wb), "pains", "  "),
                      "Write the agreed text before marking it agreed."),
    "adopt an empty proposal": (
        lambda wb: wb.scoring.personas.adopt(
            wb.scoring.personas.add_persona("New")[1], "region", "sales"),
        "Sales has not written the region yet."),
    "unknown trait": (lambda wb: wb.scoring.personas.agree(_persona(wb), "shoe size", "x"),
                      "Unknown persona trait 'shoe size'."),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_bad_input_is_refused_with_a_message_and_nothing_changes(name: str,
                                                                 demo: Workbook) -> None:
    act, message = REFUSED[name]
    before = dump(demo)
    with pytest.raises(ValidationError) as refused:
        act(demo)
    assert refused.value.message == message
    if name not in ("no quadrant counts", "adopt an empty proposal"):
        assert dump(demo) == before and demo.undo_name is None


def test_use_for_sla_and_delete_model_undo_round_trip(demo: Workbook) -> None:
    _, parts = demo.scoring.add_model("Spare parts", copy_of=_model(demo))
    before = dump(demo)
    demo.scoring.use_for_sla(parts)
    fleet = next(m for m in demo.scoring.models() if m.name == "Fleet platform")
    demo.scoring.delete_model(fleet.id)
    assert [m.name for m in demo.scoring.models()] == ["Spare parts"]
    demo.undo()
    demo.undo()
    assert dump(demo) == before
    demo.redo()
    assert demo.scoring.model().name == "Spare parts"


def test_the_checker_names_a_rule_on_a_field_no_lead_has(blank: Workbook) -> None:
    from workbench.checker import check_funnel

    from .scored_leads import write_scored_leads

    _, rule_id = blank.scoring.add_rule(kind="interest", attribute="Webinar 🎥",
                                        operator="exists", points=10, label="Webinar")
    assert [p for p in check_funnel(blank) if p.rule == "scoring_rule_unknown_field"] == []
    write_scored_leads(blank)  # leads arrive without that column
    found = [p for p in check_funnel(blank) if p.rule == "scoring_rule_unknown_field"]
    assert [(p.message, p.target) for p in found] == [(
        "The scoring rule “Webinar” looks at “Webinar 🎥”, which no lead has, so its points "
        "never count. Fix it on the Scoring screen.", ("scoring", int(rule_id)))]
