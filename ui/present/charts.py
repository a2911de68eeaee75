"""Slide bodies every screen shares: key figures as tiles, a bar chart drawn from the same
chart data the screen and the PDFs draw, and a table of rows. All sizes are for the back of
a room: values 60 px, labels 28 px, details 24 px at 1280×720."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPen

from workbench.chartdata import BarChart
from workbench.figure_text import format_money, format_number, format_percent

from .canvas import BODY, FIGURE, LARGE, SMALL, Canvas, colour

LEFT_MIDDLE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT_MIDDLE = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
DASH = "—"


@dataclass(frozen=True)
class Tile:
    """A key figure on a slide: its title, value ("—" when not known), and the line that
    says what it counts or why it is "—"."""

    title: str
    value: str
    detail: str
    role: str = "ink"  # the value's colour: a palette role


def tile_grid(count: int) -> tuple[int, int]:
    """Columns and rows for `count` tiles: one row up to three, then two rows."""
    if count <= 3:
        return max(count, 1), 1
    return (count + 1) // 2, 2


def paint_tiles(canvas: Canvas, rect: QRectF, tiles: Sequence[Tile]) -> None:
    """Tiles in a grid filling `rect`, each with a thin frame."""
    columns, rows = tile_grid(len(tiles))
    gap = canvas.px(20)
    width = (rect.width() - gap * (columns - 1)) / columns
    height = min((rect.height() - gap * (rows - 1)) / rows, canvas.px(300))
    p = canvas.painter
    for index, tile in enumerate(tiles):
        row, column = divmod(index, columns)
        if row == 1 and len(tiles) % columns:  # centre a short second row
            column_offset = (columns - len(tiles) % columns) * (width + gap) / 2
        else:
            column_offset = 0.0
        box = QRectF(rect.left() + column * (width + gap) + column_offset,
                     rect.top() + row * (height + gap), width, height)
        p.setPen(QPen(colour("rule"), canvas.px(2)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(box, canvas.px(10), canvas.px(10))
        inner = box.adjusted(canvas.px(16), canvas.px(10), -canvas.px(16), -canvas.px(10))
        used = canvas.text(QRectF(inner.left(), inner.top(), inner.width(),
                                  canvas.line_height(SMALL, True) * 2), tile.title, SMALL,
                           bold=True, role="muted")
        value_top = used.bottom() + canvas.px(2)
        size = next((s for s in (FIGURE, 50, 42) if QFontMetricsF(canvas.font(s, True))
                     .horizontalAdvance(tile.value) <= inner.width()), 42)
        value_height = canvas.line_height(size, True)
        canvas.text(QRectF(inner.left(), value_top, inner.width(), value_height), tile.value,
                    size, bold=True, role=tile.role, wrap=False)
        detail_top = value_top + value_height
        canvas.text(QRectF(inner.left(), detail_top, inner.width(),
                           inner.bottom() - detail_top), tile.detail, SMALL)


def value_text(value: float, axis: str) -> str:
    """A bar's value as the axis counts it: "68.5 %", "1,200,000 EUR", "1,234"."""
    if "%" in axis:
        return format_percent(value / 100)
    if axis and len(axis) <= 4 and axis.isupper():
        return format_money(value, axis)
    return format_number(value)


