"""`alignment-workbench import FILE.awb leads.csv [--preset | --mapping] [--skip-bad-rows]`:
a summary on success; exit 1 with the first problems, and the workbook untouched, on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import main
from workbench.imports import Mapping
from workbench.workbook import Workbook

from .snapshot import dump
from .test_import_formats import FIXTURES, write


@pytest.fixture
def awb(tmp_path: Path, blank_path: Path) -> Path:
    target = tmp_path / "ACME.awb"
    target.write_bytes(blank_path.read_bytes())
    return target


def lead_count(path: Path) -> int:
    with Workbook.open(path) as workbook:
        return workbook.leads.count()


def test_import_with_a_preset_prints_a_summary(awb: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(awb), str(FIXTURES / "salesforce_leads.csv"),
                 "--preset", "salesforce"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == (f"Imported into {awb}: 5 leads added, 0 updated from "
                                   "salesforce_leads.csv.")
    assert "“Closed - Not Converted” (1 lead) in “Lead Status”" in out
    assert err == ""  # no progress bar when stderr is not a terminal
    assert lead_count(awb) == 5


def test_import_with_a_saved_mapping(awb: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text(Mapping(fields={"external_id": "Lead ID", "created": "Created",
                                       "company": "Company"}).to_json(), encoding="utf-8")
    assert main(["import", str(awb), str(FIXTURES / "leads_bom.csv"),
                 "--mapping", str(mapping)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("alignment-workbench: error: nothing was imported. 1 column needs a "
                          "look before anything is imported: “Amount”: it looks like money but "
                          "feeds no field")
    assert "  “Source” kept as an attribute (text)\n" in err
    assert lead_count(awb) == 0
    assert main(["import", str(awb), str(FIXTURES / "leads_bom.csv"),
                 "--mapping", str(mapping), "--accept-flagged"]) == 0
    out = capsys.readouterr().out
    assert "2 leads added" in out
    assert "  “Amount” kept as an attribute (number) — check: it looks like money" in out
    assert "  “Lead ID” → Lead ID\n" in out


def test_a_failed_import_exits_1_with_the_first_problems(awb: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    rows = "".join(f"X{n},2026-02-30\n" for n in range(14))
    path = write(tmp_path, f"Lead ID,Created\nA,2026-01-01\n{rows}")
    assert main(["import", str(awb), str(path)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == ""
    assert lines[0] == ("alignment-workbench: error: leads.csv: nothing was imported — 14 "
                        "problems found.")
    assert lines[1] == ("  leads.csv, line 3, column “Created”: “2026-02-30” — is not a day "
                        "in the calendar (that month has fewer days, or there is no such month)")
    assert lines[-1] == "  … and 4 more."
    assert len(lines) == 12
    assert lead_count(awb) == 0


def test_skip_bad_rows_lists_what_it_skipped(awb: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "Lead ID,Created\nA,2026-01-01\nB,2026-02-30\n")
    assert main(["import", str(awb), str(path), "--skip-bad-rows"]) == 0
    out, err = capsys.readouterr()
    assert "1 lead added, 0 updated, 1 row skipped from leads.csv." in out
    assert err.splitlines()[0] == "Skipped 1 row:"
    assert lead_count(awb) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--preset", "zoho"], "No preset “zoho”; choose one of hubspot, hubspot-deals, salesforce."),
    (["--mapping", "/nowhere/map.json"], "/nowhere/map.json: cannot be read"),
])
def test_bad_options_are_explained(awb: Path, args: list[str], message: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(awb), str(FIXTURES / "leads_bom.csv"), *args]) == 1
    assert message in capsys.readouterr().err


def test_not_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "hello", "nope.awb")
    assert main(["import", str(path), str(FIXTURES / "leads_bom.csv")]) == 1
    assert "not a workbook" in capsys.readouterr().err


def test_the_command_runs_without_qt(awb: Path) -> None:
    probe = ("import sys; from ui.cli import main; code = main(sys.argv[1:]); "
             "qt = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]; "
             "print(code, qt)")
    run = subprocess.run([sys.executable, "-c", probe, "import", str(awb),
                          str(FIXTURES / "leads_bom.csv")], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert run.stdout.splitlines()[-1] == "0 []", run.stderr


def test_imports_lists_what_each_did_and_removes_one(
        awb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(awb), str(FIXTURES / "salesforce_leads.csv"),
                 "--preset", "salesforce"]) == 0
    capsys.readouterr()
    assert main(["imports", str(awb)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1
    assert listed[0].endswith("salesforce_leads.csv: 5 added, 0 updated, 0 unchanged, "
                              "0 skipped")
    batch = listed[0].split()[0]
    assert main(["imports", str(awb), "--remove", batch]) == 0
    assert capsys.readouterr().out.startswith(
        "Removed: Removes the leads the import of salesforce_leads.csv (")
    assert lead_count(awb) == 0
    assert main(["imports", str(awb)]) == 0
    assert "— removed " in capsys.readouterr().out
    assert main(["imports", str(awb), "--remove", batch]) == 1
    assert capsys.readouterr().err.strip().endswith("was removed already.")


def test_import_actuals_prints_what_it_wrote_and_refuses_a_bad_file_whole(
        awb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-actuals", str(awb), str(FIXTURES / "actuals_semicolon.csv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Imported into {awb}: ")
    assert "actuals; quarters added: 2026Q1" in out.splitlines()[0]
    bad = write(tmp_path, "Quarter,Stage,Count\n2026Q2,MQL,many\n", "bad actuals.csv")
    with Workbook.open(awb) as workbook:
        before = dump(workbook)
    assert main(["import-actuals", str(awb), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("alignment-workbench: error: ") and "Traceback" not in err
    assert "many" in err
    with Workbook.open(awb) as workbook:
        assert dump(workbook) == before
