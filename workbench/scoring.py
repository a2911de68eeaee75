"""The scoring model: fit and interest rules with points, and the thresholds."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from .changes import Changes
from .errors import ValidationError
from .imports.values import FALSE_WORDS, TRUE_WORDS, read_flag
from .model import Operator, RuleId, RuleKind, ScoringRule, ScoringSettings

if TYPE_CHECKING:
    from .workbook import Workbook


def validate_rule(values: dict[str, Any]) -> dict[str, Any]:
    """Check a rule's fields as entered; return them ready to store."""
    clean: dict[str, Any] = {}
    for field, value in values.items():
        if field == "kind":
            try:
                clean[field] = RuleKind(value).value
            except ValueError:
                raise ValidationError(field, "A rule is a fit rule or an interest rule.") from None
        elif field == "operator":
            try:
                clean[field] = Operator(value).value
            except ValueError:
                raise ValidationError(field, f"Unknown comparison {value!r}.") from None
        elif field == "attribute":
            if not str(value).strip():
                raise ValidationError(field, "A rule needs the attribute it looks at.")
            clean[field] = str(value).strip()
        elif field == "points":
            try:
                points = int(value)
            except (TypeError, ValueError):
                raise ValidationError(field, "Points must be a whole number.") from None
            if not -1000 <= points <= 1000:
                raise ValidationError(field, "Points must be between -1000 and 1000.")
            clean[field] = points
        elif field in ("value", "label"):
            clean[field] = str(value or "").strip()
        else:
            raise ValidationError(field, f"{field} is not a rule field.")
    return clean


class Scoring:
    """Scoring rules and thresholds of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    def rules(self) -> list[ScoringRule]:
        rows = self._conn.execute(
            "SELECT id, kind, attribute, operator, value, points, label, position "
            "FROM scoring_rules ORDER BY position, id"
        ).fetchall()
        return [
            ScoringRule(RuleId(r[0]), RuleKind(r[1]), r[2], Operator(r[3]), r[4], r[5], r[6], r[7])
            for r in rows
        ]

    def settings(self) -> ScoringSettings:
        row = self._conn.execute(
            "SELECT mql_threshold, fit_threshold, interest_threshold FROM scoring_settings"
        ).fetchone()
        return ScoringSettings(*row)

    def add_rule(self, **fields: Any) -> tuple[Changes, RuleId]:
        values = validate_rule(fields)
        for required in ("kind", "attribute", "operator", "points"):
            if required not in values:
                raise ValidationError(required, f"A rule needs a {required}.")
        position = len(self.rules())
        with self._wb.step("Add scoring rule") as rec:
            rule_id = self._wb.insert(rec, "scoring_rules", {"position": position, **values},
                                      "rule")
        return rec.changes, RuleId(rule_id)

    def update_rule(self, rule_id: RuleId, **fields: Any) -> Changes:
        values = validate_rule(fields)
        with self._wb.step("Edit scoring rule") as rec:
            self._wb.update(rec, "scoring_rules", {"id": rule_id}, values, "rule")
        return rec.changes

    def delete_rule(self, rule_id: RuleId) -> Changes:
        row = self._conn.execute(
            "SELECT label, attribute FROM scoring_rules WHERE id = ?", (rule_id,)
        ).fetchone()
        if row is None:
            raise ValidationError("rule", "That rule no longer exists.")
        with self._wb.step("Delete scoring rule") as rec:
            self._wb.delete(rec, "scoring_rules", {"id": rule_id}, "rule", row[0] or row[1])
        return rec.changes

    def set_thresholds(self, **fields: int) -> Changes:
        """Change the MQL threshold and the quadrant's fit and interest cuts."""
        allowed = ("mql_threshold", "fit_threshold", "interest_threshold")
        values: dict[str, int] = {}
        for field, value in fields.items():
            if field not in allowed:
                raise ValidationError(field, f"{field} is not a threshold.")
            try:
                values[field] = int(value)
            except (TypeError, ValueError):
                raise ValidationError(field, "A threshold is a whole number of points.") from None
            if values[field] < 0:
                raise ValidationError(field, "A threshold cannot be negative.")
        name = "Change MQL threshold" if list(values) == ["mql_threshold"] else "Change thresholds"
        with self._wb.step(name) as rec:
            self._wb.update(rec, "scoring_settings", {"id": 1}, values, "scoring")
        return rec.changes


def rule_matches(rule: ScoringRule, attributes: dict[str, Any]) -> bool:
    """Whether a lead with these attributes earns the rule's points. Numbers are read as
    exports write them ("1,200", "1.200", "12,500.50", "12.500,50"), yes/no values in the
    usual spellings (True, "yes", "1", "ja", "oui" …)."""
    raw = attributes.get(rule.attribute)
    if rule.operator is Operator.EXISTS:
        return raw not in (None, "")
    if raw is None:
        return False
    text, target = str(raw).strip().lower(), rule.value.strip().lower()
    if rule.operator in (Operator.EQUALS, Operator.NOT_EQUALS):
        same = text == target
        flags = (read_flag(raw), read_flag(target)) if isinstance(raw, bool) or (
            text in _FLAG_WORDS and target in _FLAG_WORDS) else None
        if flags is not None and None not in flags:
            same = flags[0] == flags[1]
        else:
            numbers = (number_in(raw), number_in(rule.value))
            if None not in numbers:
                same = numbers[0] == numbers[1]
        return same if rule.operator is Operator.EQUALS else not same
    if rule.operator is Operator.CONTAINS:
        return target in text
    if rule.operator is Operator.IN:
        return text in {part.strip() for part in target.split(",")}
    number, limit = number_in(raw), number_in(rule.value)
    if number is None or limit is None:
        return False
    return number >= limit if rule.operator is Operator.AT_LEAST else number <= limit


_FLAG_WORDS = (TRUE_WORDS | FALSE_WORDS) - {""}
_NUMBER = re.compile(r"^[+-]?[\d.,' \u00a0\u202f]+$")


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


def score_lead(rules: list[ScoringRule], attributes: dict[str, Any]) -> tuple[int, int]:
    """A lead's (fit, interest) points under these rules."""
    fit = interest = 0
    for rule in rules:
        if rule_matches(rule, attributes):
            if rule.kind is RuleKind.FIT:
                fit += rule.points
            else:
                interest += rule.points
    return fit, interest
