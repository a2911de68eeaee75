"""Buyer personas: the agreed picture of a good-fit buyer, trait by trait (role and
seniority, company size, industry, region, budget authority, pains, disqualifiers). Each
trait keeps what marketing says, what sales says and the agreed text, as stage
definitions do; fit rules name the trait they encode."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .changes import Changes
from .errors import ValidationError
from .model import Agreement, Persona, PersonaId, PersonaTrait, Team, Trait

if TYPE_CHECKING:
    from .workbook import Workbook

TRAIT_NAMES = {
    Trait.ROLE: "Role", Trait.SENIORITY: "Seniority", Trait.COMPANY_SIZE: "Company size",
    Trait.INDUSTRY: "Industry", Trait.REGION: "Region",
    Trait.BUDGET_AUTHORITY: "Budget authority", Trait.PAINS: "Pains",
    Trait.DISQUALIFIERS: "Disqualifiers",
}
MAX_TEXT = 2000


def _trait(row: tuple[Any, ...]) -> PersonaTrait:
    return PersonaTrait(row[0], PersonaId(row[1]), Trait(row[2]), row[3], row[4], row[5],
                        Agreement(row[6]))


class Personas:
    """The buyer personas of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    def personas(self) -> list[Persona]:
        return [Persona(PersonaId(r[0]), r[1], r[2]) for r in self._conn.execute(
            "SELECT id, name, position FROM personas ORDER BY position, id")]

    def traits(self, persona_id: PersonaId) -> dict[Trait, PersonaTrait]:
        """The traits written so far for a persona, by trait."""
        rows = self._conn.execute(
            "SELECT id, persona_id, trait, marketing, sales, agreed, agreement "
            "FROM persona_traits WHERE persona_id = ?", (persona_id,)).fetchall()
        return {t.trait: t for t in map(_trait, rows)}

    def trait(self, trait_id: int) -> PersonaTrait | None:
        row = self._conn.execute(
            "SELECT id, persona_id, trait, marketing, sales, agreed, agreement "
            "FROM persona_traits WHERE id = ?", (trait_id,)).fetchone()
        return _trait(row) if row else None

    def trait_label(self, trait_id: int | None) -> str:
        """"Ops leader · Company size" for a rule's trait; "" when it names none."""
        trait = self.trait(trait_id) if trait_id is not None else None
        if trait is None:
            return ""
        name = next((p.name for p in self.personas() if p.id == trait.persona_id), "")
        return f"{name} · {TRAIT_NAMES[trait.trait]}"

    def add_persona(self, name: str) -> tuple[Changes, PersonaId]:
        name = free_name(name, self._names(), None, "persona", "“Ops leader”")
        position = max((p.position for p in self.personas()), default=-1) + 1
        with self._wb.step("Add buyer persona") as rec:
            persona_id = self._wb.insert(rec, "personas", {"name": name, "position": position},
                                         "persona")
        return rec.changes, PersonaId(persona_id)

    def rename_persona(self, persona_id: PersonaId, name: str) -> Changes:
        self._persona(persona_id)
        name = free_name(name, self._names(), persona_id, "persona", "“Ops leader”")
        with self._wb.step("Rename buyer persona") as rec:
            self._wb.update(rec, "personas", {"id": persona_id}, {"name": name}, "persona")
        return rec.changes

    def delete_persona(self, persona_id: PersonaId) -> Changes:
        """Delete a persona and its traits; rules that named a trait keep their points."""
        persona = self._persona(persona_id)
        with self._wb.step("Delete buyer persona") as rec:
            self._wb.delete(rec, "personas", {"id": persona_id}, "persona", persona.name)
        return rec.changes

    def set_proposal(self, persona_id: PersonaId, trait: Trait | str, team: Team | str,
                     text: str) -> tuple[Changes, int]:
        """Record what one team says about a trait; returns the trait's id."""
        team, trait = _team(team), _trait_of(trait)
        return self._write(persona_id, trait, {team.value: _text(text)},
                           f"Edit {team.value}'s {TRAIT_NAMES[trait].lower()}")

    def agree(self, persona_id: PersonaId, trait: Trait | str, text: str) -> tuple[Changes, int]:
        """Write the agreed text of a trait (one team's wording or a merge) and mark it
        agreed, in one step."""
        trait, text = _trait_of(trait), _text(text)
        if not text:
            raise ValidationError("agreed", "Write the agreed text before marking it agreed.")
        return self._write(persona_id, trait, {"agreed": text, "agreement": "agreed"},
                           f"Agree {TRAIT_NAMES[trait].lower()}")

    def adopt(self, persona_id: PersonaId, trait: Trait | str, team: Team | str
              ) -> tuple[Changes, int]:
        """Make one team's wording the agreed text."""
        team, trait = _team(team), _trait_of(trait)
        current = self.traits(persona_id).get(trait)
        proposed = getattr(current, team.value, "") if current else ""
        if not proposed:
            raise ValidationError("proposal", f"{team.value.capitalize()} has not written the "
                                              f"{TRAIT_NAMES[trait].lower()} yet.")
        return self.agree(persona_id, trait, proposed)

    def dispute(self, persona_id: PersonaId, trait: Trait | str) -> tuple[Changes, int]:
        trait = _trait_of(trait)
        return self._write(persona_id, trait, {"agreement": "disputed"},
                           f"Dispute {TRAIT_NAMES[trait].lower()}")

    def _write(self, persona_id: PersonaId, trait: Trait, values: dict[str, str], step: str
               ) -> tuple[Changes, int]:
        self._persona(persona_id)
        current = self.traits(persona_id).get(trait)
        with self._wb.step(step) as rec:
            if current is None:
                trait_id = self._wb.insert(rec, "persona_traits", {
                    "persona_id": persona_id, "trait": trait.value, **values}, "persona_trait")
            else:
                trait_id = current.id
                self._wb.update(rec, "persona_traits", {"id": current.id}, values,
                                "persona_trait")
        return rec.changes, trait_id

    def _names(self) -> dict[int, str]:
        return {p.id: p.name for p in self.personas()}

    def _persona(self, persona_id: PersonaId) -> Persona:
        found = next((p for p in self.personas() if p.id == persona_id), None)
        if found is None:
            raise ValidationError("persona", "That persona no longer exists.")
        return found


def free_name(name: str, taken: dict[int, str], own_id: int | None, what: str,
              example: str) -> str:
    """`name` tidied (spaces collapsed) if no other row of `taken` (id → name) has it,
    ignoring case; else the refusal, e.g. "There is already a persona called “X”."."""
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError("name", f"Give the {what} a name, such as {example}.")
    if len(name) > 80:
        raise ValidationError("name", f"A {what} name can be at most 80 characters.")
    if any(other.casefold() == name.casefold() and row != own_id for row, other in taken.items()):
        raise ValidationError("name", f"There is already a {what} called “{name}”.")
    return name


def _text(text: str) -> str:
    text = str(text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError("text", f"A trait can be at most {MAX_TEXT} characters.")
    return text


def _team(team: Team | str) -> Team:
    try:
        return Team(team)
    except ValueError:
        raise ValidationError("team", "A proposal is marketing's or sales'.") from None


def _trait_of(trait: Trait | str) -> Trait:
    try:
        return Trait(trait)
    except ValueError:
        raise ValidationError("trait", f"Unknown persona trait {trait!r}.") from None
