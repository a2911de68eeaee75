"""What a slide is and how it is drawn: `Slide` (a title, a painter of its body, a caption)
and `Canvas`, the painter's helper that sizes type for the room and records every text it
draws with the room it had, so a test can say that nothing was cut off.

Sizes are pixels at 1280×720 and scale with the window; body text is never under 24 px
there. A text too long for its place is cut at a word with "…" (and recorded as such),
never clipped mid-line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from reports import palette
from ui.shell.screen_style import UI_FAMILY

DESIGN_WIDTH, DESIGN_HEIGHT = 1280, 720
TITLE, FIGURE, LARGE, BODY, SMALL, FOOTER = 44, 60, 32, 28, 24, 20
ELLIPSIS = "…"
FALLBACK_ROOM = 1.1  # Chinese, Arabic or emoji glyphs stand taller than Latin ones
TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


def colour(role: str = "ink") -> QColor:
    """A palette role ("ink", "muted", "good", "owner:sales", …) as a QColor."""
    return QColor(palette.colour(role))


@dataclass(frozen=True)
class TextRun:
    """One text a slide drew: at what size, in what room, and whether it had to be cut."""

    text: str
    shown: str
    pixels: float
    rect: QRectF
    needed: QRectF
    cut: bool

    @property
    def fits(self) -> bool:
        return (self.needed.width() <= self.rect.width() + 0.5
                and self.needed.height() <= self.rect.height() + 0.5)


@dataclass
class Canvas:
    """A QPainter with the slide's scale (`unit` pixels per design pixel)."""

    painter: QPainter
    unit: float
    runs: list[TextRun] = field(default_factory=list)

    def px(self, design: float) -> float:
        return design * self.unit

    def font(self, size: float, bold: bool = False) -> QFont:
        result = QFont(UI_FAMILY)
        result.setPixelSize(max(1, round(size * self.unit)))
        result.setBold(bold)
        return result

    def line_height(self, size: float, bold: bool = False) -> float:
        """A line's height with room for taller scripts and emoji from fallback fonts."""
        return QFontMetricsF(self.font(size, bold)).height() * FALLBACK_ROOM

    def text(self, rect: QRectF, text: str, size: float = BODY, *, bold: bool = False,
             role: str = "ink", align: Qt.AlignmentFlag = TOP_LEFT,
             wrap: bool = True) -> QRectF:
        """Draw `text` in `rect` (wrapped at words unless `wrap` is False), cut at a word
        with "…" when it does not fit; return the rect the drawn text took."""
        typed, text = text, _UNIT.sub("\\1\u00a0\\2", text)  # "13.1 h" kept on one line
        font = self.font(size, bold)
        metrics = QFontMetricsF(font)
        flags = int(align) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
        shown, needed = text, metrics.boundingRect(rect, flags, text)
        cut = not _fits(needed, rect)
        if cut:
            shown, needed = _cut_to_fit(metrics, rect, flags, text, wrap)
        self.runs.append(TextRun(typed, shown.replace("\u00a0", " "), font.pixelSize(),
                                 QRectF(rect), needed, cut))
        self.painter.setFont(font)
        self.painter.setPen(colour(role))
        self.painter.drawText(rect, flags, shown)
        return needed

    def drawn(self) -> Drawn:
        """What was drawn, without the painter (which must not outlive its device)."""
        return Drawn(list(self.runs))


@dataclass(frozen=True)
class Drawn:
    """The texts a slide drew, to check that each fits its room."""

    runs: list[TextRun]

    @property
    def overflowing(self) -> list[TextRun]:
        """The texts drawn larger than their room (none should be)."""
        return [r for r in self.runs if not r.fits]


_UNIT = re.compile(r"(\d) (h|d|%|[A-Z]{3})(?!\w)")


def _fits(needed: QRectF, rect: QRectF) -> bool:
    return needed.width() <= rect.width() + 0.5 and needed.height() <= rect.height() + 0.5


def _cut_to_fit(metrics: QFontMetricsF, rect: QRectF, flags: int, text: str,
                wrap: bool) -> tuple[str, QRectF]:
    """The longest start of `text`, cut at a word, with "…" that fits `rect`."""
    if not wrap or metrics.height() * 2 > rect.height() + 0.5:
        shown = metrics.elidedText(" ".join(text.split()), Qt.TextElideMode.ElideRight,
                                   rect.width())
        return shown, metrics.boundingRect(rect, flags & ~int(Qt.TextFlag.TextWordWrap),
                                           shown)
    words = text.split(" ")
    low, high = 0, len(words)
    while low < high:  # the most words that fit
        middle = (low + high + 1) // 2
        if _fits(metrics.boundingRect(rect, flags, " ".join(words[:middle]) + ELLIPSIS),
                 rect):
            low = middle
        else:
            high = middle - 1
    shown = " ".join(words[:low]).rstrip() + ELLIPSIS
    needed = metrics.boundingRect(rect, flags, shown)
    if not _fits(needed, rect):  # one long word: cut within it, on one line
        shown = metrics.elidedText(" ".join(text.split()), Qt.TextElideMode.ElideRight,
                                   rect.width())
        needed = metrics.boundingRect(rect, flags & ~int(Qt.TextFlag.TextWordWrap), shown)
    return shown, needed


Painter = Callable[[Canvas, QRectF], None]


@dataclass(frozen=True)
class Slide:
    """One slide: its title, what paints its body, and a caption under it (where the
    figures come from, or why one is "—")."""

    title: str
    paint: Painter
    caption: str = ""


def message_slide(title: str, message: str, caption: str = "") -> Slide:
    """A slide that only says something (nothing to show yet, and why)."""

    def paint(canvas: Canvas, rect: QRectF) -> None:
        canvas.text(rect, message, LARGE, role="muted",
                    align=Qt.AlignmentFlag.AlignCenter)

    return Slide(title, paint, caption)
