"""Rolling backups: a copy on open that is whole and consistent, the newest few kept, an
unchanged workbook not copied again, and a restore that can itself be taken back."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from workbench import backups
from workbench.errors import StorageError, WorkbookFileError
from workbench.workbook import Workbook

from .snapshot import dump, integrity_problems
from .test_read_only_places import small_disk

MORNING = datetime(2026, 12, 6, 9, 0, 0)


@pytest.fixture
def workbook_path(demo_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "work" / "Brightline – Plan 2027.awb"
    path.parent.mkdir()
    shutil.copy(demo_path, path)
    return path


def rename_first_stage(path: Path, name: str) -> None:
    with Workbook.open(path) as wb:
        wb.funnel.rename_stage(wb.funnel.stages()[0].id, name)


def first_stage(path: Path) -> str:
    with Workbook.open(path) as wb:
        return wb.funnel.stages()[0].name


def test_a_backup_is_a_whole_workbook_with_the_same_contents(
        workbook_path: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    with Workbook.open(workbook_path) as wb:
        wb.funnel.rename_stage(wb.funnel.stages()[0].id, "Zoë 李雷 <b")
        # Taken while the workbook is open, its last edit still in the log beside it.
        backup = backups.take(workbook_path, root, now=MORNING)
        expected = dump(wb)
    assert backup is not None
    assert backup.path.name == "2026-12-06 09.00.00.awb"
    assert backup.path.parent == backups.folder_for(workbook_path, root)
    assert backup.path.parent.name.startswith("Brightline – Plan 2027-")
    with Workbook.open(backup.path) as copy:
        assert dump(copy) == expected
        assert integrity_problems(copy) == []
    assert backups.backups(workbook_path, root) == [backup]
    assert not list(backup.path.parent.glob("*partial*"))


def test_only_the_newest_copies_are_kept_and_an_unchanged_workbook_is_not_copied_again(
        workbook_path: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    assert backups.take(workbook_path, root, keep=3, now=MORNING) is not None
    assert backups.take(workbook_path, root, keep=3, now=MORNING + timedelta(hours=1)) is None
    for hour in range(1, 6):
        rename_first_stage(workbook_path, f"Stage v{hour}")
        assert backups.take(workbook_path, root, keep=3,
                            now=MORNING + timedelta(hours=hour)) is not None
    kept = backups.backups(workbook_path, root)
    assert [b.taken.hour for b in kept] == [14, 13, 12]  # newest first
    assert [first_stage(b.path) for b in kept] == ["Stage v5", "Stage v4", "Stage v3"]
    assert sorted(p.name for p in kept[0].path.parent.iterdir()) == sorted(
        [b.path.name for b in kept] + ["backups.json"])


def test_copies_taken_in_the_same_second_are_both_kept_in_order(
        workbook_path: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    backups.take(workbook_path, root, now=MORNING)
    rename_first_stage(workbook_path, "Later")
    second = backups.take(workbook_path, root, now=MORNING)
    assert second is not None and second.path.name == "2026-12-06 09.00.00-2.awb"
    assert [first_stage(b.path) for b in backups.backups(workbook_path, root)][0] == "Later"


def test_two_workbooks_with_one_name_in_different_folders_keep_their_own_copies(
        demo_path: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    first, second = tmp_path / "a" / "Plan.awb", tmp_path / "b" / "Plan.awb"
    for path in (first, second):
        path.parent.mkdir()
        shutil.copy(demo_path, path)
    backups.take(first, root, now=MORNING)
    assert backups.backups(second, root) == []
    assert backups.folder_for(first, root) != backups.folder_for(second, root)


def test_restore_puts_the_copy_back_and_keeps_the_workbook_as_it_was(
        workbook_path: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    original = first_stage(workbook_path)
    backup = backups.take(workbook_path, root, now=MORNING)
    assert backup is not None
    rename_first_stage(workbook_path, "Renamed after the backup")
    kept = backups.restore(backup, workbook_path, root)
    assert first_stage(workbook_path) == original
    assert kept is not None and first_stage(kept.path) == "Renamed after the backup"
    backups.restore(kept, workbook_path, root)  # and back again
    assert first_stage(workbook_path) == "Renamed after the backup"


def test_restoring_a_damaged_copy_is_refused_and_changes_nothing(
        workbook_path: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    backup = backups.take(workbook_path, root, now=MORNING)
    assert backup is not None
    data = backup.path.read_bytes()
    backup.path.write_bytes(data[: len(data) // 2])
    before = workbook_path.read_bytes()
    with pytest.raises(WorkbookFileError, match="the file is damaged"):
        backups.restore(backup, workbook_path, root)
    assert workbook_path.read_bytes() == before
    assert len(backups.backups(workbook_path, root)) == 1


def test_a_backup_onto_a_full_disk_says_so_and_leaves_nothing_behind(
        workbook_path: Path) -> None:
    with small_disk(1) as disk:
        with pytest.raises(StorageError) as caught:
            backups.take(workbook_path, disk)
        leftovers = [p.name for p in disk.rglob("*") if p.is_file()]
    assert str(caught.value) == ("Brightline – Plan 2027.awb: could not back it up (the disk "
                                 "is full). The workbook itself was not changed.")
    assert leftovers == []


def test_a_backup_of_a_workbook_another_connection_is_writing_is_consistent(
        workbook_path: Path, tmp_path: Path) -> None:
    writer = sqlite3.connect(workbook_path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE properties SET company_name = 'half-way'")
    try:
        backup = backups.take(workbook_path, tmp_path / "backups", now=MORNING)
    finally:
        writer.rollback()
        writer.close()
    assert backup is not None
    with Workbook.open(backup.path) as copy:
        assert copy.properties().company_name != "half-way"
