"""`alignment-workbench score FILE.awb [--threshold N] [--model NAME] [--explain LEAD_ID]`:
the quadrant counts, MQLs per month and conversion by score band of a model's cut, or why
one lead scored what it did. Headless: no Qt."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.model import ScoringModel
from workbench.rule_match import NO_VALUE, OPERATOR_WORDS
from workbench.score_figures import (
    Share,
    conversion_by_band,
    cut_figures,
    explain,
)
from workbench.scoring import QUADRANT_NAMES
from workbench.workbook import Workbook

DASH = "—"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="alignment-workbench score",
        description="Score every lead with the workbook's model and print who lands in which "
                    "quadrant, the MQLs per month and conversion by score band. Changes "
                    "nothing in the workbook.")
    p.add_argument("file", type=Path)
    p.add_argument("--threshold", type=int, help="try another MQL threshold (not saved)")
    p.add_argument("--model", help="a model by name (default: the one the SLA uses)")
    p.add_argument("--explain", metavar="LEAD_ID",
                   help="why one lead (its CRM ID) scored what it did")
    return p


def choose_model(workbook: Workbook, name: str | None) -> ScoringModel:
    if name is None:
        return workbook.scoring.model()
    for model in workbook.scoring.models():
        if model.name.casefold() == " ".join(name.split()).casefold():
            return model
    names = ", ".join(f"“{m.name}”" for m in workbook.scoring.models())
    raise WorkbenchError(f"there is no scoring model “{name}”; the workbook has {names}")


def percent(share: Share) -> str:
    rate = share.rate
    return f"{rate:.1%}" if rate is not None else f"{DASH} ({share.reason or 'no leads'})"


def summary_lines(workbook: Workbook, model: ScoringModel, threshold: int | None
                  ) -> Iterator[str]:
    """The cut's figures, as `score` prints them."""
    settings = model.settings if threshold is None else replace(model.settings,
                                                                 mql_threshold=threshold)
    quadrants = workbook.scoring.quadrants(model.id)
    scores = workbook.scoring.scores(model.id)
    figures = cut_figures(scores, settings, quadrants, workbook.scoring.capacity())
    from workbench.sales_ready import mql_rule_text

    whose = " (the SLA's)" if model.used_by_sla else ""
    yield f"Scoring model “{model.name}”{whose}: {figures.leads:,} leads"
    tried = " (tried, not saved)" if threshold is not None else ""
    yield (f"Thresholds: MQL {settings.mql_threshold}{tried}, fit {settings.fit_threshold}, "
           f"interest {settings.interest_threshold}")
    yield f"MQL rule: {mql_rule_text(settings, quadrants)}"
    yield ""
    yield "Quadrants"
    for quadrant, count in figures.quadrants.items():
        mql = "  counts as MQL" if quadrants[quadrant].counts_as_mql else ""
        yield f"  {QUADRANT_NAMES[quadrant]:<18} {count:>9,}{mql}"
    yield ""
    if figures.mqls_per_month is None:
        yield f"MQLs: {figures.mqls:,}; per month {DASH} (no leads)"
    else:
        yield (f"MQLs: {figures.mqls:,}, {figures.mqls_per_month:,.1f} per month over "
               f"{len(figures.months)} months")
    for month, count in figures.months:
        yield f"  {month}  {count:>7,}"
    yield (f"Of these MQLs, became opportunities: {percent(figures.became_opportunity)}; "
           f"customers: {percent(figures.became_customer)}")
    if figures.capacity_reason:
        yield f"Sales capacity: {DASH} ({figures.capacity_reason})"
    else:
        yield (f"Sales capacity: {figures.capacity_per_month:,.1f} MQLs a month; this cut needs "
               f"{figures.hours_needed:,.1f} follow-up hours a month")
    yield ""
    yield "Conversion by score band: the share of leads that became an opportunity, a customer"
    yield f"  {'points':<13} {'leads':>9} {'opportunity':>12} {'customer':>9}"
    for band in conversion_by_band(scores):
        opp = f"{band.opportunity_rate:.1%}" if band.opportunity_rate is not None else DASH
        won = f"{band.customer_rate:.1%}" if band.customer_rate is not None else DASH
        yield f"  {f'{band.low} to {band.high - 1}':<13} {band.leads:>9,} {opp:>12} {won:>9}"


def explain_lines(workbook: Workbook, model: ScoringModel, threshold: int | None,
                  lead: str) -> Iterator[str]:
    """Why one lead scored what it did, as `score --explain` prints it."""
    conn = workbook.db.conn
    row = conn.execute("SELECT id, external_id, company, score FROM leads "
                       "WHERE external_id = ?", (lead,)).fetchone()
    if row is None:
        raise WorkbenchError(f"no lead has the ID “{lead}”")
    settings = model.settings if threshold is None else replace(model.settings,
                                                                 mql_threshold=threshold)
    scores = workbook.scoring.scores(model.id)
    index = int((scores.data.ids == row[0]).nonzero()[0][0])
    why = explain(scores, index, settings, workbook.scoring.quadrants(model.id))
    company = f" ({row[2]})" if row[2] else ""
    verdict = "an MQL" if why.mql else "not an MQL"
    yield (f"Lead {row[1]}{company} under “{model.name}”: fit {why.fit} + interest "
           f"{why.interest} = {why.total} points — {QUADRANT_NAMES[why.quadrant].lower()}, "
           f"{verdict} at {settings.mql_threshold}")
    yield f"CRM score: {DASH if row[3] is None else f'{row[3]:g}'}"
    for reason in why.reasons:
        rule = reason.rule
        value = "" if rule.operator in NO_VALUE else f" {rule.value}"
        test = f"{rule.attribute} {OPERATOR_WORDS[rule.operator]}{value}"
        points = f"{reason.points:+d}" if reason.fired else "  ·"
        note = f"; {reason.note}" if reason.note else ""
        label = rule.label or test
        yield f"  {points:>5}  {rule.kind.value:<8} {label} ({test}{note})"


def run(argv: list[str]) -> tuple[int, list[str]]:
    """(exit status, lines to print) — errors raise `WorkbenchError`."""
    args = parser().parse_args(argv)
    from workbench import storage

    version = storage.inspect(args.file)
    if version < Workbook.schema_version():
        raise WorkbenchError(f"{args.file} is from an older version (schema {version}); open "
                             "it in the app once to update it, then score it")
    if args.threshold is not None and args.threshold < 0:
        raise WorkbenchError("--threshold cannot be negative")
    with Workbook.open(args.file) as workbook:
        model = choose_model(workbook, args.model)
        if args.explain is not None:
            return 0, list(explain_lines(workbook, model, args.threshold, args.explain))
        return 0, list(summary_lines(workbook, model, args.threshold))
