"""A file with our application id and schema version but objects the app never made is
refused before anything in it runs: its own triggers, a view in place of a table, a
missing column, a value (an unknown status) its rules forbid."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from workbench.errors import WorkbookFileError
from workbench.workbook import Workbook

EVIL_TRIGGER = ("CREATE TRIGGER rewrite AFTER INSERT ON leads BEGIN "
                "UPDATE properties SET company_name = 'pwned'; END")


def hostile(blank_path: Path, tmp_path: Path, *statements: str) -> Path:
    path = tmp_path / "Hostile.awb"
    shutil.copy(blank_path, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(("statements", "says"), [
    ((EVIL_TRIGGER,), "it has a trigger “rewrite” this app did not create"),
    (("CREATE TRIGGER loop AFTER UPDATE ON properties BEGIN "
      "UPDATE properties SET company_name = company_name || 'x'; END",),
     "it has a trigger “loop” this app did not create"),
    (("DROP TABLE workshop_answers", "CREATE VIEW workshop_answers AS SELECT 1 AS id"),
     "a view “workshop_answers” where this app keeps a table"),
    (("ALTER TABLE leads DROP COLUMN campaign",),
     "the table “leads” with other columns than this app made"),
    (("DROP TABLE decisions",), "no table “decisions”"),
    (("PRAGMA ignore_check_constraints = ON", "UPDATE stages SET agreement = 'banana'"),
     "its stages table holds a value this app never writes (an unknown status"),
    (("PRAGMA ignore_check_constraints = ON",
      "UPDATE properties SET fiscal_year_start_month = 13"),
     "its properties table holds a value this app never writes"),
    # Its own table definition, with the rule taken away, does not let the value in.
    (("PRAGMA writable_schema = ON",
      "UPDATE sqlite_schema SET sql = replace(sql, '''disputed'')', '''disputed'', ''banana'')')"
      " WHERE name = 'stages'", "PRAGMA writable_schema = RESET",
      "UPDATE stages SET agreement = 'banana'"),
     "its stages table holds a value this app never writes"),
])

def test_a_workbook_with_objects_the_app_did_not_make_is_refused(
        blank_path: Path, tmp_path: Path, statements: tuple[str, ...], says: str) -> None:
    path = hostile(blank_path, tmp_path, *statements)
    before = path.read_bytes()
    with pytest.raises(WorkbookFileError) as caught:
        Workbook.open(path)
    message = str(caught.value)
    assert "was changed outside Alignment Workbench" in message and says in message
    assert "nothing in it ran" in message
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_an_untouched_workbook_opens(blank_path: Path, tmp_path: Path) -> None:
    with Workbook.open(hostile(blank_path, tmp_path)) as wb:
        assert wb.read_only is None


def test_only_a_caller_that_vouches_for_the_file_skips_the_comparison(
        blank_path: Path, tmp_path: Path) -> None:
    """`check=False` is for a file this app closed itself and nothing touched since (the
    app tells by its stamp; tests/ui/test_workbook_files.py): a file changed since is
    compared again, and refused."""
    from workbench import storage

    path = hostile(blank_path, tmp_path, EVIL_TRIGGER)
    with pytest.raises(WorkbookFileError, match="trigger “rewrite” this app did not create"):
        storage.inspect(path)
    assert storage.inspect(path, check=False) == Workbook.schema_version()
