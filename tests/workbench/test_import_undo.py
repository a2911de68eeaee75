"""An import is one undo step: undo gives back the workbook exactly as before (leads, their
stage dates, the summaries, the import record), redo exactly as after — for new leads and
for leads a re-import updated. Saved mappings are ordinary undoable edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import ValidationError
from workbench.imports import Mapping, import_leads
from workbench.workbook import Workbook

from .snapshot import dump, integrity_problems
from .test_import_formats import FIXTURES, stage_dates, write


def temp_tables(wb: Workbook) -> list[str]:
    return [r[0] for r in wb.db.conn.execute(
        "SELECT name FROM temp.sqlite_schema WHERE type = 'table' AND name LIKE 'import_%'")]


def round_trip(wb: Workbook, run: object) -> None:
    before = dump(wb)
    run()  # type: ignore[operator]
    after = dump(wb)
    assert after != before
    assert wb.undo_name == "Import leads"
    changes = wb.undo()
    assert changes.undone and changes.data
    assert dump(wb) == before
    assert wb.redo_name == "Import leads"
    wb.redo()
    assert dump(wb) == after
    wb.undo()
    assert dump(wb) == before  # and again: the saved copies are still right
    assert integrity_problems(wb) == []


def test_a_first_import_undoes_and_redoes_as_one_step(demo: Workbook) -> None:
    round_trip(demo, lambda: import_leads(demo, FIXTURES / "hubspot_contacts.csv",
                                          preset="hubspot"))


def test_a_reimport_that_updated_leads_puts_the_old_values_back(blank: Workbook,
                                                                tmp_path: Path) -> None:
    mapping = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source"},
                      stage_dates={"MQL": "MQL"})
    import_leads(blank, write(tmp_path, "ID,Created,Source,MQL\nA,2026-01-01,Web,2026-01-02\n"
                                        "B,2026-01-03,Web,\nD,2026-01-05,Web,\n"), mapping)
    changed = write(tmp_path, "ID,Created,Source,MQL\nA,2026-01-01,Events,\n"
                              "B,2026-01-03,Web,2026-01-09\nC,2026-01-04,Web,\n"
                              "D,2026-01-05,Web,\n", "b.csv")  # D unchanged
    round_trip(blank, lambda: import_leads(blank, changed, mapping))
    assert stage_dates(blank, "A")["mql"] == "2026-01-02T00:00:00"
    assert "mql" not in stage_dates(blank, "B")


def test_the_import_step_is_named_and_logged(blank: Workbook) -> None:
    changes, report = import_leads(blank, FIXTURES / "leads_bom.csv")
    assert changes.step == "Import leads"
    assert changes.tables == {"leads", "lead_stage_dates", "import_batches",
                              "lead_tops", "lead_top_lists"}
    entry = blank.change_log(limit=1)[0]
    assert (entry.step, entry.new) == ("Import leads", "2 leads added, 0 updated from "
                                                       "leads_bom.csv.")
    assert [b.file for b in blank.leads.batches()] == ["leads_bom.csv"]
    blank.undo()
    assert blank.leads.batches() == []


def test_a_new_step_after_undo_drops_the_import_s_saved_copies(blank: Workbook) -> None:
    import_leads(blank, FIXTURES / "leads_bom.csv")
    assert temp_tables(blank)
    blank.undo()
    blank.set_properties(company_name="Next")  # clears redo
    assert temp_tables(blank) == []


def test_import_undo_import_again_undo_still_undoes(blank: Workbook) -> None:
    """The second import gets the first one's batch id; dropping the discarded step's
    copies must leave the new step's alone ("no such table: temp.import_1_new_leads")."""
    before = dump(blank)
    import_leads(blank, FIXTURES / "leads_bom.csv")
    blank.undo()
    round_trip(blank, lambda: import_leads(blank, FIXTURES / "leads_bom.csv"))
    assert dump(blank) == before
    blank.set_properties(company_name="Older step below")
    round_trip(blank, lambda: import_leads(blank, FIXTURES / "leads_bom.csv"))
    blank.undo()  # and what lies below still undoes
    assert dump(blank) == before


def test_an_import_pushed_out_of_the_history_drops_its_copies(blank: Workbook) -> None:
    blank.history.cap = 2
    import_leads(blank, FIXTURES / "leads_bom.csv")
    blank.set_properties(company_name="One")
    blank.set_properties(company_name="Two")
    assert temp_tables(blank) == []


def _summaries(wb: Workbook) -> dict[str, list[tuple[object, ...]]]:
    return {table: wb.db.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4").fetchall()
            for table in ("lead_summary_cells", "lead_summary_hours")} | {
        "lead_summary_stamp": wb.db.conn.execute("SELECT * FROM lead_summary_stamp").fetchall()}


def test_undoing_an_import_restores_summaries_other_steps_left(blank: Workbook) -> None:
    import_leads(blank, FIXTURES / "closed_loop_leads.csv")
    before = _summaries(blank)
    assert all(before.values())
    import_leads(blank, FIXTURES / "leads_bom.csv")
    after = _summaries(blank)
    assert after != before
    blank.undo()
    assert _summaries(blank) == before  # every row, every list of hours, the stamp
    blank.redo()
    assert _summaries(blank) == after
    blank.undo()
    assert _summaries(blank) == before


