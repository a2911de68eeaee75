"""Lead imports of the exports CRMs really write: HubSpot's lifecycle-date columns, a
Salesforce lead report with US dates and a footer, Windows-1252 with umlauts, UTF-8 with a
BOM, semicolons with decimal commas, and XLSX — each read as a user would expect."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from workbench.errors import WorkbenchError
from workbench.imports import ImportFailed, Mapping, import_leads, preview
from workbench.workbook import Workbook

from .snapshot import dump

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


# -- helpers shared by the import tests -----------------------------------------------------
def leads(wb: Workbook, *columns: str) -> list[tuple[Any, ...]]:
    """The leads' chosen columns, by external id."""
    names = ", ".join(columns)
    return wb.db.conn.execute(f"SELECT {names} FROM leads ORDER BY external_id").fetchall()


def stage_dates(wb: Workbook, external_id: str) -> dict[str, str]:
    """A lead's stage dates by stage key (stored or implicit)."""
    return dict(wb.db.conn.execute(
        "SELECT s.key, d.reached_at FROM lead_stage_reached d JOIN stages s ON s.id = d.stage_id "
        "JOIN leads l ON l.id = d.lead_id WHERE l.external_id = ?", (external_id,)).fetchall())


def write(tmp_path: Path, text: str, name: str = "leads.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def assert_refused_whole(wb: Workbook, error: type[WorkbenchError], message: str,
                         run: Callable[[], object]) -> WorkbenchError:
    """`run` must raise `error` whose text contains `message`, and change nothing."""
    before, undo = dump(wb), wb.undo_name
    with pytest.raises(error) as caught:
        run()
    assert message in str(caught.value)
    assert dump(wb) == before
    assert wb.undo_name == undo
    return caught.value


@pytest.fixture
def wb() -> Workbook:
    return Workbook.in_memory("blank")


# -- HubSpot ----------------------------------------------------------------------------------
def test_hubspot_export_is_recognised_and_its_lifecycle_dates_become_stage_dates(
    wb: Workbook,
) -> None:
    path = FIXTURES / "hubspot_contacts.csv"
    seen = preview(wb, path)
    assert seen.preset == "hubspot"
    assert (seen.date_format, seen.decimal_comma) == ("iso", False)
    assert seen.notes == ["“Became a Subscriber Date”: HubSpot's stage “Subscriber” is not a "
                          "stage of this funnel (add it as a CRM name to import these dates); "
                          "kept as an attribute."]
    _, report = import_leads(wb, path, seen.mapping)
    assert (report.added, report.updated, report.skipped) == (5, 0, 0)
    assert stage_dates(wb, "1001") == {
        "inquiry": "2026-01-05T09:12:00", "mql": "2026-01-06T10:00:00",
        "sql": "2026-01-09T15:30:00", "opportunity": "2026-01-15T11:00:00",
        "customer": "2026-03-02T16:45:00"}
    # A subscriber never became a lead: the "Lead" column is empty, and as the mapping
    # has a column for that stage, its created date does not stand in for it.
    assert stage_dates(wb, "1005") == {}
    assert leads(wb, "external_id", "source", "employees", "amount", "first_touch_at")[0] == (
        "1001", "Paid Search", 1200, 48000.0, "2026-01-06T13:20:00")


def test_hubspot_preset_by_name_gives_the_same_leads(wb: Workbook) -> None:
    import_leads(wb, FIXTURES / "hubspot_contacts.csv", preset="hubspot")
    assert wb.leads.count() == 5


# -- Salesforce -------------------------------------------------------------------------------
def test_salesforce_report_reads_us_dates_and_stops_at_its_footer(wb: Workbook) -> None:
    _, report = import_leads(wb, FIXTURES / "salesforce_leads.csv", preset="salesforce")
    assert (report.added, report.skipped) == (5, 0)  # totals and copyright lines ignored
    assert report.notes == (
        "“Closed - Not Converted” (1 lead) in “Lead Status” is not a stage of this funnel, so "
        "those leads got no date from it; add it to a stage's CRM names to count it.",)
    assert stage_dates(wb, "00Q5e00001AbCdF") == {"inquiry": "2026-01-14T00:00:00",
                                                  "sal": "2026-01-16T14:05:00"}
    assert stage_dates(wb, "00Q5e00001AbCdI")["sal"] == "2026-03-13T00:15:00"  # 12:15 AM
    assert stage_dates(wb, "00Q5e00001AbCdG")["sql"] == "2026-02-20T00:00:00"
    assert leads(wb, "employees", "disposition")[:4] == [
        (1800, None), (45, "contacted"), (320, "converted"), (75, "not_a_fit")]


