"""The SLA's lead commitment comes from the committed plan of each quarter its effective
period covers — the plan screen's own figure — or the SLA says which plan is missing; and
no number is typed into an essential term's wording."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.model import QuarterId, SlaVersionId
from workbench.plan import committed_mql_commitment, quarter_dates
from workbench.sla_commitment import NO_PERIOD, covered_quarters, quarter_label
from workbench.sla_terms import SlaDocument, build_document, missing_required, typed_numbers
from workbench.workbook import Workbook

from .snapshot import dump


def _draft(workbook: Workbook) -> SlaVersionId:
    return workbook.sla.versions()[-1].id


def _quarter(workbook: Workbook, label: str) -> QuarterId:
    return next(q.id for q in workbook.plan.quarters() if q.label == label)


def _lead_text(document: SlaDocument) -> str:
    term = document.term("leads_committed")
    assert term is not None
    return term.text()


@pytest.mark.parametrize("fiscal_start", [1, 4, 10])
def test_each_day_falls_in_the_quarter_whose_dates_hold_it(fiscal_start: int) -> None:
    for day in (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 12, 31),
                date(2027, 9, 30), date(2027, 10, 1)):
        start, end = quarter_dates(quarter_label(day, fiscal_start), fiscal_start)
        assert start <= day.isoformat() < end


def test_the_period_covers_whole_quarters_up_to_its_last_day() -> None:
    assert covered_quarters("2026-10-01", "2027-09-30", 1) == [
        "2026Q4", "2027Q1", "2027Q2", "2027Q3"]
    assert covered_quarters("2026-11-15", "2026-12-01", 1) == ["2026Q4"]
    assert covered_quarters("2026-04-01", "2027-03-31", 4) == [
        "2026Q1", "2026Q2", "2026Q3", "2026Q4"]  # fiscal year 2026 starts in April
    # Open-ended: from its first quarter to the last one with a committed plan.
    assert covered_quarters("2026-01-10", None, 1, ["2026Q3"]) == [
        "2026Q1", "2026Q2", "2026Q3"]
    assert covered_quarters("2026-01-10", None, 1) == ["2026Q1"]


def test_the_commitment_is_the_covered_quarters_plan_not_the_latest(demo: Workbook) -> None:
    vid = _draft(demo)
    demo.sla.set_details(vid, effective_from="2025-10-01", effective_to="2025-12-31")
    document = build_document(demo, vid)
    q4 = committed_mql_commitment(demo, _quarter(demo, "2025Q4"))
    latest = committed_mql_commitment(demo, _quarter(demo, "2026Q3"))
    assert q4 is not None and latest is not None and q4 != latest
    assert document.commitment is not None
    assert (document.commitment.quarter, document.commitment.per_quarter) == ("2025Q4", q4)
    assert document.commitment.per_month == committed_mql_commitment(
        demo, _quarter(demo, "2025Q4"), per_month=True)
    assert ("MQLs per quarter", f"{q4:,}") in document.term("leads_committed").facts  # type: ignore[union-attr]
    assert f"{latest:,}" not in _lead_text(document)
    assert missing_required(document) == []


def test_a_quarter_without_a_committed_plan_is_named_and_no_number_is_stated(
        demo: Workbook) -> None:
    vid = _draft(demo)
    demo.sla.set_details(vid, effective_from="2026-07-01", effective_to="2027-03-31")
    document = build_document(demo, vid)
    latest = committed_mql_commitment(demo, _quarter(demo, "2026Q3"))
    leads = document.term("leads_committed")
    assert leads is not None
    assert leads.body.startswith("Marketing delivers — marketing qualified leads per month "
                                 "(— per quarter)")
    assert ("2026Q4", "— No committed plan for 2026Q4.") in leads.facts
    assert ("2027Q1", "— No committed plan for 2027Q1.") in leads.facts
    monthly = committed_mql_commitment(demo, _quarter(demo, "2026Q3"), per_month=True)
    assert leads.facts[0] == ("2026Q3", f"{latest:,} MQLs ({monthly:,} per month), Base plan")
    assert document.commitment is None
    [error] = [e for e in missing_required(document) if e.field == "leads_committed"]
    assert "No committed plan for 2026Q4. No committed plan for 2027Q1." in error.message


def test_a_committed_plan_without_a_conversion_rate_gives_no_number(demo: Workbook) -> None:
    """The plan screen shows "—" for the MQLs; the SLA must not fall back to the stages'
    target rates or to another quarter's plan."""
    stages = demo.funnel.stages()
    sal = demo.funnel.stage_by_key("sal")
    assert sal is not None and sal.target_conversion is not None  # a fallback exists
    _, quarter = demo.plan.add_quarter("2026Q4")
    rates = {s.id: 0.5 for s in stages[:-1] if s.id != sal.id}
    demo.plan.add_plan(quarter, "Lean plan", revenue_goal=1_200_000, avg_deal_size=40_000,
                       committed=True, conversions=rates)
    assert committed_mql_commitment(demo, quarter) is None  # what the plan screen shows
    vid = _draft(demo)
    demo.sla.set_details(vid, effective_from="2026-10-01", effective_to="2026-12-31")
    document = build_document(demo, vid)
    assert document.commitment is None and document.commitments == ()
    [gap] = document.commitment_gaps
    assert gap.startswith("2026Q4 (Lean plan): No conversion rate from Sales Accepted Lead")
    assert ("2026Q4", f"— {gap}") in document.term("leads_committed").facts  # type: ignore[union-attr]
    assert "—" in document.term("leads_committed").body  # type: ignore[union-attr]
    assert any(gap in e.message for e in missing_required(document))
    demo.plan.set_conversion(demo.plan.committed_plan(quarter).id, sal.id, 0.5)  # type: ignore[union-attr]
    fixed = build_document(demo, vid)
    assert fixed.commitment is not None
    assert fixed.commitment.per_quarter == committed_mql_commitment(demo, quarter)


