"""The chart data model shared by the dashboard (pyqtgraph) and the PDF reports
(reportlab.graphics): plain frozen dataclasses, no Qt.

A core function computes a chart object; a screen or a PDF only draws it. Every value is a
finite number or None (nothing to show), checked on construction, so no NaN or ∞ can ever
reach a screen or a page. Each point carries its exact text (`Series.labels`) for hover
tips and tables, so a tooltip and a PDF table say the same thing.

Colours are palette roles, not hex codes ("plan", "actual", "good", "series:3",
"owner:sales"): the core may not import `reports`, so the screens and the PDFs resolve a
role with `reports.palette.colour(role)` and draw in the same colours.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """How a key figure compares with its target."""

    GOOD = "good"
    WARN = "warn"
    BAD = "bad"
    NONE = "none"  # no target or no data

    @property
    def colour(self) -> str:
        """The palette role to draw the status in."""
        return "muted" if self is Status.NONE else self.value


def series_colour(index: int) -> str:
    """The palette role of the index-th data series (sources, stages, scenarios)."""
    return f"series:{index}"


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category (bars) or x position (lines)."""

    name: str
    values: tuple[float | None, ...]
    colour: str  # a palette role
    labels: tuple[str, ...] = ()  # exact text per point; empty = formatted values

    def __post_init__(self) -> None:
        for value in self.values:
            if value is not None and not math.isfinite(value):
                raise ValueError(f"series {self.name!r} holds a non-finite value {value!r}")
        if self.labels and len(self.labels) != len(self.values):
            raise ValueError(f"series {self.name!r}: {len(self.labels)} labels for "
                             f"{len(self.values)} values")

    def label(self, index: int) -> str:
        """The exact text of one point, e.g. "MQLs: 215 of 314 (68 %)"."""
        if self.labels:
            return self.labels[index]
        value = self.values[index]
        return f"{self.name}: {'—' if value is None else format_number(value)}"


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal target line such as "Plan = 100 %"."""

    value: float
    label: str
    colour: str = "ink"


def _check_lengths(kind: str, title: str, count: int, series: tuple[Series, ...]) -> None:
    for item in series:
        if len(item.values) != count:
            raise ValueError(f"{kind} {title!r}: series {item.name!r} has {len(item.values)} "
                             f"values for {count} categories")


@dataclass(frozen=True)
class BarChart:
    """Bars per category, grouped side by side or stacked, optionally horizontal."""

    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_axis: str = ""
    stacked: bool = False
    horizontal: bool = False
    reference: ReferenceLine | None = None
    highlight: int | None = None  # the category to emphasise (the selected quarter)
    empty_reason: str | None = None  # shown instead of the chart when set
    note: str = ""  # a caption under the chart: what is counted, how it is rounded

    def __post_init__(self) -> None:
        _check_lengths("bar chart", self.title, len(self.categories), self.series)

    @property
    def has_data(self) -> bool:
        return self.empty_reason is None and any(
            v is not None for s in self.series for v in s.values)


@dataclass(frozen=True)
class LineChart:
    """Lines over ordered x positions (quarters), optionally on a logarithmic value axis."""

    key: str
    title: str
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    value_axis: str = ""
    log_y: bool = False
    reference: ReferenceLine | None = None
    highlight: int | None = None
    empty_reason: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _check_lengths("line chart", self.title, len(self.x_labels), self.series)
        if self.log_y:
            for item in self.series:
                if any(v is not None and v <= 0 for v in item.values):
                    raise ValueError(f"line chart {self.title!r}: log axis needs values above 0")

    @property
    def has_data(self) -> bool:
        return self.empty_reason is None and any(
            v is not None for s in self.series for v in s.values)


@dataclass(frozen=True)
class Kpi:
    """A key figure: a title, its value as text, a line of detail, and how it stands."""

    key: str
    title: str
    value: str
    detail: str = ""
    status: Status = Status.NONE


Chart = BarChart | LineChart


def legend_reference(chart: Chart) -> ReferenceLine | None:
    """The reference line the legend names, unless a series of the same name already
    stands for it (the goal drawn as a bar and as a dashed line is one "Goal")."""
    ref = chart.reference
    if ref is None or (len(chart.series) > 1 and any(s.name == ref.label for s in chart.series)):
        return None
    return ref


@dataclass(frozen=True)
class ChartSet:
    """Charts and key figures that belong together, e.g. one quarter's dashboard."""

    title: str
    charts: tuple[Chart, ...] = field(default_factory=tuple)
    kpis: tuple[Kpi, ...] = field(default_factory=tuple)

    def chart(self, key: str) -> Chart:
        for chart in self.charts:
            if chart.key == key:
                return chart
        raise KeyError(key)

    def kpi(self, key: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.key == key:
                return kpi
        raise KeyError(key)


# -- the number formats every chart, table and PDF shares ---------------------------------
def format_number(value: float) -> str:
    """A count or amount with thousands separators; decimals only below 100."""
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_count(value: int | None) -> str:
    """25400 → "25,400"; None → "—"."""
    return "—" if value is None else f"{value:,}"


def format_money(value: float | None, currency: str = "") -> str:
    """12000000 → "12,000,000 USD"; None → "—"."""
    if value is None:
        return "—"
    text = f"{value:,.0f}"
    return f"{text} {currency}" if currency else text


DAYS_FROM_HOURS = 72  # from three days on, a duration reads better in days


def format_duration(hours: float | None) -> str:
    """A duration in the unit people use for it, as every screen and PDF shows one:
    24 → "24 h", 36.5 → "36.5 h", 72 → "3 d", 336 → "14 d", 130 → "5.4 d"; None → "—"."""
    if hours is None:
        return "—"
    if abs(hours) >= DAYS_FROM_HOURS:
        return f"{round(hours / 24, 1):g} d"
    return f"{round(hours, 1):g} h"


def format_percent(rate: float | None) -> str:
    """A fraction as a percentage: 0.25 → "25 %", 0.026 → "2.6 %", None → "—"."""
    if rate is None:
        return "—"
    percent = rate * 100
    if abs(percent - round(percent)) < 0.05:
        return f"{percent:.0f} %"
    return f"{percent:.1f} %"


_WHOLE_PERCENT = re.compile(r"^(-?\d+) %$")


def same_decimals(texts: Sequence[str]) -> list[str]:
    """Percentages shown side by side (a table column, a chart's labels) in one format:
    when one of them carries a decimal, whole ones get ".0" too, so "44 %" never sits
    beside "61.3 %". Texts that are no `format_percent` output are left as they are."""
    if not any(t.endswith(" %") and "." in t for t in texts):
        return list(texts)
    return [_WHOLE_PERCENT.sub(r"\1.0 %", t) for t in texts]


def format_percents(rates: Sequence[float | None]) -> list[str]:
    """`format_percent` of each rate, in one format (`same_decimals`)."""
    return same_decimals([format_percent(r) for r in rates])