def test_a_lead_whose_id_starts_like_a_footer_is_still_a_lead(wb: Workbook,
                                                              tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Created,Source\nTotal-7,2026-01-01,Web\n\nGrand Totals (1)\n"
                           "Copyright 2026\n")
    _, report = import_leads(wb, path, Mapping(fields={"external_id": "ID",
                                                       "created": "Created"}))
    assert report.added == 1
    assert leads(wb, "external_id") == [("Total-7",)]


def test_text_that_looks_like_a_formula_is_stored_as_text(wb: Workbook) -> None:
    import_leads(wb, FIXTURES / "salesforce_leads.csv", preset="salesforce")
    company, title = wb.db.conn.execute(
        "SELECT company, title FROM leads WHERE external_id = '00Q5e00001AbCdH'").fetchone()
    assert company == '=HYPERLINK("http://x.example","click")'
    assert title == "-Buyer"


# -- encodings and separators -------------------------------------------------------------------
def test_windows_1252_with_umlauts_semicolons_and_decimal_commas(wb: Workbook) -> None:
    path = FIXTURES / "leads_cp1252.csv"
    seen = preview(wb, path)
    assert seen.format.describe() == "CSV, Windows-1252, separated by semicolons"
    assert (seen.date_format, seen.decimal_comma) == ("eu", True)
    import_leads(wb, path, seen.mapping)
    assert leads(wb, "external_id", "created_at", "source", "company", "owner", "amount") == [
        ("DE-1", "2026-01-14T09:30:00", "Messe München", "Müller & Söhne GmbH", "Jürgen Weiß",
         12500.0),
        ("DE-2", "2026-02-03T14:05:00", "Webinar", "Bäckerei Größl KG", "Jürgen Weiß", None),
        ("DE-3", "2026-02-28T00:00:00", "Empfehlung", "Zürcher Straßenbau AG",
         "Renée Faßbender", 7250.5)]


def test_utf8_with_bom_keeps_the_first_header_and_the_accents(wb: Workbook) -> None:
    seen = preview(wb, FIXTURES / "leads_bom.csv")
    assert seen.format.describe() == "CSV, UTF-8 with BOM, separated by commas"
    assert seen.headers[0] == "Lead ID"  # not "\ufeffLead ID"
    import_leads(wb, FIXTURES / "leads_bom.csv", seen.mapping)
    assert leads(wb, "company") == [("Łódź Logistyka sp. z o.o.",), ("Ærø Shipping ApS",)]


def test_tab_separated_utf16_from_excel_unicode_text(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffLead ID\tCreated\tSource\nT-1\t2026-01-02\tWebinar\n",
                 encoding="utf-16-le")
    seen = preview(wb, path)
    assert seen.format.describe() == "CSV, UTF-16, separated by tabs"
    import_leads(wb, path, seen.mapping)
    assert leads(wb, "external_id", "source") == [("T-1", "Webinar")]


# -- dates ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "date_format", "stored"), [
    ("2026-03-14", "iso", "2026-03-14T00:00:00"),
    ("2026-03-14T09:30:15Z", "iso", "2026-03-14T09:30:15"),
    ("2026-03-14 09:30:15+02:00", "iso", "2026-03-14T07:30:15"),  # kept as UTC
    ("3/14/2026 9:30 PM", "us", "2026-03-14T21:30:00"),
    ("3/14/26", "us", "2026-03-14T00:00:00"),
    ("14.03.2026 09:30", "eu", "2026-03-14T09:30:00"),
    ("14/3/2026 23:59:59", "uk", "2026-03-14T23:59:59"),
])
def test_dates_of_every_format_are_stored_alike(
    wb: Workbook, tmp_path: Path, text: str, date_format: str, stored: str
) -> None:
    path = write(tmp_path, f"Lead ID;Created\nX;{text}\n")
    mapping = Mapping(fields={"external_id": "Lead ID", "created": "Created"},
                      date_format=date_format)
    import_leads(wb, path, mapping)
    assert leads(wb, "created_at") == [(stored,)]


