"""The dashboard of one quarter as chart data: plan vs actual per stage, SLA compliance,
weighted pipeline vs goal, volume and conversion trends, source mix, and key figures.

The screen draws these objects with pyqtgraph and the PDF reports with reportlab, so both
show the same numbers; tests assert on them instead of pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..chartdata import (
    BarChart,
    Chart,
    Kpi,
    LineChart,
    ReferenceLine,
    Series,
    Status,
    series_colour,
)
from ..closed_loop import FollowUp, marketing_share
from ..figure_text import format_count, format_duration, format_money, format_percent
from ..model import QuarterId, Stage, StageId
from .forward import SOURCED_BY, ForwardCheck, Phase, forward_check
from .pipeline_rows import UNCLASSIFIED, weighted_by_who
from .quarterly import (
    FollowUpPending,
    FollowUpSource,
    QuarterFacts,
    follow_up_or_none,
    quarter_facts,
    quarter_window,
    source_counts,
)
from .reverse import mql_stage

if TYPE_CHECKING:
    from ..workbook import Workbook

# Share of MQLs followed up in time that counts as good (and, below it, as close).
FOLLOW_UP_GOOD = 0.95
FOLLOW_UP_CLOSE = 0.80
# Where a figure comes from, where two sources could give it.
ACTUALS_BASIS = "from the quarterly actuals"
LEADS_BASIS = "in the imported leads"
WHO_COLOUR = {"marketing": "owner:marketing", "sales": "owner:sales", "partner": "series:3",
              "other": "muted", UNCLASSIFIED: "warn"}


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows for one quarter."""

    quarter_id: QuarterId
    quarter: str
    plan_vs_actual: BarChart
    sla_compliance: BarChart
    pipeline_vs_goal: BarChart
    volume_trend: LineChart
    conversion_trend: LineChart
    source_mix: BarChart
    kpis: tuple[Kpi, ...]

    @property
    def charts(self) -> tuple[Chart, ...]:
        """The charts in reading order (left to right, top to bottom)."""
        return (self.plan_vs_actual, self.sla_compliance, self.pipeline_vs_goal,
                self.volume_trend, self.conversion_trend, self.source_mix)

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)


def short_name(stage: Stage) -> str:
    """A stage name short enough for a legend: "Marketing Qualified Lead" → "MQL"."""
    words = stage.name.split()
    if len(words) >= 3 and all(w[0].isalpha() for w in words):
        return "".join(w[0].upper() for w in words)
    return stage.name


def _ratio_status(ratio: float | None, warn: float = 0.9) -> Status:
    if ratio is None:
        return Status.NONE
    return Status.GOOD if ratio >= 1 else Status.WARN if ratio >= warn else Status.BAD


def plan_vs_actual_chart(stages: Sequence[Stage], now: QuarterFacts) -> BarChart:
    """Each stage's actual volume as a share of the committed plan's, coloured by whether it
    reached the plan."""
    label = now.quarter.label
    title = f"Actual vs plan per stage, {label}"
    names = tuple(s.name for s in stages)
    reason = None
    if now.plan is None:
        reason = f"No committed plan for {label}: commit one on the Plan screen."
    elif not now.actual:
        reason = f"No actuals for {label} yet."
    values: list[float | None] = []
    labels: list[str] = []
    for stage in stages:
        planned, actual = now.planned.get(stage.id), now.actual_of(stage.id)
        if planned:
            values.append(actual / planned * 100)
            labels.append(f"{stage.name}: {actual:,} of {planned:,} planned "
                          f"({format_percent(actual / planned)})")
        else:
            values.append(None)
            labels.append(f"{stage.name}: {actual:,}; the plan has no volume here")
    reached = tuple(v if v is not None and v >= 100 else None for v in values)
    short = tuple(v if v is not None and v < 100 else None for v in values)
    return BarChart(
        "plan_vs_actual", title, names,
        (Series("At or above plan", reached, "good", tuple(labels)),
         Series("Below plan", short, "bad", tuple(labels))),
        value_axis="% of plan", stacked=True, horizontal=True,
        reference=ReferenceLine(100, "Plan"), empty_reason=reason,
        note="Volume that reached each stage this quarter, as a share of the committed plan.")


