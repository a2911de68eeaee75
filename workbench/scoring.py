"""The scoring models: fit and interest rules with points, the thresholds, the 2×2 of fit
and interest with each quadrant's agreed action, and the sales capacity entered once.

A workbook has one or more models (one per product line); exactly one is the model the SLA
uses, and it is what `rules()`, `settings()` and `quadrants()` answer without a model id.
Matching itself lives in `rule_match`; scoring every lead at once in `lead_scores`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .changes import Changes
from .errors import ValidationError
from .lead_stamp import lead_stamp
from .model import (
    ModelId,
    Operator,
    Quadrant,
    QuadrantRule,
    RuleId,
    RuleKind,
    SalesCapacity,
    ScoringModel,
    ScoringRule,
    ScoringSettings,
)
from .personas import Personas, free_name
from .rule_match import LEAD_FIELDS, check_rule, number_in
from .rule_match import rule_matches as rule_matches
from .rule_match import score_lead as score_lead

if TYPE_CHECKING:
    from .lead_scores import LeadData, ModelScores, ScoringRequest
    from .workbook import Workbook

QUADRANT_NAMES = {
    Quadrant.SALES_NOW: "Fit and interest", Quadrant.NURTURE: "Fit, low interest",
    Quadrant.QUALIFY: "Low fit, interest", Quadrant.NO_ACTION: "Neither",
}
DEFAULT_ACTIONS = {
    Quadrant.SALES_NOW: "Sales follows up within {follow_up_hours} hours.",
    Quadrant.NURTURE: "Marketing nurtures the lead until its interest grows.",
    Quadrant.QUALIFY: "Sales development qualifies or disqualifies the lead.",
    Quadrant.NO_ACTION: "No action.",
}
THRESHOLDS = ("mql_threshold", "fit_threshold", "interest_threshold")
_RULE_COLUMNS = ("id, kind, attribute, operator, value, points, label, position, model_id, "
                 "half_life_days, dated_by, trait_id")


def _rule(row: tuple[Any, ...]) -> ScoringRule:
    return ScoringRule(RuleId(row[0]), RuleKind(row[1]), row[2], Operator(row[3]), row[4],
                       row[5], row[6], row[7], ModelId(row[8]), row[9], row[10], row[11])


def validate_rule(values: dict[str, Any]) -> dict[str, Any]:
    """Check a rule's fields as entered, one by one; return them ready to store."""
    clean: dict[str, Any] = {}
    for field, value in values.items():
        if field == "kind":
            try:
                clean[field] = RuleKind(value).value
            except ValueError:
                raise ValidationError(field, "A rule is a fit rule or an interest rule.") from None
        elif field == "operator":
            try:
                clean[field] = Operator(value).value
            except ValueError:
                raise ValidationError(field, f"Unknown comparison {value!r}.") from None
        elif field == "attribute":
            if not str(value).strip():
                raise ValidationError(field, "A rule needs the attribute it looks at.")
            clean[field] = str(value).strip()
        elif field == "points":
            clean[field] = _points(value)
        elif field == "half_life_days":
            clean[field] = _half_life(value)
        elif field in ("value", "label", "dated_by"):
            clean[field] = str(value or "").strip()
        elif field == "trait_id":
            clean[field] = None if value in (None, "") else int(value)
        else:
            raise ValidationError(field, f"{field} is not a rule field.")
    return clean


def _points(value: Any) -> int:
    number = number_in(value) if isinstance(value, str) else value
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if not isinstance(number, int) or isinstance(number, bool):
        raise ValidationError("points", "Points must be a whole number.")
    if not -1000 <= number <= 1000:
        raise ValidationError("points", "Points must be between -1000 and 1000.")
    return number


def _half_life(value: Any) -> float | None:
    if value in (None, ""):
        return None
    number = value if isinstance(value, int | float) and not isinstance(value, bool) \
        else number_in(value)
    if number is None or number <= 0:
        raise ValidationError("half_life_days", "The half-life is a number of days above 0.")
    return float(number)


