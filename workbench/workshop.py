"""Workshop mode's data: the diagnostic questionnaire's answers and the decisions log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .changes import Changes
from .errors import ValidationError
from .model import Team

if TYPE_CHECKING:
    from .workbook import Workbook


class Workshop:
    """Questionnaire answers per team, and decisions taken."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    def answers(self) -> dict[tuple[str, Team], str]:
        return {
            (r[0], Team(r[1])): r[2]
            for r in self._conn.execute("SELECT question_key, team, answer FROM workshop_answers")
        }

    def decisions(self) -> list[tuple[int, str, str, str]]:
        return self._conn.execute(
            "SELECT id, decided_at, text, decided_by FROM decisions ORDER BY decided_at, id"
        ).fetchall()

    def record_decision(self, text: str, decided_by: str = "") -> Changes:
        if not text.strip():
            raise ValidationError("decision", "A decision needs some text.")
        with self._wb.step("Record decision") as rec:
            self._wb.insert(rec, "decisions", {"text": text.strip(),
                                               "decided_by": decided_by.strip()}, "decision")
        return rec.changes
