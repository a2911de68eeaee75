"""Figures from scored leads: the quadrant counts and MQLs per month at a cut, what share of
those MQLs historically became opportunities and customers, conversion by score band, each
rule's lift, the threshold that keeps MQLs within sales capacity, and why one lead scored
what it did. Plain functions of `ModelScores`; a figure that cannot be worked out is None
with the reason."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .lead_scores import QUADRANT_ORDER, Mask, ModelScores, mql_codes, quadrant_codes
from .model import Quadrant, QuadrantRule, SalesCapacity, ScoringRule, ScoringSettings
from .score_grid import ScoreGrid

MIN_GROUP = 30  # fewer leads than this on either side of a rule: too few to judge its lift


@dataclass(frozen=True)
class Share:
    """A count out of a base; `rate` is None (with `reason`) when it cannot be worked out."""

    count: int
    base: int
    reason: str = ""

    @property
    def rate(self) -> float | None:
        return self.count / self.base if self.base and not self.reason else None


@dataclass(frozen=True)
class CutFigures:
    """What a model's cut means: who lands where, how many MQLs a month, how they did."""

    leads: int
    quadrants: dict[Quadrant, int]
    mqls: int
    months: tuple[tuple[str, int], ...]  # MQLs per month the leads were created in
    mqls_per_month: float | None
    became_opportunity: Share
    became_customer: Share
    capacity_per_month: float | None  # MQLs a month sales can follow up
    hours_needed: float | None
    capacity_reason: str


def cut_figures(scores: ModelScores, settings: ScoringSettings,
                quadrants: dict[Quadrant, QuadrantRule], capacity: SalesCapacity
                ) -> CutFigures:
    """The figures the sandbox shows at these thresholds (read from the fit × interest
    grid when there is one: the same counts, without reading every lead)."""
    data = scores.data
    months = len(data.months)
    grid = scores.grid
    counted = _cut_on_grid(grid, settings, quadrants, months) if grid is not None else \
        _cut_lead_by_lead(scores, settings, quadrants, months)
    counts, total, opportunities, customers, per_month = counted
    average = total / months if months else None
    opportunity = (Share(opportunities, total) if opportunities is not None
                   else Share(0, total, "the funnel has no opportunity stage"))
    customer = Share(customers, total)
    if not total:
        opportunity = Share(0, 0, "no lead is an MQL at this cut")
        customer = Share(0, 0, "no lead is an MQL at this cut")
    needed = None
    reason = capacity_gap(capacity)
    if not reason and average is not None and capacity.hours_per_mql is not None:
        needed = average * capacity.hours_per_mql
    elif not reason:
        reason = "no leads to count MQLs from"
    return CutFigures(data.count, dict(zip(QUADRANT_ORDER, counts, strict=True)),
                      total, tuple(zip(data.months, per_month, strict=True)),
                      average, opportunity, customer, capacity.mqls_per_month, needed, reason)


# Leads per quadrant (in QUADRANT_ORDER), MQLs, and those that became opportunities (None
# without that stage) and customers, and MQLs per month.
_Counted = tuple[list[int], int, int | None, int, list[int]]


def _cut_lead_by_lead(scores: ModelScores, settings: ScoringSettings,
                      quadrants: dict[Quadrant, QuadrantRule], months: int) -> _Counted:
    data = scores.data
    index = scores.quadrant_index(settings)
    counts = np.bincount(index, minlength=4) if data.count else np.zeros(4, np.int64)
    mql = scores.mql(settings, quadrants)
    per_month = np.bincount(data.month_index[mql & (data.month_index >= 0)],
                            minlength=months) if months else np.zeros(0, np.int64)
    opportunities = (None if data.opportunity is None
                     else int(np.count_nonzero(mql & data.opportunity)))
    return ([int(n) for n in counts], int(np.count_nonzero(mql)), opportunities,
            int(np.count_nonzero(mql & data.customer)), [int(n) for n in per_month])


