"""What a new workbook holds: the blank template's classic funnel, and the demo company,
built deterministically, whose actuals agree with the leads they come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.model import SlaStatus
from workbench.templates import DEFAULT_DISPOSITIONS, funnel_models
from workbench.workbook import Workbook

CLASSIC = funnel_models()["classic"]["stages"]


def test_blank_has_the_classic_funnel_and_dispositions(blank: Workbook) -> None:
    stages = blank.funnel.stages()
    assert [(s.key, s.name) for s in stages] == [(s["key"], s["name"]) for s in CLASSIC]
    assert [s.position for s in stages] == list(range(len(CLASSIC)))
    codes = blank.db.conn.execute("SELECT code, disposed FROM disposition_codes ORDER BY position")
    assert [tuple(r) for r in codes] == [(code, 1) for code, _, _ in DEFAULT_DISPOSITIONS] + [
        ("new", 0), ("open", 0)]  # what a status column says before any disposition
    properties = blank.properties()
    assert (properties.company_name, properties.template) == ("New company", "blank")
    summary = blank.summary()
    assert (summary["quarters"], summary["leads"], summary["sla_versions"]) == (0, 0, 0)
    assert blank.undo_name is None and blank.change_log() == []


def test_blank_takes_the_given_company_name(tmp_path: Path) -> None:
    with Workbook.create(tmp_path / "ACME.awb", company_name="  ACME GmbH ") as workbook:
        assert workbook.properties().company_name == "ACME GmbH"


def test_demo_company(demo: Workbook) -> None:
    assert demo.properties().company_name == "Brightline Logistics Software"
    assert demo.properties().template == "demo"
    assert len(demo.funnel.stages()) == 7
    quarters = demo.plan.quarters()
    assert len(quarters) == 6
    for quarter in quarters:
        assert [p.name for p in demo.plan.plans(quarter.id) if p.committed] == ["Base plan"]
        assert demo.actuals.totals(quarter.id), f"no actuals in {quarter.label}"
    assert 2_000 <= demo.leads.count() <= 10_000
    versions = demo.sla.versions()
    assert [(v.number, v.status) for v in versions] == [(1, SlaStatus.DRAFT)]
    assert len(demo.sla.signatories(versions[0].id)) == 2
    assert demo.sla.terms(versions[0].id)
    assert demo.scoring.rules()
    assert demo.undo_name is None


def test_a_new_demo_has_its_lead_summaries_written_so_its_first_numbers_are_quick(
        demo: Workbook) -> None:
    from workbench import closed_loop
    from workbench.imports import summaries

    conn = demo.db.conn
    assert summaries.is_current(conn, closed_loop.mql_stage(demo))
    assert closed_loop.refresh(demo) is False  # nothing to summarise when first read
    assert demo.undo_name is None


def test_demo_takes_the_given_company_name(tmp_path: Path) -> None:
    with Workbook.create(tmp_path / "Own.awb", "demo", company_name="Own Co") as workbook:
        assert workbook.properties().company_name == "Own Co"


DETERMINISTIC = ("leads", "lead_stage_dates", "actuals", "stages", "scoring_rules", "plans",
                 "plan_conversions", "sla_terms", "sla_signatories", "workshop_answers")


def test_demo_is_the_same_every_time(tmp_path: Path, demo_path: Path) -> None:
    again = tmp_path / "again.awb"
    Workbook.create(again, "demo").close()
    with Workbook.open(demo_path) as first, Workbook.open(again) as second:
        for table in DETERMINISTIC:
            query = f"SELECT * FROM {table} ORDER BY 1, 2, 3"
            rows = first.db.conn.execute(query).fetchall()
            assert rows, table
            assert second.db.conn.execute(query).fetchall() == rows, table


@pytest.fixture
def quarters(demo: Workbook) -> list[tuple[int, str, str]]:
    return demo.db.conn.execute("SELECT id, start_date, end_date FROM quarters").fetchall()


def test_demo_inquiries_per_quarter_are_the_leads_created_in_it(
    demo: Workbook, quarters: list[tuple[int, str, str]]
) -> None:
    inquiry = demo.funnel.stage_by_key("inquiry")
    assert inquiry is not None
    conn = demo.db.conn
    for quarter_id, start, end in quarters:
        created = conn.execute(
            "SELECT source, count(*) FROM leads WHERE created_at >= ? AND created_at < ? "
            "GROUP BY source", (start, end)).fetchall()
        recorded = conn.execute(
            "SELECT source, count FROM actuals WHERE quarter_id = ? AND stage_id = ?",
            (quarter_id, inquiry.id)).fetchall()
        assert sorted(recorded) == sorted(created)
        assert sum(n for _, n in created) > 300


def test_demo_actuals_count_the_leads_reaching_each_stage(
    demo: Workbook, quarters: list[tuple[int, str, str]]
) -> None:
    conn = demo.db.conn
    for stage in demo.funnel.stages():
        if stage.key == "visit":
            continue  # visits come before a lead exists: estimated from inquiries
        for quarter_id, start, end in quarters:
            reached = conn.execute(
                "SELECT count(*), coalesce(sum(l.amount), 0) FROM lead_stage_dates d "
                "JOIN leads l ON l.id = d.lead_id "
                "WHERE d.stage_id = ? AND d.reached_at >= ? AND d.reached_at < ?",
                (stage.id, start, end)).fetchone()
            recorded = conn.execute(
                "SELECT coalesce(sum(count), 0), coalesce(sum(value), 0) FROM actuals "
                "WHERE stage_id = ? AND quarter_id = ?", (stage.id, quarter_id)).fetchone()
            assert recorded[0] == reached[0], (stage.key, quarter_id)
            if stage.key in ("opportunity", "customer"):
                assert recorded[1] == pytest.approx(reached[1])


def test_demo_funnel_narrows_every_quarter(demo: Workbook) -> None:
    order = [s.id for s in demo.funnel.stages()]
    customers = 0
    for quarter in demo.plan.quarters():
        totals = demo.actuals.totals(quarter.id)
        counts = [totals.get(stage_id, 0) for stage_id in order]
        assert counts == sorted(counts, reverse=True), quarter.label
        customers += counts[-1]
    assert customers > 10  # deals close a quarter or more after the lead came in
