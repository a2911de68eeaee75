"""The definitions checker: gaps in the funnel a workshop should close before the SLA.

`check_funnel(workbook)` returns `Problem`s, each naming its rule, the stage to jump to
(None for the funnel as a whole) and the stage field to focus (None when the fix lies
elsewhere, e.g. the MQL threshold on the Scoring screen). Stage problems come in stage
order, funnel-wide ones last. The rules, by `Problem.rule`:

- no_definition, no_owner, no_exit_criteria: a stage lacks that field.
- disputed_definition / definition_not_agreed: the two teams disagree, or a written
  definition is still "open".
- duplicate_key / duplicate_name: two stages share a key or name once case and spaces are
  ignored. The database refuses equal keys, but "MQL " and "mql" would both pass it if a
  file were edited by hand, and an import could not tell them apart. The second stage is
  reported, since the first one keeps the name.
- conversion_out_of_range: a conversion target outside 0–100 %.
- conversion_missing / conversion_zero: targets must multiply from the top stage down to
  the customer stage; a missing one (when others are set) or a 0 % one breaks the chain.
- handoff_without_time_limit: a stage on either side of the hand-off (see
  `workbench.funnel.handoff`) has no maximum time in stage, so nobody owns the delay.
- mql_threshold_unreachable: even the best-scoring lead cannot reach the MQL threshold.
- scoring_rule_unknown_field: a rule of the SLA's model looks at a field no lead has (an
  import since dropped that column), so its points never count.
Problems whose fix lies on another screen carry a `target`: (area, what to open there).
- no_sales_stage: no stage is owned by sales, so there is no hand-off at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING

from .funnel import handoff
from .funnel_glossary import canonical_key, loose
from .model import Agreement, Operator, Owner, RuleKind, ScoringRule, Stage, StageId

if TYPE_CHECKING:
    from .workbook import Workbook


@dataclass(frozen=True)
class Problem:
    """One finding: which rule, which stage (None for the funnel as a whole), the message,
    and the stage field to focus when the user clicks it."""

    rule: str
    stage_id: StageId | None
    message: str
    field: str | None = None
    # Where the fix lies when it is on another screen: ("scoring", "mql_threshold"), …
    target: tuple[str, object] | None = dataclass_field(default=None, compare=False)


def check_funnel(workbook: Workbook) -> list[Problem]:
    """All problems in the workbook's funnel, in stage order, funnel-wide ones last."""
    funnel = workbook.funnel
    stages = funnel.stages()
    aliases = {s.id: [alias for _, alias in funnel.aliases(s.id)] for s in stages}
    problems = [p for stage in stages for p in _stage_gaps(stage)]
    problems += _duplicates(stages)
    problems += _conversion_chain(stages, aliases)
    problems += _handoff_limits(stages)
    problems += _mql_reachable(stages, aliases, workbook.scoring.rules(),
                               workbook.scoring.settings().mql_threshold)
    problems += _rules_on_missing_fields(workbook)
    if not any(stage.owner is Owner.SALES for stage in stages):
        problems.append(Problem("no_sales_stage", None, "No stage is owned by sales: mark "
                                "the stage where sales takes the lead over.", "owner"))
    order: dict[StageId | None, int] = {stage.id: index for index, stage in enumerate(stages)}
    return sorted(problems, key=lambda p: (p.stage_id is None, order.get(p.stage_id, 0)))


