"""Right-to-left text (Hebrew, Arabic) drawn in visual order.

A PDF draws glyphs left to right, so text stored in logical order must be reordered by the
Unicode bidirectional algorithm — after it is broken into lines, since a right-to-left
paragraph's first words belong at the right of its first line. python-bidi supplies the
algorithm and arabic-reshaper the joined letter forms (initial, medial, final, lam-alef)
that a PDF font without OpenType shaping needs.

`BidiParagraph` is a Paragraph that wraps in logical order and draws each line in visual
order; `visual` reorders a single line for the places that draw without a Paragraph (chart
labels, the page header, the table of contents).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reportlab.platypus import Paragraph

_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO"})
# The pure-Python algorithm predates directional isolates: they act as embeddings there
# (both draw nothing); a code point without a class is left to right, as Unicode says.
_OLDER_TYPE = {"LRI": "LRE", "RLI": "RLE", "FSI": "LRE", "PDI": "PDF", "": "L"}
_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
           (0xFE70, 0xFEFF))


def has_rtl(text: str) -> bool:
    """Whether `text` holds anything the bidirectional algorithm would reorder."""
    return not text.isascii() and any(
        unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def is_rtl(text: str) -> bool:
    """Whether `text` reads right to left: its first strong character is Hebrew, Arabic
    or another right-to-left letter (rules P2 and P3)."""
    from bidi import get_base_level

    return has_rtl(text) and get_base_level(text) == 1


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    import arabic_reshaper

    # Keep the vowel marks (harakat) the default configuration deletes: no character
    # of the user's may go missing.
    return arabic_reshaper.ArabicReshaper({"delete_harakat": False,
                                           "ARABIC LIGATURE ALLAH": False})


def shape_arabic(text: str, drawable: Callable[[str], bool]) -> str:
    """Arabic letters in the joined forms their neighbours call for (still in logical
    order); a joined form no installed font `drawable` has stays the plain letter."""
    if text.isascii() or not any(a <= ord(c) <= b for c in text for a, b in _ARABIC):
        return text
    shaped = _reshaper().reshape(text)
    return "".join(c if drawable(c) or not _is_presentation_form(c)
                   else unicodedata.normalize("NFKC", c) for c in shaped)


def _is_presentation_form(char: str) -> bool:
    return 0xFB50 <= ord(char) <= 0xFDFF or 0xFE70 <= ord(char) <= 0xFEFF


def visual_order(line: str, rtl: bool) -> list[tuple[int, str]]:
    """Where each character of one line goes when drawn left to right: (its index in
    `line`, the character — mirrored, like "(" for ")", inside right-to-left runs).
    Explicit direction marks, which draw nothing, are left out."""
    from bidi import algorithm as uba  # the pure-Python algorithm keeps each character's record

    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = (1, "R") if rtl else (0, "L")
    uba.get_embedding_levels(line, storage)
    for index, record in enumerate(storage["chars"]):
        record["index"] = index
        record["type"] = record["orig"] = _OLDER_TYPE.get(record["type"], record["type"])
    for step in (uba.explicit_embed_and_overrides, uba.resolve_weak_types,
                 uba.resolve_neutral_types, uba.resolve_implicit_levels,
                 uba.reorder_resolved_levels, uba.apply_mirroring):
        step(storage, False)
    return [(record["index"], record["ch"]) for record in storage["chars"]]


def visual(line: str, rtl: bool | None = None) -> str:
    """One line of text in the order it is drawn (`rtl`: the paragraph's direction,
    by default the line's own)."""
    if not has_rtl(line):
        return line
    return "".join(char for _, char in visual_order(line, is_rtl(line) if rtl is None
                                                    else rtl))


class BidiParagraph(Paragraph):
    """A Paragraph that breaks its lines in logical order and draws each in visual order.

    Splitting works on the logical lines, so a paragraph carried over to the next page
    is reordered once, when it is drawn."""

    def __init__(self, text: str, style: Any, *args: Any, rtl: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        self.rtl = rtl

    def split(self, available_width: float, available_height: float) -> list[Any]:
        parts = super().split(available_width, available_height)
        for part in parts:
            part.rtl = getattr(self, "rtl", False)
        return parts

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - reportlab's name
        state: Any = self  # reportlab sets blPara (the broken lines) in wrap
        logical = state.blPara
        state.blPara = logical.clone(lines=[_visual_line(line, logical.kind, self.rtl)
                                            for line in logical.lines])
        try:
            super().drawPara(debug)
        finally:
            state.blPara = logical


def _visual_line(line: Any, kind: int, rtl: bool) -> Any:
    """A wrapped line in visual order: plain lines are (extra space, words); lines of
    several fonts have fragments, each one font's run of text."""
    if kind == 0:
        extra, words = line
        text = " ".join(words)
        if not has_rtl(text):
            return line
        return extra, "".join(c for _, c in visual_order(text, rtl)).split(" ")
    fragments = [f for f in line.words if not hasattr(f, "cbDefn")]
    text = "".join(f.text for f in fragments)
    if len(fragments) != len(line.words) or not has_rtl(text):
        return line
    owner = [n for n, f in enumerate(fragments) for _ in f.text]
    runs: list[tuple[int, str]] = []
    for index, char in visual_order(text, rtl):
        if runs and runs[-1][0] == owner[index]:
            runs[-1] = (owner[index], runs[-1][1] + char)
        else:
            runs.append((owner[index], char))
    return line.clone(words=[fragments[n].clone(text=run) for n, run in runs])
