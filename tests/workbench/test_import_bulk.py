"""How a large export is imported changes nothing a user can see: rows read a batch at a
time and converted column by column, indexes set aside and built again for a big file,
empty cells stored as empty (NULL), and line numbers right after values that span lines."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import storage
from workbench.imports import (
    FileUnreadable,
    ImportFailed,
    Mapping,
    chunk_source,
    import_leads,
    lead_import,
    lead_writer,
)
from workbench.workbook import Workbook

from .files import midway_import
from .snapshot import dump, integrity_problems
from .test_closed_loop import MAPPING as CLOSED_LOOP
from .test_import_formats import FIXTURES, assert_refused_whole, leads, stage_dates, write
from .test_import_undo import round_trip

FULL = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                       "score": "Score", "first_touch": "Touch", "disposition": "Disposition",
                       "amount": "Amount"},
               stage_dates={"MQL": "MQL"}, date_format="iso")
HEADER = "ID,Created,Source,Score,Touch,Disposition,Amount,MQL\n"


def indexes(wb: Workbook) -> list[tuple[str, str]]:
    return wb.db.conn.execute(
        "SELECT name, sql FROM main.sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('leads', 'lead_stage_dates') ORDER BY name").fetchall()


def test_a_big_import_builds_its_indexes_again_and_undoes_as_one_step(
        blank: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    usual = Workbook.in_memory("blank")
    import_leads(usual, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP)
    before = indexes(blank)
    monkeypatch.setattr(lead_import, "BIG_FILE_BYTES", 0)  # every file counts as big
    round_trip(blank, lambda: import_leads(blank, FIXTURES / "closed_loop_leads.csv",
                                           CLOSED_LOOP))
    blank.redo()
    assert indexes(blank) == before
    assert leads(blank, "external_id", "created_at", "amount", "won_at") == leads(
        usual, "external_id", "created_at", "amount", "won_at")
    assert stage_dates(blank, "L1") == stage_dates(usual, "L1")
    assert integrity_problems(blank) == []


def test_rows_read_in_many_small_chunks_give_the_same_workbook(
        monkeypatch: pytest.MonkeyPatch) -> None:
    whole = Workbook.in_memory("blank")
    import_leads(whole, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP)
    monkeypatch.setattr(chunk_source, "CHUNK_ROWS", 2)
    chunked = Workbook.in_memory("blank")
    import_leads(chunked, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP)
    assert dump(chunked)["leads"] == dump(whole)["leads"]
    for table in ("lead_stage_dates", "lead_summary_cells", "lead_summary_hours"):
        assert dump(chunked)[table] == dump(whole)[table], table


def _many_leads(tmp_path: Path, count: int) -> Path:
    """`count` leads, some with every cell filled, some with empty ones."""
    rows = [f"L{i},2026-01-{1 + i % 28:02d} 10:00:00,Web,{i % 90},"
            + (f"2026-02-01 09:00:00,accepted,{i}.50,2026-01-30 08:00:00\n" if i % 3 else ",,,\n")
            for i in range(count)]
    return write(tmp_path, HEADER + "".join(rows))


@pytest.mark.parametrize("per_insert", [2, 7])
def test_leads_written_many_to_a_statement_are_those_written_one_by_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_insert: int) -> None:
    path = _many_leads(tmp_path, 123)  # not a multiple: the rows left over one by one
    monkeypatch.setattr(lead_writer, "ROWS_PER_INSERT", 1)
    single = Workbook.in_memory("blank")
    import_leads(single, path, FULL)
    monkeypatch.setattr(lead_writer, "ROWS_PER_INSERT", per_insert)
    many = Workbook.in_memory("blank")
    import_leads(many, path, FULL)
    for table in ("leads", "lead_stage_dates", "lead_summary_cells", "lead_summary_hours"):
        assert dump(many)[table] == dump(single)[table], table
    assert many.db.conn.execute("SELECT min(id), max(id), count(*) FROM leads").fetchone() == (
        1, 123, 123)


def test_a_lead_id_repeated_among_rows_written_many_to_a_statement_is_named(
        blank: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunk_source, "CHUNK_ROWS", 4)
    monkeypatch.setattr(lead_writer, "ROWS_PER_INSERT", 2)
    path = write(tmp_path, HEADER + "".join(f"{i},2026-01-0{i} 10:00:00,Web,1,,,,\n"
                                            for i in (1, 2, 3, 4, 5, 2, 6, 7)))
    assert_refused_whole(blank, ImportFailed, "leads.csv, line 7, column “ID”: “2” — this lead "
                         "ID appears more than once", lambda: import_leads(blank, path, FULL))


def test_a_lead_id_repeated_in_a_later_chunk_is_named(
        blank: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunk_source, "CHUNK_ROWS", 2)
    path = write(tmp_path, HEADER + "".join(f"{i},2026-01-0{i} 10:00:00,Web,1,,,,\n"
                                            for i in (1, 2, 3, 1, 4)))
    assert_refused_whole(blank, ImportFailed, "leads.csv, line 5, column “ID”: “1” — this lead "
                         "ID appears more than once", lambda: import_leads(blank, path, FULL))


def test_empty_cells_are_stored_as_empty_not_as_zero_or_text(blank: Workbook,
                                                             tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,2026-01-05 09:00:00,Web,7,2026-01-06 10:00:00,accepted,"
                                    "1200.50,2026-01-05 12:00:00\n"
                                    "B,2026-01-07 09:00:00,,,,,,\n")
    import_leads(blank, path, FULL)
    assert blank.db.conn.execute(
        "SELECT external_id, source, typeof(score), typeof(first_touch_at), "
        "typeof(disposition), typeof(amount) FROM leads ORDER BY external_id").fetchall() == [
        ("A", "Web", "real", "text", "text", "real"), ("B", "", "null", "null", "null", "null")]
    assert leads(blank, "first_touch_at", "amount") == [("2026-01-06T10:00:00", 1200.5),
                                                        (None, None)]
    assert "mql" not in stage_dates(blank, "B")


@pytest.mark.parametrize(("cell", "stored"), [
    ("2024-02-29 23:59:59", "2024-02-29T23:59:59"),  # a leap day
    ("2026-03-14T09:30:00", "2026-03-14T09:30:00"),
])
def test_dates_with_seconds_are_stored_alike(blank: Workbook, tmp_path: Path, cell: str,
                                             stored: str) -> None:
    import_leads(blank, write(tmp_path, HEADER + f"A,{cell},Web,1,,,,{cell}\n"), FULL)
    assert leads(blank, "created_at") == [(stored,)]
    assert stage_dates(blank, "A")["mql"] == stored


@pytest.mark.parametrize(("cell", "expected"), [
    ("2023-02-29 10:00:00", "is not a day in the calendar (that month has fewer days, or "
                            "there is no such month)"),
    ("2026-04-31 10:00:00", "is not a day in the calendar"),
    ("0000-01-01 10:00:00", "is not a day in the calendar"),
    ("2026-01-01 24:00:00", "expected a date as yyyy-mm-dd, optionally with a time"),
    ("2026-01-01 23:60:00", "expected a date as yyyy-mm-dd, optionally with a time"),
])
def test_impossible_dates_with_seconds_are_named(blank: Workbook, tmp_path: Path, cell: str,
                                                 expected: str) -> None:
    path = write(tmp_path, HEADER + "A,2026-01-01 10:00:00,Web,1,,,,\n"
                                    f"B,2026-01-01 10:00:00,Web,1,{cell},,,\n")
    assert_refused_whole(blank, ImportFailed, f"leads.csv, line 3, column “Touch”: “{cell}” — "
                         f"{expected}", lambda: import_leads(blank, path, FULL))


def test_lines_are_counted_past_values_with_line_breaks(blank: Workbook,
                                                        tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'A,2026-01-01 10:00:00,"Web\nsite\r\nform",1,,,,\n'
                                    "B,2026-01-02 10:00:00,Web,1,,,,\n"
                                    "C,2026-02-30 10:00:00,Web,1,,,,\n")
    assert_refused_whole(blank, ImportFailed, "leads.csv, line 6, column “Created”",
                         lambda: import_leads(blank, path, FULL))


def test_an_unterminated_quote_past_the_preview_after_values_with_line_breaks(
        blank: Workbook, tmp_path: Path) -> None:
    rows = "".join(f"R{i},2026-01-02 10:00:00,Web,1,,,,\n" for i in range(600))  # past the
    path = write(tmp_path, HEADER + 'A,2026-01-01 10:00:00,"Web\nsite",1,,,,\n' + rows  # sample
                 + 'B,2026-01-02 10:00:00,"Web,1,,,,\n')
    assert_refused_whole(blank, FileUnreadable, 'leads.csv: line 604: a quote (") opened on '
                         "this line is never closed", lambda: import_leads(blank, path, FULL))


# -- a big import writes the file directly ----------------------------------------------------
def journal_modes(wb: Workbook, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The journal mode the workbook has each time the import writes a chunk."""
    seen: list[str] = []
    real = lead_writer.LeadWriter.write

    def write(writer: lead_writer.LeadWriter, chunk: object) -> object:
        seen.append(wb.db.conn.execute("PRAGMA journal_mode").fetchone()[0])
        return real(writer, chunk)  # type: ignore[arg-type]

    monkeypatch.setattr(lead_writer.LeadWriter, "write", write)
    return seen