def _stage_gaps(stage: Stage) -> list[Problem]:
    """Problems one stage has on its own."""
    name, found = stage.name, []
    if not stage.definition.strip():
        found.append(Problem("no_definition", stage.id, f"“{name}” has no definition: write "
                             "what it means, or adopt one team's proposal.", "definition"))
    elif stage.agreement is Agreement.DISPUTED:
        found.append(Problem("disputed_definition", stage.id, "Marketing and sales dispute "
                             f"the definition of “{name}”.", "agreement"))
    elif stage.agreement is Agreement.OPEN:
        found.append(Problem("definition_not_agreed", stage.id, f"The definition of “{name}” "
                             "is not marked agreed yet.", "agreement"))
    if stage.owner is None:
        found.append(Problem("no_owner", stage.id, f"“{name}” has no owner: choose marketing, "
                             "sales or shared.", "owner"))
    if not stage.exit_criteria.strip():
        found.append(Problem("no_exit_criteria", stage.id, f"“{name}” has no exit criteria: "
                             "say what moves a lead on from it.", "exit_criteria"))
    rate = stage.target_conversion
    if rate is not None and not 0 <= rate <= 1:
        found.append(Problem("conversion_out_of_range", stage.id, f"The conversion target of "
                             f"“{name}” is {rate * 100:g} %; it must be between 0 % and 100 %.",
                             "target_conversion"))
    return found


def _duplicates(stages: Sequence[Stage]) -> list[Problem]:
    """Stages whose key or name repeats an earlier stage's, ignoring case and spaces."""
    found = []
    for field, normal in (("key", _trimmed), ("name", loose)):
        first: dict[str, Stage] = {}
        for stage in stages:
            value = getattr(stage, field)
            earlier = first.setdefault(normal(value), stage)
            if earlier is not stage:
                found.append(Problem(
                    f"duplicate_{field}", stage.id, f"“{stage.name}” has the {field} "
                    f"“{value.strip()}”, which “{earlier.name}” already uses.", field))
    return found


def _trimmed(text: str) -> str:
    return "".join(text.split()).casefold()


def _customer_index(stages: Sequence[Stage], aliases: dict[StageId, list[str]]) -> int:
    """The position of the customer stage: the last stage the glossary reads as "customer"
    (Customer, Won, Closed Won, …), else the bottom stage."""
    found = [i for i, s in enumerate(stages) if canonical_key(s, aliases[s.id]) == "customer"]
    return found[-1] if found else len(stages) - 1


def _conversion_chain(stages: Sequence[Stage], aliases: dict[StageId, list[str]]) -> list[Problem]:
    """Targets must multiply from the top stage down to the customer stage. When no stage
    has a target the chain is simply not set up yet and the Plan supplies its own rates."""
    if not stages:
        return []
    customer = stages[_customer_index(stages, aliases)]
    chain = stages[:_customer_index(stages, aliases)]
    if all(stage.target_conversion is None for stage in chain):
        return []
    found = []
    for stage in chain:
        if stage.target_conversion is None:
            found.append(Problem(
                "conversion_missing", stage.id, f"“{stage.name}” has no conversion target, so "
                f"the targets down to “{customer.name}” do not multiply up.", "target_conversion"))
        elif stage.target_conversion == 0:
            found.append(Problem(
                "conversion_zero", stage.id, f"“{stage.name}” has a 0 % conversion target, so "
                f"no lead would ever reach “{customer.name}”.", "target_conversion"))
    return found


def _handoff_limits(stages: Sequence[Stage]) -> list[Problem]:
    """Both sides of the marketing → sales hand-off need a maximum time in stage: how fast
    a lead reaches sales, and how fast sales follows it up."""
    pair = handoff(stages)
    if pair is None:
        return []
    by_id = {stage.id: stage for stage in stages}
    giver, taker = by_id[pair[0]], by_id[pair[1]]
    found = []
    if giver.max_hours is None:
        found.append(Problem("handoff_without_time_limit", giver.id, f"“{giver.name}” hands "
                             "leads to sales but has no maximum time in stage: agree how fast "
                             "leads reach sales.", "max_hours"))
    if taker.max_hours is None:
        found.append(Problem("handoff_without_time_limit", taker.id, f"“{taker.name}” takes "
                             "leads over from marketing but has no maximum time in stage: agree "
                             "how fast sales follows up.", "max_hours"))
    return found


