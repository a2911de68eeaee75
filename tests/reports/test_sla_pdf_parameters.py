"""Every number and setting the SLA PDF states comes from the SLA's parameters, the funnel,
the scoring model and the committed plan: change each one and the PDF says the new value,
and nowhere the old one where it was stated. A missing plan is named, never filled in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reports.sla_export import export_sla
from reports.sla_pdf import build_sla_pdf
from ui.cli import main
from workbench.figure_text import format_percent
from workbench.model import SlaVersionId
from workbench.plan import committed_mql_commitment
from workbench.sla_facts import PARAMETER_DEFAULTS
from workbench.sla_terms import build_document
from workbench.workbook import Workbook

from ..workbench.snapshot import dump
from .pdf_checks import text


@dataclass(frozen=True)
class Setting:
    """One SLA's worth of inputs: parameters, version details, funnel, scoring and plan."""

    parameters: dict[str, str]
    quarter: str
    effective: tuple[str, str]
    review_cadence: str
    follow_up_hours: int
    mql_threshold: int
    plan_name: str
    revenue_goal: int
    avg_deal_size: int
    conversion: float


FIRST = Setting(
    parameters={"follow_up_attempts": "3", "follow_up_days": "4",
                "distribution_method": "territory", "closed_loop_system": "Zylofax CRM",
                "closed_loop_metrics": "amber quota tallies",
                "escalation": "Disputes go to the Harbour Council."},
    quarter="2027Q1", effective=("2027-01-01", "2027-03-31"),
    review_cadence="Fortnightly lantern review", follow_up_hours=37, mql_threshold=61,
    plan_name="Granite plan", revenue_goal=1_110_000, avg_deal_size=30_000, conversion=0.5)
SECOND = Setting(
    parameters={"follow_up_attempts": "47", "follow_up_days": "83",
                "distribution_method": "named_accounts",
                "closed_loop_system": "Quorvane Ledger",
                "closed_loop_metrics": "violet pipeline counts",
                "escalation": "Disputes go to the Orchard Board."},
    quarter="2027Q2", effective=("2027-04-01", "2027-06-30"),
    review_cadence="Monthly compass review", follow_up_hours=53, mql_threshold=73,
    plan_name="Cobalt plan", revenue_goal=2_470_000, avg_deal_size=65_000, conversion=0.4)


def _apply(workbook: Workbook, vid: SlaVersionId, setting: Setting) -> None:
    for name, value in setting.parameters.items():
        workbook.sla.set_parameter(vid, name, value)
    workbook.sla.set_details(vid, effective_from=setting.effective[0],
                             effective_to=setting.effective[1],
                             review_cadence=setting.review_cadence)
    mql = workbook.funnel.stage_by_key("mql")
    assert mql is not None
    workbook.funnel.update_stage(mql.id, max_hours=setting.follow_up_hours)
    workbook.scoring.set_thresholds(mql_threshold=setting.mql_threshold)
    _, quarter = workbook.plan.add_quarter(setting.quarter)
    stages = workbook.funnel.stages()
    workbook.plan.add_plan(quarter, setting.plan_name, revenue_goal=setting.revenue_goal,
                           avg_deal_size=setting.avg_deal_size, committed=True,
                           conversions={s.id: setting.conversion for s in stages[:-1]})


