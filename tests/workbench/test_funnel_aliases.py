"""The glossary mapping: CRM names per stage, resolving a CRM export's stage name to a
stage, and the built-in suggestions of common CRM names."""

from __future__ import annotations

import pytest

from workbench.funnel_glossary import canonical_stages, loose
from workbench.workbook import Workbook

from .test_funnel import assert_refused, assert_round_trip, sid


@pytest.fixture
def wb() -> Workbook:
    return Workbook.in_memory("blank")


def test_crm_names_are_stored_trimmed_with_the_crm_spelled_as_the_glossary_does(
    wb: Workbook,
) -> None:
    mql = sid(wb, "mql")
    assert_round_trip(wb, "Edit CRM names", lambda: wb.funnel.set_aliases(mql, [
        (" hubspot ", " Marketing  Qualified Lead "),
        ("HubSpot", "marketingqualifiedlead"),  # the same name to an import: kept once
        ("Salesforce", "Marketing Qualified"),
        ("Salesforce", "   "),  # nothing to map: ignored
    ]))
    assert wb.funnel.aliases(mql) == [("HubSpot", "Marketing Qualified Lead"),
                                      ("Salesforce", "Marketing Qualified")]


def test_replacing_crm_names_with_none_is_undoable(demo: Workbook) -> None:
    mql = sid(demo, "mql")
    assert_round_trip(demo, "Edit CRM names", lambda: demo.funnel.set_aliases(mql, []))
    assert demo.funnel.aliases(mql) == []


def test_setting_the_same_crm_names_again_adds_no_undo_step(demo: Workbook) -> None:
    mql = sid(demo, "mql")
    assert demo.funnel.set_aliases(mql, demo.funnel.aliases(mql)).empty
    assert demo.undo_name is None


def test_a_name_one_crm_already_gives_another_stage_is_refused(demo: Workbook) -> None:
    assert_refused(
        demo, "aliases",
        "“open - not contacted” in Salesforce already maps to the stage “Inquiry”.",
        lambda: demo.funnel.set_aliases(sid(demo, "mql"), [("salesforce", "open - not contacted")]),
    )


def test_the_same_name_in_another_crm_is_allowed(demo: Workbook) -> None:
    demo.funnel.set_aliases(sid(demo, "mql"), [("Pipedrive", "Open - Not Contacted")])
    assert demo.funnel.resolve_alias("Open - Not Contacted", "Pipedrive").key == "mql"
    assert demo.funnel.resolve_alias("Open - Not Contacted", "Salesforce").key == "inquiry"


@pytest.mark.parametrize(("name", "crm", "key"), [
    ("  open -  NOT contacted ", "Salesforce", "inquiry"),  # alias, case and spaces ignored
    ("Working - Contacted", None, "sal"),  # alias of any CRM when none is named
    ("Qualified", "salesforce", "sql"),
    ("Lead", "HubSpot", "inquiry"),  # HubSpot's "Lead" is this company's Inquiry
    ("Closed Won", "Salesforce", "customer"),
    ("SAL", None, "sal"),  # a stage key
    ("sales qualified lead", "HubSpot", "sql"),
    ("Sales-Accepted Lead", None, "sal"),  # a stage name, punctuation ignored
    ("marketingqualifiedlead", "HubSpot", "mql"),  # HubSpot's internal value
])
def test_resolve_alias_finds_the_stage_an_import_means(
    demo: Workbook, name: str, crm: str | None, key: str
) -> None:
    stage = demo.funnel.resolve_alias(name, crm)
    assert stage is not None and stage.key == key


@pytest.mark.parametrize("name", ["", "   ", "Churned", "Opportunity lost"])
def test_resolve_alias_returns_none_for_names_it_does_not_know(demo: Workbook, name: str) -> None:
    assert demo.funnel.resolve_alias(name, "Salesforce") is None


def test_a_crm_alias_wins_over_another_stages_name(wb: Workbook) -> None:
    wb.funnel.set_aliases(sid(wb, "inquiry"), [("HubSpot", "Opportunity")])
    assert wb.funnel.resolve_alias("opportunity", "HubSpot").key == "inquiry"
    assert wb.funnel.resolve_alias("opportunity", "Salesforce").key == "opportunity"
    assert wb.funnel.resolve_alias("opportunity").key == "opportunity"


def test_a_name_two_crms_map_to_different_stages_is_ambiguous_without_the_crm(
    wb: Workbook,
) -> None:
    wb.funnel.set_aliases(sid(wb, "sal"), [("Salesforce", "Working")])
    wb.funnel.set_aliases(sid(wb, "sql"), [("Pipedrive", "Working")])
    assert wb.funnel.resolve_alias("working") is None
    assert wb.funnel.resolve_alias("working", "Pipedrive").key == "sql"


def test_a_resolver_built_once_answers_many_rows(demo: Workbook) -> None:
    resolve = demo.funnel.stage_resolver("HubSpot")
    found = [resolve(name) for name in ["Lead", "Customer", "Evangelist"]]
    assert [s.key if s else None for s in found] == ["inquiry", "customer", None]


def test_suggestions_come_from_the_glossary_and_skip_names_already_mapped(wb: Workbook) -> None:
    mql, sql = sid(wb, "mql"), sid(wb, "sql")
    assert wb.funnel.suggest_aliases(mql) == [("HubSpot", "Marketing Qualified Lead")]
    assert wb.funnel.suggest_aliases(wb.funnel.stage(sql)) == [
        ("HubSpot", "Sales Qualified Lead"), ("Salesforce", "Closed - Converted"),
        ("Microsoft Dynamics 365", "Qualified")]
    wb.funnel.set_aliases(sql, [("Salesforce", "closed - converted")])
    wb.funnel.set_aliases(sid(wb, "opportunity"), [("HubSpot", "Sales Qualified Lead")])
    assert wb.funnel.suggest_aliases(sql) == [("Microsoft Dynamics 365", "Qualified")]


def test_a_stage_the_glossary_does_not_know_gets_no_suggestions(wb: Workbook) -> None:
    _, stage_id = wb.funnel.add_stage("Pilot project")
    assert wb.funnel.suggest_aliases(stage_id) == []


def test_a_renamed_stage_is_still_recognised_by_its_crm_names(wb: Workbook) -> None:
    mql = sid(wb, "mql")
    wb.funnel.update_stage(mql, name="Hot lead", key="hot_lead")
    wb.funnel.set_aliases(mql, [("Salesforce", "MQL")])
    assert wb.funnel.suggest_aliases(mql) == [("HubSpot", "Marketing Qualified Lead")]


@pytest.mark.parametrize(("hubspot", "canonical"), [
    ("subscriber", "visit"), ("lead", "inquiry"), ("marketingqualifiedlead", "mql"),
    ("salesqualifiedlead", "sql"), ("opportunity", "opportunity"), ("customer", "customer"),
    ("evangelist", "evangelist"),
])
def test_the_glossary_knows_hubspots_lifecycle_stages(hubspot: str, canonical: str) -> None:
    names = {c.key: {loose(n) for crm, n in c.crm_names if crm == "HubSpot"}
             for c in canonical_stages()}
    assert loose(hubspot) in names[canonical]


@pytest.mark.parametrize(("status", "canonical"), [
    ("Open - Not Contacted", "inquiry"), ("Working - Contacted", "sal"),
    ("Closed - Converted", "sql"), ("Closed - Not Converted", "disqualified"),
])
def test_the_glossary_knows_salesforces_lead_statuses(status: str, canonical: str) -> None:
    owner = [c.key for c in canonical_stages() if ("Salesforce", status) in c.crm_names]
    assert owner == [canonical]
