"""A big workbook from elsewhere is checked on a worker thread before it opens: the window
goes on painting, a damaged file is refused as before, and Cancel opens nothing."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from tests.workbench.test_storage import damage_a_page
from ui.main_window import MainWindow
from ui.shell import open_check
from workbench import storage
from workbench.errors import CheckCancelled


@pytest.fixture
def everything_is_big(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file counts as big; the names of the threads the full check ran on."""
    monkeypatch.setattr(open_check, "CHECK_ELSEWHERE_FROM", 0)
    threads: list[str] = []
    real = storage.inspect

    def inspect(path: Path, *, check: bool = True, cancelled=None) -> int:  # noqa: ANN001
        if check:
            threads.append(threading.current_thread().name)
        return real(path, check=check, cancelled=cancelled)

    monkeypatch.setattr(storage, "inspect", inspect)
    return threads


def test_a_big_file_from_elsewhere_is_checked_off_the_gui_thread(
        window: MainWindow, demo_file: Path, tmp_path: Path, everything_is_big: list[str],
        errors: list[str]) -> None:
    other = tmp_path / "from elsewhere.awb"
    shutil.copy(demo_file, other)
    assert window.open_path(other)
    assert window.context.workbook is not None and window.context.workbook.path == other
    assert everything_is_big and threading.main_thread().name not in everything_is_big
    assert errors == []


def test_a_damaged_big_file_is_refused_and_the_open_one_stays(
        window: MainWindow, demo_file: Path, tmp_path: Path, everything_is_big: list[str],
        errors: list[str]) -> None:
    bad = tmp_path / "bad.awb"
    shutil.copy(demo_file, bad)
    damage_a_page(bad)
    assert not window.open_path(bad)
    assert len(errors) == 1 and "“bad.awb” cannot be opened: the file is damaged" in errors[0]
    assert "Nothing was written to the file." in errors[0]
    assert window.context.workbook is not None and window.context.workbook.path == demo_file


def test_cancel_stops_the_check_and_opens_nothing(
        window: MainWindow, demo_file: Path, tmp_path: Path, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch, errors: list[str]) -> None:
    monkeypatch.setattr(open_check, "CHECK_ELSEWHERE_FROM", 0)
    asked: list[bool] = []

    def endless_check(path: Path, *, check: bool = True, cancelled=None) -> int:  # noqa: ANN001
        while not cancelled():  # a check that would take minutes
            threading.Event().wait(0.01)
        asked.append(True)
        raise CheckCancelled(path, "the check was cancelled")

    monkeypatch.setattr(storage, "inspect", endless_check)
    other = tmp_path / "huge.awb"
    shutil.copy(demo_file, other)
    shown: list[str] = []

    def press_cancel() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, QProgressDialog) and w.isVisible())
        shown.append(dialog.labelText())
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    QTimer.singleShot(200, press_cancel)
    said: list[str] = []

    def hear(text: str, _ms: int) -> None:
        said.append(text)

    window.context.status.connect(hear)
    assert not window.open_path(other)
    assert shown and "Checking “huge.awb” before opening it" in shown[0]
    assert asked == [True]
    assert said[-1] == "huge.awb was not opened: its check was cancelled."
    assert errors == []
    assert window.context.workbook is not None and window.context.workbook.path == demo_file