def sla_chart(facts: Sequence[QuarterFacts], mql: Stage | None) -> BarChart:
    """Per quarter: MQLs delivered as a share of the commitment, and the share of MQLs
    followed up within the agreed hours."""
    labels = tuple(f.quarter.label for f in facts)
    if mql is None:
        return BarChart("sla_compliance", "SLA compliance", labels, (), empty_reason=(
            "No MQL stage: give the marketing-qualified stage the key “mql”."))
    hours = mql.max_hours
    delivered: list[float | None] = []
    delivered_text: list[str] = []
    followed: list[float | None] = []
    followed_text: list[str] = []
    for f in facts:
        committed, actual = f.planned.get(mql.id), f.actual_of(mql.id)
        q = f.quarter.label
        delivered.append(actual / committed * 100 if committed else None)
        delivered_text.append(
            f"{q}: {actual:,} MQLs delivered of {committed:,} committed "
            f"({format_percent(actual / committed)}), {ACTUALS_BASIS}" if committed
            else f"{q}: {actual:,} MQLs delivered, {ACTUALS_BASIS}; no committed plan")
        share, text = _follow_up_text(f, hours)
        followed.append(None if share is None else share * 100)
        followed_text.append(text)
    within = f"within {format_duration(hours)}" if hours is not None else "in time"
    note = ("MQLs delivered vs the committed plan (quarterly actuals); MQLs first touched "
            "within the agreed time (imported leads).")
    if hours is None:
        note = "The MQL stage has no maximum time, so follow-up has no agreed hours."
    elif any(isinstance(f.follow_up, FollowUpPending) for f in facts):
        note = f"Working out follow-up {within} from the leads…"
    elif all(f.follow_up is None for f in facts):
        note = (f"Follow-up {within}: not derived yet (needs imported leads with "
                "first-touch times).")
    return BarChart(
        "sla_compliance", "SLA compliance", labels,
        (Series("MQLs delivered (% of commitment)", tuple(delivered), "actual",
                tuple(delivered_text)),
         Series(f"Followed up {within} (% of MQLs)", tuple(followed), "owner:sales",
                tuple(followed_text))),
        value_axis="%", reference=ReferenceLine(100, "Commitment"), highlight=len(facts) - 1,
        note=note)


def _follow_up_text(f: QuarterFacts, hours: float | None) -> tuple[float | None, str]:
    q = f.quarter.label
    if hours is None:
        return None, f"{q}: no agreed follow-up time"
    if f.follow_up is None:
        return None, f"{q}: follow-up not derived yet"
    if isinstance(f.follow_up, FollowUpPending):
        return None, f"{q}: follow-up being worked out…"
    loop = f.follow_up
    share = loop.share_within
    if share is None:
        return None, f"{q}: no MQLs to follow up"
    median = _median_text(loop)
    return share, (f"{q}: {loop.within:,} of {loop.mqls:,} MQLs {LEADS_BASIS} followed up "
                   f"within {format_duration(hours)} ({format_percent(share)}){median}")


def pipeline_chart(check: ForwardCheck) -> BarChart:
    """The goal beside where the quarter stands, as the forward check judges it: the
    current quarter's won plus weighted pipeline stacked by who sourced it; an ended
    quarter's won, with the pipeline that carries into the next quarter apart; a quarter
    still to come shows only its goal."""
    money, goal, q = check.currency, check.goal, check.quarter
    if check.phase is Phase.FUTURE:
        categories: tuple[str, ...] = ("Goal",)
        title = f"Goal, {q} (not started)"
    elif check.phase is Phase.ENDED:
        categories = ("Goal", "Won", f"Carries into {check.next_quarter}")
        title = f"Won vs goal, {q} (ended)"
    else:
        categories = ("Goal", "On track for")
        title = f"Weighted pipeline vs goal, {q}"
    width = len(categories)
    series = [_in_column("Goal", "plan", width, 0, goal, f"Goal: {format_money(goal, money)}")]
    if width > 1:
        series.append(_in_column("Won", "good", width, 1,
                                 None if check.pending else check.won_value,
                                 f"Won: {check.won_arithmetic}"))
        series += _pipeline_series(check, width, width - 1)
    reason = None
    if not goal and not any(v for s in series for v in s.values if v):
        reason = f"No goal and no pipeline for {q}."
    note = check.summary if check.phase is not Phase.ENDED else \
        f"{check.summary} {check.pipeline_note}"
    unknown = check.weight_reason
    if unknown and check.phase is not Phase.FUTURE:
        note = f"Weighted pipeline not known: {unknown} {note}"
    return BarChart(
        "pipeline_vs_goal", title, categories, tuple(series), value_axis=money, stacked=True,
        reference=ReferenceLine(goal, "Goal") if goal else None, empty_reason=reason,
        note=note)


def _in_column(name: str, colour: str, width: int, index: int, value: float | None,
               text: str) -> Series:
    """A series with one value, in the `index`-th of `width` columns."""
    values: list[float | None] = [None] * width
    labels = [""] * width
    values[index], labels[index] = value, text
    return Series(name, tuple(values), colour, tuple(labels))


