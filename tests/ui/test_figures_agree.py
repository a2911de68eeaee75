"""Every screen and PDF that shows a figure shows the same value (issue 19): the weighted
pipeline, marketing's share of it and MQLs delivered, computed once through the core, then
read off each screen's widgets and each PDF's text — and the core's value checked against
one worked out by hand from a few leads.

The leads are those of tests/workbench/test_closed_loop_honest.py plus F, an SQL without
an amount. At the end of 2026Q1 (an ended quarter on any day these tests run):
- B, Outbound (sales), at Opportunity: 20,000 × 40 % = 8,000
- D, Partner (partner), at SAL: 4,000 × 10 % = 400
- F, Webinar (marketing), at SQL, no amount: the plan's deal size 10,000 × 20 % = 2,000
- A reached SAL only in April (no hindsight); C was won in March; E never reached SAL.
Weighted pipeline 10,400 USD (open value 34,000 USD); marketing's share 2,000 ÷ 10,400 =
19.2 %. The quarterly actuals say 7 MQLs; the imported leads hold 6 (B, C, D, E, F, A).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reports.funnel_report import export_funnel
from reports.qbr import export_qbr
from tests.reports.pdf_checks import text
from tests.workbench.test_closed_loop_honest import DEALS
from tests.workbench.written_leads import Lead, quarters, write_leads
from ui.context import AppContext
from ui.dashboard.screen import DashboardScreen
from ui.data.screen import DataScreen
from ui.plan.screen import PlanScreen
from workbench.closed_loop import marketing_share
from workbench.figure_text import format_money, format_percent
from workbench.planning.forward import forward_check
from workbench.planning.pipeline_rows import weighted_by_who
from workbench.workbook import Workbook

F = Lead(6, "2026-03-01T09:00:00", "Webinar", {
    "inquiry": "2026-03-01T09:00:00", "mql": "2026-03-02T09:00:00",
    "sal": "2026-03-10T09:00:00", "sql": "2026-03-20T09:00:00"})


@pytest.fixture
def wb(tmp_path: Path) -> Iterator[Workbook]:
    workbook = Workbook.create(tmp_path / "agree.awb", "blank", company_name="Agree Ltd")
    write_leads(workbook, [*DEALS, F])
    q = quarters(workbook, "2026Q1")["2026Q1"]
    for source, who in (("Webinar", "marketing"), ("Outbound", "sales"),
                        ("Partner", "partner")):
        workbook.leads.set_sourced_by(source, who)
    for key, odds in (("sal", 0.1), ("sql", 0.2), ("opportunity", 0.4)):
        workbook.funnel.update_stage(workbook.funnel.stage_by_key(key).id, probability=odds)
    workbook.plan.add_plan(q, "Base", revenue_goal=100_000, avg_deal_size=10_000,
                           committed=True)
    mql = workbook.funnel.stage_by_key("mql")
    workbook.actuals.set_actual(q, mql.id, "Webinar", 7)
    yield workbook
    workbook.close()


def test_the_core_matches_the_figures_worked_out_by_hand(wb: Workbook) -> None:
    check = forward_check(wb, wb.plan.quarters()[0].id)
    assert check.weighted_pipeline == pytest.approx(20_000 * 0.4 + 4_000 * 0.1 + 10_000 * 0.2)
    assert check.open_value == pytest.approx(34_000)
    assert check.open_leads == 3
    share = marketing_share(weighted_by_who(check.stages))
    assert share.value == pytest.approx(2_000 / 10_400)


def test_every_screen_and_pdf_shows_the_same_figures(qtbot, wb: Workbook,
                                                     tmp_path: Path) -> None:
    q = wb.plan.quarters()[0]
    check = forward_check(wb, q.id)
    weighted = format_money(check.weighted_pipeline, "USD")
    share = format_percent(marketing_share(weighted_by_who(check.stages)).value)
    assert (weighted, share) == ("10,400 USD", "19.2 %")  # as worked out by hand above
    context = AppContext(wb)

    data = DataScreen(context)
    qtbot.addWidget(data)
    tab = data.show_tab("closed_loop")
    tab.quarter_combo.setCurrentIndex(tab.quarter_combo.findText("2026Q1"))
    tiles = {t.title.text(): t for t in tab.tiles}
    assert tiles["WEIGHTED PIPELINE"].value.text() == weighted
    assert "from the imported leads" in tiles["WEIGHTED PIPELINE"].detail.text()
    assert tiles["MARKETING-SOURCED PIPELINE"].value.text() == share
    sourced = {tab.sourced_table.item(r, 0).text(): tab.sourced_table.item(r, 2).text()
               for r in range(tab.sourced_table.rowCount())}
    assert sourced["Marketing"] == share

    dashboard = DashboardScreen(context)
    qtbot.addWidget(dashboard)
    dashboard.select_quarter(q.id)
    qtbot.waitUntil(lambda: not dashboard.follow_up_pending and not dashboard.cards_pending)
    assert f"{weighted} weighted, carries into 2026Q2" in \
        dashboard.views["pipeline_vs_goal"].note.text()
    assert dashboard.tiles["marketing_share"].value.text() == share
    assert dashboard.tiles["mql_delivery"].value.text().startswith("7")
    assert dashboard.tiles["mql_delivery"].detail.text().endswith(
        "from the quarterly actuals (the imported leads hold 6)")

    plan = PlanScreen(context)
    qtbot.addWidget(plan)
    plan.select_quarter(q.id)
    table = plan.forward_panel.table
    carried = next(r for r in range(table.rowCount())
                   if table.item(r, 0).text() == "Carries into 2026Q2")
    assert table.item(carried, 4).text() == weighted

    qbr = text(export_qbr(wb, q.id, tmp_path / "qbr.pdf"))
    assert f"Carries into 2026Q2 3 {weighted}" in qbr  # section 7's total row
    assert f"{weighted} 100.0 % 34,000 USD 100.0 %" in qbr  # section 5's total row
    assert f"Sourced by marketing 2,000 USD {share}" in qbr
    # The summary table (the dashboard's key figures).
    assert f"Marketing-sourced share of the weighted pipeline — {share}" in qbr
    assert "MQLs delivered No plan 7 — no committed plan; from the quarterly actuals (the " \
           "imported leads hold 6)" in qbr

    funnel = text(export_funnel(wb, [q.id], tmp_path / "funnel.pdf"))
    assert "Marketing Qualified Lead Marketing — 7 " in funnel  # the numbers table
