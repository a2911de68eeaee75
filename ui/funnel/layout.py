"""Where the funnel diagram's parts go for the view's actual size.

The diagram is laid out in the view's own pixels and never scaled, so its text keeps
fixed, legible sizes on a projector. The bands share the height the view has, between a
floor that still fits a name and a subtitle and a cap that keeps them from looking absurd
on a large screen; the funnel takes the width left beside the hand-off and badge labels on
the left and the recycle arrows and their wrapped labels on the right; the whole drawing is
centred in the view. When even the floor does not fit, the drawing grows past the view
and the view scrolls rather than shrink the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple, dataclass

from PySide6.QtGui import QFontMetricsF

from . import theme
from .shape import BandShape, band_shapes

BAND_MIN = 40.0        # fits a 16 px name over a 12 px subtitle
BAND_MAX = 80.0        # taller bands only look empty
MARGIN = 10.0          # between the drawing and the view's edge
FUNNEL_MIN = 300.0     # the widest band never gets narrower than this
FUNNEL_MAX = 1000.0
FUNNEL_COMFORT = 440.0  # below this, recycle labels get narrower to give the bands room
ASPECT = 1.4           # the widest band at most this many times the funnel's height
LABEL_MIN, LABEL_MAX = 96.0, 220.0   # recycle label width, before wrapping
LANE_REACH, LANE_STEP = 30.0, 22.0   # how far recycle arrows bulge beyond the bands
LABEL_GAP = 12.0       # between the outermost arrow and the recycle labels
SIDE_GAP = 10.0        # between a band and a badge or the hand-off label beside it
HEAD = 24.0            # an arrowhead's reach right of the band it points at
HAND_OFF = "Hand-off"


@dataclass(frozen=True)
class TextSizes:
    """Pixel sizes of the diagram's text, all at or above what reads from the back of a
    room: names 16, everything else 12."""

    name: int
    meta: int
    pill: int
    legend: int
    caption: int
    badge: int
    recycle: int


COMPACT = TextSizes(name=16, meta=12, pill=12, legend=13, caption=12, badge=12, recycle=12)
ROOMY = TextSizes(name=24, meta=16, pill=15, legend=16, caption=14, badge=14, recycle=15)


def text_sizes(band_height: float) -> TextSizes:
    """Compact sizes for the shortest bands, growing to roomy ones for the tallest."""
    share = min(1.0, max(0.0, (band_height - BAND_MIN) / (BAND_MAX - BAND_MIN)))
    return TextSizes(*(round(low + (high - low) * share)
                       for low, high in zip(astuple(COMPACT), astuple(ROOMY), strict=True)))


@dataclass(frozen=True)
class RecyclePath:
    """A recycle arrow between band positions (0 = top), with its label."""

    source: int
    target: int
    label: str

    @property
    def span(self) -> tuple[int, int]:
        return min(self.source, self.target), max(self.source, self.target)


@dataclass(frozen=True)
class DiagramContent:
    """What the diagram must find room for, by band position."""

    count: int
    volumes: list[int] | None = None
    badges: tuple[tuple[int, str], ...] = ()   # band position, "Open" or "Disputed"
    hand_off: int | None = None                # the band above the hand-off line
    recycles: tuple[RecyclePath, ...] = ()     # innermost (shortest) first


@dataclass(frozen=True)
class DiagramLayout:
    """Where everything goes, in view pixels; `width` × `height` is the scene's size."""

    width: float
    height: float
    sizes: TextSizes
    shapes: list[BandShape]
    gap: float
    header_x: float
    header_y: float
    caption_y: float
    bulges: list[float]     # x of each recycle path's bulge, as in `DiagramContent`
    label_column: float     # x where recycle labels start
    label_width: float
    funnel_left: float
    funnel_right: float


def legend_height(sizes: TextSizes) -> float:
    """The legend row: its swatches or its text, whichever is taller, and a little air."""
    return max(sizes.legend + 6, QFontMetricsF(theme.font(sizes.legend)).height()) + 4


def header_height(sizes: TextSizes) -> float:
    """The legend row, the caption under it and room before the first band."""
    return legend_height(sizes) + QFontMetricsF(theme.font(sizes.caption)).height() + 10


def header_width(sizes: TextSizes, caption: str) -> float:
    """The wider of the legend row and the caption line."""
    metrics = QFontMetricsF(theme.font(sizes.legend))
    labels = [theme.owner_label(owner) for owner in ("marketing", "sales", "shared", None)]
    legend = sum(sizes.legend + 6 + 8 + metrics.horizontalAdvance(t) + 22 for t in labels)
    return max(legend, QFontMetricsF(theme.font(sizes.caption)).horizontalAdvance(caption))


def _gap(sizes: TextSizes) -> float:
    """Room between bands: a conversion pill and a little air."""
    return theme.pill_size("→ 0 %", sizes.pill)[1] + 4