def _cut_on_grid(grid: ScoreGrid, settings: ScoringSettings,
                 quadrants: dict[Quadrant, QuadrantRule], months: int) -> _Counted:
    fit, interest = grid.fit_values[:, None], grid.interest_values[None, :]  # every cell
    quadrant = quadrant_codes(fit, interest, settings)
    counts = [int(grid.leads[quadrant == i].sum()) for i in range(4)]
    mql = mql_codes(fit + interest, quadrant, settings, quadrants)
    in_mql = mql.ravel()[grid.month_cells]
    per_month = np.zeros(months, dtype=np.int64)
    np.add.at(per_month, grid.month_of[in_mql], grid.month_leads[in_mql])
    return (counts, int(grid.leads[mql].sum()),
            None if grid.opportunities is None else int(grid.opportunities[mql].sum()),
            int(grid.customers[mql].sum()), [int(n) for n in per_month])


def capacity_gap(capacity: SalesCapacity) -> str:
    """Why sales capacity is not known ("" when it is)."""
    if capacity.hours_per_mql is None and capacity.rep_hours_per_month is None:
        return "enter the follow-up hours per MQL and the reps' hours per month"
    if capacity.hours_per_mql is None:
        return "enter the follow-up hours per MQL"
    if capacity.rep_hours_per_month is None:
        return "enter the reps' hours per month"
    return ""


@dataclass(frozen=True)
class Band:
    """Leads whose total lies in [low, high), and how many became opportunities and
    customers."""

    low: int
    high: int
    leads: int
    opportunities: int | None  # None: the funnel has no opportunity stage
    customers: int

    @property
    def opportunity_rate(self) -> float | None:
        return self.opportunities / self.leads if self.leads and self.opportunities \
            is not None else None

    @property
    def customer_rate(self) -> float | None:
        return self.customers / self.leads if self.leads else None


def band_width(scores: ModelScores) -> int:
    """10 points, or wider so that the scores span at most 12 bands."""
    span = len(scores.by_total.leads) - 1  # the highest total less the lowest
    width = 10
    while span / width > 12:
        width *= 2
    return width


def conversion_by_band(scores: ModelScores, width: int | None = None) -> list[Band]:
    """Leads per score band of `width` points (from the lowest score's band up) and their
    historic conversion."""
    counts = scores.by_total
    if not len(counts.leads):
        return []
    width = width or band_width(scores)
    first = math.floor(counts.low / width) * width
    bands = (counts.low + len(counts.leads) - 1 - first) // width + 1

    def per_band(per_score: npt.NDArray[np.int64]) -> list[int]:
        padded = np.zeros(bands * width, dtype=np.int64)
        padded[counts.low - first:counts.low - first + len(per_score)] = per_score
        return [int(n) for n in padded.reshape(bands, width).sum(axis=1)]

    leads, customers = per_band(counts.leads), per_band(counts.customers)
    opportunities = None if counts.opportunities is None else per_band(counts.opportunities)
    return [Band(first + i * width, first + (i + 1) * width, leads[i],
                 opportunities[i] if opportunities is not None else None, customers[i])
            for i in range(bands) if leads[i]]


@dataclass(frozen=True)
class RuleLift:
    """How leads a rule fires on converted, against leads it does not fire on."""

    rule: ScoringRule
    fires: Share
    rest: Share
    min_group: int = MIN_GROUP

    @property
    def lift(self) -> float | None:
        """Conversion where it fires ÷ conversion where it does not; None when either side
        has too few leads or the rest never converted."""
        if min(self.fires.base, self.rest.base) < self.min_group:
            return None
        if self.fires.rate is None or not self.rest.rate:
            return None
        return self.fires.rate / self.rest.rate

    @property
    def verdict(self) -> str:
        """"agrees", "disagrees" (points and outcomes point different ways) or why not known."""
        lift = self.lift
        if lift is None:
            return (f"too few leads to tell (fewer than {self.min_group} on one side)"
                    if min(self.fires.base, self.rest.base) < self.min_group
                    else "no conversions to compare with")
        if (self.rule.points > 0 and lift < 1) or (self.rule.points < 0 and lift > 1):
            return "disagrees"
        return "agrees"


