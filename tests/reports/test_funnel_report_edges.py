"""The funnel chart PDF on edge workbooks and bad input: a quarter with no data says so on
the page; 40 stages, 200-character names and 60 quarters wrap and paginate with every name
on the page and nothing running off it; the command line writes it or fails in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.funnel_report import export_funnel, quarter_range
from ui.cli import main
from workbench.workbook import Workbook

from . import report_workbooks as edge
from .pdf_checks import page_texts, qpdf_check, raster_images, text, words_off_the_page


@pytest.fixture
def blank() -> Workbook:
    workbook = Workbook.in_memory("blank")
    yield workbook
    workbook.close()


def test_a_quarter_without_data_says_so_instead_of_an_empty_chart(
        blank: Workbook, tmp_path: Path) -> None:
    _, quarter_id = blank.plan.add_quarter("2027Q1")
    out = export_funnel(blank, [quarter_id], tmp_path / "empty.pdf")
    qpdf_check(out)
    first = page_texts(out)[0]
    assert ("No plan and no actuals for 2027Q1: enter actuals on the Data screen and commit "
            "a plan on the Plan screen.") in first
    assert "Actual volume" not in first and "The numbers" not in first


def test_a_quarter_with_a_plan_but_no_actuals_shows_the_plan(
        blank: Workbook, tmp_path: Path) -> None:
    _, quarter_id = blank.plan.add_quarter("2027Q1")
    stages = blank.funnel.stages()
    blank.plan.add_plan(quarter_id, "Base", revenue_goal=600_000, avg_deal_size=60_000,
                        committed=True, conversions={s.id: 0.5 for s in stages[:-1]})
    out = export_funnel(blank, [quarter_id], tmp_path / "plan.pdf")
    first = page_texts(out)[0]
    assert "No actuals for 2027Q1 yet: the table below shows the committed plan." in first
    assert "The numbers" in first and "320" in first  # 10 customers ÷ 0.5⁵ inquiries


def test_forty_stages_run_over_pages_with_the_column_titles_repeated(
        blank: Workbook, tmp_path: Path) -> None:
    quarter_id = edge.forty_stages(blank)
    out = export_funnel(blank, [quarter_id], tmp_path / "forty.pdf")
    qpdf_check(out)
    content = text(out)
    for stage in blank.funnel.stages():
        assert f"{stage.name} " in content
    chart_pages = [p for p in page_texts(out) if "Actual volume" in p]
    assert len(chart_pages) >= 2  # the chart split across pages, its header repeated
    assert raster_images(out) == 0
    assert words_off_the_page(out) == []


def test_two_hundred_character_names_wrap_and_print_as_typed(
        blank: Workbook, tmp_path: Path) -> None:
    quarter_id = edge.long_named(blank)
    out = export_funnel(blank, [quarter_id], tmp_path / "long.pdf")
    qpdf_check(out)
    content = text(out)
    for name in (s.name for s in blank.funnel.stages()):
        assert len(name) == 200
        assert content.count(name) >= 2  # the chart, the table and the definitions
    assert "<b>R&D</b>" in content  # markup-looking text prints literally
    assert words_off_the_page(out) == []


def test_sixty_quarters_as_one_range(blank: Workbook, tmp_path: Path) -> None:
    edge.sixty_quarters(blank)
    quarters = quarter_range(blank, "2012Q1..2026Q4")
    assert len(quarters) == 60
    out = export_funnel(blank, [q.id for q in quarters], tmp_path / "sixty.pdf")
    qpdf_check(out)
    content = text(out)
    total = sum(blank.actuals.totals(q.id)[blank.funnel.stages()[0].id] for q in quarters)
    assert "Funnel, 2012Q1–2026Q4" in content and "60 quarters" in content
    assert f"{total:,}" in content
    assert words_off_the_page(out) == []


def test_command_line_writes_the_funnel_report(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "demo.awb"
    workbook.write_bytes(demo_path.read_bytes())
    out = tmp_path / "funnel.pdf"
    assert main(["export", "funnel", str(workbook), "--quarter", "2026Q2..2026Q3",
                 "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote {out}: funnel report for 2026Q2–2026Q3.\n"
    qpdf_check(out)
    assert "Funnel, 2026Q2–2026Q3" in text(out)


@pytest.mark.parametrize(("args", "message"), [
    (["--quarter", "2031Q1"], "There is no quarter “2031Q1” in this workbook (quarters: "
                              "2025Q2 … 2026Q3)."),
    (["--quarter", "2026Q3..2026Q1"], "The range “2026Q3..2026Q1” ends before it starts."),
])
def test_command_line_errors_are_one_line_and_write_nothing(
        args: list[str], message: str, demo_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "demo.awb"
    workbook.write_bytes(demo_path.read_bytes())
    out = tmp_path / "out.pdf"
    assert main(["export", "funnel", str(workbook), *args, "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"alignment-workbench: error: {message}\n"
    assert captured.out == "" and not out.exists()


def test_command_line_names_a_missing_folder(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "demo.awb"
    workbook.write_bytes(demo_path.read_bytes())
    out = tmp_path / "no such folder" / "f.pdf"
    assert main(["export", "funnel", str(workbook), "-o", str(out)]) == 1
    assert capsys.readouterr().err == (f"alignment-workbench: error: {out}: cannot be written "
                                       "(No such file or directory).\n")