def test_a_big_import_writes_the_file_with_a_rollback_journal_then_the_log_again(
        blank: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usual = Workbook.create(tmp_path / "usual.awb", "blank")
    import_leads(usual, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP)
    monkeypatch.setattr(lead_import, "BIG_FILE_BYTES", 0)
    seen = journal_modes(blank, monkeypatch)
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP)
    assert set(seen) == {"delete"}
    assert blank.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for table in ("leads", "lead_stage_dates", "lead_summary_cells", "lead_summary_hours"):
        assert dump(blank)[table] == dump(usual)[table], table
    assert integrity_problems(blank) == []


def test_a_refused_big_import_leaves_the_file_as_it_was_and_on_the_log(
        blank: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lead_import, "BIG_FILE_BYTES", 0)
    path = write(tmp_path, HEADER + "A,2026-01-05 09:00:00,Web,1,,,,\nB,2026-02-30 09:00:00,"
                                    "Web,1,,,,\n")
    assert_refused_whole(blank, ImportFailed, "line 3", lambda: import_leads(blank, path, FULL))
    assert blank.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not Path(f"{blank.path}-journal").exists()


def test_with_another_connection_on_the_file_a_big_import_goes_through_the_log(
        blank: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lead_import, "BIG_FILE_BYTES", 0)
    reader = sqlite3.connect(blank.path)
    try:
        reader.execute("SELECT count(*) FROM leads").fetchone()
        seen = journal_modes(blank, monkeypatch)
        _, report = import_leads(blank, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP)
        assert set(seen) == {"wal"}
        assert reader.execute("SELECT count(*) FROM leads").fetchone()[0] == report.added == 7
    finally:
        reader.close()




def test_a_big_import_killed_midway_leaves_the_workbook_as_it_was(
        demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "Demo.awb"
    path.write_bytes(demo_path.read_bytes())
    with Workbook.open(path) as wb:
        before = dump(wb)
    export = write(tmp_path, "ID,Created,Source\n" + "".join(
        f"K{n},2026-01-{n % 28 + 1:02d} 10:00:00,Web\n" for n in range(6000)))
    killed = subprocess.run([sys.executable, "-c", midway_import(), str(path), str(export)],
                            capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert killed.returncode == 9, killed.stderr
    journal = Path(f"{path}-journal")
    assert journal.exists()  # what puts the file back
    assert storage.inspect(path, check=True) == Workbook.schema_version()
    assert not journal.exists()
    with Workbook.open(path) as wb:
        assert dump(wb) == before
        assert integrity_problems(wb) == []
        assert wb.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