def outcome(scores: ModelScores) -> tuple[Mask, str]:
    """The outcome calibration judges by: became an opportunity (or a customer, when the
    funnel has no opportunity stage), and its name."""
    if scores.data.opportunity is not None:
        return scores.data.opportunity, "became an opportunity"
    return scores.data.customer, "became a customer"


def rule_lifts(scores: ModelScores, min_group: int = MIN_GROUP) -> list[RuleLift]:
    """Each rule's lift on the leads' outcomes. The leads a rule does not fire on are
    every lead less those it fires on; counted with `count_nonzero`, as `sum` adds a
    mask's values one by one (at ten million leads, 83 ms on opening Calibration)."""
    converted, _ = outcome(scores)
    leads, conversions = len(converted), int(np.count_nonzero(converted))
    lifts = []
    for rule in scores.rules:
        fires = scores.data.mask(rule)
        fired, fired_converted = (int(np.count_nonzero(fires)),
                                  int(np.count_nonzero(fires & converted)))
        lifts.append(RuleLift(rule, Share(fired_converted, fired),
                              Share(conversions - fired_converted, leads - fired), min_group))
    return lifts


@dataclass(frozen=True)
class Suggestion:
    """The lowest MQL threshold whose MQLs a month fit sales capacity (None: why not)."""

    threshold: int | None
    mqls_per_month: float | None
    reason: str = ""


def suggest_threshold(scores: ModelScores, settings: ScoringSettings,
                      quadrants: dict[Quadrant, QuadrantRule], capacity: SalesCapacity
                      ) -> Suggestion:
    """The lowest whole threshold at which the average MQLs a month stay within what sales
    can follow up (the fit and interest cuts and the quadrants kept as they are)."""
    reason = capacity_gap(capacity)
    limit = capacity.mqls_per_month
    months = len(scores.data.months)
    if reason or limit is None:
        return Suggestion(None, None, reason)
    if not months:
        return Suggestion(None, None, "no leads to count MQLs from")
    counts = np.array([quadrants[q].counts_as_mql for q in QUADRANT_ORDER], dtype=np.bool_)
    eligible = np.sort(scores.total[counts[scores.quadrant_index(settings)]])
    allowed = math.floor(limit * months + 1e-9)  # MQLs in the whole span
    if len(eligible) <= allowed:
        return Suggestion(0, len(eligible) / months)
    # MQLs at threshold t: eligible totals >= t. The smallest t leaving at most `allowed`.
    threshold = max(int(eligible[len(eligible) - allowed - 1]) + 1, 0)
    mqls = len(eligible) - int(np.searchsorted(eligible, threshold, side="left"))
    return Suggestion(threshold, mqls / months)


@dataclass(frozen=True)
class Reason:
    """One rule's part in a lead's score."""

    rule: ScoringRule
    fired: bool
    points: int  # earned, after decay
    note: str = ""


@dataclass(frozen=True)
class Explanation:
    """Why a lead scored what it did under a model."""

    lead_id: int
    fit: int
    interest: int
    quadrant: Quadrant
    mql: bool
    reasons: tuple[Reason, ...]

    @property
    def total(self) -> int:
        return self.fit + self.interest


def explain(scores: ModelScores, row: int, settings: ScoringSettings,
            quadrants: dict[Quadrant, QuadrantRule]) -> Explanation:
    """The rules that fired on the lead at `row` (in lead-id order) and their points."""
    data = scores.data
    reasons = []
    for rule in scores.rules:
        fired = bool(data.mask(rule)[row])
        earned = int(data.points(rule)[row]) if fired else 0
        note = ""
        if fired and rule.half_life_days is not None and earned != rule.points:
            age = data.as_of_day - data.day_column(rule.dated_by or "created_at")[row]
            note = (f"{rule.points:+d} halved every {rule.half_life_days:g} days; "
                    f"{max(age, 0):.0f} days old")
        reasons.append(Reason(rule, fired, earned, note))
    index = int(scores.quadrant_index(settings)[row])
    return Explanation(int(data.ids[row]), int(scores.fit[row]), int(scores.interest[row]),
                       QUADRANT_ORDER[index], bool(scores.mql(settings, quadrants)[row]),
                       tuple(reasons))
