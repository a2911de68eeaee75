"""Filling a new workbook from a template: `blank` (a common funnel model, nothing else)
or `demo` (a realistic fictional company, generated deterministically from
`resources/demo/company.json`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from resources import ROOT

if TYPE_CHECKING:
    from .workbook import Workbook

DEFAULT_DISPOSITIONS = (  # code, label, meaning; then those that say "none yet"
    ("accepted", "Accepted", "Rep accepts the lead and will work it."),
    ("contacted", "Contacted", "Reached the person; conversation under way."),
    ("nurture", "Recycle to nurture", "Interested but not now; back to marketing."),
    ("not_a_fit", "Not a fit", "Outside the ideal customer profile."),
    ("no_response", "No response", "No reply after the agreed attempts."),
    ("duplicate", "Duplicate", "Already known as a lead or contact."),
    ("converted", "Converted", "Became a sales-qualified lead or opportunity."),
)
# Values a CRM's status column holds before a rep has dispositioned the lead: kept as codes
# so they are recognised, counted as "no disposition yet", never as dispositioned.
NOT_YET_DISPOSITIONS = (
    ("new", "New", "Not looked at yet: no disposition."),
    ("open", "Open", "Assigned, not worked yet: no disposition."),
)


def funnel_models() -> dict[str, Any]:
    """The common stage models a new funnel can start from, by name."""
    path = ROOT / "templates" / "funnel_models.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def demo_source() -> dict[str, Any]:
    return dict(json.loads((ROOT / "demo" / "company.json").read_text(encoding="utf-8")))


def fill(
    workbook: Workbook, template: str, *, company_name: str | None = None,
    funnel_model: str = "classic",
) -> None:
    """Write a template's content into a freshly migrated, empty workbook."""
    conn = workbook.db.conn
    company_name = (company_name or "").strip() or None
    # A new workbook starts with an empty history: its content is not an undoable step.
    workbook.history.set_tracking(False)
    try:
        _fill(workbook, conn, template, company_name, funnel_model)
    finally:
        workbook.history.set_tracking(True)


def _fill(
    workbook: Workbook, conn: Any, template: str, company_name: str | None, funnel_model: str
) -> None:
    with workbook.db.atomic():
        if template == "demo":
            from .demo import build_demo

            build_demo(conn, demo_source())
        else:
            conn.execute(
                "UPDATE properties SET company_name = ?, template = 'blank' WHERE id = 1",
                (company_name or "New company",),
            )
            insert_stages(conn, funnel_models()[funnel_model]["stages"])
            conn.executemany(
                "INSERT INTO disposition_codes (code, label, meaning, position, disposed) "
                "VALUES (?,?,?,?,?)",
                [(c, lbl, m, i, int(i < len(DEFAULT_DISPOSITIONS))) for i, (c, lbl, m)
                 in enumerate(DEFAULT_DISPOSITIONS + NOT_YET_DISPOSITIONS)],
            )
        if company_name and template == "demo":
            conn.execute("UPDATE properties SET company_name = ? WHERE id = 1", (company_name,))
        if template == "demo":  # its leads are written directly: summarise them now, so
            from .closed_loop import refresh  # the first dashboard does not pay for it

            refresh(workbook)


_STAGE_FIELDS = (
    "key", "name", "owner", "definition", "entry_criteria", "exit_criteria", "max_hours",
    "target_conversion", "probability",
)


def insert_stages(conn: Any, stages: list[dict[str, Any]]) -> dict[str, int]:
    """Insert stage dictionaries in order; return their ids by key."""
    ids: dict[str, int] = {}
    for position, stage in enumerate(stages):
        values = [stage.get(f, "" if f in ("definition", "entry_criteria", "exit_criteria")
                            else None) for f in _STAGE_FIELDS]
        cursor = conn.execute(
            f"INSERT INTO stages (position, {', '.join(_STAGE_FIELDS)}) "
            f"VALUES (?, {', '.join('?' for _ in _STAGE_FIELDS)})",
            [position, *values],
        )
        ids[stage["key"]] = int(cursor.lastrowid)
    return ids
