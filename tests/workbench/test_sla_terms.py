"""The structured SLA comes from the live workbook, refuses to go out without its
required terms, round-trips through JSON, and the redline finds each change."""

from __future__ import annotations

import pytest

from workbench.errors import ValidationError
from workbench.plan import reverse_funnel
from workbench.sla_terms import (
    SlaDocument,
    build_document,
    check_required,
    fill_placeholders,
    redline,
)
from workbench.workbook import Workbook


def test_terms_follow_the_live_definitions(demo: Workbook) -> None:
    vid = demo.sla.versions()[-1].id
    document = build_document(demo, vid)
    plan = [p for p in demo.plan.plans() if p.committed][-1]
    stages = demo.funnel.stages()
    rates = [demo.plan.conversions(plan.id)[s.id] for s in stages[:-1]]
    mqls = reverse_funnel(plan.revenue_goal or 0, plan.avg_deal_size or 1, rates)[2]
    assert document.commitment is not None and document.commitment.per_quarter == mqls
    leads = document.term("leads_committed")
    assert leads is not None and ("MQLs per quarter", f"{mqls:,}") in leads.facts
    mql = demo.funnel.stage_by_key("mql")
    assert mql is not None
    demo.funnel.update_stage(mql.id, max_hours=12)
    demo.sla.set_parameter(vid, "follow_up_attempts", 8)
    follow_up = build_document(demo, vid).term("follow_up")
    assert follow_up is not None
    assert ("First touch within", "12 h") in follow_up.facts
    assert ("Attempts", "8") in follow_up.facts
    disposition = build_document(demo, vid).term("disposition")
    assert disposition is not None and ("Not a fit (not_a_fit)", "Outside the ideal customer "
                                        "profile.") in disposition.facts


def test_placeholders_fill_from_the_workbook_and_unknown_ones_stay_literal(
        blank: Workbook) -> None:
    _, vid = blank.sla.new_version()
    term = blank.sla.terms(vid)[5]
    blank.sla.edit_term(term.id, body="Within {follow_up_hours} h, {follow_up_attempts} tries; "
                                      "{not_a_field} and {{braces}}")
    body = build_document(blank, vid).term(term.key).body  # type: ignore[union-attr]
    mql = blank.funnel.stage_by_key("mql")
    hours = f"{mql.max_hours:g}" if mql and mql.max_hours is not None else ""
    assert body == f"Within {hours} h, 6 tries; {{not_a_field}} and {{{{braces}}}}"
    assert fill_placeholders("{a}{b}", {"a": "1"}) == "1{b}"


def test_a_missing_lead_number_or_follow_up_time_is_a_clear_error(demo: Workbook) -> None:
    vid = demo.sla.versions()[-1].id
    check_required(build_document(demo, vid))
    mql = demo.funnel.stage_by_key("mql")
    assert mql is not None
    demo.funnel.update_stage(mql.id, max_hours=None)
    with pytest.raises(ValidationError, match="no follow-up time") as caught:
        check_required(build_document(demo, vid))
    assert caught.value.field == "follow_up"
    demo.undo()
    demo.db.conn.execute("UPDATE plans SET committed = 0")
    with pytest.raises(ValidationError, match="no lead number") as caught:
        check_required(build_document(demo, vid))
    assert caught.value.field == "leads_committed"


def test_the_document_round_trips_through_json(demo: Workbook) -> None:
    document = build_document(demo, demo.sla.versions()[-1].id)
    assert SlaDocument.from_json(document.to_json()) == document
    with pytest.raises(ValidationError, match="not SLA terms"):
        SlaDocument.from_json('{"format": "something else"}')


def test_the_redline_finds_each_changed_term(demo: Workbook) -> None:
    first = demo.sla.versions()[-1].id
    demo.sla.add_clause(first, "Data protection", "Leads are processed under the DPA.")
    old = build_document(demo, first)
    _, second = demo.sla.new_version()
    terms = {t.key: t for t in demo.sla.terms(second)}
    demo.sla.edit_term(terms["delivery"].id, body="MQLs are routed twice a day.")
    demo.sla.set_parameter(second, "follow_up_days", 5)
    demo.sla.delete_term([t for t in terms.values() if t.key.startswith("clause_")][0].id)
    demo.sla.add_clause(second, "Shared dashboard", "Both teams read the same dashboard.")
    demo.sla.set_details(second, review_cadence="Monthly SLA review")
    changes = {c.key: c for c in redline(old, build_document(demo, second))}
    assert changes["delivery"].kind == "changed"
    def words(change_key: str, op: str) -> str:
        return "".join(text for kind, text in changes[change_key].diff if kind == op)

    assert "twice" in words("delivery", "insert") and "day." in words("delivery", "insert")
    assert "weekly digest" in words("delivery", "delete")
    assert "MQLs are routed" not in words("delivery", "delete")  # unchanged words stay equal
    # The days are in the wording ("over 10 days") and in the facts ("Over: 10 days").
    assert words("follow_up", "delete").split() == ["10", "10"]
    assert words("follow_up", "insert").split() == ["5", "5"]
    kinds = sorted((c.kind, c.title) for c in changes.values() if c.key.startswith("clause_"))
    assert kinds == [("added", "Shared dashboard"), ("removed", "Data protection")]
    assert changes["_review"].kind == "changed"
    assert "leads_committed" not in changes and "sales_ready" not in changes
