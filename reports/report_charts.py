"""Vector renderers of the chart data model (`workbench.chartdata`) for the PDF reports.

The dashboard draws the same `BarChart`, `LineChart` and `Kpi` objects with pyqtgraph; here
they become `reportlab.graphics` drawings in the same palette roles, so a PDF and the screen
show the same numbers in the same colours. A chart with nothing to show becomes a boxed
sentence saying why. Horizontal bar charts have a row per category and split across pages
between rows, repeating their scale, so 40 stages with long names still fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from workbench.chartdata import BarChart, Chart, Kpi, LineChart, Series, legend_reference

from . import palette
from .chart_axes import Scale, axis_text, value_text
from .chart_rows import RowChart, horizontal_rows
from .direction import visual
from .drawn_text import drawing_of, fit_line, text_group, text_width
from .fonts import BODY, BOLD
from .layout import CELL_FONT, colour, para, styles
from .text import markup, printable

BAR_HEIGHT = 170.0
LINE_HEIGHT = 180.0
TICK_SIZE = 7.0
LABEL_SIZE = 7.5
LEGEND_NAME = 60


def role(name: str) -> object:
    """A palette role ("plan", "series:3", "owner:sales") as a reportlab colour."""
    return colour(palette.colour(name))


# -- blocks: title, legend, drawing, caption -------------------------------------------------
def chart_block(chart: Chart, width: float, *, height: float | None = None,
                title: bool = True) -> list[Flowable]:
    """A chart as flowables: its title, legend, the drawing (or why there is none) and its
    caption. Small charts are kept together on one page."""
    s = styles()
    parts: list[Flowable] = []
    if title and chart.title:
        parts.append(para(chart.title, s.h2))
    body = chart_body(chart, width, height=height)
    if chart.has_data:
        legend = legend_markup(chart)
        if legend:
            parts.append(_legend_paragraph(legend))
    parts.append(body)
    if chart.note:
        parts += [Spacer(1, 2), para(chart.note, s.muted)]
    parts.append(Spacer(1, 5 * mm))
    if isinstance(body, RowChart):  # runs over pages; start it where a few rows fit
        return [CondPageBreak(55 * mm), *parts]
    return [KeepTogether(parts)]


def chart_body(chart: Chart, width: float, *, height: float | None = None) -> Flowable:
    """The drawing of a chart, or a box saying why there is nothing to draw."""
    if not chart.has_data:
        return empty_box(chart.empty_reason or "Nothing to show for this quarter.", width)
    if isinstance(chart, LineChart):
        return line_drawing(chart, width, height or LINE_HEIGHT)
    if chart.horizontal:
        return horizontal_bars(chart, width)
    return bar_drawing(chart, width, height or BAR_HEIGHT)


def empty_box(reason: str, width: float) -> Flowable:
    """A tinted box with the reason a chart is empty, in place of an empty chart."""
    table = Table([[para(f"— {reason}", styles().body)]], colWidths=[width])
    table.setStyle(TableStyle([
        CELL_FONT, ("BACKGROUND", (0, 0), (-1, -1), colour(palette.CANVAS)),
        ("BOX", (0, 0), (-1, -1), 0.6, colour(palette.RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 14), ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
        ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
    ]))
    return table


def legend_markup(chart: Chart) -> str:
    """Coloured squares and series names (and the dashed reference line), as Paragraph
    markup with the names escaped, each in visual order; a name longer than
    `LEGEND_NAME` characters ends in "…" (the tables print it whole)."""

    def unbroken(name: str) -> str:  # a short entry never breaks across lines
        text = printable(name)
        text = text if len(text) <= LEGEND_NAME else text[:LEGEND_NAME - 1].rstrip() + "…"
        return markup(visual(text.replace(" ", "\u00a0") if len(text) <= 40 else text))

    parts = []
    if len(chart.series) > 1:
        parts = [f'<font color="{palette.colour(s.colour)}">■</font>\u00a0{unbroken(s.name)}'
                 for s in chart.series]
    reference = legend_reference(chart)
    if reference is not None:
        parts.append(f'<font color="{palette.colour(reference.colour)}">┄┄</font>'
                     f"\u00a0{unbroken(reference.label)}")
    return "\u2003 ".join(parts)


def _legend_paragraph(markup_text: str) -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(markup_text, styles().muted)


# -- vertical bars -----------------------------------------------------------------------------
def _bar_extent(chart: BarChart) -> float:
    top = 0.0
    for index in range(len(chart.categories)):
        values = [s.values[index] or 0.0 for s in chart.series]
        top = max(top, sum(v for v in values if v > 0) if chart.stacked else max(values,
                                                                                  default=0))
    if chart.reference is not None:
        top = max(top, chart.reference.value)
    return top


def bar_drawing(chart: BarChart, width: float, height: float = BAR_HEIGHT) -> Drawing:
    """Bars per category along the x axis, grouped or stacked, with value labels, the
    highlighted category tinted and the reference line dashed."""
    drawing = drawing_of(width, height)
    scale = Scale.linear(0.0, _bar_extent(chart))
    left = scale.label_width(chart.value_axis, TICK_SIZE) + 8
    bottom, top = 16.0, height - (18 if chart.value_axis and "%" not in chart.value_axis
                                  else 10)
    plot = (left, bottom, width - 6, top)
    _y_grid(drawing, scale, plot, chart.value_axis)
    labels = Group()  # value labels go on top of the bars and the reference line
    count = max(len(chart.categories), 1)
    group = (plot[2] - plot[0]) / count
    shown = [s for s in chart.series if any(v is not None for v in s.values)]
    for index in range(len(chart.categories)):
        x0 = plot[0] + index * group
        if chart.highlight == index:
            drawing.add(Rect(x0 + 1, bottom, group - 2, top - bottom,
                             fillColor=colour(palette.CANVAS), strokeColor=None))
        if chart.stacked:
            _stacked_column(drawing, labels, chart, index, x0, group, scale, plot)
        else:
            _grouped_columns(drawing, labels, chart, shown, index, x0, group, scale, plot)
    _category_labels(drawing, chart.categories, plot, group)
    drawing.add(Line(plot[0], bottom, plot[2], bottom, strokeColor=role("ink"),
                     strokeWidth=0.6))
    _reference_y(drawing, chart, scale, plot)
    drawing.add(labels)
    return drawing


def _grouped_columns(drawing: Drawing, labels: Group, chart: BarChart,
                     shown: Sequence[Series], index: int, x0: float, group: float,
                     scale: Scale, plot: tuple[float, float, float, float]) -> None:
    inner = group * 0.72
    bar = inner / max(len(shown), 1)
    x = x0 + (group - inner) / 2
    for series in shown:
        value = series.values[index]
        if value is not None:
            y0, y1 = plot[1], scale.at(value, plot[1], plot[3])
            drawing.add(Rect(x, y0, bar - 1, max(y1 - y0, 0.4), fillColor=role(series.colour),
                             strokeColor=None))
            text = value_text(value, chart)
            size = 6.5
            if bar >= text_width(text, size) * 0.8 and bar >= 9:
                half = text_width(text, size) / 2 + 1
                labels.add(Rect(x + (bar - 1) / 2 - half, y1 + 1, 2 * half, size + 1,
                                fillColor=colour(palette.PAPER), strokeColor=None))
                labels.add(String(x + (bar - 1) / 2, y1 + 2.2, text, fontName=BODY,
                                  fontSize=size, fillColor=role("ink"), textAnchor="middle"))
        x += bar


def _stacked_column(drawing: Drawing, labels: Group, chart: BarChart, index: int, x0: float,
                    group: float, scale: Scale, plot: tuple[float, float, float, float]) -> None:
    bar = min(group * 0.5, 80)
    x = x0 + (group - bar) / 2
    total = 0.0
    for series in chart.series:
        value = series.values[index]
        if value is None or value <= 0:
            continue
        y0 = scale.at(total, plot[1], plot[3])
        total += value
        y1 = scale.at(total, plot[1], plot[3])
        drawing.add(Rect(x, y0, bar, max(y1 - y0, 0.4), fillColor=role(series.colour),
                         strokeColor=colour(palette.PAPER), strokeWidth=0.5))
        text = value_text(value, chart)
        if y1 - y0 >= 10 and text_width(text, 6.5) <= bar - 2:
            labels.add(String(x + bar / 2, (y0 + y1) / 2 - 2.3, text, fontName=BOLD,
                              fontSize=6.5, fillColor=colour(palette.PAPER),
                              textAnchor="middle"))
    if total > 0:
        labels.add(String(x + bar / 2, scale.at(total, plot[1], plot[3]) + 2.5,
                          value_text(total, chart), fontName=BOLD, fontSize=7,
                          fillColor=role("ink"), textAnchor="middle"))


# -- lines -------------------------------------------------------------------------------------
def line_drawing(chart: LineChart, width: float, height: float = LINE_HEIGHT) -> Drawing:
    """Lines over the quarters, broken where a value is missing, on a linear or logarithmic
    axis, with the highlighted quarter tinted."""
    drawing = drawing_of(width, height)
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.reference is not None:
        values.append(chart.reference.value)
    scale = (Scale.log(min(values), max(values)) if chart.log_y
             else Scale.linear(min(0.0, min(values)), max(values)))
    left = scale.label_width(chart.value_axis, TICK_SIZE) + 8
    bottom, top = 16.0, height - (18 if chart.value_axis and "%" not in chart.value_axis
                                  else 8)
    plot = (left, bottom, width - 10, top)
    _y_grid(drawing, scale, plot, chart.value_axis)
    count = len(chart.x_labels)
    step = (plot[2] - plot[0]) / max(count, 1)
    if chart.highlight is not None and 0 <= chart.highlight < count:
        drawing.add(Rect(plot[0] + chart.highlight * step + 1, bottom, step - 2, top - bottom,
                         fillColor=colour(palette.CANVAS), strokeColor=None))
        _y_grid(drawing, scale, plot, chart.value_axis, labels=False)
    for series in chart.series:
        _series_line(drawing, series, scale, plot, step)
    _category_labels(drawing, chart.x_labels, plot, step)
    drawing.add(Line(plot[0], bottom, plot[2], bottom, strokeColor=role("ink"),
                     strokeWidth=0.6))
    _reference_y(drawing, chart, scale, plot)
    return drawing


def _series_line(drawing: Drawing, series: Series, scale: Scale,
                 plot: tuple[float, float, float, float], step: float) -> None:
    paint = role(series.colour)
    run: list[float] = []
    points = []
    for index, value in enumerate(series.values):
        if value is None:
            _flush_line(drawing, run, paint)
            run = []
            continue
        x = plot[0] + (index + 0.5) * step
        y = scale.at(value, plot[1], plot[3])
        run += [x, y]
        points.append((x, y))
    _flush_line(drawing, run, paint)
    radius = 2.0 if step >= 10 else 1.1
    for x, y in points:
        drawing.add(Circle(x, y, radius, fillColor=paint, strokeColor=colour(palette.PAPER),
                           strokeWidth=0.5))


def _flush_line(drawing: Drawing, run: list[float], paint: object) -> None:
    if len(run) >= 4:
        drawing.add(PolyLine(run, strokeColor=paint, strokeWidth=1.4, strokeLineJoin=1))


# -- axes and labels shared by the column and line charts --------------------------------------
def _y_grid(drawing: Drawing, scale: Scale, plot: tuple[float, float, float, float],
            axis: str, *, labels: bool = True) -> None:
    for tick in scale.ticks:
        y = scale.at(tick, plot[1], plot[3])
        drawing.add(Line(plot[0], y, plot[2], y, strokeColor=role("rule"), strokeWidth=0.4))
        if labels:
            drawing.add(String(plot[0] - 4, y - 2.4, axis_text(tick, axis), fontName=BODY,
                               fontSize=TICK_SIZE, fillColor=role("muted"), textAnchor="end"))
    if labels and axis and "%" not in axis:
        drawing.add(String(0, plot[3] + 8, axis, fontName=BODY, fontSize=TICK_SIZE,
                           fillColor=role("muted")))


def _category_labels(drawing: Drawing, labels: Sequence[str],
                     plot: tuple[float, float, float, float], step: float) -> None:
    widest = max((text_width(label, LABEL_SIZE) for label in labels), default=0)
    every = max(1, math.ceil((widest + 6) / max(step, 1)))
    last = len(labels) - 1
    for index, label in enumerate(labels):
        if index % every and index != last:
            continue
        if index != last and last - index < every and last % every:
            continue  # keep the newest quarter's label; drop a neighbour it would touch
        text = fit_line(label, BODY, LABEL_SIZE, max(step * every - 4, 30))
        drawing.add(text_group(plot[0] + (index + 0.5) * step, plot[1] - 10, text,
                               size=LABEL_SIZE, fill=role("ink"), anchor="middle"))


def _reference_y(drawing: Drawing, chart: Chart, scale: Scale,
                 plot: tuple[float, float, float, float]) -> None:
    if chart.reference is None:
        return
    y = scale.at(chart.reference.value, plot[1], plot[3])
    paint = role(chart.reference.colour)
    # No text on the line: the legend names it, and a label here would hit the bars.
    drawing.add(Line(plot[0], y, plot[2], y, strokeColor=paint, strokeWidth=0.9,
                     strokeDashArray=[3, 2]))


# -- horizontal bars: a row per category, splitting across pages -----------------------------
def horizontal_bars(chart: BarChart, width: float) -> RowChart:
    """Bars per category, one row each, with the category's name wrapped beside it."""
    return horizontal_rows(chart, width, role)


