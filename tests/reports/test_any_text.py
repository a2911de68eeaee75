"""Any text, any length, any script in the three PDFs, case by case: a 10,000-character
definition prints whole in each, CJK and emoji names in the QBR, a 300-character company
name stays inside the header, Hebrew and Arabic are drawn in visual order, a character
no font has is printed as a visible stand-in, and every font is embedded."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from reports.fonts import font_for
from reports.funnel_report import export_funnel
from reports.qbr import export_qbr
from reports.sla_export import export_sla
from reports.text import stand_in
from workbench.workbook import Workbook

from .pdf_checks import (
    HEADER_BOTTOM,
    body_text,
    drawn_words,
    fonts,
    page_texts,
    qpdf_check,
    text,
    words,
    words_off_the_page,
)
from .user_text import missing_words

STANDARD_FONTS = {f"{family}{style}" for family, styles in (
    ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
    ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
    ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
    ("Symbol", ("",)), ("ZapfDingbats", ("",))) for style in styles}
DEFINITION = " ".join(f"word{i:04d}" for i in range(1112))  # 10,007 characters
COMPANY = ("Brightline Logistics Software GmbH & Co. KG, Niederlassung "
           "Donaudampfschifffahrt " * 5)[:299] + "Z"


def _sla(workbook: Workbook, out: Path) -> Path:
    return export_sla(workbook, workbook.sla.versions()[-1].id, out)


def _funnel(workbook: Workbook, out: Path) -> Path:
    return export_funnel(workbook, [workbook.plan.quarters()[-1].id], out)


def _qbr(workbook: Workbook, out: Path) -> Path:
    return export_qbr(workbook, workbook.plan.quarters()[-1].id, out)


EXPORTS: dict[str, Callable[[Workbook, Path], Path]] = {
    "sla": _sla, "funnel": _funnel, "qbr": _qbr}


def _in_latest_quarter(workbook: Workbook) -> None:
    """Date the newest change-log entry inside the latest quarter, so the QBR's list of
    the quarter's changes to definitions shows it."""
    start = workbook.plan.quarters()[-1].start_date
    workbook.db.conn.execute("UPDATE change_log SET at = ? WHERE id = (SELECT max(id) "
                             "FROM change_log)", (f"{start}T12:00:00Z",))
    workbook.db.conn.commit()


def _readable(path: Path) -> str:
    qpdf_check(path)
    assert words_off_the_page(path) == []
    return text(path)


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_ten_thousand_character_definition_prints_whole(
        kind: str, demo: Workbook, tmp_path: Path) -> None:
    mql = demo.funnel.stage_by_key("mql")
    assert mql is not None
    demo.funnel.update_stage(mql.id, definition=DEFINITION)
    _in_latest_quarter(demo)  # the QBR prints it among the quarter's changes
    out = EXPORTS[kind](demo, tmp_path / f"{kind}.pdf")
    _readable(out)
    assert missing_words(DEFINITION, body_text(out)) == []  # every word, over pages


def test_a_ten_thousand_character_source_and_signatory_name(
        demo: Workbook, tmp_path: Path) -> None:
    source = " ".join(f"src{i:04d}" for i in range(1300))
    name = " ".join(f"name{i:04d}" for i in range(1112))
    quarter = demo.plan.quarters()[-1]
    demo.actuals.set_actual(quarter.id, demo.funnel.stages()[0].id, source, 500)
    demo.sla.add_signatory(demo.sla.versions()[-1].id, name, "Chief revenue officer", "sales")
    qbr, sla = _qbr(demo, tmp_path / "qbr.pdf"), _sla(demo, tmp_path / "sla.pdf")
    _readable(qbr), _readable(sla)
    assert missing_words(source, body_text(qbr)) == []
    assert missing_words(name, body_text(sla)) == []


