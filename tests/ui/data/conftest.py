"""Fixtures for the Data screens: the screen on its own copy of the demo workbook, files
written under the test's temp folder, and the file and name questions answered without a
modal box. No import thread may outlive its test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.workbench.test_import_formats import FIXTURES
from ui.context import AppContext
from ui.data import common
from ui.data.import_dialog import ImportDialog
from ui.data.import_job import running_jobs
from ui.data.screen import DataScreen
from workbench.workbook import Workbook

__all__ = ["FIXTURES"]


@pytest.fixture(autouse=True)
def no_thread_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=20_000)


@pytest.fixture
def context(demo: Workbook) -> AppContext:
    return AppContext(demo)


def show_screen(qtbot: QtBot, context: AppContext) -> DataScreen:
    screen = DataScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


@pytest.fixture
def screen(qtbot: QtBot, context: AppContext) -> DataScreen:
    """The Data screen on the demo workbook (4,300 leads), shown at a laptop's size."""
    return show_screen(qtbot, context)


@pytest.fixture
def answer_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, Path | None]:
    """Set "open" (the file to import) and "save" (where a CSV goes) before clicking."""
    answers: dict[str, Path | None] = {"open": None, "save": None}
    monkeypatch.setattr(common, "ask_import_path", lambda *_: answers["open"])
    monkeypatch.setattr(common, "ask_csv_path", lambda *_: answers["save"])
    return answers


def wait_until_idle(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)


def write_csv_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def user_data(wb: Workbook) -> dict[str, list[tuple[object, ...]]]:
    """Every table but the lead summaries, a cache the closed-loop numbers rebuild from
    the leads whenever they are out of date (deriving actuals brings it up to date)."""
    from tests.workbench.snapshot import dump

    return {k: v for k, v in dump(wb).items() if not k.startswith("lead_summary")}
