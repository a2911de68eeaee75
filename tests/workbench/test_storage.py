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
