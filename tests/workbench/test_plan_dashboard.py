"""The dashboard's chart data: what each chart would show for a quarter, asserted on the
chart objects rather than on pixels."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workbench.test_plan_analysis import pipeline  # noqa: F401  (fixture)
from workbench import closed_loop
from workbench.chartdata import Status
from workbench.closed_loop import FollowUp
from workbench.planning import quarterly
from workbench.planning.dashboard import dashboard_charts
from workbench.workbook import Workbook


def test_plan_vs_actual_for_a_demo_quarter(demo: Workbook) -> None:
    q = demo.plan.quarters()[-1]  # 2026Q3: 215 MQLs against 286 planned
    data = dashboard_charts(demo, q.id, follow_ups=lambda qid, hours: None)
    chart = data.plan_vs_actual
    assert chart.categories[2] == "Marketing Qualified Lead"
    below = chart.series[1]
    assert below.values[2] == pytest.approx(215 / 286 * 100)
    assert below.labels[2] == "Marketing Qualified Lead: 215 of 286 planned (75.2 %)"
    assert data.kpi("mql_delivery").value == "215 of 286"
    assert data.kpi("mql_delivery").status is Status.BAD


def test_another_quarter_gives_its_own_numbers(demo: Workbook) -> None:
    quarters = demo.plan.quarters()
    first = dashboard_charts(demo, quarters[0].id, follow_ups=lambda qid, hours: None)
    mql = demo.funnel.stage_by_key("mql")
    actual = demo.actuals.totals(quarters[0].id)[mql.id]
    assert first.quarter == "2025Q2"
    assert first.kpi("mql_delivery").value.startswith(f"{actual:,} of ")
    assert first.volume_trend.x_labels == ("2025Q2",)
    last = dashboard_charts(demo, quarters[-1].id, follow_ups=lambda qid, hours: None)
    assert last.volume_trend.x_labels == tuple(q.label for q in quarters)
    assert last.volume_trend.highlight == len(quarters) - 1


def test_sla_chart_uses_follow_up_within_the_mql_stage_hours(demo: Workbook) -> None:
    asked = []

    def follow_ups(quarter_id, hours):  # a different share per quarter: 60 %, 65 %, …
        asked.append((quarter_id, hours))
        return FollowUp(mqls=200, touched=180, within=115 + 5 * quarter_id, median_hours=9.5)

    quarters = demo.plan.quarters()
    data = dashboard_charts(demo, quarters[-1].id, follow_ups=follow_ups)
    assert sorted(asked) == [(q.id, 24) for q in quarters]  # the MQL stage's max_hours, each
    followed = data.sla_compliance.series[1]
    assert followed.name == "Followed up within 24 h (% of MQLs)"
    assert followed.values == pytest.approx([(115 + 5 * q.id) / 2 for q in quarters])
    assert followed.labels[-1] == ("2026Q3: 145 of 200 MQLs in the imported leads followed up "
                                   "within 24 h (72.5 %); median 9.5 h")
    assert data.kpi("follow_up").value == "72.5 %"


def test_sla_chart_holds_each_quarters_own_follow_up(demo: Workbook) -> None:
    """Each bar is its own quarter's share, as the closed loop counts it (not the selected
    quarter's share repeated)."""
    quarters = demo.plan.quarters()
    followed = dashboard_charts(demo, quarters[-1].id).sla_compliance.series[1]
    expected = [closed_loop.follow_up(demo, q.id, 24).share_within for q in quarters]
    assert followed.values == pytest.approx([share * 100 for share in expected])
    assert len({round(v, 1) for v in followed.values}) == len(quarters)
    assert followed.values[0] == pytest.approx(51 / 161 * 100)  # 2025Q2: 31.7 %
    assert followed.values[-1] == pytest.approx(167 / 215 * 100)  # 2026Q3: 77.7 %
    earlier = dashboard_charts(demo, quarters[2].id).sla_compliance.series[1]
    assert earlier.values == pytest.approx(followed.values[:3])


def test_follow_up_not_implemented_yet_shows_a_reason(demo: Workbook, monkeypatch) -> None:
    def not_yet(*args, **kwargs):
        raise NotImplementedError

    monkeypatch.setattr(quarterly, "follow_up", not_yet)
    data = dashboard_charts(demo, demo.plan.quarters()[-1].id)
    assert data.sla_compliance.series[1].values[-1] is None
    assert data.sla_compliance.series[1].labels[-1] == "2026Q3: follow-up not derived yet"
    assert data.kpi("follow_up").value == "—"


def test_pipeline_vs_goal_stacks_won_and_pipeline_by_who_sourced_it(pipeline) -> None:  # noqa: F811
    workbook, quarter_id = pipeline
    chart = dashboard_charts(workbook, quarter_id, today=date(2026, 11, 23),
                             follow_ups=lambda qid, hours: None).pipeline_vs_goal
    assert chart.categories == ("Goal", "On track for")  # 2026Q4 is under way
    values = {s.name: s.values for s in chart.series}
    assert values["Goal"] == (1_000_000, None)
    assert values["Won"] == (None, 200_000)
    assert values["Pipeline sourced by marketing"][1] == pytest.approx(608_000)
    assert values["Pipeline sourced by sales"][1] == pytest.approx(376_000)
    assert chart.reference is not None and chart.reference.value == 1_000_000


def test_source_mix_shares_add_up_per_stage(pipeline) -> None:  # noqa: F811
    workbook, quarter_id = pipeline
    chart = dashboard_charts(workbook, quarter_id,
                             follow_ups=lambda qid, hours: None).source_mix
    assert chart.categories == ("Sales Accepted Lead", "Sales Qualified Lead", "Opportunity",
                                "Customer")
    for index in range(len(chart.categories)):
        assert sum(s.values[index] or 0 for s in chart.series) == pytest.approx(100)
    webinar = next(s for s in chart.series if s.name == "Webinar")
    assert webinar.labels[0] == "Webinar: 60 of 100 Sales Accepted Lead (60 %)"


def test_quarter_without_plan_or_actuals_says_so(blank: Workbook) -> None:
    _, quarter_id = blank.plan.add_quarter("2027Q1")
    data = dashboard_charts(blank, quarter_id, follow_ups=lambda qid, hours: None,
                            today=date(2026, 11, 23))
    assert data.plan_vs_actual.empty_reason == \
        "No committed plan for 2027Q1: commit one on the Plan screen."
    assert data.volume_trend.empty_reason == "No actuals in these quarters yet."
    assert data.source_mix.empty_reason == "No actuals for 2027Q1 yet."
    assert data.pipeline_vs_goal.empty_reason == "No goal and no pipeline for 2027Q1."
    assert not any(chart.has_data for chart in data.charts)


def test_follow_up_still_being_worked_out_says_so(demo: Workbook) -> None:
    q = demo.plan.quarters()[-1]
    data = dashboard_charts(demo, q.id, follow_ups=lambda qid, hours: quarterly.PENDING)
    assert data.sla_compliance.series[1].labels[-1] == "2026Q3: follow-up being worked out…"
    assert data.sla_compliance.note == "Working out follow-up within 24 h from the leads…"
    assert data.kpi("follow_up").detail == "follow-up being worked out…"


def test_unreadable_closed_loop_data_shows_not_derived(demo: Workbook, monkeypatch) -> None:
    import sqlite3

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("no such table: lead_summary_stamp")

    monkeypatch.setattr(quarterly, "follow_up", broken)
    data = dashboard_charts(demo, demo.plan.quarters()[-1].id)
    assert data.kpi("follow_up").detail == "follow-up not derived yet"
