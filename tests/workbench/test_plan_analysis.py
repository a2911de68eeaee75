"""Deriving plan inputs from actuals, comparing scenarios, and the forward check, each on
a small fixture whose numbers are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workbench.test_plan import worked_plan
from workbench.chartdata import Status
from workbench.model import QuarterId
from workbench.planning.derive import derive_from_actuals
from workbench.planning.forward import Basis, Phase, forward_check
from workbench.planning.scenarios import compare_scenarios
from workbench.workbook import Workbook

# Two past quarters of actuals in the classic funnel, per stage: (count, value).
#                Inquiry  MQL  SAL  SQL  Opportunity       Customer
Q1 = [(1000, 0), (200, 0), (120, 0), (60, 0), (30, 900_000), (6, 300_000)]
Q2 = [(1000, 0), (300, 0), (150, 0), (90, 0), (30, 1_200_000), (4, 260_000)]


@pytest.fixture
def history(blank: Workbook) -> tuple[Workbook, list[QuarterId]]:
    stages = blank.funnel.stages()
    ids = []
    for label, rows in (("2026Q1", Q1), ("2026Q2", Q2)):
        _, qid = blank.plan.add_quarter(label)
        ids.append(qid)
        for stage, (count, value) in zip(stages, rows, strict=True):
            blank.actuals.set_actual(qid, stage.id, "", count, value)
    return blank, ids


def test_derive_from_actuals_of_two_quarters(history) -> None:
    workbook, ids = history
    derived = derive_from_actuals(workbook, ids)
    # Deal size = (300,000 + 260,000) ÷ (6 + 4) = 56,000
    assert derived.avg_deal_size == 56_000
    assert derived.deal_size_arithmetic == "560,000 USD ÷ 10 = 56,000 USD"
    # Inquiry→MQL 500/2000 = 25 %; MQL→SAL 270/500 = 54 %; SAL→SQL 150/270 = 55.6 %;
    # SQL→Opp 60/150 = 40 %; Opp→Customer 10/60 = 16.7 %
    rates = [r.rate for r in derived.rates]
    assert rates == pytest.approx([0.25, 0.54, 150 / 270, 0.40, 10 / 60])
    assert derived.rates[1].arithmetic == "270 ÷ 500 = 54 %"
    assert derived.span == "2026Q1–2026Q2"


def test_derive_from_one_quarter_and_apply_as_one_step(history) -> None:
    workbook, ids = history
    derived = derive_from_actuals(workbook, ids[:1])
    assert derived.avg_deal_size == 50_000  # 300,000 ÷ 6
    _, plan_id = workbook.plan.add_plan(ids[1], "From actuals", revenue_goal=1_000_000)
    workbook.plan.set_inputs(plan_id, avg_deal_size=derived.avg_deal_size,
                             conversions=derived.conversions, step="Derive plan from actuals")
    assert workbook.plan.plan(plan_id).avg_deal_size == 50_000
    assert workbook.plan.conversions(plan_id) == derived.conversions
    workbook.undo()
    assert workbook.plan.conversions(plan_id) == {}
    assert workbook.plan.plan(plan_id).avg_deal_size is None


def test_derive_explains_what_it_cannot(blank: Workbook) -> None:
    _, qid = blank.plan.add_quarter("2026Q1")
    stages = blank.funnel.stages()
    blank.actuals.set_actual(qid, stages[0].id, "", 100)
    blank.actuals.set_actual(qid, stages[1].id, "", 150)  # more MQLs than inquiries
    derived = derive_from_actuals(blank, [qid])
    assert derived.avg_deal_size is None
    assert derived.deal_size_reason == "No Customer in the actuals of 2026Q1."
    assert derived.rates[0].rate is None
    assert derived.rates[0].reason == ("More reached Marketing Qualified Lead (150) than "
                                       "Inquiry (100) in 2026Q1: not usable as a rate.")
    assert derived.rates[1].reason == ("No Sales Accepted Lead in the actuals of 2026Q1: "
                                       "a 0 % rate cannot plan.")
    assert derived.rates[2].reason == "No Sales Accepted Lead in the actuals of 2026Q1."
    assert derived.conversions == {}


def test_compare_scenarios_marks_what_differs(blank: Workbook) -> None:
    _, base = worked_plan(blank)
    blank.plan.commit_plan(base)
    _, stretch = blank.plan.copy_plan(base, "MQL→SAL +10 pts")
    mql = blank.funnel.stages()[1]
    blank.plan.set_conversion(stretch, mql.id, 0.80)
    table = compare_scenarios(blank, [stretch, base])
    assert [p.name for p in table.plans] == ["MQL→SAL +10 pts", "Base"]
    assert table.baseline == 1  # the committed plan
    rate = table.row("Marketing Qualified Lead → Sales Accepted Lead")
    assert rate.texts == ("80 %", "70 %") and rate.differs == (True, False)
    assert rate.deltas == ("+10 pts", "")
    # 2,667 SALs ÷ 80 % = 3,333.75 → 3,334 MQLs; 3,334 ÷ 15 % = 22,226.67 → 22,227 leads
    mqls = table.row("Marketing Qualified Lead")
    assert mqls.texts == ("3,334", "3,810") and mqls.deltas == ("-476", "")
    assert table.row("Inquiry").texts == ("22,227", "25,400")
    assert table.row("Sales Accepted Lead").differs == (False, False)
    assert table.row("Revenue goal").differs == (False, False)


IN_Q4 = date(2026, 11, 23)


@pytest.fixture
def pipeline(blank: Workbook):
    """2026Q4 of the classic funnel with probabilities set on the sales stages."""
    stages = blank.funnel.stages()
    for stage, probability in zip(stages[2:5], (0.1, 0.2, 0.4), strict=True):
        blank.funnel.update_stage(stage.id, probability=probability)
    blank.db.conn.execute("INSERT INTO sources (name, sourced_by) VALUES ('Webinar', "
                          "'marketing'), ('Outbound', 'sales')")
    quarter_id, plan_id = worked_plan(blank, "2026Q4")
    blank.plan.update_plan(plan_id, revenue_goal=1_000_000, avg_deal_size=50_000)
    blank.plan.commit_plan(plan_id)
    cells = {  # stage index: [(source, count, value)]
        2: [("Webinar", 60, 0), ("Outbound", 40, 0)],   # SAL 100
        3: [("Webinar", 30, 0), ("Outbound", 30, 0)],   # SQL 60
        4: [("Webinar", 15, 750_000), ("Outbound", 5, 450_000)],  # Opportunity 20, 60,000 each
        5: [("Webinar", 3, 160_000), ("Outbound", 1, 40_000)],    # Customer 4 won, 200,000
    }
    for index, rows in cells.items():
        for source, count, value in rows:
            blank.actuals.set_actual(quarter_id, stages[index].id, source, count, value)
    return blank, quarter_id


def test_forward_check_arithmetic(pipeline) -> None:
    workbook, quarter_id = pipeline
    check = forward_check(workbook, quarter_id, today=IN_Q4)
    assert check.basis is Basis.ACTUALS  # no imported leads: counted from the actuals
    assert check.basis_note == ("From 2026Q4's actuals per stage: the workbook has no imported "
                                "leads.")
    # SAL open 100 − 60 = 40 × 50,000 (plan deal size) × 10 % = 200,000
    # SQL open 60 − 20 = 40 × 50,000 × 20 % = 400,000
    # Opportunity open 20 − 4 = 16 × 60,000 (its own value) × 40 % = 384,000
    assert [(s.name, s.open, s.weighted) for s in check.stages] == [
        ("Sales Accepted Lead", 40, pytest.approx(200_000)),
        ("Sales Qualified Lead", 40, pytest.approx(400_000)),
        ("Opportunity", 16, pytest.approx(384_000)),
    ]
    assert check.won_value == 200_000
    assert check.on_track_for == pytest.approx(1_184_000)
    assert check.share_of_goal == pytest.approx(1.184)
    assert check.status is Status.GOOD
    assert check.summary == ("2026Q4 is on track: 1,184,000 USD of the 1,000,000 USD goal "
                             "(118.4 %) — 200,000 USD won so far + 984,000 USD weighted open "
                             "pipeline.")
    assert check.stages[2].arithmetic == ("(20 reached − 4 moved on) × 60,000 USD × 40 % = "
                                          "384,000 USD")
    # Marketing share: SAL 60 % of 200,000 + SQL 50 % of 400,000 + Opp 75 % of 384,000
    assert check.pipeline_by("marketing") == pytest.approx(120_000 + 200_000 + 288_000)
    assert check.marketing_share == pytest.approx(608_000 / 984_000)


def test_forward_check_behind_and_without_probabilities(pipeline) -> None:
    workbook, quarter_id = pipeline
    stages = workbook.funnel.stages()
    workbook.funnel.update_stage(stages[2].id, probability=None)
    plan = workbook.plan.committed_plan(quarter_id)
    workbook.plan.update_plan(plan.id, revenue_goal=2_000_000)
    check = forward_check(workbook, quarter_id, today=IN_Q4)
    # SAL now weighted by the plan's conversions down to Customer: 60 % × 50 % × 25 % = 7.5 %
    assert check.stages[0].weight == pytest.approx(0.075)
    assert check.stages[0].weight_basis == "plan conversions"
    assert check.stages[0].weighted == pytest.approx(40 * 50_000 * 0.075)
    assert check.status is Status.BAD
    assert "behind" in check.summary and "Gap: 866,000 USD." in check.summary


def test_forward_check_from_actuals_once_the_quarter_ended(pipeline) -> None:
    workbook, quarter_id = pipeline
    check = forward_check(workbook, quarter_id, today=date(2027, 1, 15))
    assert check.phase is Phase.ENDED
    # The result is the 4 customers' 200,000; the 984,000 weighted pipeline carries over
    assert check.summary == ("2026Q4 ended: 200,000 USD won of the 1,000,000 USD goal (20 %) "
                             "— behind by 800,000 USD.")
    assert check.on_track_for == 200_000
    assert check.weighted_pipeline == pytest.approx(984_000)
    assert check.pipeline_note == ("Not part of the result: the pipeline open when 2026Q4 "
                                   "ended (31 Dec 2026), 984,000 USD weighted, carries into "
                                   "2027Q1.")