def _fit_band(count: int, height: float, sizes: TextSizes) -> float:
    room = height - 2 * MARGIN - header_height(sizes) - (count - 1) * _gap(sizes)
    return min(BAND_MAX, max(BAND_MIN, room / max(count, 1)))


def _band_height(count: int, height: float) -> tuple[float, TextSizes, float]:
    """Band height, text sizes and gap: sized first with compact text, then again with the
    text those bands allow (which needs a slightly bigger gap and header)."""
    sizes = text_sizes(_fit_band(count, height, COMPACT))
    return _fit_band(count, height, sizes), sizes, _gap(sizes)


def _extents(content: DiagramContent, unit: list[BandShape], sizes: TextSizes,
             label_width: float, header: float) -> Callable[[float], tuple[float, float]]:
    """How far the drawing reaches left and right of the funnel's centre line, as a
    function of the widest band's width; `unit` holds the shapes for a width of 1."""
    badge_widths = {i: theme.pill_size(text, sizes.badge)[0] for i, text in content.badges}
    hand_off_width = theme.pill_size(HAND_OFF, sizes.badge)[0]
    half = [shape.half_at_middle() for shape in unit]

    def reach(widest: float) -> tuple[float, float]:
        left = right = widest / 2
        right = max(right, header - widest / 2)
        for index, width in badge_widths.items():
            left = max(left, widest * half[index] + SIDE_GAP + width)
        if content.hand_off is not None:
            above = max(half[content.hand_off], half[content.hand_off + 1])
            left = max(left, widest * above + SIDE_GAP + hand_off_width)
        apexes = []
        for lane, path in enumerate(content.recycles):
            low, high = path.span
            edge = widest * max(half[low:high + 1])
            start, end = widest * half[path.source] + 4, widest * half[path.target] + 8
            apex = recycle_apex(start, end, edge + LANE_REACH + LANE_STEP * lane)
            right = max(right, apex + 2, end + HEAD)
            if path.label:
                apexes.append(apex)
        if apexes:
            right = max(right, max(apexes) + LABEL_GAP + label_width)
        return left, right

    return reach


def recycle_apex(start_x: float, end_x: float, bulge: float) -> float:
    """The x of a recycle curve's outermost point (the cubic at t = ½)."""
    return 0.125 * (start_x + end_x) + 0.75 * bulge


def _widest(reach: Callable[[float], tuple[float, float]], room: float, cap: float) -> float:
    """The widest band width, up to `cap`, whose drawing fits in `room` (bisection)."""
    def fits(widest: float) -> bool:
        return sum(reach(widest)) <= room

    if fits(cap):
        return cap
    low, high = FUNNEL_MIN, cap
    if not fits(low):
        return low
    for _ in range(20):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


def lay_out(content: DiagramContent, width: float, height: float,
            caption: str = "") -> DiagramLayout:
    """Lay the diagram out for a view of `width` × `height` pixels."""
    count = content.count
    band, sizes, gap = _band_height(count, height)
    header = header_height(sizes)
    funnel_height = count * band + max(count - 1, 0) * gap
    top = MARGIN + max(0.0, (height - 2 * MARGIN - header - funnel_height) / 2)
    unit = band_shapes(count, content.volumes, widest=1.0, centre=0.0, height=band, gap=gap)
    room = width - 2 * MARGIN
    cap = max(FUNNEL_MIN, min(FUNNEL_MAX, ASPECT * funnel_height))
    label_width = min(LABEL_MAX, max(LABEL_MIN, room * 0.25))
    heading = header_width(sizes, caption)
    reach = _extents(content, unit, sizes, label_width, heading)
    widest = _widest(reach, room, cap)
    if widest < min(cap, FUNNEL_COMFORT) and label_width > LABEL_MIN:  # labels give way
        label_width = LABEL_MIN
        reach = _extents(content, unit, sizes, label_width, heading)
        widest = _widest(reach, room, cap)
    left, right = reach(widest)
    centre = MARGIN + left + max(0.0, (room - left - right) / 2)
    shapes = band_shapes(count, content.volumes, widest=widest, centre=centre,
                         top=top + header, height=band, gap=gap)
    bulges, apexes = [], []
    for lane, path in enumerate(content.recycles):
        low, high = path.span
        edge = max(shape.right_at_middle() for shape in shapes[low:high + 1])
        bulges.append(edge + LANE_REACH + LANE_STEP * lane)
        apex = recycle_apex(shapes[path.source].right_at_middle() + 4,
                            shapes[path.target].right_at_middle() + 8, bulges[-1])
        if path.label:
            apexes.append(apex)
    return DiagramLayout(
        width=max(width, centre + right + MARGIN),
        height=max(height, top + header + funnel_height + MARGIN),
        sizes=sizes, shapes=shapes, gap=gap, header_x=centre - widest / 2, header_y=top,
        caption_y=top + legend_height(sizes),
        bulges=bulges, label_column=max(apexes, default=centre) + LABEL_GAP,
        label_width=label_width, funnel_left=centre - widest / 2,
        funnel_right=centre + widest / 2)
