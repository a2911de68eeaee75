"""The quarterly business review on the demo: every section with the dashboard's numbers,
the quarter's changes to definitions from the change log, closed-loop numbers where the
workbook derives them, and the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reports.qbr import build_qbr_pdf, export_qbr
from reports.qbr_data import qbr_data
from ui.cli import main
from workbench import closed_loop
from workbench.closed_loop import FollowUp
from workbench.planning.dashboard import dashboard_charts
from workbench.workbook import Workbook

from .pdf_checks import page_texts, qpdf_check, raster_images, text, words_off_the_page

SECTIONS = ("1. Executive summary", "2. Plan vs actual per stage",
            "3. Trends over the last quarters", "4. SLA compliance",
            "5. Marketing-sourced share of pipeline and revenue", "6. Source mix",
            "7. Weighted pipeline vs goal", "8. Changes to definitions in 2026Q3")


def _latest(workbook: Workbook) -> int:
    return workbook.plan.quarters()[-1].id


def test_demo_qbr_has_every_section_and_the_key_numbers(demo: Workbook, tmp_path: Path) -> None:
    out = export_qbr(demo, _latest(demo), tmp_path / "qbr.pdf")
    qpdf_check(out)
    pages = page_texts(out)
    cover, content = pages[0], " ".join(pages)
    assert "Quarterly business review" in cover and "Brightline Logistics Software" in cover
    assert "2026Q3 ended: 315,500 EUR won of the 900,000 EUR goal (35.1 %)" in cover
    for section in SECTIONS:
        assert section in cover  # the contents
        assert content.count(section) >= 2
    for stage in demo.funnel.stages():
        assert stage.name in content
    for number in ("215 of 286", "75.2 % of the commitment", "5 of 15", "83.2 %",
                   "3,639,736 EUR", "315,500 EUR", "265,700 EUR", "84.2 %", "Behind",
                   "On track", "31,485", "7,908", "167 of 215 (77.7 %)",
                   "210 of 215 (97.7 %)"):
        assert number in content
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert raster_images(out) == 0
    assert words_off_the_page(out) == []


def test_qbr_charts_are_the_dashboards(demo: Workbook) -> None:
    data = qbr_data(demo, _latest(demo))
    assert data.dashboard == dashboard_charts(demo, _latest(demo))
    assert [f.quarter.label for f in data.facts] == [q.label for q in demo.plan.quarters()]


def test_changes_to_definitions_made_in_the_quarter_are_listed(
        demo: Workbook, tmp_path: Path) -> None:
    today = date.today()
    label = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    if label not in [q.label for q in demo.plan.quarters()]:
        demo.plan.add_quarter(label)
    quarter = next(q for q in demo.plan.quarters() if q.label == label)
    sal = demo.funnel.stage_by_key("sal")
    old = sal.definition
    demo.funnel.update_stage(sal.id, definition="Accepted by an SDR within one working day.")
    demo.actuals.set_actual(quarter.id, sal.id, "Webinar", 3)  # not a definition: left out
    content = text(export_qbr(demo, quarter.id, tmp_path / "now.pdf"))
    assert f"8. Changes to definitions in {label}" in content
    assert "1 recorded changes" in content
    assert "Stage “Sales Accepted Lead”: definition" in content
    assert " ".join(old.split()) in content
    assert "Accepted by an SDR within one working day." in content
    earlier = text(export_qbr(demo, demo.plan.quarters()[0].id, tmp_path / "then.pdf"))
    assert "No funnel or scoring definitions were changed between 2025-04-01 and " \
           "2025-06-30." in earlier


def test_follow_up_and_dispositions_show_when_the_closed_loop_derives_them(
        demo: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def counted(workbook: Workbook, quarter_id: int) -> closed_loop.Dispositions:
        return closed_loop.Dispositions(200, 150, {"accepted": 150})

    def follow_up(workbook: Workbook, quarter_id: int, hours: float,
                  source: str | None = None) -> FollowUp:
        return FollowUp(215, 210, 190, 9.5)

    monkeypatch.setattr(closed_loop, "follow_up", follow_up)
    monkeypatch.setattr(closed_loop, "dispositions", counted,
                        raising=False)
    out = tmp_path / "loop.pdf"
    out.write_bytes(build_qbr_pdf(qbr_data(demo, _latest(demo))))
    content = text(out)
    assert "190 of 215 (88.4 %)" in content  # followed up within 24 h
    assert "150 of 200 (75 %)" in content  # disposition rate
    assert "not derived" not in content


def test_closed_loop_numbers_read_not_derived_while_the_closed_loop_cannot(
        demo: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def not_yet(*args: object, **kwargs: object) -> None:
        raise NotImplementedError

    for name in ("follow_up", "dispositions", "sourced_shares"):
        monkeypatch.setattr(closed_loop, name, not_yet)
    content = text(export_qbr(demo, _latest(demo), tmp_path / "q.pdf"))
    assert "2026Q3 286 215 75.2 % not derived not derived" in content  # the SLA table
    assert "2025Q2 192 161 83.9 % not derived not derived" in content
    assert "Won revenue: the quarter's actuals of the last stage." in content
    assert "265,700 EUR" in content  # the actuals' won revenue sourced by marketing


def test_command_line_writes_the_qbr_and_refuses_a_range(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "demo.awb"
    workbook.write_bytes(demo_path.read_bytes())
    out = tmp_path / "qbr.pdf"
    assert main(["export", "qbr", str(workbook), "--quarter", "2025Q4", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote {out}: quarterly business review of 2025Q4.\n"
    qpdf_check(out)
    assert "Quarterly business review" in text(out)
    assert main(["export", "qbr", str(workbook), "--quarter", "2025Q4..2026Q1",
                 "-o", str(tmp_path / "r.pdf")]) == 1
    assert capsys.readouterr().err == ("alignment-workbench: error: a quarterly business "
                                       "review covers one quarter: give --quarter 2026Q3, "
                                       "not a range\n")
    assert not (tmp_path / "r.pdf").exists()
