"""The funnel: stages with their agreed definitions, both teams' proposals, CRM names
(aliases) and recycle paths. Every method that changes something is one undo step and
returns `Changes`; bad input raises `ValidationError` before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import funnel_glossary as glossary
from . import reached
from .changes import Changes
from .errors import ValidationError
from .funnel_fields import (  # noqa: F401  (re-exported: the funnel's public names)
    EDITABLE,
    KEY_PATTERN,
    TEXT_FIELDS,
    key_from_name,
    validate_stage_field,
)
from .model import Agreement, Owner, Proposal, Recycle, Stage, StageId, Team
from .templates import funnel_models as _model_definitions

if TYPE_CHECKING:
    from .workbook import Workbook

_STAGE_COLUMNS = (
    "id, position, key, name, owner, definition, entry_criteria, exit_criteria, max_hours, "
    "target_conversion, agreement, probability"
)


def _stage(row: tuple[Any, ...]) -> Stage:
    values = list(row)
    values[4] = Owner(values[4]) if values[4] else None
    values[10] = Agreement(values[10])
    return Stage(*values)


@dataclass(frozen=True)
class ProposalPair:
    """A stage's definition as each team proposed it ("" when a team has not) beside the
    agreed text and where the two teams stand."""

    stage_id: StageId
    marketing: str
    sales: str
    agreed: str
    agreement: Agreement


def funnel_models() -> list[tuple[str, str]]:
    """The common stage models a funnel can start from, as (name, title) pairs:
    ("classic", "Inquiry → MQL → SAL → SQL → Opportunity → Customer"), …"""
    return [(name, model["title"]) for name, model in _model_definitions().items()]


def handoff(stages: Sequence[Stage]) -> tuple[StageId, StageId] | None:
    """Where leads pass from marketing to sales, as (from stage, to stage) ids.

    `stages` in funnel order. The receiving stage is the first stage owned by sales; the
    handing stage is the last marketing-owned stage above it (shared or unowned stages in
    between are skipped). None when there is no sales stage or no marketing stage above it.
    """
    first_sales = next((i for i, s in enumerate(stages) if s.owner is Owner.SALES), None)
    if first_sales is None:
        return None
    above = [s for s in stages[:first_sales] if s.owner is Owner.MARKETING]
    if not above:
        return None
    return above[-1].id, stages[first_sales].id


def mql_stage_named(stages: Sequence[Stage]) -> Stage | None:
    """The stage keyed "mql", else the first named like it ("Marketing qualified …",
    "MQL"); None when none is."""
    for stage in stages:
        if stage.key == "mql":
            return stage
    for stage in stages:
        if "marketing qualified" in stage.name.lower() or stage.name.strip().upper() == "MQL":
            return stage
    return None


def mql_stage(stages: Sequence[Stage]) -> Stage | None:
    """The stage whose leads are marketing qualified: key "mql", else a stage named like
    it, else the last stage marketing owns before a sales-owned one."""
    named = mql_stage_named(stages)
    if named is not None:
        return named
    for upper, lower in zip(stages, stages[1:], strict=False):
        if upper.owner is Owner.MARKETING and lower.owner is Owner.SALES:
            return upper
    return None


class Funnel:
    """The funnel stages of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    # -- reading --------------------------------------------------------------------------
    def stages(self) -> list[Stage]:
        """All stages, top of the funnel first."""
        rows = self._conn.execute(
            f"SELECT {_STAGE_COLUMNS} FROM stages ORDER BY position, id"
        ).fetchall()
        return [_stage(row) for row in rows]

    def stage(self, stage_id: StageId) -> Stage:
        """One stage; raises `ValidationError` when it no longer exists."""
        row = self._conn.execute(
            f"SELECT {_STAGE_COLUMNS} FROM stages WHERE id = ?", (stage_id,)
        ).fetchone()
        if row is None:
            raise ValidationError("stage", "That stage no longer exists.")
        return _stage(row)

    def stage_by_key(self, key: str) -> Stage | None:
        row = self._conn.execute(
            f"SELECT {_STAGE_COLUMNS} FROM stages WHERE key = ?", (key,)
        ).fetchone()
        return _stage(row) if row else None

    def proposals(self, stage_id: StageId) -> dict[Team, Proposal]:
        """The proposals recorded for a stage, by team (a team may be missing)."""
        rows = self._conn.execute(
            "SELECT stage_id, team, text FROM stage_proposals WHERE stage_id = ?", (stage_id,)
        ).fetchall()
        return {Team(r[1]): Proposal(StageId(r[0]), Team(r[1]), r[2]) for r in rows}

    def proposal_pair(self, stage_id: StageId) -> ProposalPair:
        """Marketing says / sales says / agreed, for the side-by-side view; a team that has
        not proposed anything shows as ""."""
        stage = self.stage(stage_id)
        texts = {team: p.text for team, p in self.proposals(stage_id).items()}
        return ProposalPair(stage.id, texts.get(Team.MARKETING, ""), texts.get(Team.SALES, ""),
                            stage.definition, stage.agreement)

    def aliases(self, stage_id: StageId) -> list[tuple[str, str]]:
        """(CRM, alias) pairs that name this stage in other systems."""
        return [
            (r[0], r[1])
            for r in self._conn.execute(
                "SELECT crm, alias FROM stage_aliases WHERE stage_id = ? ORDER BY crm, alias",
                (stage_id,),
            )
        ]

    def suggest_aliases(self, stage: Stage | StageId) -> list[tuple[str, str]]:
        """CRM names from the built-in glossary for this stage that are not mapped yet."""
        stage = stage if isinstance(stage, Stage) else self.stage(stage)
        taken = [(crm, alias) for sid, crm, alias in self._alias_rows() if sid != stage.id]
        return glossary.suggestions(stage, self.aliases(stage.id), taken)

    def resolve_alias(self, name: str, crm: str | None = None) -> Stage | None:
        """The stage a CRM's stage name means, or None; see `stage_resolver`."""
        return self.stage_resolver(crm)(name)

    def stage_resolver(self, crm: str | None = None) -> Callable[[str], Stage | None]:
        """A name → stage function for imports, built once. Case, spaces and punctuation
        are ignored; an alias for `crm` wins, then a stage key, a name, any other alias."""
        return glossary.stage_resolver(self.stages(), self._alias_rows(), crm)

    def recycles(self) -> list[Recycle]:
        rows = self._conn.execute(
            "SELECT id, from_stage_id, to_stage_id, label FROM stage_recycles ORDER BY id"
        ).fetchall()
        return [Recycle(r[0], StageId(r[1]), StageId(r[2]), r[3]) for r in rows]

    def stage_has_data(self, stage_id: StageId) -> bool:
        """Whether deleting the stage would delete actuals, lead dates or plan inputs."""
        dated, params = reached.reached_query(self._conn, [stage_id])  # stored or implicit
        return any(self._conn.execute(f"{sql} LIMIT 1", values).fetchone() for sql, values in (
            *((f"SELECT 1 FROM {t} WHERE stage_id = ?", [stage_id])
              for t in ("actuals", "plan_conversions")),
            (dated, params)))

    # -- changing stages ------------------------------------------------------------------
    def add_stage(
        self, name: str, *, position: int | None = None, key: str | None = None,
        owner: Owner | str | None = None, **fields: Any,
    ) -> tuple[Changes, StageId]:
        """Insert a stage at `position` (default: at the bottom); later stages move down."""
        values = self._new_stage_values(name, key, owner, fields)
        count = len(self.stages())
        position = count if position is None else max(0, min(position, count))
        return self._insert_stage(values, position, "Add stage")

    def add_stage_relative(
        self, stage_id: StageId, name: str, *, below: bool = True, key: str | None = None,
        owner: Owner | str | None = None, **fields: Any,
    ) -> tuple[Changes, StageId]:
        """Insert a stage directly below (or above) the given one, as one undo step."""
        anchor = self.stage(stage_id)
        values = self._new_stage_values(name, key, owner, fields)
        position = anchor.position + 1 if below else anchor.position
        step = "Add stage below" if below else "Add stage above"
        return self._insert_stage(values, position, step)

    def update_stage(self, stage_id: StageId, **fields: Any) -> Changes:
        """Change any of a stage's fields; each is validated before anything is written."""
        values = {field: validate_stage_field(field, v) for field, v in fields.items()}
        self.stage(stage_id)
        if "key" in values:
            self._check_key_free(values["key"], stage_id)
        if "name" in values:
            self._check_name_free(values["name"], stage_id)
        with self._wb.step(_step_name(values)) as rec:
            self._wb.update(rec, "stages", {"id": stage_id}, values, "stage")
        return rec.changes

    def rename_stage(self, stage_id: StageId, name: str) -> Changes:
        """Give a stage another name (its key stays, so imports keep mapping)."""
        return self.update_stage(stage_id, name=name)

    def delete_stage(self, stage_id: StageId) -> Changes:
        """Delete a stage and what hangs on it (proposals, CRM names, recycle paths, and
        any actuals; the UI asks first when `stage_has_data`). The last stage stays."""
        stage = self.stage(stage_id)
        if len(self.stages()) <= 1:
            raise ValidationError("stage", "The funnel needs at least one stage.")
        with self._wb.step("Delete stage") as rec:
            self._wb.delete(rec, "stages", {"id": stage_id}, "stage", stage.name)
            self._conn.execute(
                "UPDATE stages SET position = position - 1 WHERE position > ?", (stage.position,)
            )
        return rec.changes

    def move_stage(self, stage_id: StageId, position: int) -> Changes:
        """Move a stage to `position` (0 = top), shifting the stages in between."""
        stages = self.stages()
        order = [s.id for s in stages]
        if stage_id not in order:
            raise ValidationError("stage", "That stage no longer exists.")
        position = max(0, min(int(position), len(order) - 1))
        old = order.index(stage_id)
        if old == position:
            return Changes(step="Move stage")
        order.insert(position, order.pop(old))
        with self._wb.step("Move stage") as rec:
            for index, sid in enumerate(order):
                self._conn.execute(
                    "UPDATE stages SET position = ? WHERE id = ? AND position <> ?",
                    (index, sid, index),
                )
            rec.log("stage", stage_id, "position", old, position)
        return rec.changes

    def replace_with_model(self, name: str) -> Changes:
        """Replace every stage with a common stage model ("classic", "simple") in one undo
        step. Refused while any stage holds data (actuals, lead dates, plan inputs)."""
        models = _model_definitions()
        if name not in models:
            raise ValidationError("model", f"There is no funnel model called “{name}”.")
        stages = self.stages()
        if any(self.stage_has_data(stage.id) for stage in stages):
            raise ValidationError(
                "model", "The funnel cannot be replaced: its stages already hold data "
                "(actuals, leads or plans). Start a new workbook from the model instead.",
            )
        new = [{f: validate_stage_field(f, v) for f, v in stage.items()}
               for stage in models[name]["stages"]]
        with self._wb.step(f"Use the {name} funnel model") as rec:
            for stage in stages:
                self._wb.delete(rec, "stages", {"id": stage.id}, "stage", stage.name)
            for position, values in enumerate(new):
                self._wb.insert(rec, "stages", {"position": position, **values}, "stage")
        return rec.changes

    # -- proposals and agreement ----------------------------------------------------------
    def set_proposal(self, stage_id: StageId, team: Team | str, text: str) -> Changes:
        """Record one team's proposed definition for a stage."""
        team = _team(team)
        self.stage(stage_id)
        text = str(text or "").strip()
        where = {"stage_id": stage_id, "team": team.value}
        with self._wb.step(f"Edit {_possessive(team)} proposal") as rec:
            if team in self.proposals(stage_id):
                self._wb.update(rec, "stage_proposals", where, {"text": text}, "proposal")
            elif text:
                self._wb.insert(rec, "stage_proposals", {**where, "text": text}, "proposal")
        return rec.changes

    def adopt_proposal(self, stage_id: StageId, team: Team | str) -> Changes:
        """Make a team's proposal the agreed definition and mark the stage agreed."""
        team = _team(team)
        self.stage(stage_id)
        proposal = self.proposals(stage_id).get(team)
        if proposal is None or not proposal.text:
            raise ValidationError(
                "proposal", f"{team.value.capitalize()} has not proposed a definition yet."
            )
        return self._agree(stage_id, proposal.text, f"Adopt {_possessive(team)} definition")

    def merge_definition(self, stage_id: StageId, text: str) -> Changes:
        """Write a definition merged from both proposals and mark it agreed, in one step."""
        self.stage(stage_id)
        merged = validate_stage_field("definition", text)
        if not merged:
            raise ValidationError("definition", "Write the merged definition before agreeing it.")
        return self._agree(stage_id, merged, "Agree merged definition")

    # -- CRM names and recycle paths ------------------------------------------------------
    def set_aliases(self, stage_id: StageId, aliases: Sequence[tuple[str, str]]) -> Changes:
        """Replace the CRM names that map to this stage. Names are compared ignoring case,
        spaces and punctuation; one CRM cannot give the same name to two stages."""
        self.stage(stage_id)
        clean = glossary.clean_aliases(aliases)
        owners = {(glossary.loose(crm), glossary.loose(alias)): sid
                  for sid, crm, alias in self._alias_rows() if sid != stage_id}
        for crm, alias in clean:
            other = owners.get((glossary.loose(crm), glossary.loose(alias)))
            if other is not None:
                where = f" in {crm}" if crm else ""
                raise ValidationError(
                    "aliases",
                    f"“{alias}”{where} already maps to the stage “{self.stage(other).name}”.",
                )
        if clean == self.aliases(stage_id):
            return Changes(step="Edit CRM names")
        with self._wb.step("Edit CRM names") as rec:
            self._conn.execute("DELETE FROM stage_aliases WHERE stage_id = ?", (stage_id,))
            self._conn.executemany(
                "INSERT INTO stage_aliases (stage_id, crm, alias) VALUES (?, ?, ?)",
                [(stage_id, crm, alias) for crm, alias in clean],
            )
            rec.log("stage", stage_id, "aliases", None, "; ".join(a for _, a in clean))
        return rec.changes

    def add_recycle(self, from_stage: StageId, to_stage: StageId, label: str = "") -> Changes:
        """Add a path back up the funnel, e.g. SAL → nurture."""
        if from_stage == to_stage:
            raise ValidationError("recycle", "A recycle path must lead to another stage.")
        names = {s.id: s.name for s in self.stages()}
        if from_stage not in names or to_stage not in names:
            raise ValidationError("recycle", "That stage no longer exists.")
        if self._conn.execute("SELECT 1 FROM stage_recycles WHERE from_stage_id = ? AND "
                              "to_stage_id = ?", (from_stage, to_stage)).fetchone():
            raise ValidationError("recycle", f"There is already a recycle path from "
                                             f"{names[from_stage]} to {names[to_stage]}.")
        with self._wb.step("Add recycle path") as rec:
            self._wb.insert(rec, "stage_recycles", {"from_stage_id": from_stage,
                            "to_stage_id": to_stage, "label": label.strip()}, "recycle")
        return rec.changes

    def remove_recycle(self, recycle_id: int) -> Changes:
        with self._wb.step("Remove recycle path") as rec:
            self._wb.delete(rec, "stage_recycles", {"id": recycle_id}, "recycle", recycle_id)
        return rec.changes

    # -- helpers --------------------------------------------------------------------------
    def _new_stage_values(
        self, name: str, key: str | None, owner: Owner | str | None, fields: dict[str, Any]
    ) -> dict[str, Any]:
        values = {"name": validate_stage_field("name", name)}
        values["key"] = validate_stage_field("key", key or self._free_key(values["name"]))
        values["owner"] = validate_stage_field("owner", owner)
        for field, value in fields.items():
            values[field] = validate_stage_field(field, value)
        self._check_key_free(values["key"], None)
        self._check_name_free(values["name"], None)
        return values

    def _insert_stage(self, values: dict[str, Any], position: int, step: str
                      ) -> tuple[Changes, StageId]:
        with self._wb.step(step) as rec:
            self._conn.execute(
                "UPDATE stages SET position = position + 1 WHERE position >= ?", (position,)
            )
            stage_id = self._wb.insert(rec, "stages", {"position": position, **values}, "stage")
        return rec.changes, StageId(stage_id)

    def _agree(self, stage_id: StageId, text: str, step: str) -> Changes:
        with self._wb.step(step) as rec:
            self._wb.update(rec, "stages", {"id": stage_id},
                            {"definition": text, "agreement": Agreement.AGREED.value}, "stage")
        return rec.changes

    def _alias_rows(self) -> list[glossary.AliasRow]:
        rows = self._conn.execute("SELECT stage_id, crm, alias FROM stage_aliases ORDER BY id")
        return [(StageId(r[0]), r[1], r[2]) for r in rows]

    def _check_key_free(self, key: str, stage_id: StageId | None) -> None:
        other = self.stage_by_key(key)
        if other is not None and other.id != stage_id:
            raise ValidationError("key", f"The key “{key}” is already used by “{other.name}”.")

    def _check_name_free(self, name: str, stage_id: StageId | None) -> None:
        for other in self.stages():
            if other.id != stage_id and glossary.loose(other.name) == glossary.loose(name):
                raise ValidationError("name", f"There is already a stage called “{other.name}”.")

    def _free_key(self, name: str) -> str:
        base = key_from_name(name)
        key, n = base, 1
        while self.stage_by_key(key) is not None:
            n += 1
            key = f"{base[:36]}_{n}"
        return key


def _team(team: Team | str) -> Team:
    try:
        return Team(team)
    except ValueError:
        raise ValidationError("team", "A proposal comes from marketing or sales.") from None


def _possessive(team: Team) -> str:
    return "marketing's" if team is Team.MARKETING else "sales'"


_STEP_NAMES = {
    "name": "Rename stage", "key": "Change stage key", "owner": "Change stage owner",
    "definition": "Edit definition", "entry_criteria": "Edit entry criteria",
    "exit_criteria": "Edit exit criteria", "max_hours": "Change max time in stage",
    "target_conversion": "Change conversion target", "agreement": "Change agreement status",
    "probability": "Change stage probability",
}


def _step_name(values: dict[str, Any]) -> str:
    if len(values) == 1:
        return _STEP_NAMES[next(iter(values))]
    return "Edit stage"
