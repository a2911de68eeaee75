"""Every closed-loop number against values worked out by hand from
tests/fixtures/closed_loop_leads.csv (seven leads, 2026Q1 and 2026Q2).

The fixture, in short (times in hours between the dates in the file):
- L1 Webinar: inquiry→MQL 3, MQL→SAL 24, SAL→SQL 96, SQL→opp 240, opp→won 1164 (won
  10,000 on 10 March); touched 2 h after MQL.
- L2 Webinar: inquiry→MQL 24; touched after 36 h; "Not a fit".
- L3 Webinar: inquiry→MQL 24, MQL→SAL 24, SAL→SQL 168, SQL→opp 120; open deal of 20,000;
  touched after 6 h; "accepted".
- L4 Webinar: an inquiry only.  L5 Partner: inquiry→MQL 8; never touched; "no_response".
- L6 Outbound: inquiry→MQL 1, MQL→SAL 48, SAL→opp 336 (in April); 5,000, lost 1 May;
  touched after 24 h.
- L7 Webinar (2026Q2): touched an hour before it became an MQL; "Recycle to nurture".
"""

from __future__ import annotations

import pytest

from workbench import closed_loop
from workbench.closed_loop import FollowUp, percentile
from workbench.errors import ValidationError
from workbench.imports import Mapping, import_leads, summaries
from workbench.model import QuarterId
from workbench.workbook import Workbook

from .test_import_formats import FIXTURES

MAPPING = Mapping(
    fields={"external_id": "Lead ID", "created": "Created", "source": "Source",
            "won": "Won Date", "lost": "Lost Date", "first_touch": "First Touch",
            "disposition": "Disposition", "amount": "Amount"},
    stage_dates={"MQL": "MQL Date", "SAL": "SAL Date", "SQL": "SQL Date",
                 "Opportunity": "Opportunity Date"})
KEYS = ("inquiry", "mql", "sal", "sql", "opportunity", "customer")


@pytest.fixture(scope="module")
def loop() -> Workbook:
    """The fixture imported into a classic funnel; read-only for the tests below."""
    wb = Workbook.in_memory("blank")
    import_leads(wb, FIXTURES / "closed_loop_leads.csv", MAPPING)
    for label in ("2026Q1", "2026Q2"):
        wb.plan.add_quarter(label)
    wb.leads.set_sourced_by("Webinar", "marketing")
    wb.leads.set_sourced_by("Outbound", "sales")
    for key, probability in (("sal", 0.1), ("opportunity", 0.4)):
        wb.funnel.update_stage(stage(wb, key), probability=probability)
    return wb


def stage(wb: Workbook, key: str) -> int:
    found = wb.funnel.stage_by_key(key)
    assert found is not None
    return found.id


def quarter(wb: Workbook, label: str) -> QuarterId:
    return next(q.id for q in wb.plan.quarters() if q.label == label)


def by_key(wb: Workbook, values: list[object], *fields: str) -> dict[str, tuple[object, ...]]:
    keys = {s.id: s.key for s in wb.funnel.stages()}
    return {keys[v.stage_id]: tuple(getattr(v, f) for f in fields)  # type: ignore[attr-defined]
            for v in values}


def test_volume_and_conversion_at_each_stage(loop: Workbook) -> None:
    q1 = closed_loop.stage_volumes(loop, quarter(loop, "2026Q1"))
    assert by_key(loop, q1, "reached", "advanced") == {
        "inquiry": (6, 5), "mql": (5, 3), "sal": (3, 3), "sql": (2, 2), "opportunity": (2, 1),
        "customer": (1, 0)}
    assert [v.conversion for v in q1] == [5 / 6, 3 / 5, 1.0, 1.0, 0.5, 0.0]
    assert by_key(loop, q1, "amount")["opportunity"] == (30_000.0,)
    q2 = closed_loop.stage_volumes(loop, quarter(loop, "2026Q2"))
    assert by_key(loop, q2, "reached") == {"inquiry": (1,), "mql": (1,), "sal": (0,), "sql": (0,),
                                           "opportunity": (1,), "customer": (0,)}
    assert q2[2].conversion is None  # nobody reached SAL: no rate, not 0 %


