"""`Changes`: what a mutation touched, so views redraw only what they show."""

from __future__ import annotations

from dataclasses import dataclass, field

# Which area of the app each table belongs to.
_AREAS = {
    "properties": "properties",
    "stages": "funnel",
    "stage_proposals": "funnel",
    "stage_aliases": "funnel",
    "stage_recycles": "funnel",
    "scoring_models": "scoring",
    "scoring_rules": "scoring",
    "scoring_quadrants": "scoring",
    "personas": "scoring",
    "persona_traits": "scoring",
    "sales_capacity": "scoring",
    "sources": "data",
    "quarters": "plan",
    "plans": "plan",
    "yearly_goals": "plan",
    "plan_conversions": "plan",
    "plan_source_mix": "plan",
    "actuals": "data",
    "disposition_codes": "data",
    "leads": "data",
    "lead_stage_dates": "data",
    "lead_tops": "data",
    "lead_top_lists": "data",
    "import_mappings": "data",
    "import_batches": "data",
    "import_attributes": "data",
    "sla_versions": "sla",
    "sla_terms": "sla",
    "sla_signatories": "sla",
    "sla_parameters": "sla",
    "sla_documents": "sla",
    "sla_certificates": "sla",
    "sla_revocation_lists": "sla",
    "workshop_questions": "workshop",
    "workshop_participants": "workshop",
    "workshop_answers": "workshop",
    "decisions": "workshop",
}


@dataclass(frozen=True)
class Changes:
    """The outcome of one mutation, undo or redo.

    `step` is the step's name ("Rename stage"); `tables` the tables whose rows changed.
    The boolean properties say which areas of the app need to redraw.
    """

    step: str = ""
    tables: frozenset[str] = field(default_factory=frozenset)
    undone: bool = False
    redone: bool = False

    @classmethod
    def everything(cls, step: str = "") -> Changes:
        """Changes that touch every area, e.g. after opening another workbook."""
        return cls(step=step, tables=frozenset(_AREAS))

    def _touches(self, area: str) -> bool:
        return any(_AREAS.get(table) == area for table in self.tables)

    @property
    def empty(self) -> bool:
        return not self.tables

    @property
    def properties(self) -> bool:
        return self._touches("properties")

    @property
    def funnel(self) -> bool:
        return self._touches("funnel")

    @property
    def scoring(self) -> bool:
        return self._touches("scoring")

    @property
    def plan(self) -> bool:
        return self._touches("plan")

    @property
    def data(self) -> bool:
        return self._touches("data")

    @property
    def sla(self) -> bool:
        return self._touches("sla")

    @property
    def workshop(self) -> bool:
        return self._touches("workshop")
