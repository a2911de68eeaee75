"""The pieces a chart plot is drawn with: axes that label categories and compact values,
bar geometry, value ranges, and the exact text to show on hover. Only this package imports
pyqtgraph (so the app starts without it)."""

from __future__ import annotations

import math
import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QFontMetrics, QPen  # noqa: E402

from reports import palette  # noqa: E402
from ui.plan import theme  # noqa: E402
from workbench.chartdata import BarChart, Chart  # noqa: E402

BAR_SPAN = 0.7  # share of a category's width the bars take
pg.setConfigOptions(antialias=True, background=palette.PAPER, foreground=palette.MUTED)


def compact(value: float) -> str:
    """A tick label: 1,250,000 → "1.25M", 900,000 → "900k", 75 → "75"."""
    size = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            text = f"{value / limit:.2f}".rstrip("0").rstrip(".")
            return text + suffix
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"


class ValueAxis(pg.AxisItem):
    """A value axis with compact labels, also on a log scale (10, 100, 1k, 10k)."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if self.logMode:
            return [compact(10 ** v) if float(v).is_integer() else "" for v in values]
        return [compact(v * scale) for v in values]


class CategoryAxis(pg.AxisItem):
    """An axis that labels whole positions with category names and nothing in between.

    A vertical axis makes room for the longest name (eliding past `MAX_NAME` pixels: the
    hover text has the full name); a horizontal one labels every n-th position when the
    names would otherwise run into each other.
    """

    MAX_NAME = 190

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.names: tuple[str, ...] = ()
        self.shown: list[str] = []

    def set_names(self, names: tuple[str, ...]) -> None:
        self.names = names
        metrics = QFontMetrics(self.style["tickFont"] or theme.font(8.5))
        if self.orientation in ("left", "right"):
            shown = [metrics.elidedText(n, Qt.TextElideMode.ElideRight, self.MAX_NAME)
                     for n in names]
            self.setWidth(max((metrics.horizontalAdvance(n) for n in shown), default=20) + 14)
            self._set_shown(shown)
        else:
            self._thin_out()

    def _thin_out(self) -> None:
        """Label every n-th position so neighbouring labels keep a gap between them."""
        metrics = QFontMetrics(self.style["tickFont"] or theme.font(8.5))
        widest = max((metrics.horizontalAdvance(n) for n in self.names), default=0) + 10
        room = self.geometry().width() / max(1, len(self.names))
        step = max(1, math.ceil(widest / room)) if room > 0 else 1
        last = len(self.names) - 1
        self._set_shown([n if (last - i) % step == 0 else "" for i, n in enumerate(self.names)])

    def _set_shown(self, shown: list[str]) -> None:
        if shown != self.shown:
            self.shown = shown
            self.setTicks([[(i, name) for i, name in enumerate(shown)], []])

    def resizeEvent(self, event: object = None) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        # The base class resizes while it is still being made, before `names` exists.
        if self.orientation in ("top", "bottom") and getattr(self, "names", ()):
            self._thin_out()


def bar_geometry(chart: BarChart) -> list[tuple[list[float], list[float], list[float]]]:
    """Per series: the bars' positions on the category axis, lengths and starts (stacked
    bars start where the series before them ended)."""
    groups = 1 if chart.stacked else max(1, len(chart.series))
    width = BAR_SPAN / groups
    base = [0.0] * len(chart.categories)
    result = []
    for index, series in enumerate(chart.series):
        positions, lengths, starts = [], [], []
        offset = 0.0 if chart.stacked else (index - (groups - 1) / 2) * width
        for i, value in enumerate(series.values):
            if value is None:
                continue
            positions.append(i + offset)
            lengths.append(value)
            starts.append(base[i] if chart.stacked else 0.0)
            if chart.stacked:
                base[i] += value
        result.append((positions, lengths, starts))
    return result


def set_bars(item: pg.BarGraphItem, chart: BarChart, colour: QColor,
             geometry: tuple[list[float], list[float], list[float]]) -> None:
    """Give a bar item one series' bars."""
    positions, lengths, starts = geometry
    thickness = BAR_SPAN / (1 if chart.stacked else max(1, len(chart.series))) * 0.92
    style = {"brush": colour, "pen": pg.mkPen(colour.darker(115), width=1)}
    if chart.horizontal:
        item.setOpts(x0=starts, y=positions, width=lengths, height=thickness, **style)
    else:
        item.setOpts(x=positions, y0=starts, height=lengths, width=thickness, **style)


def dashed(role: str) -> QPen:
    """The pen of a reference line."""
    pen = QPen(theme.colour(role))
    pen.setStyle(Qt.PenStyle.DashLine)
    pen.setWidthF(1.4)
    pen.setCosmetic(True)
    return pen


def set_range(item: pg.PlotItem, chart: Chart, count: int, horizontal: bool,
               log_y: bool) -> None:
    box = item.getViewBox()
    box.enableAutoRange(enable=False)
    top = _value_extent(chart)
    if log_y:
        values = [v for s in chart.series for v in s.values if v is not None and v > 0]
        low = math.floor(math.log10(min(values))) if values else 0
        high = math.ceil(math.log10(max(values))) if values else 1
        top_decade = max(high, low + 1)
        # Headroom as on a linear axis, so the top decade's label is not cut in half.
        value_range = (low, top_decade + (top_decade - low) * 0.06)
    else:
        value_range = (0, top * 1.06 if top > 0 else 1)
    category_range = (-0.6, count - 0.4)
    if horizontal:
        box.setRange(xRange=value_range, yRange=category_range, padding=0)
    else:
        box.setRange(xRange=category_range, yRange=value_range, padding=0)


def _value_extent(chart: Chart) -> float:
    if isinstance(chart, BarChart) and chart.stacked:
        totals = [sum(s.values[i] or 0 for s in chart.series)
                  for i in range(len(chart.categories))]
        top = max(totals, default=0)
    else:
        top = max((v for s in chart.series for v in s.values if v is not None), default=0)
    if chart.reference is not None:
        top = max(top, chart.reference.value)
    return top


def hover_text(chart: Chart, index: int) -> str | None:
    """The exact values at a category or x position: a heading and one line per series."""
    names = chart.categories if isinstance(chart, BarChart) else chart.x_labels
    if not 0 <= index < len(names):
        return None
    lines = [s.label(index) for s in chart.series
             if s.values[index] is not None or (s.labels and s.labels[index])]
    lines = [line for line in lines if line]
    if not lines:
        return None
    return "\n".join(dict.fromkeys(lines))
