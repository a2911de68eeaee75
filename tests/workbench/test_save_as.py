"""Save As: a complete copy under the new name, opened in place of the original, which
stays as it was; a target that cannot be written changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.errors import ValidationError, WorkbookFileError
from workbench.workbook import Workbook


def test_save_as_copies_everything_and_continues_in_the_copy(
    demo: Workbook, tmp_path: Path
) -> None:
    original_path = demo.path
    assert original_path is not None
    first = demo.funnel.stages()[0]
    demo.funnel.rename_stage(first.id, "Site visit")  # saved in the original already
    summary = demo.summary()

    copy = demo.save_as(tmp_path / "Copy.awb")
    try:
        assert copy.path == tmp_path / "Copy.awb"
        assert copy.summary() == summary
        assert copy.funnel.stages()[0].name == "Site visit"
        assert not (tmp_path / ".Copy.awb.partial").exists()
        copy.funnel.rename_stage(first.id, "Visit")
        assert copy.undo_name == "Rename stage"
    finally:
        copy.close()
    with Workbook.open(original_path) as original:
        assert original.funnel.stages()[0].name == "Site visit"
    with Workbook.open(tmp_path / "Copy.awb") as reopened:
        assert reopened.funnel.stages()[0].name == "Visit"


def test_save_as_over_another_file_replaces_it(demo: Workbook, tmp_path: Path) -> None:
    target = tmp_path / "Old.awb"
    target.write_text("an old file", encoding="utf-8")
    copy = demo.save_as(target)
    try:
        assert copy.properties().company_name == "Brightline Logistics Software"
    finally:
        copy.close()


def test_save_as_onto_its_own_file_is_refused(demo: Workbook) -> None:
    assert demo.path is not None
    before = demo.path.read_bytes()
    with pytest.raises(ValidationError) as refused:
        demo.save_as(demo.path)
    assert refused.value.message == "That is this workbook's own file; choose another name."
    assert demo.path.read_bytes() == before
    assert demo.funnel.stages()  # still open


def test_save_as_into_a_missing_folder_writes_nothing(demo: Workbook, tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "Copy.awb"
    with pytest.raises(WorkbookFileError) as failed:
        demo.save_as(target)
    assert failed.value.path == str(target)
    assert "cannot be written" in failed.value.problem
    assert not target.parent.exists()
    assert demo.funnel.stages()  # the original stays open


def test_what_a_killed_save_as_left_is_swept_at_the_next_one(demo: Workbook,
                                                             tmp_path: Path) -> None:
    """A Save As killed midway leaves its hidden temporary copy and SQLite's journal for it;
    the next write of that file removes them — but not those of a writer still running."""
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = int(gone.stdout)  # a process that has ended
    target = tmp_path / "Copy.awb"
    stale = tmp_path / f".Copy.awb.{dead}.k2j9x.partial"
    stale.write_bytes(b"half a copy")
    Path(f"{stale}-journal").write_bytes(b"its journal")
    running = tmp_path / f".Copy.awb.{os.getpid()}.a1b2c.partial"  # this process: alive
    running.write_bytes(b"being written")
    copy = demo.save_as(target)
    try:
        assert not stale.exists() and not Path(f"{stale}-journal").exists()
        assert running.exists()
    finally:
        copy.close()
