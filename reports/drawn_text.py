"""User text drawn without a Paragraph — chart labels, the page header: measured, broken
into lines or shortened with "…" to fit a width, and drawn line by line in visual order as
runs of the fonts that have its characters (`reports.text.font_runs`).

Everything here takes user text as typed and makes it printable first, so a width is the
width of what is drawn, stand-ins like "[U+1F600]" included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.graphics.shapes import Drawing, Group, String

from .direction import visual
from .fonts import BODY, BOLD, register_fonts
from .text import font_runs, printable

ELLIPSIS = "…"


def drawing_of(width: float, height: float) -> Drawing:
    """An empty drawing whose text state starts in the embedded body font (reportlab's
    default, Helvetica, would be listed in the PDF without being embedded)."""
    register_fonts()
    return Drawing(width, height, initialFontName=BODY)


def text_width(text: str, size: float, font: str = BODY) -> float:
    """How wide `text` is drawn on one line at `size` points in `font` (with fallbacks)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    return sum(stringWidth(run, name, size) for run, name in font_runs(printable(text), font))


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """`text` on one line no wider than `width`: as typed when it fits, else cut short
    with "…" (line breaks become spaces)."""
    line = " ".join(printable(text).split("\n"))
    if text_width(line, size, font) <= width:
        return line
    return _shortened(line, font, size, width)


def _shortened(line: str, font: str, size: float, width: float) -> str:
    """The longest start of `line` that fits `width` with "…" after it."""
    cut = longest(lambda n: text_width(line[:n].rstrip() + ELLIPSIS, size, font) <= width,
                  len(line))
    return line[:cut].rstrip() + ELLIPSIS


def longest(fits: Callable[[int], bool], high: int, low: int = 0) -> int:
    """The largest n from `low` to `high` for which `fits(n)`, when fitting only gets
    harder as n grows (a binary search; `low` when nothing larger fits)."""
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def wrap_text(text: str, font: str, size: float, width: float,
              max_lines: int | None = None) -> list[str]:
    """`text` broken into lines no wider than `width`, at spaces where it can and inside a
    word where a word alone is too wide; at most `max_lines`, the last one ending in "…"
    when text was left out. Always at least one line."""
    lines: list[str] = []
    for paragraph in printable(text).split("\n"):
        lines += _wrap_paragraph(paragraph, font, size, width)
        if max_lines is not None and len(lines) > max_lines:
            rest = " ".join(lines[max_lines - 1:])
            return [*lines[:max_lines - 1], _shortened(rest, font, size, width)]
    return lines or [""]


def _wrap_paragraph(paragraph: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in paragraph.split(" "):
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, size, font) > width and len(word) > 1:
            cut = _fitting_prefix(word, font, size, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line]


def _fitting_prefix(word: str, font: str, size: float, width: float) -> int:
    """How many characters of `word` fit `width` (at least one)."""
    return longest(lambda n: text_width(word[:n], size, font) <= width, len(word), 1)


def placed_runs(line: str, font: str, size: float,
                anchor: str = "start") -> list[tuple[float, str, str]]:
    """One printable line as (x offset from the anchor, run, font), left to right in
    visual order; `anchor` is "start", "middle" or "end" of the drawn line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs = font_runs(visual(line), font)
    widths = [stringWidth(run, name, size) for run, name in runs]
    x = -sum(widths) * {"start": 0.0, "middle": 0.5, "end": 1.0}[anchor]
    placed = []
    for (run, name), run_width in zip(runs, widths, strict=True):
        placed.append((x, run, name))
        x += run_width
    return placed


def text_group(x: float, y: float, line: str, *, font: str = BODY, size: float = 8.0,
               fill: Any = None, anchor: str = "start") -> Group:
    """One line of user text as a `reportlab.graphics` group of strings, one per font."""
    group = Group()
    for offset, run, name in placed_runs(printable(line), font, size, anchor):
        group.add(String(x + offset, y, run, fontName=name, fontSize=size, fillColor=fill))
    return group


def draw_line(canvas: Any, x: float, y: float, line: str, *, font: str = BOLD,
              size: float = 9.0, anchor: str = "start") -> None:
    """One line of user text on a canvas (its fill colour as set), one run per font."""
    for offset, run, name in placed_runs(printable(line), font, size, anchor):
        canvas.setFont(name, size)
        canvas.drawString(x + offset, y, run)
