"""The forward check judged by where the quarter is in time, from lead-level data, on a
small fixture whose numbers are worked out by hand below; and the demo's last quarter.

The fixture: the classic funnel, probabilities SAL 10 %, SQL 20 %, Opportunity 40 %, a
50,000 USD deal size; Webinar is marketing's source, Outbound sales'. Today is
15 Aug 2026, so 2026Q2 has ended, 2026Q3 is under way and 2026Q4 is still to come.

    lead  source    MQL    SAL    SQL    Opp    won    lost   amount
    A1    Webinar   04-02  04-05  04-20  05-10  06-20         40,000
    A2    Outbound  04-03  04-10  05-01  05-20  07-10         30,000
    A3    Webinar   04-15  04-20                                        (stuck in SAL)
    A4    Webinar   05-01  05-05  05-25                06-10
    A5    Webinar   05-10  05-12  06-01  07-05                80,000
    A6    Outbound  07-01  07-03  07-20
    A7    Webinar   07-15  07-20                       08-01
    A8    Webinar   07-20  08-01  08-10  08-12  08-14         60,000
    A9    Webinar   07-25                                               (an MQL only)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from workbench.chartdata import Status
from workbench.imports import Mapping, import_leads
from workbench.model import QuarterId
from workbench.planning.dashboard import dashboard_charts
from workbench.planning.forward import Basis, Phase, forward_check
from workbench.workbook import Workbook

TODAY = date(2026, 8, 15)
LEADS = """\
Lead ID,Created,Source,MQL Date,SAL Date,SQL Date,Opportunity Date,Won Date,Lost Date,Amount
A1,2026-04-01,Webinar,2026-04-02,2026-04-05,2026-04-20,2026-05-10,2026-06-20,,40000
A2,2026-04-01,Outbound,2026-04-03,2026-04-10,2026-05-01,2026-05-20,2026-07-10,,30000
A3,2026-04-14,Webinar,2026-04-15,2026-04-20,,,,,
A4,2026-04-30,Webinar,2026-05-01,2026-05-05,2026-05-25,,,2026-06-10,
A5,2026-05-09,Webinar,2026-05-10,2026-05-12,2026-06-01,2026-07-05,,,80000
A6,2026-06-30,Outbound,2026-07-01,2026-07-03,2026-07-20,,,,
A7,2026-07-14,Webinar,2026-07-15,2026-07-20,,,,2026-08-01,
A8,2026-07-19,Webinar,2026-07-20,2026-08-01,2026-08-10,2026-08-12,2026-08-14,,60000
A9,2026-07-24,Webinar,2026-07-25,,,,,,
"""
MAPPING = Mapping(
    fields={"external_id": "Lead ID", "created": "Created", "source": "Source",
            "won": "Won Date", "lost": "Lost Date", "amount": "Amount"},
    stage_dates={"MQL": "MQL Date", "SAL": "SAL Date", "SQL": "SQL Date",
                 "Opportunity": "Opportunity Date"})
GOALS = {"2026Q2": 100_000, "2026Q3": 150_000, "2026Q4": 200_000}


@pytest.fixture
def leads(blank: Workbook, tmp_path: Path) -> tuple[Workbook, dict[str, QuarterId]]:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    import_leads(blank, path, MAPPING)
    blank.leads.set_sourced_by("Webinar", "marketing")
    blank.leads.set_sourced_by("Outbound", "sales")
    stages = {s.key: s for s in blank.funnel.stages()}
    for key, probability in (("sal", 0.1), ("sql", 0.2), ("opportunity", 0.4)):
        blank.funnel.update_stage(stages[key].id, probability=probability)
    quarters = {}
    for label, goal in GOALS.items():
        _, quarters[label] = blank.plan.add_quarter(label)
        blank.plan.add_plan(quarters[label], "Base", revenue_goal=goal, avg_deal_size=50_000,
                            committed=True)
    return blank, quarters


def test_an_ended_quarter_is_judged_on_what_it_won(leads) -> None:
    workbook, quarters = leads
    check = forward_check(workbook, quarters["2026Q2"], today=TODAY)
    assert check.phase is Phase.ENDED and check.basis is Basis.LEADS
    # Won in Q2: A1 only (A2 was won in July) → 40,000 of 100,000
    assert (check.won_count, check.won_value) == (1, 40_000)
    assert check.summary == ("2026Q2 ended: 40,000 USD won of the 100,000 USD goal (40 %) — "
                             "behind by 60,000 USD.")
    assert check.status is Status.BAD
    assert check.on_track_for == 40_000  # the pipeline is not part of the result
    # Open on 30 June: A3 in SAL (no amount: 50,000 × 10 % = 5,000), A5 in SQL (80,000 ×
    # 20 % = 16,000), A2 in Opportunity (30,000 × 40 % = 12,000); A4 was lost, A1 won.
    assert [(s.name, s.open, s.weighted) for s in check.stages] == [
        ("Sales Accepted Lead", 1, pytest.approx(5_000)),
        ("Sales Qualified Lead", 1, pytest.approx(16_000)),
        ("Opportunity", 1, pytest.approx(12_000))]
    assert check.pipeline_note == ("Not part of the result: the pipeline open when 2026Q2 "
                                   "ended (30 Jun 2026), 33,000 USD weighted, carries into "
                                   "2026Q3.")
    assert check.pipeline_by("marketing") == pytest.approx(21_000)
    assert check.pipeline_by("sales") == pytest.approx(12_000)
    assert check.basis_note == ("From lead-level data: 9 imported leads (stage dates, amounts, "
                                "won and lost dates).")


def test_the_current_quarter_adds_the_open_pipeline_to_what_is_won(leads) -> None:
    workbook, quarters = leads
    check = forward_check(workbook, quarters["2026Q3"], today=TODAY)
    assert check.phase is Phase.CURRENT
    # Won so far: A2 (30,000) and A8 (60,000)
    assert (check.won_count, check.won_value) == (2, 90_000)
    # Open now, whenever they entered: A3 still in SAL since April (5,000), A6 in SQL
    # (no amount: 50,000 × 20 % = 10,000), A5 in Opportunity (80,000 × 40 % = 32,000)
    assert [(s.name, s.open, s.weighted) for s in check.stages] == [
        ("Sales Accepted Lead", 1, pytest.approx(5_000)),
        ("Sales Qualified Lead", 1, pytest.approx(10_000)),
        ("Opportunity", 1, pytest.approx(32_000))]
    assert check.stages[2].arithmetic == "1 open, their amounts 80,000 USD × 40 % = 32,000 USD"
    assert check.stages[1].arithmetic == "1 open × 50,000 USD deal size × 20 % = 10,000 USD"
    assert check.on_track_for == pytest.approx(137_000)
    assert check.summary == (
        "2026Q3 is behind: 137,000 USD of the 150,000 USD goal (91.3 %) — 90,000 USD won so "
        "far + 47,000 USD weighted open pipeline. Gap: 13,000 USD.")
    assert check.status is Status.WARN  # within 10 % of the goal
    # Past the classic funnel's maximum times (SAL 72 h, SQL 14 days, Opportunity 90 days):
    # A3 since 23 Apr and A6 since 3 Aug; A5 has been an Opportunity for 41 days
    assert [s.stale for s in check.stages] == [1, 1, 0]
    assert check.stale_note.startswith("2 of these 3 open leads have sat in their stage "
                                       "longer than its agreed maximum time")
    assert check.pipeline_note.startswith("Open pipeline as of 15 Aug 2026: leads sitting in")


def test_a_quarter_still_to_come_gets_no_verdict(leads) -> None:
    workbook, quarters = leads
    check = forward_check(workbook, quarters["2026Q4"], today=TODAY)
    assert check.phase is Phase.FUTURE
    assert check.summary == ("2026Q4 starts on 1 Oct 2026: no verdict before it starts. "
                             "Its goal: 200,000 USD.")
    assert check.status is Status.NONE
    assert check.stages == () and check.share_of_goal is None
    assert check.headline == ("On track for", "—", "2026Q4 starts on 1 Oct 2026")


def test_the_same_quarter_is_judged_by_the_day_it_is_looked_at(leads) -> None:
    workbook, quarters = leads
    during = forward_check(workbook, quarters["2026Q2"], today=date(2026, 6, 25))
    # On 25 June: A1 won (40,000); open A3 SAL 5,000, A5 SQL 16,000, A2 Opportunity 12,000
    assert during.phase is Phase.CURRENT
    assert during.on_track_for == pytest.approx(40_000 + 33_000)
    assert during.summary.startswith("2026Q2 is behind: 73,000 USD of the 100,000 USD goal")


def test_dashboard_key_figure_and_chart_follow_the_forward_check(leads) -> None:
    workbook, quarters = leads
    ended = dashboard_charts(workbook, quarters["2026Q2"], today=TODAY,
                             follow_ups=lambda qid, hours: None)
    kpi = ended.kpi("on_track")
    assert (kpi.title, kpi.value, kpi.detail, kpi.status) == (
        "Won in 2026Q2 (ended)", "40,000 USD", "40 % of the 100,000 USD goal — behind",
        Status.BAD)
    chart = ended.pipeline_vs_goal
    assert chart.categories == ("Goal", "Won", "Carries into 2026Q3")
    values = {s.name: s.values for s in chart.series}
    assert values["Goal"] == (100_000, None, None)
    assert values["Won"] == (None, 40_000, None)
    assert values["Pipeline sourced by marketing"] == (None, None, pytest.approx(21_000))
    assert values["Pipeline sourced by sales"] == (None, None, pytest.approx(12_000))
    assert chart.note.startswith(forward_check(workbook, quarters["2026Q2"], today=TODAY).summary)
    current = dashboard_charts(workbook, quarters["2026Q3"], today=TODAY,
                               follow_ups=lambda qid, hours: None)
    assert current.kpi("on_track").value == "137,000 USD"
    assert current.kpi("on_track").detail == "91.3 % of the 150,000 USD goal"
    assert current.pipeline_vs_goal.categories == ("Goal", "On track for")
    stacked = sum(s.values[1] or 0 for s in current.pipeline_vs_goal.series)
    assert stacked == pytest.approx(137_000)
    future = dashboard_charts(workbook, quarters["2026Q4"], today=TODAY,
                              follow_ups=lambda qid, hours: None)
    assert future.pipeline_vs_goal.categories == ("Goal",)
    assert future.kpi("on_track").value == "—"


def test_new_leads_change_the_check_and_undo_brings_it_back(leads, tmp_path: Path) -> None:
    workbook, quarters = leads
    before = forward_check(workbook, quarters["2026Q3"], today=TODAY)
    path = tmp_path / "more.csv"
    path.write_text(LEADS.splitlines()[0] + "\nB1,2026-07-01,Webinar,2026-07-02,2026-07-03,"
                    "2026-07-04,2026-07-05,2026-08-01,,20000\n", encoding="utf-8")
    import_leads(workbook, path, MAPPING)
    after = forward_check(workbook, quarters["2026Q3"], today=TODAY)
    assert (after.won_count, after.won_value) == (3, 110_000)
    workbook.undo()
    again = forward_check(workbook, quarters["2026Q3"], today=TODAY)
    assert (again.won_count, again.won_value) == (before.won_count, before.won_value)
    workbook.redo()
    assert forward_check(workbook, quarters["2026Q3"], today=TODAY).won_value == 110_000


def test_the_demo_quarter_that_ended_is_behind(demo: Workbook) -> None:
    q3 = demo.plan.quarters()[-1]
    check = forward_check(demo, q3.id, today=date(2026, 11, 23))
    # 5 of the 15 planned customers won in 2026Q3, 315,500 EUR in their amounts
    assert check.summary == ("2026Q3 ended: 315,500 EUR won of the 900,000 EUR goal (35.1 %) "
                             "— behind by 584,500 EUR.")
    assert check.won_arithmetic == "5 won: 315,500 EUR in their amounts"
    assert check.status is Status.BAD and check.basis is Basis.LEADS
    assert check.pipeline_note.endswith("carries into 2026Q4.")


def test_an_unweighted_stage_makes_the_projection_unknown_not_smaller(leads) -> None:
    workbook, quarters = leads
    sql = workbook.funnel.stage_by_key("sql")
    assert sql is not None
    workbook.funnel.update_stage(sql.id, probability=None)
    plan = workbook.plan.plans(quarters["2026Q3"])[0]
    workbook.plan.update_plan(plan.id, avg_deal_size=None)
    check = forward_check(workbook, quarters["2026Q3"], today=TODAY)
    # A6 sits in SQL with no amount, no deal size and no probability: it cannot be weighted,
    # so the weighted pipeline and the projection are not known (before: counted as 0).
    assert check.weighted_pipeline is None and check.on_track_for is None
    assert check.share_of_goal is None and check.marketing_share is None
    assert check.weight_reason
    assert check.headline == ("On track for", "—", f"not known: {check.weight_reason}")
    assert check.summary.startswith("2026Q3: 90,000 USD won so far; whether it is on track is "
                                    "not known — the weighted open pipeline cannot be worked "
                                    "out: ")