def test_the_date_format_is_guessed_and_an_ambiguous_guess_is_said(
    wb: Workbook, tmp_path: Path
) -> None:
    uk = preview(wb, write(tmp_path, "Lead ID,Created\nA,03/04/2026\nB,25/04/2026\n"))
    assert (uk.date_format, uk.date_format_ambiguous) == ("uk", False)
    unsure = preview(wb, write(tmp_path, "Lead ID,Created\nA,03/04/2026\n", "b.csv"))
    assert (unsure.date_format, unsure.date_format_ambiguous) == ("us", True)
    assert unsure.notes == ["Dates such as “03/04/2026” read either way; assuming m/d/yyyy, "
                            "month first, optionally with a time (3/14/2026 9:30 AM). Change it "
                            "if that is wrong."]


# -- XLSX -------------------------------------------------------------------------------------
def test_xlsx_is_read_with_its_typed_cells(wb: Workbook, tmp_path: Path) -> None:
    from openpyxl import Workbook as Book

    book = Book()
    sheet = book.active
    sheet.append(["Report: leads by source"])  # a title above the header
    sheet.append([])
    sheet.append(["Lead ID", "Created", "Source", "Amount", "MQL Date"])
    sheet.append([1001, datetime(2026, 1, 5, 9, 30), "Webinar", 1250.5, "2026-01-06 10:00"])
    sheet.append(["A-2", "2026-01-07", None, None, None])
    sheet.cell(5, 3, "=1+1").data_type = "s"  # text that looks like a formula, not a formula
    sheet.append([])
    sheet.append(["Grand Totals (2 records)", None, None, 1250.5])
    path = tmp_path / "leads.xlsx"
    book.save(path)
    seen = preview(wb, path)
    assert seen.format.describe() == "Excel workbook (XLSX)"
    mapping = Mapping(fields=seen.mapping.fields, stage_dates={"MQL": "MQL Date"})
    _, report = import_leads(wb, path, mapping)
    assert report.added == 2
    assert leads(wb, "external_id", "created_at", "source", "amount") == [
        ("1001", "2026-01-05T09:30:00", "Webinar", 1250.5),
        ("A-2", "2026-01-07T00:00:00", "=1+1", None)]
    assert stage_dates(wb, "1001")["mql"] == "2026-01-06T10:00:00"


# -- re-importing -------------------------------------------------------------------------------
def test_reimporting_the_same_file_updates_instead_of_duplicating(wb: Workbook) -> None:
    path = FIXTURES / "hubspot_contacts.csv"
    import_leads(wb, path, preset="hubspot")
    first = leads(wb, "id", "external_id", "created_at", "amount")
    summaries = dump(wb)["lead_summary_cells"]
    _, report = import_leads(wb, path, preset="hubspot")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
    assert report.summary() == "0 leads added, 0 updated, 5 unchanged from hubspot_contacts.csv."
    assert leads(wb, "id", "external_id", "created_at", "amount") == first
    assert wb.db.conn.execute("SELECT count(*) FROM lead_stage_reached").fetchone()[0] == 12
    assert dump(wb)["lead_summary_cells"] == summaries
    assert wb.undo_name == "Import leads"  # the import is still recorded, and undoes


