"""Files that are not workbooks this version can open are refused by name, untouched."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench import schema, storage
from workbench.errors import WorkbookFileError
from workbench.workbook import Workbook

from .files import BAD_FILES, make_bad_file, state


@pytest.mark.parametrize("kind", list(BAD_FILES))
@pytest.mark.parametrize("opener", [storage.inspect, Workbook.open], ids=["inspect", "open"])
def test_bad_file_is_refused_by_name_and_left_untouched(
    kind: str, opener: Callable[[Path], object], tmp_path: Path, demo_path: Path
) -> None:
    path, problem = make_bad_file(kind, tmp_path, demo_path)
    before = state(tmp_path)

    with pytest.raises(WorkbookFileError) as caught:
        opener(path)

    assert str(caught.value).startswith(f"{path}: ")
    assert problem in caught.value.problem
    assert state(tmp_path) == before  # same bytes, no -wal, -shm or backup left behind


def test_truncated_file_problem_says_damaged_not_something_vaguer(
    tmp_path: Path, demo_path: Path
) -> None:
    path, _ = make_bad_file("half", tmp_path, demo_path)
    with pytest.raises(WorkbookFileError, match="damaged"):
        Workbook.open(path)


def test_inspecting_a_good_workbook_creates_nothing_beside_it(
    tmp_path: Path, demo_path: Path
) -> None:
    path = tmp_path / "Good.awb"
    shutil.copy(demo_path, path)
    before = state(tmp_path)
    assert storage.inspect(path) == schema.SCHEMA_VERSION
    assert state(tmp_path) == before


def test_workbook_left_by_a_crash_keeps_edits_in_its_log(tmp_path: Path, demo_path: Path) -> None:
    """A -wal file with committed edits is read, not ignored, when the file is inspected."""
    path = tmp_path / "Crashed.awb"
    shutil.copy(demo_path, path)
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE properties SET company_name = 'Edited before the crash'")
    writer.commit()
    # The connection stays open (as in a killed process), so the edit lives in the -wal.
    assert Path(f"{path}-wal").stat().st_size > 0
    assert storage.inspect(path) == schema.SCHEMA_VERSION
    with Workbook.open(path) as workbook:
        assert workbook.properties().company_name == "Edited before the crash"
    writer.close()


def damage_a_page(path: Path) -> None:
    """Scribble over a page deep inside the file (the header stays intact)."""
    data = bytearray(path.read_bytes())
    page = 4096 * (len(data) // 4096 // 2)
    data[page:page + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))


def test_a_damaged_page_is_found_unless_the_caller_vouches_for_the_file(tmp_path: Path) -> None:
    path = tmp_path / "w.awb"
    Workbook.create(path, "demo").close()
    damage_a_page(path)
    with pytest.raises(WorkbookFileError, match="the file is damaged"):
        storage.inspect(path)
    # Skipped for a file this app closed itself: only the cheap checks run.
    assert storage.inspect(path, check=False) == schema.SCHEMA_VERSION


def test_a_file_stamp_changes_with_the_file_and_is_none_while_it_is_open(tmp_path: Path) -> None:
    path = tmp_path / "w.awb"
    assert storage.file_stamp(path) is None  # no file
    workbook = Workbook.create(path, "blank")
    assert storage.file_stamp(path) is None  # in use: its log lies beside it
    workbook.close()
    closed = storage.file_stamp(path)
    assert closed is not None and storage.file_stamp(path) == closed
    with Workbook.open(path) as workbook:
        workbook.set_properties(company_name="Changed Co")
    assert storage.file_stamp(path) not in (None, closed)
