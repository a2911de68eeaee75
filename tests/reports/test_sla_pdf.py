"""The SLA PDF as a reader sees it: text extracted by pdftotext, structure by qpdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from reports.fonts import CJK_PACKAGE, fallback_font
from reports.sla_export import export_sla, import_terms, read_terms
from reports.text import markup
from ui.cli import main
from workbench.sla_terms import build_document
from workbench.workbook import Workbook

from .conftest import pdftotext, qpdf_check

TRICKY = 'Tom & Jerry <b>bold?</b> <img src="http://x/y.png"/> <b unclosed &amp; 5 < 6'
LONG = " ".join(f"word{i:03d}" for i in range(400))


def test_markup_escapes_every_tag_and_entity() -> None:
    assert markup("a < b & <b>c</b>") == "a &lt; b &amp; &lt;b&gt;c&lt;/b&gt;"
    assert markup("two\nlines") == "two<br/>lines"
    assert markup(None) == ""


def _export(workbook: Workbook, path: Path) -> str:
    version = workbook.sla.versions()[-1]
    export_sla(workbook, version.id, path)
    qpdf_check(path)
    return pdftotext(path)


def test_user_text_that_looks_like_markup_prints_literally(demo: Workbook,
                                                           tmp_path: Path) -> None:
    vid = demo.sla.versions()[-1].id
    demo.sla.add_clause(vid, TRICKY, TRICKY + " " + LONG)
    mql = demo.funnel.stage_by_key("mql")
    assert mql is not None
    demo.funnel.update_stage(mql.id, definition=TRICKY)
    text = _export(demo, tmp_path / "sla.pdf")
    flat = re.sub(r"\s+", " ", text)
    assert TRICKY in flat  # clause title, body and the funnel definitions table
    assert flat.count("<b>bold?</b>") >= 3
    # a long clause wraps onto many lines and loses no word
    assert all(f"word{i:03d}" in flat for i in range(400))
    assert max(len(line) for line in text.splitlines()) < 200


def test_accented_and_cjk_names_render(demo: Workbook, tmp_path: Path) -> None:
    vid = demo.sla.versions()[-1].id
    demo.sla.add_signatory(vid, "李雷", "首席营收官", "shared")
    text = _export(demo, tmp_path / "sla.pdf")
    assert "Zoë Müller" in text and "Daniel Okafor" in text
    if fallback_font() is None:
        pytest.skip(f"no CJK font installed: apt-get install {CJK_PACKAGE}")
    assert "李雷" in text and "首席营收官" in text


def test_the_pdf_has_contents_page_numbers_schedules_and_signature_page(
        demo: Workbook, tmp_path: Path) -> None:
    text = _export(demo, tmp_path / "sla.pdf")
    pages = text.split("\f")[:-1]
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert "Brightline Logistics Software" in page
    contents = pages[0]  # on the cover, below the parties: no page of contents alone
    for entry in ("1. The terms", "Schedule A. Funnel definitions", "Schedule B. The committed "
                  "plan", "Schedule C. Scoring model", "Signatures", "Completion certificate"):
        assert entry in contents
    document = build_document(demo, demo.sla.versions()[-1].id)
    assert document.commitment is not None
    assert f"{document.commitment.per_quarter:,} per quarter" in text
    assert "First touch within 24 hours" in text
    assert "Hand-off to sales" in text  # drawn in the vector funnel chart


def test_the_funnel_chart_is_vector(demo: Workbook, tmp_path: Path) -> None:
    path = tmp_path / "sla.pdf"
    _export(demo, path)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                             text=True)
    if listing.returncode != 0:
        pytest.skip("pdfimages is missing: apt-get install poppler-utils")
    assert len(listing.stdout.strip().splitlines()) == 2  # the header lines: no images


def test_export_refuses_a_missing_required_term_and_writes_nothing(
        demo: Workbook, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    demo.db.conn.execute("UPDATE plans SET committed = 0")
    demo.db.conn.commit()
    out = tmp_path / "sla.pdf"
    assert main(["export", "sla", str(demo.path), "-o", str(out)]) == 1
    assert "no lead number" in capsys.readouterr().err
    assert not out.exists()


def test_export_cli_and_unknown_kind(demo_path: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "sla.pdf"
    assert main(["export", "sla", str(demo_path), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["export", "poster", str(demo_path), "-o", str(out)]) == 1
    assert "choose one of: funnel|qbr|root|sla" in capsys.readouterr().err
    assert main(["export", "sla", str(demo_path), "-o", str(out), "--version", "7"]) == 1


def test_terms_attached_to_the_pdf_import_into_another_workbook(
        demo: Workbook, blank: Workbook, tmp_path: Path) -> None:
    vid = demo.sla.versions()[-1].id
    demo.sla.add_clause(vid, "Data protection", "Leads are processed under the DPA.")
    path = tmp_path / "sla.pdf"
    export_sla(demo, vid, path)
    original = build_document(demo, vid)
    assert read_terms(path) == original
    changes, new_id = import_terms(blank, path)
    assert changes.sla
    imported = blank.sla.terms(new_id)
    assert [(t.title, t.body) for t in imported] == [(t.title, t.body) for t in original.terms]
    assert [s.name for s in blank.sla.signatories(new_id)] == ["Zoë Müller", "Daniel Okafor"]
    blank.undo()
    assert blank.sla.versions() == []
    blank.redo()
    assert len(blank.sla.terms(new_id)) == len(original.terms)
