"""`alignment-workbench score`: the figures of a cut and the why of one lead, checked
against the hand-worked fixture in tests/workbench/scored_leads.py; errors are one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.cli import main
from workbench.workbook import Workbook

from .workbench.scored_leads import scored_workbook


@pytest.fixture
def scored(blank: Workbook) -> Path:
    scored_workbook(blank)
    assert blank.path is not None
    path = blank.path
    blank.close()
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["score", *(str(a) for a in argv)])
    out, err = capsys.readouterr()
    return status, out, err


def test_score_prints_quadrants_mqls_per_month_and_bands(scored: Path, capsys) -> None:
    status, out, err = _run(capsys, scored)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert "Scoring model “Main model” (the SLA's): 6 leads" in lines
    assert "MQL rule: a total score of at least 50 points" in lines
    assert "  Fit and interest           2  counts as MQL" in lines
    assert "  Low fit, interest          1  counts as MQL" in lines
    assert "MQLs: 2, 0.7 per month over 3 months" in lines
    assert ["  2026-01        0", "  2026-02        0", "  2026-03        2"] == \
        [line for line in lines if line.startswith("  2026-")]
    assert "Of these MQLs, became opportunities: 50.0%; customers: 50.0%" in lines
    assert ("Sales capacity: — (enter the follow-up hours per MQL and the reps' hours per "
            "month)") in lines
    assert "  20 to 29              1       100.0%      0.0%" in lines
    assert "  70 to 79              1       100.0%    100.0%" in lines


def test_another_threshold_is_tried_not_saved(scored: Path, capsys) -> None:
    status, out, _ = _run(capsys, scored, "--threshold", "40")
    assert status == 0
    assert "Thresholds: MQL 40 (tried, not saved), fit 20, interest 30" in out
    assert "MQLs: 4, 1.3 per month over 3 months" in out
    with Workbook.open(scored) as wb:
        assert wb.scoring.settings().mql_threshold == 50


def test_explain_lists_each_rule_and_its_points(scored: Path, capsys) -> None:
    status, out, _ = _run(capsys, scored, "--explain", "L5")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == ("Lead L5 under “Main model”: fit 15 + interest 34 = 49 points — "
                        "low fit, interest, not an MQL at 50")
    assert lines[1] == "CRM score: 70"
    assert "    +15  fit      Mid-size (employees between 200..5,000)" in lines
    assert ("     +4  interest Pricing twice (pricing_views ≥ 2; +10 halved every 30 days; "
            "44 days old)") in lines
    assert "      ·  fit      Student (title contains student)" in lines


@pytest.mark.parametrize(("argv", "message"), [
    (["--explain", "L99"], "no lead has the ID “L99”"),
    (["--model", "Ersatzteile"], "there is no scoring model “Ersatzteile”; the workbook has "
                                 "“Main model”"),
    (["--threshold", "-1"], "--threshold cannot be negative"),
])
def test_bad_requests_are_one_line_errors(scored: Path, capsys, argv: list[str],
                                          message: str) -> None:
    status, out, err = _run(capsys, scored, *argv)
    assert (status, out) == (1, "")
    assert err == f"alignment-workbench: error: {message}\n"


def test_a_file_that_is_no_workbook_is_one_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "leads.awb"
    path.write_text("id,score\n1,5\n", encoding="utf-8")
    status, out, err = _run(capsys, path)
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and "not a workbook" in err
