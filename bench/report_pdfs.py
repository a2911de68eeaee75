"""Benchmark: the quarterly business review PDF of a workbook with 12 quarters and
1,000,000 leads. Target: the PDF builds in ≤ 1 s once the derived numbers exist.

The big workbook is generated directly with `executemany` (leads with first touch,
disposition, amount and won date; their stage dates; the quarterly actuals derived from
them, as an import would leave them). Reading the numbers (`qbr_data`: dashboard chart
data, per-quarter facts, the closed loop — whose first call summarises the leads) is timed
apart from the layout (`build_qbr_pdf`, best of five). As the baseline, the same layout
runs on the demo workbook in the same run.

    .venv/bin/python bench/report_pdfs.py [--leads 1000000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.funnel_report import build_funnel_pdf, funnel_report  # noqa: E402
from reports.qbr import build_qbr_pdf  # noqa: E402
from reports.qbr_data import qbr_data  # noqa: E402
from workbench.plan import quarter_dates  # noqa: E402
from workbench.workbook import Workbook  # noqa: E402

QUARTERS = [f"{year}Q{q}" for year in (2024, 2025, 2026) for q in (1, 2, 3, 4)]
SOURCES = (("Paid search", "marketing"), ("Webinar", "marketing"), ("Events", "marketing"),
           ("Content download", "marketing"), ("Organic", "marketing"),
           ("Partner referral", "partner"), ("Outbound SDR", "sales"))
DISPOSITIONS = ("accepted", "contacted", "nurture", "not_a_fit", "no_response", "converted")
ONWARD = (0.26, 0.6, 0.58, 0.45, 0.22)  # chance of moving on from Inquiry … Opportunity
RUNS = 5
TARGET = 1.0
BATCH = 50_000


def build(path: Path, leads: int) -> Workbook:
    """A classic-funnel workbook with 12 quarters, a committed plan each, and `leads`."""
    workbook = Workbook.create(path, "blank", company_name="Benchmark Freight GmbH")
    conn = workbook.db.conn
    conn.executemany("INSERT INTO sources (name, sourced_by) VALUES (?, ?)", SOURCES)
    stages = workbook.funnel.stages()
    for stage, probability in zip(stages[2:5], (0.08, 0.15, 0.3), strict=True):
        workbook.funnel.update_stage(stage.id, probability=probability)
    rates = dict(zip([s.id for s in stages[:-1]], (0.3, 0.6, 0.55, 0.45, 0.25), strict=True))
    for index, label in enumerate(QUARTERS):
        _, quarter_id = workbook.plan.add_quarter(label)
        workbook.plan.add_plan(quarter_id, "Base plan", revenue_goal=3_000_000 + 100_000 * index,
                               avg_deal_size=60_000, committed=True, conversions=rates)
    workbook.history.set_tracking(False)  # bulk data: no undo entry per row
    with workbook.db.atomic():
        _insert_leads(conn, [s.id for s in stages], leads)
        _derive_actuals(conn, [s.id for s in stages])
    workbook.history.set_tracking(True)
    workbook.history.clear()
    return workbook


def _lead_rows(stage_ids: list[int], leads: int) -> Iterator[tuple[tuple[Any, ...],
                                                                   list[tuple[Any, ...]]]]:
    rng = random.Random(11)
    start = datetime.fromisoformat(quarter_dates(QUARTERS[0])[0])
    span = (datetime.fromisoformat(quarter_dates(QUARTERS[-1])[1]) - start).total_seconds()
    names = [name for name, _ in SOURCES]
    stamp = "%Y-%m-%dT%H:%M:%S"
    for serial in range(1, leads + 1):
        moment = start + timedelta(seconds=rng.random() * span)
        created = moment
        dates = [(stage_ids[0], moment)]
        touch = disposition = amount = won = None
        for step, chance in enumerate(ONWARD):
            if rng.random() > chance:
                break
            moment += timedelta(hours=rng.uniform(2, 24 * 20))
            dates.append((stage_ids[step + 1], moment))
            if step == 0:
                touch = moment + timedelta(hours=rng.lognormvariate(2.5, 1))
                disposition = rng.choice(DISPOSITIONS) if rng.random() < 0.9 else None
            if step == 3:
                amount = round(rng.lognormvariate(10.95, 0.45), -2)
            if step == 4:
                won = moment
        lead = (serial, f"L{serial:07d}", created.strftime(stamp), names[serial % len(names)],
                touch.strftime(stamp) if touch else None, disposition, amount,
                won.strftime(stamp) if won else None)
        yield lead, [(serial, sid, when.strftime(stamp)) for sid, when in dates]


def _insert_leads(conn: Any, stage_ids: list[int], leads: int) -> None:
    batch_leads: list[tuple[Any, ...]] = []
    batch_dates: list[tuple[Any, ...]] = []
    for lead, dates in _lead_rows(stage_ids, leads):
        batch_leads.append(lead)
        batch_dates.extend(dates)
        if len(batch_leads) >= BATCH:
            _flush(conn, batch_leads, batch_dates)
            batch_leads, batch_dates = [], []
    _flush(conn, batch_leads, batch_dates)


def _flush(conn: Any, leads: list[tuple[Any, ...]], dates: list[tuple[Any, ...]]) -> None:
    conn.executemany("INSERT INTO leads (id, external_id, created_at, source, first_touch_at, "
                     "disposition, amount, won_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", leads)
    conn.executemany("INSERT INTO lead_stage_dates (lead_id, stage_id, reached_at) "
                     "VALUES (?, ?, ?)", dates)


def _derive_actuals(conn: Any, stage_ids: list[int]) -> None:
    conn.execute(
        """INSERT INTO actuals (quarter_id, stage_id, source, count, value)
        SELECT q.id, d.stage_id, l.source, count(*),
               CASE WHEN d.stage_id IN (?, ?) THEN coalesce(sum(l.amount), 0) ELSE 0 END
        FROM lead_stage_dates d JOIN leads l ON l.id = d.lead_id
        JOIN quarters q ON d.reached_at >= q.start_date AND d.reached_at < q.end_date
        GROUP BY q.id, d.stage_id, l.source""", (stage_ids[-2], stage_ids[-1]))


def _best(run: Callable[[], object], runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def _timed(run: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reports-bench-"))
    demo = Workbook.create(folder / "demo.awb", "demo")
    demo_quarter = demo.plan.quarters()[-1].id
    demo_data = qbr_data(demo, demo_quarter)
    build_qbr_pdf(demo_data)  # warm fonts and imports
    baseline, pdf = _best(lambda: build_qbr_pdf(demo_data))
    print(f"demo QBR ({demo.summary()['leads']:,} leads, 6 quarters): PDF build "
          f"{baseline:.3f} s (best of {RUNS}), {len(pdf):,} bytes")  # type: ignore[arg-type]
    seconds, big = _timed(lambda: build(folder / "big.awb", args.leads))
    workbook: Workbook = big  # type: ignore[assignment]
    quarter = workbook.plan.quarters()[-1]
    print(f"generated {args.leads:,} leads over {len(QUARTERS)} quarters in {seconds:.1f} s")
    cold, data = _timed(lambda: qbr_data(workbook, quarter.id))
    warm, data = _timed(lambda: qbr_data(workbook, quarter.id))
    print(f"  derive the QBR's numbers, first time (summarises the leads): {cold:.2f} s")
    print(f"  derive the QBR's numbers again (closed loop cached):          {warm:.3f} s")
    layout, pdf = _best(lambda: build_qbr_pdf(data))  # type: ignore[arg-type]
    verdict = "met" if layout <= TARGET else "MISSED"
    print(f"  QBR PDF build, numbers derived: {layout:.3f} s (best of {RUNS}; target ≤ "
          f"{TARGET:g} s: {verdict}), {len(pdf):,} bytes")  # type: ignore[arg-type]
    print(f"  ratio to the demo QBR's build: {layout / baseline:.2f}×")
    funnel = funnel_report(workbook, [q.id for q in workbook.plan.quarters()])
    funnel_time, _ = _best(lambda: build_funnel_pdf(funnel))
    print(f"  funnel PDF of all 12 quarters: {funnel_time:.3f} s (best of {RUNS})")
    workbook.close()
    demo.close()


if __name__ == "__main__":
    main()