def test_a_reimport_writes_only_the_rows_that_changed(wb: Workbook, tmp_path: Path) -> None:
    mapping = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                              "amount": "Amount", "disposition": "Disposition",
                              "won": "Won"},
                      stage_dates={"MQL": "MQL"}, date_format="iso")
    header = "ID,Created,Source,Amount,Disposition,Won,MQL\n"
    rows = {"A": "A,2026-01-01,Web,,,,2026-01-02", "B": "B,2026-01-03,Web,1200.50,accepted,"
            "2026-03-01,2026-01-04", "C": "C,2026-01-05,Events,,no_response,,"}
    import_leads(wb, write(tmp_path, header + "\n".join(rows.values()) + "\n"), mapping)
    batch = dict(wb.db.conn.execute("SELECT external_id, import_batch FROM leads"))
    rows["C"] = "C,2026-01-05,Events,,no_response,,2026-01-09"  # a new MQL date
    rows["D"] = "D,2026-01-07,Web,,,,"
    _, report = import_leads(wb, write(tmp_path, header + "\n".join(rows.values()) + "\n",
                                       "b.csv"), mapping)
    assert (report.added, report.updated, report.unchanged) == (1, 1, 2)
    now = dict(wb.db.conn.execute("SELECT external_id, import_batch FROM leads"))
    assert [k for k in "ABC" if now[k] != batch[k]] == ["C"]  # only C was written again
    assert stage_dates(wb, "C")["mql"] == "2026-01-09T00:00:00"
    assert stage_dates(wb, "B") == {"inquiry": "2026-01-03T00:00:00", "mql": "2026-01-04T00:00:00",
                                    "customer": "2026-03-01T00:00:00"}
    fresh = Workbook.in_memory("blank")
    import_leads(fresh, write(tmp_path, header + "\n".join(rows.values()) + "\n", "c.csv"),
                 mapping)
    assert dump(wb)["lead_summary_cells"] == dump(fresh)["lead_summary_cells"]
    assert dump(wb)["lead_summary_hours"] == dump(fresh)["lead_summary_hours"]


def test_an_unchanged_lead_repeated_in_a_reimport_is_still_refused(wb: Workbook,
                                                                  tmp_path: Path) -> None:
    mapping = Mapping(fields={"external_id": "ID", "created": "Created"}, date_format="iso")
    first = write(tmp_path, "ID,Created\nA,2026-01-01\nB,2026-01-02\n")
    import_leads(wb, first, mapping)
    again = write(tmp_path, "ID,Created\nA,2026-01-01\nB,2026-01-02\nA,2026-01-01\n", "b.csv")
    assert_refused_whole(wb, ImportFailed, "b.csv, line 4, column “ID”: “A” — this lead ID "
                         "appears more than once", lambda: import_leads(wb, again, mapping))


def test_a_reimport_with_changed_values_replaces_the_lead_s_mapped_dates(
    wb: Workbook, tmp_path: Path
) -> None:
    mapping = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source"},
                      stage_dates={"MQL": "MQL"})
    import_leads(wb, write(tmp_path, "ID,Created,Source,MQL\nA,2026-01-01,Web,2026-01-02\n"),
                 mapping)
    import_leads(wb, write(tmp_path, "ID,Created,Source,MQL\nA,2026-01-01,Events,\n", "b.csv"),
                 mapping)
    assert leads(wb, "source") == [("Events",)]
    assert stage_dates(wb, "A") == {"inquiry": "2026-01-01T00:00:00"}  # MQL date emptied


def test_preview_reads_only_the_start_of_a_large_file(wb: Workbook, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Lead ID,Created,Source\n")
        for n in range(200_000):
            handle.write(f"L{n},2026-01-01,Webinar\n")
    read: list[int] = []
    original = Path.open

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        handle = original(self, *args, **kwargs)
        if self == path:
            real = handle.read

            def read_counted(size: int = -1) -> Any:
                data = real(size)
                read.append(len(data))
                return data

            handle.read = read_counted  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr(Path, "open", counting_open)
    seen = preview(wb, path)
    assert len(seen.rows) == 20
    assert sum(read) < path.stat().st_size / 10


def test_an_unchanged_file_with_undated_statuses_is_unchanged_when_imported_again(
        blank: Workbook, tmp_path: Path) -> None:
    """A status column gives stages without dates (an MQL reached at an unknown date): the
    same file imported again changes nothing and says so, lead by lead."""
    path = write(tmp_path, "ID,Created,Source,Lead Status\nA1,2026-01-05 09:12,Web,Lead\n"
                           "A2,2026-01-06 10:00,Events,MQL\nA3,2026-01-07,Web,SQL\n")
    mapping = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                              "stage": "Lead Status"}, date_format="iso")
    blank.leads.import_file(path, mapping)
    _, again = blank.leads.import_file(path, mapping)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
