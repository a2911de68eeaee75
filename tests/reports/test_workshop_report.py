"""The workshop report PDF and `export workshop`: the gaps largest first with the
workbook's own figures, the areas, each side's answers, the written answers and the
decisions, every piece of user text printed as typed and no participant named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ui.cli import main
from workbench.closed_loop import follow_up
from workbench.figure_text import format_duration
from workbench.workbook import Workbook

from .pdf_checks import body_text, page_texts, qpdf_check, text, words


@pytest.fixture
def workshop_file(demo_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "Workshop.awb"
    shutil.copy(demo_path, path)
    with Workbook.open(path) as wb:
        wb.workshop.record_participant("sales", {"mql_definition": "طلب عرض سعر <b>جاد</b>",
                                                 "same_goal": "1"}, name="Secret Name")
        wb.workshop.record_participant("marketing", {"mql_definition": "适合 + 兴趣 🚀"})
        wb.workshop.edit_question("owner_clear", text="Qui <i>possède</i> le lead ? ça & ça")
        wb.workshop.record_decision("Rejected leads get a reason code <b>within 48 h</b>",
                                    owner="Zoë Ærø", settles=("stage", "sal"))
    return path


def test_export_workshop_writes_the_report(workshop_file: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "workshop.pdf"
    assert main(["export", "workshop", str(workshop_file), "-o", str(out)]) == 0
    assert capsys.readouterr().out == (f"Wrote {out}: workshop report (11 participants, "
                                       "figures of 2026Q3).\n")
    qpdf_check(out)
    whole = text(out)
    assert "4 from marketing and 5 from sales answered" not in whole
    assert "5 from marketing and 6 from sales answered" in whole
    pages = page_texts(out)
    first = pages[0]
    assert first.index("Which horizon does your team mostly work to?") < first.index(
        "Who owns revenue as an outcome?") < first.index("Within how many hours")
    with Workbook.open(workshop_file) as wb:
        quarter = wb.plan.quarters()[-1]
        median = follow_up(wb, quarter.id, 24).median_hours
    hours_row = first[first.index("Within how many hours"):]
    for said in ("median 24 h (of 4)", "median 72 h (of 5)", "67 %"):
        assert said in hours_row
    top = next(w.y0 for w in words(out) if w.text == "Within")  # the row of the question
    figure = format_duration(median).split()[0]
    assert any(w.text == figure and abs(w.y0 - top) < 2 for w in words(out))
    assert "Secret Name" not in whole
    body = body_text(out)
    for typed in ("适合+兴趣🚀", "Rejectedleadsgetareasoncode<b>within48h</b>", "ZoëÆrø",
                  "Qui<i>possède</i>lelead?ça&ça"):
        assert typed in body
    assert "Decisions and owners" in whole and "Stage: Sales Accepted Lead" in whole


def test_a_workbook_without_quarters_or_answers_still_reports(tmp_path: Path) -> None:
    path = tmp_path / "Blank.awb"
    Workbook.create(path, "blank").close()
    out = tmp_path / "w.pdf"
    assert main(["export", "workshop", str(path), "-o", str(out)]) == 0
    whole = text(out)
    assert "0 from marketing and 0 from sales answered" in whole
    assert "The workbook has no quarter yet: no figure stands beside the beliefs." in whole
    assert "No gap: nobody has answered yet" in whole
    assert "No decision was recorded." in whole


def test_an_unknown_quarter_is_one_line_and_no_file(workshop_file: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "w.pdf"
    assert main(["export", "workshop", str(workshop_file), "--quarter", "1999Q1", "-o",
                 str(out)]) == 1
    err = capsys.readouterr().err
    assert "There is no quarter “1999Q1” in this workbook" in err
    assert not out.exists()


def test_the_decisions_are_in_the_slas_schedule_and_the_qbr(workshop_file: Path,
                                                           tmp_path: Path) -> None:
    sla, qbr = tmp_path / "sla.pdf", tmp_path / "qbr.pdf"
    assert main(["export", "sla", str(workshop_file), "-o", str(sla)]) == 0
    assert main(["export", "qbr", str(workshop_file), "-o", str(qbr)]) == 0
    for path, heading in ((sla, "Schedule D. Workshop decisions"),
                          (qbr, "9. Workshop decisions")):
        whole = text(path)
        assert whole.count(heading) == 1
        section = whole[whole.rindex(heading):]
        assert "Sales calls every new MQL the day it arrives" in section
        assert "Rejected leads get a reason code <b>within 48 h</b>" in section
        assert "Zoë Ærø" in section and "Stage: Sales Accepted Lead" in section


def test_without_decisions_neither_has_the_section(tmp_path: Path, demo_path: Path) -> None:
    path = tmp_path / "None.awb"
    shutil.copy(demo_path, path)
    with Workbook.open(path) as wb:
        for decision in wb.workshop.decisions():
            wb.workshop.remove_decision(decision.id)
    sla, qbr = tmp_path / "sla.pdf", tmp_path / "qbr.pdf"
    assert main(["export", "sla", str(path), "-o", str(sla)]) == 0
    assert main(["export", "qbr", str(path), "-o", str(qbr)]) == 0
    assert "Workshop decisions" not in text(sla) + text(qbr)