def test_cjk_japanese_and_emoji_stage_and_source_names_in_the_qbr(
        demo: Workbook, tmp_path: Path) -> None:
    names = ["访客", "ウェブ訪問者", "見込み客 😀", "営業案件 🚀"]
    for stage, name in zip(demo.funnel.stages(), names, strict=False):
        demo.funnel.rename_stage(stage.id, name)
    quarter = demo.plan.quarters()[-1]
    demo.actuals.set_actual(quarter.id, demo.funnel.stages()[0].id, "検索広告 🔍", 321)
    out = _qbr(demo, tmp_path / "qbr.pdf")
    _readable(out)
    drawn = body_text(out)
    for name in [*names, "検索広告 🔍"]:
        assert missing_words(name, drawn) == []
    assert "Source mix" in text(out)


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_three_hundred_character_company_name_stays_in_the_header(
        kind: str, demo: Workbook, tmp_path: Path) -> None:
    demo.set_properties(company_name=COMPANY)
    out = EXPORTS[kind](demo, tmp_path / f"{kind}.pdf")
    _readable(out)
    header = [w for w in words(out) if w.y1 < HEADER_BOTTOM]
    pages = {w.page for w in header}
    assert len(pages) == len(page_texts(out))
    for page in pages:
        line = [w.text for w in sorted(header, key=lambda w: w.x0) if w.page == page]
        assert line[0] == "Brightline" and any(w.endswith("…") for w in line)
    assert COMPANY in text(out)  # whole on the cover or first page


def _visual_spelling(word: str) -> str:
    return word[::-1]


@pytest.mark.parametrize(("name", "first", "second"), [
    ("שלום עולם", "שלום", "עולם"),
    ("مرحبا بالعالم", "مرحبا", "بالعالم"),
])
def test_right_to_left_names_are_drawn_in_visual_order(
        name: str, first: str, second: str, demo: Workbook, tmp_path: Path) -> None:
    for font in {font_for(c) for c in name if not c.isspace()}:
        if font is None:
            pytest.skip("no installed font draws Hebrew and Arabic: apt-get install "
                        "fonts-dejavu-core")
    demo.funnel.rename_stage(demo.funnel.stages()[1].id, name)
    out = _funnel(demo, tmp_path / "funnel.pdf")
    logical = unicodedata.normalize("NFKC", "".join(
        c for c in text(out) if unicodedata.category(c) != "Cf"))
    assert name in logical  # a reader's copy and search find the name as typed
    drawn = [unicodedata.normalize("NFKC", w.text) for w in drawn_words(out)]
    # Drawn right to left: the second word stands left of the first, each spelt backwards.
    pairs = list(zip(drawn, drawn[1:], strict=False))
    assert (_visual_spelling(second), _visual_spelling(first)) in pairs
    if "\u0600" <= name[0] <= "\u06ff":  # Arabic letters in their joined forms
        shaped = {c for w in drawn_words(out) for c in w.text}
        assert "\ufee3" in shaped  # meem, initial form


def test_an_emoji_is_drawn_or_printed_as_a_visible_stand_in(
        demo: Workbook, tmp_path: Path) -> None:
    name = "Launch 🚀 🦄 \U0001fae8 bell\x07"  # 🫨 (Unicode 15) is in no font we install
    demo.funnel.rename_stage(demo.funnel.stages()[0].id, name)
    out = _funnel(demo, tmp_path / "funnel.pdf")
    content = _readable(out)
    for char in "🚀🦄\U0001fae8":
        assert (char if font_for(char) else stand_in(char)) in content
    assert "[U+0007]" in content and "bell" in content
    if font_for("\U0001fae8") is None:
        assert "[U+1FAE8]" in content


@pytest.mark.parametrize("kind", EXPORTS)
def test_every_font_in_every_pdf_is_embedded(kind: str, demo: Workbook,
                                             tmp_path: Path) -> None:
    demo.funnel.rename_stage(demo.funnel.stages()[0].id, "访客 😀 🦄 שלום")
    out = EXPORTS[kind](demo, tmp_path / f"{kind}.pdf")
    listed = fonts(out)
    assert listed and all(f.embedded for f in listed), listed
    assert {f.name.split("+")[-1] for f in listed} & STANDARD_FONTS == set()
    assert len(listed) >= 3  # body, bold and the fallbacks the name needs
