"""The forward check: how a quarter stands against its revenue goal, judged by where the
quarter is in time.

- An ended quarter is judged on what it won. The pipeline open at its end is not part of
  the result: it is shown as what carries into the next quarter.
- The current quarter is on track for what it has won so far plus the open pipeline now,
  each open lead weighted by its stage's probability.
- A quarter that has not started gets no verdict.

The numbers come from lead-level data (imported leads with stage dates, amounts, won and
lost dates) when the workbook has leads, else from the quarter's actuals per stage; the
check says which (see `pipeline_rows` for how each counts). `today` is a parameter so a
verdict can be reproduced. The Plan screen, the dashboard's key figure and chart, and the
quarterly review all show this one object.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from ..chartdata import Status
from ..figure_text import format_money, format_percent
from ..model import Plan, Quarter, QuarterId, StageId
from .lead_pipeline import TimelinePending, lead_timeline
from .pipeline_rows import SOURCED_BY as SOURCED_BY
from .pipeline_rows import (
    UNCLASSIFIED,
    StageCell,
    actual_rows,
    actual_won,
    lead_rows,
    lead_won,
    unweighted_reason,
)
from .pipeline_rows import PipelineStage as PipelineStage
from .pipeline_rows import pipeline_stages as pipeline_stages
from .reverse import day_text

if TYPE_CHECKING:
    from ..workbook import Workbook

ON_TRACK_WARN = 0.9  # within 10 % of the goal is "close", below is "behind"
NO_GOAL = "there is no revenue goal to compare with (no committed plan with a goal)"


class Phase(StrEnum):
    """Where a quarter is in time, seen from today."""

    ENDED = "ended"
    CURRENT = "current"
    FUTURE = "future"


class Basis(StrEnum):
    """What the forward check was counted from."""

    LEADS = "leads"
    ACTUALS = "actuals"
    NONE = "none"
    PENDING = "pending"  # the leads are still being read, off the GUI thread


PENDING_REASON = "still being worked out from the imported leads"


@dataclass(frozen=True)
class ForwardCheck:
    """Where the quarter stands against its goal, and how that was worked out."""

    quarter: str
    currency: str
    goal: float | None
    won_count: int
    won_value: float
    won_arithmetic: str
    stages: tuple[PipelineStage, ...]  # open pipeline (ended: what carries over)
    status: Status
    summary: str
    phase: Phase = Phase.CURRENT
    basis: Basis = Basis.ACTUALS
    basis_note: str = ""  # which data the numbers come from
    pipeline_note: str = ""  # what the pipeline rows are
    next_quarter: str = ""
    as_of: str = ""  # the day the open pipeline is counted on (ISO): today, or the last day
    source: str | None = None  # one lead source only, or None for all of them

    @property
    def pending(self) -> bool:
        """Whether the figures are still being worked out (each reads "—" until then)."""
        return self.basis is Basis.PENDING

    @property
    def open_value(self) -> float | None:
        """What the open pipeline is worth before weighting (each open lead its amount,
        else the plan's deal size); None while some open lead's value is not known."""
        values = [s.open_value for s in self.stages]
        return None if None in values else sum(v or 0.0 for v in values)

    @property
    def open_leads(self) -> int:
        return sum(s.open for s in self.stages)

    @property
    def counted_when(self) -> str:
        """When the open pipeline is counted, in words: "at the quarter's end (30 Sep
        2026)", or "as of 6 Dec 2026" while the quarter runs; "" before it starts."""
        if not self.as_of:
            return ""
        day = day_text(date.fromisoformat(self.as_of))
        return f"at the quarter's end ({day})" if self.phase is Phase.ENDED else f"as of {day}"

    @property
    def counted_from(self) -> str:
        """Which data the figures come from, in words (leads, else the actuals)."""
        if self.basis is Basis.LEADS:
            return "from the imported leads"
        if self.basis is Basis.ACTUALS:
            return f"from {self.quarter}'s quarterly actuals"
        return ""

    @property
    def weight_reason(self) -> str | None:
        """Why the weighted pipeline is not known (open leads in a stage that cannot be
        weighted), or None."""
        return PENDING_REASON if self.pending else unweighted_reason(self.stages)

    @property
    def weighted_pipeline(self) -> float | None:
        """The open pipeline weighted by stage; None when some open leads cannot be
        weighted (see `weight_reason`): never their weight taken as 0."""
        if self.weight_reason is not None:
            return None
        return sum(s.weighted or 0.0 for s in self.stages)

    @property
    def on_track_for(self) -> float | None:
        """The current quarter's projection: won so far plus the weighted open pipeline
        (None while that is not known); an ended quarter's result: what it won."""
        if self.pending:
            return None
        if self.phase is Phase.CURRENT:
            pipe = self.weighted_pipeline
            return None if pipe is None else self.won_value + pipe
        return self.won_value

    @property
    def share_of_goal(self) -> float | None:
        on_track = self.on_track_for
        if self.phase is Phase.FUTURE or not self.goal or on_track is None:
            return None
        return on_track / self.goal

    def pipeline_by(self, sourced_by: str) -> float:
        """Weighted pipeline sourced by marketing, sales, partner or other."""
        return sum(v for s in self.stages for who, v in s.weighted_by if who == sourced_by)

    @property
    def marketing_share(self) -> float | None:
        """Marketing-sourced share of the weighted pipeline (None when that is not known,
        or some of it comes from sources not classified yet)."""
        total = self.weighted_pipeline
        if total is None or total <= 0 or self.pipeline_by(UNCLASSIFIED) > 0:
            return None
        return self.pipeline_by("marketing") / total

    @property
    def stale_note(self) -> str:
        """A warning when open leads have outstayed their stage's agreed maximum time:
        unless they are closed as lost, they swell the pipeline."""
        stale, open_leads = sum(s.stale for s in self.stages), sum(s.open for s in self.stages)
        if not stale:
            return ""
        return (f"{stale:,} of these {open_leads:,} open leads have sat in their stage longer "
                "than its agreed maximum time: unless they are closed as lost, they swell the "
                "pipeline.")

    @property
    def weighting_note(self) -> str:
        """How an open lead is valued and weighted, for the counting used."""
        if self.phase is Phase.FUTURE or self.basis is Basis.NONE:
            return ""
        worth = ("its own amount, else the plan's deal size" if self.basis is Basis.LEADS else
                 "the stage's average value in the actuals, else the plan's deal size")
        return (f"Each open lead is worth {worth}, weighted by its stage's probability (where "
                "none is set, the plan's conversion rates down to the last stage). Only "
                "sales-owned stages count as pipeline.")

    @property
    def headline(self) -> tuple[str, str, str]:
        """The key figure in three lines: title, value, detail."""
        money, goal = self.currency, self.goal
        of_goal = (f"{format_percent(self.share_of_goal)} of the {format_money(goal, money)} "
                   "goal" if goal else "no revenue goal")
        if self.phase is Phase.FUTURE:
            return "On track for", "—", self.summary.split(":", 1)[0]
        if self.pending:
            title = f"Won in {self.quarter} (ended)" if self.phase is Phase.ENDED \
                else "On track for"
            return title, "—", PENDING_REASON
        if self.phase is Phase.CURRENT and self.on_track_for is None:
            return "On track for", "—", f"not known: {self.weight_reason}"
        if self.phase is Phase.ENDED:
            verdict = "" if not goal else (" — goal reached" if self.won_value >= goal
                                           else " — behind")
            return f"Won in {self.quarter} (ended)", format_money(self.won_value, money), \
                of_goal + verdict
        return "On track for", format_money(self.on_track_for, money), of_goal


