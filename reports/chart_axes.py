"""Scales and tick labels for the vector charts (`reports.report_charts`).

A `Scale` maps values to points on a linear or logarithmic axis with round ticks; the tick
and value labels are compact numbers. Fitting user text into a drawing is
`reports.drawn_text`'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.chartdata import Chart
from workbench.figure_text import format_number, format_percent

from .drawn_text import text_width


@dataclass(frozen=True)
class Scale:
    """A value axis: its range, its ticks, and whether it is logarithmic."""

    low: float
    high: float
    ticks: tuple[float, ...]
    logarithmic: bool = False

    @classmethod
    def linear(cls, low: float, high: float, count: int = 5) -> Scale:
        """From `low` to at least `high`, with about `count` round steps."""
        if not high > low:
            high = low + (abs(low) or 1.0)
        raw = (high - low) / count
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10)
                    if (high - low) / (m * magnitude) <= count)
        first = math.floor(low / step + 1e-9) * step
        last = math.ceil(high / step - 1e-9) * step
        ticks = tuple(first + i * step for i in range(round((last - first) / step) + 1))
        return cls(first, last, ticks)

    @classmethod
    def log(cls, low: float, high: float) -> Scale:
        """Whole powers of ten around `low`…`high` (both above 0)."""
        first = math.floor(math.log10(low))
        last = max(math.ceil(math.log10(high)), first + 1)
        return cls(10.0 ** first, 10.0 ** last,
                   tuple(10.0 ** e for e in range(first, last + 1)), logarithmic=True)

    def at(self, value: float, start: float, end: float) -> float:
        """Where `value` falls between the points `start` (low) and `end` (high)."""
        if self.logarithmic:
            value = max(value, self.low)
            share = (math.log10(value) - math.log10(self.low)) / (
                math.log10(self.high) - math.log10(self.low))
        else:
            share = (value - self.low) / (self.high - self.low)
        return start + (end - start) * min(max(share, 0.0), 1.0)

    def label_width(self, axis: str, size: float) -> float:
        """The width of the widest tick label."""
        return max((text_width(axis_text(t, axis), size) for t in self.ticks), default=0.0)


def is_percent(axis: str) -> bool:
    return axis.startswith("%")


def compact(value: float, thousands_from: float = 1e4) -> str:
    """1,627,823 → "1.63 M"; 315,500 → "316 k"; 950 → "950"; "k" from `thousands_from`."""
    size = abs(value)
    for limit, unit, suffix in ((1e9, 1e9, "bn"), (1e6, 1e6, "M"),
                                (thousands_from, 1e3, "k")):
        if size >= limit:
            scaled = value / unit
            digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            text = f"{scaled:,.{digits}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{text} {suffix}"
    return format_number(value)


def axis_text(value: float, axis: str) -> str:
    """A tick label: "50 %" on a percent axis, "10k" or "1.5 M" on a count or money axis."""
    if is_percent(axis):
        return f"{value:,.0f} %" if value == int(value) else f"{value:g} %"
    return compact(value, thousands_from=1e3)


def value_text(value: float, chart: Chart) -> str:
    """A bar's or point's label: "75.2 %" on a percent axis — every percentage of the chart
    in one format (`same_decimals`: "76.0 %" beside "83.9 %") — else the compact number."""
    if is_percent(chart.value_axis):
        if any("." in format_percent(v / 100) for s in chart.series for v in s.values
               if v is not None):
            return f"{value:.1f} %"
        return format_percent(value / 100)
    return compact(value) if abs(value) >= 1e5 else format_number(value)
