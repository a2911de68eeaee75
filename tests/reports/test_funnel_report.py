"""The funnel chart PDF on the demo: a valid PDF of vector charts that shows every stage,
the plan and actual numbers the dashboard shows, the hand-off and the definitions; a range
of quarters sums them; progress is reported and Cancel writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.funnel_report import export_funnel, funnel_report, period_label, quarter_range
from reports.progress import ExportCancelled
from workbench.planning.dashboard import dashboard_charts
from workbench.workbook import Workbook

from .pdf_checks import page_texts, qpdf_check, raster_images, text, words_off_the_page


def _latest(workbook: Workbook) -> list[int]:
    return [workbook.plan.quarters()[-1].id]


def test_demo_funnel_pdf_shows_every_stage_number_and_definition(
        demo: Workbook, tmp_path: Path) -> None:
    out = export_funnel(demo, _latest(demo), tmp_path / "funnel.pdf")
    qpdf_check(out)
    content = text(out)
    for stage in demo.funnel.stages():
        assert stage.name in content
        assert " ".join(stage.definition.split()) in content
    # 2026Q3: visits 31,485 of 32,385 planned; MQLs 215 of 286; customers 5 of 15.
    for number in ("31,485", "32,385", "97.2 %", "215", "286", "75.2 %", "33.3 %", "63.7 %"):
        assert number in content
    assert "Hand-off: marketing passes leads to sales here" in content
    pages = page_texts(out)
    assert "Stage definitions" in pages[1] and "Stage definitions" not in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert words_off_the_page(out) == []


def test_funnel_chart_is_drawn_as_vectors(demo: Workbook, tmp_path: Path) -> None:
    out = export_funnel(demo, _latest(demo), tmp_path / "funnel.pdf")
    assert raster_images(out) == 0
    assert b"/Subtype /Image" not in out.read_bytes()


def test_funnel_numbers_are_the_dashboards(demo: Workbook) -> None:
    quarter = demo.plan.quarters()[-1]
    report = funnel_report(demo, [quarter.id])
    dashboard = dashboard_charts(demo, quarter.id).plan_vs_actual
    totals = demo.actuals.totals(quarter.id)
    for index, stage in enumerate(demo.funnel.stages()):
        assert report.figure.actual(index) == totals.get(stage.id, 0)
        share = next(s.values[index] for s in dashboard.series if s.values[index] is not None)
        assert report.figure.actual(index) / report.figure.planned(index) * 100 == \
            pytest.approx(share)
    mql = 2
    assert report.figure.conversion(mql) == pytest.approx(137 / 215)
    assert report.figure.planned_conversions[mql] == pytest.approx(0.7)
    assert report.figure.handoff == 3  # marketing's MQL hands over to Sales Accepted Lead


def test_a_range_of_quarters_sums_plan_and_actuals(demo: Workbook, tmp_path: Path) -> None:
    quarters = quarter_range(demo, "2026Q2..2026Q3")
    assert period_label(quarters) == "2026Q2–2026Q3"
    report = funnel_report(demo, [q.id for q in quarters])
    visits = sum(demo.actuals.totals(q.id)[demo.funnel.stages()[0].id] for q in quarters)
    assert report.figure.actual(0) == visits == 28_653 + 31_485
    out = export_funnel(demo, [q.id for q in quarters], tmp_path / "range.pdf")
    content = text(out)
    assert "Funnel, 2026Q2–2026Q3" in content and "2 quarters" in content
    assert f"{visits:,}" in content


@pytest.mark.parametrize(("asked", "message"), [
    ("2030Q1", "There is no quarter “2030Q1” in this workbook (quarters: 2025Q2 … 2026Q3)."),
    ("2026Q3..2025Q4", "The range “2026Q3..2025Q4” ends before it starts."),
    ("Q3", "There is no quarter “Q3” in this workbook (quarters: 2025Q2 … 2026Q3)."),
])
def test_a_bad_quarter_is_refused_by_name(demo: Workbook, asked: str, message: str) -> None:
    from workbench.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        quarter_range(demo, asked)
    assert caught.value.message == message


def test_the_default_quarter_is_the_newest_with_actuals(demo: Workbook) -> None:
    demo.plan.add_quarter("2026Q4")  # planned ahead, no actuals yet
    assert [q.label for q in quarter_range(demo, None)] == ["2026Q3"]


def test_progress_is_reported_and_cancel_writes_nothing(demo: Workbook, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    seen: list[float] = []
    out = export_funnel(demo, _latest(demo), folder / "a.pdf",
                        lambda fraction, _text: seen.append(fraction))
    assert out.exists() and seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen) and len(seen) > 5

    def cancel_midway(fraction: float, _text: str) -> None:
        if fraction > 0.3:
            raise ExportCancelled

    with pytest.raises(ExportCancelled):
        export_funnel(demo, _latest(demo), folder / "b.pdf", cancel_midway)
    assert sorted(p.name for p in folder.iterdir()) == ["a.pdf"]
