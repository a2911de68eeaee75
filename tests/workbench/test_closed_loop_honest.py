"""Closed-loop numbers that hold on real exports (issue 13), each against figures worked
out by hand from a few leads written straight into a classic funnel (Inquiry → MQL → SAL →
SQL → Opportunity → Customer; SAL, SQL and Opportunity are sales-owned: the pipeline).

- no hindsight: a deal is in the open pipeline from the day it reaches a pipeline stage;
  the forward check's lead timeline says the same at every quarter end;
- a stage reached at an unknown date counts as reached, in no quarter and no time figure;
- "New" and "Open" are no dispositions; a value that is no code leaves the share unknown;
- weighted pipeline and marketing's share are "unknown, because…", never 0.
"""

from __future__ import annotations

import pytest

from workbench import closed_loop, dispositions
from workbench.closed_loop import FollowUp
from workbench.errors import ValidationError
from workbench.planning.lead_pipeline import lead_timeline
from workbench.planning.pipeline_rows import pipeline_stages
from workbench.workbook import Workbook

from .written_leads import Lead, quarters, write_leads

# Q1 and Q2 2026. Amounts: A 8,000, B 20,000, C 5,000, D 4,000, E 3,000.
DEALS = [
    # Created 31 March, an MQL that day, sales-accepted on 19 April: Q2's pipeline only.
    Lead(1, "2026-03-31T10:00:00", "Webinar", {"inquiry": "2026-03-31T10:00:00",
         "mql": "2026-03-31T12:00:00", "sal": "2026-04-19T09:00:00"}, amount=8_000),
    # An opportunity since February, still open.
    Lead(2, "2026-01-10T09:00:00", "Outbound", {"inquiry": "2026-01-10T09:00:00",
         "mql": "2026-01-11T09:00:00", "sal": "2026-01-20T09:00:00",
         "opportunity": "2026-02-10T09:00:00"}, amount=20_000),
    # Won in March: in no quarter-end pipeline.
    Lead(3, "2026-01-15T09:00:00", "Webinar", {"inquiry": "2026-01-15T09:00:00",
         "mql": "2026-01-16T09:00:00", "sal": "2026-02-01T09:00:00",
         "customer": "2026-03-15T09:00:00"}, amount=5_000, won="2026-03-15T09:00:00"),
    # Accepted in March, lost in May; its source is not classified.
    Lead(4, "2026-02-01T09:00:00", "Partner", {"inquiry": "2026-02-01T09:00:00",
         "mql": "2026-02-02T09:00:00", "sal": "2026-03-01T09:00:00"}, amount=4_000,
         lost="2026-05-10T09:00:00"),
    # An MQL with an amount that never reached the pipeline.
    Lead(5, "2026-02-10T09:00:00", "Webinar", {"inquiry": "2026-02-10T09:00:00",
         "mql": "2026-02-11T09:00:00"}, amount=3_000),
]


@pytest.fixture
def deals() -> Workbook:
    return deals_workbook()


def deals_workbook() -> Workbook:
    """`DEALS` in Q1 and Q2 2026; Webinar sourced by marketing, Outbound by sales."""
    wb = Workbook.in_memory("blank")
    write_leads(wb, DEALS)
    quarters(wb, "2026Q1", "2026Q2")
    wb.leads.set_sourced_by("Webinar", "marketing")
    wb.leads.set_sourced_by("Outbound", "sales")
    return wb


def qid(wb: Workbook, label: str) -> int:
    return next(q.id for q in wb.plan.quarters() if q.label == label)


def sid(wb: Workbook, key: str) -> int:
    found = wb.funnel.stage_by_key(key)
    assert found is not None
    return found.id


def probabilities(wb: Workbook, **odds: float) -> None:
    for key, probability in odds.items():
        wb.funnel.update_stage(sid(wb, key), probability=probability)


