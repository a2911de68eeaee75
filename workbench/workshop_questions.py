"""The workshop's questions: what each asks, of which root-cause area, and which answers it
takes. The app ships a set (`resources/workshop/questions.json`); a workbook copies it when
its workshop starts and may edit its copy."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from resources import ROOT

SCALE = (1, 5)  # strongly disagree .. strongly agree
MAX_TEXT = 2000  # characters of a free-text answer


class QuestionKind(StrEnum):
    SCALE = "scale"
    CHOICE = "choice"
    NUMBER = "number"
    TEXT = "text"


class BadAnswer(ValueError):
    """An answer a question cannot take; the message says what it expected."""


@dataclass(frozen=True)
class Question:
    """One question of the diagnostic."""

    key: str
    area: str  # the root-cause area's title, as the radar groups it
    kind: QuestionKind
    text: str
    choices: tuple[str, ...] = ()
    unit: str = ""
    low: float | None = None
    high: float | None = None
    evidence: str = ""  # the workbook figure a number is set against ("" none)

    @property
    def expected(self) -> str:
        """What an answer must be, as a message says it."""
        if self.kind is QuestionKind.SCALE:
            return f"a whole number from {SCALE[0]} to {SCALE[1]}"
        if self.kind is QuestionKind.CHOICE:
            return "one of " + ", ".join(f"“{c}”" for c in self.choices)
        if self.kind is QuestionKind.NUMBER:
            return f"a number from {number_text(self.low or 0)} to " \
                   f"{number_text(self.high) if self.high is not None else 'any'}"
        return f"text of at most {MAX_TEXT:,} characters"

    def parse(self, raw: str) -> str | None:
        """The answer `raw` as stored ("" or blanks: not answered, None); raises `BadAnswer`
        for a value the question cannot take."""
        text = raw.strip()
        if not text:
            return None
        if self.kind is QuestionKind.TEXT:
            if len(text) > MAX_TEXT:
                raise BadAnswer(f"expected {self.expected}, not {len(text):,}")
            return text
        if self.kind is QuestionKind.CHOICE:
            folded = {c.casefold(): c for c in self.choices}
            if text.casefold() not in folded:
                raise BadAnswer(f"expected {self.expected}, not “{text}”")
            return folded[text.casefold()]
        value = _number(text.removesuffix("%").strip())
        if self.kind is QuestionKind.SCALE:
            if value is None or not value.is_integer() or not SCALE[0] <= value <= SCALE[1]:
                raise BadAnswer(f"expected {self.expected}, not “{text}”")
            return str(int(value))
        low, high = self.low if self.low is not None else 0.0, self.high
        if value is None or value < low or (high is not None and value > high):
            raise BadAnswer(f"expected {self.expected}, not “{text}”")
        return number_text(value)


def sort_answers(questions: Iterable[Question], raw: Mapping[str, str]
                 ) -> tuple[dict[str, str], list[tuple[Question, str]]]:
    """The answers `raw` (by question key) as stored, blanks dropped, and the values their
    questions cannot take with why: partial answers are kept, a bad value is set aside. A
    CSV's rows and the phones' form are sorted by this one function."""
    kept: dict[str, str] = {}
    bad: list[tuple[Question, str]] = []
    for question in questions:
        if question.key not in raw:
            continue
        try:
            value = question.parse(raw[question.key])
        except BadAnswer as error:
            bad.append((question, str(error)))
            continue
        if value is not None:
            kept[question.key] = value
    return kept, bad


def _number(text: str) -> float | None:
    """A number as people type it: "24", "24.5", "24,5", "1,200" (thousands), "1 200"."""
    text = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"-?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def number_text(value: float | None) -> str:
    """A number without needless decimals: 24.0 → "24", 2.5 → "2.5"."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


@cache
def shipped_questions() -> tuple[Question, ...]:
    """The app's question set, as `resources/workshop/questions.json` holds it."""
    data = json.loads((ROOT / "workshop" / "questions.json").read_text(encoding="utf-8"))
    areas = {a["key"]: a["title"] for a in data["areas"]}
    return tuple(
        Question(q["key"], areas[q["area"]], QuestionKind(q["kind"]), q["text"],
                 tuple(q.get("choices", ())), q.get("unit", ""), q.get("low"), q.get("high"),
                 q.get("evidence", ""))
        for q in data["questions"])


def question_row(question: Question, position: int) -> dict[str, object]:
    """The `workshop_questions` row of a question."""
    return {"key": question.key, "position": position, "area": question.area,
            "kind": question.kind.value, "text": question.text,
            "choices": json.dumps(list(question.choices), ensure_ascii=False),
            "unit": question.unit, "low": question.low, "high": question.high,
            "evidence": question.evidence}


def question_from_row(row: tuple[object, ...]) -> Question:
    """A question from `key, area, kind, text, choices, unit, low, high, evidence`."""
    key, area, kind, text, choices, unit, low, high, evidence = row
    return Question(str(key), str(area), QuestionKind(str(kind)), str(text),
                    tuple(json.loads(str(choices))), str(unit),
                    None if low is None else float(low),  # type: ignore[arg-type]
                    None if high is None else float(high),  # type: ignore[arg-type]
                    str(evidence))


def copy_question_set(conn: sqlite3.Connection) -> None:
    """Write the app's question set into a workbook's `workshop_questions` (within the
    caller's transaction and step)."""
    conn.executemany(
        "INSERT INTO workshop_questions (key, position, area, kind, text, choices, unit, low, "
        "high, evidence) VALUES (:key, :position, :area, :kind, :text, :choices, :unit, :low, "
        ":high, :evidence)",
        [question_row(q, i) for i, q in enumerate(shipped_questions(), start=1)])
