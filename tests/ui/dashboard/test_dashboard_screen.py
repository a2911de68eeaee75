"""The Dashboard screen: the charts it holds for the selected quarter, redrawing when the
quarter or the data change, hover text, copying and saving a chart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QGuiApplication, QPixmap

from reports import palette
from ui.context import AppContext
from ui.dashboard import chart_view
from ui.dashboard.screen import DashboardScreen
from workbench import closed_loop
from workbench.closed_loop import FollowUp
from workbench.planning import quarterly
from workbench.workbook import Workbook

SHOTS = Path(__file__).resolve().parents[3] / "shots"
TODAY = date(2026, 11, 23)


@pytest.fixture
def shown(qtbot, demo: Workbook, monkeypatch):
    """The dashboard on the demo at a laptop's size on 23 Nov 2026, with the closed loop's
    real follow-up numbers, each question to it counted."""
    calls = []

    def follow_up(workbook, quarter_id, hours, source=None):
        calls.append(quarter_id)
        return closed_loop.follow_up(workbook, quarter_id, hours, source)

    monkeypatch.setattr(quarterly, "follow_up", follow_up)
    context = AppContext(demo)
    screen = DashboardScreen(context)
    screen.today = TODAY
    screen.redraw()
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.waitUntil(lambda: not screen.follow_up_pending and not screen.cards_pending)
    return screen, context, calls


def test_chart_cards_are_made_one_a_turn_with_the_latest_data(qtbot, demo: Workbook) -> None:
    """Six cards made at once kept the window from painting for a quarter of a second: the
    first is made with the screen, the others a turn of the event loop apart."""
    screen = DashboardScreen(AppContext(demo))
    qtbot.addWidget(screen)
    assert list(screen.views) == ["plan_vs_actual"] and screen.cards_pending
    first = demo.plan.quarters()[0]
    screen.select_quarter(first.id)  # before the rest are made: they show this quarter
    qtbot.waitUntil(lambda: not screen.cards_pending)
    assert len(screen.views) == 6
    assert screen.views["volume_trend"].chart.x_labels == (first.label,)
    assert screen.views["plan_vs_actual"].chart.title.endswith(first.label)


def test_selecting_a_quarter_redraws_with_its_numbers(qtbot, shown) -> None:
    screen, context, _ = shown
    demo = context.workbook
    quarters = demo.plan.quarters()
    assert screen.quarter_combo.currentText() == "2026Q3"
    bars = screen.views["plan_vs_actual"].chart
    assert bars.title == "Actual vs plan per stage, 2026Q3"
    assert bars.series[1].labels[2] == "Marketing Qualified Lead: 215 of 286 planned (75.2 %)"
    assert screen.tiles["mql_delivery"].value.text() == "215 of 286"
    screen.select_quarter(quarters[0].id)
    assert screen.cards_pending  # the first card at once, the others a turn apart
    mql = demo.funnel.stage_by_key("mql")
    first = demo.actuals.totals(quarters[0].id)[mql.id]
    bars = screen.views["plan_vs_actual"].chart
    assert bars.title == "Actual vs plan per stage, 2025Q2"
    assert f"Marketing Qualified Lead: {first:,} of 192 planned" in bars.series[1].labels[2]
    assert screen.tiles["mql_delivery"].value.text() == f"{first:,} of 192"
    qtbot.waitUntil(lambda: not screen.cards_pending)
    assert screen.views["volume_trend"].chart.x_labels == ("2025Q2",)
    assert screen.views["pipeline_vs_goal"].chart.series[0].values == (600_000, None, None)


def test_a_data_change_redraws_the_charts(qtbot, shown) -> None:
    screen, context, calls = shown
    demo = context.workbook
    quarter = demo.plan.quarters()[-1]
    mql = demo.funnel.stage_by_key("mql")
    webinar = next(a.count for a in demo.actuals.for_quarter(quarter.id)
                   if a.stage_id == mql.id and a.source == "Webinar")
    asked = len(calls)
    context.perform(demo.actuals.set_actual, quarter.id, mql.id, "Webinar", webinar + 100)
    assert screen.tiles["mql_delivery"].value.text() == "315 of 286"
    qtbot.waitUntil(lambda: not screen.follow_up_pending)
    # The actuals now say 315 MQLs; the imported leads (follow-up's source) still hold 215.
    assert screen.tiles["mql_delivery"].detail.text() == (
        "110.1 % of the commitment; from the quarterly actuals (the imported leads hold 215)")
    assert screen.views["plan_vs_actual"].chart.series[0].values[2] == \
        pytest.approx(315 / 286 * 100)  # now drawn as "at or above plan"
    assert len(calls) > asked  # follow-up is asked again after the data changed


def test_follow_up_is_worked_out_after_the_charts_are_drawn(qtbot, demo: Workbook,
                                                            monkeypatch) -> None:
    monkeypatch.setattr(quarterly, "follow_up", lambda *args, **kwargs: FollowUp(10, 9, 8, 3.0))
    screen = DashboardScreen(AppContext(demo))  # no event loop turn yet
    qtbot.addWidget(screen)
    tile = screen.tiles["follow_up"]
    assert screen.follow_up_pending
    assert (tile.value.text(), tile.detail.text()) == ("—", "follow-up being worked out…")
    assert screen.views["plan_vs_actual"].chart.has_data  # everything else is already drawn
    qtbot.waitUntil(lambda: tile.value.text() == "80 %")
    assert tile.detail.text() == "8 of 10 MQLs in the imported leads; median 3 h"


def test_follow_up_share_is_shown_for_the_agreed_hours(qtbot, shown) -> None:
    screen, context, calls = shown
    demo = context.workbook
    quarters = demo.plan.quarters()
    assert screen.tiles["follow_up"].title.text() == "FOLLOWED UP WITHIN 24 H"
    assert screen.tiles["follow_up"].value.text() == "77.7 %"  # 167 of 215 MQLs in 2026Q3
    sla = screen.views["sla_compliance"].chart
    assert sla.series[1].labels[-1] == ("2026Q3: 167 of 215 MQLs in the imported leads "
                                        "followed up within 24 h (77.7 %); median 13.1 h")
    # every quarter's bar is that quarter's own share, rising from 31.7 % to 77.7 %
    own = [closed_loop.follow_up(demo, q.id, 24).share_within * 100 for q in quarters]
    assert sla.series[1].values == pytest.approx(own)
    assert len({round(v, 1) for v in sla.series[1].values}) == len(quarters)
    asked = len(calls)
    screen.select_quarter(quarters[0].id)
    assert screen.tiles["follow_up"].value.text() == "31.7 %"  # 51 of 161 in 2025Q2
    screen.select_quarter(quarters[-1].id)
    qtbot.wait(20)
    assert len(calls) == asked  # cached per quarter until the data changes
    assert screen.tiles["follow_up"].value.text() == "77.7 %"


def test_on_track_card_and_chart_say_the_quarter_ended(shown) -> None:
    screen, _, _ = shown
    tile = screen.tiles["on_track"]
    assert tile.title.text() == "WON IN 2026Q3 (ENDED)"
    assert tile.value.text() == "315,500 EUR"
    assert tile.detail.text() == "35.1 % of the 900,000 EUR goal — behind"
    chart = screen.views["pipeline_vs_goal"].chart
    assert chart.title == "Won vs goal, 2026Q3 (ended)"
    assert chart.categories == ("Goal", "Won", "Carries into 2026Q4")
    assert chart.note.startswith("2026Q3 ended: 315,500 EUR won of the 900,000 EUR goal")


def test_hover_shows_the_exact_values(shown) -> None:
    screen, _, _ = shown
    plot = screen.views["plan_vs_actual"].plot
    box = plot.getPlotItem().vb
    on_mql_bar = box.mapViewToScene(QPointF(50, 2))  # horizontal bars: y is the stage
    assert plot.text_at(on_mql_bar) == "Marketing Qualified Lead: 215 of 286 planned (75.2 %)"
    plot._hovered(on_mql_bar)
    assert plot.hover == "Marketing Qualified Lead: 215 of 286 planned (75.2 %)"
    trend = screen.views["conversion_trend"].plot
    point = trend.getPlotItem().vb.mapViewToScene(QPointF(5, 50))
    assert "2026Q3 MQL → SAL: 137 ÷ 215 = 63.7 % (plan 70 %)" in trend.text_at(point)
    outside = box.mapViewToScene(QPointF(50, 40))
    assert plot.text_at(outside) is None


def test_copy_and_save_a_chart_as_png(shown, tmp_path: Path, monkeypatch) -> None:
    screen, context, _ = shown
    view = screen.views["pipeline_vs_goal"]
    messages = []
    context.status.connect(lambda text, ms: messages.append(text))
    view.copy_button.click()
    copied = QGuiApplication.clipboard().image()
    assert copied.width() == view.width() * chart_view.EXPORT_SCALE
    target = tmp_path / "pipeline"
    monkeypatch.setattr(chart_view, "ask_png_path", lambda parent, suggested: str(target))
    view.save_button.click()
    saved = tmp_path / "pipeline.png"
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert messages[-1] == "Saved pipeline.png"
    assert view.copy_button.isVisible()  # the buttons are back after rendering without them


def test_without_quarters_the_screen_says_what_to_do(qtbot, blank: Workbook) -> None:
    screen = DashboardScreen(AppContext(blank))
    qtbot.addWidget(screen)
    assert screen.empty.text() == "No quarters yet: add one on the Plan screen."
    assert screen.data is None


def test_a_quarter_without_plan_or_actuals_explains_each_chart(qtbot, blank: Workbook) -> None:
    blank.plan.add_quarter("2027Q1")
    screen = DashboardScreen(AppContext(blank))
    qtbot.addWidget(screen)
    view = screen.views["plan_vs_actual"]
    assert view.stack.currentWidget() is view.empty
    assert view.empty.text() == "— No committed plan for 2027Q1: commit one on the Plan screen."
    assert not view.copy_button.isEnabled()


def test_screenshot_on_the_demo(shown) -> None:
    screen, _, _ = shown
    SHOTS.mkdir(exist_ok=True)
    assert screen.grab().save(str(SHOTS / "dashboard.png"))
    whole = QPixmap(screen.body.size())  # every chart, also those below the fold
    whole.fill(QColor(palette.CANVAS))
    screen.body.render(whole)
    assert whole.save(str(SHOTS / "dashboard-all.png"))
    assert all(view.chart.has_data for view in screen.views.values())
    assert len(screen.views) == 6 and len(screen.tiles) == 5
