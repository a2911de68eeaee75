"""The SLA's PDF never claims an agreement that does not exist: the cover says the
definitions were agreed only when both teams agreed every one; otherwise it says how many
are not, and Schedule A lists each with the exception recorded for signing."""

from __future__ import annotations

from pathlib import Path

from reports.sla_export import export_sla
from workbench.workbook import Workbook

from .conftest import pdftotext, qpdf_check

CLAIM = "built from the definitions both teams agreed in the workbook"


def exported(workbook: Workbook, path: Path) -> str:
    export_sla(workbook, workbook.sla.versions()[-1].id, path)
    qpdf_check(path)
    return " ".join(pdftotext(path).split())


def test_a_disputed_definition_is_said_with_its_exception(demo: Workbook,
                                                          tmp_path: Path) -> None:
    text = exported(demo, tmp_path / "sla.pdf")
    assert CLAIM not in text
    assert ("built from the workbook's funnel definitions; one of them is not agreed by both "
            "teams") in text
    assert "Definitions not agreed by both teams" in text
    assert "Sales Qualified Lead Is disputed between the" in text  # a table row, in columns
    assert "Both teams sign with sales' BANT wording for" in text


def test_a_draft_without_the_exception_says_it_cannot_be_signed(demo: Workbook,
                                                                tmp_path: Path) -> None:
    version = demo.sla.versions()[-1].id
    demo.sla.record_exceptions(version, {"sql": ""})
    text = exported(demo, tmp_path / "draft.pdf")
    assert "None recorded: this draft cannot be signed" in text


def test_with_every_definition_agreed_the_cover_says_so(demo: Workbook, tmp_path: Path) -> None:
    sql = next(s for s in demo.funnel.stages() if s.key == "sql")
    demo.funnel.merge_definition(sql.id, sql.definition)
    text = exported(demo, tmp_path / "agreed.pdf")
    assert CLAIM in text
    assert "Definitions not agreed by both teams" not in text