def _statements(workbook: Workbook, setting: Setting) -> list[str]:
    """What the PDF must say for `setting`, each as one run of words."""
    quarter = next(q.id for q in workbook.plan.quarters() if q.label == setting.quarter)
    per_quarter = committed_mql_commitment(workbook, quarter)
    per_month = committed_mql_commitment(workbook, quarter, per_month=True)
    assert per_quarter is not None and per_month is not None
    p, currency = setting.parameters, workbook.properties().currency
    method = {"territory": "territory", "named_accounts": "named accounts"}[
        p["distribution_method"]]
    return [
        f"Marketing delivers {per_month:,} marketing qualified leads per month "
        f"({per_quarter:,} per quarter), as set by the committed plan for {setting.quarter}.",
        f"Committed plan {setting.plan_name}, {setting.quarter}",
        f"{setting.plan_name} for {setting.quarter}: revenue goal {setting.revenue_goal:,} "
        f"{currency}, average deal size {setting.avg_deal_size:,} {currency}",
        f"Marketing Qualified Lead {per_quarter:,} {per_month:,} "
        f"{format_percent(setting.conversion)}",
        f"reaches a score of {setting.mql_threshold} points.",
        f"distributed to the field by {method}.",
        f"within {p['follow_up_days']} days.",
        f"First touch within {setting.follow_up_hours} hours of routing; at least "
        f"{p['follow_up_attempts']} attempts over {p['follow_up_days']} days.",
        f"Attempts {p['follow_up_attempts']} Over {p['follow_up_days']} days",
        f"closed-loop reporting from {p['closed_loop_system']}: {p['closed_loop_metrics']}.",
        f"review this agreement: {setting.review_cadence}. {p['escalation']}",
        f"Effective {setting.effective[0]} – {setting.effective[1]}",
    ]


def test_every_parameter_changed_shows_its_new_value_and_not_the_old(
        blank: Workbook, tmp_path: Path) -> None:
    assert set(FIRST.parameters) == set(SECOND.parameters) == set(PARAMETER_DEFAULTS)
    _, vid = blank.sla.new_version()
    _apply(blank, vid, FIRST)
    before = text(export_sla(blank, vid, tmp_path / "first.pdf"))
    old = _statements(blank, FIRST)
    for statement in old:
        assert statement in before

    _apply(blank, vid, SECOND)
    after = text(export_sla(blank, vid, tmp_path / "second.pdf"))
    new = _statements(blank, SECOND)
    assert [s for s in new if s not in after] == []
    assert [s for s in old if s in after] == []
    for value in (*FIRST.parameters.values(), FIRST.review_cadence, FIRST.plan_name):
        if not value.isdigit():
            assert value not in after


def test_the_demos_follow_up_says_what_its_parameters_say(demo: Workbook,
                                                           tmp_path: Path) -> None:
    """The issue's case: the PDF said "6 attempts over 10 working days" beside 8 over 7."""
    vid = demo.sla.versions()[-1].id
    demo.sla.set_parameter(vid, "follow_up_attempts", 8)
    demo.sla.set_parameter(vid, "follow_up_days", 7)
    pdf = text(export_sla(demo, vid, tmp_path / "sla.pdf"))
    assert "at least 8 attempts over 7 days by phone and e-mail." in pdf
    assert "a disposition code within 7 days" in pdf
    assert "Attempts 8 Over 7 days" in pdf
    for stated in ("6 attempts", "10 working days", "Six attempts", "ten days"):
        assert stated not in pdf


def test_a_period_without_a_committed_plan_is_refused_and_the_draft_names_it(
        demo: Workbook, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    vid = demo.sla.versions()[-1].id
    demo.sla.set_details(vid, effective_from="2026-07-01", effective_to="2026-12-31")
    before = dump(demo)
    out = tmp_path / "sla.pdf"
    assert main(["export", "sla", str(demo.path), "-o", str(out)]) == 1
    assert "No committed plan for 2026Q4." in capsys.readouterr().err
    assert not out.exists() and dump(demo) == before
    # The draft the screen previews states no number for the period, and says why.
    document = build_document(demo, vid)
    pdf_path = tmp_path / "preview.pdf"
    pdf_path.write_bytes(build_sla_pdf(document)[0])
    pdf = text(pdf_path)
    latest = committed_mql_commitment(
        demo, next(q.id for q in demo.plan.quarters() if q.label == "2026Q3"))
    assert ("Marketing delivers — marketing qualified leads per month (— per quarter), as set "
            "by the committed plan for 2026Q3 and 2026Q4.") in pdf
    assert "2026Q4 — No committed plan for 2026Q4." in pdf
    assert "Not set: No committed plan for 2026Q4." in pdf  # Schedule B
    assert f"{latest:,} MQLs" in pdf  # 2026Q3's own figure, labelled as such