def quarter_phase(quarter: Quarter, today: date) -> Phase:
    """Whether the quarter has ended, is under way or is still to come on `today`."""
    if today < date.fromisoformat(quarter.start_date):
        return Phase.FUTURE
    if today >= date.fromisoformat(quarter.end_date):  # the end date is exclusive
        return Phase.ENDED
    return Phase.CURRENT


def next_quarter_label(label: str) -> str:
    """"2026Q3" → "2026Q4", "2026Q4" → "2027Q1"; anything else → "the next quarter"."""
    try:
        year, number = int(label[:4]), int(label[5:])
    except ValueError:
        return "the next quarter"
    return f"{year + 1}Q1" if number == 4 else f"{year}Q{number + 1}"


def forward_check(workbook: Workbook, quarter_id: QuarterId, plan: Plan | None = None, *,
                  today: date | None = None, source: str | None = None) -> ForwardCheck:
    """The forward check of a quarter against its committed plan (or `plan`) on `today`
    (by default the real date), of every lead or of one `source`'s. The one definition of
    the open and weighted pipeline: the Closed-loop tab, the dashboard, the Plan screen
    and the QBR all read it here."""
    today = today or date.today()
    quarter = workbook.plan.quarter(quarter_id)
    plan = plan or workbook.plan.committed_plan(quarter_id)
    conversions = workbook.plan.conversions(plan.id) if plan else {}
    stages = workbook.funnel.stages()
    currency = workbook.properties().currency
    phase = quarter_phase(quarter, today)
    goal = plan.revenue_goal if plan else None
    start = ForwardCheck(quarter.label, currency, goal, 0, 0.0, "—", (), Status.NONE, "",
                         phase, Basis.NONE, next_quarter=next_quarter_label(quarter.label),
                         source=source)
    if len(stages) < 2:
        return _with(start, summary="The funnel needs at least two stages for a forward check.")
    if phase is Phase.FUTURE:
        return _future(start, quarter)
    moment = quarter.end_date if phase is Phase.ENDED else (today + timedelta(days=1)).isoformat()
    as_of = date.fromisoformat(moment) - timedelta(days=1)
    check = _counted(workbook, _with(start, as_of=as_of.isoformat()), quarter, plan,
                     conversions, moment)
    return check if check.pending else _judged(check, quarter, today)


