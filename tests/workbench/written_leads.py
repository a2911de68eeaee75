"""Leads written straight into a workbook, as bench scripts and later imports leave them:
each with its stage dates by stage key, `None` for a stage reached at an unknown date."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.workbook import Workbook


@dataclass(frozen=True)
class Lead:
    lead_id: int
    created: str
    source: str
    stages: dict[str, str | None] = field(default_factory=dict)  # key → date, None: undated
    amount: float | None = None
    won: str | None = None
    lost: str | None = None
    touch: str | None = None
    disposition: str | None = None


def write_leads(wb: Workbook, leads: list[Lead]) -> None:
    """Insert `leads` and their stage dates in one transaction."""
    conn = wb.db.conn
    ids = {s.key: s.id for s in wb.funnel.stages()}
    with wb.db.atomic():
        for lead in leads:
            conn.execute(
                "INSERT INTO leads (id, external_id, created_at, source, amount, won_at, lost_at, "
                "first_touch_at, disposition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (lead.lead_id, f"L{lead.lead_id}", lead.created, lead.source, lead.amount,
                 lead.won, lead.lost, lead.touch, lead.disposition))
            conn.executemany("INSERT INTO lead_stage_dates VALUES (?, ?, ?)",
                             [(lead.lead_id, ids[key], at) for key, at in lead.stages.items()])


def quarters(wb: Workbook, *labels: str) -> dict[str, int]:
    return {label: wb.plan.add_quarter(label)[1] for label in labels}
