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
from dataclasses import dataclass, field
from enum import StrEnum

from .figure_text import format_number


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