def test_undoing_an_import_after_the_summaries_were_built_again_still_restores_them(
        blank: Workbook) -> None:
    # Stages reordered, numbers read (the summaries built again for the new order), the
    # order put back: the import's undo finds summaries the import did not leave
    from workbench import closed_loop

    import_leads(blank, FIXTURES / "closed_loop_leads.csv")
    before = _summaries(blank)
    import_leads(blank, FIXTURES / "leads_bom.csv")
    stages = blank.funnel.stages()
    blank.funnel.move_stage(stages[1].id, 3)
    assert closed_loop.refresh(blank)  # built again
    reordered = _summaries(blank)
    blank.undo()  # the move
    assert blank.undo_name == "Import leads"
    blank.undo()
    assert reordered != before
    assert _summaries(blank) == before


# -- saved mappings -------------------------------------------------------------------------------
MAPPING = Mapping(fields={"external_id": "Lead ID", "created": "Created"},
                  stage_dates={"MQL": "MQL Date"}, date_format="us")


def test_saving_a_mapping_is_undoable(blank: Workbook) -> None:
    before = dump(blank)
    blank.leads.save_mapping("  Our  CRM  ", MAPPING)
    assert blank.leads.mappings() == {"Our CRM": MAPPING}
    after = dump(blank)
    blank.undo()
    assert dump(blank) == before
    blank.redo()
    assert dump(blank) == after


def test_replacing_and_deleting_a_mapping_are_undoable(blank: Workbook) -> None:
    blank.leads.save_mapping("CRM", MAPPING)
    changed = MAPPING.with_field("source", "Lead Source")
    blank.leads.save_mapping("CRM", changed)
    assert blank.leads.mappings()["CRM"] == changed
    blank.undo()
    assert blank.leads.mappings()["CRM"] == MAPPING
    blank.leads.delete_mapping("CRM")
    assert blank.leads.mappings() == {}
    assert blank.undo_name == "Delete import mapping"
    blank.undo()
    assert blank.leads.mappings() == {"CRM": MAPPING}
    blank.redo()
    assert blank.leads.mappings() == {}


def test_saving_the_same_mapping_again_is_no_step(blank: Workbook) -> None:
    blank.leads.save_mapping("CRM", MAPPING)
    assert blank.leads.save_mapping("CRM", MAPPING).empty
    assert blank.undo_name == "Save import mapping"
    blank.undo()
    assert blank.undo_name is None


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Give the mapping a name."),
    ("x" * 101, "A mapping name can be at most 100 characters."),
])
def test_a_mapping_needs_a_sensible_name(blank: Workbook, name: str, message: str) -> None:
    before = dump(blank)
    with pytest.raises(ValidationError) as caught:
        blank.leads.save_mapping(name, MAPPING)
    assert (caught.value.field, caught.value.message) == ("name", message)
    assert dump(blank) == before


def test_deleting_a_mapping_that_is_not_there(blank: Workbook) -> None:
    with pytest.raises(ValidationError, match="There is no saved mapping “Nope”."):
        blank.leads.delete_mapping("Nope")


def test_a_mapping_survives_json_and_bad_json_is_refused() -> None:
    assert Mapping.from_json(MAPPING.to_json()) == MAPPING
    with pytest.raises(ValidationError, match="The mapping is not valid JSON"):
        Mapping.from_json("{nope")
    with pytest.raises(ValidationError, match="This is not a saved import mapping"):
        Mapping.from_json('{"fields": {}}')
    with pytest.raises(ValidationError, match="Unknown lead field colour"):
        Mapping.from_json('{"version": 1, "fields": {"colour": "Colour"}}')
    with pytest.raises(ValidationError, match="Unknown date format “ddmmyy”"):
        Mapping.from_json('{"version": 1, "date_format": "ddmmyy"}')


def test_the_columns_view_names_every_field_a_column_feeds() -> None:
    mapping = Mapping(fields={"external_id": "ID", "created": "Created"},
                      stage_dates={"Lead": "Created"})
    assert mapping.columns() == {"ID": ["external_id"], "Created": ["created", "stage:Lead"]}
    assert mapping.with_stage_date("Lead", None).columns() == {"ID": ["external_id"],
                                                               "Created": ["created"]}


def test_redo_removes_the_summary_rows_the_import_removed(blank: Workbook,
                                                          tmp_path: Path) -> None:
    """Redo applies what the import changed to the summaries as undo left them: rows it
    changed or added, and rows it removed (a lead moved to another source, so its old
    source's month has no leads left)."""
    mapping = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source"},
                      stage_dates={"MQL": "MQL"})
    import_leads(blank, write(tmp_path, "ID,Created,Source,MQL\nA,2026-01-01,Web,2026-01-02\n"
                                        "B,2026-02-03,Fairs,\n"), mapping)
    before = _summaries(blank)
    import_leads(blank, write(tmp_path, "ID,Created,Source,MQL\nA,2026-01-01,Events,\n"
                                        "B,2026-02-03,Fairs,\n", "b.csv"), mapping)
    after = _summaries(blank)
    sources = {row[2] for row in after["lead_summary_cells"]}
    assert "Web" in {row[2] for row in before["lead_summary_cells"]} and "Web" not in sources
    blank.undo()
    assert _summaries(blank) == before
    blank.redo()
    assert _summaries(blank) == after
    blank.undo()
    assert _summaries(blank) == before
