"""The QBR's sections after the summary: each is a heading, the dashboard's chart for it
(drawn as vectors by `reports.report_charts`) and a table with the exact numbers."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from workbench.closed_loop import Dispositions, SourcedShare, marketing_share
from workbench.figure_text import format_count, format_duration, format_money, format_percent
from workbench.model import ChangeLogEntry
from workbench.planning.forward import SOURCED_BY, Basis, ForwardCheck, Phase
from workbench.planning.pipeline_rows import (
    UNCLASSIFIED,
    open_value_by_who,
    unweighted_reason,
    weighted_by_who,
)

from .drawn_text import text_width
from .fonts import BOLD
from .funnel_pages import stage_numbers_table
from .funnel_report import funnel_figure
from .layout import (
    CONTENT_WIDTH,
    cells,
    data_table,
    heading,
    para,
    same_decimals_by_column,
    styles,
)
from .qbr_data import QbrData, follow_up_of
from .report_charts import chart_block

NAME_MIN = 34 * mm


def _right() -> tuple[ParagraphStyle, ParagraphStyle]:
    s = styles()
    return (ParagraphStyle("QbrRight", parent=s.cell, alignment=TA_RIGHT),
            ParagraphStyle("QbrRightBold", parent=s.cell_bold, alignment=TA_RIGHT))


def _section(title: str, anchor: str, needs: float = 70 * mm) -> list[Flowable]:
    """A section's heading, on a new page unless `needs` (the height of its first
    block) fits below what came before."""
    return [CondPageBreak(needs), heading(title, anchor=anchor)]


def numbers_table(names: Sequence[str], titles: Sequence[str],
                  values: Sequence[Sequence[str]], first: str = "") -> list[Flowable]:
    """A table with a name column and right-aligned number columns, each as wide as its
    longest entry; when the columns do not fit the page they are shared out evenly over
    two or more tables, one below the other."""
    s = styles()
    right, right_bold = _right()
    titles = [t if len(t) <= 40 else t[:38].rstrip() + "…" for t in titles]
    values = same_decimals_by_column(values)
    widths = [max(max((text_width(row[i], 8.5) for row in values), default=0.0),
                  max(text_width(w, 8.5, BOLD) for w in (titles[i].split() or [""])),
                  12 * mm) + 12 for i in range(len(titles))]
    parts = 1
    while parts < len(titles) and any(
            NAME_MIN + sum(widths[i:i + -(-len(titles) // parts)]) > CONTENT_WIDTH
            for i in range(0, len(titles), -(-len(titles) // parts))):
        parts += 1
    size = -(-len(titles) // parts) if titles else 1
    story: list[Flowable] = []
    for start in range(0, len(titles), size):
        end = start + size
        rows = [cells([first], s.cell_bold) + cells(list(titles[start:end]), right_bold)]
        rows += [cells([name]) + cells(list(row[start:end]), right)
                 for name, row in zip(names, values, strict=True)]
        story += [data_table(rows, [CONTENT_WIDTH - sum(widths[start:end]),
                                    *widths[start:end]]), Spacer(1, 3 * mm)]
    return story


# -- 2. plan vs actual ------------------------------------------------------------------------
def plan_section(data: QbrData) -> list[Flowable]:
    dashboard = data.dashboard
    story = [*_section("2. Plan vs actual per stage", "plan"),
             *chart_block(dashboard.plan_vs_actual, CONTENT_WIDTH)]
    if data.stages and (data.has_actuals or data.now.plan is not None):
        figure = funnel_figure(data.stages, [data.now], data.quarter.label)
        table = stage_numbers_table(data.stages, figure)
        story.append(KeepTogether([table]) if len(data.stages) <= 12 else table)
    return story


# -- 3. trends --------------------------------------------------------------------------------
def trend_section(data: QbrData) -> list[Flowable]:
    dashboard = data.dashboard
    labels = [f.quarter.label for f in data.facts]
    intro = (f"The quarter {labels[0]} alone; there are no earlier quarters."
             if len(labels) == 1 else
             f"The {len(labels)} quarters from {labels[0]} to {labels[-1]}; this quarter "
             "is shaded.")
    story = [*_section("3. Trends over the last quarters", "trends"),
             para(intro, styles().body),
             *chart_block(dashboard.volume_trend, CONTENT_WIDTH),
             *chart_block(dashboard.conversion_trend, CONTENT_WIDTH)]
    if any(f.actual for f in data.facts):
        values = [[format_count(f.actual_of(stage.id)) for f in data.facts]
                  for stage in data.stages]
        story += [para("Volume per stage and quarter", styles().h2),
                  *numbers_table([s.name for s in data.stages], labels, values, "Stage")]
    return story


# -- 4. SLA compliance ------------------------------------------------------------------------
def _share_text(part: int, whole: int | None) -> str:
    return f"{part:,} of {whole:,} ({format_percent(part / whole)})" if whole else "—"


def _loop_text(value: object, part: str, whole: str = "mqls") -> str:
    """"190 of 215 (88.4 %)", "no MQL leads" (nothing imported) or "not derived"."""
    if value is None:
        return "not derived"
    total = getattr(value, whole)
    return _share_text(getattr(value, part), total) if total else "no MQL leads"


def _disposition_text(found: Dispositions | None) -> str:
    """The disposition rate; a range while some values are no disposition code."""
    if found is None or not found.mqls or found.share_dispositioned is not None:
        return _loop_text(found, "dispositioned")
    low, high = found.share_range or (0.0, 0.0)
    return f"— ({format_percent(low)}–{format_percent(high)}: values that are no code)"


def sla_section(data: QbrData) -> list[Flowable]:
    s = styles()
    story = [*_section("4. SLA compliance", "sla"),
             *chart_block(data.dashboard.sla_compliance, CONTENT_WIDTH)]
    mql = data.mql
    if mql is None:
        return story
    hours = format_duration(mql.max_hours) if mql.max_hours is not None else "the agreed time"
    titles = ["MQLs committed", "MQLs delivered", "Delivered ÷ committed",
              f"Followed up within {hours}", "Disposition rate"]
    values = []
    for facts, dispositions in zip(data.facts, data.dispositions, strict=True):
        committed, delivered = facts.planned.get(mql.id), facts.actual_of(mql.id)
        values.append([format_count(committed), format_count(delivered),
                       format_percent(delivered / committed) if committed else "—",
                       _loop_text(follow_up_of(facts), "within"),
                       _disposition_text(dispositions)])
    story += numbers_table([f.quarter.label for f in data.facts], titles, values, "Quarter")
    story.append(para("Delivered: MQLs in the quarter's actuals against the committed plan. "
                      "Follow-up and dispositions: MQL leads imported on the Data screen "
                      "(“no MQL leads” where a quarter has none).", s.muted))
    return story + _disposition_codes(data)


def _disposition_codes(data: QbrData) -> list[Flowable]:
    now = data.dispositions[-1] if data.dispositions else None
    codes = getattr(now, "by_code", None)
    if not codes:
        return []
    total = sum(codes.values())
    names = [code.replace("_", " ").capitalize() for code in codes]
    values = [[f"{n:,}", format_percent(n / total)] for n in codes.values()]
    return [para(f"How reps dispositioned the MQLs of {data.quarter.label}", styles().h2),
            *numbers_table(names, ["MQLs", "Share"], values, "Disposition")]


# -- 5. marketing's share of pipeline and revenue ---------------------------------------------
def contribution_section(data: QbrData) -> list[Flowable]:
    s = styles()
    check, money = data.forward, data.currency
    shares = data.shares
    open_by = open_value_by_who(check.stages)
    won_by = dict(shares.won) if shares and shares.won else dict(data.won_by or ())
    unknown = unweighted_reason(check.stages)
    weighted = {w: v for w in (*SOURCED_BY, UNCLASSIFIED) if (v := check.pipeline_by(w))}
    whos = list(SOURCED_BY) + sorted((set(open_by) | set(won_by) | set(weighted))
                                     - set(SOURCED_BY))
    columns = [(weighted, (check.weighted_pipeline or 0.0) > 0 and not unknown),
               (open_by, check.open_value is not None and bool(open_by)),
               (won_by, bool(won_by))]
    values: list[list[str]] = [[] for _ in range(len(whos) + 1)]
    for amounts, known in columns:
        total = sum(amounts.values())
        for row, who in enumerate(whos):
            amount = amounts.get(who, 0.0)
            values[row] += ([format_money(amount, money),
                             format_percent(amount / total) if total else "—"]
                            if known else ["—", "—"])
        values[-1] += [format_money(total, money), "100 %" if total else "—"] if known \
            else ["—", "—"]
    titles = ["Weighted pipeline", "Share", "Open pipeline before weighting", "Share",
              "Won revenue", "Share"]
    won_basis = ("the imported leads won in the quarter" if shares and shares.won else
                 "the quarter's actuals of the last stage" if data.won_by else "none recorded")
    return [*_section("5. Marketing-sourced share of pipeline and revenue", "contribution"),
            para(f"Who sourced the pipeline and the revenue won in {data.quarter.label}, "
                 "from each source's “sourced by” setting.", s.body),
            *numbers_table([f"Sourced by {who}" for who in whos] + ["Total"], titles, values,
                           ""),
            para(f"Open pipeline: the forward check's, as on the Dashboard and the Closed-loop "
                 f"tab — {pipeline_basis_text(check)}, each worth its amount or else the "
                 "plan's deal size; weighted by each stage's probability. "
                 f"Won revenue: {won_basis}.", s.muted),
            *_share_notes(check, shares)]


def pipeline_basis_text(check: ForwardCheck) -> str:
    """Which leads the open pipeline counts, when, and from which data."""
    if check.basis is Basis.ACTUALS:
        return (f"leads that reached a sales-owned stage in {check.quarter} but not the next "
                f"one, {check.counted_from}")
    return (f"leads standing in a sales-owned stage {check.counted_when}, neither won nor "
            f"lost, {check.counted_from}")


def _share_notes(check: ForwardCheck, shares: SourcedShare | None) -> list[Flowable]:
    """Why a share above is not known: a pipeline that cannot be weighted, sources not
    classified yet (`closed_loop.marketing_share`, as on the screens)."""
    notes = []
    unknown = unweighted_reason(check.stages)
    if unknown:
        notes.append(f"Weighted pipeline: not known. {unknown}")
    else:
        weighted = marketing_share(weighted_by_who(check.stages), "the weighted pipeline")
        if weighted.reason and (check.weighted_pipeline or 0.0) > 0:
            notes.append(f"Marketing's share of the weighted pipeline: not known — "
                         f"{weighted.reason}.")
    if shares is not None and shares.won_marketing.low is not None:
        notes.append(f"Marketing's share of the won revenue: not known — "
                     f"{shares.won_marketing.reason}.")
    return [para(note, styles().muted) for note in notes]


# -- 6. source mix ----------------------------------------------------------------------------
def source_section(data: QbrData) -> list[Flowable]:
    story = [*_section("6. Source mix", "sources"),
             *chart_block(data.dashboard.source_mix, CONTENT_WIDTH)]
    if not data.sources or not data.stages:
        return story
    picks = list(dict.fromkeys([data.stages[0]] + ([data.mql] if data.mql else [])
                               + [data.stages[-1]]))
    values = [[format_count(counts.get(stage.id, 0)) for stage in picks]
              for _, counts in data.sources]
    story += [para(f"Volume per source, {data.quarter.label}", styles().h2),
              *numbers_table([name or "(no source)" for name, _ in data.sources],
                             [stage.name for stage in picks], values, "Source")]
    return story


# -- 7. weighted pipeline vs goal -------------------------------------------------------------
def pipeline_section(data: QbrData) -> list[Flowable]:
    check, money = data.forward, data.currency
    story = [*_section("7. Weighted pipeline vs goal", "pipeline"),
             *chart_block(data.dashboard.pipeline_vs_goal, CONTENT_WIDTH)]
    if not check.stages:
        return story
    ended = check.phase is Phase.ENDED  # as the Plan screen's forward check names them
    names = [p.name for p in check.stages] + [
        f"Carries into {check.next_quarter}" if ended else "Weighted open pipeline",
        f"Won in {check.quarter} ({check.won_count:,})" if ended
        else f"Won so far ({check.won_count:,})", "Result" if ended else "On track for"]
    values = [[format_count(p.open), format_money(p.value_each, money),
               format_percent(p.weight), format_money(p.weighted, money)]
              for p in check.stages]
    values += [[format_count(check.open_leads), "", "",
                format_money(check.weighted_pipeline, money)],
               ["", "", "", format_money(check.won_value, money)],
               ["", "", "", format_money(check.on_track_for, money)]]
    story += [para("How the weighted pipeline is worked out", styles().h2),
              *numbers_table(names, ["Open leads", "Value each", "Chance to win",
                                     "Weighted value"], values, "Stage")]
    reasons = [p.reason for p in check.stages if p.reason]
    story += [para(reason, styles().muted) for reason in reasons]
    return story


# -- 8. changes to the definitions ------------------------------------------------------------
def changes_section(data: QbrData) -> list[Flowable]:
    s = styles()
    quarter = data.quarter
    title = f"8. Changes to definitions in {quarter.label}"
    story = [*_section(title, "changes", 70 * mm if data.changes else 25 * mm)]
    if not data.changes:
        return story + [para(f"No funnel or scoring definitions were changed between "
                             f"{quarter.start_date} and {data.last_day}.", s.body)]
    names = {str(stage.id): stage.name for stage in data.stages}
    rows = [cells(["When", "Change", "What", "Was", "Now"], s.cell_bold)]
    for entry in data.changes:
        rows.append(cells([entry.at.replace("T", " ").replace("Z", ""), entry.step,
                           _what(entry, names), entry.old or "—", entry.new or "—"]))
    story += [para(f"{len(data.changes):,} recorded changes between {quarter.start_date} "
                   f"and {data.last_day}, oldest first.", s.body),
              data_table(rows, [24 * mm, 30 * mm, 34 * mm, (CONTENT_WIDTH - 88 * mm) / 2,
                                (CONTENT_WIDTH - 88 * mm) / 2])]
    if data.more_changes:
        story.append(para("Only the most recent changes are listed.", s.muted))
    return story


ENTITY_TEXT = {"stage": "Stage", "proposal": "Proposal", "recycle": "Recycle path",
               "rule": "Scoring rule", "scoring": "Scoring thresholds"}


def _what(entry: ChangeLogEntry, stage_names: dict[str, str]) -> str:
    kind = ENTITY_TEXT.get(entry.entity, entry.entity)
    key = entry.entity_id.split("/")[0]
    subject = stage_names.get(key) if entry.entity in ("stage", "proposal") else None
    item = f"{kind} “{subject}”" if subject else kind
    field = entry.field.replace("_", " ")
    return f"{item}: {field}" if field else item