# -- 1. no hindsight ----------------------------------------------------------------------------
def test_a_deal_is_in_the_pipeline_only_from_the_day_it_reaches_a_pipeline_stage(deals) -> None:
    probabilities(deals, sal=0.1, opportunity=0.4)
    q1 = closed_loop.pipeline(deals, qid(deals, "2026Q1"))
    # B at Opportunity and D at SAL; not A (accepted in April), C (won), E (never accepted).
    assert (q1.open_amount, q1.deals) == (24_000, 2)
    assert q1.by_stage == {sid(deals, "opportunity"): 20_000, sid(deals, "sal"): 4_000}
    assert q1.weighted == pytest.approx(20_000 * 0.4 + 4_000 * 0.1)
    assert q1.by_source == {"Outbound": 20_000, "Partner": 4_000}
    q2 = closed_loop.pipeline(deals, qid(deals, "2026Q2"))
    assert (q2.open_amount, q2.deals) == (28_000, 2)  # A at SAL, B; D lost in May
    assert q2.weighted == pytest.approx(8_000 * 0.1 + 20_000 * 0.4)


def test_the_forward_checks_timeline_has_the_same_open_pipeline_at_quarter_ends(deals) -> None:
    stages = deals.funnel.stages()
    timeline = lead_timeline(deals, stages, pipeline_stages(stages))
    assert timeline is not None
    for quarter in deals.plan.quarters():
        loop = closed_loop.pipeline(deals, quarter.id)
        by_stage: dict[int, float] = {}
        counted = 0
        for (stage_id, _), cell in timeline.open_at(quarter.end_date).items():
            by_stage[stage_id] = by_stage.get(stage_id, 0.0) + cell.amount
            counted += cell.with_amount
        assert {k: v for k, v in by_stage.items() if v} == loop.by_stage, quarter.label
        assert counted == loop.deals, quarter.label


# -- 2. stages reached at an unknown date -------------------------------------------------------
UNDATED = [
    # F: an MQL whose status says SQL, with no date for it.
    Lead(11, "2026-01-05T00:00:00", "Webinar", {"inquiry": "2026-01-05T00:00:00",
         "mql": "2026-01-06T00:00:00", "sql": None}),
    # G: MQL → SAL in 24 h, then a customer at an unknown date; touched 6 h after MQL.
    Lead(12, "2026-01-07T00:00:00", "Webinar", {"inquiry": "2026-01-07T00:00:00",
         "mql": "2026-01-08T00:00:00", "sal": "2026-01-09T00:00:00", "customer": None},
         touch="2026-01-08T06:00:00"),
    # H: an MQL at an unknown date, accepted on 12 January; touched on 11 January.
    Lead(13, "2026-01-10T00:00:00", "Webinar", {"inquiry": "2026-01-10T00:00:00",
         "mql": None, "sal": "2026-01-12T00:00:00"}, touch="2026-01-11T00:00:00"),
    # J: an opportunity at an unknown date, worth 9,000.
    Lead(14, "2026-02-01T00:00:00", "Webinar", {"inquiry": "2026-02-01T00:00:00",
         "opportunity": None}, amount=9_000),
]


@pytest.fixture
def undated() -> Workbook:
    wb = Workbook.in_memory("blank")
    write_leads(wb, UNDATED)
    quarters(wb, "2026Q1")
    return wb


def test_a_stage_reached_at_an_unknown_date_counts_as_reached_in_no_quarter(undated) -> None:
    q1 = qid(undated, "2026Q1")
    volumes = {v.stage_id: (v.reached, v.advanced) for v in closed_loop.stage_volumes(undated, q1)}
    assert volumes == {
        sid(undated, "inquiry"): (4, 4),  # J went on to its undated opportunity
        sid(undated, "mql"): (2, 2),  # F and G (H's MQL has no date); F advanced to its SQL
        sid(undated, "sal"): (2, 1),  # G and H; G became a customer (date unknown)
        sid(undated, "sql"): (0, 0), sid(undated, "opportunity"): (0, 0),
        sid(undated, "customer"): (0, 0)}


def test_time_figures_leave_out_what_an_unknown_date_would_decide(undated) -> None:
    q1 = qid(undated, "2026Q1")
    times = {t.stage_id: (t.leads, t.median_hours) for t in
             closed_loop.time_in_stage(undated, q1)}
    # Inquiry: F and G 24 h each; H's next stage (MQL) has no date, J's neither.
    assert times[sid(undated, "inquiry")] == (2, 24.0)
    assert times[sid(undated, "mql")] == (1, 24.0)  # G only: F's SQL has no date
    assert times[sid(undated, "sal")] == (0, None)  # G's customer date is unknown
    # Follow-up: F and G are the quarter's MQLs; G touched after 6 h; H is in no quarter.
    assert closed_loop.follow_up(undated, q1, 24) == FollowUp(2, 1, 1, 6.0)
    assert closed_loop.undated_leads(undated) == 4


