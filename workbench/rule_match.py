"""How a scoring rule reads a lead: typed comparisons, numbers and yes/no values as exports
write them, interest points that decay with age, and the checks a rule passes before it
is stored (a field no lead has, text compared with ≥, an empty list are refused)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .errors import ValidationError
from .imports.values import FALSE_WORDS, TRUE_WORDS, read_flag
from .model import Operator, RuleKind, ScoringRule

# The lead's own fields a rule can look at, and their types; imported columns add theirs.
LEAD_FIELDS: dict[str, str] = {
    "source": "text", "campaign": "text", "owner": "text", "company": "text",
    "title": "text", "industry": "text", "country": "text", "disposition": "text",
    "employees": "number", "score": "number", "amount": "number", "attempts": "number",
    "created_at": "date", "first_touch_at": "date",
}
# The comparisons that suit each type of field, in the order the editor offers them.
OPERATORS_FOR: dict[str, tuple[Operator, ...]] = {
    "text": (Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN, Operator.CONTAINS,
             Operator.IS_EMPTY, Operator.EXISTS),
    "number": (Operator.AT_LEAST, Operator.AT_MOST, Operator.BETWEEN, Operator.EQUALS,
               Operator.NOT_EQUALS, Operator.IS_EMPTY, Operator.EXISTS),
    "boolean": (Operator.EQUALS, Operator.NOT_EQUALS, Operator.IS_EMPTY, Operator.EXISTS),
    "date": (Operator.IS_EMPTY, Operator.EXISTS),
}
OPERATOR_WORDS: dict[Operator, str] = {
    Operator.EQUALS: "equals", Operator.NOT_EQUALS: "is not", Operator.IN: "is one of",
    Operator.CONTAINS: "contains", Operator.AT_LEAST: "≥", Operator.AT_MOST: "≤",
    Operator.BETWEEN: "between", Operator.IS_EMPTY: "is empty", Operator.EXISTS: "has a value",
}
NO_VALUE = (Operator.IS_EMPTY, Operator.EXISTS)
_FLAG_WORDS = (TRUE_WORDS | FALSE_WORDS) - {""}
_NUMBER = re.compile(r"^[+-]?[\d.,' \u00a0\u202f]+$")
_RANGE = re.compile(r"\s*(?:\.\.|…|–|—| to | and | - )\s*")


def rule_matches(rule: ScoringRule, attributes: Mapping[str, Any]) -> bool:
    """Whether a lead with these attributes earns the rule's points. Numbers are read as
    exports write them ("1,200", "1.200", "12,500.50", "12.500,50"), yes/no values in the
    usual spellings (True, "yes", "1", "ja", "oui" …)."""
    return value_matches(rule, attributes.get(rule.attribute))


def value_matches(rule: ScoringRule, raw: Any) -> bool:
    """Whether one value of the rule's attribute earns its points."""
    if rule.operator is Operator.EXISTS:
        return raw not in (None, "")
    if rule.operator is Operator.IS_EMPTY:
        return raw is None or (isinstance(raw, str) and not raw.strip())
    if raw is None:
        return False
    text, target = str(raw).strip().lower(), rule.value.strip().lower()
    if rule.operator in (Operator.EQUALS, Operator.NOT_EQUALS):
        same = _same(raw, text, rule.value, target)
        return same if rule.operator is Operator.EQUALS else not same
    if rule.operator is Operator.CONTAINS:
        return target in text
    if rule.operator is Operator.IN:
        return text in list_items(target)
    number = number_in(raw)
    if number is None:
        return False
    if rule.operator is Operator.BETWEEN:
        bounds = number_range(rule.value)
        return bounds is not None and bounds[0] <= number <= bounds[1]
    limit = number_in(rule.value)
    if limit is None:
        return False
    return number >= limit if rule.operator is Operator.AT_LEAST else number <= limit


def _same(raw: Any, text: str, value: str, target: str) -> bool:
    flags = (read_flag(raw), read_flag(target)) if isinstance(raw, bool) or (
        text in _FLAG_WORDS and target in _FLAG_WORDS) else None
    if flags is not None and None not in flags:
        return flags[0] == flags[1]
    numbers = (number_in(raw), number_in(value))
    if numbers[0] is not None and numbers[1] is not None:
        return numbers[0] == numbers[1]
    return text == target


def list_items(value: str) -> set[str]:
    """The values of an "is one of" list, lower-cased: "DE, AT, CH" → {"de", "at", "ch"}."""
    return {part.strip().lower() for part in value.split(",") if part.strip()}


def number_range(value: str) -> tuple[float, float] | None:
    """A "between" value's bounds: "10..50", "10 – 50", "1,000 to 5,000"; None if not two
    numbers with the lower first."""
    parts = _RANGE.split(value.strip(), maxsplit=1)
    if len(parts) != 2:
        return None
    low, high = number_in(parts[0]), number_in(parts[1])
    if low is None or high is None or low > high:
        return None
    return low, high


