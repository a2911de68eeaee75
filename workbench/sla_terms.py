"""The structured SLA: one version's terms built from the live workbook, not retyped.

`build_document` reads the funnel, scoring model, committed plan and disposition codes and
fills each essential term's agreed wording (its `{placeholders}`) and facts from them. A
signed version is read back exactly as it was signed. The document is plain data: it is
what the PDF prints, what the JSON attachment carries and what `redline` compares.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ValidationError
from .model import Agreement, SlaStatus, SlaVersionId, Stage
from .sales_ready import sales_ready_rule
from .sla_commitment import Commitment, LeadCommitment, lead_commitment
from .sla_facts import (
    DISTRIBUTION_METHODS,
    PARAMETER_DEFAULTS,
    essential_facts,
    handoff,
    mql_stage,
)

if TYPE_CHECKING:
    from .workbook import Workbook

FORMAT = "alignment-workbench/sla-terms@1"

# The essential terms, in their default order: key, title, default wording.
ESSENTIAL_TERMS: tuple[tuple[str, str, str], ...] = (
    ("leads_committed", "Leads marketing delivers",
     "Marketing delivers {mql_per_month} marketing qualified leads per month "
     "({mql_per_quarter} per quarter), as set by the committed plan for {plan_quarter}."),
    ("delivery", "When and how leads are delivered",
     "MQLs are routed to sales in the CRM as soon as they qualify, every working day."),
    ("sales_ready", "What constitutes a sales-ready lead",
     "A lead is sales-ready when it meets the {mql_stage} definition and reaches a score "
     "of {mql_threshold} points."),
    ("distribution", "How leads are distributed to the field",
     "Leads are distributed to the field by {distribution_method}."),
    ("disposition", "How reps disposition leads",
     "Every MQL gets one of the disposition codes below within {follow_up_days} days."),
    ("follow_up", "Speed and depth of follow-up",
     "First touch within {follow_up_hours} hours of routing; at least {follow_up_attempts} "
     "attempts over {follow_up_days} days."),
    ("ownership", "Stage ownership and hand-offs",
     "Each funnel stage has one owner, listed below; leads pass {handoff}."),
    ("closed_loop", "How marketing's contribution is measured",
     "Measured through closed-loop reporting from {closed_loop_system}: "
     "{closed_loop_metrics}."),
    ("cadence", "Meetings and escalation",
     "Marketing and sales review this agreement: {review_cadence}. {escalation}"),
)
ESSENTIAL_KEYS = tuple(key for key, _, _ in ESSENTIAL_TERMS)
REQUIRED_KEYS = ("leads_committed", "follow_up")



@dataclass(frozen=True)
class Party:
    """A signatory as printed: signing order (1-based), name, title, team."""

    order: int
    name: str
    title: str
    team: str
    email: str = ""
    signed_at: str | None = None


@dataclass(frozen=True)
class Term:
    """One term as printed: the agreed wording plus facts from the workbook."""

    key: str
    title: str
    body: str
    facts: tuple[tuple[str, str], ...] = ()
    essential: bool = False

    def text(self) -> str:
        """The term as one comparable text: wording, then each fact on its own line."""
        return "\n".join([self.body, *(f"{label}: {value}" for label, value in self.facts)])


@dataclass(frozen=True)
class StageRow:
    """A funnel stage for the definitions table and the chart."""

    name: str
    owner: str | None
    definition: str
    entry_criteria: str
    exit_criteria: str
    max_hours: float | None
    planned_volume: int | None = None


@dataclass(frozen=True)
class SlaDocument:
    """Everything one SLA version says, as plain data."""

    company: str
    currency: str
    version: int
    title: str
    status: str
    effective_from: str | None
    effective_to: str | None
    review_cadence: str
    parties: tuple[Party, ...]
    terms: tuple[Term, ...]
    stages: tuple[StageRow, ...]
    commitment: Commitment | None
    scoring: tuple[tuple[str, str], ...]
    parameters: tuple[tuple[str, str], ...] = ()
    amends_version: int | None = None
    handoff: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Every quarter the period covers: its figures, and why any is missing.
    commitments: tuple[Commitment, ...] = ()
    commitment_gaps: tuple[str, ...] = ()
    # Numbers typed into an essential term's wording: (term title, the numbers).
    typed_numbers: tuple[tuple[str, str], ...] = ()
    # Stages whose definition is not agreed by both teams: (stage key, name, what is
    # wrong, the exception recorded for signing anyway or "").
    unagreed: tuple[tuple[str, str, str, str], ...] = ()
    # The workshop's decisions: (text, owner, what it settles), in the order taken.
    decisions: tuple[tuple[str, str, str], ...] = ()

    @property
    def all_agreed(self) -> bool:
        """Whether every stage's definition is written and agreed by both teams."""
        return not self.unagreed

    @property
    def unexcused(self) -> tuple[tuple[str, str, str, str], ...]:
        """The unagreed definitions with no exception recorded: they block signing."""
        return tuple(row for row in self.unagreed if not row[3])

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no signing state), the attachment's content."""
        data = asdict(self)
        data["parties"] = [{**p, "signed_at": None} for p in data["parties"]]
        data["status"] = "draft"
        return json.dumps({"format": FORMAT, "document": data}, sort_keys=True,
                          ensure_ascii=False, separators=(",", ":"))

    @property
    def content_sha256(self) -> str:
        """SHA-256 of `to_json()`: what the completion page prints and signers agree to."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, text: str | bytes) -> SlaDocument:
        """Read a document written by `to_json`; `ValidationError` if it is not one."""
        try:
            outer = json.loads(text)
            if outer.get("format") != FORMAT:
                raise ValueError(f"format is {outer.get('format')!r}, expected {FORMAT}")
            return _document_from_dict(outer["document"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValidationError(
                "file", f"These are not SLA terms this app can read ({error}).") from None

    def term(self, key: str) -> Term | None:
        return next((t for t in self.terms if t.key == key), None)


def _document_from_dict(data: dict[str, Any]) -> SlaDocument:
    data = dict(data)
    data["parties"] = tuple(Party(**p) for p in data["parties"])
    data["terms"] = tuple(
        Term(**{**t, "facts": tuple(tuple(f) for f in t["facts"])}) for t in data["terms"]
    )
    data["stages"] = tuple(StageRow(**s) for s in data["stages"])
    c = data.get("commitment")
    data["commitment"] = _commitment(c) if c else None
    data["commitments"] = tuple(_commitment(c) for c in data.get("commitments", ()))
    data["commitment_gaps"] = tuple(data.get("commitment_gaps", ()))
    data["typed_numbers"] = tuple(tuple(t) for t in data.get("typed_numbers", ()))
    data["unagreed"] = tuple(tuple(u) for u in data.get("unagreed", ()))
    data["decisions"] = tuple(tuple(d) for d in data.get("decisions", ()))
    data["scoring"] = tuple(tuple(s) for s in data["scoring"])
    data["parameters"] = tuple(tuple(p) for p in data.get("parameters", ()))
    return SlaDocument(**data)


def _commitment(data: dict[str, Any]) -> Commitment:
    pairs = {name: tuple(tuple(v) for v in data.get(name, ()))
             for name in ("volumes", "conversions", "monthly")}
    return Commitment(**{**data, **pairs})


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# A number standing on its own ("6", "10", "1,200", "24/7"), not part of a word ("B2B").
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")


def typed_numbers(template: str) -> list[str]:
    """The numbers typed into a wording, outside its `{placeholders}`."""
    return _NUMBER.findall(_PLACEHOLDER.sub(" ", template))


def fill_placeholders(template: str, values: dict[str, str]) -> str:
    """Replace known `{name}`s with live values; anything else stays exactly as typed."""
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), template)


def build_document(workbook: Workbook, version_id: SlaVersionId) -> SlaDocument:
    """The structured SLA of one version: live for a draft, as signed otherwise."""
    sla = workbook.sla
    version = sla.version(version_id)
    if version.status is not SlaStatus.DRAFT:
        stored = sla.signed_terms_json(version_id)
        if stored is not None:
            signed = SlaDocument.from_json(stored)
            parties = tuple(
                Party(p.order, p.name, p.title, p.team, p.email, s.signed_at)
                for p, s in zip(signed.parties, sla.signatories(version_id), strict=False)
            )
            return _replace(signed, status=version.status.value, parties=parties)
    chosen = sla.parameters(version_id)
    parameters = {name: chosen.get(name, default) for name, default in PARAMETER_DEFAULTS.items()}
    stages = workbook.funnel.stages()
    promise = lead_commitment(workbook, version.effective_from, version.effective_to)
    first = promise.commitments[0] if promise.complete else None
    values = _placeholder_values(workbook, version.review_cadence, stages, promise, parameters)
    facts = essential_facts(workbook, stages, promise, parameters, version.review_cadence)
    stored_terms = sla.terms(version_id)
    terms = tuple(
        Term(t.key, t.title, fill_placeholders(t.body, values), facts.get(t.key, ()),
             t.key in ESSENTIAL_KEYS)
        for t in stored_terms
    )
    typed = tuple((t.title, ", ".join(numbers)) for t in stored_terms
                  if t.key in ESSENTIAL_KEYS and (numbers := typed_numbers(t.body)))
    volumes = dict(first.volumes) if first else {}
    settings = workbook.scoring.settings()
    amends = sla.version(version.amends_id).number if version.amends_id else None
    return SlaDocument(
        company=workbook.properties().company_name,
        currency=workbook.properties().currency,
        version=version.number, title=version.title, status=version.status.value,
        effective_from=version.effective_from, effective_to=version.effective_to,
        review_cadence=version.review_cadence,
        parties=tuple(Party(s.position + 1, s.name, s.title, s.team, s.email, s.signed_at)
                      for s in sla.signatories(version_id)),
        terms=terms,
        stages=tuple(StageRow(s.name, s.owner.value if s.owner else None, s.definition,
                              s.entry_criteria, s.exit_criteria, s.max_hours,
                              volumes.get(s.name)) for s in stages),
        commitment=first,
        scoring=(("MQL threshold", f"{settings.mql_threshold} points"),
                 ("Fit threshold", f"{settings.fit_threshold} points"),
                 ("Interest threshold", f"{settings.interest_threshold} points"),
                 *((f"{r.kind.value.title()}: {r.label or r.attribute}", f"{r.points:+d}")
                   for r in workbook.scoring.rules())),
        parameters=tuple(sorted(parameters.items())),
        amends_version=amends,
        handoff=handoff(stages),
        commitments=promise.commitments,
        commitment_gaps=promise.reasons,
        typed_numbers=typed,
        unagreed=unagreed_definitions(stages, sla.exceptions(version_id)),
        decisions=workbook.workshop.decision_rows(),
    )


def unagreed_definitions(stages: Sequence[Stage], exceptions: Mapping[str, str]
                         ) -> tuple[tuple[str, str, str, str], ...]:
    """Each stage whose definition is not written or not agreed by both teams, with what
    is wrong in words and the exception recorded for it (see `SlaDocument.unagreed`)."""
    rows = []
    for stage in stages:
        if not stage.definition.strip():
            problem = "has no definition written"
        elif stage.agreement is Agreement.DISPUTED:
            problem = "is disputed between the teams"
        elif stage.agreement is not Agreement.AGREED:
            problem = "is not yet agreed by both teams"
        else:
            continue
        rows.append((stage.key, stage.name, problem, exceptions.get(stage.key, "")))
    return tuple(rows)


def _placeholder_values(
    workbook: Workbook, review_cadence: str, stages: list[Stage], promise: LeadCommitment,
    parameters: dict[str, str],
) -> dict[str, str]:
    mql = mql_stage(stages)
    settings = workbook.scoring.settings()
    values = {
        "company": workbook.properties().company_name,
        "mql_threshold": str(settings.mql_threshold),
        "fit_threshold": str(settings.fit_threshold),
        "mql_rule": sales_ready_rule(workbook),
        "mql_stage": mql.name if mql else "MQL",
        "follow_up_hours": f"{mql.max_hours:g}" if mql and mql.max_hours is not None else "",
        "handoff": handoff(stages),
        "review_cadence": review_cadence,
        "distribution_method": DISTRIBUTION_METHODS.get(
            parameters["distribution_method"], parameters["distribution_method"]).lower(),
    }
    values.update({k: v for k, v in parameters.items() if k != "distribution_method"})
    values.update(_commitment_values(promise))
    return values


def _commitment_values(promise: LeadCommitment) -> dict[str, str]:
    """The lead commitment's placeholders: one figure, a figure per quarter where they
    differ, or "—" (never a number from elsewhere) while any quarter has none."""
    quarters = _listed(list(promise.quarters)) or "—"
    if not promise.complete:
        return {"mql_per_quarter": "—", "mql_per_month": "—", "plan_quarter": quarters,
                "plan": "—"}
    shown = promise.commitments

    def per(figure: str) -> str:
        numbers = [f"{getattr(c, figure):,}" for c in shown]
        if len(set(numbers)) == 1:
            return numbers[0]
        return _listed([f"{n} in {c.quarter}" for n, c in zip(numbers, shown, strict=True)])

    return {"mql_per_quarter": per("per_quarter"), "mql_per_month": per("per_month"),
            "plan_quarter": quarters,
            "plan": _listed(list(dict.fromkeys(c.plan for c in shown)))}


def _listed(items: list[str]) -> str:
    """["a", "b", "c"] → "a, b and c"."""
    return items[0] if len(items) == 1 else (
        f"{', '.join(items[:-1])} and {items[-1]}" if items else "")


def _replace(document: SlaDocument, **changes: Any) -> SlaDocument:
    return SlaDocument(**{**{f: getattr(document, f) for f in document.__dataclass_fields__},
                          **changes})


def check_required(document: SlaDocument) -> None:
    """Refuse an SLA that lacks a required term: no lead number, no follow-up time.

    Raises `ValidationError` naming the term and what to fill in.
    """
    missing = missing_required(document)
    if missing:
        raise missing[0]


def check_definitions(document: SlaDocument) -> None:
    """Refuse to sign while a stage's definition is not written or not agreed by both
    teams, unless the exception is recorded (see `Agreements.record_exceptions`): the
    signed PDF never claims an agreement that does not exist."""
    for _, name, problem, _ in document.unexcused:
        raise ValidationError("definitions", unexcused_sentence(name, problem))


def unexcused_sentence(name: str, problem: str) -> str:
    return (f"“{name}” {problem}: agree it in the Funnel area, or record an exception "
            "before signing.")


def missing_required(document: SlaDocument) -> list[ValidationError]:
    """Every required term the SLA lacks, each as the `ValidationError` `check_required`
    would raise (so a screen can list them all before export or signing)."""
    missing: list[ValidationError] = []
    if document.commitment_gaps:
        missing.append(ValidationError(
            "leads_committed",
            "The SLA has no lead number. " + " ".join(_shortened(document.commitment_gaps))
            + " Commit a plan (revenue goal, average deal size and conversion rates) for "
            "each quarter the agreement covers."))
    elif document.commitment is None or document.commitment.per_quarter <= 0:
        missing.append(ValidationError(
            "leads_committed",
            "The SLA has no lead number: commit a plan (revenue goal, average deal size and "
            "conversion rates) for the quarter the agreement covers."))
    for title, numbers in document.typed_numbers:
        missing.append(ValidationError(
            "terms", f"The wording of “{title}” has {numbers} typed into it: numbers in the "
                     "essential terms come from the settings, the funnel and the plan. Write "
                     "the live value in braces instead (for example {follow_up_attempts}), "
                     "or move the sentence into a further clause."))
    follow_up = document.term("follow_up")
    mql = next((s for s in document.stages if s.name == _mql_name(document)), None)
    if follow_up is None or mql is None or mql.max_hours is None:
        missing.append(ValidationError(
            "follow_up",
            "The SLA has no follow-up time: set the maximum time in the MQL stage (first "
            "touch within N hours) in the funnel."))
    if document.term("leads_committed") is None:
        missing.append(ValidationError(
            "leads_committed", "The term “Leads marketing delivers” is missing."))
    return missing


def _shortened(gaps: tuple[str, ...], most: int = 4) -> list[str]:
    """At most `most` gaps, then how many more (a ten-year period lists forty quarters)."""
    if len(gaps) <= most:
        return list(gaps)
    return [*gaps[:most - 1], f"… and {len(gaps) - most + 1} more quarters without one."]


def _mql_name(document: SlaDocument) -> str:
    sales_ready = document.term("sales_ready")
    facts = dict(sales_ready.facts) if sales_ready else {}
    return facts.get("MQL stage", "")


@dataclass(frozen=True)
class TermChange:
    """One difference between two versions: a term added, removed or changed.

    `diff` is the new text as word-level segments: ("equal" | "insert" | "delete", text).
    """

    key: str
    title: str
    kind: str  # "added" | "removed" | "changed"
    old_text: str
    new_text: str
    diff: tuple[tuple[str, str], ...]


def redline(old: SlaDocument, new: SlaDocument) -> list[TermChange]:
    """Compare two versions term by term, in the new version's order, removed terms last.

    The agreement's details (period, review cadence, signatories) compare as terms too.
    """
    before = {key: (title, text) for key, title, text in _comparable(old)}
    after = _comparable(new)
    changes = []
    for key, title, text in after:
        if key not in before:
            changes.append(TermChange(key, title, "added", "", text, (("insert", text),)))
            continue
        old_title, old_text = before.pop(key)
        old_full, new_full = f"{old_title}\n{old_text}", f"{title}\n{text}"
        if old_full != new_full:
            changes.append(TermChange(key, title, "changed", old_full, new_full,
                                      word_diff(old_full, new_full)))
    for key, (title, text) in before.items():
        changes.append(TermChange(key, title, "removed", text, "", (("delete", text),)))
    return changes


def _comparable(document: SlaDocument) -> list[tuple[str, str, str]]:
    parties = "\n".join(f"{p.order}. {p.name}, {p.title} ({p.team})" for p in document.parties)
    period = f"{document.effective_from or 'not set'} to {document.effective_to or 'open'}"
    return [
        ("_title", "Title", document.title),
        ("_period", "Effective period", period),
        ("_review", "Review cadence", document.review_cadence),
        ("_parties", "Signatories", parties),
        *((t.key or f"_untitled_{i}", t.title, t.text()) for i, t in enumerate(document.terms)),
    ]


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Word-level differences from `old` to `new` (difflib), whitespace kept with words."""
    import difflib

    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(b[j1:j2])))
    return tuple(segments)
