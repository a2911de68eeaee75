"""The PDFs' embedded Unicode fonts, and which of them draws a given character.

The body family is DejaVu Sans when the system has it (Debian's fonts-dejavu-core), else
Bitstream Vera, which reportlab ships. Characters it lacks fall back, in order, to a CJK
TrueType font (Debian's fonts-wqy-microhei: Chinese, Japanese, Korean) and a monochrome
symbol font (Debian's fonts-symbola: emoji), each registered only when a document needs
it. `font_for` says which font draws a character — None when no installed font can, so
the caller prints a visible stand-in instead of losing the character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

BODY = "AW"
BOLD = "AW-Bold"
ITALIC = "AW-Italic"
BOLD_ITALIC = "AW-BoldItalic"
FALLBACK = "AW-CJK"
SYMBOLS = "AW-Symbols"
CJK_PACKAGE = "fonts-wqy-microhei"
SYMBOL_PACKAGE = "fonts-symbola"

_DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
           "DejaVuSans-BoldOblique.ttf")
_VERA = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf")
_CJK_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)
_SYMBOL_FILES = (
    Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
    Path("/usr/share/fonts/truetype/symbola/Symbola.ttf"),
    Path("/usr/share/fonts/truetype/ancient-scripts/Symbola.ttf"),
)


@dataclass(frozen=True)
class FontSet:
    """Which family the PDFs embed, and where it came from."""

    family: str  # "DejaVu Sans" or "Bitstream Vera Sans"
    files: tuple[Path, ...]


@lru_cache(maxsize=1)
def register_fonts() -> FontSet:
    """Register the body family (regular, bold, italic, bold italic) once per process."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    _fix_astral_text_extraction()
    files, family = _body_files()
    for name, path in zip((BODY, BOLD, ITALIC, BOLD_ITALIC), files, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD_ITALIC)
    for bold, italic, name in ((0, 0, BODY), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(BODY, bold, italic, name)
    return FontSet(family, files)


def _fix_astral_text_extraction() -> None:
    """Make reportlab write characters beyond U+FFFF (most emoji) into a font's ToUnicode
    map as UTF-16 surrogate pairs, as the PDF format says. reportlab 5.1 writes their code
    point's five hex digits, which readers take for a different character: copying or
    searching the PDF found "Ὧ" (U+1F6F) where "🛳" (U+1F6F3) was drawn."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "astral_fixed", False):
        return

    def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        return re.sub(r"^(<[0-9A-F]{2,}>) <([0-9A-F]{5,6})>$",
                      lambda m: f"{m[1]} <{chr(int(m[2], 16)).encode('utf-16-be').hex().upper()}>",
                      original(fontname, subset), flags=re.MULTILINE)

    to_unicode_cmap.astral_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = to_unicode_cmap


def _body_files() -> tuple[tuple[Path, ...], str]:
    for folder in _DEJAVU_DIRS:
        files = tuple(folder / name for name in _DEJAVU)
        if all(f.is_file() for f in files):
            return files, "DejaVu Sans"
    import reportlab

    folder = Path(reportlab.__file__).parent / "fonts"
    return tuple(folder / name for name in _VERA), "Bitstream Vera Sans"


@cache
def coverage(font: str) -> frozenset[int]:
    """The code points a registered font has a glyph for."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]
    return frozenset(code for code, glyph in face.charToGlyph.items() if glyph)


def covered(char: str) -> bool:
    """Whether the body font has a glyph for `char`."""
    return ord(char) in coverage(BODY) or char in "\n\r\t"


@lru_cache(maxsize=1)
def fallback_font() -> str | None:
    """Register the CJK fallback font on first use; None when none is installed."""
    return _register_fallback(FALLBACK, _CJK_FILES)


@lru_cache(maxsize=1)
def symbol_font() -> str | None:
    """Register the emoji and symbol font on first use; None when none is installed."""
    return _register_fallback(SYMBOLS, _SYMBOL_FILES)


def _register_fallback(name: str, candidates: tuple[Path, ...]) -> str | None:
    """Register the first readable font file of `candidates` as `name` (every style of
    the family maps to it: a fallback has no bold)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in candidates:
        if path.is_file():
            try:
                pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
            except Exception:  # noqa: BLE001 - a damaged font file: try the next one
                continue
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name,
                                          boldItalic=name)
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(name, bold, italic, name)
            return name
    return None


@lru_cache(maxsize=16)
def fallback_chain(font: str) -> tuple[str, ...]:
    """The fonts tried, in order, for a character in text set in `font`: the font
    itself, the regular body font (bold and italic lack some scripts), the CJK font and
    the symbol font (the last two when installed)."""
    chain = [font, BODY, fallback_font(), symbol_font()]
    return tuple(dict.fromkeys(f for f in chain if f))


def font_for(char: str, font: str = BODY) -> str | None:
    """The first font of `fallback_chain(font)` that draws `char`; None if none does."""
    code = ord(char)
    for name in fallback_chain(font):
        if code in coverage(name):
            return name
    return None