def _counted(workbook: Workbook, check: ForwardCheck, quarter: Quarter, plan: Plan | None,
             conversions: dict[StageId, float], moment: str) -> ForwardCheck:
    """Won and open pipeline up to `moment`, from the leads or else from the actuals."""
    stages, currency, source = workbook.funnel.stages(), check.currency, check.source
    timeline = lead_timeline(workbook, stages, pipeline_stages(stages))
    if isinstance(timeline, TimelinePending):
        return _with(check, basis=Basis.PENDING, won_arithmetic="",
                     basis_note="From lead-level data, being read now (off screen); the "
                                "figures appear when it is done.",
                     summary=f"{check.quarter}: working out the won deals and the open "
                             "pipeline from the imported leads…")
    if timeline is not None:
        sourced_by = dict(workbook.db.conn.execute("SELECT name, sourced_by FROM sources"))
        open_now = {k: v for k, v in timeline.open_at(moment).items() if source in (None, k[1])}
        stale = {k: v for k, v in timeline.stale_at(moment).items() if source in (None, k[1])}
        rows = lead_rows(stages, open_now, stale, sourced_by, plan, conversions, currency)
        won_by = timeline.won_between(quarter.start_date, min(moment, quarter.end_date))
        won = lead_won({k: v for k, v in won_by.items() if source in (None, k)}, plan, currency)
        return _with(check, basis=Basis.LEADS, stages=rows, won_count=won.count,
                     won_value=won.value, won_arithmetic=won.arithmetic,
                     basis_note=f"From lead-level data: {timeline.leads:,} imported leads "
                                "(stage dates, amounts, won and lost dates).")
    cells = stage_cells(workbook, quarter.id, source)
    won = actual_won(stages, cells, plan, currency)
    return _with(check, basis=Basis.ACTUALS,
                 stages=actual_rows(stages, cells, plan, conversions, currency),
                 won_count=won.count, won_value=won.value, won_arithmetic=won.arithmetic,
                 basis_note=f"From {quarter.label}'s actuals per stage: the workbook has no "
                            "imported leads.")


def _with(check: ForwardCheck, **changes: object) -> ForwardCheck:
    return replace(check, **changes)  # type: ignore[arg-type]


