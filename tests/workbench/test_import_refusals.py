"""Bad exports are refused whole, with a message naming the file, line, column, value and
what was expected, and the workbook exactly as before; or, when asked, the bad rows are
skipped and listed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from workbench.errors import ValidationError
from workbench.imports import (
    FileUnreadable,
    ImportCancelled,
    ImportFailed,
    ImportProgress,
    Mapping,
    import_leads,
)
from workbench.workbook import Workbook

from .test_import_formats import FIXTURES, assert_refused_whole, leads, write

BASIC = Mapping(fields={"external_id": "ID", "created": "Created", "amount": "Amount"})
ISO = Mapping(fields=BASIC.fields, date_format="iso")  # not guessed from the bad value


@pytest.fixture
def wb() -> Workbook:
    """A workbook that already holds leads, so "nothing changed" means something."""
    workbook = Workbook.in_memory("blank")
    import_leads(workbook, FIXTURES / "closed_loop_leads.csv", preset=None)
    return workbook


def refused(wb: Workbook, path: Path, message: str, mapping: Mapping | None = BASIC,
            error: type = ImportFailed) -> None:
    assert_refused_whole(wb, error, message, lambda: import_leads(wb, path, mapping))


# -- files that cannot be read at all -----------------------------------------------------------
def test_an_empty_file(wb: Workbook, tmp_path: Path) -> None:
    refused(wb, write(tmp_path, ""), "leads.csv: the file is empty: there is nothing to import.",
            error=FileUnreadable)


def test_a_header_without_rows(wb: Workbook, tmp_path: Path) -> None:
    refused(wb, write(tmp_path, "ID,Created,Amount\r\n\r\n"),
            "leads.csv: the file has a header row but no rows of leads under it: there is "
            "nothing to import.", error=FileUnreadable)


def test_a_binary_file(wb: Workbook, tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 40)
    refused(wb, path, "photo.csv: this is not a text file (it holds binary data). Export the "
                      "report as CSV or XLSX and import that.", error=FileUnreadable)


def test_an_old_excel_file(wb: Workbook, tmp_path: Path) -> None:
    path = tmp_path / "leads.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    refused(wb, path, "leads.xls: this is an old Excel .xls file; save it as .xlsx or CSV and "
                      "import that.", error=FileUnreadable)


def test_a_file_named_xlsx_that_is_not_one(wb: Workbook, tmp_path: Path) -> None:
    refused(wb, write(tmp_path, "ID,Created\nA,2026-01-01\n", "leads.xlsx"),
            "leads.xlsx: the name says Excel workbook, but the file is not one",
            error=FileUnreadable)


def test_an_unterminated_quote(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, 'ID,Created,Amount\nA,2026-01-01,5\nB,"2026-01-02,6\nC,2026-01-03,7\n')
    refused(wb, path, 'leads.csv: line 3: a quote (") opened on this line is never closed '
                      "before the file ends.", error=FileUnreadable)


def test_an_unterminated_quote_in_a_long_file_stops_at_the_size_limit(
    wb: Workbook, tmp_path: Path
) -> None:
    rows = "".join(f"L{n},2026-01-01,5\n" for n in range(20_000))
    path = write(tmp_path, f'ID,Created,Amount\nA,"2026-01-01,5\n{rows}')
    refused(wb, path, "leads.csv: line 2: a value runs on for more than 128 KB — most likely a "
                      'quote (") opened on this line is never closed.', error=FileUnreadable)


def test_bytes_of_another_encoding_halfway_through(wb: Workbook, tmp_path: Path) -> None:
    head = "".join(f"L{n},2026-01-01,5\n" for n in range(5000))  # > the 64 KB sniffed
    path = tmp_path / "mixed.csv"
    path.write_bytes(f"ID,Created,Amount\n{head}".encode() + "Ü,2026-01-01,5\n".encode("cp1252"))
    refused(wb, path, "mixed.csv: line 5002: bytes b'\\xdc' are not UTF-8; the file mixes "
                      "encodings — choose the one it was saved in (often Windows-1252).",
            error=FileUnreadable)


# -- rows with problems -------------------------------------------------------------------------
def test_ragged_rows(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created,Amount\nA,2026-01-01,5\nB,2026-01-02\nC,2026-01-03,7,x\n")
    error = assert_refused_whole(wb, ImportFailed, "2 problems found",
                                 lambda: import_leads(wb, path, BASIC))
    assert [str(p) for p in error.problems] == [  # type: ignore[attr-defined]
        "leads.csv, line 3: this row has 2 values, but the header has 3 columns (a missing or "
        "extra separator, or a line break inside a value?)",
        "leads.csv, line 4: this row has 4 values, but the header has 3 columns (a missing or "
        "extra separator, or a line break inside a value?)"]


def test_a_trailing_empty_cell_is_not_ragged(wb: Workbook, tmp_path: Path) -> None:
    import_leads(wb, write(tmp_path, "ID,Created,Amount\nX,2026-01-01,5,\n"), BASIC)
    assert ("X",) in leads(wb, "external_id")


@pytest.mark.parametrize(("cell", "message"), [
    ("2026-02-30", "leads.csv, line 2, column “Created”: “2026-02-30” — is not a day in the "
                   "calendar (that month has fewer days, or there is no such month)"),
    ("30.01.2026", "leads.csv, line 2, column “Created”: “30.01.2026” — expected a date as "
                   "yyyy-mm-dd, optionally with a time (2026-03-14 09:30)"),
    ("2026-01-01 25:00", "leads.csv, line 2, column “Created”: “2026-01-01 25:00” — expected a "
                         "date as yyyy-mm-dd, optionally with a time (2026-03-14 09:30)"),
    ("", "leads.csv, line 2, column “Created”: expected a date; every lead needs the date it "
         "was created"),
])
def test_impossible_or_missing_dates(wb: Workbook, tmp_path: Path, cell: str,
                                     message: str) -> None:
    path = write(tmp_path, f"ID,Created,Amount\nA,{cell},5\n")
    error = assert_refused_whole(wb, ImportFailed, message,
                                 lambda: import_leads(wb, path, ISO))
    assert error.count == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(("amount", "expected"), [
    ("-250", "expected an amount of 0 or more (a negative amount is not a deal)"),
    ("NaN", "expected an amount of money such as 12500 or 12,500.00"),
    ("inf", "expected an amount of money such as 12500 or 12,500.00"),
    ("1e999", "expected an amount of money such as 12500 or 12,500.00"),
    ("twelve", "expected an amount of money such as 12500 or 12,500.00"),
])
def test_negative_or_non_finite_amounts(wb: Workbook, tmp_path: Path, amount: str,
                                        expected: str) -> None:
    path = write(tmp_path, f"ID,Created,Amount\nA,2026-01-01,{amount}\n")
    refused(wb, path, f"leads.csv, line 2, column “Amount”: “{amount}” — {expected}")


def test_a_lead_id_twice_in_one_file(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created,Amount\nA,2026-01-01,5\nB,2026-01-02,5\nA,2026-01-03,5\n")
    refused(wb, path, "leads.csv, line 4, column “ID”: “A” — this lead ID appears more than once "
                      "in the file; each row must be a different lead (the first one is kept)")


def test_a_known_lead_twice_in_one_file(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created,Amount\nL1,2026-01-01,5\nL1,2026-01-02,6\n")
    refused(wb, path, "leads.csv, line 3, column “ID”: “L1” — this lead ID appears more than once")


def test_a_missing_lead_id(wb: Workbook, tmp_path: Path) -> None:
    refused(wb, write(tmp_path, "ID,Created,Amount\n ,2026-01-01,5\n"),
            "leads.csv, line 2, column “ID”: expected a lead ID; every lead needs one so a "
            "re-import can update it")


def test_the_first_50_problems_are_kept_and_the_rest_counted(wb: Workbook,
                                                             tmp_path: Path) -> None:
    rows = "".join(f"R{n},2026-13-01,5\n" for n in range(120))
    error = assert_refused_whole(wb, ImportFailed, "nothing was imported — 120 problems found",
                                 lambda: import_leads(wb, write(tmp_path, f"ID,Created,Amount\n"
                                                                          f"{rows}"), BASIC))
    assert len(error.problems) == 50  # type: ignore[attr-defined]
    assert error.problems[-1].line == 51  # type: ignore[attr-defined]


# -- mappings the file cannot satisfy -----------------------------------------------------------
def test_a_mapping_without_the_lead_id(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created\nA,2026-01-01\n")
    assert_refused_whole(wb, ValidationError, "Choose the column that holds the lead ID: every "
                         "lead needs one. The closest columns in this file are “ID”.",
                         lambda: import_leads(
                             wb, path, Mapping(fields={"created": "Created"})))


def test_a_missing_created_column_names_the_closest_columns_the_file_has(
        wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "Lead ID,Creation Time,Lead Source\nA,2026-01-01,Web\n")
    assert_refused_whole(
        wb, ValidationError, "Choose the column that holds the date each lead was created: "
        "every lead needs one. The closest columns in this file are “Creation Time”.",
        lambda: import_leads(wb, path, Mapping(fields={"external_id": "Lead ID"})))


def test_a_file_with_no_column_like_the_lead_id_lists_its_columns(
        wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Created\nA,2026-01-01\n")
    assert_refused_whole(
        wb, ValidationError, "Choose the column that holds the lead ID: every lead needs one. "
        "None of the file's columns looks like it: Name, Created.",
        lambda: import_leads(wb, path, Mapping(fields={"created": "Created"})))


def test_a_mapping_naming_columns_the_file_lacks(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created\nA,2026-01-01\n")
    assert_refused_whole(wb, ValidationError, "The file has no column “Amount”. Its columns "
                         "are: ID, Created.", lambda: import_leads(wb, path, BASIC))


def test_a_mapping_naming_a_stage_the_funnel_lacks(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created,Trial\nA,2026-01-01,2026-01-02\n")
    mapping = Mapping(fields={"external_id": "ID", "created": "Created"},
                      stage_dates={"Free trial": "Trial"})
    assert_refused_whole(wb, ValidationError, "The mapping reads “Trial” as the date of the "
                         "stage “Free trial”, which this funnel does not have.",
                         lambda: import_leads(wb, path, mapping))


def test_a_mapping_giving_one_stage_two_columns(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created,MQL,Qualified\nA,2026-01-01,2026-01-02,2026-01-03\n")
    mapping = Mapping(fields={"external_id": "ID", "created": "Created"},
                      stage_dates={"MQL": "MQL", "Marketing Qualified Lead": "Qualified"})
    assert_refused_whole(wb, ValidationError, "“MQL” and “Qualified” both give the date of the "
                         "stage “Marketing Qualified Lead”; choose one.",
                         lambda: import_leads(wb, path, mapping))


# -- skipping bad rows ----------------------------------------------------------------------------
def test_skip_bad_rows_imports_the_rest_and_reports_the_skipped(wb: Workbook,
                                                               tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created,Amount\nA,2026-01-01,5\nB,2026-02-30,5\nC,2026-01-03,-1\n"
                           "A,2026-01-04,5\nD,2026-01-05,9\n")
    _, report = import_leads(wb, path, BASIC, skip_bad_rows=True)
    assert (report.added, report.skipped, report.problem_count) == (2, 3, 3)
    assert [(p.line, p.column) for p in report.problems] == [(3, "Created"), (4, "Amount"),
                                                              (5, "ID")]
    assert report.summary() == "2 leads added, 0 updated, 3 rows skipped from leads.csv."
    assert {"A", "D"} <= {r[0] for r in leads(wb, "external_id")}


def test_skip_bad_rows_with_nothing_good_left_is_refused(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created,Amount\nA,2026-02-30,5\n")
    assert_refused_whole(wb, ImportFailed, "nothing was imported — 1 problem found",
                         lambda: import_leads(wb, path, BASIC, skip_bad_rows=True))


# -- cancel, progress and threads -------------------------------------------------------------
def big_file(tmp_path: Path, rows: int = 12_000) -> Path:
    body = "".join(f"N{n},2026-01-{n % 28 + 1:02d} 10:{n % 60:02d},{n}\n" for n in range(rows))
    return write(tmp_path, f"ID,Created,Amount\n{body}")


def test_cancel_leaves_the_workbook_as_it_was(wb: Workbook, tmp_path: Path) -> None:
    path = big_file(tmp_path)
    seen: list[ImportProgress] = []
    assert_refused_whole(wb, ImportCancelled, "Import cancelled; nothing was changed.",
                         lambda: import_leads(wb, path, BASIC, progress=seen.append,
                                              cancel=lambda: len(seen) > 0))
    assert seen and seen[0].phase == "Reading"


def test_progress_reaches_the_end(wb: Workbook, tmp_path: Path) -> None:
    seen: list[ImportProgress] = []
    import_leads(wb, big_file(tmp_path), BASIC, progress=seen.append)
    assert [p.phase for p in seen][-2:] == ["Indexing", "Summarising"]
    reading = [p for p in seen if p.phase == "Reading"]
    assert all(0 <= p.fraction <= 1 for p in seen)
    assert reading[-1].rows == 12_000


def test_an_import_runs_on_a_worker_thread(tmp_path: Path, blank_path: Path) -> None:
    target = tmp_path / "Threaded.awb"
    target.write_bytes(blank_path.read_bytes())
    results: list[object] = []
    with Workbook.open(target) as workbook:
        worker = threading.Thread(target=lambda: results.append(
            import_leads(workbook, big_file(tmp_path, 3000), BASIC)[1].added))
        worker.start()
        worker.join(timeout=120)
        assert results == [3000]
        assert workbook.leads.count() == 3000  # and the GUI thread reads it afterwards
