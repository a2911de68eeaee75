"""Hours and percentages as the editor shows them and as people type them.

The core stores conversion targets and probabilities as fractions (0.7) and time limits as
hours; people read and type "70 %" and "24 h" or "3 d". Parsing never decides what is
valid: a text it cannot read is passed on unchanged, so the core's message is the one shown.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.figure_text import format_duration


def max_time_label(hours: float | None) -> str:
    """How a band states its time limit: "≤ 24 h", "≤ 14 d" (`format_duration`, as the
    PDFs), or "No time limit"."""
    return "No time limit" if hours is None else f"≤ {format_duration(hours)}"


def percent_label(fraction: float | None) -> str:
    """A stored fraction as a percentage for a field: 0.7 → "70", 0.026 → "2.6"."""
    if fraction is None:
        return ""
    return f"{round(fraction * 100, 2):g}"


def hours_text(hours: float | None) -> str:
    """A stored time limit as the hours field shows it."""
    return "" if hours is None else f"{round(hours, 2):g}"


def parse_percent(text: str) -> Any:
    """What a percentage field holds, as the fraction the core expects.

    "70", "70 %" and "70,5" are read; an empty field means "no value" (None); anything
    else is returned unchanged for the core to refuse with its own message.
    """
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned) / 100
    except ValueError:
        return text


_HOURS = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*(h|hours?|d|days?)?$", re.IGNORECASE)


def parse_hours(text: str) -> Any:
    """What the time-limit field holds, in hours: "24", "24 h" and "3 d" are read."""
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _HOURS.match(cleaned)
    if match is None:
        return text
    hours = float(match.group(1).replace(",", "."))
    unit = (match.group(2) or "h").lower()
    return hours * 24 if unit.startswith("d") else hours