def _mql_reachable(
    stages: Sequence[Stage], aliases: dict[StageId, list[str]], rules: Sequence[ScoringRule],
    threshold: int,
) -> list[Problem]:
    """The MQL stage (key, name or a CRM name meaning MQL) gets a problem when even the
    best-scoring lead stays below the threshold. The fix is on the Scoring screen, so the
    problem names no stage field."""
    mql = next((s for s in stages if canonical_key(s, aliases[s.id]) == "mql"), None)
    if mql is None:
        return []
    fit, interest = max_score(rules)
    if fit + interest >= threshold:
        return []
    if not rules:
        message = (f"There are no scoring rules yet, so no lead can reach the MQL threshold "
                   f"of {threshold} points.")
    else:
        message = (f"No lead can reach the MQL threshold of {threshold} points: the scoring "
                   f"rules give at most {fit + interest} (fit {fit} + interest {interest}). "
                   "Lower the threshold or add rules on the Scoring screen.")
    return [Problem("mql_threshold_unreachable", mql.id, message, None,
                    ("scoring", "mql_threshold"))]


def _rules_on_missing_fields(workbook: Workbook) -> list[Problem]:
    """Rules of the SLA's model on a field no lead has (only once there are leads)."""
    conn = workbook.db.conn
    if conn.execute("SELECT 1 FROM leads LIMIT 1").fetchone() is None:
        return []
    from .lead_attributes import attribute_names
    from .rule_match import LEAD_FIELDS

    rules = [rule for rule in workbook.scoring.rules() if rule.attribute not in LEAD_FIELDS]
    names = attribute_names(conn) if rules else set()
    return [Problem("scoring_rule_unknown_field", None,
                    f"The scoring rule “{rule.label or rule.attribute}” looks at "
                    f"“{rule.attribute}”, which no lead has, so its points never count. Fix "
                    "it on the Scoring screen.", None, ("scoring", int(rule.id)))
            for rule in rules if rule.attribute not in names]


_OTHER_VALUE = object()  # an attribute value no rule mentions
_CATEGORICAL = (Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN)


def max_score(rules: Iterable[ScoringRule]) -> tuple[int, int]:
    """The highest (fit, interest) points one lead could earn under these rules.

    A lead has one value per attribute, so equals / not-equals / in rules on the same
    attribute are scored per candidate value (each value a rule names, plus "any other
    value") and only the best candidate counts: "industry equals Retail" and "industry
    equals Logistics" never add up. Other comparisons (contains, at least, at most, exists)
    are assumed to match together, so the estimate can only be too high, never too low: the
    checker never calls a reachable threshold unreachable. Negative points are left out.
    """
    by_attribute: dict[str, list[ScoringRule]] = defaultdict(list)
    for rule in rules:
        by_attribute[rule.attribute.strip().casefold()].append(rule)
    fit = interest = 0
    for group in by_attribute.values():
        best_fit, best_interest = _best_for_attribute(group)
        fit, interest = fit + best_fit, interest + best_interest
    return fit, interest


def _best_for_attribute(rules: Sequence[ScoringRule]) -> tuple[int, int]:
    free = [0, 0]
    for rule in rules:
        if rule.operator not in _CATEGORICAL and rule.points > 0:
            free[rule.kind is RuleKind.INTEREST] += rule.points
    candidates: set[object] = {_OTHER_VALUE}
    for rule in rules:
        if rule.operator in _CATEGORICAL:
            candidates |= _values(rule)
    best = (0, 0)
    for value in candidates:
        points = [0, 0]
        for rule in rules:
            if rule.operator in _CATEGORICAL and rule.points > 0 and _matches(rule, value):
                points[rule.kind is RuleKind.INTEREST] += rule.points
        if sum(points) > sum(best):
            best = (points[0], points[1])
    return best[0] + free[0], best[1] + free[1]


def _values(rule: ScoringRule) -> set[object]:
    if rule.operator is Operator.IN:
        return {part.strip().lower() for part in rule.value.split(",")}
    return {rule.value.strip().lower()}


def _matches(rule: ScoringRule, value: object) -> bool:
    """Whether a categorical rule matches a candidate value (as `rule_matches` would)."""
    if rule.operator is Operator.NOT_EQUALS:
        return value not in _values(rule)
    return value in _values(rule)
