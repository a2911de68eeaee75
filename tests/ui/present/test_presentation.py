"""Presentation mode on every screen that has one, as the room sees it: F5 opens the
screen's slides full screen, the arrows, space, Page Up/Down, Home and End move, Esc or F5
leaves and the window is as it was; every slide's texts fit their room at 1280×720 in at
least 24 px; a figure still being worked out reads "—" and why, then redraws."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication

from ui.context import AppContext
from ui.present.canvas import Slide
from ui.present.window import PresenterWindow, render_slide
from workbench.planning import lead_pipeline
from workbench.planning.forward import PENDING_REASON
from workbench.workbook import Workbook

AREAS = ("funnel", "plan", "dashboard", "scoring", "workshop")
SCREENS = {"funnel": "ui.funnel.editor:FunnelEditor", "plan": "ui.plan.screen:PlanScreen",
           "dashboard": "ui.dashboard.screen:DashboardScreen",
           "scoring": "ui.scoring.screen:ScoringScreen",
           "workshop": "ui.workshop.screen:WorkshopScreen"}
FOOTER_FROM = 720 - 44  # the footer (slide number, keys) sits below this line
HOSTILE = ("<b>Qualified</b> &amp; ready — 合格的潜在客户 · عميل مؤهل 🚀🔥 «ça va» "
           "=HYPERLINK(\"x\") ") * 40


def screen_of(key: str, context: AppContext):  # noqa: ANN201 - any screen
    import importlib

    module, _, name = SCREENS[key].partition(":")
    return getattr(importlib.import_module(module), name)(context)


def presenting(qtbot, key: str, context: AppContext):  # noqa: ANN201 - a screen, a window
    """A screen shown on `context`'s workbook, presenting."""
    screen = screen_of(key, context)
    qtbot.addWidget(screen)
    screen.show()
    screen.presenter.open()
    return screen, screen.presenter.window


def assert_fits(slides: list[Slide]) -> None:
    """Every text of every slide within its room at 1280×720, body text ≥ 24 px."""
    for number, slide in enumerate(slides, 1):
        _, canvas = render_slide(slide, number, len(slides), "Deck", QSize(1280, 720))
        assert not canvas.overflowing, (slide.title, [r.text for r in canvas.overflowing])
        small = [r.text for r in canvas.runs if r.pixels < 24 and r.rect.top() < FOOTER_FROM]
        assert not small, (slide.title, small)
        assert canvas.runs[0].text == slide.title


@pytest.mark.parametrize("key", AREAS)
def test_each_screens_slides_fit_1280_by_720_in_large_type(qtbot, demo: Workbook,
                                                          key: str) -> None:
    screen = screen_of(key, AppContext(demo))
    qtbot.addWidget(screen)
    if key == "dashboard":  # follow-up is worked out after the first paint
        qtbot.waitUntil(lambda: not screen.follow_up_pending)
    slides = screen.presentation_slides()
    assert len(slides) >= 2
    assert_fits(slides)


def test_a_long_hostile_definition_is_cut_with_an_ellipsis_not_clipped(
        qtbot, demo: Workbook) -> None:
    stage = demo.funnel.stages()[2]
    demo.funnel.update_stage(stage.id, definition=HOSTILE, exit_criteria="x" * 300,
                             name="Marketing <i>Qualified</i> Lead 合格 عميل 🚀" * 3)
    screen = screen_of("funnel", AppContext(demo))
    qtbot.addWidget(screen)
    slides = screen.presentation_slides()
    assert_fits(slides)
    _, canvas = render_slide(slides[3])
    definition = next(r for r in canvas.runs if r.text == HOSTILE.strip())
    assert definition.cut and definition.shown.endswith("…")
    assert definition.shown.startswith("<b>Qualified</b> &amp;")  # drawn as typed


def test_a_window_of_another_size_scales_the_type(qtbot, demo: Workbook) -> None:
    screen = screen_of("plan", AppContext(demo))
    qtbot.addWidget(screen)
    slide = screen.presentation_slides()[0]
    _, small = render_slide(slide, size=QSize(1280, 720))
    _, large = render_slide(slide, size=QSize(1920, 1080))
    assert large.runs[0].pixels == pytest.approx(small.runs[0].pixels * 1.5, abs=1)
    assert not large.overflowing


