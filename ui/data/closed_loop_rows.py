"""The closed-loop numbers of one quarter (and source) as the rows and key figures the tab
shows: every number as text, and "—" with the reason wherever one cannot be worked out.
Plain functions of the core's results, so what a user reads is tested without a window."""

from __future__ import annotations

from dataclasses import dataclass, replace

from workbench import closed_loop, dispositions
from workbench.closed_loop import UNCLASSIFIED
from workbench.figure_text import format_duration, format_money, format_percent, same_decimals
from workbench.imports.stages import mql_stage
from workbench.model import QuarterId, Stage
from workbench.planning.forward import Phase
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
    undated: str = ""  # what leads with stages reached at unknown dates count in


def hours_text(hours: float | None, reason: str) -> Cell:
    """A measured time in the unit people use (`format_duration`: "12.5 h", "5.4 d");
    None → "—" with the reason."""
    return Cell(DASH, reason) if hours is None else Cell(format_duration(hours))


def share(part: float | None, reason: str) -> Cell:
    return Cell(DASH, reason) if part is None else Cell(format_percent(part))


def quarter_numbers(wb: Workbook, quarter_id: QuarterId, source: str | None) -> QuarterNumbers:
    """Work out every closed-loop number of the quarter (one source, or all)."""
    stages = wb.funnel.stages()
    currency = wb.properties().currency
    open_pipeline = closed_loop.pipeline(wb, quarter_id, source)
    return QuarterNumbers(
        figures=_figures(wb, quarter_id, source, stages, open_pipeline),
        stages=aligned(_stage_rows(wb, quarter_id, source, stages, currency)),
        dispositions=aligned(_disposition_rows(wb, quarter_id, source)),
        pipeline=aligned(_pipeline_rows(open_pipeline, currency)),
        sourced=aligned(_sourced_rows(wb, quarter_id, currency)),
        customers=_customer_rows(wb, quarter_id, currency),
        undated=undated_note(closed_loop.undated_leads(wb)),
    )