def test_volume_per_source(loop: Workbook) -> None:
    outbound = closed_loop.stage_volumes(loop, quarter(loop, "2026Q1"), "Outbound")
    assert [v.reached for v in outbound] == [1, 1, 1, 0, 0, 0]
    webinar = closed_loop.stage_volumes(loop, quarter(loop, "2026Q1"), "Webinar")
    assert [v.reached for v in webinar] == [4, 3, 2, 2, 2, 1]


def test_median_and_p90_time_in_stage(loop: Workbook) -> None:
    times = closed_loop.time_in_stage(loop, quarter(loop, "2026Q1"))
    got = by_key(loop, times, "leads", "median_hours", "p90_hours")
    assert got.pop("customer") == (0, None, None)  # nobody moved on from the last stage
    assert got == {
        "inquiry": (5, 8.0, 24.0),  # [1, 3, 8, 24, 24]
        "mql": (3, 24.0, pytest.approx(43.2)),  # [24, 24, 48]: p90 at rank 1.8
        "sal": (3, 168.0, pytest.approx(302.4)),  # [96, 168, 336]
        "sql": (2, 180.0, pytest.approx(228.0)),  # [120, 240]: halfway; p90 at rank 0.9
        "opportunity": (1, 1164.0, 1164.0)}


def test_mql_follow_up_and_the_share_within_the_sla(loop: Workbook) -> None:
    q1 = quarter(loop, "2026Q1")
    assert closed_loop.follow_up(loop, q1, 24) == FollowUp(5, 4, 3, 15.0)  # 2, 6, 24 | 36
    assert closed_loop.follow_up(loop, q1, 24).share_within == 0.6
    assert closed_loop.follow_up(loop, q1, 23.99) == FollowUp(5, 4, 2, 15.0)
    assert closed_loop.follow_up(loop, q1, 24, "Webinar") == FollowUp(3, 3, 2, 6.0)
    # A touch before the lead became an MQL counts as followed up at once.
    assert closed_loop.follow_up(loop, quarter(loop, "2026Q2"), 1) == FollowUp(1, 1, 1, 0.0)


def test_share_of_mqls_dispositioned_and_dispositions_by_code(loop: Workbook) -> None:
    q1 = closed_loop.dispositions(loop, quarter(loop, "2026Q1"))
    assert (q1.mqls, q1.dispositioned, q1.share_dispositioned) == (5, 3, 0.6)
    assert q1.by_code == {"accepted": 1, "no_response": 1, "not_a_fit": 1}  # "Not a fit"
    q2 = closed_loop.dispositions(loop, quarter(loop, "2026Q2"))
    assert q2.by_code == {"nurture": 1}  # the label "Recycle to nurture" read as its code


def test_weighted_pipeline_at_the_quarter_end(loop: Workbook) -> None:
    q1 = closed_loop.pipeline(loop, quarter(loop, "2026Q1"))
    # L3 at opportunity (0.4 × 20,000) and L6 at SAL (0.1 × 5,000); L1 was won in March.
    assert (q1.open_amount, q1.weighted, q1.deals) == pytest.approx((25_000, 8_500, 2))
    assert q1.by_source == {"Outbound": 5_000, "Webinar": 20_000}
    q2 = closed_loop.pipeline(loop, quarter(loop, "2026Q2"))
    assert (q2.open_amount, q2.weighted, q2.deals) == pytest.approx((20_000, 8_000, 1))  # L6 lost
    assert closed_loop.pipeline(loop, quarter(loop, "2026Q1"), "Webinar").weighted == 8_000


def test_marketing_sourced_share_of_pipeline_and_of_won_revenue(loop: Workbook) -> None:
    shares = closed_loop.sourced_shares(loop, quarter(loop, "2026Q1"))
    # Marketing's share of the weighted pipeline (the one definition, as the dashboard's):
    # L3 20,000 × 0.4 from Webinar (marketing), L6 5,000 × 0.1 from Outbound (sales).
    assert shares.pipeline == {"marketing": 8_000, "sales": 500}
    assert shares.open_value == {"marketing": 20_000, "sales": 5_000}
    assert (shares.pipeline_share, shares.won_share) == (pytest.approx(8_000 / 8_500), 1.0)
    q2 = closed_loop.sourced_shares(loop, quarter(loop, "2026Q2"))
    assert (q2.pipeline_share, q2.won_share) == (1.0, None)  # nothing won: no share