def paint_bars(canvas: Canvas, rect: QRectF, chart: BarChart) -> None:
    """A bar chart as horizontal bars, one row per category (series stacked or side by
    side), its values written at the bars' ends, the reference line dashed; the chart's
    empty reason instead when it has nothing to show."""
    if not chart.has_data:
        canvas.text(rect, chart.empty_reason or "Nothing to show yet.", LARGE, role="muted",
                    align=Qt.AlignmentFlag.AlignCenter)
        return
    legend = _paint_legend(canvas, rect, chart)
    area = QRectF(rect.left(), legend + canvas.px(10), rect.width(),
                  rect.bottom() - legend - canvas.px(10))
    metrics = QFontMetricsF(canvas.font(BODY, True))
    label_width = min(max(metrics.horizontalAdvance(c) for c in chart.categories)
                      + canvas.px(8), area.width() * 0.34)
    value_width = canvas.px(240)
    bars = QRectF(area.left() + label_width + canvas.px(12), area.top(),
                  area.width() - label_width - value_width - canvas.px(24), area.height())
    totals = [_row_total(chart, i) for i in range(len(chart.categories))]
    top = max([t for t in totals if t is not None] + [chart.reference.value if chart.reference
                                                      else 0.0] + [1e-9])
    row_height = min(area.height() / len(chart.categories), canvas.px(96))
    reference_x = None if chart.reference is None else \
        bars.left() + bars.width() * chart.reference.value / top
    p = canvas.painter
    for index, category in enumerate(chart.categories):
        row = QRectF(area.left(), area.top() + index * row_height, area.width(), row_height)
        canvas.text(QRectF(row.left(), row.top(), label_width, row_height), category, BODY,
                    bold=index == chart.highlight, align=LEFT_MIDDLE, wrap=False)
        shown = [s for s in chart.series if s.values[index] is not None] \
            if chart.stacked else list(chart.series)
        slots = 1 if chart.stacked else max(len(shown), 1)
        slot = row_height * 0.8 / slots
        start = bars.left()
        for number, series in enumerate(shown):
            value = series.values[index]
            slot_top = row.top() + row_height * 0.1 + (0 if chart.stacked else number * slot)
            if value is None:
                if not chart.stacked:
                    canvas.text(QRectF(bars.left() + canvas.px(6), slot_top, bars.width(),
                                       slot), DASH, SMALL, role="muted", align=LEFT_MIDDLE)
                continue
            width = bars.width() * max(value, 0.0) / top
            left = start if chart.stacked else bars.left()
            p.fillRect(QRectF(left, slot_top, width, slot), colour(series.colour))
            if chart.stacked:
                start += width
            else:
                at = _past(reference_x, bars.left() + width, canvas)
                canvas.text(QRectF(at, slot_top, value_width + bars.right() - at, slot),
                            value_text(value, chart.value_axis), SMALL, align=LEFT_MIDDLE,
                            wrap=False)
        if chart.stacked:
            total = totals[index]
            at = _past(reference_x, start, canvas)
            canvas.text(QRectF(at, row.top(), bars.right() + value_width - at, row_height),
                        DASH if total is None else value_text(total, chart.value_axis),
                        BODY, bold=True, align=LEFT_MIDDLE, wrap=False)
    if reference_x is not None and chart.reference is not None:
        x = reference_x
        pen = QPen(colour(chart.reference.colour), canvas.px(3), Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(QLineF(x, area.top(), x, area.top() + row_height * len(chart.categories)))


def _past(reference_x: float | None, end: float, canvas: Canvas) -> float:
    """Where a value's text starts after a bar ending at `end`: clear of the reference
    line when the text would cross it."""
    gap = canvas.px(8)
    if reference_x is not None and end - gap < reference_x < end + canvas.px(240):
        return max(end, reference_x) + gap
    return end + gap


def _row_total(chart: BarChart, index: int) -> float | None:
    values = [s.values[index] for s in chart.series if s.values[index] is not None]
    if not values:
        return None
    return sum(v for v in values if v is not None) if chart.stacked else max(
        v for v in values if v is not None)


def _paint_legend(canvas: Canvas, rect: QRectF, chart: BarChart) -> float:
    """The series' names with their colours in a row above the bars (and the reference
    line's); returns where the bars may start."""
    x, top = rect.left(), rect.top()
    height = canvas.line_height(SMALL)
    entries = [(s.name, s.colour, False) for s in chart.series
               if any(v is not None for v in s.values)]
    if chart.reference is not None and all(s.name != chart.reference.label
                                           for s in chart.series):
        entries.append((chart.reference.label, chart.reference.colour, True))
    p = canvas.painter
    font = canvas.font(SMALL)
    metrics = QFontMetricsF(font)
    for name, role, dashed in entries:
        width = metrics.horizontalAdvance(name) + canvas.px(4)
        if x + canvas.px(34) + width > rect.right() and x > rect.left():
            x, top = rect.left(), top + height + canvas.px(4)
        if dashed:
            p.setPen(QPen(colour(role), canvas.px(3), Qt.PenStyle.DashLine))
            p.drawLine(QLineF(x, top + height / 2, x + canvas.px(24), top + height / 2))
        else:
            p.fillRect(QRectF(x, top + height * 0.2, canvas.px(24), height * 0.6),
                       colour(role))
        canvas.text(QRectF(x + canvas.px(30), top, min(width, rect.right() - x - canvas.px(30)),
                           height), name, SMALL, align=LEFT_MIDDLE, wrap=False)
        x += canvas.px(30) + width + canvas.px(24)
    return top + height if entries else rect.top()


def paint_rows(canvas: Canvas, rect: QRectF, header: Sequence[str],
               rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    """A table: a bold header, then one row per line; the first column left-aligned, the
    rest right-aligned (figures). `widths` are shares of the width."""
    line = canvas.line_height(BODY) * 1.25
    row_height = min(line * 1.2, rect.height() / (len(rows) + 1))
    p = canvas.painter
    for number, cells in enumerate([header, *rows]):
        top = rect.top() + number * row_height
        left = rect.left()
        if number:
            p.fillRect(QRectF(rect.left(), top - canvas.px(1), rect.width(), canvas.px(1)),
                       colour("rule"))
        for column, (cell, share) in enumerate(zip(cells, widths, strict=True)):
            width = rect.width() * share
            canvas.text(QRectF(left + canvas.px(6), top, width - canvas.px(12), row_height),
                        cell, SMALL if number == 0 else BODY, bold=number == 0 or column == 0,
                        role="muted" if number == 0 else "ink", wrap=False,
                        align=LEFT_MIDDLE if column == 0 else RIGHT_MIDDLE)
            left += width
