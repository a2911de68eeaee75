"""The sandbox's figures at a cut, read from the fit × interest grid, are the counts a plain
count of every lead gives: quadrants, MQLs, MQLs per month, what the MQLs became — with
negative points, leads without a creation month, no opportunity stage, and a grid too big
to keep (then counted lead by lead)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from workbench import score_grid
from workbench.lead_scores import QUADRANT_ORDER, ModelScores, _factorised, _read_column
from workbench.model import Quadrant, QuadrantRule, SalesCapacity, ScoringSettings
from workbench.rule_match import value_matches
from workbench.score_figures import cut_figures
from workbench.workbook import Workbook

from .scored_leads import scored_workbook

MONTHS = ["2025-11", "2025-12", "2026-01", "2026-02"]


def _leads(wb: Workbook, seed: int, count: int = 600, *, spread: int = 40) -> ModelScores:
    rng = np.random.default_rng(seed)
    data = replace(wb.scoring.scores().data, ids=np.arange(1, count + 1), months=MONTHS,
                   month_index=rng.integers(-1, len(MONTHS), count).astype(np.int32),
                   customer=rng.random(count) < 0.15,
                   opportunity=None if seed % 3 == 2 else rng.random(count) < 0.3)
    fit = rng.integers(-spread, spread + 30, count)
    interest = np.where(rng.random(count) < 0.05, 95, rng.integers(-10, spread, count))
    return ModelScores(data, [], fit, interest)


def _by_hand(scores: ModelScores, settings: ScoringSettings,
             counting: set[Quadrant]) -> tuple[object, ...]:
    """Each lead placed by the rule in words: fit and interest against their thresholds,
    an MQL when its total reaches the MQL threshold in a quadrant that counts."""
    data = scores.data
    quadrants = dict.fromkeys(QUADRANT_ORDER, 0)
    mqls, per_month, became = 0, [0] * len(MONTHS), [0, 0]
    for n in range(len(scores.fit)):
        fit, interest = int(scores.fit[n]), int(scores.interest[n])
        place = {(True, True): Quadrant.SALES_NOW, (True, False): Quadrant.NURTURE,
                 (False, True): Quadrant.QUALIFY, (False, False): Quadrant.NO_ACTION}[
            (fit >= settings.fit_threshold, interest >= settings.interest_threshold)]
        quadrants[place] += 1
        if fit + interest >= settings.mql_threshold and place in counting:
            mqls += 1
            if data.month_index[n] >= 0:
                per_month[data.month_index[n]] += 1
            became[0] += bool(data.opportunity[n]) if data.opportunity is not None else 0
            became[1] += bool(data.customer[n])
    return quadrants, mqls, tuple(zip(MONTHS, per_month, strict=True)), \
        (None if data.opportunity is None else became[0]), became[1]


def _figures(scores: ModelScores, settings: ScoringSettings,
             counting: set[Quadrant]) -> tuple[object, ...]:
    rules = {q: QuadrantRule(q, "", q in counting) for q in QUADRANT_ORDER}
    cut = cut_figures(scores, settings, rules, SalesCapacity(None, None))
    opportunities = cut.became_opportunity.count
    if scores.data.opportunity is None:
        assert cut.became_opportunity.rate is None
        assert cut.became_opportunity.reason == ("the funnel has no opportunity stage"
                                                 if cut.mqls else "no lead is an MQL at this cut")
        opportunities = None
    return cut.quadrants, cut.mqls, cut.months, opportunities, cut.became_customer.count


@pytest.fixture
def wb(blank: Workbook) -> Workbook:
    return scored_workbook(blank)


@pytest.mark.parametrize("seed", range(6))
def test_a_cut_read_from_the_grid_counts_what_each_lead_says(wb: Workbook, seed: int) -> None:
    scores = _leads(wb, seed)
    assert scores.grid is not None
    rng = np.random.default_rng(100 + seed)
    for _ in range(12):
        settings = ScoringSettings(int(rng.integers(-20, 120)), int(rng.integers(-30, 70)),
                                   int(rng.integers(-10, 60)))
        counting = {q for q in QUADRANT_ORDER if rng.random() < 0.6}
        expected = _by_hand(scores, settings, counting)
        assert _figures(scores, settings, counting) == expected


def test_a_grid_too_big_to_keep_is_not_made_and_leads_are_counted_one_by_one(
        wb: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    scores = _leads(wb, 4)
    monkeypatch.setattr(score_grid, "MOST_CELLS", 10)
    assert scores.grid is None
    settings = ScoringSettings(40, 10, 15)
    counting = {Quadrant.SALES_NOW, Quadrant.QUALIFY}
    assert _figures(scores, settings, counting) == _by_hand(scores, settings, counting)


def test_many_months_are_counted_sparsely_and_still_exactly(
        wb: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_grid, "_DENSE_MONTHS", 1)
    scores = _leads(wb, 1)
    settings = ScoringSettings(30, 5, 5)
    counting = set(QUADRANT_ORDER)
    assert _figures(scores, settings, counting) == _by_hand(scores, settings, counting)


def test_no_leads_no_grid(wb: Workbook) -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert score_grid.grid_of(empty, empty, empty.astype(bool), None,
                              empty.astype(np.int32), 3) is None


@pytest.mark.parametrize("spread", [40, 40_000])
def test_best_first_is_the_stable_order_of_the_totals_high_to_low(wb: Workbook,
                                                                  spread: int) -> None:
    """The table's order (radix-sorted when totals span under 65,536 points, else
    compared) is a stable sort by total, highest first: ties stay in lead order."""
    scores = _leads(wb, 2, spread=spread)
    order = scores.best_first.tolist()
    totals = [int(f + i) for f, i in zip(scores.fit, scores.interest, strict=True)]
    assert order == sorted(range(len(totals)), key=lambda n: -totals[n])


def test_one_lead_s_quadrant_and_mql_are_what_every_lead_s_say(wb: Workbook) -> None:
    scores = _leads(wb, 5)
    settings = ScoringSettings(35, 10, 12)
    rules = {q: QuadrantRule(q, "", q is not Quadrant.NO_ACTION) for q in QUADRANT_ORDER}
    index, mql = scores.quadrant_index(settings), scores.mql(settings, rules)
    assert [scores.quadrant_of(n, settings) for n in range(len(index))] == \
        [QUADRANT_ORDER[i] for i in index]
    assert [scores.is_mql(n, settings, rules) for n in range(len(mql))] == mql.tolist()


def test_whether_a_field_is_filled_is_read_as_each_value_says(blank: Workbook) -> None:
    """An "exists" rule on a lead field is answered by SQLite, without the field's values;
    the answer is the one `value_matches` gives each value (None and "" are empty; a
    space, 0 and text are there)."""
    companies = ["", "", " ", "Acme", "0", "Zoë 李雷 😀"]
    amounts = [None, 0.0, 12.5, None, 3.0, 0.0]
    blank.db.conn.executemany(
        "INSERT INTO leads (external_id, created_at, company, amount) VALUES (?, ?, ?, ?)",
        [(f"L{n}", f"2026-01-0{n + 1}", c, a)
         for n, (c, a) in enumerate(zip(companies, amounts, strict=True))])
    for attribute in ("company", "amount"):
        blank.scoring.add_rule(kind="fit", attribute=attribute, operator="exists", points=5)
    data = blank.scoring.lead_data()
    for rule, values in zip(blank.scoring.rules(), (companies, amounts), strict=True):
        expected = [value_matches(rule, v) for v in values]
        assert data.mask(rule).tolist() == expected
        data.masks.clear()
        data.column(rule.attribute)  # read: now answered from its values, the same
        assert data.mask(rule).tolist() == expected


def test_imported_columns_read_in_one_pass_are_what_sqlite_reads_column_by_column(
        blank: Workbook) -> None:
    """Several imported columns are read with one parse of each lead's JSON: the values,
    and so every rule's matches, are those SQLite's json_extract gives column by column
    (true and false as booleans, a list as its JSON text, a key missing or null as None)."""
    values = [
        {"a": True, "b": 1, "c": "Zoë 李雷 😀", "d\"q": "<b>x</b>"},
        {"a": False, "b": 1.0, "c": "", "d\"q": None},
        {"a": 1, "b": "1", "c": [1, "two", {"x": None}], "e": 2},
        {},
        {"a": None, "b": 12345678901234, "c": {"k": "v"}, "d\"q": 0.5},
    ]
    blank.db.conn.executemany(
        "INSERT INTO leads (external_id, created_at, attributes) VALUES (?, ?, ?)",
        [(f"L{n}", f"2026-01-0{n + 1}", json.dumps(v, ensure_ascii=False))
         for n, v in enumerate(values)])
    blank.db.conn.execute("INSERT INTO leads (external_id, created_at) VALUES ('L9', "
                          "'2026-01-09')")  # no attributes at all
    names = ["a", "b", "c", 'd"q', "e"]
    data = blank.scoring.lead_data()
    expected = {name: _factorised(_read_column(data.conn, name)) for name in names}
    data.read_columns(names)
    for name in names:
        by_column, read = expected[name], data.columns[name]
        assert [read.values[c] for c in read.codes] == \
            [by_column.values[c] for c in by_column.codes], name
        assert [type(read.values[c]) for c in read.codes] == \
            [type(by_column.values[c]) for c in by_column.codes], name
