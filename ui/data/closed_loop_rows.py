"""The closed-loop numbers of one quarter (and source) as the rows and key figures the tab
shows: every number as text, and "—" with the reason wherever one cannot be worked out.
Plain functions of the core's results, so what a user reads is tested without a window."""

from __future__ import annotations

from dataclasses import dataclass

from workbench import closed_loop
from workbench.chartdata import format_percent
from workbench.closed_loop import UNCLASSIFIED
from workbench.imports.stages import mql_stage
from workbench.model import QuarterId, Stage
from workbench.workbook import Workbook

DASH = "—"


@dataclass(frozen=True)
class Cell:
    """A table cell's text; `reason` says why it is "—" (or explains the number)."""

    text: str
    reason: str = ""

    @property
    def missing(self) -> bool:
        return self.text == DASH


@dataclass(frozen=True)
class Figure:
    """A key figure: title, value and a line of detail (the reason when "—")."""

    title: str
    value: str
    detail: str
    role: str = "ink"  # palette role of the value's colour


@dataclass(frozen=True)
class QuarterNumbers:
    """Everything the tab shows for one quarter and source."""

    figures: list[Figure]
    stages: list[list[Cell]]
    dispositions: list[list[Cell]]
    pipeline: list[list[Cell]]
    sourced: list[list[Cell]]
    customers: list[list[Cell]]


def hours_text(hours: float | None, reason: str) -> Cell:
    """12.5 → "12.5 h"; 130 → "5.4 days"; None → "—" with the reason."""
    if hours is None:
        return Cell(DASH, reason)
    if hours < 48:
        return Cell(f"{hours:.1f} h".replace(".0 h", " h"))
    return Cell(f"{hours / 24:.1f} days")


def money(amount: float, currency: str) -> str:
    text = f"{amount:,.0f}"
    return f"{text} {currency}" if currency else text


def share(part: float | None, reason: str) -> Cell:
    return Cell(DASH, reason) if part is None else Cell(format_percent(part))


def quarter_numbers(wb: Workbook, quarter_id: QuarterId, source: str | None) -> QuarterNumbers:
    """Work out every closed-loop number of the quarter (one source, or all)."""
    stages = wb.funnel.stages()
    currency = wb.properties().currency
    return QuarterNumbers(
        figures=_figures(wb, quarter_id, source, stages, currency),
        stages=_stage_rows(wb, quarter_id, source, stages, currency),
        dispositions=_disposition_rows(wb, quarter_id, source),
        pipeline=_pipeline_rows(wb, quarter_id, source, currency),
        sourced=_sourced_rows(wb, quarter_id, currency),
        customers=_customer_rows(wb, quarter_id, currency),
    )


def _stage_rows(wb: Workbook, quarter_id: QuarterId, source: str | None,
                stages: list[Stage], currency: str) -> list[list[Cell]]:
    volumes = closed_loop.stage_volumes(wb, quarter_id, source)
    times = {t.stage_id: t for t in closed_loop.time_in_stage(wb, quarter_id, source)}
    rows = []
    for index, (stage, volume) in enumerate(zip(stages, volumes, strict=True)):
        last = index == len(stages) - 1
        time = times[stage.id]
        why_time = ("the last stage: leads stay" if last else
                    "no lead that reached it in the quarter has moved on yet")
        rows.append([
            Cell(stage.name), Cell(f"{volume.reached:,}"), Cell(f"{volume.advanced:,}"),
            Cell(DASH, "the last stage: nothing comes after it") if last else
            share(volume.conversion, "no lead reached this stage in the quarter"),
            hours_text(time.median_hours, why_time), hours_text(time.p90_hours, why_time),
            Cell(money(volume.amount, currency)),
        ])
    return rows


def _figures(wb: Workbook, quarter_id: QuarterId, source: str | None, stages: list[Stage],
             currency: str) -> list[Figure]:
    return [*_follow_up_figures(wb, quarter_id, source, stages),
            _disposition_figure(wb, quarter_id, source),
            *_pipeline_figures(wb, quarter_id, source, currency)]


def _follow_up_figures(wb: Workbook, quarter_id: QuarterId, source: str | None,
                       stages: list[Stage]) -> list[Figure]:
    mql_id = mql_stage(wb)
    mql = next((s for s in stages if s.id == mql_id), None)
    hours = mql.max_hours if mql else None
    if hours is None:
        reason = ("the funnel has no MQL stage" if mql is None else
                  "the MQL stage has no agreed follow-up time (set its maximum time in the "
                  "Funnel area)")
        return [Figure("Followed up in time", DASH, reason, "muted"),
                Figure("Median follow-up", DASH, reason, "muted")]
    f = closed_loop.follow_up(wb, quarter_id, hours, source)
    if not f.mqls:
        reason = "no MQLs in this quarter"
        return [Figure(f"Followed up within {hours:g} h", DASH, reason, "muted"),
                Figure("Median follow-up", DASH, reason, "muted")]
    part = f.share_within or 0.0
    role = "good" if part >= 0.9 else "warn" if part >= 0.7 else "bad"
    median = hours_text(f.median_hours, "no MQL has been touched yet")
    return [Figure(f"Followed up within {hours:g} h", format_percent(part),
                   f"{f.within:,} of {f.mqls:,} MQLs (SLA: {hours:g} h)", role),
            Figure("Median follow-up", median.text,
                   median.reason or f"MQL → first touch; {f.touched:,} of {f.mqls:,} touched",
                   "muted" if median.missing else "ink")]