class Scoring:
    """Scoring models, rules, thresholds and quadrants of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn
        self.personas = Personas(workbook)
        self._leads: LeadData | None = None
        self._kinds: tuple[tuple[int, str], dict[str, str]] | None = None

    # -- every lead scored ----------------------------------------------------------------
    def lead_data(self) -> LeadData:
        """Every lead as scoring reads it, loaded once and kept while the leads are
        unchanged (their signature), with each rule's matches."""
        from .lead_scores import load, signature  # numpy: loaded when scoring is

        current = signature(self._conn)
        if self._leads is None or self._leads.signature != current:
            stages = self._wb.funnel.stages()
            aliases = {s.id: [a for _, a in self._wb.funnel.aliases(s.id)] for s in stages}
            self._leads = load(self._conn, stages, aliases)
        return self._leads

    def lead_data_at_hand(self) -> bool:
        """Whether `scores` answers without loading the leads first."""
        from .lead_scores import signature

        return self._leads is not None and self._leads.signature == signature(self._conn)

    def scoring_request(self, model_id: ModelId | None = None) -> ScoringRequest:
        """What a worker thread needs to load and score the leads (see `keep_lead_data`)."""
        if self._wb.path is None:
            raise ValidationError("scores", "Only a workbook saved in a file scores elsewhere.")
        stages = self._wb.funnel.stages()
        aliases = {s.id: [a for _, a in self._wb.funnel.aliases(s.id)] for s in stages}
        from .lead_scores import ScoringRequest

        return ScoringRequest(self._wb.path, tuple(stages), aliases,
                              tuple(self.rules(model_id)))

    def keep_lead_data(self, data: LeadData) -> bool:
        """Keep leads loaded (and rules matched) elsewhere, if the leads are still as they
        were read; they read further columns on this workbook's connection."""
        from .lead_scores import signature

        if data.signature != signature(self._conn):
            return False
        data.conn = self._conn
        self._leads = data
        return True

    def scores(self, model_id: ModelId | None = None,
               rules: list[ScoringRule] | None = None) -> ModelScores:
        """Every lead's fit and interest under a model's rules (or the `rules` given, for
        a what-if); only rules not seen before are matched again."""
        from .lead_scores import score

        return score(self.lead_data(), self.rules(model_id) if rules is None else rules)

    # -- models ---------------------------------------------------------------------------
    def models(self) -> list[ScoringModel]:
        """Every model, in order; one has `used_by_sla`."""
        rows = self._conn.execute(
            "SELECT id, name, position, used_by_sla, mql_threshold, fit_threshold, "
            "interest_threshold FROM scoring_models ORDER BY position, id").fetchall()
        return [ScoringModel(ModelId(r[0]), r[1], r[2], bool(r[3]), ScoringSettings(*r[4:]))
                for r in rows]

    def model(self, model_id: ModelId | None = None) -> ScoringModel:
        """One model; without an id, the model the SLA uses."""
        models = self.models()
        if model_id is None:
            return next((m for m in models if m.used_by_sla), models[0])
        found = next((m for m in models if m.id == model_id), None)
        if found is None:
            raise ValidationError("model", "That scoring model no longer exists.")
        return found

    def add_model(self, name: str, *, copy_of: ModelId | None = None) -> tuple[Changes, ModelId]:
        """A new model for another product line: a copy of `copy_of` (its thresholds,
        quadrants and rules), or empty with the default thresholds and actions."""
        name = self._free_name(name, None)
        source = self.model(copy_of) if copy_of is not None else None
        position = max((m.position for m in self.models()), default=-1) + 1
        with self._wb.step("Add scoring model") as rec:
            values: dict[str, Any] = {"name": name, "position": position}
            if source is not None:
                values.update(zip(THRESHOLDS, (source.settings.mql_threshold,
                                               source.settings.fit_threshold,
                                               source.settings.interest_threshold),
                                  strict=True))
            model_id = ModelId(self._wb.insert(rec, "scoring_models", values, "scoring_model"))
            quadrants = self.quadrants(copy_of) if source is not None else {
                q: QuadrantRule(q, DEFAULT_ACTIONS[q], True) for q in Quadrant}
            for quadrant in quadrants.values():
                self._conn.execute(
                    "INSERT INTO scoring_quadrants (model_id, quadrant, action, counts_as_mql) "
                    "VALUES (?, ?, ?, ?)", (model_id, quadrant.quadrant.value, quadrant.action,
                                            int(quadrant.counts_as_mql)))
            for rule in self.rules(copy_of) if source is not None else []:
                self._conn.execute(
                    "INSERT INTO scoring_rules (model_id, position, kind, attribute, operator, "
                    "value, points, label, half_life_days, dated_by, trait_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (model_id, rule.position, rule.kind.value, rule.attribute,
                     rule.operator.value, rule.value, rule.points, rule.label,
                     rule.half_life_days, rule.dated_by, rule.trait_id))
        return rec.changes, model_id

    def rename_model(self, model_id: ModelId, name: str) -> Changes:
        self.model(model_id)
        name = self._free_name(name, model_id)
        with self._wb.step("Rename scoring model") as rec:
            self._wb.update(rec, "scoring_models", {"id": model_id}, {"name": name},
                            "scoring_model")
        return rec.changes

    def delete_model(self, model_id: ModelId) -> Changes:
        """Delete a model and its rules; never the one the SLA uses."""
        model = self.model(model_id)
        if model.used_by_sla:
            raise ValidationError("model", f"The SLA uses “{model.name}”: choose another model "
                                           "for the SLA before deleting this one.")
        with self._wb.step("Delete scoring model") as rec:
            self._wb.delete(rec, "scoring_models", {"id": model_id}, "scoring_model", model.name)
        return rec.changes

    def use_for_sla(self, model_id: ModelId) -> Changes:
        """Make this the model whose MQL rule the SLA and the funnel state."""
        model = self.model(model_id)
        current = self.model()
        with self._wb.step("Choose the SLA's scoring model") as rec:
            if current.id != model.id:
                self._wb.update(rec, "scoring_models", {"id": current.id}, {"used_by_sla": 0},
                                "scoring_model")
                self._wb.update(rec, "scoring_models", {"id": model.id}, {"used_by_sla": 1},
                                "scoring_model")
        return rec.changes

    def _free_name(self, name: str, model_id: ModelId | None) -> str:
        return free_name(name, {m.id: m.name for m in self.models()}, model_id, "model",
                         "its product line")

    # -- rules ----------------------------------------------------------------------------
    def rules(self, model_id: ModelId | None = None) -> list[ScoringRule]:
        """A model's rules in order (the SLA's model without an id)."""
        model = self.model(model_id)
        rows = self._conn.execute(
            f"SELECT {_RULE_COLUMNS} FROM scoring_rules WHERE model_id = ? "
            "ORDER BY position, id", (model.id,)).fetchall()
        return [_rule(r) for r in rows]

    def rule(self, rule_id: RuleId) -> ScoringRule:
        row = self._conn.execute(f"SELECT {_RULE_COLUMNS} FROM scoring_rules WHERE id = ?",
                                 (rule_id,)).fetchone()
        if row is None:
            raise ValidationError("rule", "That rule no longer exists.")
        return _rule(row)

    def field_kinds(self) -> dict[str, str]:
        """Every field a rule can look at and its type: the lead's own fields, then the
        columns imports kept (as typed by the import), then attributes no import recorded
        (the demo's), typed from their values. The columns' types are kept while the lead
        data is the same (`lead_stamp`): typing them reads a thousand leads' values, and the
        Funnel's checks ask at every redraw."""
        from .lead_attributes import attribute_kinds

        stamp = lead_stamp(self._conn)
        if self._kinds is None or self._kinds[0] != stamp:
            self._kinds = (stamp, attribute_kinds(self._conn))
        return {**self._kinds[1], **LEAD_FIELDS}

    def add_rule(self, model_id: ModelId | None = None, **fields: Any) -> tuple[Changes, RuleId]:
        """Add a rule to a model (the SLA's without an id), checked against the fields
        leads have; a rule that could never mean what it says is refused, not stored."""
        values = validate_rule(fields)
        for required in ("kind", "attribute", "operator", "points"):
            if required not in values:
                raise ValidationError(required, f"A rule needs a {required}.")
        model = self.model(model_id)
        candidate = _rule((0, values["kind"], values["attribute"], values["operator"],
                           values.get("value", ""), values["points"], values.get("label", ""),
                           0, model.id, values.get("half_life_days"), values.get("dated_by", ""),
                           values.get("trait_id")))
        self._check(candidate)
        position = max((r.position for r in self.rules(model.id)), default=-1) + 1
        with self._wb.step("Add scoring rule") as rec:
            rule_id = self._wb.insert(rec, "scoring_rules",
                                      {"position": position, "model_id": model.id, **values},
                                      "rule")
        return rec.changes, RuleId(rule_id)

    def update_rule(self, rule_id: RuleId, **fields: Any) -> Changes:
        """Change a rule's fields; the rule as changed must pass the same checks."""
        values = validate_rule(fields)
        old = self.rule(rule_id)
        merged = {**{f: getattr(old, f) for f in ("kind", "attribute", "operator", "value",
                                                  "points", "label", "half_life_days",
                                                  "dated_by", "trait_id")}, **values}
        candidate = _rule((old.id, merged["kind"], merged["attribute"], merged["operator"],
                           merged["value"], merged["points"], merged["label"], old.position,
                           old.model_id, merged["half_life_days"], merged["dated_by"],
                           merged["trait_id"]))
        self._check(candidate)
        with self._wb.step("Edit scoring rule") as rec:
            self._wb.update(rec, "scoring_rules", {"id": rule_id}, values, "rule")
        return rec.changes

    def _check(self, rule: ScoringRule) -> None:
        have_leads = self._conn.execute("SELECT 1 FROM leads LIMIT 1").fetchone() is not None
        check_rule(rule, self.field_kinds(), have_leads=have_leads)
        if rule.trait_id is not None and self.personas.trait(rule.trait_id) is None:
            raise ValidationError("trait_id", "That persona trait no longer exists.")

    def delete_rule(self, rule_id: RuleId) -> Changes:
        rule = self.rule(rule_id)
        with self._wb.step("Delete scoring rule") as rec:
            self._wb.delete(rec, "scoring_rules", {"id": rule_id}, "rule",
                            rule.label or rule.attribute)
        return rec.changes

    # -- thresholds and the 2×2 -----------------------------------------------------------
    def settings(self, model_id: ModelId | None = None) -> ScoringSettings:
        """A model's MQL, fit and interest thresholds (the SLA's model without an id)."""
        return self.model(model_id).settings

    def set_thresholds(self, model_id: ModelId | None = None, **fields: Any) -> Changes:
        """Change the MQL threshold and the quadrant's fit and interest cuts."""
        model = self.model(model_id)
        values: dict[str, int] = {}
        for field, value in fields.items():
            if field not in THRESHOLDS:
                raise ValidationError(field, f"{field} is not a threshold.")
            number = number_in(value) if isinstance(value, str) else value
            if not isinstance(number, int | float) or isinstance(number, bool) \
                    or number != int(number):
                raise ValidationError(field, "A threshold is a whole number of points.")
            if number < 0:
                raise ValidationError(field, "A threshold cannot be negative.")
            values[field] = int(number)
        name = "Change MQL threshold" if list(values) == ["mql_threshold"] else "Change thresholds"
        with self._wb.step(name) as rec:
            self._wb.update(rec, "scoring_models", {"id": model.id}, values, "scoring")
        return rec.changes

    def quadrants(self, model_id: ModelId | None = None) -> dict[Quadrant, QuadrantRule]:
        """The 2×2 of a model: each quadrant's agreed action and whether it counts as MQL."""
        model = self.model(model_id)
        rows = dict((r[0], r[1:]) for r in self._conn.execute(
            "SELECT quadrant, action, counts_as_mql FROM scoring_quadrants WHERE model_id = ?",
            (model.id,)))
        return {q: QuadrantRule(q, *(rows[q.value][0], bool(rows[q.value][1]))
                                if q.value in rows else (DEFAULT_ACTIONS[q], True))
                for q in Quadrant}

    def set_quadrant(self, quadrant: Quadrant | str, *, model_id: ModelId | None = None,
                     action: str | None = None, counts_as_mql: bool | None = None) -> Changes:
        """Agree a quadrant's action, or whether its leads count as MQLs."""
        try:
            quadrant = Quadrant(quadrant)
        except ValueError:
            raise ValidationError("quadrant", f"Unknown quadrant {quadrant!r}.") from None
        model = self.model(model_id)
        current = self.quadrants(model.id)
        values: dict[str, Any] = {}
        if action is not None:
            text = " ".join(str(action).split())
            if len(text) > 300:
                raise ValidationError("action", "An action can be at most 300 characters.")
            values["action"] = text
        if counts_as_mql is not None:
            others = any(r.counts_as_mql for q, r in current.items() if q is not quadrant)
            if not counts_as_mql and not others:
                raise ValidationError("counts_as_mql", "At least one quadrant's leads must "
                                                       "count as MQLs.")
            values["counts_as_mql"] = int(counts_as_mql)
        name = "Agree quadrant action" if "action" in values else "Change the MQL rule"
        with self._wb.step(name) as rec:
            self._wb.update(rec, "scoring_quadrants",
                            {"model_id": model.id, "quadrant": quadrant.value}, values,
                            "quadrant")
        return rec.changes

    # -- sales capacity -------------------------------------------------------------------
    def capacity(self) -> SalesCapacity:
        row = self._conn.execute(
            "SELECT hours_per_mql, rep_hours_per_month FROM sales_capacity WHERE id = 1"
        ).fetchone()
        return SalesCapacity(*row) if row else SalesCapacity(None, None)

    def set_capacity(self, **fields: Any) -> Changes:
        """Enter the follow-up effort per MQL (hours) and reps' hours per month; an empty
        value clears it."""
        values: dict[str, float | None] = {}
        for field, value in fields.items():
            if field not in ("hours_per_mql", "rep_hours_per_month"):
                raise ValidationError(field, f"{field} is not part of sales capacity.")
            if value is None or (isinstance(value, str) and not value.strip()):
                values[field] = None
                continue
            number = number_in(value)
            if number is None or number < 0 or (field == "hours_per_mql" and number == 0):
                what = "above 0" if field == "hours_per_mql" else "of 0 or more"
                raise ValidationError(field, f"Enter a number of hours {what}.")
            values[field] = number
        with self._wb.step("Change sales capacity") as rec:
            self._wb.update(rec, "sales_capacity", {"id": 1}, values, "sales_capacity")
        return rec.changes
