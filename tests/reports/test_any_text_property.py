"""Any text, any length, any script in every field a user can type, through all three
PDFs: each is a valid PDF, every word stays on the page, every font is embedded, every
character drawn is one a font has, and the user's words come back out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from reports.fonts import font_for
from reports.funnel_report import export_funnel
from reports.qbr import export_qbr
from reports.sla_export import export_sla
from workbench.sla_terms import build_document
from workbench.workbook import Workbook

from .pdf_checks import body_text, drawn_words, fonts, qpdf_check, words_off_the_page
from .report_workbooks import fill_every_field
from .user_text import FieldTexts, field_texts, missing_words


@dataclass(frozen=True)
class Export:
    """One exported PDF and the user texts (as stored) it must print in full."""

    path: Path
    texts: tuple[str, ...]


def export_all(workbook: Workbook, folder: Path) -> list[Export]:
    """The SLA draft, the funnel report and the QBR of the latest quarter."""
    version_id = workbook.sla.versions()[-1].id
    quarter = workbook.plan.quarters()[-1]
    document = build_document(workbook, version_id)
    stages = workbook.funnel.stages()
    stage_texts = [t for s in stages for t in (s.name, s.definition, s.entry_criteria,
                                               s.exit_criteria)]
    sla = (document.company, document.title, document.review_cadence,
           *(t for s in document.stages for t in (s.name, s.definition, s.entry_criteria,
                                                  s.exit_criteria)),
           document.commitment.plan if document.commitment else "",
           *(label for label, _ in document.scoring),
           *(t for term in document.terms for t in (term.title, term.body)),
           *(t for p in document.parties for t in (p.name, p.title)))
    sources = sorted({a.source for a in workbook.actuals.for_quarter(quarter.id)})
    return [
        Export(export_sla(workbook, version_id, folder / "sla.pdf"), sla),
        Export(export_funnel(workbook, [quarter.id], folder / "funnel.pdf"),
               (document.company, *stage_texts)),
        Export(export_qbr(workbook, quarter.id, folder / "qbr.pdf"),
               (document.company, *(s.name for s in stages), *sources)),
    ]


def check_export(export: Export) -> None:
    """Everything a reader could notice: see the module's docstring."""
    qpdf_check(export.path)
    assert words_off_the_page(export.path) == []
    assert [f.name for f in fonts(export.path) if not f.embedded] == []
    undrawable = {c for w in drawn_words(export.path) for c in w.text
                  if not c.isspace() and font_for(c) is None}
    assert undrawable == set()
    drawn = body_text(export.path)
    for typed in export.texts:
        assert missing_words(typed, drawn) == [], (export.path.name, typed)


def check_every_field(texts: FieldTexts, folder: Path) -> None:
    workbook = Workbook.in_memory("demo")
    try:
        fill_every_field(workbook, texts)
        for export in export_all(workbook, folder):
            check_export(export)
    finally:
        workbook.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=field_texts())
def test_any_text_in_every_field_reaches_every_pdf(
        texts: FieldTexts, tmp_path_factory: pytest.TempPathFactory) -> None:
    check_every_field(texts, tmp_path_factory.mktemp("any-text"))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=field_texts())
def test_any_text_in_every_field_reaches_every_pdf_at_length(
        texts: FieldTexts, tmp_path_factory: pytest.TempPathFactory) -> None:
    check_every_field(texts, tmp_path_factory.mktemp("any-text"))
