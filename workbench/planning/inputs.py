"""Checking and parsing plan inputs, shared by the mutations (which refuse bad values) and
the reverse-funnel preview (which shows "—" with the same message instead)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ValidationError

# A value as the planner receives it: a number, nothing yet, or what the user typed that
# could not be read (the error says why).
RawValue = float | None | ValidationError

GOAL = "revenue_goal"
DEAL_SIZE = "avg_deal_size"
SOURCE_MIX = "source_mix"
LARGEST = 1e15  # beyond this an amount or volume is a typo, not a plan


@dataclass(frozen=True)
class InputProblem:
    """What is wrong with one input (`field`), or a warning that does not stop the maths."""

    field: str
    message: str
    warning: bool = False


def conversion_field(stage_id: int) -> str:
    """The field name of a stage's conversion rate, as problems and overrides use it."""
    return f"conversion:{stage_id}"


def _finite(field: str, value: object, message: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(field, message) from None
    if not math.isfinite(number):
        raise ValidationError(field, message)
    return number


def check_goal(value: object) -> float:
    """A revenue goal: a finite amount of at least 0."""
    goal = _finite(GOAL, value, "The revenue goal must be an amount such as 12,000,000.")
    if goal < 0:
        raise ValidationError(GOAL, "The revenue goal cannot be negative.")
    if goal > LARGEST:
        raise ValidationError(GOAL, "The revenue goal is implausibly large; check the digits.")
    return goal


def check_deal_size(value: object) -> float:
    """An average deal size: a finite amount above 0."""
    size = _finite(DEAL_SIZE, value, "The average deal size must be an amount such as 60,000.")
    if size == 0:
        raise ValidationError(DEAL_SIZE, "The average deal size cannot be 0.")
    if size < 0:
        raise ValidationError(DEAL_SIZE, "The average deal size cannot be negative.")
    if size > LARGEST:
        raise ValidationError(DEAL_SIZE, "The average deal size is implausibly large.")
    return size


def check_conversion(value: object, field: str = "conversion", step: str = "") -> float:
    """A conversion rate as a fraction: above 0 and at most 1 (100 %)."""
    what = f"The conversion {step}" if step else "A conversion rate"
    rate = _finite(field, value, f"{what} must be a percentage such as 25 %.")
    if not 0 < rate <= 1:
        shown = f"{rate * 100:.4g} %"
        raise ValidationError(field, f"{what} must be above 0 % and at most 100 % (not {shown}).")
    return rate


def check_share(source: str, value: object) -> float:
    """One source's share of the plan's volume: from 0 to 1."""
    share = _finite(SOURCE_MIX, value, f"The share of {source} must be a percentage.")
    if not 0 <= share <= 1:
        raise ValidationError(SOURCE_MIX,
                              f"The share of {source} must be between 0 % and 100 %.")
    return share


def parse_amount(text: str, field: str) -> float | None:
    """Read an amount as typed: "12,000,000", "12 000 000", "60000.50"; empty → None."""
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise ValidationError(field, f"“{text.strip()}” is not an amount; type digits "
                                     "such as 12,000,000.") from None


def parse_percent(text: str, field: str) -> float | None:
    """Read a percentage as typed ("25", "25 %", "12.5") into a fraction; empty → None."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned) / 100
    except ValueError:
        raise ValidationError(field, f"“{text.strip()}” is not a percentage; type a number "
                                     "such as 25 for 25 %.") from None
