"""The QBR on edge workbooks and bad input: a quarter with no data says so in every
section instead of drawing empty charts; 40 stages, 200-character names and 60 quarters
build with every name on the page and nothing running off it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reports.qbr import export_qbr
from workbench.workbook import Workbook

from . import report_workbooks as edge
from .pdf_checks import page_texts, qpdf_check, raster_images, text, words_off_the_page


@pytest.fixture
def blank() -> Iterator[Workbook]:
    workbook = Workbook.in_memory("blank")
    yield workbook
    workbook.close()


def test_a_quarter_without_data_says_so_in_each_section(blank: Workbook, tmp_path: Path) -> None:
    _, quarter_id = blank.plan.add_quarter("2027Q1")
    out = export_qbr(blank, quarter_id, tmp_path / "empty.pdf")
    qpdf_check(out)
    content = text(out)
    assert ("No actuals for 2027Q1 yet: the review has no results to show. Enter or import "
            "the quarter's actuals first.") in page_texts(out)[0]
    for reason in ("— No committed plan for 2027Q1: commit one on the Plan screen.",
                   "— No actuals in these quarters yet.", "— No actuals for 2027Q1 yet.",
                   "— No goal and no pipeline for 2027Q1."):
        assert reason in content
    assert raster_images(out) == 0


def test_forty_stages(blank: Workbook, tmp_path: Path) -> None:
    quarter_id = edge.forty_stages(blank)
    out = export_qbr(blank, quarter_id, tmp_path / "forty.pdf")
    qpdf_check(out)
    content = text(out)
    for stage in blank.funnel.stages():
        assert f"{stage.name} " in content
    assert words_off_the_page(out) == []


def test_two_hundred_character_names(blank: Workbook, tmp_path: Path) -> None:
    quarter_id = edge.long_named(blank)
    out = export_qbr(blank, quarter_id, tmp_path / "long.pdf")
    qpdf_check(out)
    content = text(out)
    for stage in blank.funnel.stages():
        assert stage.name in content
    assert words_off_the_page(out) == []


def test_sixty_quarters_trend_over_the_last_eight(blank: Workbook, tmp_path: Path) -> None:
    quarter_ids = edge.sixty_quarters(blank)
    out = export_qbr(blank, quarter_ids[-1], tmp_path / "sixty.pdf")
    qpdf_check(out)
    content = text(out)
    assert "The 8 quarters from 2025Q1 to 2026Q4; this quarter is shaded." in content
    for label in ("2025Q1", "2025Q4", "2026Q4"):
        assert f"{label} " in content
    assert words_off_the_page(out) == []
    first = export_qbr(blank, quarter_ids[0], tmp_path / "first.pdf")
    assert "The 1 quarters from 2012Q1" not in text(first)
    assert "The quarter 2012Q1 alone; there are no earlier quarters." in text(first)