# -- key figures -------------------------------------------------------------------------------
def kpi_tiles(kpis: Sequence[Kpi], width: float, columns: int = 3) -> Flowable:
    """Key figures as tiles: title, the value in its status colour, a line of detail."""
    s = styles()
    from reportlab.lib.styles import ParagraphStyle

    cells: list[list[Any]] = []
    for kpi in kpis:
        value_style = ParagraphStyle(f"kpi-{kpi.key}", parent=s.title, fontSize=17, leading=21,
                                     spaceAfter=0, textColor=role(kpi.status.colour))
        title = kpi.title if len(kpi.title) <= 60 else kpi.title[:57].rstrip() + "…"
        cells.append([para(title.upper() if len(title) <= 32 else title, s.muted),
                      para(kpi.value, value_style),
                      para(kpi.detail, s.small)])
    rows: list[list[Any]] = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    for row in rows:
        row += [""] * (columns - len(row))
    gap = 4.0
    table = Table(rows, colWidths=[width / columns] * columns)
    commands: list[tuple[object, ...]] = [
        CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell != "":
                commands += [("BOX", (c, r), (c, r), gap, colour(palette.PAPER)),
                             ("BACKGROUND", (c, r), (c, r), colour(palette.CANVAS))]
    table.setStyle(TableStyle(commands))
    return table
