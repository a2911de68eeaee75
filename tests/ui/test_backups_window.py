"""File → Restore from Backup… in the window: a copy is kept when a workbook is opened (off
the GUI thread), the dialog lists the copies with when they were taken, and restoring one
puts it back and keeps the workbook as it was."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import ui.main_window as main_window_module
from ui.main_window import MainWindow
from ui.shell.backups import RestoreDialog, age, backups_root
from ui.sla.workers import wait_for_workers
from workbench import backups
from workbench.backups import Backup

from ..workbench.files import held_elsewhere


def first_stage(window: MainWindow) -> str:
    workbook = window.context.workbook
    assert workbook is not None
    return workbook.funnel.stages()[0].name


def test_opening_a_workbook_keeps_a_copy_of_it(qtbot: QtBot, window: MainWindow,
                                               demo_file: Path, data_dir: Path) -> None:
    qtbot.waitUntil(lambda: "Kept a backup copy of this workbook"
                    in window.statusBar().currentMessage())
    found = backups.backups(demo_file, backups_root(data_dir))
    assert len(found) == 1
    assert found[0].path.parent.parent == data_dir / "Backups"


def test_restoring_a_copy_puts_it_back_and_keeps_the_workbook_as_it_was(
        window: MainWindow, demo_file: Path, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    wait_for_workers()
    original = first_stage(window)
    workbook = window.context.workbook
    assert workbook is not None
    window.context.perform(workbook.funnel.rename_stage, workbook.funnel.stages()[0].id,
                           "Renamed since — 李雷")
    offered: list[list[Backup]] = []

    def choose_oldest(parent: object, name: str, found: list[Backup],
                      folder: Path) -> Backup:
        offered.append(found)
        return found[-1]

    monkeypatch.setattr(main_window_module, "ask_backup", choose_oldest)
    window.menus.restore_action.trigger()
    assert len(offered[0]) == 1
    assert first_stage(window) == original
    assert window.windowTitle().startswith("d — ")
    assert "Restored the copy taken" in window.statusBar().currentMessage()
    kept = backups.backups(demo_file, backups_root(data_dir))
    assert len(kept) == 2  # the restored copy, and the workbook as it was before
    assert window.menus.undo_action.isEnabled() is False  # a fresh start, nothing to undo
    # The copy of the workbook as it was brings the rename back.
    monkeypatch.setattr(main_window_module, "ask_backup",
                        lambda parent, name, found, folder: found[0])
    window.menus.restore_action.trigger()
    assert first_stage(window) == "Renamed since — 李雷"


def test_restoring_while_another_program_has_the_workbook_is_refused(
        qtbot: QtBot, window: MainWindow, demo_file: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    wait_for_workers()
    window.close_workbook()
    monkeypatch.setattr(main_window_module, "ask_backup",
                        lambda parent, name, found, folder: found[0])
    with held_elsewhere(demo_file):
        assert window.open_path(demo_file)
        before = demo_file.read_bytes()
        window.menus.restore_action.trigger()
        assert demo_file.read_bytes() == before
    assert len(errors) == 1 and "“d.awb” cannot be replaced now." in errors[0]
    assert "is open in" in errors[0]


def test_the_dialog_lists_the_copies_newest_first_with_when_they_were_taken(
        qtbot: QtBot, tmp_path: Path) -> None:
    now = datetime.now().replace(microsecond=0)
    found = [Backup(tmp_path / "a.awb", now - timedelta(minutes=5), 2_187_264),
             Backup(tmp_path / "b.awb", now - timedelta(days=1, hours=2), 900)]
    dialog = RestoreDialog("Brightline – Plan 2027.awb", found, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    rows = [[dialog.table.item(r, c).text() for c in range(3)] for r in range(2)]
    assert rows[0][1:] == ["5 minutes ago", "2.1 MB"]
    assert rows[1][1:] == ["yesterday", "900 bytes"]
    assert rows[0][0] == f"{found[0].taken:%A %d %B %Y, %H:%M:%S}"
    assert dialog.chosen() == found[0]  # the newest is chosen to begin with
    assert dialog.restore_button.isEnabled()
    dialog.grab().save(str(tmp_path / "restore.png"))


def test_the_dialog_says_when_there_is_no_copy_yet(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = RestoreDialog("Plan.awb", [], tmp_path)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled() and dialog.chosen() is None
    assert dialog.table.isHidden()


@pytest.mark.parametrize(("seconds", "says"), [
    (5, "just now"), (60, "1 minute ago"), (7_200, "2 hours ago"), (86_400, "yesterday"),
    (3 * 86_400 + 5, "3 days ago")])
def test_ages_in_words(seconds: int, says: str) -> None:
    now = datetime(2026, 12, 6, 12, 0, 0)
    assert age(now - timedelta(seconds=seconds), now) == says