def test_customers_by_original_source(loop: Workbook) -> None:
    assert closed_loop.customers_by_source(loop, quarter(loop, "2026Q1")) == {
        "Webinar": (1, 10_000.0)}
    assert closed_loop.customers_by_source(loop, quarter(loop, "2026Q2")) == {}


def test_a_source_not_yet_classified_is_reported_as_such(loop: Workbook) -> None:
    wb = Workbook.in_memory("blank")
    import_leads(wb, FIXTURES / "closed_loop_leads.csv", MAPPING)
    _, q1 = wb.plan.add_quarter("2026Q1")
    assert closed_loop.sourced_shares(wb, q1).won == {"unclassified": 10_000}


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 0.9) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == 9.1


def test_a_quarter_that_is_gone(loop: Workbook) -> None:
    with pytest.raises(ValidationError, match="That quarter no longer exists."):
        closed_loop.follow_up(loop, QuarterId(9999), 24)


# -- summaries kept current -------------------------------------------------------------------
def test_leads_written_by_other_code_are_summarised_when_first_asked(demo: Workbook) -> None:
    """The demo's leads were written directly; the numbers still match a plain count."""
    conn = demo.db.conn
    mql = stage(demo, "mql")
    for q in demo.plan.quarters():
        rows = conn.execute(
            "SELECT (julianday(l.first_touch_at) - julianday(d.reached_at)) * 24 FROM "
            "lead_stage_dates d JOIN leads l ON l.id = d.lead_id WHERE d.stage_id = ? "
            "AND d.reached_at >= ? AND d.reached_at < ?", (mql, q.start_date, q.end_date))
        hours = sorted(max(0.0, h) for (h,) in rows if h is not None)
        mqls = conn.execute("SELECT count(*) FROM lead_stage_dates WHERE stage_id = ? AND "
                            "reached_at >= ? AND reached_at < ?",
                            (mql, q.start_date, q.end_date)).fetchone()[0]
        got = closed_loop.follow_up(demo, q.id, 24)
        assert (got.mqls, got.touched, got.within) == (mqls, len(hours),
                                                       sum(h <= 24 for h in hours))
        assert got.median_hours == pytest.approx(percentile(hours, 0.5))


def test_moving_a_stage_recomputes_conversions(blank: Workbook) -> None:
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", MAPPING)
    _, q1 = blank.plan.add_quarter("2026Q1")
    assert closed_loop.stage_volumes(blank, q1)[0].advanced == 5
    blank.funnel.move_stage(stage(blank, "inquiry"), 5)  # now the last stage
    volumes = {v.stage_id: v for v in closed_loop.stage_volumes(blank, q1)}
    assert volumes[stage(blank, "inquiry")].advanced == 0
    assert closed_loop.refresh(blank) is False  # already rebuilt when the numbers were read


def test_summaries_built_by_the_import_equal_a_rebuild(blank: Workbook) -> None:
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", MAPPING)
    import_leads(blank, FIXTURES / "hubspot_contacts.csv", preset="hubspot")  # adds to them
    conn = blank.db.conn

    def stored() -> tuple[list[object], list[object]]:
        return (conn.execute("SELECT * FROM lead_summary_cells ORDER BY 1, 2, 3, 4").fetchall(),
                conn.execute("SELECT * FROM lead_summary_hours ORDER BY 1, 2, 3, 4").fetchall())

    incremental = stored()
    assert closed_loop.refresh(blank, force=True)
    rebuilt = stored()
    assert incremental[1] == rebuilt[1]
    assert [c[:4] for c in incremental[0]] == [c[:4] for c in rebuilt[0]]
    assert [c[4] for c in incremental[0]] == pytest.approx([c[4] for c in rebuilt[0]])


def test_a_bench_that_writes_leads_directly_refreshes_them_once(blank: Workbook) -> None:
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", MAPPING)
    _, q1 = blank.plan.add_quarter("2026Q1")
    conn = blank.db.conn
    with blank.db.atomic():  # as bench/dashboard.py builds its million leads
        conn.execute("INSERT INTO leads (id, external_id, created_at, source) VALUES "
                     "(100, 'X1', '2026-02-01T09:00:00', 'Webinar')")
        conn.execute("INSERT INTO lead_stage_dates VALUES (100, ?, '2026-02-01T09:00:00')",
                     (stage(blank, "inquiry"),))
    assert closed_loop.refresh(blank) is True
    assert closed_loop.refresh(blank) is False  # current now: nothing left to do
    assert closed_loop.stage_volumes(blank, q1)[0].reached == 7  # the six imported, and X1


