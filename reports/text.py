"""User text into what a PDF can draw, safely.

Every piece of user text (stage names, clauses, signer names) passes `printable` before it
is laid out: line breaks become "\n", tabs spaces, Arabic letters take their joined forms,
and a character no installed font can draw becomes a visible "[U+1F600]" instead of an
empty box or nothing. `markup` then escapes it for reportlab's Paragraph (`&`, `<` and `>`
print literally, so `<b` or `<img src=…>` is just text) and sets each run of characters in
the first font that has them (`reports.fonts.font_for`).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from xml.sax.saxutils import escape as _xml_escape

from .direction import shape_arabic
from .fonts import BODY, font_for

STAND_IN = "[U+{:04X}]"
_VARIATION_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


def printable(text: object) -> str:
    """`text` as the PDFs print it, still in logical order (see the module's docstring).
    Invisible formatting characters (zero-width joiners, direction marks, variation
    selectors) stay where a font has them and are left out where none has."""
    value = "" if text is None else str(text)
    if value.isascii() and value.isprintable():
        return value
    value = "\n".join(value.splitlines()).replace("\t", " ")
    value = shape_arabic(value, lambda c: font_for(c) is not None)
    return "".join(_drawn_as(c) for c in value)


@lru_cache(maxsize=4096)
def _drawn_as(char: str) -> str:
    if char == "\n":
        return char
    if char == "\u00ad":  # a soft hyphen: reportlab 5.1 breaks a line there and then no
        return ""         # longer splits the long word after it, which runs off the page
    if unicodedata.category(char) == "Cc":  # a control character, even where a font maps it
        return " " if char.isspace() else stand_in(char)
    if font_for(char) is not None:
        return char
    if _invisible(char):
        return ""
    return " " if char.isspace() else stand_in(char)


def stand_in(char: str) -> str:
    """The visible stand-in for a character no font can draw: "[U+1F600]"."""
    return STAND_IN.format(ord(char))


def _invisible(char: str) -> bool:
    """Formatting characters that never draw anything (Unicode category Cf, variation
    selectors): leaving them out loses nothing a reader could see."""
    code = ord(char)
    return (unicodedata.category(char) == "Cf"
            or any(low <= code <= high for low, high in _VARIATION_SELECTORS))


def font_runs(text: str, font: str = BODY) -> list[tuple[str, str]]:
    """Printable `text` cut into (run, font name) pieces: each character in the first font
    of `font`'s fallback chain that draws it; spaces stay in the run they follow."""
    names: list[str] = []
    for char in text:
        names.append((names[-1] if names else font) if char in " \n"
                     else font_for(char, font) or font)
    return [("".join(char for char, _ in run), name)
            for name, run in groupby(zip(text, names, strict=True), key=itemgetter(1))]


def markup(text: object, font: str = BODY) -> str:
    """Paragraph markup for a paragraph set in `font` that prints `text` as typed."""
    return "".join(_escape(run) if name == font else f'<font name="{name}">{_escape(run)}</font>'
                   for run, name in font_runs(printable(text), font))


def _escape(value: str) -> str:
    return _xml_escape(value).replace("\n", "<br/>")
