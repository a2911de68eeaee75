"""How figures read, the same on every screen, chart and PDF: counts and money with
thousands separators, durations in hours or days, fractions as percentages, and "—" for a
figure that is not known. Plain functions, no Qt (the charts' model is `chartdata`)."""

from __future__ import annotations

import re
from collections.abc import Sequence


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
