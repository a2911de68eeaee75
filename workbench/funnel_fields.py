"""Checking a funnel stage's fields as a user entered them, before anything is stored.

Every refusal is a `ValidationError` naming the field and saying, in the user's words, what
was expected. `workbench.funnel` re-exports these names; import them from there.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ValidationError
from .model import Agreement, Owner

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_FIELDS = ("definition", "entry_criteria", "exit_criteria")
EDITABLE = (
    "name", "key", "owner", *TEXT_FIELDS, "max_hours", "target_conversion", "agreement",
    "probability",
)
MAX_HOURS = 24 * 366 * 5


def key_from_name(name: str) -> str:
    """A stage key derived from its name: "Sales Accepted Lead" → "sales_accepted_lead"."""
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not key or not key[0].isalpha():
        key = "stage_" + key
    return key[:40].rstrip("_")


def validate_stage_field(field: str, value: Any) -> Any:
    """Check one stage field as the user entered it; return the value to store.

    Rates (`target_conversion`, `probability`) are fractions 0..1; a string ending in "%"
    ("70 %") is read as a percentage. Raises `ValidationError` naming the field.
    """
    if field == "name":
        return _name(value)
    if field == "key":
        text = str(value or "").strip()
        if not KEY_PATTERN.match(text):
            raise ValidationError(
                "key",
                "A key is 1–40 lowercase letters, digits or _ and starts with a letter "
                "(for example sales_accepted).",
            )
        return text
    if field == "owner":
        if value in (None, ""):
            return None
        try:
            return Owner(value).value
        except ValueError:
            raise ValidationError("owner", "The owner is marketing, sales or shared.") from None
    if field in TEXT_FIELDS:
        return str(value or "").strip()
    if field == "max_hours":
        return _hours(value)
    if field in ("target_conversion", "probability"):
        return _rate(field, value)
    if field == "agreement":
        try:
            return Agreement(value).value
        except ValueError:
            raise ValidationError(field, "The status is open, agreed or disputed.") from None
    raise ValidationError(field, f"{field} is not a stage field.")


def _name(value: Any) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValidationError("name", "A stage needs a name.")
    if len(text) > 200:
        raise ValidationError("name", "A stage name can be at most 200 characters.")
    return text


def _hours(value: Any) -> float | None:
    if value in (None, ""):
        return None
    hours = _number("max_hours", value, "Max time in stage must be a number of hours.")
    if hours < 0:
        raise ValidationError("max_hours", "Max time in stage cannot be negative.")
    if hours > MAX_HOURS:
        raise ValidationError("max_hours", "Max time in stage must be under five years.")
    return hours


def _rate(field: str, value: Any) -> float | None:
    if value in (None, ""):
        return None
    message = "Enter a percentage between 0 and 100."
    if isinstance(value, str) and value.strip().endswith("%"):
        rate = _number(field, value.strip()[:-1], message) / 100
    else:
        rate = _number(field, value, message)
    if not 0 <= rate <= 1:
        what = "A conversion target" if field == "target_conversion" else "A probability"
        raise ValidationError(
            field, f"{what} must be between 0 % and 100 % (got {rate * 100:g} %)."
        )
    return rate


def _number(field: str, value: Any, message: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(field, message)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(field, message) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(field, message)
    return number
