"""Workshop mode's data: the workbook's question set, participants and their answers by
side (anonymous unless named), and the decisions log with what each decision settles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .changes import Changes
from .errors import ValidationError
from .model import Team
from .workshop_csv import AnswerSheet
from .workshop_gaps import Answer
from .workshop_questions import (
    BadAnswer,
    Question,
    copy_question_set,
    question_from_row,
    shipped_questions,
)

if TYPE_CHECKING:
    from .workbook import StepRecorder, Workbook

_QUESTION_COLUMNS = "key, area, kind, text, choices, unit, low, high, evidence"


class Settles(StrEnum):
    """What a decision can settle."""

    STAGE = "stage"
    SLA_TERM = "sla_term"
    SCORING_RULE = "scoring_rule"
    QUESTION = "question"


@dataclass(frozen=True)
class Participant:
    """Someone who answered: a side, a name only if they gave one, how many answers."""

    id: int
    team: Team
    name: str
    entered: str  # "typed" or "csv"
    answered: int


@dataclass(frozen=True)
class Decision:
    """A decision taken in the workshop, its owner and what it settles (if anything)."""

    id: int
    decided_at: str
    text: str
    decided_by: str
    owner: str
    settles: Settles | None
    settles_key: str | None


class Workshop:
    """The question set, answers per participant, and decisions taken."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    # -- questions ------------------------------------------------------------------------
    def questions(self) -> list[Question]:
        """The workbook's questions, in order; the app's set until the workshop starts."""
        rows = self._conn.execute(
            f"SELECT {_QUESTION_COLUMNS} FROM workshop_questions ORDER BY position, id"
        ).fetchall()
        return [question_from_row(r) for r in rows] if rows else list(shipped_questions())

    def question(self, key: str) -> Question:
        found = next((q for q in self.questions() if q.key == key), None)
        if found is None:
            raise ValidationError("question", f"There is no question “{key}” in this "
                                  "workshop.")
        return found

    def _copy_questions(self, rec: StepRecorder) -> None:
        """Copy the app's set into the workbook, once, so its answers keep their questions."""
        if self._conn.execute("SELECT 1 FROM workshop_questions LIMIT 1").fetchone():
            return
        copy_question_set(self._conn)
        rec.log("workshop question set", "", "", None, "copied from the app")

    def edit_question(self, key: str, *, text: str | None = None,
                      area: str | None = None) -> Changes:
        """Reword a question or move it to another root-cause area."""
        self.question(key)
        values = {name: value.strip() for name, value in (("text", text), ("area", area))
                  if value is not None}
        for name, value in values.items():
            if not value:
                raise ValidationError(name, f"A question needs its {name}; it was left as "
                                      "it was.")
        with self._wb.step("Edit workshop question") as rec:
            self._copy_questions(rec)
            self._wb.update(rec, "workshop_questions", {"key": key}, values,
                            "workshop question")
        return rec.changes

    # -- participants and answers -----------------------------------------------------------
    def participants(self) -> list[Participant]:
        return [Participant(r[0], Team(r[1]), r[2], r[3], r[4]) for r in self._conn.execute(
            "SELECT p.id, p.team, p.name, p.entered, COUNT(a.id) FROM workshop_participants p "
            "LEFT JOIN workshop_answers a ON a.participant_id = p.id GROUP BY p.id ORDER BY p.id")]

    def answers(self) -> list[Answer]:
        return [Answer(r[0], Team(r[1]), r[2], r[3]) for r in self._conn.execute(
            "SELECT a.participant_id, p.team, a.question_key, a.answer FROM workshop_answers a "
            "JOIN workshop_participants p ON p.id = a.participant_id ORDER BY a.id")]

    def checked_answers(self, raw: Mapping[str, str]) -> dict[str, str]:
        """`raw` answers as stored: blanks dropped (partial answers are fine); raises
        `ValidationError` naming the first question whose value it cannot take."""
        questions = {q.key: q for q in self.questions()}
        result = {}
        for key, value in raw.items():
            if key not in questions:
                raise ValidationError(key, f"There is no question “{key}” in this workshop.")
            try:
                parsed = questions[key].parse(value)
            except BadAnswer as error:
                raise ValidationError(key, f"“{questions[key].text}”: {error}.") from None
            if parsed is not None:
                result[key] = parsed
        return result

    def record_participant(self, team: Team | str, answers: Mapping[str, str],
                           name: str = "") -> tuple[Changes, int]:
        """Store one participant's answers (one step); nothing is stored on a bad value."""
        side = _team(team)
        checked = self.checked_answers(answers)
        if not checked:
            raise ValidationError("answers", "No answers to record: answer at least one "
                                  "question.")
        with self._wb.step("Record answers") as rec:
            person = self._add(rec, side, name, checked, "typed")
        return rec.changes, person

    def import_sheet(self, sheet: AnswerSheet) -> Changes:
        """Store a CSV's participants (`workshop_csv.read_answer_sheet`) as one step."""
        if not sheet.participants:
            raise ValidationError("file", "The file has no answers to store.")
        with self._wb.step("Import workshop answers") as rec:
            for person in sheet.participants:
                self._add(rec, person.team, person.name, person.answers, "csv")
        return rec.changes

    def _add(self, rec: StepRecorder, team: Team, name: str, answers: Mapping[str, str],
             entered: str) -> int:
        self._copy_questions(rec)
        person = self._wb.insert(rec, "workshop_participants",
                                 {"team": team.value, "name": name.strip(), "entered": entered},
                                 "workshop participant")
        self._conn.executemany(
            "INSERT INTO workshop_answers (participant_id, question_key, answer) VALUES (?,?,?)",
            [(person, key, value) for key, value in answers.items()])
        return person

    def remove_participant(self, participant_id: int) -> Changes:
        if not any(p.id == participant_id for p in self.participants()):
            raise ValidationError("participant", "That participant's answers are gone already.")
        with self._wb.step("Remove answers") as rec:
            self._wb.delete(rec, "workshop_answers", {"participant_id": participant_id},
                            "workshop answers", participant_id)
            self._wb.delete(rec, "workshop_participants", {"id": participant_id},
                            "workshop participant", participant_id)
        return rec.changes

    # -- decisions --------------------------------------------------------------------------
    def decisions(self) -> list[Decision]:
        return [Decision(r[0], r[1], r[2], r[3], r[4], Settles(r[5]) if r[5] else None, r[6])
                for r in self._conn.execute(
                    "SELECT id, decided_at, text, decided_by, owner, settles_kind, settles_key "
                    "FROM decisions ORDER BY decided_at, id")]

    def record_decision(self, text: str, decided_by: str = "", *, owner: str = "",
                        settles: tuple[Settles | str, str] | None = None) -> Changes:
        """Log a decision, its owner and what it settles (a stage key, an SLA term key, a
        scoring rule id or a question key)."""
        if not text.strip():
            raise ValidationError("decision", "A decision needs some text.")
        kind, key = self._settles(settles)
        with self._wb.step("Record decision") as rec:
            self._wb.insert(rec, "decisions", {
                "text": text.strip(), "decided_by": decided_by.strip(), "owner": owner.strip(),
                "settles_kind": kind, "settles_key": key}, "decision")
        return rec.changes

    def edit_decision(self, decision_id: int, *, text: str, owner: str,
                      settles: tuple[Settles | str, str] | None = None) -> Changes:
        if not text.strip():
            raise ValidationError("decision", "A decision needs some text.")
        kind, key = self._settles(settles)
        with self._wb.step("Edit decision") as rec:
            self._wb.update(rec, "decisions", {"id": decision_id}, {
                "text": text.strip(), "owner": owner.strip(), "settles_kind": kind,
                "settles_key": key}, "decision")
        return rec.changes

    def remove_decision(self, decision_id: int) -> Changes:
        with self._wb.step("Remove decision") as rec:
            self._wb.delete(rec, "decisions", {"id": decision_id}, "decision", decision_id)
        return rec.changes

    def decision_rows(self) -> tuple[tuple[str, str, str], ...]:
        """The decisions as the SLA, the QBR and the workshop report list them: (text,
        owner, what it settles in words), in the order taken."""
        return tuple((d.text, d.owner, self.settles_label(d)) for d in self.decisions())

    def settles_options(self) -> dict[Settles, list[tuple[str, str]]]:
        """What a decision can settle, per kind: (key, what the user reads)."""
        sla = self._wb.sla.versions()
        terms = self._wb.sla.terms(sla[-1].id) if sla else []
        return {
            Settles.STAGE: [(s.key, s.name) for s in self._wb.funnel.stages()],
            Settles.SLA_TERM: [(t.key or str(t.id), t.title) for t in terms],
            Settles.SCORING_RULE: [(str(r.id), r.label or r.attribute)
                                   for r in self._wb.scoring.rules()],
            Settles.QUESTION: [(q.key, q.text) for q in self.questions()],
        }

    def settles_label(self, decision: Decision) -> str:
        """"Stage: MQL", or "" for a decision that settles nothing in particular."""
        if decision.settles is None:
            return ""
        names = dict(self.settles_options()[decision.settles])
        what = names.get(decision.settles_key or "", f"{decision.settles_key} (removed since)")
        return f"{_SETTLES_WORDS[decision.settles]}: {what}"

    def _settles(self, settles: tuple[Settles | str, str] | None) -> tuple[str | None,
                                                                            str | None]:
        if settles is None:
            return None, None
        raw_kind, key = settles
        try:
            kind = Settles(raw_kind)
        except ValueError:
            raise ValidationError("settles", f"A decision settles a stage, an SLA term, a "
                                  f"scoring rule or a question, not “{raw_kind}”.") from None
        if key not in dict(self.settles_options()[kind]):
            raise ValidationError("settles", f"There is no {_SETTLES_WORDS[kind].lower()} "
                                  f"“{key}” in this workbook.")
        return kind.value, key


_SETTLES_WORDS = {Settles.STAGE: "Stage", Settles.SLA_TERM: "SLA term",
                  Settles.SCORING_RULE: "Scoring rule", Settles.QUESTION: "Question"}


def _team(team: Team | str) -> Team:
    try:
        return Team(str(team).strip().casefold())
    except ValueError:
        raise ValidationError("side", f"A participant answers as marketing or sales, not "
                              f"“{team}”.") from None


def answers_by_key(answers: Sequence[Answer], participant_id: int) -> dict[str, str]:
    """One participant's answers by question key."""
    return {a.question_key: a.answer for a in answers if a.participant_id == participant_id}
