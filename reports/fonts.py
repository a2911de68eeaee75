"""The PDFs' embedded Unicode fonts.

The body family is DejaVu Sans when the system has it (Debian's fonts-dejavu-core), else
Bitstream Vera, which reportlab ships. Characters neither covers — Chinese, Japanese,
Korean names — fall back to a CJK TrueType font when one is installed (Debian's
fonts-wqy-microhei), registered only when a document needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BODY = "AW"
BOLD = "AW-Bold"
ITALIC = "AW-Italic"
BOLD_ITALIC = "AW-BoldItalic"
FALLBACK = "AW-CJK"
CJK_PACKAGE = "fonts-wqy-microhei"

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

    files, family = _body_files()
    for name, path in zip((BODY, BOLD, ITALIC, BOLD_ITALIC), files, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD_ITALIC)
    for bold, italic, name in ((0, 0, BODY), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(BODY, bold, italic, name)
    return FontSet(family, files)


def _body_files() -> tuple[tuple[Path, ...], str]:
    for folder in _DEJAVU_DIRS:
        files = tuple(folder / name for name in _DEJAVU)
        if all(f.is_file() for f in files):
            return files, "DejaVu Sans"
    import reportlab

    folder = Path(reportlab.__file__).parent / "fonts"
    return tuple(folder / name for name in _VERA), "Bitstream Vera Sans"


@lru_cache(maxsize=1)
def _body_coverage() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    return frozenset(pdfmetrics.getFont(BODY).face.charToGlyph)  # type: ignore[attr-defined]


def covered(char: str) -> bool:
    """Whether the body font has a glyph for `char`."""
    return ord(char) in _body_coverage() or char in "\n\r\t"


@lru_cache(maxsize=1)
def fallback_font() -> str | None:
    """Register the CJK fallback font on first use; None when none is installed
    (then such characters print as the body font's missing-glyph box)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in _CJK_FILES:
        if path.is_file():
            try:
                pdfmetrics.registerFont(TTFont(FALLBACK, str(path), subfontIndex=0))
            except Exception:  # noqa: BLE001 - a damaged font file: try the next one
                continue
            pdfmetrics.registerFontFamily(FALLBACK, normal=FALLBACK, bold=FALLBACK,
                                          italic=FALLBACK, boldItalic=FALLBACK)
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FALLBACK, bold, italic, FALLBACK)
            return FALLBACK
    return None