def _pipeline_series(check: ForwardCheck, width: int, index: int) -> list[Series]:
    """The weighted pipeline by who sourced it, in the chart's `index`-th column."""
    total, money = check.weighted_pipeline, check.currency
    if total is None or total <= 0:
        return []  # not known (the tiles say why) or nothing open
    what = ("Weighted pipeline" if check.phase is Phase.CURRENT else
            f"Weighted pipeline carried into {check.next_quarter}")
    return [_in_column(f"Pipeline sourced by {who}", WHO_COLOUR[who], width, index, value,
                       f"{what} sourced by {who}: {format_money(value, money)} "
                       f"({format_percent(value / total)})")
            for who in (*SOURCED_BY, UNCLASSIFIED) if (value := check.pipeline_by(who)) > 0]


def volume_trend_chart(stages: Sequence[Stage], facts: Sequence[QuarterFacts]) -> LineChart:
    """Each stage's actual volume per quarter, on a logarithmic axis (visits and customers
    differ by orders of magnitude)."""
    labels = tuple(f.quarter.label for f in facts)
    series = []
    for index, stage in enumerate(stages):
        values = tuple(float(f.actual_of(stage.id)) or None for f in facts)
        texts = []
        for f in facts:
            planned = f.planned.get(stage.id)
            plan_text = f" (plan {planned:,})" if planned is not None else ""
            texts.append(f"{f.quarter.label} {stage.name}: {f.actual_of(stage.id):,}{plan_text}")
        series.append(Series(short_name(stage), values, series_colour(index), tuple(texts)))
    reason = None if any(f.actual for f in facts) else "No actuals in these quarters yet."
    return LineChart("volume_trend", "Volume per stage", labels, tuple(series),
                     value_axis="count (log scale)", log_y=True, highlight=len(facts) - 1,
                     empty_reason=reason)


def conversion_trend_chart(stages: Sequence[Stage], facts: Sequence[QuarterFacts]) -> LineChart:
    """Each stage's conversion to the next per quarter: reached next ÷ reached this."""
    labels = tuple(f.quarter.label for f in facts)
    series = []
    for index, (upper, lower) in enumerate(zip(stages[:-1], stages[1:], strict=True)):
        values: list[float | None] = []
        texts = []
        for f in facts:
            above, below = f.actual_of(upper.id), f.actual_of(lower.id)
            rate = below / above if above else None
            values.append(None if rate is None else rate * 100)
            planned = f.planned_rates.get(upper.id)
            plan_text = f" (plan {format_percent(planned)})" if planned is not None else ""
            texts.append(f"{f.quarter.label} {short_name(upper)} → {short_name(lower)}: "
                         f"{below:,} ÷ {above:,} = {format_percent(rate)}{plan_text}"
                         if rate is not None else
                         f"{f.quarter.label} {short_name(upper)} → {short_name(lower)}: "
                         f"no {upper.name} in actuals")
        series.append(Series(f"{short_name(upper)} → {short_name(lower)}", tuple(values),
                             series_colour(index), tuple(texts)))
    reason = None if any(f.actual for f in facts) else "No actuals in these quarters yet."
    return LineChart("conversion_trend", "Conversion to the next stage", labels, tuple(series),
                     value_axis="%", highlight=len(facts) - 1, empty_reason=reason)


def source_mix_chart(stages: Sequence[Stage], sources: Sequence[str],
                     counts: dict[tuple[StageId, str], int], quarter: str) -> BarChart:
    """Each stage's volume split by source, as shares adding up to 100 %."""
    totals = {s.id: sum(n for (sid, _), n in counts.items() if sid == s.id) for s in stages}
    shown = [s for s in stages if totals[s.id]]
    series = []
    for index, source in enumerate(sources):
        if not any(counts.get((s.id, source)) for s in shown):
            continue
        values, texts = [], []
        for stage in shown:
            n = counts.get((stage.id, source), 0)
            values.append(n / totals[stage.id] * 100 if n else None)
            texts.append(f"{source or '(no source)'}: {n:,} of {totals[stage.id]:,} "
                         f"{stage.name} ({format_percent(n / totals[stage.id])})")
        series.append(Series(source or "(no source)", tuple(values), series_colour(index),
                             tuple(texts)))
    return BarChart(
        "source_mix", f"Source mix per stage, {quarter}", tuple(s.name for s in shown),
        tuple(series), value_axis="% of the stage's volume", stacked=True, horizontal=True,
        empty_reason=None if shown else f"No actuals for {quarter} yet.")


