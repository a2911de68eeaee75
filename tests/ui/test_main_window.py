"""The main window as a user meets it: title, sidebar, areas, undo from the Edit menu,
closing the workbook, and what it remembers between runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.areas import AREAS, Area
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.shell.area_stack import AreaStack, screen_class
from ui.shell.cards import ComingSoon, ScreenFailed
from ui.shell.settings import ShellSettings

from .conftest import make_window


def label_texts(widget: object) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]  # type: ignore[attr-defined]


def plain(text: str) -> str:
    return text.replace("&", "")


def test_window_opens_on_the_workbook_and_names_it(window: MainWindow, demo_file: Path) -> None:
    assert window.windowTitle() == f"d — {demo_file} — Alignment Workbench"
    assert window.sidebar.company_label.text() == "Brightline Logistics Software"
    assert window.sidebar.file_label.text() == "d.awb"
    assert window.counts_label.text() == (
        "7 stages · 6 quarters · 4,300 leads · saved automatically")
    assert window.current_area() == "funnel"


def test_each_area_shows_its_screen_or_a_coming_soon_card(window: MainWindow) -> None:
    for area in AREAS:
        window.show_area(area.key)
        page = window.areas.current_page()
        assert window.current_area() == area.key
        expected = screen_class(area.screen) if area.screen else None
        if expected is None:
            assert isinstance(page, ComingSoon)
            assert {area.title, area.blurb, "Coming soon"} <= set(label_texts(page))
        else:
            assert type(page) is expected
        assert page.isVisible()


def test_ctrl_and_a_number_switches_area(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "plan"
    assert window.areas.current_page() is window.areas.pages["plan"]
    assert window.menus.area_actions["plan"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "funnel"
    assert window.areas.current_page() is window.areas.pages["funnel"]


def _click_area(qtbot: QtBot, window: MainWindow, key: str) -> None:
    row = [area.key for area in AREAS].index(key)
    area_list = window.sidebar.area_list
    centre = area_list.visualItemRect(area_list.item(row)).center()
    qtbot.mouseClick(area_list.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_an_area_clicked_in_the_sidebar_is_made_then_shown_a_turn_later(
        window: MainWindow, qtbot: QtBot) -> None:
    """The window paints between making a screen and styling and showing it: each half
    stops it half as long."""
    _click_area(qtbot, window, "plan")
    assert window.sidebar.current_key() == "plan"
    assert window.menus.area_actions["plan"].isChecked()
    assert "plan" not in window.areas.pages and window.areas.showing_soon
    assert window.current_area() == "plan"  # the sidebar and the menu say so at once
    qtbot.waitUntil(lambda: window.areas.current_page() is window.areas.pages.get("plan"))
    assert window.areas.current_page().isVisible()
    assert not window.areas.showing_soon

    _click_area(qtbot, window, "funnel")  # made before: shown at once
    assert window.areas.current_page() is window.areas.pages["funnel"]


def test_the_last_area_chosen_wins_and_one_made_meanwhile_is_kept(
        window: MainWindow, qtbot: QtBot) -> None:
    _click_area(qtbot, window, "workshop")
    _click_area(qtbot, window, "sla")
    qtbot.waitUntil(lambda: not window.areas.showing_soon)
    assert window.current_area() == "sla"
    assert window.areas.current_page() is window.areas.pages["sla"]
    made = window.areas._made["workshop"]  # made, never shown: shown when chosen again
    window.show_area("workshop")
    assert window.areas.current_page() is made
    window.close_workbook()  # pages made and not shown go with the workbook too
    assert window.areas._made == {} and window.areas.pages == {}


def test_a_screen_module_not_written_yet_shows_the_placeholder(qtbot: QtBot) -> None:
    stack = AreaStack(AppContext())
    qtbot.addWidget(stack)
    stack.areas = {
        "later": Area("later", "Later", "Not written yet", "ui.not_written_yet:Screen"),
        "broken": Area("broken", "Broken", "Names a missing class", "ui.areas:NoSuchScreen"),
    }
    assert screen_class("ui.not_written_yet:Screen") is None
    assert isinstance(stack.show_area("later"), ComingSoon)
    broken = stack.show_area("broken")
    assert isinstance(broken, ScreenFailed)
    assert any("NoSuchScreen" in text for text in label_texts(broken))


def stage_id(window: MainWindow, name: str) -> int:
    workbook = window.context.workbook
    assert workbook is not None
    return next(s.id for s in workbook.funnel.stages() if s.name == name)


def stage_names(window: MainWindow) -> list[str]:
    workbook = window.context.workbook
    assert workbook is not None
    return [s.name for s in workbook.funnel.stages()]


def test_edit_menu_undoes_and_redoes_a_named_step(window: MainWindow, qtbot: QtBot) -> None:
    undo, redo = window.menus.undo_action, window.menus.redo_action
    assert (plain(undo.text()), undo.isEnabled()) == ("Nothing to undo", False)
    workbook = window.context.workbook
    assert workbook is not None
    window.context.perform(workbook.funnel.rename_stage, stage_id(window, "Inquiry"), "Enquiry")
    assert (plain(undo.text()), undo.isEnabled()) == ("Undo Rename stage", True)
    assert (plain(redo.text()), redo.isEnabled()) == ("Nothing to redo", False)

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Inquiry" in stage_names(window) and "Enquiry" not in stage_names(window)
    assert plain(redo.text()) == "Redo Rename stage"
    assert (plain(undo.text()), undo.isEnabled()) == ("Nothing to undo", False)
    assert window.statusBar().currentMessage() == "Undid “Rename stage”"

    qtbot.keyClick(window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Enquiry" in stage_names(window)
    assert plain(undo.text()) == "Undo Rename stage"


def test_close_shows_the_empty_state_with_ways_back(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.context.workbook is None
    assert window.pages.currentWidget() is window.empty_state
    assert window.windowTitle() == "Alignment Workbench"
    assert "No workbook open" in label_texts(window.empty_state)
    buttons = [window.empty_state.new_button, window.empty_state.open_button,
               window.empty_state.demo_button]
    assert [b.text() for b in buttons] == ["New workbook…", "Open workbook…", "Open demo"]
    assert not window.menus.save_as_action.isEnabled()
    assert plain(window.menus.undo_action.text()) == "Nothing to undo"

    qtbot.mouseClick(window.empty_state.demo_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.workspace
    assert window.windowTitle().startswith("Demo company — ")


def test_window_remembers_its_size_and_area(
    qtbot: QtBot, shell_settings: ShellSettings, data_dir: Path, demo_file: Path,
    errors: list[str],
) -> None:
    shell_settings.last_area = "dashboard"  # a light page, so the window can be small
    first = make_window(qtbot, shell_settings, data_dir)
    first.start(demo_file)
    first.resize(760, 560)  # fits the offscreen screen, so it is restored as is
    first.show_area("sla")
    first.close()

    second = make_window(qtbot, ShellSettings(Path(shell_settings.store.fileName())), data_dir,
                         laptop_size=False)
    second.start()
    assert second.windowTitle().startswith("d — ")  # the last workbook, reopened
    assert second.current_area() == "sla"
    assert (second.width(), second.height()) == (760, 560)
    assert [text.split("  ")[1] for text in second.menus.recent_texts()] == ["d.awb"]
    second.close()
