"""The funnel: stages with their agreed definitions, both teams' proposals, aliases and
recycle paths. Every method that changes something returns `Changes`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .changes import Changes
from .errors import ValidationError
from .model import Agreement, Owner, Proposal, Recycle, Stage, StageId, Team

if TYPE_CHECKING:
    from .workbook import Workbook

_STAGE_COLUMNS = (
    "id, position, key, name, owner, definition, entry_criteria, exit_criteria, max_hours, "
    "target_conversion, agreement, probability"
)
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_FIELDS = ("definition", "entry_criteria", "exit_criteria")
EDITABLE = (
    "name", "key", "owner", *TEXT_FIELDS, "max_hours", "target_conversion", "agreement",
    "probability",
)


def _stage(row: tuple[Any, ...]) -> Stage:
    values = list(row)
    values[4] = Owner(values[4]) if values[4] else None
    values[10] = Agreement(values[10])
    return Stage(*values)


def key_from_name(name: str) -> str:
    """A stage key derived from its name: "Sales Accepted Lead" → "sales_accepted_lead"."""
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not key or not key[0].isalpha():
        key = "stage_" + key
    return key[:40].rstrip("_")


def validate_stage_field(field: str, value: Any) -> Any:
    """Check one stage field as the user entered it; return the value to store.

    Raises `ValidationError` naming the field and what was expected.
    """
    if field == "name":
        text = str(value).strip()
        if not text:
            raise ValidationError("name", "A stage needs a name.")
        if len(text) > 200:
            raise ValidationError("name", "A stage name can be at most 200 characters.")
        return text
    if field == "key":
        text = str(value).strip()
        if not KEY_PATTERN.match(text):
            raise ValidationError(
                "key",
                "A key is 1–40 lowercase letters, digits or _ and starts with a letter "
                "(for example sales_accepted).",
            )
        return text
    if field == "owner":
        if value in (None, ""):
            return None
        try:
            return Owner(value).value
        except ValueError:
            raise ValidationError("owner", "The owner is marketing, sales or shared.") from None
    if field in TEXT_FIELDS:
        return str(value or "").strip()
    if field == "max_hours":
        if value in (None, ""):
            return None
        hours = _number(field, value, "Max time in stage must be a number of hours.")
        if hours < 0:
            raise ValidationError(field, "Max time in stage cannot be negative.")
        if hours > 24 * 366 * 5:
            raise ValidationError(field, "Max time in stage must be under five years.")
        return hours
    if field in ("target_conversion", "probability"):
        if value in (None, ""):
            return None
        rate = _number(field, value, "Enter a percentage between 0 and 100.")
        if not 0 <= rate <= 1:
            what = "A conversion target" if field == "target_conversion" else "A probability"
            raise ValidationError(
                field, f"{what} must be between 0 % and 100 % (got {rate * 100:g} %)."
            )
        return rate
    if field == "agreement":
        try:
            return Agreement(value).value
        except ValueError:
            raise ValidationError(field, "The status is open, agreed or disputed.") from None
    raise ValidationError(field, f"{field} is not a stage field.")


def _number(field: str, value: Any, message: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(field, message) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(field, message)
    return number


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
        rows = self._conn.execute(
            "SELECT stage_id, team, text FROM stage_proposals WHERE stage_id = ?", (stage_id,)
        ).fetchall()
        return {Team(r[1]): Proposal(StageId(r[0]), Team(r[1]), r[2]) for r in rows}

    def aliases(self, stage_id: StageId) -> list[tuple[str, str]]:
        """(CRM, alias) pairs that name this stage in other systems."""
        return [
            (r[0], r[1])
            for r in self._conn.execute(
                "SELECT crm, alias FROM stage_aliases WHERE stage_id = ? ORDER BY crm, alias",
                (stage_id,),
            )
        ]

    def recycles(self) -> list[Recycle]:
        rows = self._conn.execute(
            "SELECT id, from_stage_id, to_stage_id, label FROM stage_recycles ORDER BY id"
        ).fetchall()
        return [Recycle(r[0], StageId(r[1]), StageId(r[2]), r[3]) for r in rows]

    def stage_has_data(self, stage_id: StageId) -> bool:
        """Whether deleting the stage would delete actuals, lead dates or plan inputs."""
        for table in ("actuals", "lead_stage_dates", "plan_conversions"):
            found = self._conn.execute(
                f"SELECT 1 FROM {table} WHERE stage_id = ? LIMIT 1", (stage_id,)
            ).fetchone()
            if found:
                return True
        return False

    # -- changing -------------------------------------------------------------------------
    def add_stage(
        self, name: str, *, position: int | None = None, key: str | None = None,
        owner: Owner | str | None = None, **fields: Any,
    ) -> tuple[Changes, StageId]:
        """Insert a stage at `position` (default: at the bottom); later stages move down."""
        values = {"name": validate_stage_field("name", name)}
        values["key"] = validate_stage_field("key", key or self._free_key(values["name"]))
        values["owner"] = validate_stage_field("owner", owner)
        for field, value in fields.items():
            values[field] = validate_stage_field(field, value)
        self._check_key_free(values["key"], None)
        count = len(self.stages())
        position = count if position is None else max(0, min(position, count))
        with self._wb.step("Add stage") as rec:
            self._conn.execute(
                "UPDATE stages SET position = position + 1 WHERE position >= ?", (position,)
            )
            stage_id = self._wb.insert(rec, "stages", {"position": position, **values}, "stage")
        return rec.changes, StageId(stage_id)

    def update_stage(self, stage_id: StageId, **fields: Any) -> Changes:
        """Change any of a stage's fields; each is validated before anything is written."""
        values = {field: validate_stage_field(field, v) for field, v in fields.items()}
        if "key" in values:
            self._check_key_free(values["key"], stage_id)
        self.stage(stage_id)
        with self._wb.step(_step_name(values)) as rec:
            self._wb.update(rec, "stages", {"id": stage_id}, values, "stage")
        return rec.changes

    def rename_stage(self, stage_id: StageId, name: str) -> Changes:
        return self.update_stage(stage_id, name=name)

    def delete_stage(self, stage_id: StageId) -> Changes:
        """Delete a stage and what hangs on it; the last stage cannot be deleted."""
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
        position = max(0, min(position, len(order) - 1))
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

    def set_proposal(self, stage_id: StageId, team: Team | str, text: str) -> Changes:
        """Record one team's proposed definition for a stage."""
        team = Team(team)
        self.stage(stage_id)
        with self._wb.step(f"Edit {team.value}'s proposal") as rec:
            exists = self._conn.execute(
                "SELECT 1 FROM stage_proposals WHERE stage_id = ? AND team = ?",
                (stage_id, team.value),
            ).fetchone()
            if exists:
                self._wb.update(rec, "stage_proposals", {"stage_id": stage_id, "team": team.value},
                                {"text": text.strip()}, "proposal")
            else:
                self._wb.insert(rec, "stage_proposals",
                                {"stage_id": stage_id, "team": team.value, "text": text.strip()},
                                "proposal")
        return rec.changes

    def adopt_proposal(self, stage_id: StageId, team: Team | str) -> Changes:
        """Make a team's proposal the agreed definition and mark the stage agreed."""
        team = Team(team)
        proposal = self.proposals(stage_id).get(team)
        if proposal is None or not proposal.text:
            raise ValidationError("proposal", f"{team.value.capitalize()} has not proposed a definition yet.")
        name = "Adopt marketing's definition" if team is Team.MARKETING else "Adopt sales' definition"
        with self._wb.step(name) as rec:
            self._wb.update(rec, "stages", {"id": stage_id},
                            {"definition": proposal.text, "agreement": Agreement.AGREED.value},
                            "stage")
        return rec.changes

    def set_aliases(self, stage_id: StageId, aliases: list[tuple[str, str]]) -> Changes:
        """Replace the CRM names that map to this stage."""
        clean = sorted({(crm.strip(), alias.strip()) for crm, alias in aliases if alias.strip()})
        taken = self._conn.execute(
            "SELECT crm, alias, s.name FROM stage_aliases a JOIN stages s ON s.id = a.stage_id "
            "WHERE a.stage_id <> ?", (stage_id,)
        ).fetchall()
        owners = {(crm, alias): name for crm, alias, name in taken}
        for pair in clean:
            if pair in owners:
                raise ValidationError(
                    "aliases", f"“{pair[1]}” already maps to the stage “{owners[pair]}”."
                )
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
        with self._wb.step("Add recycle path") as rec:
            self._wb.insert(rec, "stage_recycles", {"from_stage_id": from_stage,
                            "to_stage_id": to_stage, "label": label.strip()}, "recycle")
        return rec.changes

    def remove_recycle(self, recycle_id: int) -> Changes:
        with self._wb.step("Remove recycle path") as rec:
            self._wb.delete(rec, "stage_recycles", {"id": recycle_id}, "recycle", recycle_id)
        return rec.changes

    # -- helpers --------------------------------------------------------------------------
    def _check_key_free(self, key: str, stage_id: StageId | None) -> None:
        other = self.stage_by_key(key)
        if other is not None and other.id != stage_id:
            raise ValidationError("key", f"The key “{key}” is already used by “{other.name}”.")

    def _free_key(self, name: str) -> str:
        base = key_from_name(name)
        key, n = base, 1
        while self.stage_by_key(key) is not None:
            n += 1
            key = f"{base[:36]}_{n}"
        return key


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
