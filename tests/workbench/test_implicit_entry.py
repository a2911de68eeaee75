"""A lead reaches the entry stage (Inquiry) when it is created. An import that fills that
date in from the created date records the stage on its batch instead of storing a row
per lead; everything that reads stage dates — the leads table's filters and furthest
stage, the summaries and closed-loop numbers, "this stage has data" — sees the same dates
either way, and a lead never has two dates for one stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import closed_loop
from workbench.imports import Mapping, import_leads
from workbench.leads import LeadFilter
from workbench.workbook import Workbook

from . import files
from .snapshot import dump, integrity_problems
from .test_import_formats import stage_dates, write

DATED = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source"},
                stage_dates={"MQL": "MQL"}, date_format="iso")
WITH_STAGE = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                             "stage": "Stage"}, date_format="iso")
ROWS = ("ID,Created,Source,MQL\n"
        "A,2026-01-05 09:00:00,Web,2026-01-06 10:00:00\n"
        "B,2026-02-10 11:30:00,Events,\n"
        "C,2026-04-02 08:00:00,Web,\n")


def stage_id(wb: Workbook, key: str) -> int:
    stage = wb.funnel.stage_by_key(key)
    assert stage is not None
    return int(stage.id)


def stored_rows(wb: Workbook, key: str) -> int:
    return int(wb.db.conn.execute("SELECT count(*) FROM lead_stage_dates WHERE stage_id = ?",
                                  (stage_id(wb, key),)).fetchone()[0])


def entry_stages(wb: Workbook) -> list[int | None]:
    return [r[0] for r in wb.db.conn.execute("SELECT entry_stage_id FROM import_batches "
                                             "ORDER BY id")]


def pairs_are_unique(wb: Workbook) -> bool:
    return wb.db.conn.execute(
        "SELECT count(*) = count(DISTINCT lead_id || ':' || stage_id) FROM lead_stage_reached"
    ).fetchone()[0] == 1


@pytest.fixture
def wb() -> Workbook:
    return Workbook.in_memory("blank")


def test_an_import_stores_no_entry_rows_and_its_leads_still_reached_the_entry_stage(
        wb: Workbook, tmp_path: Path) -> None:
    import_leads(wb, write(tmp_path, ROWS), DATED)
    assert stored_rows(wb, "inquiry") == 0
    assert entry_stages(wb) == [stage_id(wb, "inquiry")]
    assert stage_dates(wb, "A") == {"inquiry": "2026-01-05T09:00:00",
                                    "mql": "2026-01-06T10:00:00"}
    assert stage_dates(wb, "B") == {"inquiry": "2026-02-10T11:30:00"}


def test_the_leads_table_filters_and_names_stages_with_the_implicit_dates(
        wb: Workbook, tmp_path: Path) -> None:
    import_leads(wb, write(tmp_path, ROWS), DATED)
    _, q1 = wb.plan.add_quarter("2026Q1")
    _, q2 = wb.plan.add_quarter("2026Q2")
    inquiry, mql = stage_id(wb, "inquiry"), stage_id(wb, "mql")
    leads = wb.leads

    def ids(**which: object) -> list[str | None]:
        rows = leads.page(LeadFilter(**which), sort="external_id")  # type: ignore[arg-type]
        return [r.external_id for r in rows]

    assert ids(stage_id=inquiry) == ["A", "B", "C"]
    assert ids(stage_id=inquiry, quarter_id=q1) == ["A", "B"]
    assert ids(stage_id=inquiry, quarter_id=q2) == ["C"]
    assert ids(stage_id=inquiry, quarter_id=q1, source="Events") == ["B"]
    assert ids(stage_id=mql, quarter_id=q1) == ["A"]
    assert leads.count(LeadFilter(stage_id=inquiry, quarter_id=q1)) == 2
    stages = {r.external_id: r.stage for r in leads.page(LeadFilter(), sort="external_id")}
    assert stages == {"A": "Marketing Qualified Lead", "B": "Inquiry", "C": "Inquiry"}


def test_the_summaries_the_import_kept_are_those_a_rebuild_reads_from_the_leads(
        wb: Workbook, tmp_path: Path) -> None:
    import_leads(wb, write(tmp_path, ROWS), DATED)
    _, q1 = wb.plan.add_quarter("2026Q1")
    kept = dump(wb)["lead_summary_cells"]
    volumes = {v.stage_id: v.reached for v in closed_loop.stage_volumes(wb, q1)}
    assert volumes[stage_id(wb, "inquiry")] == 2
    assert volumes[stage_id(wb, "mql")] == 1
    closed_loop.refresh(wb, force=True)
    assert dump(wb)["lead_summary_cells"] == kept


def test_an_import_with_a_stage_column_stores_its_entry_dates(wb: Workbook,
                                                              tmp_path: Path) -> None:
    """A stage column may date the entry stage itself, so those dates are stored."""
    import_leads(wb, write(tmp_path, "ID,Created,Source,Stage\nA,2026-01-05,Web,Inquiry\n"
                                     "B,2026-01-07,Web,MQL\n"), WITH_STAGE)
    assert entry_stages(wb) == [None]
    assert stored_rows(wb, "inquiry") == 2
    # No date column beside the stage: MQL was reached at a date the file does not give.
    assert stage_dates(wb, "B") == {"inquiry": "2026-01-07T00:00:00", "mql": None}
    assert pairs_are_unique(wb)


def test_a_lead_moves_between_stored_and_implicit_entry_dates_never_with_both(
        wb: Workbook, tmp_path: Path) -> None:
    import_leads(wb, write(tmp_path, ROWS), DATED)
    staged = ("ID,Created,Source,Stage\nA,2026-01-05 09:00:00,Web,MQL\n"
              "B,2026-02-10 11:30:00,Events,\n")  # B as it was
    _, report = import_leads(wb, write(tmp_path, staged, "b.csv"), WITH_STAGE)
    assert (report.updated, report.unchanged) == (1, 1)
    assert stored_rows(wb, "inquiry") == 1  # A's, now that its batch dates it row by row
    assert stage_dates(wb, "A")["inquiry"] == "2026-01-05T09:00:00"
    assert stage_dates(wb, "B") == {"inquiry": "2026-02-10T11:30:00"}  # kept, implicit
    assert pairs_are_unique(wb)

    again = ROWS.replace("A,2026-01-05 09:00:00,Web", "A,2026-01-05 09:00:00,Partner")
    _, report = import_leads(wb, write(tmp_path, again, "c.csv"), DATED)
    assert (report.updated, report.unchanged) == (1, 2)
    assert stored_rows(wb, "inquiry") == 0  # A's stored date gave way to the implicit one
    assert stage_dates(wb, "A") == {"inquiry": "2026-01-05T09:00:00",
                                    "mql": "2026-01-06T10:00:00"}
    assert pairs_are_unique(wb)
    assert integrity_problems(wb) == []


def test_a_reimport_of_the_same_file_finds_every_lead_unchanged(wb: Workbook,
                                                               tmp_path: Path) -> None:
    path = write(tmp_path, ROWS)
    import_leads(wb, path, DATED)
    before = dump(wb)
    _, report = import_leads(wb, path, DATED)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)
    after = dump(wb)
    # The new batch row is the record of the import; the summaries' and lists' stamps name it.
    bookkeeping = {"import_batches", "lead_summary_stamp", "lead_top_lists"}
    assert {t: r for t, r in after.items() if t not in bookkeeping} == \
           {t: r for t, r in before.items() if t not in bookkeeping}


def test_the_entry_stage_has_data_and_deleting_it_undoes_with_its_dates(
        wb: Workbook, tmp_path: Path) -> None:
    import_leads(wb, write(tmp_path, ROWS), DATED)
    inquiry = stage_id(wb, "inquiry")
    assert wb.funnel.stage_has_data(inquiry)  # type: ignore[arg-type]
    before = dump(wb)
    wb.funnel.delete_stage(inquiry)  # type: ignore[arg-type]
    assert entry_stages(wb) == [None]
    assert "inquiry" not in stage_dates(wb, "A")
    wb.undo()
    assert dump(wb) == before
    assert stage_dates(wb, "B") == {"inquiry": "2026-02-10T11:30:00"}


def test_a_stage_no_import_dated_has_no_data(wb: Workbook, tmp_path: Path) -> None:
    import_leads(wb, write(tmp_path, ROWS), DATED)
    assert not wb.funnel.stage_has_data(stage_id(wb, "sql"))  # type: ignore[arg-type]


def test_leads_imported_before_keep_their_stored_entry_dates(tmp_path: Path) -> None:
    """A workbook from the version that stored every entry date: opened, migrated, it
    reads the same, and re-importing its file finds its leads unchanged."""
    path = tmp_path / "Old.awb"
    files.previous_version_file(path)
    with Workbook.open(path) as wb:
        conn = wb.db.conn
        # what that version's import wrote: a stored row for the entry stage
        with wb.db.atomic():
            conn.execute("INSERT INTO stages (id, position, key, name) VALUES "
                         "(1, 0, 'inquiry', 'Inquiry'), (2, 1, 'mql', 'MQL')")
            conn.execute("INSERT INTO import_batches (id, imported_at, file) "
                         "VALUES (1, '2026-03-01T00:00:00Z', 'a.csv')")
            conn.execute("INSERT INTO leads (id, external_id, created_at, source, "
                         "import_batch) VALUES (1, 'A', '2026-01-05T09:00:00', 'Web', 1)")
            conn.execute("INSERT INTO lead_stage_dates VALUES (1, 1, '2026-01-05T09:00:00'), "
                         "(1, 2, '2026-01-06T10:00:00')")
        assert entry_stages(wb) == [None]
        assert stage_dates(wb, "A") == {"inquiry": "2026-01-05T09:00:00",
                                        "mql": "2026-01-06T10:00:00"}
        _, report = import_leads(wb, write(tmp_path, ROWS), DATED)
        assert (report.added, report.unchanged) == (2, 1)
        assert stored_rows(wb, "inquiry") == 1
        assert pairs_are_unique(wb)
        # the leads table finds both kinds: A's stored date, B's and C's implicit ones
        _, q1 = wb.plan.add_quarter("2026Q1")
        rows = wb.leads.page(LeadFilter(stage_id=1, quarter_id=q1),  # type: ignore[arg-type]
                             sort="external_id")
        assert [r.external_id for r in rows] == ["A", "B"]
        assert wb.leads.count(LeadFilter(stage_id=1)) == 3  # type: ignore[arg-type]