def aligned(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The table with each column's percentages in one format (`same_decimals`: "17.0 %"
    above "24.7 %"), reasons kept."""
    if not rows:
        return rows
    columns = [same_decimals([c.text for c in column]) for column in zip(*rows, strict=True)]
    return [[replace(cell, text=columns[c][r]) for c, cell in enumerate(row)]
            for r, row in enumerate(rows)]


def undated_note(leads: int) -> str:
    """What leads with a stage reached at an unknown date count in (nothing without)."""
    if not leads:
        return ""
    who = "1 lead reached a stage" if leads == 1 else f"{leads:,} leads reached stages"
    return (f"{who} at dates the export does not give: counted as reached (they went on "
            "from the stage before), but left out of time in stage, follow-up times, each "
            "quarter's volume and the pipeline by date.")


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
            Cell(format_money(volume.amount, currency)),
        ])
    return rows


def _figures(wb: Workbook, quarter_id: QuarterId, source: str | None, stages: list[Stage],
             open_pipeline: closed_loop.Pipeline) -> list[Figure]:
    return [*_follow_up_figures(wb, quarter_id, source, stages),
            _disposition_figure(wb, quarter_id, source),
            *_pipeline_figures(wb, quarter_id, open_pipeline)]


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
        return [Figure(f"Followed up within {format_duration(hours)}", DASH, reason, "muted"),
                Figure("Median follow-up", DASH, reason, "muted")]
    part = f.share_within or 0.0
    role = "good" if part >= 0.9 else "warn" if part >= 0.7 else "bad"
    median = hours_text(f.median_hours, "no MQL has been touched yet")
    return [Figure(f"Followed up within {format_duration(hours)}", format_percent(part),
                   f"{f.within:,} of {f.mqls:,} MQLs in the imported leads "
                   f"(SLA: {format_duration(hours)})",
                   role),
            Figure("Median follow-up", median.text,
                   median.reason or f"MQL → first touch; {f.touched:,} of {f.mqls:,} touched",
                   "muted" if median.missing else "ink")]


def _disposition_figure(wb: Workbook, quarter_id: QuarterId, source: str | None) -> Figure:
    d = closed_loop.dispositions(wb, quarter_id, source)
    title = "MQLs dispositioned"
    if d.share_range is None:
        return Figure(title, DASH, "no MQLs in this quarter", "muted")
    if d.share_dispositioned is None:
        low, high = d.share_range
        values = ", ".join(f"“{v}”" for v in list(d.unmapped)[:3])
        more = "…" if len(d.unmapped) > 3 else ""
        count = sum(d.unmapped.values())
        holds = "1 MQL holds a value" if count == 1 else f"{count:,} MQLs hold values"
        return Figure(title, DASH, f"{format_percent(low)}–{format_percent(high)}: {holds} "
                      f"that no disposition code names ({values}{more}); add them as codes "
                      "to say which they are", "muted")
    not_yet = f"; {d.not_yet:,} say no disposition yet" if d.not_yet else ""
    return Figure(title, format_percent(d.share_dispositioned),
                  f"{d.dispositioned:,} of {d.mqls:,} MQLs have a disposition{not_yet}")


def _pipeline_figures(wb: Workbook, quarter_id: QuarterId,
                      p: closed_loop.Pipeline) -> list[Figure]:
    currency = p.check.currency
    shares = closed_loop.sourced_shares(wb, quarter_id)
    check = p.check
    if check.phase is Phase.FUTURE:
        reason = f"{check.quarter} has not started: its pipeline is counted from its first day"
        weighted = Figure("Weighted pipeline", DASH, reason, "muted")
    elif p.weighted is None:
        weighted = Figure("Weighted pipeline", DASH,
                          f"{p.weight_reason} {pipeline_counted(p)}; {check.counted_from}",
                          "muted")
    else:
        weighted = Figure("Weighted pipeline", format_money(p.weighted, currency),
                          f"{pipeline_counted(p)} × each stage's chance to win; "
                          f"{check.counted_from}")
    return [weighted,
            _share_figure("Marketing-sourced pipeline", shares.pipeline_marketing,
                          "share of the weighted pipeline from sources marked marketing "
                          f"(all sources), {check.counted_when}"),
            _share_figure("Marketing-sourced won revenue", shares.won_marketing,
                          "share of revenue won in the quarter (all sources), from the "
                          "imported leads")]


def pipeline_counted(p: closed_loop.Pipeline) -> str:
    """How many open leads the pipeline counts, what they are worth, and when."""
    leads = "1 open lead" if p.deals == 1 else f"{p.deals:,} open leads"
    money = p.check.currency
    worth = "" if p.open_amount is None else f" worth {format_money(p.open_amount, money)}"
    return f"{leads}{worth} {p.check.counted_when}"


def _share_figure(title: str, found: closed_loop.Share, what: str) -> Figure:
    if found.value is None:
        return Figure(title, DASH, found.reason or "", "muted")
    return Figure(title, format_percent(found.value), what)


def _disposition_rows(wb: Workbook, quarter_id: QuarterId,
                      source: str | None) -> list[list[Cell]]:
    d = closed_loop.dispositions(wb, quarter_id, source)
    labels = {c.code: c.label for c in dispositions.codes(wb)}
    disposed = dispositions.disposed_by_code(wb)

    def row(name: str, count: int, reason: str) -> list[Cell]:
        return [Cell(name, reason), Cell(f"{count:,}"),
                share(count / d.mqls if d.mqls else None, "no MQLs in this quarter")]

    rows = [row(labels.get(code, code), count, code)
            for code, count in sorted(d.by_code.items(), key=lambda kv: -kv[1])
            if disposed.get(code) is True]
    blank = d.mqls - sum(d.by_code.values())
    if d.not_yet or blank:
        said = [labels.get(c, c) for c in d.by_code if disposed.get(c) is False]
        rows.append(row("No disposition yet", d.not_yet + blank,
                        f"no value, or a value that says none yet ({', '.join(said)})"
                        if said else "no value given"))
    rows += [row(f"“{value}” (not a code)", count, "a value that is no disposition code: "
                 "add it as a code to say whether it is a disposition")
             for value, count in sorted(d.unmapped.items(), key=lambda kv: -kv[1])]
    return rows


def _pipeline_rows(p: closed_loop.Pipeline, currency: str) -> list[list[Cell]]:
    total = sum(p.by_source.values())
    return [[Cell(name or "(no source)"), Cell(format_money(amount, currency)),
             share(amount / total if total else None, "no open pipeline")]
            for name, amount in sorted(p.by_source.items(), key=lambda kv: -kv[1])]


def _sourced_rows(wb: Workbook, quarter_id: QuarterId, currency: str) -> list[list[Cell]]:
    s = closed_loop.sourced_shares(wb, quarter_id)
    owners = [o for o in ("marketing", "sales", "partner", "other", UNCLASSIFIED)
              if o in s.pipeline or o in s.won or o in s.open_value]
    pipe_total, won_total = sum(s.pipeline.values()), sum(s.won.values())
    rows = []
    for owner in owners:
        pipe, won = s.pipeline.get(owner, 0.0), s.won.get(owner, 0.0)
        rows.append([
            Cell("Not classified yet" if owner == UNCLASSIFIED else owner.capitalize(),
                 "classify these sources on the Sources tab" if owner == UNCLASSIFIED else ""),
            Cell(format_money(pipe, currency) if s.pipeline else DASH,
                 "" if s.pipeline else "the weighted pipeline is not known"),
            share(pipe / pipe_total if pipe_total else None, "no weighted pipeline"),
            Cell(format_money(won, currency)),
            share(won / won_total if won_total else None, "no revenue won in this quarter"),
        ])
    return rows


def _customer_rows(wb: Workbook, quarter_id: QuarterId, currency: str) -> list[list[Cell]]:
    found = closed_loop.customers_by_source(wb, quarter_id)
    return [[Cell(name or "(no source)"), Cell(f"{count:,}"), Cell(format_money(amount, currency))]
            for name, (count, amount) in sorted(found.items(), key=lambda kv: -kv[1][0])]