def test_an_undated_stage_moves_no_deal_in_either_pipeline(undated) -> None:
    probabilities(undated, opportunity=0.5)
    q1 = undated.plan.quarters()[0]
    pipe = closed_loop.pipeline(undated, q1.id)
    # J's undated opportunity is in no pipeline; G and H stand at SAL without amounts and
    # there is no plan with a deal size: their worth is unknown, not 0.
    assert (pipe.deals, pipe.open_amount, pipe.weighted) == (2, None, None)
    assert pipe.weight_reason == ("2 open Sales Accepted Lead leads have no amount and the "
                                  "plan has no deal size.")
    stages = undated.funnel.stages()
    timeline = lead_timeline(undated, stages, pipeline_stages(stages))
    assert timeline is not None
    open_now = timeline.open_at(q1.end_date)
    assert sum(c.with_amount for c in open_now.values()) == 0
    assert sum(c.count for c in open_now.values()) == 2  # G and H at SAL, no amounts
    assert timeline.won_between(q1.start_date, q1.end_date) == {}  # G's customer: undated


def test_summaries_added_up_as_an_import_does_equal_a_rebuild(undated) -> None:
    """An import hands the summariser seconds, `UNDATED` for a stage with no date; a
    rebuild reads the NULLs back: the same summaries either way."""
    import numpy as np

    from workbench.imports.summaries import UNDATED as NO_KNOWN_DATE
    from workbench.imports.summaries import LeadColumns
    from workbench.imports.summariser import Summariser

    conn = undated.db.conn
    closed_loop.refresh(undated, force=True)
    rebuilt = conn.execute("SELECT * FROM lead_summary_cells ORDER BY 1, 2, 3, 4").fetchall()
    hours = conn.execute("SELECT * FROM lead_summary_hours ORDER BY 1, 2, 3, 4").fetchall()
    keys = [s.key for s in undated.funnel.stages()]

    def column(key: str) -> np.ndarray:
        moments = [lead.stages.get(key, "") for lead in UNDATED]
        return np.array([NO_KNOWN_DATE if m is None else
                         np.datetime64(m or "NaT", "s").view(np.int64) if m else
                         (1 << 63) - 1 for m in moments], dtype=np.int64)

    summariser = Summariser([sid(undated, k) for k in keys], sid(undated, "mql"))
    summariser.add(LeadColumns(
        source=[lead.source for lead in UNDATED], created=[lead.created for lead in UNDATED],
        stage_dates=[column(k) for k in keys],  # type: ignore[misc]
        first_touch=[lead.touch for lead in UNDATED], disposition=[None] * len(UNDATED),
        amount=[lead.amount for lead in UNDATED], won=[None] * len(UNDATED),
        lost=[None] * len(UNDATED)))
    with undated.db.atomic():
        summariser.write(conn, "test")
    assert conn.execute("SELECT * FROM lead_summary_cells ORDER BY 1, 2, 3, 4").fetchall() \
        == rebuilt
    assert conn.execute("SELECT * FROM lead_summary_hours ORDER BY 1, 2, 3, 4").fetchall() \
        == hours


# -- 3. dispositions ----------------------------------------------------------------------------
def mqls(values: list[str | None]) -> Workbook:
    wb = Workbook.in_memory("blank")
    write_leads(wb, [Lead(n, f"2026-01-{n:02d}T09:00:00", "Webinar",
                          {"mql": f"2026-01-{n:02d}T10:00:00"}, disposition=value)
                     for n, value in enumerate(values, start=1)])
    quarters(wb, "2026Q1")
    return wb


def test_new_and_open_are_no_disposition_yet() -> None:
    wb = mqls(["accepted", "not_a_fit", "new"])  # a new workbook knows New and Open
    found = closed_loop.dispositions(wb, qid(wb, "2026Q1"))
    assert (found.mqls, found.dispositioned, found.not_yet) == (3, 2, 1)
    assert found.share_dispositioned == pytest.approx(2 / 3)  # not 100 %


