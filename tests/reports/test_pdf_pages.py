"""Executive-grade pages (issue 19), as a reader of the demo's PDFs sees them: durations
in the unit people use ("14 d", not "336 h"), one percentage format per column ("44.0 %"
beside "61.3 %", never "44 %"), a cover that carries the contents, no page left holding one
sentence, "Not written yet" wherever a definition is missing, one "Goal" per legend, and
funnel bands as wide as their volumes say."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.charts import band_widths
from reports.funnel_report import export_funnel
from reports.qbr import export_qbr
from reports.report_charts import legend_markup
from reports.sla_export import export_sla
from reports.sla_pdf import build_sla_pdf
from workbench.figure_text import format_duration, format_percents, same_decimals
from workbench.planning.dashboard import dashboard_charts
from workbench.sla_terms import build_document
from workbench.workbook import Workbook

from .pdf_checks import page_texts, qpdf_check


@pytest.mark.parametrize(("hours", "shown"), [
    (None, "—"), (2, "2 h"), (24, "24 h"), (36.5, "36.5 h"), (48, "48 h"), (71.9, "71.9 h"),
    (72, "3 d"), (336, "14 d"), (2160, "90 d"), (130, "5.4 d")])
def test_a_duration_reads_in_hours_below_three_days_then_in_days(hours, shown) -> None:
    assert format_duration(hours) == shown


def test_percentages_side_by_side_share_one_format() -> None:
    assert format_percents([0.44, 0.613, None, 1.0]) == ["44.0 %", "61.3 %", "—", "100.0 %"]
    assert format_percents([0.44, 0.5]) == ["44 %", "50 %"]  # none needs a decimal
    assert same_decimals(["44 %", "12,000", "—", "1.5 M"]) == ["44 %", "12,000", "—", "1.5 M"]


def test_band_widths_follow_the_volumes() -> None:
    shapes = band_widths([31_485, 820, 215, 137, 84, 37, 5, None], 300, 90)
    tops = [top for top, _ in shapes]
    assert tops[0] == 300 and tops[-1] == 90  # the largest volume; none at all
    assert tops == sorted(tops, reverse=True)  # a smaller volume is never drawn wider
    assert [bottom for _, bottom in shapes[:-1]] == tops[1:]  # each narrows to the next
    same = band_widths([100, 100], 300, 90)
    assert same[0][0] == same[1][0]  # equal volumes, equal widths (not one step narrower)
    assert band_widths([50, 500], 300, 90)[1][0] > band_widths([50, 500], 300, 90)[0][0]


def test_the_goal_is_named_once_in_the_pipeline_legend(demo: Workbook) -> None:
    quarter = demo.plan.quarters()[-1]
    chart = dashboard_charts(demo, quarter.id).pipeline_vs_goal
    assert chart.reference is not None and chart.reference.label == "Goal"
    assert legend_markup(chart).count("Goal") == 1


def test_demo_pdfs_state_durations_in_days_and_percentages_alike(demo: Workbook,
                                                                tmp_path: Path) -> None:
    latest = demo.plan.quarters()[-1].id
    funnel = " ".join(page_texts(export_funnel(demo, [latest], tmp_path / "f.pdf")))
    assert "At most 14 d in this stage" in funnel and "At most 90 d in this stage" in funnel
    assert "336 h" not in funnel and "2160 h" not in funnel and "days)" not in funnel
    # The numbers table: SQL's conversion of 44 % beside the others' decimals.
    assert "Sales Qualified Lead Sales 120 84 70.0 % 44.0 % 50.0 %" in funnel
    assert " 44 % " not in funnel
    sla = page_texts(export_sla(demo, demo.sla.versions()[-1].id, tmp_path / "s.pdf"))
    whole = " ".join(sla)
    assert "Sales, at most 14 d" in whole and "Sales, at most 90 d" in whole
    assert "Sales Qualified Lead Sales A lead with a confirmed project" in whole
    assert "336" not in whole and "2160" not in whole
    assert "Inquiry 842 281 34.0 %" in whole  # schedule B: one format with "2.6 %"


def test_covers_carry_the_contents_and_no_page_holds_one_sentence(
        demo: Workbook, tmp_path: Path) -> None:
    quarter = demo.plan.quarters()[-1].id
    qbr_path = export_qbr(demo, quarter, tmp_path / "q.pdf")
    qpdf_check(qbr_path)
    qbr = page_texts(qbr_path)
    assert "Contents" in qbr[0] and "1. Executive summary" in qbr[0]
    assert "MQLS DELIVERED" in qbr[0]  # the summary starts on the cover's free space
    sla_path = export_sla(demo, demo.sla.versions()[-1].id, tmp_path / "s.pdf")
    qpdf_check(sla_path)
    sla = page_texts(sla_path)
    assert "Parties" in sla[0] and "Contents" in sla[0] and "Schedule A" in sla[0]
    for name, pages in (("QBR", qbr), ("SLA", sla)):
        for number, page in enumerate(pages, start=1):
            words = len(page.split()) - 20  # less the running header and footer
            assert words > 40, f"{name} page {number} holds only: {page}"


def test_a_blank_workbooks_definitions_say_not_written_yet_in_every_pdf(
        blank: Workbook, tmp_path: Path) -> None:
    blank.plan.add_quarter("2026Q3")
    funnel = " ".join(page_texts(export_funnel(blank, [blank.plan.quarters()[0].id],
                                               tmp_path / "f.pdf")))
    assert "Definition Not written yet" in funnel
    _, version = blank.sla.new_version()
    pdf, _ = build_sla_pdf(build_document(blank, version))
    path = tmp_path / "s.pdf"
    path.write_bytes(pdf)
    text = " ".join(page_texts(path))
    assert "Inquiry Marketing Not written yet Not written yet Not written yet —" in text


def test_a_signature_stamp_reads_at_the_size_of_the_page_and_still_verifies(
        signers, tmp_path: Path) -> None:
    """The stamp is placed at its own size (no margin shrinking it): its text, measured
    on the page once the appearance is flattened, is as large as it was drawn."""
    import re
    import subprocess

    from reports.verify import verify_pdf
    from workbench import identities

    from .test_sla_signing import sign_all

    out = tmp_path / "signed.pdf"
    sign_all(signers, out)
    root = identities.authority_pem(signers.workbook) or b""
    assert verify_pdf(out, trusted_roots=[root]).ok
    flat = tmp_path / "flat.pdf"
    subprocess.run(["qpdf", "--flatten-annotations=all", str(out), str(flat)], check=True)
    boxes = subprocess.run(["pdftotext", "-bbox", str(flat), "-"], capture_output=True,
                           text=True, check=True).stdout
    heights = {word: float(y1) - float(y0) for y0, y1, word in re.findall(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(Digitally|UTC)</word>', boxes)}
    assert heights["Digitally"] == pytest.approx(10.5, abs=0.2)  # the signer's line
    assert heights["UTC"] == pytest.approx(9.0, abs=0.2)  # time and certificate
