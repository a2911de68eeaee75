"""Charts laid out as a row per category (horizontal bars, the funnel) that split across
pages between rows and repeat their header (the scale, the column titles) on each page.

Each row is its own `reportlab.graphics` drawing whose height follows its wrapped label,
so a 200-character stage name gets the lines it needs and 40 stages run on over pages
instead of being squeezed or cut off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.platypus import Flowable

from workbench.chartdata import BarChart, Series

from . import palette
from .chart_axes import Scale, axis_text, value_text
from .drawn_text import drawing_of, text_group, text_width, wrap_text
from .fonts import BODY, BOLD
from .layout import colour

LABEL_SIZE = 8.0
LABEL_LEADING = 9.8
TICK_SIZE = 7.0
MAX_LABEL_LINES = 12  # a longer name ends in "…" here; the table beside it has it all


class RowChart(Flowable):
    """A header drawing over a list of row drawings; splits between rows."""

    def __init__(self, header: Drawing, rows: Sequence[Drawing], *, name: str = "") -> None:
        super().__init__()
        self.header, self.rows, self.name = header, list(rows), name

    @property
    def total_height(self) -> float:
        return self.header.height + sum(row.height for row in self.rows)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.header.width, self.total_height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if self.total_height <= available_height:
            return [self]
        used, count = self.header.height, 0
        for row in self.rows:
            if used + row.height > available_height:
                break
            used += row.height
            count += 1
        if count == 0:
            return []
        return [RowChart(self.header, self.rows[:count], name=self.name),
                RowChart(self.header, self.rows[count:], name=self.name)]

    def draw(self) -> None:
        y = self.total_height
        for drawing in (self.header, *self.rows):
            y -= drawing.height
            renderPDF.draw(drawing, self.canv, 0, y)


Paint = Callable[[str], Any]


def horizontal_rows(chart: BarChart, width: float, paint: Paint) -> RowChart:
    """A horizontal bar chart (stacked or grouped) as a `RowChart`."""
    label_width = min(max((text_width(c, LABEL_SIZE) for c in chart.categories), default=40)
                      + 4, width * 0.34)
    label_width = max(label_width, 60)
    left, right = label_width + 8, width - 40
    extent = 0.0
    for index in range(len(chart.categories)):
        values = [s.values[index] or 0.0 for s in chart.series]
        extent = max(extent, sum(values) if chart.stacked else max(values, default=0.0))
    if chart.reference is not None:
        extent = max(extent, chart.reference.value)
    end_labels = not chart.stacked or any(
        sum(1 for s in chart.series if (s.values[i] or 0) > 0) == 1
        for i in range(len(chart.categories)))
    # Room for the value printed at a bar's end.
    scale = Scale.linear(0.0, extent * (1.1 if end_labels else 1.0), count=4)
    header = _scale_header(chart, scale, width, left, right, paint)
    shown = [s for s in chart.series if any(v is not None for v in s.values)]
    rows = [_bar_row(chart, shown, index, scale, width, label_width, left, right, paint)
            for index in range(len(chart.categories))]
    return RowChart(header, rows, name=chart.key)


def _scale_header(chart: BarChart, scale: Scale, width: float, left: float, right: float,
                  paint: Paint) -> Drawing:
    header = drawing_of(width, 24)
    for tick in scale.ticks:
        x = scale.at(tick, left, right)
        header.add(String(x, 3, axis_text(tick, chart.value_axis), fontName=BODY,
                          fontSize=TICK_SIZE, fillColor=paint("muted"), textAnchor="middle"))
    if chart.value_axis:
        header.add(String(left - 8, 13, chart.value_axis, fontName=BODY, fontSize=TICK_SIZE,
                          fillColor=paint("muted"), textAnchor="end"))
    if chart.reference is not None:
        x = scale.at(chart.reference.value, left, right)
        header.add(String(x, 13, chart.reference.label, fontName=BOLD, fontSize=TICK_SIZE,
                          fillColor=paint(chart.reference.colour), textAnchor="middle"))
    header.add(Line(left, 0.5, right, 0.5, strokeColor=paint("rule"), strokeWidth=0.6))
    return header


def _bar_row(chart: BarChart, shown: Sequence[Series], index: int, scale: Scale, width: float,
             label_width: float, left: float, right: float, paint: Paint) -> Drawing:
    name = chart.categories[index]
    lines = wrap_text(name, BODY, LABEL_SIZE, label_width, max_lines=MAX_LABEL_LINES)
    bars = 1 if chart.stacked else max(len(shown), 1)
    bar = 10.0 if bars == 1 else 6.5
    height = max(len(lines) * LABEL_LEADING + 6, bars * bar + 8, 18)
    row = drawing_of(width, height)
    if chart.highlight == index:
        row.add(Rect(0, 0.5, width, height - 1, fillColor=colour(palette.CANVAS),
                     strokeColor=None))
    for tick in scale.ticks:
        x = scale.at(tick, left, right)
        row.add(Line(x, 0, x, height, strokeColor=paint("rule"), strokeWidth=0.4))
    top = height / 2 + len(lines) * LABEL_LEADING / 2 - LABEL_SIZE + 0.5
    for number, line in enumerate(lines):
        row.add(text_group(0, top - number * LABEL_LEADING, line, size=LABEL_SIZE,
                           fill=paint("ink")))
    if chart.reference is not None:  # behind the bars; their end labels sit on white
        x = scale.at(chart.reference.value, left, right)
        row.add(Line(x, 0, x, height, strokeColor=paint(chart.reference.colour),
                     strokeWidth=0.9, strokeDashArray=[3, 2]))
    y = height / 2 + bars * bar / 2
    if chart.stacked:
        _stacked_bar(row, chart, index, scale, left, right, y - bar, bar, paint)
    else:
        for series in shown:
            y -= bar
            _single_bar(row, chart, series, index, scale, left, right, y, bar, paint)
    row.add(Line(left, 0, left, height, strokeColor=paint("ink"), strokeWidth=0.6))
    return row


def _single_bar(row: Drawing, chart: BarChart, series: Series, index: int, scale: Scale,
                left: float, right: float, y: float, bar: float, paint: Paint) -> None:
    value = series.values[index]
    if value is None:
        return
    end = scale.at(max(value, 0.0), left, right)
    row.add(Rect(left, y + 0.5, max(end - left, 0.4), bar - 1, fillColor=paint(series.colour),
                 strokeColor=None))
    _end_label(row, end, y + bar / 2, value_text(value, chart), BODY, 6.8, paint)


def _end_label(row: Drawing, x: float, middle: float, text: str, font: str, size: float,
               paint: Paint) -> None:
    """A value just past a bar's end, on white so a grid or reference line never runs
    through it."""
    row.add(Rect(x + 1.5, middle - size * 0.55, text_width(text, size, font) + 3, size * 1.2,
                 fillColor=colour(palette.PAPER), strokeColor=None))
    row.add(String(x + 3, middle - size * 0.36, text, fontName=font, fontSize=size,
                   fillColor=paint("ink")))


def _stacked_bar(row: Drawing, chart: BarChart, index: int, scale: Scale, left: float,
                 right: float, y: float, bar: float, paint: Paint) -> None:
    filled = [(s, s.values[index]) for s in chart.series
              if s.values[index] is not None and (s.values[index] or 0) > 0]
    total = 0.0
    for series, value in filled:
        x0 = scale.at(total, left, right)
        total += value or 0.0
        x1 = scale.at(total, left, right)
        row.add(Rect(x0, y, max(x1 - x0, 0.4), bar, fillColor=paint(series.colour),
                     strokeColor=colour(palette.PAPER), strokeWidth=0.5))
        text = value_text(value or 0.0, chart)
        if len(filled) > 1 and x1 - x0 >= text_width(text, 6.3, BOLD) + 4:
            row.add(String((x0 + x1) / 2, y + bar / 2 - 2.2, text, fontName=BOLD,
                           fontSize=6.3, fillColor=colour(palette.PAPER),
                           textAnchor="middle"))
    if len(filled) == 1:
        _end_label(row, scale.at(total, left, right), y + bar / 2,
                   value_text(total, chart), BOLD, 7, paint)
