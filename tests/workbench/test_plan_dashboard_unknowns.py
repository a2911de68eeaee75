"""The dashboard's pipeline figures say "—" and why, never a made-up number, on the deals
of test_closed_loop_honest.py seen on 2 May 2026 (2026Q2 under way): open are A (8,000,
Webinar: marketing) and D (4,000, Partner: not classified) at SAL, and B (20,000,
Outbound: sales) at Opportunity."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.planning.dashboard import dashboard_charts
from workbench.workbook import Workbook

from .test_closed_loop_honest import deals_workbook, probabilities, qid

MAY = date(2026, 5, 2)


@pytest.fixture
def deals() -> Workbook:
    return deals_workbook()


def test_no_probabilities_and_no_plan_leave_the_weighted_pipeline_unknown(deals) -> None:
    data = dashboard_charts(deals, qid(deals, "2026Q2"), today=MAY)
    reason = ("weighted pipeline not known: No pipeline stage has a probability and the plan "
              "lacks the conversion rates to weight them.")
    assert (data.kpi("on_track").value, data.kpi("on_track").detail) == ("—", reason)
    assert (data.kpi("marketing_share").value, data.kpi("marketing_share").detail) == (
        "—", reason)
    assert data.pipeline_vs_goal.note.startswith("Weighted pipeline not known: No pipeline")


def test_marketing_share_with_an_unclassified_source_is_unknown(deals) -> None:
    probabilities(deals, sal=0.1, sql=0.2, opportunity=0.4)
    data = dashboard_charts(deals, qid(deals, "2026Q2"), today=MAY)
    # Weighted: A 800 (marketing), D 400 (unclassified), B 8,000 (sales) = 9,200.
    assert data.kpi("on_track").value == "9,200 USD"
    share = data.kpi("marketing_share")
    assert (share.value, share.detail) == (
        "—", "4.3 % of the weighted pipeline comes from sources not classified yet: classify "
             "them on the Sources tab")
    assert "Pipeline sourced by unclassified" in [s.name for s in data.pipeline_vs_goal.series]
    deals.leads.set_sourced_by("Partner", "partner")
    share = dashboard_charts(deals, qid(deals, "2026Q2"), today=MAY).kpi("marketing_share")
    assert (share.value, share.detail) == ("8.7 %", "share of the weighted pipeline")
