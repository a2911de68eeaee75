"""Every lead scored by the model at once, checked against figures worked out by hand
(tests/workbench/scored_leads.py): scores with decay, quadrants, the MQL rule, MQLs per
month, conversion by band, rule lift, the capacity threshold and the "why"."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from workbench.lead_scores import ModelScores, month_span
from workbench.model import Quadrant, SalesCapacity
from workbench.rule_match import score_lead
from workbench.score_figures import (
    conversion_by_band,
    cut_figures,
    explain,
    rule_lifts,
    suggest_threshold,
)
from workbench.workbook import Workbook

from .scored_leads import EXPECTED, LEADS, scored_workbook


@pytest.fixture
def wb(blank: Workbook) -> Workbook:
    return scored_workbook(blank)


def _cut(wb: Workbook, capacity: SalesCapacity | None = None):  # noqa: ANN202
    return cut_figures(wb.scoring.scores(), wb.scoring.settings(), wb.scoring.quadrants(),
                       capacity or wb.scoring.capacity())


def test_each_lead_scores_what_was_worked_out_by_hand(wb: Workbook) -> None:
    scores = wb.scoring.scores()
    settings = wb.scoring.settings()
    quadrants = scores.quadrant_index(settings)
    order = (Quadrant.SALES_NOW, Quadrant.NURTURE, Quadrant.QUALIFY, Quadrant.NO_ACTION)
    found = {int(i): (int(f), int(n), order[int(q)].value)
             for i, f, n, q in zip(scores.data.ids, scores.fit, scores.interest, quadrants,
                                   strict=True)}
    assert found == EXPECTED


def test_without_decay_the_vectorised_scores_equal_one_lead_at_a_time(wb: Workbook) -> None:
    rules = [r for r in wb.scoring.rules() if r.half_life_days is None]
    scores = wb.scoring.scores(rules=rules)
    for row, lead in enumerate(LEADS):
        values = {"industry": lead[2], "employees": lead[3], "title": lead[4], **lead[5]}
        assert (int(scores.fit[row]), int(scores.interest[row])) == score_lead(rules, values)


def test_the_scores_worked_out_elsewhere_are_the_ones_shown_until_a_rule_changes(
        wb: Workbook) -> None:
    """The worker that loads the leads scores them for the model's rules: the screen is
    handed those scores (its bands counted), not a second sum; a changed rule scores anew."""
    wb.db.conn.commit()
    data = wb.scoring.scoring_request().work()
    assert wb.scoring.keep_lead_data(data)
    scores = wb.scoring.scores()
    assert scores is wb.scoring.scores() and "by_total" in vars(scores)
    assert scores.total.tolist() == [EXPECTED[int(i)][0] + EXPECTED[int(i)][1]
                                     for i in scores.data.ids]
    rule = wb.scoring.rules()[0]
    wb.scoring.update_rule(rule.id, points=rule.points + 7)
    changed = wb.scoring.scores()
    fires = data.points(wb.scoring.rules()[0]) != 0
    assert changed is not scores
    assert (changed.total - scores.total).tolist() == [7 * bool(f) for f in fires]


def test_quadrants_mqls_per_month_and_what_the_mqls_became(wb: Workbook) -> None:
    figures = _cut(wb)
    assert figures.quadrants == {Quadrant.SALES_NOW: 2, Quadrant.NURTURE: 2,
                                 Quadrant.QUALIFY: 1, Quadrant.NO_ACTION: 1}
    # Totals 75 and 65 reach 50; 49 (lead 5) does not. Every quadrant counts by default.
    assert figures.mqls == 2
    assert figures.months == (("2026-01", 0), ("2026-02", 0), ("2026-03", 2))
    assert figures.mqls_per_month == pytest.approx(2 / 3)
    assert (figures.became_opportunity.count, figures.became_opportunity.base) == (1, 2)
    assert figures.became_customer.rate == 0.5


def test_the_mql_rule_follows_the_quadrants_the_teams_choose(wb: Workbook) -> None:
    wb.scoring.set_thresholds(mql_threshold=40)
    assert _cut(wb).mqls == 4  # 75, 65, 45 and 49
    wb.scoring.set_quadrant("qualify", counts_as_mql=False)
    assert _cut(wb).mqls == 3  # lead 5 (49) has too little fit
    wb.scoring.set_quadrant("nurture", counts_as_mql=False)
    assert _cut(wb).mqls == 2  # lead 4 (45) has too little interest


def test_a_cut_without_mqls_says_why_instead_of_zero_percent(wb: Workbook) -> None:
    wb.scoring.set_thresholds(mql_threshold=500)
    figures = _cut(wb)
    assert figures.mqls == 0
    assert figures.became_opportunity.rate is None
    assert figures.became_opportunity.reason == "no lead is an MQL at this cut"


def test_capacity_unknown_is_a_reason_not_a_number(wb: Workbook) -> None:
    figures = _cut(wb)
    assert figures.hours_needed is None and figures.capacity_per_month is None
    assert figures.capacity_reason == ("enter the follow-up hours per MQL and the reps' hours "
                                       "per month")
    wb.scoring.set_capacity(hours_per_mql="1,5")
    assert _cut(wb).capacity_reason == "enter the reps' hours per month"
    wb.scoring.set_capacity(rep_hours_per_month="3")
    figures = _cut(wb)
    assert figures.capacity_per_month == 2.0
    assert figures.hours_needed == pytest.approx(2 / 3 * 1.5)


def test_conversion_by_band_of_ten_points(wb: Workbook) -> None:
    bands = conversion_by_band(wb.scoring.scores(), 10)
    assert [(b.low, b.high, b.leads, b.opportunities, b.customers) for b in bands] == [
        (0, 10, 1, 0, 0), (20, 30, 1, 1, 0), (40, 50, 2, 0, 0), (60, 70, 1, 0, 0),
        (70, 80, 1, 1, 1)]
    assert bands[1].opportunity_rate == 1.0 and bands[2].opportunity_rate == 0.0


@pytest.mark.parametrize("seed", range(4))
def test_bands_match_a_count_lead_by_lead(wb: Workbook, seed: int) -> None:
    """Bands read from the counts per score are those a count of every lead gives, with
    negative totals (a rule can take points away), gaps and any width."""
    rng = np.random.default_rng(seed)
    scores = wb.scoring.scores()
    count = 500
    data = replace(scores.data, customer=rng.random(count) < 0.2,
                   opportunity=None if seed == 3 else rng.random(count) < 0.4)
    fit = rng.integers(-35, 60, count)
    interest = np.where(rng.random(count) < 0.1, 90, rng.integers(-5, 30, count))
    many = ModelScores(data, scores.rules, fit, interest)
    for width in (None, 7, 10, 40):
        bands = conversion_by_band(many, width)
        size = bands[0].high - bands[0].low
        totals = [int(f + i) for f, i in zip(fit, interest, strict=True)]
        expected = []
        for low in range(min(totals) // size * size, max(totals) + 1, size):
            inside = [n for n, t in enumerate(totals) if low <= t < low + size]
            if inside:
                expected.append((low, low + size, len(inside),
                                 None if data.opportunity is None else
                                 sum(bool(data.opportunity[n]) for n in inside),
                                 sum(bool(data.customer[n]) for n in inside)))
        assert [(b.low, b.high, b.leads, b.opportunities, b.customers)
                for b in bands] == expected
        assert width is None or size == width


def test_rule_lift_flags_a_rule_whose_points_disagree_with_outcomes(wb: Workbook) -> None:
    lifts = {lift.rule.label: lift for lift in rule_lifts(wb.scoring.scores(), min_group=1)}
    demo = lifts["Asked for a demo"]  # fires on 1, 3, 4, 5, 6: one opportunity in five
    assert (demo.fires.count, demo.fires.base, demo.rest.count, demo.rest.base) == (1, 5, 1, 1)
    assert demo.lift == pytest.approx(0.2)
    assert demo.verdict == "disagrees"
    industry = lifts["Target industry"]  # 2 of 4 where it fires, 0 of 2 elsewhere
    assert industry.lift is None and industry.verdict == "no conversions to compare with"
    default = {lift.rule.label: lift for lift in rule_lifts(wb.scoring.scores())}
    assert default["Asked for a demo"].verdict == ("too few leads to tell (fewer than 30 on "
                                                   "one side)")


def test_suggested_threshold_keeps_mqls_within_capacity(wb: Workbook) -> None:
    scores, settings, quadrants = (wb.scoring.scores(), wb.scoring.settings(),
                                   wb.scoring.quadrants())
    # 0.5 MQLs a month over three months: one MQL in all, so only the 75 may pass.
    half = SalesCapacity(hours_per_mql=2, rep_hours_per_month=1)
    suggestion = suggest_threshold(scores, settings, quadrants, half)
    assert (suggestion.threshold, suggestion.mqls_per_month) == (66, pytest.approx(1 / 3))
    roomy = suggest_threshold(scores, settings, quadrants, SalesCapacity(1, 100))
    assert roomy.threshold == 0
    unknown = suggest_threshold(scores, settings, quadrants, SalesCapacity(None, 100))
    assert unknown.threshold is None and unknown.reason == "enter the follow-up hours per MQL"


def test_why_a_lead_scored_what_it_did(wb: Workbook) -> None:
    scores = wb.scoring.scores()
    why = explain(scores, 4, wb.scoring.settings(), wb.scoring.quadrants())  # lead 5
    assert (why.lead_id, why.fit, why.interest, why.total) == (5, 15, 34, 49)
    assert why.quadrant is Quadrant.QUALIFY and not why.mql
    fired = [(r.rule.label, r.points, r.note) for r in why.reasons if r.fired]
    assert fired == [("Mid-size", 15, ""), ("Asked for a demo", 30, ""),
                     ("Pricing twice", 4, "+10 halved every 30 days; 44 days old")]
    assert sum(r.points for r in why.reasons) == why.total


def test_rescoring_follows_a_rule_change_and_an_undo(wb: Workbook) -> None:
    rule = next(r for r in wb.scoring.rules() if r.label == "Asked for a demo")
    wb.scoring.update_rule(rule.id, points=50)
    assert int(wb.scoring.scores().interest[0]) == 60
    wb.undo()
    assert int(wb.scoring.scores().interest[0]) == 40


def test_new_leads_are_scored_once_they_arrive(wb: Workbook) -> None:
    assert wb.scoring.scores().data.count == 6
    wb.db.conn.execute("INSERT INTO leads (id, created_at, industry) "
                       "VALUES (7, '2026-04-02T00:00:00', 'Retail')")
    scores = wb.scoring.scores()
    assert scores.data.count == 7 and int(scores.fit[-1]) == 20
    assert scores.data.months[-1] == "2026-04"


def test_no_leads_gives_empty_figures_not_errors(blank: Workbook) -> None:
    figures = _cut(blank)
    assert (figures.leads, figures.mqls, figures.mqls_per_month) == (0, 0, None)
    assert conversion_by_band(blank.scoring.scores()) == []


def test_months_between_the_first_and_last_all_count() -> None:
    assert month_span({"2025-11", "2026-02"}) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_span(set()) == []
