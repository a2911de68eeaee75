"""The QBR says "—" and why where the pipeline cannot be weighted, marketing's share
depends on sources not classified yet, or disposition values are no code (issue 13), on
the deals of tests/workbench/test_closed_loop_honest.py: at the end of 2026Q1, B (20,000,
sales) at Opportunity and D (4,000, a source not classified) at SAL are open."""

from __future__ import annotations

from pathlib import Path

from reports.qbr import export_qbr
from tests.workbench.test_closed_loop_honest import DEALS, qid
from tests.workbench.written_leads import Lead, quarters, write_leads
from workbench.workbook import Workbook

from .pdf_checks import text


def test_unknown_shares_and_weights_are_dashes_with_reasons(tmp_path: Path) -> None:
    wb = Workbook.in_memory("blank")
    write_leads(wb, [Lead(d.lead_id, d.created, d.source, d.stages, d.amount, d.won, d.lost,
                          disposition=v)
                     for d, v in zip(DEALS, ["accepted", "Later", None, None, None],
                                     strict=True)])
    quarters(wb, "2026Q1")
    wb.leads.set_sourced_by("Webinar", "marketing")
    wb.leads.set_sourced_by("Outbound", "sales")
    content = " ".join(text(export_qbr(wb, qid(wb, "2026Q1"), tmp_path / "q.pdf")).split())
    assert ("Weighted pipeline: not known. No pipeline stage has a probability and the plan "
            "lacks the conversion rates to weight them.") in content
    # Without weights there is no weighted pipeline to share: no share is claimed.
    assert "Marketing's share" not in content
    # Five MQLs: one accepted, one "Later" (no code): 20 % to 40 %.
    assert "— (20 %–40 %: values that are no code)" in content
