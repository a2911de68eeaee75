"""Fixtures for the app shell's tests: a main window on its own copy of the demo workbook,
with settings and a data folder under the test's temp folder, never the user's own."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.shell import dialogs
from ui.shell.collector import GuiThreadCollector
from ui.shell.settings import ShellSettings
from ui.sla.workers import wait_for_workers


@pytest.fixture(scope="package", autouse=True)
def collect_on_the_gui_thread(qapp: object) -> Iterator[None]:
    """Python's cycles are collected on the GUI thread, as the app does: with automatic
    collection on, a worker thread (an import, the lead timeline) could free an earlier
    test's widgets off their thread, and Qt crashes. At the end everything left is
    collected here, before the core's tests start threads of their own."""
    collector = GuiThreadCollector()
    yield
    collector.stop()
    gc.collect()


@pytest.fixture(autouse=True)
def widgets_deleted_not_collected(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
                                  ) -> Iterator[None]:
    """Each widget a test gives `qtbot` is held until the test is over, then closed (by
    pytest-qt) and deleted here. pytest-qt holds it only weakly: a window whose test
    function has returned would otherwise be left to Python's cycle collector, which
    destroys a live window with its Python side half torn down, and Qt crashes
    (segfault)."""
    kept: list[QWidget] = []
    add = qtbot.addWidget

    def add_and_keep(widget: QWidget, **options: object) -> None:
        add(widget, **options)  # type: ignore[arg-type]
        kept.append(widget)

    monkeypatch.setattr(qtbot, "addWidget", add_and_keep)
    yield
    for widget in kept:
        if shiboken6.isValid(widget):
            shiboken6.delete(widget)
    kept.clear()


@pytest.fixture(autouse=True)
def no_work_left_running() -> Iterator[None]:
    """A backup copy or an SLA job still running when a test ends is waited for, so it
    never writes into a folder the next test has removed."""
    yield
    wait_for_workers()


@pytest.fixture(autouse=True)
def no_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's data folder (keys, trusted roots) points into the test's temp folder, so
    a screen whose context has no data folder never touches the user's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def shell_settings(tmp_path: Path) -> ShellSettings:
    return ShellSettings(tmp_path / "settings" / "shell.ini")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def demo_file(demo_path: Path, tmp_path: Path) -> Path:
    """A demo workbook of this test's own, "d.awb"."""
    path = tmp_path / "d.awb"
    shutil.copy(demo_path, path)
    return path


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error messages the window shows, captured instead of opening a modal box."""
    shown: list[str] = []

    def capture(parent: object, title: str, text: str, detail: str = "") -> None:
        shown.append(f"{title}\n{text}\n{detail}")

    monkeypatch.setattr(dialogs, "show_error", capture)
    return shown


def make_window(qtbot: QtBot, settings: ShellSettings, data_dir: Path, *,
                laptop_size: bool = True) -> MainWindow:
    """A main window with no workbook yet, shown offscreen (at a laptop's size unless
    it should keep the size it remembered)."""
    window = MainWindow(settings, data_dir)
    qtbot.addWidget(window)
    if laptop_size:
        window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


@pytest.fixture
def window(qtbot: QtBot, shell_settings: ShellSettings, data_dir: Path,
           demo_file: Path, errors: list[str]) -> Iterator[MainWindow]:
    """The main window, shown, on "d.awb"."""
    main = make_window(qtbot, shell_settings, data_dir)
    main.start(demo_file)
    yield main
    main.close()
