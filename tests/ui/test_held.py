"""An area the user is not looking at does not redraw behind their back: its reactions to
changes wait, merged into one, and run when it is shown again — before it paints, so it
never shows what it showed before."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.dashboard.screen import DashboardScreen
from ui.main_window import MainWindow


def test_a_hidden_area_catches_up_once_when_shown_and_not_before(qtbot: QtBot,
                                                                window: MainWindow) -> None:
    window.show_area("dashboard")
    dashboard = window.areas.current_page()
    assert isinstance(dashboard, DashboardScreen)
    qtbot.waitUntil(lambda: not dashboard.cards_pending and not dashboard.follow_up_pending)
    window.show_area("funnel")
    reloads: list[int] = []
    original = dashboard.reload

    def counted() -> None:
        reloads.append(1)
        original()

    dashboard.reload = counted  # type: ignore[method-assign]
    workbook = window.context.workbook
    assert workbook is not None
    quarter = workbook.plan.quarters()[-1]
    mql = workbook.funnel.stage_by_key("mql")
    webinar = next(a.count for a in workbook.actuals.for_quarter(quarter.id)
                   if a.stage_id == mql.id and a.source == "Webinar")
    for extra in (50, 100):
        window.context.perform(workbook.actuals.set_actual, quarter.id, mql.id, "Webinar",
                               webinar + extra)
    window.context.figures_ready.emit()
    assert reloads == []  # nothing redrawn while the Funnel is shown
    assert dashboard.tiles["mql_delivery"].value.text() == "215 of 286"

    window.show_area("dashboard")
    assert reloads == [1]  # both changes at once, before it is painted
    assert dashboard.tiles["mql_delivery"].value.text() == "315 of 286"

    window.context.perform(workbook.actuals.set_actual, quarter.id, mql.id, "Webinar",
                           webinar)
    assert reloads == [1, 1]  # shown: redrawn at once
    assert dashboard.tiles["mql_delivery"].value.text() == "215 of 286"


def test_undo_behind_another_area_shows_when_the_area_is_shown(qtbot: QtBot,
                                                               window: MainWindow) -> None:
    window.show_area("plan")
    window.show_area("funnel")
    workbook = window.context.workbook
    assert workbook is not None
    quarter = workbook.plan.quarters()[-1]
    plan = next(p for p in workbook.plan.plans(quarter.id) if p.committed)
    window.context.perform(workbook.plan.update_plan, plan.id, name="Stretch plan")
    window.menus.undo_action.trigger()
    window.menus.redo_action.trigger()
    window.show_area("plan")
    page = window.areas.current_page()
    assert page is not None
    qtbot.waitUntil(lambda: "Stretch plan" in _texts(page))


def _texts(widget) -> str:  # noqa: ANN001
    from PySide6.QtWidgets import QComboBox, QLabel

    parts = [label.text() for label in widget.findChildren(QLabel)]
    for combo in widget.findChildren(QComboBox):
        parts += [combo.itemText(i) for i in range(combo.count())]
    return "\n".join(parts)