def test_the_window_moves_with_every_key_and_stops_at_the_ends(qtbot) -> None:
    slides = [Slide(f"Slide {n}", lambda canvas, rect: None) for n in range(1, 6)]
    window = PresenterWindow("Deck", lambda: slides)
    qtbot.addWidget(window)
    window.show()
    moves = [(Qt.Key.Key_Right, 1), (Qt.Key.Key_Space, 2), (Qt.Key.Key_PageDown, 3),
             (Qt.Key.Key_Down, 4), (Qt.Key.Key_Right, 4), (Qt.Key.Key_Left, 3),
             (Qt.Key.Key_PageUp, 2), (Qt.Key.Key_Up, 1), (Qt.Key.Key_Backspace, 0),
             (Qt.Key.Key_Left, 0), (Qt.Key.Key_End, 4), (Qt.Key.Key_Home, 0)]
    for key, index in moves:
        qtbot.keyClick(window, key)
        assert window.index == index, key
    assert window.slide_title() == "Slide 1"
    with qtbot.waitSignal(window.left):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


@pytest.mark.parametrize("key", AREAS)
def test_f5_presents_the_screen_in_view_and_esc_returns_to_it(qtbot, window, key: str) -> None:
    window.show_area(key)
    page = window.areas.pages[key]
    presenter = page.presenter
    other = window.areas.pages.get("funnel" if key != "funnel" else "plan")
    page.setFocus()
    focused = QApplication.focusWidget()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    shown = presenter.window
    assert shown is not None and shown.isVisible() and shown.isFullScreen()
    assert other is None or other.presenter.window is None  # only the screen in view
    first = shown.slide_title()
    qtbot.keyClick(shown, Qt.Key.Key_Right)
    assert shown.index == 1 and shown.slide_title() != first
    qtbot.keyClick(shown, Qt.Key.Key_Home)
    assert shown.slide_title() == first
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.isVisible()
    assert window.current_area() == key and window.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is focused)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert presenter.showing
    qtbot.keyClick(presenter.window, Qt.Key.Key_F5)
    assert not presenter.showing
    qtbot.mouseClick(presenter.button, Qt.MouseButton.LeftButton)
    assert presenter.showing
    presenter.leave()


def test_the_dashboards_pending_figures_say_why_then_redraw(qtbot, demo: Workbook,
                                                            monkeypatch) -> None:
    monkeypatch.setattr(lead_pipeline, "DEFER_FROM", 0)  # the demo's leads count as many
    context = AppContext(demo)
    screen, shown = presenting(qtbot, "dashboard", context)
    _, canvas = render_slide(shown.slides[0])
    texts = [r.text for r in canvas.runs]
    assert "—" in texts and any(PENDING_REASON in t for t in texts)
    with qtbot.waitSignal(context.figures_ready, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: not screen.follow_up_pending)
    lead_pipeline.defer_to(demo, None)
    qtbot.waitUntil(lambda: not any(PENDING_REASON in r.text for r in render_slide(
        shown.slides[0])[1].runs))
    on_track = screen.data.kpi("on_track").value
    assert on_track != "—"
    assert on_track in [r.text for r in render_slide(shown.slides[0])[1].runs]
    screen.presenter.leave()


def test_the_scoring_slides_say_the_leads_are_being_scored_then_count_them(
        qtbot, demo: Workbook, monkeypatch) -> None:
    import ui.scoring.screen as scoring

    monkeypatch.setattr(scoring, "SCORE_ELSEWHERE_FROM", 0)
    screen, shown = presenting(qtbot, "scoring", AppContext(demo))
    texts = [r.text for r in render_slide(shown.slides[0])[1].runs]
    assert any("Scoring 4,300 leads…" in t for t in texts)
    assert texts.count("—") == 4 and not any("Sandbox" in t for t in texts)
    qtbot.waitUntil(lambda: "4,300 leads scored." in shown.slides[0].caption, timeout=20_000)
    texts = [r.text for r in render_slide(shown.slides[0])[1].runs]
    assert "—" not in texts and any(t.endswith(" leads") for t in texts)
    screen.presenter.leave()


def test_slides_follow_an_edit_made_while_presenting(qtbot, demo: Workbook) -> None:
    context = AppContext(demo)
    screen, shown = presenting(qtbot, "funnel", context)
    stage = demo.funnel.stages()[0]
    context.perform(demo.funnel.rename_stage, stage.id, "Site visit")
    qtbot.waitUntil(lambda: shown.slides[1].title == "1 of 7: Site visit")
    screen.presenter.leave()


def test_view_present_opens_the_screen_in_view_and_is_off_where_there_are_no_slides(
        qtbot, window) -> None:
    menus = window.menus
    window.show_area("dashboard")
    menus.view_menu.aboutToShow.emit()
    assert menus.present_action.isEnabled() and menus.present_action.text().endswith("\tF5")
    menus.present_action.trigger()
    presenter = window.areas.pages["dashboard"].presenter
    assert presenter.showing and presenter.window.isFullScreen()
    presenter.leave()
    window.show_area("data")  # a table to work in, not a figure to show
    menus.view_menu.aboutToShow.emit()
    assert not menus.present_action.isEnabled()
    menus.present_action.trigger()  # as a stale menu would: nothing happens
    assert not presenter.showing