def _future(check: ForwardCheck, quarter: Quarter) -> ForwardCheck:
    summary = f"{quarter.label} starts on {day_text(date.fromisoformat(quarter.start_date))}: " \
              "no verdict before it starts."
    if check.goal:
        summary += f" Its goal: {format_money(check.goal, check.currency)}."
    return _with(check, summary=summary, won_arithmetic="",
                 pipeline_note="The forward check starts counting when the quarter does.")


def _status(share: float) -> Status:
    return Status.GOOD if share >= 1 else Status.WARN if share >= ON_TRACK_WARN else Status.BAD


def _judged(check: ForwardCheck, quarter: Quarter, today: date) -> ForwardCheck:
    def money(value: float | None) -> str:
        return format_money(value, check.currency)

    q, goal, won, pipe = check.quarter, check.goal, check.won_value, check.weighted_pipeline
    if check.phase is Phase.ENDED:
        last = date.fromisoformat(quarter.end_date) - timedelta(days=1)
        carries = (f"Not part of the result: the pipeline open when {q} ended "
                   f"({day_text(last)}), {money(pipe)} weighted, carries into "
                   f"{check.next_quarter}.")
        if not goal:
            return _with(check, summary=f"{q} ended: {money(won)} won; {NO_GOAL}.",
                         pipeline_note=carries)
        verdict = "goal reached" if won >= goal else f"behind by {money(goal - won)}"
        return _with(check, status=_status(won / goal), pipeline_note=carries,
                     summary=f"{q} ended: {money(won)} won of the {money(goal)} goal "
                             f"({format_percent(won / goal)}) — {verdict}.")
    so_far = f"{money(won)} won so far + {money(pipe)} weighted open pipeline"
    if check.phase is Phase.CURRENT and pipe is None:
        return _with(check, pipeline_note=check.weight_reason or "",
                     summary=f"{q}: {money(won)} won so far; whether it is on track is not "
                             f"known — the weighted open pipeline cannot be worked out: "
                             f"{check.weight_reason}")
    open_now = (f"Open pipeline as of {day_text(today)}: leads sitting in a sales-owned stage "
                "(reached it, not moved on, neither won nor lost), whenever they entered it."
                if check.basis is Basis.LEADS else
                f"Open pipeline: reached the stage in {q} but not yet the next one (the "
                "actuals cannot tell where older leads stand).")
    on_track = check.on_track_for
    assert on_track is not None
    if not goal:
        return _with(check, pipeline_note=open_now,
                     summary=f"{q} is on track for {money(on_track)} ({so_far}); {NO_GOAL}.")
    share = on_track / goal
    summary = (f"{q} is {'on track' if share >= 1 else 'behind'}: {money(on_track)} of the "
               f"{money(goal)} goal ({format_percent(share)}) — {so_far}.")
    if share < 1:
        summary += f" Gap: {money(goal - on_track)}."
    return _with(check, status=_status(share), summary=summary, pipeline_note=open_now)


def stage_cells(workbook: Workbook, quarter_id: QuarterId,
                source: str | None = None) -> dict[StageId, StageCell]:
    """A quarter's actuals per stage (of one source, or all), with counts split by who
    sourced them."""
    rows = workbook.db.conn.execute(
        "SELECT a.stage_id, coalesce(s.sourced_by, 'other'), sum(a.count), sum(a.value) "
        "FROM actuals a LEFT JOIN sources s ON s.name = a.source WHERE a.quarter_id = ? "
        "AND (? IS NULL OR a.source = ?) GROUP BY a.stage_id, 2",
        (quarter_id, source, source)).fetchall()
    counts: dict[StageId, dict[str, int]] = {}
    values: dict[StageId, float] = {}
    for stage_id, who, count, value in rows:
        who = who if who in SOURCED_BY else "other"
        by = counts.setdefault(StageId(stage_id), {})
        by[who] = by.get(who, 0) + int(count)
        values[StageId(stage_id)] = values.get(StageId(stage_id), 0.0) + float(value)
    return {sid: StageCell(sum(by.values()), values[sid], by) for sid, by in counts.items()}
