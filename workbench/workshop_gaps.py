"""Where marketing and sales answer the diagnostic differently: per question each side's
answers, distribution and median, the gap between them (0 none .. 1 as far apart as the
question allows), largest first; and per root-cause area each side's mean agreement for
the radar. Plain functions of the questions and answers."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Team
from .workshop_questions import SCALE, Question, QuestionKind, number_text


@dataclass(frozen=True)
class Answer:
    """One participant's answer to one question, as stored."""

    participant_id: int
    team: Team
    question_key: str
    answer: str


@dataclass(frozen=True)
class SideView:
    """One side's answers to a question."""

    answers: tuple[str, ...]
    distribution: dict[str, int]  # for a scale or a choice: each value's count, in order
    median: float | None  # scale and number questions

    @property
    def count(self) -> int:
        return len(self.answers)

    @property
    def most_said(self) -> str | None:
        """A choice question's commonest answer (the first listed on a tie)."""
        best = max(self.distribution.values(), default=0)
        return next((v for v, n in self.distribution.items() if n == best and n), None)


@dataclass(frozen=True)
class QuestionGap:
    """A question with both sides' answers and how far apart they are."""

    question: Question
    marketing: SideView
    sales: SideView
    gap: float | None  # None with `reason`
    reason: str | None

    def side(self, team: Team) -> SideView:
        return self.marketing if team is Team.MARKETING else self.sales

    @property
    def summary(self) -> str:
        """Both sides in a phrase: "median 24 h vs 72 h", "most said “This month” vs …"."""
        q, m, s = self.question, self.marketing, self.sales
        if q.kind is QuestionKind.CHOICE:
            return f"most said “{m.most_said or '—'}” vs “{s.most_said or '—'}”"
        if q.kind is QuestionKind.TEXT:
            return f"{m.count} vs {s.count} written answers"
        unit = f" {q.unit}" if q.unit else ""
        return (f"median {number_text(m.median)}{unit if m.median is not None else ''} vs "
                f"{number_text(s.median)}{unit if s.median is not None else ''}")


@dataclass(frozen=True)
class AreaScore:
    """A root-cause area's mean agreement (1–5) per side over its scale questions."""

    area: str
    marketing: float | None
    sales: float | None


def _side(question: Question, answers: Sequence[str]) -> SideView:
    values = tuple(answers)
    if question.kind is QuestionKind.SCALE:
        order = [str(v) for v in range(SCALE[0], SCALE[1] + 1)]
    elif question.kind is QuestionKind.CHOICE:
        order = list(question.choices)
    else:
        order = []
    counts = Counter(values)
    distribution = {v: counts.get(v, 0) for v in order}
    numeric = question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER)
    median = statistics.median(float(v) for v in values) if numeric and values else None
    return SideView(values, distribution, median)


def gap_between(question: Question, marketing: SideView, sales: SideView) -> float | None:
    """0..1: scale — the medians' distance over the scale's span; number — their distance
    over the larger of the two; choice — the share of answers that would have to change
    for both sides to answer alike (total variation distance). None for text."""
    if question.kind is QuestionKind.CHOICE:
        return sum(abs(marketing.distribution[c] / marketing.count
                       - sales.distribution[c] / sales.count) for c in question.choices) / 2
    if marketing.median is None or sales.median is None:
        return None
    if question.kind is QuestionKind.SCALE:
        return abs(marketing.median - sales.median) / (SCALE[1] - SCALE[0])
    larger = max(abs(marketing.median), abs(sales.median))
    return abs(marketing.median - sales.median) / larger if larger else 0.0


def question_gaps(questions: Sequence[Question], answers: Sequence[Answer]) -> list[QuestionGap]:
    """Every question with both sides' answers, largest gap first (ties in question order);
    questions without a gap (one side has not answered, free text) last, in order."""
    by_key: dict[tuple[str, Team], list[str]] = {}
    for a in answers:
        by_key.setdefault((a.question_key, a.team), []).append(a.answer)
    result = []
    for q in questions:
        m = _side(q, by_key.get((q.key, Team.MARKETING), []))
        s = _side(q, by_key.get((q.key, Team.SALES), []))
        reason = None
        if q.kind is QuestionKind.TEXT:
            reason = "written answers: read them side by side"
        elif not m.count or not s.count:
            reason = ("nobody has answered yet" if not m.count and not s.count else
                      f"only {'sales' if not m.count else 'marketing'} has answered")
        gap = None if reason else gap_between(q, m, s)
        result.append(QuestionGap(q, m, s, gap, reason))
    position = {q.key: i for i, q in enumerate(questions)}
    return sorted(result, key=lambda g: (g.gap is None, -(g.gap or 0.0),
                                         position[g.question.key]))


def area_scores(questions: Sequence[Question], gaps: Sequence[QuestionGap]) -> list[AreaScore]:
    """Per root-cause area (in the order the questions first name them), each side's mean
    of its medians over the area's scale questions; None where a side answered none."""
    areas: dict[str, dict[Team, list[float]]] = {
        q.area: {Team.MARKETING: [], Team.SALES: []}
        for q in questions if q.kind is QuestionKind.SCALE}
    for g in gaps:
        if g.question.kind is QuestionKind.SCALE and g.question.area in areas:
            for team in Team:
                median = g.side(team).median
                if median is not None:
                    areas[g.question.area][team].append(median)
    return [AreaScore(area, statistics.mean(s[Team.MARKETING]) if s[Team.MARKETING] else None,
                      statistics.mean(s[Team.SALES]) if s[Team.SALES] else None)
            for area, s in areas.items()]