def test_a_value_that_is_no_code_leaves_the_share_as_a_range() -> None:
    wb = mqls(["accepted", "accepted", "new", "open", None, "Callback"])
    q1 = qid(wb, "2026Q1")
    found = closed_loop.dispositions(wb, q1)
    assert (found.mqls, found.dispositioned, found.not_yet) == (6, 2, 2)
    assert found.unmapped == {"Callback": 1}
    assert found.share_dispositioned is None
    assert found.share_range == (2 / 6, 3 / 6)
    dispositions.add_code(wb, "Callback", "Call back later")
    assert closed_loop.dispositions(wb, q1).share_dispositioned == 0.5
    dispositions.update_code(wb, "Callback", disposed=False)
    assert closed_loop.dispositions(wb, q1).share_dispositioned == pytest.approx(2 / 6)


def test_disposition_codes_are_listed_added_and_changed_with_undo() -> None:
    wb = Workbook.in_memory("blank")
    before = dispositions.codes(wb)
    assert [c.code for c in before][:2] == ["accepted", "contacted"]
    assert [c.code for c in before if not c.disposed] == ["new", "open"]
    changes = dispositions.add_code(wb, "untouched", "Untouched", disposed=False,
                                    meaning="Not worked yet")
    assert changes.step == "Add disposition code" and "disposition_codes" in changes.tables
    assert dispositions.codes(wb)[-1] == dispositions.DispositionCode(
        "untouched", "Untouched", "Not worked yet", False)
    wb.undo()
    assert dispositions.codes(wb) == before
    wb.redo()
    changes = dispositions.update_code(wb, "untouched", disposed=True, label="Brand new")
    assert changes.step == "Edit disposition code"
    assert dispositions.codes(wb)[-1].disposed and dispositions.codes(wb)[-1].label == "Brand new"
    wb.undo()
    assert dispositions.codes(wb)[-1] == dispositions.DispositionCode(
        "untouched", "Untouched", "Not worked yet", False)
    wb.redo()
    assert dispositions.codes(wb)[-1].disposed


@pytest.mark.parametrize(("call", "message"), [
    (lambda wb: dispositions.add_code(wb, "  ", "Blank"), "Name the disposition code."),
    (lambda wb: dispositions.add_code(wb, "accepted", "Again"), "already a disposition code"),
    (lambda wb: dispositions.update_code(wb, "nope", disposed=False), "no disposition code"),
    (lambda wb: dispositions.update_code(wb, "accepted", label=" "), "needs a label"),
])
def test_bad_disposition_codes_are_refused_and_change_nothing(call, message) -> None:
    wb = Workbook.in_memory("blank")
    before = dispositions.codes(wb)
    with pytest.raises(ValidationError, match=message):
        call(wb)
    assert dispositions.codes(wb) == before


# -- 4. missing inputs --------------------------------------------------------------------------
def test_weighted_pipeline_without_probabilities_is_unknown_not_zero(deals) -> None:
    q1 = qid(deals, "2026Q1")
    none = closed_loop.pipeline(deals, q1)
    assert none.weighted is None
    assert none.weight_reason == ("No pipeline stage has a probability and the plan lacks the "
                                  "conversion rates to weight them.")
    probabilities(deals, sal=0.1)
    some = closed_loop.pipeline(deals, q1)
    assert some.weighted is None
    assert some.weight_reason == ("Opportunity has no probability and the plan lacks a "
                                  "conversion rate.")


def test_marketing_share_with_unclassified_sources_is_unknown_with_the_reason(deals) -> None:
    q1, q2 = qid(deals, "2026Q1"), qid(deals, "2026Q2")
    assert closed_loop.sourced_shares(deals, q1).pipeline == {}  # no weights: not known
    probabilities(deals, sal=0.1, opportunity=0.4)
    shares = closed_loop.sourced_shares(deals, q1)
    # B 20,000 × 0.4 (Outbound: sales), D 4,000 × 0.1 (Partner: not classified).
    assert shares.pipeline == {"sales": 8_000, "unclassified": 400}
    share = shares.pipeline_marketing
    assert share.value is None
    assert share.reason == ("4.8 % of the weighted pipeline comes from sources not "
                            "classified yet: classify them on the Sources tab")
    assert (share.low, share.high) == (0.0, pytest.approx(400 / 8_400))
    assert shares.won_share == 1.0  # C's 5,000: a classified source
    # Q2: A 8,000 × 0.1 (Webinar: marketing) beside B's 8,000.
    assert closed_loop.sourced_shares(deals, q2).pipeline_share == pytest.approx(800 / 8_800)
    deals.leads.set_sourced_by("Partner", "partner")
    assert closed_loop.sourced_shares(deals, q1).pipeline_share == 0.0  # now truly none
