"""Quarterly actuals: imported from a CSV (semicolons and decimal commas included), derived
from the imported leads with one action; each one undo step, bad files refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import ValidationError
from workbench.imports import ImportFailed
from workbench.imports.actuals_import import derive_actuals, fiscal_quarter, import_actuals
from workbench.workbook import Workbook

from .snapshot import dump
from .test_closed_loop import MAPPING
from .test_import_formats import FIXTURES, assert_refused_whole, write


def actuals(wb: Workbook) -> dict[tuple[str, str, str], tuple[int, float]]:
    rows = wb.db.conn.execute(
        "SELECT q.label, s.key, a.source, a.count, a.value FROM actuals a "
        "JOIN quarters q ON q.id = a.quarter_id JOIN stages s ON s.id = a.stage_id").fetchall()
    return {(q, s, src): (n, v) for q, s, src, n, v in rows}


@pytest.fixture
def wb() -> Workbook:
    return Workbook.in_memory("blank")


def test_semicolons_and_decimal_commas_as_a_german_spreadsheet_saves_them(wb: Workbook) -> None:
    before = dump(wb)
    changes, report = import_actuals(wb, FIXTURES / "actuals_semicolon.csv")
    assert (changes.step, report.cells, report.quarters_added) == (
        "Import actuals", 5, ("2026Q1", "2026Q2"))
    assert actuals(wb) == {
        ("2026Q1", "inquiry", "Webinar"): (1240, 0.0),
        ("2026Q1", "mql", "Webinar"): (310, 0.0),
        ("2026Q1", "opportunity", "Webinar"): (42, 1_250_000.5),
        ("2026Q1", "customer", "Webinar"): (11, 612_500.75),
        ("2026Q2", "mql", "Messe"): (95, 0.0)}
    after = dump(wb)
    wb.undo()
    assert dump(wb) == before  # the quarters it added went too
    wb.redo()
    assert dump(wb) == after


def test_importing_again_replaces_the_same_cells(wb: Workbook, tmp_path: Path) -> None:
    import_actuals(wb, FIXTURES / "actuals_semicolon.csv")
    import_actuals(wb, write(tmp_path, "Quarter,Stage,Source,Count\n2026Q1,MQL,Webinar,333\n"))
    assert actuals(wb)[("2026Q1", "mql", "Webinar")] == (333, None)  # no value: absent, not 0
    assert len(actuals(wb)) == 5


@pytest.mark.parametrize(("text", "message"), [
    ("Quarter,Stage,Count\n2026Q5,MQL,3\n",
     "actuals.csv, line 2, column “Quarter”: “2026Q5” — expected a quarter such as 2026Q1 or "
     "Q1 2026"),
    ("Quarter,Stage,Count\n2026Q1,Trial,3\n",
     "actuals.csv, line 2, column “Stage”: “Trial” — is not a stage of this funnel or a CRM "
     "name for one"),
    ("Quarter,Stage,Count\n2026Q1,MQL,-3\n",
     "actuals.csv, line 2, column “Count”: “-3” — expected a whole number of leads (0 or more, "
     "no fraction)"),
    ("Quarter,Stage,Count,Value\n2026Q1,MQL,3,-9\n",
     "actuals.csv, line 2, column “Value”: “-9” — expected an amount of 0 or more"),
    ("Quarter,Stage,Count\n2026Q1,MQL,3\nQ1 2026,mql,4\n",
     "actuals.csv, line 3: 2026Q1, Marketing Qualified Lead, source “” appears twice in the "
     "file; give each cell once"),
])
def test_bad_actuals_are_refused_whole(wb: Workbook, tmp_path: Path, text: str,
                                       message: str) -> None:
    path = write(tmp_path, text, "actuals.csv")
    assert_refused_whole(wb, ImportFailed, message, lambda: import_actuals(wb, path))


def test_actuals_without_a_stage_column(wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "Quarter,Count\n2026Q1,3\n", "actuals.csv")
    assert_refused_whole(wb, ValidationError, "The file needs a “Stage” column (its columns "
                         "are: Quarter, Count).", lambda: import_actuals(wb, path))


# -- derived from leads -------------------------------------------------------------------------
def test_actuals_derived_from_the_leads_in_one_step(wb: Workbook) -> None:
    from workbench.imports import import_leads

    import_leads(wb, FIXTURES / "closed_loop_leads.csv", MAPPING)
    before = dump(wb)
    changes, report = derive_actuals(wb)
    assert (changes.step, report.quarters_added) == ("Derive actuals from leads",
                                                     ("2026Q1", "2026Q2"))
    got = actuals(wb)
    # Before the opportunity stage a lead has no value: none is stored, not 0.
    assert got[("2026Q1", "inquiry", "Webinar")] == (4, None)  # L1-L4
    assert got[("2026Q1", "inquiry", "Partner")] == (1, None)
    assert got[("2026Q1", "mql", "Webinar")] == (3, None)
    assert got[("2026Q1", "opportunity", "Webinar")] == (2, 30_000.0)  # L1 + L3
    assert got[("2026Q1", "customer", "Webinar")] == (1, 10_000.0)  # L1 won
    assert got[("2026Q2", "opportunity", "Outbound")] == (1, 5_000.0)  # L6 in April
    assert sum(n for n, _ in got.values()) == 7 + 6 + 3 + 2 + 3 + 1  # every stage date
    after = dump(wb)
    wb.undo()
    assert dump(wb) == before
    wb.redo()
    assert dump(wb) == after


def test_deriving_without_leads_is_refused(wb: Workbook) -> None:
    before = dump(wb)
    with pytest.raises(ValidationError, match="There are no imported leads to derive actuals"):
        derive_actuals(wb)
    assert dump(wb) == before


@pytest.mark.parametrize(("month", "start", "label"), [
    ("2026-02", 1, "2026Q1"), ("2026-04", 5, "2025Q4"), ("2026-05", 5, "2026Q1"),
    ("2026-12", 4, "2026Q3"), ("2026-03", 4, "2025Q4")])
def test_fiscal_quarter_of_a_month(month: str, start: int, label: str) -> None:
    assert fiscal_quarter(month, start) == label


def test_a_value_column_titled_pipeline_wert_is_read_and_empty_values_stay_empty(
        wb: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, "Quartal;Phase;Quelle;Anzahl;Pipeline-Wert;Notiz\n"
                           "2026Q1;Opportunity;Webinar;42;1.250.000,50;gut\n"
                           "2026Q1;MQL;Webinar;310;;\n", name="ist.csv")
    _, report = import_actuals(wb, path)
    got = actuals(wb)
    assert got[("2026Q1", "opportunity", "Webinar")] == (42, 1_250_000.5)
    assert got[("2026Q1", "mql", "Webinar")] == (310, None)
    assert report.columns == ("“Quartal” → quarter", "“Phase” → stage", "“Quelle” → source",
                              "“Anzahl” → count", "“Pipeline-Wert” → value",
                              "“Notiz” not imported")
    assert report.notes == ("1 of 2 cells have no value: left empty (—), not 0.",)


def test_two_value_columns_are_refused_and_nothing_changes(wb: Workbook,
                                                           tmp_path: Path) -> None:
    before = dump(wb)
    path = write(tmp_path, "Quarter,Stage,Count,Value,Pipeline-Wert\n2026Q1,MQL,3,10,20\n")
    with pytest.raises(ValidationError) as caught:
        import_actuals(wb, path)
    assert str(caught.value) == ("“Pipeline-Wert” also look like values, but only “Value” is "
                                 "read; nothing was imported. Keep one value column in the file.")
    assert dump(wb) == before
