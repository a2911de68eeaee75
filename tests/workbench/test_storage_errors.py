"""Errors of the file or the disk become one message that says what is wrong — busy,
full — and nothing changes; never a traceback, never "no such savepoint"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ui.cli import main
from workbench import storage
from workbench.errors import StorageError
from workbench.imports import import_leads
from workbench.workbook import Workbook

from .snapshot import dump
from .test_import_formats import FIXTURES


def test_a_workbook_another_program_is_writing_says_busy_and_changes_nothing(
        blank: Workbook) -> None:
    assert blank.path is not None
    other = sqlite3.connect(blank.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window in the middle of a write
    blank.db.conn.execute("PRAGMA busy_timeout = 50")
    before = dump(blank)
    with pytest.raises(StorageError) as caught:
        blank.set_properties(company_name="Mine")
    assert str(caught.value) == ("Blank.awb: the workbook is busy: another program (or "
                                 "another window) is writing to it. Nothing was changed. Try "
                                 "again in a moment.")
    other.execute("ROLLBACK")
    other.close()
    assert dump(blank) == before and blank.undo_name is None
    blank.set_properties(company_name="Mine")  # once it is free, the edit goes through
    assert blank.properties().company_name == "Mine"


def test_a_full_disk_during_an_import_says_so(blank: Workbook, tmp_path: Path) -> None:
    export = tmp_path / "leads.csv"
    export.write_text("Lead ID,Created,Source\n" + "".join(
        f"L{i},2026-01-05,Campaign number {i} with a long name\n" for i in range(5000)),
        encoding="utf-8")
    before = dump(blank)
    pages = blank.db.conn.execute("PRAGMA page_count").fetchone()[0]
    blank.db.conn.execute(f"PRAGMA max_page_count = {pages + 5}")  # a disk with no room
    with pytest.raises(StorageError) as caught:
        import_leads(blank, export)
    assert "the disk is full, so the change could not be saved. Nothing was changed." \
        in str(caught.value)
    assert "savepoint" not in str(caught.value)
    blank.db.conn.execute("PRAGMA max_page_count = 1073741823")
    assert dump(blank) == before


def test_the_command_line_says_busy_in_one_line(tmp_path: Path, blank_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    path = tmp_path / "Busy.awb"
    shutil.copy(blank_path, path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(storage, "BUSY_SECONDS", 0.05)
    try:
        code = main(["import", str(path), str(FIXTURES / "leads_bom.csv"), "--accept-flagged"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "the workbook is busy: another program (or another window) is writing to it" in err
