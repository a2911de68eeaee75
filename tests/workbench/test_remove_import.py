"""An import can be removed long after it was made (the undo history ends with the
session): the leads it added go, with their stage dates, as one undoable step; what it
updated, and what a later import changed, stays — and the user is told so before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.errors import ValidationError
from workbench.imports import Mapping
from workbench.workbook import Workbook

from .snapshot import dump
from .test_import_formats import write

MAPPING = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source"},
                  stage_dates={"mql": "MQL Date"}, date_format="iso")
FIRST = ("ID,Created,Source,MQL Date\n"
         "A1,2026-01-05,Web,2026-01-09\nA2,2026-01-06,Events,\nA3,2026-01-07,Web,2026-01-10\n")
SECOND = ("ID,Created,Source,MQL Date\n"
          "A3,2026-01-07,Webinar — Zoë,2026-01-10\nB1,2026-02-01,Web,\nB2,2026-02-02,Web,\n")


@pytest.fixture
def imported(blank_path: Path, tmp_path: Path) -> tuple[Workbook, int, int]:
    path = tmp_path / "Two imports.awb"
    path.write_bytes(blank_path.read_bytes())
    wb = Workbook.open(path)
    wb.leads.import_file(write(tmp_path, FIRST, "first.csv"), MAPPING)
    wb.leads.import_file(write(tmp_path, SECOND, "second.csv"), MAPPING)
    second, first = (b.id for b in wb.leads.batches())
    yield wb, first, second
    wb.close()


def external_ids(wb: Workbook) -> list[str]:
    return [r[0] for r in wb.db.conn.execute("SELECT external_id FROM leads ORDER BY id")]


def test_removing_the_first_import_keeps_the_lead_a_later_import_changed(
        imported: tuple[Workbook, int, int]) -> None:
    wb, first, _ = imported
    removal = wb.leads.batch_removal(first)
    assert (removal.removes, removal.keeps_updated, removal.keeps_later) == (2, 0, 1)
    assert removal.sentence().startswith("Removes the leads the import of first.csv (")
    assert ") added (2), with their stage dates." in removal.sentence()
    assert removal.sentence().endswith("Leads it added that a later import changed (1) stay.")
    before = dump(wb)
    wb.leads.remove_batch(first)
    assert external_ids(wb) == ["A3", "B1", "B2"]
    assert wb.db.conn.execute("SELECT count(*) FROM lead_stage_dates WHERE lead_id NOT IN "
                              "(SELECT id FROM leads)").fetchone()[0] == 0
    batch = wb.leads.batch(first)
    assert batch.removed == 2 and batch.removed_at is not None
    assert wb.undo_name == "Remove import of first.csv"
    wb.undo()
    assert dump(wb) == before
    wb.redo()
    assert external_ids(wb) == ["A3", "B1", "B2"]


def test_removing_the_second_import_says_the_lead_it_updated_keeps_its_values(
        imported: tuple[Workbook, int, int]) -> None:
    wb, _, second = imported
    removal = wb.leads.batch_removal(second)
    assert (removal.removes, removal.keeps_updated) == (2, 1)
    assert "Existing leads it updated (1) keep the values it gave them" in removal.sentence()
    wb.leads.remove_batch(second)
    assert external_ids(wb) == ["A1", "A2", "A3"]
    source = wb.db.conn.execute("SELECT source FROM leads WHERE external_id = 'A3'").fetchone()
    assert source == ("Webinar — Zoë",)  # said before: its update stays


def test_a_removed_or_unrecorded_import_cannot_be_removed(
        imported: tuple[Workbook, int, int]) -> None:
    wb, first, second = imported
    wb.leads.remove_batch(second)
    before = dump(wb)
    with pytest.raises(ValidationError, match=r"second.csv \(.*\) was removed already."):
        wb.leads.remove_batch(second)
    wb.db.conn.execute("UPDATE import_batches SET first_lead_id = NULL WHERE id = ?", (first,))
    wb.db.conn.commit()
    before = dump(wb)
    with pytest.raises(ValidationError) as caught:
        wb.leads.remove_batch(first)
    assert "was made before imports recorded which leads they added" in str(caught.value)
    assert dump(wb) == before
    with pytest.raises(ValidationError, match="There is no import 99 in this workbook."):
        wb.leads.batch_removal(99)


def test_an_older_workbooks_imports_migrate_as_not_removable(tmp_path: Path) -> None:
    """Imports made before version 10 did not record their first lead id."""
    from .files import downgraded

    source = tmp_path / "new.awb"
    wb = Workbook.create(source, "blank")
    wb.leads.import_file(write(tmp_path, FIRST, "first.csv"), MAPPING)
    wb.close()
    older = tmp_path / "older.awb"
    downgraded(source, older, 9)
    with Workbook.open(older) as migrated:
        assert [b.removable for b in migrated.leads.batches()] == [False]
    assert sqlite3.connect(older).execute("PRAGMA user_version").fetchone()[0] >= 10
