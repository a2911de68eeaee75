"""Vector charts drawn with reportlab.graphics in the shared palette.

`funnel_chart` draws the funnel as stacked bands narrowing downwards, one per stage,
coloured by owner, labelled with the stage's volume and the conversion to the next, with
the marketing → sales hand-off marked. Widths follow the volumes on a logarithmic scale
(`band_widths`: a visit count dwarfs customers), so every band stays readable and a
larger stage is always drawn wider.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String

from workbench.figure_text import format_percents

from . import palette
from .drawn_text import drawing_of, fit_line, text_group
from .fonts import BODY, BOLD, register_fonts
from .layout import colour


@dataclass(frozen=True)
class FunnelBand:
    """One stage of a funnel chart."""

    name: str
    owner: str | None
    volume: int | None = None
    conversion_to_next: float | None = None


def handoff_index(bands: list[FunnelBand]) -> int | None:
    """The index of the first sales-side band after a marketing one."""
    for i in range(1, len(bands)):
        if bands[i - 1].owner == "marketing" and bands[i].owner in ("sales", "shared"):
            return i
    return None


def band_widths(volumes: Sequence[float | None], widest: float,
                narrowest: float) -> list[tuple[float, float]]:
    """Each band's top and bottom width, following the volumes on a logarithmic scale
    (visits and customers differ by orders of magnitude): the largest volume is `widest`,
    none or 0 is `narrowest`; a band narrows to the next stage's width, the last one to
    nine tenths of its own."""
    top = max((v for v in volumes if v), default=0.0)

    def width_of(volume: float | None) -> float:
        if not volume or top <= 0:
            return narrowest
        return narrowest + (widest - narrowest) * math.log1p(volume) / math.log1p(top)

    widths = [width_of(v) for v in volumes]
    return [(w, widths[i + 1] if i + 1 < len(widths) else max(narrowest, w * 0.9))
            for i, w in enumerate(widths)]


def funnel_chart(bands: list[FunnelBand], width: float, *, band_height: float = 26) -> Drawing:
    """The funnel as a vector drawing `width` points wide."""
    register_fonts()
    legend_height = 22
    height = len(bands) * band_height + legend_height + 6
    drawing = drawing_of(width, height)
    funnel_width = width * 0.62
    left = 4.0
    centre = left + funnel_width / 2
    top = height - 4
    conversions = format_percents([b.conversion_to_next for b in bands])
    shapes = band_widths([b.volume for b in bands], funnel_width, funnel_width * 0.28)
    for i, (band, (upper, lower)) in enumerate(zip(bands, shapes, strict=True)):
        y1, y0 = top - i * band_height, top - (i + 1) * band_height + 2
        drawing.add(Polygon(
            [centre - upper / 2, y1, centre + upper / 2, y1, centre + lower / 2, y0,
             centre - lower / 2, y0],
            fillColor=colour(palette.OWNER.get(band.owner, palette.OWNER[None])),
            strokeColor=None))
        label = fit_line(band.name, BOLD, 8.5, lower - 10)
        drawing.add(text_group(centre, y0 + band_height / 2 - 6.5, label, font=BOLD, size=8.5,
                               fill=colour(palette.PAPER), anchor="middle"))
        text_x = left + funnel_width + 14
        volume = "—" if band.volume is None else f"{band.volume:,}"
        drawing.add(String(text_x, y0 + band_height / 2 - 3.5, volume, fontName=BOLD,
                           fontSize=9.5, fillColor=colour(palette.INK)))
        if band.conversion_to_next is not None and i < len(bands) - 1:
            drawing.add(String(text_x + 52, y0 + band_height / 2 - 3.5,
                               f"↓ {conversions[i]}",
                               fontName=BODY, fontSize=7.5, fillColor=colour(palette.MUTED)))
    _mark_handoff(drawing, bands, left, funnel_width, top, band_height, width)
    _legend(drawing, bands, left, legend_height - 14)
    return drawing


def _mark_handoff(drawing: Drawing, bands: list[FunnelBand], left: float, funnel_width: float,
                  top: float, band_height: float, width: float) -> None:
    index = handoff_index(bands)
    if index is None:
        return
    y = top - index * band_height + 1
    drawing.add(Line(left, y, width - 4, y, strokeColor=colour(palette.INK), strokeWidth=0.9,
                     strokeDashArray=[3, 2]))
    drawing.add(String(width - 4, y - 8.5, "Hand-off to sales", fontName=BOLD, fontSize=7.5,
                       fillColor=colour(palette.INK), textAnchor="end"))


def _legend(drawing: Drawing, bands: list[FunnelBand], x: float, y: float) -> None:
    owners = [o for o in ("marketing", "sales", "shared", None)
              if any(b.owner == o for b in bands)]
    for owner in owners:
        drawing.add(Rect(x, y, 9, 9, fillColor=colour(palette.OWNER[owner]), strokeColor=None))
        label = palette.OWNER_LABEL[owner]
        drawing.add(String(x + 13, y + 1.5, label, fontName=BODY, fontSize=8,
                           fillColor=colour(palette.MUTED)))
        x += 22 + 5.2 * len(label)
    if any(b.conversion_to_next is not None for b in bands):
        drawing.add(String(x + 6, y + 1.5, "↓ conversion to the next stage · band width: "
                           "volume (log scale)", fontName=BODY,
                           fontSize=8, fillColor=colour(palette.MUTED)))