def _disposition_figure(wb: Workbook, quarter_id: QuarterId, source: str | None) -> Figure:
    d = closed_loop.dispositions(wb, quarter_id, source)
    if d.share_dispositioned is None:
        return Figure("MQLs dispositioned", DASH, "no MQLs in this quarter", "muted")
    return Figure("MQLs dispositioned", format_percent(d.share_dispositioned),
                  f"{d.dispositioned:,} of {d.mqls:,} MQLs have a disposition code")


def _pipeline_figures(wb: Workbook, quarter_id: QuarterId, source: str | None,
                      currency: str) -> list[Figure]:
    p = closed_loop.pipeline(wb, quarter_id, source)
    shares = closed_loop.sourced_shares(wb, quarter_id)
    weighted = Figure("Weighted pipeline", money(p.weighted, currency),
                      f"{p.deals:,} open deals worth {money(p.open_amount, currency)} at the "
                      "quarter's end × stage probability")
    pipe = share(shares.pipeline_share, "no open pipeline at the quarter's end")
    won = share(shares.won_share, "no revenue won in this quarter")
    return [weighted,
            Figure("Marketing-sourced pipeline", pipe.text, pipe.reason or
                   "share of open pipeline from sources marked marketing (all sources)",
                   "muted" if pipe.missing else "ink"),
            Figure("Marketing-sourced won revenue", won.text, won.reason or
                   "share of revenue won in the quarter (all sources)",
                   "muted" if won.missing else "ink")]


def _disposition_rows(wb: Workbook, quarter_id: QuarterId,
                      source: str | None) -> list[list[Cell]]:
    d = closed_loop.dispositions(wb, quarter_id, source)
    rows = [[Cell(code_label(code), code), Cell(f"{count:,}"),
             share(count / d.mqls if d.mqls else None, "no MQLs in this quarter")]
            for code, count in sorted(d.by_code.items(), key=lambda kv: -kv[1])]
    if d.mqls > d.dispositioned:
        missing = d.mqls - d.dispositioned
        rows.append([Cell("(no disposition yet)"), Cell(f"{missing:,}"),
                     share(missing / d.mqls, "")])
    return rows


def code_label(code: str) -> str:
    """A disposition code as words: "not_a_fit" → "Not a fit"."""
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "(blank)"


def _pipeline_rows(wb: Workbook, quarter_id: QuarterId, source: str | None,
                   currency: str) -> list[list[Cell]]:
    p = closed_loop.pipeline(wb, quarter_id, source)
    total = sum(p.by_source.values())
    return [[Cell(name or "(no source)"), Cell(money(amount, currency)),
             share(amount / total if total else None, "no open pipeline")]
            for name, amount in sorted(p.by_source.items(), key=lambda kv: -kv[1])]


def _sourced_rows(wb: Workbook, quarter_id: QuarterId, currency: str) -> list[list[Cell]]:
    s = closed_loop.sourced_shares(wb, quarter_id)
    owners = [o for o in ("marketing", "sales", "partner", "other", UNCLASSIFIED)
              if o in s.pipeline or o in s.won]
    pipe_total, won_total = sum(s.pipeline.values()), sum(s.won.values())
    rows = []
    for owner in owners:
        pipe, won = s.pipeline.get(owner, 0.0), s.won.get(owner, 0.0)
        rows.append([
            Cell("Not classified yet" if owner == UNCLASSIFIED else owner.capitalize(),
                 "classify these sources on the Sources tab" if owner == UNCLASSIFIED else ""),
            Cell(money(pipe, currency)),
            share(pipe / pipe_total if pipe_total else None, "no open pipeline"),
            Cell(money(won, currency)),
            share(won / won_total if won_total else None, "no revenue won in this quarter"),
        ])
    return rows


def _customer_rows(wb: Workbook, quarter_id: QuarterId, currency: str) -> list[list[Cell]]:
    found = closed_loop.customers_by_source(wb, quarter_id)
    return [[Cell(name or "(no source)"), Cell(f"{count:,}"), Cell(money(amount, currency))]
            for name, (count, amount) in sorted(found.items(), key=lambda kv: -kv[1][0])]