def test_quarters_with_different_figures_are_each_stated(demo: Workbook) -> None:
    vid = _draft(demo)
    demo.sla.set_details(vid, effective_from="2026-01-01", effective_to="2026-06-30")
    document = build_document(demo, vid)
    q1, q2 = (committed_mql_commitment(demo, _quarter(demo, label)) for label in
              ("2026Q1", "2026Q2"))
    assert [c.quarter for c in document.commitments] == ["2026Q1", "2026Q2"]
    leads = document.term("leads_committed")
    assert leads is not None
    assert f"({q1:,} in 2026Q1 and {q2:,} in 2026Q2 per quarter)" in leads.body
    assert "committed plan for 2026Q1 and 2026Q2" in leads.body
    assert [label for label, _ in leads.facts] == ["2026Q1", "2026Q2"]
    assert missing_required(document) == []


def test_without_an_effective_period_the_sla_says_so(demo: Workbook) -> None:
    vid = _draft(demo)
    demo.sla.set_details(vid, effective_from=None, effective_to=None)
    document = build_document(demo, vid)
    assert document.commitment_gaps == (NO_PERIOD,)
    assert document.term("leads_committed").facts == (  # type: ignore[union-attr]
        ("Lead commitment", f"— {NO_PERIOD}"),)
    assert any("effective period is not set" in e.message for e in missing_required(document))


def test_a_long_period_lists_the_first_gaps_and_counts_the_rest(demo: Workbook) -> None:
    vid = _draft(demo)
    demo.sla.set_details(vid, effective_from="2026-07-01", effective_to="2036-06-30")
    [error] = [e for e in missing_required(build_document(demo, vid))
               if e.field == "leads_committed"]
    assert "No committed plan for 2027Q2. … and 36 more quarters without one." in error.message


def test_a_number_typed_into_an_essential_term_blocks_export(demo: Workbook) -> None:
    vid = _draft(demo)
    assert missing_required(build_document(demo, vid)) == []
    follow_up = next(t for t in demo.sla.terms(vid) if t.key == "follow_up")
    demo.sla.edit_term(follow_up.id, body="First touch within {follow_up_hours} hours; at "
                                          "least 6 attempts over 10 working days.")
    errors = missing_required(build_document(demo, vid))
    assert [e.message for e in errors] == [
        "The wording of “Speed and depth of follow-up” has 6, 10 typed into it: numbers in "
        "the essential terms come from the settings, the funnel and the plan. Write the live "
        "value in braces instead (for example {follow_up_attempts}), or move the sentence "
        "into a further clause."]
    demo.undo()
    assert missing_required(build_document(demo, vid)) == []
    demo.sla.add_clause(vid, "Data protection", "Under the 2026 DPA, within 30 days.")
    assert missing_required(build_document(demo, vid)) == []  # a further clause may


def test_typed_numbers_ignores_placeholders_and_words() -> None:
    assert typed_numbers("{mql_per_month} leads, B2B, 24/7, 1,200 or 3.5 % by Q3") == [
        "24", "7", "1,200", "3.5"]
    assert typed_numbers("at least {follow_up_attempts} attempts") == []


def test_the_demo_states_no_typed_number_and_exports(demo: Workbook) -> None:
    vid = _draft(demo)
    document = build_document(demo, vid)
    assert document.typed_numbers == () and missing_required(document) == []
    assert not [t.key for t in demo.sla.terms(vid) if typed_numbers(t.body)]


def test_checking_the_commitment_changes_nothing(demo: Workbook) -> None:
    vid = _draft(demo)
    demo.sla.set_details(vid, effective_from="2027-01-01", effective_to="2027-03-31")
    before = dump(demo)
    missing_required(build_document(demo, vid))
    assert dump(demo) == before


def test_a_document_signed_before_these_fields_reads_back(demo: Workbook) -> None:
    import json

    document = build_document(demo, _draft(demo))
    data = json.loads(document.to_json())
    for name in ("commitments", "commitment_gaps", "typed_numbers"):
        del data["document"][name]
    del data["document"]["commitment"]["monthly"]
    old = SlaDocument.from_json(json.dumps(data))
    assert old.commitment is not None and old.commitments == ()
    assert old.commitment.per_quarter == document.commitment.per_quarter  # type: ignore[union-attr]