def _kpis(now: QuarterFacts, mql: Stage | None, check: ForwardCheck,
          stages: Sequence[Stage]) -> tuple[Kpi, ...]:
    kpis = []
    if mql is not None:
        committed, actual = now.planned.get(mql.id), now.actual_of(mql.id)
        ratio = actual / committed if committed else None
        loop = now.follow_up
        kpis.append(Kpi("mql_delivery", "MQLs delivered",
                        f"{actual:,} of {format_count(committed)}" if committed else f"{actual:,}",
                        (f"{format_percent(ratio)} of the commitment" if committed
                         else "no committed plan") + f"; {ACTUALS_BASIS}"
                        + _other_count(actual, loop), _ratio_status(ratio)))
        share, text = _follow_up_text(now, mql.max_hours)
        status = Status.NONE if share is None else _ratio_status(share / FOLLOW_UP_GOOD,
                                                            FOLLOW_UP_CLOSE / FOLLOW_UP_GOOD)
        if share is not None and isinstance(loop, FollowUp):
            median = _median_text(loop)
            detail = f"{loop.within:,} of {loop.mqls:,} MQLs {LEADS_BASIS}{median}"
        else:
            detail = text.split(": ", 1)[1]
        kpis.append(Kpi("follow_up", f"Followed up within {format_duration(mql.max_hours)}"
                        if mql.max_hours is not None else "Followed up in time",
                        format_percent(share), detail, status))
    customers = stages[-1]
    planned, won = now.planned.get(customers.id), now.actual_of(customers.id)
    kpis.append(Kpi("customers", "Won this quarter",
                    f"{won:,} of {planned:,}" if planned else f"{won:,}",
                    f"{customers.name}: {format_percent(won / planned)} of plan" if planned
                    else f"{customers.name}: no plan volume",
                    _ratio_status(won / planned if planned else None)))
    kpis.append(_on_track_kpi(check))
    kpis.append(_marketing_kpi(check))
    return tuple(kpis)


def _median_text(loop: FollowUp) -> str:
    """"; median 13.1 h" (nothing when no MQL was touched)."""
    return "" if loop.median_hours is None else f"; median {format_duration(loop.median_hours)}"


def _other_count(actual: int, loop: FollowUp | FollowUpPending | None) -> str:
    """Where the imported leads count a different number of MQLs than the actuals, say so:
    follow-up (from the leads) sits beside this figure."""
    if not isinstance(loop, FollowUp) or loop.mqls == actual:
        return ""
    return f" (the imported leads hold {loop.mqls:,})"


def _on_track_kpi(check: ForwardCheck) -> Kpi:
    """The forward check's headline; "—" with the reason while the pipeline it adds in
    cannot be weighted."""
    title, value, detail = check.headline
    unknown = check.weight_reason
    if unknown and check.phase is Phase.CURRENT:
        return Kpi("on_track", title, "—", f"weighted pipeline not known: {unknown}")
    return Kpi("on_track", title, value, detail, check.status)


def _marketing_kpi(check: ForwardCheck) -> Kpi:
    """Marketing's share of the weighted pipeline (`closed_loop.marketing_share`)."""
    title = "Marketing-sourced pipeline"
    unknown = check.weight_reason
    if unknown and check.phase is not Phase.FUTURE:
        return Kpi("marketing_share", title, "—", f"weighted pipeline not known: {unknown}")
    what = (f"the pipeline carried into {check.next_quarter}" if check.phase is Phase.ENDED
            else "the weighted pipeline")
    share = marketing_share(weighted_by_who(check.stages), what)
    if share.value is None:
        return Kpi("marketing_share", title, "—", share.reason or "")
    return Kpi("marketing_share", title, format_percent(share.value), f"share of {what}")


def dashboard_charts(workbook: Workbook, quarter_id: QuarterId, *,
                     follow_ups: FollowUpSource | None = None,
                     today: date | None = None) -> DashboardData:
    """The dashboard of a quarter on `today` (by default the real date). `follow_ups`
    answers MQL follow-up per quarter (a screen passes a cached one); by default the
    closed-loop numbers are read directly."""
    stages = workbook.funnel.stages()
    quarter = workbook.plan.quarter(quarter_id)
    window = quarter_window(workbook.plan.quarters(), quarter_id)
    mql = mql_stage(stages)
    facts = quarter_facts(workbook, window, stages, mql.max_hours if mql else None,
                          follow_ups or follow_up_or_none(workbook))
    now = facts[-1]
    check = forward_check(workbook, quarter_id, now.plan, today=today)
    sources, counts = source_counts(workbook, quarter_id)
    if len(stages) < 2:
        empty = "The funnel needs at least two stages."
        bar = BarChart("empty", "", (), (), empty_reason=empty)
        line = LineChart("empty", "", (), (), empty_reason=empty)
        return DashboardData(quarter_id, quarter.label, bar, bar, bar, line, line, bar, ())
    return DashboardData(
        quarter_id, quarter.label, plan_vs_actual_chart(stages, now), sla_chart(facts, mql),
        pipeline_chart(check), volume_trend_chart(stages, facts),
        conversion_trend_chart(stages, facts),
        source_mix_chart(stages, sources, counts, quarter.label),
        _kpis(now, mql, check, stages),
    )
