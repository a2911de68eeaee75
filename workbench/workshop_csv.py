"""Answers filled in before the workshop, from a CSV: one row per participant, a `side`
column (marketing or sales), an optional `name` (blank: anonymous) and one column per
question key; a row whose side starts with "#" is a note (the blank sheet's question and
expected answer rows). Partial answers are kept; a bad value, an unknown column or a row
whose side is neither team is reported by line and not stored."""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ValidationError
from .model import Team
from .workshop_questions import Question, sort_answers

SIDE_COLUMNS = ("side", "team")
NAME_COLUMNS = ("name", "participant")


@dataclass(frozen=True)
class SheetParticipant:
    """One row's participant: side, name ("" anonymous), answers by question key."""

    line: int
    team: Team
    name: str
    answers: dict[str, str]


@dataclass(frozen=True)
class AnswerSheet:
    """What a CSV gives: the participants to store and each problem, by line."""

    participants: tuple[SheetParticipant, ...]
    problems: tuple[str, ...]


def read_answer_sheet(path: Path, questions: Sequence[Question]) -> AnswerSheet:
    """Read `path` (UTF-8, with or without BOM; comma or semicolon separated)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ValidationError("file", f"{path.name}: cannot be read ({error.strerror}).") from None
    except UnicodeDecodeError:
        raise ValidationError("file", f"{path.name}: is not UTF-8 text; save it as "
                              "“CSV UTF-8” and import it again.") from None
    return parse_answer_sheet(text, questions, path.name)


def parse_answer_sheet(text: str, questions: Sequence[Question],
                       name: str = "the file") -> AnswerSheet:
    """The participants and problems of CSV `text` (named `name` in messages)."""
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or not any(c.strip() for c in rows[0]):
        raise ValidationError("file", f"{name}: is empty; expected a header row with "
                              "“side” and question keys.")
    header = [c.strip() for c in rows[0]]
    folded = [c.casefold() for c in header]
    side = next((i for i, c in enumerate(folded) if c in SIDE_COLUMNS), None)
    if side is None:
        raise ValidationError("file", f"{name}: has no “side” column (marketing or sales "
                              "per participant); its columns: " + ", ".join(header) + ".")
    named = next((i for i, c in enumerate(folded) if c in NAME_COLUMNS), None)
    by_key = {q.key: q for q in questions}
    problems: list[str] = []
    columns: dict[int, Question] = {}
    for i, column in enumerate(header):
        if i in (side, named) or not column:
            continue
        if column in by_key:
            columns[i] = by_key[column]
            continue
        close = difflib.get_close_matches(column, list(by_key), n=1)
        hint = f" (did you mean “{close[0]}”?)" if close else ""
        problems.append(f"column {i + 1} “{column}” is not a question of this workshop{hint}: "
                        "its answers are not stored")
    people = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        person = _row(row, line, side, named, columns, problems)
        if person is not None:
            people.append(person)
    return AnswerSheet(tuple(people), tuple(problems))


def _row(row: list[str], line: int, side: int, named: int | None,
         columns: dict[int, Question], problems: list[str]) -> SheetParticipant | None:
    cell = row[side].strip() if side < len(row) else ""
    if cell.startswith("#"):
        return None
    try:
        team = Team(cell.casefold())
    except ValueError:
        problems.append(f"line {line}: side “{cell}” is neither marketing nor sales: the row "
                        "is not stored")
        return None
    answers, bad = sort_answers(columns.values(), {
        question.key: row[i] for i, question in columns.items() if i < len(row)})
    problems += [f"line {line}, {question.key}: {why}; not stored" for question, why in bad]
    if not answers:
        problems.append(f"line {line}: no answers to store")
        return None
    name = row[named].strip() if named is not None and named < len(row) else ""
    return SheetParticipant(line, team, name, answers)


def write_blank_sheet(path: Path, questions: Sequence[Question]) -> None:
    """A sheet to fill in before the workshop: the columns, a row of the questions and a
    row of what each expects (both notes the import skips), no answers."""
    from .imports.csv_export import write_csv

    write_csv(path, ["side", "name", *(q.key for q in questions)], [
        ["#question", "(blank: anonymous)", *(q.text for q in questions)],
        ["#expected", "", *(q.expected for q in questions)]])
