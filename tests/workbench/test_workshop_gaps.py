"""The gap computation on a fixture worked out by hand: medians, distributions, the gap
per kind of question, largest first, and the radar's mean per root-cause area."""

from __future__ import annotations

import pytest

from workbench.model import Team
from workbench.workshop_gaps import Answer, area_scores, question_gaps
from workbench.workshop_questions import BadAnswer, Question, QuestionKind

QUESTIONS = [
    Question("a", "Focus", QuestionKind.SCALE, "Same goal?"),
    Question("h", "Hand-offs", QuestionKind.NUMBER, "Hours?", unit="h", low=0, high=8760),
    Question("c", "Focus", QuestionKind.CHOICE, "Horizon?", choices=("X", "Y", "Z")),
    Question("b", "Focus", QuestionKind.SCALE, "Trust?"),
    Question("only", "Trust", QuestionKind.SCALE, "Feedback?"),
    Question("t", "Focus", QuestionKind.TEXT, "Sales-ready is…"),
]
M, S = Team.MARKETING, Team.SALES


def answers(*rows: tuple[int, Team, str, str]) -> list[Answer]:
    return [Answer(*row) for row in rows]


FIXTURE = answers(
    (1, M, "a", "1"), (2, M, "a", "2"), (3, M, "a", "5"), (4, S, "a", "4"), (5, S, "a", "5"),
    (1, M, "h", "24"), (2, M, "h", "12"), (3, M, "h", "48"), (6, M, "h", "24"),
    (4, S, "h", "72"), (5, S, "h", "48"),
    (1, M, "c", "X"), (2, M, "c", "X"), (3, M, "c", "Y"), (4, S, "c", "Y"), (5, S, "c", "Z"),
    (1, M, "b", "3"), (4, S, "b", "3"),
    (1, M, "only", "5"),
    (1, M, "t", "Fit + intérêt 🚀"), (4, S, "t", "طلب عرض"),
)


def test_gaps_by_hand_largest_first() -> None:
    gaps = question_gaps(QUESTIONS, FIXTURE)
    # c: marketing X 2/3, Y 1/3; sales Y 1/2, Z 1/2 → ½(2/3 + 1/6 + 1/2) = 2/3
    # a: medians 2 vs 4.5 → 2.5 / 4 = 0.625;  h: medians 24 vs 60 → 36 / 60 = 0.6;  b: 0
    assert [g.question.key for g in gaps] == ["c", "a", "h", "b", "only", "t"]
    assert [g.gap for g in gaps[:4]] == [pytest.approx(2 / 3), 0.625, 0.6, 0.0]
    by_key = {g.question.key: g for g in gaps}
    assert (by_key["a"].marketing.median, by_key["a"].sales.median) == (2, 4.5)
    assert by_key["a"].marketing.distribution == {"1": 1, "2": 1, "3": 0, "4": 0, "5": 1}
    assert by_key["h"].summary == "median 24 h vs 60 h"
    assert by_key["c"].summary == "most said “X” vs “Y”"
    assert by_key["c"].sales.distribution == {"X": 0, "Y": 1, "Z": 1}
    assert (by_key["only"].gap, by_key["only"].reason) == (None, "only marketing has answered")
    assert by_key["t"].reason == "written answers: read them side by side"
    assert by_key["t"].sales.answers == ("طلب عرض",)


def test_a_question_nobody_answered_has_no_gap_and_says_so() -> None:
    gap = question_gaps(QUESTIONS[:1], [])[0]
    assert (gap.gap, gap.reason, gap.summary) == (None, "nobody has answered yet",
                                                  "median — vs —")


def test_radar_means_each_sides_medians_per_area_in_question_order() -> None:
    scores = area_scores(QUESTIONS, question_gaps(QUESTIONS, FIXTURE))
    # Focus: marketing (2 + 3) / 2, sales (4.5 + 3) / 2; Trust: only marketing answered
    assert [(s.area, s.marketing, s.sales) for s in scores] == [
        ("Focus", 2.5, 3.75), ("Trust", 5.0, None)]


@pytest.mark.parametrize(("question", "typed", "stored"), [
    (QUESTIONS[0], " 4 ", "4"), (QUESTIONS[0], "4.0", "4"), (QUESTIONS[1], "24,5", "24.5"),
    (QUESTIONS[1], "1,200", "1200"), (QUESTIONS[1], "", None), (QUESTIONS[2], "y", "Y"),
    (QUESTIONS[5], " <b>Fit</b> 适合 ", "<b>Fit</b> 适合"),
    (Question("p", "M", QuestionKind.NUMBER, "%?", unit="%", low=0, high=100), "40 %", "40"),
])
def test_answers_as_people_type_them(question: Question, typed: str,
                                     stored: str | None) -> None:
    assert question.parse(typed) == stored


@pytest.mark.parametrize(("question", "typed", "message"), [
    (QUESTIONS[0], "6", "expected a whole number from 1 to 5, not “6”"),
    (QUESTIONS[0], "3.5", "expected a whole number from 1 to 5, not “3.5”"),
    (QUESTIONS[1], "soon", "expected a number from 0 to 8760, not “soon”"),
    (QUESTIONS[1], "-1", "expected a number from 0 to 8760, not “-1”"),
    (QUESTIONS[2], "W", "expected one of “X”, “Y”, “Z”, not “W”"),
])
def test_values_a_question_cannot_take(question: Question, typed: str, message: str) -> None:
    with pytest.raises(BadAnswer) as caught:
        question.parse(typed)
    assert str(caught.value) == message