def _stamp_as_before_lead_stamps(wb: Workbook) -> None:
    """Write the summaries' stamp as versions before lead stamps did: by counting."""
    conn = wb.db.conn
    stages = ",".join(f"{i}:{p}" for i, p in conn.execute(
        "SELECT id, position FROM stages ORDER BY position, id"))
    leads = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM leads").fetchone()
    dates = conn.execute("SELECT count(*), count(reached_at) FROM lead_stage_dates").fetchone()
    with wb.db.atomic():
        conn.execute("UPDATE lead_summary_stamp SET signature = ?",
                     (f"v2|{stages}|{leads[0]}:{leads[1]}|{dates[0]}:{dates[1]}"
                      f"|mql={stage(wb, 'mql')}",))


def test_summaries_stamped_by_counting_are_kept_when_they_still_match(blank: Workbook) -> None:
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", MAPPING)
    conn = blank.db.conn
    cells = conn.execute("SELECT * FROM lead_summary_cells ORDER BY 1, 2, 3, 4").fetchall()
    _stamp_as_before_lead_stamps(blank)
    assert closed_loop.refresh(blank) is False  # not summarised again: only stamped anew
    assert summaries.stored_signature(conn) == summaries.signature(conn, stage(blank, "mql"))
    assert closed_loop.refresh(blank) is False
    assert conn.execute("SELECT * FROM lead_summary_cells ORDER BY 1, 2, 3, 4").fetchall() \
        == cells


def test_summaries_stamped_by_counting_that_no_longer_match_are_rebuilt(
        blank: Workbook) -> None:
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", MAPPING)
    _stamp_as_before_lead_stamps(blank)
    with blank.db.atomic():  # a lead the old stamp did not count
        blank.db.conn.execute("INSERT INTO leads (id, external_id, created_at, source) "
                              "VALUES (100, 'X1', '2026-02-01T09:00:00', 'Webinar')")
    assert closed_loop.refresh(blank) is True
    assert closed_loop.refresh(blank) is False


def test_an_import_into_current_summaries_adds_to_them_without_a_rebuild(
        blank: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", MAPPING)
    rebuilt: list[object] = []
    rebuild = summaries.rebuild

    def recorded(*args: object) -> None:
        rebuilt.append(args)
        rebuild(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(summaries, "rebuild", recorded)
    import_leads(blank, FIXTURES / "hubspot_contacts.csv", preset="hubspot")
    assert rebuilt == []  # its own batch did not make them look stale
    assert closed_loop.refresh(blank) is False  # and they are current after it


def test_the_sources_listed_follow_imports_and_their_undo(blank: Workbook) -> None:
    assert blank.leads.sources() == []
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", MAPPING)
    imported = blank.leads.sources()
    assert imported == sorted({r[0] for r in blank.db.conn.execute(
        "SELECT source FROM leads WHERE source <> ''")}) and imported
    blank.leads.set_sourced_by("Zoë's Café 李", "marketing")  # named, no lead yet
    assert blank.leads.sources() == sorted([*imported, "Zoë's Café 李"])
    blank.undo()
    blank.undo()  # the import taken back: its leads' sources go with it
    assert blank.leads.sources() == []


def test_every_lead_source_is_listed_once_in_code_point_order(blank: Workbook,
                                                             tmp_path) -> None:
    export = tmp_path / "sources.csv"
    export.write_text(
        "ID,Created,Source\n"
        "1,2026-01-05,web\n2,2026-01-05,Web\n3,2026-01-06,Web\n4,2026-01-06,\n"
        "5,2026-01-07,Événement\n6,2026-01-07,Web partner\n7,2026-01-08,李雷 referral\n"
        "8,2026-01-08,<b>Ads</b>\n", encoding="utf-8")
    import_leads(blank, export, Mapping(
        fields={"external_id": "ID", "created": "Created", "source": "Source"},
        date_format="iso"))
    expected = sorted({r[0] for r in blank.db.conn.execute(
        "SELECT DISTINCT source FROM leads WHERE source <> ''")})
    assert blank.leads.sources() == expected
    assert expected == ["<b>Ads</b>", "Web", "Web partner", "web", "Événement", "李雷 referral"]