def number_in(value: Any) -> float | None:
    """A number as people and exports write it, or None: "1,200" and "1.200" (thousands),
    "12,500.50" and "12.500,50" (the last separator is the decimal one), "1,5" (a decimal
    comma), "1 200", "1'200"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip()
    for sign in "€$£¥%":
        text = text.replace(sign, "")
    text = text.strip()
    if not text or not _NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        return None
    spaced = re.split(r"[ \u00a0\u202f']+", text.split(",")[0].split(".")[0])
    if len(spaced) > 1 and any(len(group) != 3 for group in spaced[1:]):
        return None  # "+49 30 1234" is a phone number, not thousands
    for space in (" ", "\u00a0", "\u202f", "'"):
        text = text.replace(space, "")
    points, commas = text.count("."), text.count(",")
    if points and commas:  # the last one is the decimal separator
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
    elif points + commas == 1:  # one separator: thousands when three digits follow it
        text = text.replace(",", ".")
        head, _, tail = text.partition(".")
        decimal = "" if len(tail) == 3 and head.lstrip("+-") not in ("", "0") else "."
    else:  # several of one kind: thousands
        decimal = ""
    whole, _, fraction = text.rpartition(decimal) if decimal else (text, "", "")
    groups = whole.replace(",", ".").split(".")
    if len(groups) > 1 and (not groups[0].lstrip("+-") or len(groups[0].lstrip("+-")) > 3
                            or any(len(g) != 3 for g in groups[1:])):
        return None  # "1,2,3" is no number
    try:
        number = float("".join(groups) + ("." + fraction if decimal else ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def decayed(points: int, age_days: float | None, half_life_days: float | None) -> int:
    """The points a rule earns at this age: halved every `half_life_days`, rounded to
    whole points (half to even). No half-life, or an age not known: the full points."""
    if half_life_days is None or age_days is None or math.isnan(age_days):
        return points
    return round(points * 0.5 ** (max(age_days, 0.0) / half_life_days))


def score_lead(rules: list[ScoringRule], attributes: Mapping[str, Any]) -> tuple[int, int]:
    """A lead's (fit, interest) points under these rules, without decay."""
    fit = interest = 0
    for rule in rules:
        if rule_matches(rule, attributes):
            if rule.kind is RuleKind.FIT:
                fit += rule.points
            else:
                interest += rule.points
    return fit, interest


_NUMERIC = (Operator.AT_LEAST, Operator.AT_MOST, Operator.BETWEEN)


def check_rule(rule: ScoringRule, kinds: Mapping[str, str], *, have_leads: bool = True) -> None:
    """Refuse a rule that could never mean what it says, with what is wrong: a field no
    lead has, a comparison that does not suit the field's type (text compared with ≥), a
    value that is no number where one is needed, an empty list, an impossible range.
    Before any lead is imported, a field the leads do not have yet is taken at its word
    (typed by its comparison): a workshop writes the model before the data comes."""
    name = rule.attribute
    kind = kinds.get(name)
    if kind is None and not have_leads:
        kind = "number" if rule.operator in _NUMERIC else "text"
        kinds = {**kinds, name: kind}
        if rule.operator not in OPERATORS_FOR[kind]:  # e.g. "between" checks as numbers
            kind = "number"
    if kind is None:
        known = ", ".join(sorted(kinds, key=str.casefold)[:12])
        raise ValidationError("attribute", f"No lead has a field “{name}”. Fields leads "
                                           f"have: {known}.")
    if rule.operator not in OPERATORS_FOR[kind]:
        allowed = ", ".join(OPERATOR_WORDS[o] for o in OPERATORS_FOR[kind])
        raise ValidationError("operator", f"“{name}” holds {_kind_words(kind)}, so it cannot "
                                          f"be compared with “{OPERATOR_WORDS[rule.operator]}”"
                                          f"; use {allowed}.")
    _check_value(rule, kind)
    if rule.half_life_days is not None:
        if rule.kind is not RuleKind.INTEREST:
            raise ValidationError("half_life_days", "Only interest points decay with age: "
                                                    "who a lead is does not wear off.")
        dated = rule.dated_by or "created_at"
        if kinds.get(dated) != "date" and (have_leads or dated in kinds):
            raise ValidationError("dated_by", f"Age is counted from a date, and “{dated}” "
                                              "holds no dates.")


def _check_value(rule: ScoringRule, kind: str) -> None:
    name, value, op = rule.attribute, rule.value.strip(), rule.operator
    if op in NO_VALUE:
        return
    if not value:
        raise ValidationError("value", f"Give the value “{name}” is compared with "
                                       "(or choose “is empty”).")
    if op is Operator.IN and not list_items(value):
        raise ValidationError("value", "The list is empty: name at least one value, "
                                       "separated by commas.")
    if op is Operator.BETWEEN:
        if number_range(value) is None:
            raise ValidationError("value", f"“{value}” is not a range: give two numbers, the "
                                           "lower first, such as 50..500.")
    elif kind == "number" and number_in(value) is None:
        raise ValidationError("value", f"“{name}” holds numbers, and “{value}” is not one.")
    elif kind == "boolean" and read_flag(value) is None:
        raise ValidationError("value", f"“{name}” is yes or no, and “{value}” is neither.")


def _kind_words(kind: str) -> str:
    return {"text": "text", "number": "numbers", "boolean": "yes/no values",
            "date": "dates"}[kind]
