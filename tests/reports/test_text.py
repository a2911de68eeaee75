"""User text on its way into a PDF: escaped, each character in a font that has it or as a
visible stand-in, right-to-left text reordered for drawing, long text fitted to a box."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.direction import is_rtl, visual
from reports.drawn_text import fit_line, text_width, wrap_text
from reports.fonts import BODY, BOLD, fallback_font, font_for, symbol_font
from reports.layout import CONTENT_WIDTH, fit_paragraph, header_texts, para, styles
from reports.text import font_runs, markup, printable


def test_markup_escapes_tags_and_keeps_line_breaks() -> None:
    assert markup("a < b & <b>c</b>") == "a &lt; b &amp; &lt;b&gt;c&lt;/b&gt;"
    assert markup("two\r\nlines\u2028three") == "two<br/>lines<br/>three"
    assert markup(None) == ""


def test_a_character_no_font_has_prints_as_its_code_point() -> None:
    assert printable("bell\x07 and \x00") == "bell[U+0007] and [U+0000]"
    assert printable("private \ue000 use") == "private [U+E000] use"
    if font_for("\U0001fae8") is None:
        assert printable("shaking \U0001fae8") == "shaking [U+1FAE8]"


def test_invisible_formatting_and_tabs() -> None:
    assert printable("tab\there") == "tab here"
    assert printable("a\U000e0041b") == "ab"  # a tag character draws nothing anywhere
    assert printable(printable("é\u0301 ﻻ 😀 \x07")) == printable("é\u0301 ﻻ 😀 \x07")


def test_cjk_and_emoji_are_set_in_the_fonts_that_have_them() -> None:
    if fallback_font() is None:
        pytest.skip("no CJK font installed: apt-get install fonts-wqy-microhei")
    assert markup("Lead 李雷", BOLD) == 'Lead <font name="AW-CJK">李雷</font>'
    runs = font_runs(printable("ab 访客 cd"))
    assert runs == [("ab ", BODY), ("访客 ", fallback_font()), ("cd", BODY)]
    if symbol_font() is not None and font_for("🦄", BODY) == symbol_font():
        assert f'<font name="{symbol_font()}">🦄</font>' in markup("🦄")


def test_hebrew_and_arabic_are_reordered_for_drawing() -> None:
    assert visual("abc שלום עולם def") == "abc םלוע םולש def"
    assert visual("שלום (1) abc") == "abc (1) םולש"  # brackets mirrored inside RTL
    assert is_rtl("שלום abc") and not is_rtl("abc שלום")
    shaped = printable("لا مرحبا")
    assert "\ufefb" in shaped and "\ufee3" in shaped  # lam-alef, initial meem
    assert printable("مَرْحَبًا").count("\u064e") == 2  # vowel marks are kept


def test_a_right_to_left_paragraph_is_aligned_right() -> None:
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT

    assert para("שלום עולם", styles().body).style.alignment == TA_RIGHT
    assert para("abc שלום", styles().body).style.alignment == TA_LEFT


def test_a_long_line_is_shortened_with_an_ellipsis_to_fit() -> None:
    line = fit_line("Brightline Logistics " * 20, BOLD, 9, 200)
    assert line.endswith("…") and line.startswith("Brightline Logistics")
    assert text_width(line, 9, BOLD) <= 200
    assert fit_line("Short", BOLD, 9, 200) == "Short"


def test_wrapped_chart_labels_stop_at_the_line_limit() -> None:
    lines = wrap_text(" ".join(["word"] * 400), BODY, 8, 80, max_lines=3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(text_width(line, 8) <= 80 for line in lines)
    assert wrap_text("x" * 50, BODY, 8, 40) == ["x" * n for n in (8, 8, 8, 8, 8, 8, 2)]


def test_the_header_shortens_a_long_company_and_title_to_one_line() -> None:
    company, title = header_texts("Brightline " * 30, "Quarterly business review, 2026Q3")
    assert title == "Quarterly business review, 2026Q3"
    assert company.endswith("…")
    assert text_width(company, 9, BOLD) + text_width(title, 8) < CONTENT_WIDTH
    assert header_texts("Acme", "SLA " * 60)[1].endswith("…")


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=600), st.floats(60, 300), st.floats(12, 60))
def test_fit_paragraph_always_fits_its_box(text: str, width: float, height: float) -> None:
    s = styles()
    paragraph = fit_paragraph(text, s.cell_bold, width, height)
    assert paragraph.wrap(width, height)[1] <= max(height, s.cell_bold.leading)
    whole = para(text, s.cell_bold).wrap(width, 10_000)[1] <= height
    assert whole or paragraph.text.endswith("…")


def test_a_soft_hyphen_never_lets_a_long_word_run_off_the_line() -> None:
    title = "SLA ョ七ム  \u00adòc" + "\U000a542e" * 6 + " åÉ"
    paragraph = para(title, styles().title)
    paragraph.wrap(CONTENT_WIDTH, 1000)
    assert all(line.extraSpace >= 0 for line in paragraph.blPara.lines)
    assert "\u00ad" not in printable(title)
