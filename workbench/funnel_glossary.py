"""The CRM glossary: which names common CRMs give the canonical funnel stages, and the
loose matching that maps a CRM's stage name onto a workbook stage.

Names are compared by `loose()`: case, spaces and punctuation are ignored, so
"Open -  Not Contacted", "open - not contacted" and HubSpot's internal value
"marketingqualifiedlead" vs its label "Marketing Qualified Lead" all match.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from resources import ROOT

from .errors import ValidationError
from .model import Stage, StageId


def loose(text: str) -> str:
    """A name reduced to lowercase letters and digits, for tolerant comparison."""
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


@dataclass(frozen=True)
class CanonicalStage:
    """A stage every funnel model knows (MQL, SQL, …) and what CRMs call it."""

    key: str
    title: str
    synonyms: tuple[str, ...]
    crm_names: tuple[tuple[str, str], ...]  # (CRM, the CRM's name for this stage)

    def names(self) -> set[str]:
        """Every spelling of this stage, reduced by `loose()`."""
        words = [self.key, self.title, *self.synonyms, *(name for _, name in self.crm_names)]
        return {loose(word) for word in words}


@lru_cache(maxsize=1)
def canonical_stages() -> tuple[CanonicalStage, ...]:
    """The built-in glossary from resources/templates/crm_glossary.json."""
    path = ROOT / "templates" / "crm_glossary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        CanonicalStage(
            item["key"], item["title"], tuple(item["synonyms"]),
            tuple((crm, name) for crm, names in item["crm_names"].items() for name in names),
        )
        for item in data["stages"]
    )


def known_crms() -> list[str]:
    """The CRMs the glossary knows, in the spelling it uses ("HubSpot", "Salesforce")."""
    seen: dict[str, None] = {}
    for canonical in canonical_stages():
        for crm, _ in canonical.crm_names:
            seen.setdefault(crm)
    return list(seen)


def crm_spelling(crm: str) -> str:
    """A CRM's name as the glossary spells it ("hubspot " → "HubSpot"); others trimmed."""
    text = " ".join(crm.split())
    for known in known_crms():
        if loose(known) == loose(text):
            return known
    return text


def canonical_key(stage: Stage, aliases: Iterable[str] = ()) -> str | None:
    """Which canonical stage `stage` is, judged by its key, then its name, then its CRM
    aliases; None when nothing in the glossary matches."""
    index = _canonical_index()
    for text in (stage.key, stage.name, *aliases):
        key = index.get(loose(text))
        if key is not None:
            return key
    return None


@lru_cache(maxsize=1)
def _canonical_index() -> dict[str, str]:
    """Every loose spelling in the glossary → its canonical key (the first stage wins)."""
    index: dict[str, str] = {}
    for canonical in canonical_stages():
        for name in canonical.names():
            if name:
                index.setdefault(name, canonical.key)
    return index


def suggestions(
    stage: Stage, own_aliases: Sequence[tuple[str, str]], taken: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """CRM names the glossary offers for `stage`: those of its canonical stage that are not
    yet mapped to this or any other stage (`taken` lists every mapped (crm, alias))."""
    key = canonical_key(stage, [alias for _, alias in own_aliases])
    if key is None:
        return []
    used = {(loose(crm), loose(alias)) for crm, alias in [*own_aliases, *taken]}
    canonical = next(c for c in canonical_stages() if c.key == key)
    return [pair for pair in canonical.crm_names
            if (loose(pair[0]), loose(pair[1])) not in used]


def clean_aliases(aliases: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Trimmed (CRM, alias) pairs, CRMs spelled as the glossary does, one per loose name."""
    clean: dict[tuple[str, str], tuple[str, str]] = {}
    for crm, alias in aliases:
        text = " ".join(str(alias or "").split())
        if not loose(text):
            continue
        if len(text) > 200:
            raise ValidationError("aliases", "A CRM name can be at most 200 characters.")
        pair = (crm_spelling(str(crm or "")), text)
        clean.setdefault((loose(pair[0]), loose(text)), pair)
    return sorted(clean.values())


AliasRow = tuple[StageId, str, str]  # (stage id, CRM, alias) as stored


def stage_resolver(
    stages: Sequence[Stage], aliases: Sequence[AliasRow], crm: str | None = None
) -> Callable[[str], Stage | None]:
    """A function mapping a name from a CRM export to a stage (or None), built once so an
    import of many rows does not query the workbook per row.

    Order, first unambiguous hit wins: an alias recorded for this `crm`; a stage key; a
    stage name; an alias recorded without a CRM; an alias recorded for any CRM.
    """
    by_id = {stage.id: stage for stage in stages}
    wanted_crm = loose(crm) if crm else None
    tiers: list[dict[str, set[StageId]]] = [{}, {}, {}, {}, {}]
    for stage_id, alias_crm, alias in aliases:
        if wanted_crm is not None and loose(alias_crm) == wanted_crm:
            tiers[0].setdefault(loose(alias), set()).add(stage_id)
        if not alias_crm.strip():
            tiers[3].setdefault(loose(alias), set()).add(stage_id)
        tiers[4].setdefault(loose(alias), set()).add(stage_id)
    for stage in stages:
        tiers[1].setdefault(loose(stage.key), set()).add(stage.id)
        tiers[2].setdefault(loose(stage.name), set()).add(stage.id)

    def resolve(name: str) -> Stage | None:
        text = loose(name)
        if not text:
            return None
        for tier in tiers:
            hits = tier.get(text, set())
            if len(hits) == 1:
                return by_id[next(iter(hits))]
        return None

    return resolve
