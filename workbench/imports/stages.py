"""Which funnel stage a CRM's stage name means, through the workbook's stage glossary.

The funnel's own resolver (aliases per CRM, stage keys, names) answers first; when it does
not know a name, the built-in glossary of common CRM names does ("Lead" in HubSpot is the
Inquiry stage of a classic funnel), so presets work on a fresh workbook too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..model import Stage, StageId

if TYPE_CHECKING:
    from ..workbook import Workbook

Resolver = Callable[[str], Stage | None]


def loose(text: str) -> str:
    """A name reduced to lowercase letters and digits, for tolerant comparison."""
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def stage_resolver(workbook: Workbook, crm: str = "") -> Resolver:
    """A name → stage function, built once per import (no query per row)."""
    own = getattr(workbook.funnel, "stage_resolver", None)
    primary = own(crm or None) if own is not None else _plain_resolver(workbook, crm)
    fallback = _glossary_resolver(workbook)
    cache: dict[str, Stage | None] = {}

    def resolve(name: str) -> Stage | None:
        if name not in cache:
            cache[name] = primary(name) or fallback(name)
        return cache[name]

    return resolve


def _plain_resolver(workbook: Workbook, crm: str) -> Resolver:
    """Aliases of this CRM, then stage keys, names and any alias, compared loosely."""
    stages = {s.id: s for s in workbook.funnel.stages()}
    rows = workbook.db.conn.execute("SELECT stage_id, crm, alias FROM stage_aliases").fetchall()
    names: dict[str, Stage] = {}
    for stage_id, _, alias in rows:
        names.setdefault(loose(alias), stages[stage_id])
    for stage in stages.values():
        names[loose(stage.name)] = stage
        names[loose(stage.key)] = stage
    for stage_id, alias_crm, alias in rows:
        if crm and loose(alias_crm) == loose(crm):
            names[loose(alias)] = stages[stage_id]
    return lambda name: names.get(loose(name))


def _glossary_resolver(workbook: Workbook) -> Resolver:
    try:
        from ..funnel_glossary import canonical_key, canonical_stages
    except ImportError:  # a build without the built-in glossary
        return lambda name: None
    by_canonical: dict[str, Stage] = {}
    for stage in workbook.funnel.stages():
        key = canonical_key(stage, [alias for _, alias in workbook.funnel.aliases(stage.id)])
        if key is not None:
            by_canonical.setdefault(key, stage)

    def resolve(name: str) -> Stage | None:
        text = loose(name)
        hits = [c.key for c in canonical_stages() if text and text in c.names()]
        return by_canonical.get(hits[0]) if len(hits) == 1 else None

    return resolve


def mql_stage(workbook: Workbook) -> StageId | None:
    """The stage whose leads sales must follow up: key "mql", else the stage the
    glossary calls MQL."""
    stage = workbook.funnel.stage_by_key("mql") or stage_resolver(workbook)("MQL")
    return stage.id if stage else None
