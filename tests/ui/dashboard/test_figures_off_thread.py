"""The dashboard at a size where the lead timeline is read off the GUI thread: it paints
at once with "—" and the reason, then shows the same figures a synchronous reading gives."""

from __future__ import annotations

from datetime import date

from ui.context import AppContext
from ui.dashboard.screen import DashboardScreen
from workbench.planning import lead_pipeline
from workbench.planning.dashboard import dashboard_charts
from workbench.planning.forward import PENDING_REASON
from workbench.workbook import Workbook

TODAY = date(2026, 11, 23)


def test_the_dashboard_paints_first_and_fills_in_the_pipeline(qtbot, demo: Workbook,
                                                              monkeypatch) -> None:
    monkeypatch.setattr(lead_pipeline, "DEFER_FROM", 0)  # the demo's 4,300 leads count as many
    context = AppContext(demo)
    screen = DashboardScreen(context)
    qtbot.addWidget(screen)
    screen.today = TODAY
    screen.redraw()
    tile = screen.tiles["on_track"]
    assert tile.value.text() == "—"
    assert PENDING_REASON in tile.detail.text()
    with qtbot.waitSignal(context.figures_ready, timeout=20_000):
        pass
    assert context.figures.reads == 1  # one reading, however often the screen asked
    lead_pipeline.defer_to(demo, None)
    expected = {k.key: k.value for k in dashboard_charts(demo, screen.quarter_id,
                                                         today=TODAY).kpis}
    assert tile.value.text() == expected["on_track"] != "—"
    assert screen.tiles["marketing_share"].value.text() == expected["marketing_share"]
