"""The funnel chart of the funnel report: one row per stage with the stage's name and owner,
a band of the funnel in the owner's colour holding the actual volume, the actual beside the
plan, and the conversion to the next stage; the marketing → sales hand-off is marked.

The numbers come as a `workbench.chartdata.BarChart` (categories = stages, a "Plan" and an
"Actual" series) — the chart data model the screens use — plus what only a funnel has: each
stage's owner, the hand-off, and the plan's conversion rates. Band widths show the order of
the stages, not their volumes (visits dwarf customers), so every band stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String

from workbench.chartdata import BarChart
from workbench.figure_text import format_count, format_percents

from . import palette
from .chart_rows import RowChart
from .charts import band_widths
from .drawn_text import drawing_of, text_group, text_width, wrap_text
from .fonts import BODY, BOLD
from .layout import colour

NAME_SIZE = 8.5
LEADING = 10.2
HANDOFF_SPACE = 14.0
MAX_NAME_LINES = 16  # a longer name ends in "…"; the tables below have it all


@dataclass(frozen=True)
class FunnelFigure:
    """What the funnel chart draws: the plan-and-actual chart data, and per stage its owner
    (None: no owner yet) and the plan's conversion to the next stage; `handoff` is the index
    of the stage that receives leads from marketing (None: no hand-off)."""

    chart: BarChart
    owners: tuple[str | None, ...]
    planned_conversions: tuple[float | None, ...]
    handoff: int | None

    def planned(self, index: int) -> float | None:
        return self.chart.series[0].values[index]

    def actual(self, index: int) -> float | None:
        return self.chart.series[1].values[index]

    def conversion(self, index: int) -> float | None:
        """Actual conversion from stage `index` to the next: reached next ÷ reached this."""
        if index + 1 >= len(self.chart.categories):
            return None
        above, below = self.actual(index), self.actual(index + 1)
        return below / above if above and below is not None else None


@dataclass(frozen=True)
class _Columns:
    name: tuple[float, float]
    funnel: tuple[float, float]
    bullet: tuple[float, float]
    conversion: tuple[float, float]


def _columns(width: float) -> _Columns:
    name_end = width * 0.27
    funnel_end = name_end + 8 + width * 0.31
    bullet_end = funnel_end + 12 + width * 0.25
    return _Columns((0, name_end), (name_end + 8, funnel_end), (funnel_end + 12, bullet_end),
                    (bullet_end + 10, width))


def funnel_rows(figure: FunnelFigure, width: float) -> RowChart:
    """The funnel chart as rows that split across pages, the column titles repeated."""
    columns = _columns(width)
    header = drawing_of(width, 16)
    titles = (("Stage · owner", columns.name[0], "start"),
              ("Actual volume", sum(columns.funnel) / 2, "middle"),
              ("Actual vs plan", columns.bullet[0], "start"),
              ("Conversion", columns.conversion[0], "start"))
    for text, x, anchor in titles:
        header.add(String(x, 5, text, fontName=BOLD, fontSize=7.5,
                          fillColor=colour(palette.MUTED), textAnchor=anchor))
    header.add(Line(0, 1, width, 1, strokeColor=colour(palette.RULE), strokeWidth=0.6))
    count = len(figure.chart.categories)
    left, right = columns.funnel
    volumes = [figure.actual(index) for index in range(count)]
    shapes = band_widths(volumes, right - left, max((right - left) * 0.3, 46.0))
    ratios = format_percents([_ratio(figure, index) for index in range(count)])
    conversions = format_percents([figure.conversion(i) for i in range(count)])
    plans = format_percents(list(figure.planned_conversions))
    rows = [_stage_row(figure, index, width, columns, shapes[index],
                       (ratios[index], conversions[index],
                        plans[index] if index < len(plans) else "—"))
            for index in range(count)]
    return RowChart(header, rows, name="funnel")


def _ratio(figure: FunnelFigure, index: int) -> float | None:
    """Actual ÷ plan of a stage (None without a plan volume or an actual)."""
    planned, actual = figure.planned(index), figure.actual(index)
    return actual / planned if planned and actual is not None else None


def _stage_row(figure: FunnelFigure, index: int, width: float, columns: _Columns,
               shape: tuple[float, float], percents: tuple[str, str, str]) -> Drawing:
    """One stage: name and owner, its band, plan vs actual, conversion; `percents` are
    its actual ÷ plan, conversion and planned conversion as the column shows them."""
    name = figure.chart.categories[index]
    owner = figure.owners[index]
    name_width = columns.name[1] - columns.name[0]
    lines = wrap_text(name, BOLD, NAME_SIZE, name_width, max_lines=MAX_NAME_LINES)
    text_height = len(lines) * LEADING + 11
    extra = HANDOFF_SPACE if figure.handoff == index else 0.0
    height = max(text_height, 34.0) + 6 + extra
    row = drawing_of(width, height)
    body = height - extra
    if extra:
        _handoff_mark(row, width, height)
    top = body / 2 + text_height / 2 - NAME_SIZE
    for number, line in enumerate(lines):
        row.add(text_group(0, top - number * LEADING, line, font=BOLD, size=NAME_SIZE,
                           fill=colour(palette.INK)))
    owner_y = top - len(lines) * LEADING - 1
    row.add(Rect(0, owner_y, 6.5, 6.5, fillColor=colour(palette.OWNER[owner]), strokeColor=None))
    row.add(String(9, owner_y + 0.5, palette.OWNER_LABEL[owner], fontName=BODY, fontSize=7,
                   fillColor=colour(palette.MUTED)))
    _band(row, figure, index, shape, columns, body)
    _bullet(row, figure, index, columns, body, percents[0])
    _conversion(row, figure, index, columns, body, percents[1:])
    return row


def _handoff_mark(row: Drawing, width: float, height: float) -> None:
    y = height - 3
    ink = colour(palette.INK)
    row.add(Line(0, y, width, y, strokeColor=ink, strokeWidth=0.9, strokeDashArray=[3, 2]))
    row.add(String(width, y - 9.5, "▼ Hand-off: marketing passes leads to sales here",
                   fontName=BOLD, fontSize=7.2, fillColor=ink, textAnchor="end"))


def _band(row: Drawing, figure: FunnelFigure, index: int, shape: tuple[float, float],
          columns: _Columns, body: float) -> None:
    left, right = columns.funnel
    centre = (left + right) / 2
    upper, lower = shape
    y0, y1 = 2.0, body - 2.0
    fill = colour(palette.OWNER[figure.owners[index]])
    row.add(Polygon([centre - upper / 2, y1, centre + upper / 2, y1, centre + lower / 2, y0,
                     centre - lower / 2, y0], fillColor=fill, strokeColor=None))
    actual = figure.actual(index)
    text = format_count(None if actual is None else int(actual))
    size = 9.5 if text_width(text, 9.5, BOLD) <= min(upper, lower) - 8 else 7.5
    row.add(String(centre, (y0 + y1) / 2 - size * 0.35, text, fontName=BOLD, fontSize=size,
                   fillColor=colour(palette.PAPER), textAnchor="middle"))


def _bullet(row: Drawing, figure: FunnelFigure, index: int, columns: _Columns,
            body: float, label: str) -> None:
    """Plan (grey) and actual (blue) bars on the stage's own scale, and actual ÷ plan."""
    left, right = columns.bullet
    planned, actual = figure.planned(index), figure.actual(index)
    middle = body / 2
    muted = colour(palette.MUTED)
    plan_text = "No plan volume" if planned is None else f"Plan {format_count(int(planned))}"
    row.add(String(left, middle + 7, plan_text, fontName=BODY, fontSize=7, fillColor=muted))
    if not planned or actual is None:
        return
    ratio = actual / planned
    track = right - left - max(text_width(label, 8, BOLD), text_width("000.0 %", 8, BOLD)) - 6
    top = max(planned, actual)
    row.add(Rect(left, middle - 1, track * planned / top, 5, fillColor=colour(palette.PLAN),
                 strokeColor=None))
    row.add(Rect(left, middle - 8, max(track * actual / top, 0.6), 6,
                 fillColor=colour(palette.ACTUAL), strokeColor=None))
    status = palette.GOOD if ratio >= 1 else palette.WARN if ratio >= 0.9 else palette.BAD
    row.add(String(right, middle - 6, label, fontName=BOLD, fontSize=8,
                   fillColor=colour(status), textAnchor="end"))


def _conversion(row: Drawing, figure: FunnelFigure, index: int, columns: _Columns,
                body: float, texts: tuple[str, str]) -> None:
    if index + 1 >= len(figure.chart.categories):
        return
    left = columns.conversion[0]
    planned = figure.planned_conversions[index]
    row.add(String(left, body / 2 + 1, f"↓ {texts[0]}", fontName=BOLD,
                   fontSize=8.5, fillColor=colour(palette.INK)))
    if planned is not None:
        row.add(String(left + 9, body / 2 - 8.5, f"plan {texts[1]}",
                       fontName=BODY, fontSize=7, fillColor=colour(palette.MUTED)))


def owner_legend() -> str:
    """Paragraph markup explaining the funnel chart's colours."""
    owners = " \u2003".join(
        f'<font color="{palette.OWNER[o]}">■</font>\u00a0{palette.OWNER_LABEL[o]}'
        for o in ("marketing", "sales", "shared", None))
    return (f"Band colour = owner: {owners} \u2003·\u2003 "
            f'<font color="{palette.PLAN}">■</font>\u00a0plan\u2003'
            f'<font color="{palette.ACTUAL}">■</font>\u00a0actual (% = actual ÷ plan)\u2003·\u2003'
            "band width: actual volume (log scale)")
