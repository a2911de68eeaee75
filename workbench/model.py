"""The domain's vocabulary and row types: frozen dataclasses made at the storage edge."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NewType

StageId = NewType("StageId", int)
RuleId = NewType("RuleId", int)
ModelId = NewType("ModelId", int)
PersonaId = NewType("PersonaId", int)
QuarterId = NewType("QuarterId", int)
PlanId = NewType("PlanId", int)
LeadId = NewType("LeadId", int)
SlaVersionId = NewType("SlaVersionId", int)


class Owner(StrEnum):
    """Which team owns a funnel stage."""

    MARKETING = "marketing"
    SALES = "sales"
    SHARED = "shared"


class Team(StrEnum):
    """The two teams whose proposals and answers the workbook keeps apart."""

    MARKETING = "marketing"
    SALES = "sales"


class Agreement(StrEnum):
    """Where the two teams stand on a stage's definition."""

    OPEN = "open"
    AGREED = "agreed"
    DISPUTED = "disputed"


class RuleKind(StrEnum):
    """Fit rules score who a lead is; interest rules score what it did."""

    FIT = "fit"
    INTEREST = "interest"


class Operator(StrEnum):
    """How a scoring rule compares a lead's attribute with the rule's value."""

    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    CONTAINS = "contains"
    IN = "in"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    BETWEEN = "between"
    IS_EMPTY = "is_empty"
    EXISTS = "exists"


class Quadrant(StrEnum):
    """Where fit and interest put a lead in the 2×2, and so who acts on it."""

    SALES_NOW = "sales_now"  # fit and interest
    NURTURE = "nurture"  # fit, low interest
    QUALIFY = "qualify"  # low fit, interest
    NO_ACTION = "no_action"  # neither


class Trait(StrEnum):
    """What a buyer persona says about a good-fit buyer, one agreed text each."""

    ROLE = "role"
    SENIORITY = "seniority"
    COMPANY_SIZE = "company_size"
    INDUSTRY = "industry"
    REGION = "region"
    BUDGET_AUTHORITY = "budget_authority"
    PAINS = "pains"
    DISQUALIFIERS = "disqualifiers"


class SlaStatus(StrEnum):
    """An SLA version's life: drafted, signed by all, then replaced by a newer one."""

    DRAFT = "draft"
    SIGNED = "signed"
    SUPERSEDED = "superseded"


class Disposition(StrEnum):
    """The default disposition codes a rep gives a lead they worked."""

    ACCEPTED = "accepted"
    CONTACTED = "contacted"
    NURTURE = "nurture"
    NOT_A_FIT = "not_a_fit"
    NO_RESPONSE = "no_response"
    DUPLICATE = "duplicate"
    CONVERTED = "converted"


@dataclass(frozen=True)
class Properties:
    """The workbook's own settings."""

    company_name: str
    currency: str
    fiscal_year_start_month: int
    template: str
    created_at: str


@dataclass(frozen=True)
class Stage:
    """One funnel stage with its agreed definition and targets."""

    id: StageId
    position: int
    key: str
    name: str
    owner: Owner | None
    definition: str
    entry_criteria: str
    exit_criteria: str
    max_hours: float | None
    target_conversion: float | None  # fraction 0..1 to the next stage
    agreement: Agreement
    probability: float | None  # chance a lead here becomes a customer, for weighted pipeline


@dataclass(frozen=True)
class Proposal:
    """One team's proposed wording for a stage's definition."""

    stage_id: StageId
    team: Team
    text: str


@dataclass(frozen=True)
class Recycle:
    """A path back up the funnel, e.g. SAL → nurture."""

    id: int
    from_stage_id: StageId
    to_stage_id: StageId
    label: str


@dataclass(frozen=True)
class ScoringRule:
    """Points given when a lead's attribute matches."""

    id: RuleId
    kind: RuleKind
    attribute: str
    operator: Operator
    value: str
    points: int
    label: str
    position: int
    model_id: ModelId = ModelId(1)
    half_life_days: float | None = None  # interest points halve every so many days of age
    dated_by: str = ""  # the date the age counts from: "" the created date, else a column
    trait_id: int | None = None  # the persona trait a fit rule encodes


@dataclass(frozen=True)
class ScoringSettings:
    """Thresholds for the MQL cut and the fit × interest quadrant."""

    mql_threshold: int
    fit_threshold: int
    interest_threshold: int


@dataclass(frozen=True)
class ScoringModel:
    """One scoring model (a product line's): its thresholds; one is the SLA's."""

    id: ModelId
    name: str
    position: int
    used_by_sla: bool
    settings: ScoringSettings


@dataclass(frozen=True)
class QuadrantRule:
    """One quadrant of a model's 2×2: the agreed action, and whether it counts as MQL."""

    quadrant: Quadrant
    action: str
    counts_as_mql: bool


@dataclass(frozen=True)
class Persona:
    """A buyer persona: a named picture of a good-fit buyer."""

    id: PersonaId
    name: str
    position: int


@dataclass(frozen=True)
class PersonaTrait:
    """One trait of a persona: each team's wording and the agreed text."""

    id: int
    persona_id: PersonaId
    trait: Trait
    marketing: str
    sales: str
    agreed: str
    agreement: Agreement


@dataclass(frozen=True)
class SalesCapacity:
    """Follow-up effort per MQL and reps' hours per month; None while not entered."""

    hours_per_mql: float | None
    rep_hours_per_month: float | None

    @property
    def mqls_per_month(self) -> float | None:
        """How many MQLs a month sales can follow up, or None when not known."""
        if self.hours_per_mql is None or self.rep_hours_per_month is None:
            return None
        return self.rep_hours_per_month / self.hours_per_mql


@dataclass(frozen=True)
class Quarter:
    """A fiscal quarter, labelled like 2026Q3."""

    id: QuarterId
    label: str
    start_date: str
    end_date: str


@dataclass(frozen=True)
class Plan:
    """A plan scenario for one quarter; the committed one feeds the SLA."""

    id: PlanId
    quarter_id: QuarterId
    name: str
    revenue_goal: float | None
    avg_deal_size: float | None
    committed: bool


@dataclass(frozen=True)
class Actual:
    """Quarterly actuals: how many reached a stage from a source, and their value."""

    quarter_id: QuarterId
    stage_id: StageId
    source: str
    count: int
    value: float | None  # None: the sheet gave no value (never a made-up 0)


@dataclass(frozen=True)
class SlaVersion:
    """One version of the agreement."""

    id: SlaVersionId
    number: int
    status: SlaStatus
    title: str
    effective_from: str | None
    effective_to: str | None
    review_cadence: str
    created_at: str
    signed_at: str | None
    amends_id: SlaVersionId | None


@dataclass(frozen=True)
class SlaTerm:
    """A term of the agreement: an essential term (by key) or a free clause."""

    id: int
    version_id: SlaVersionId
    position: int
    key: str
    title: str
    body: str


@dataclass(frozen=True)
class Signatory:
    """Someone who signs a version, in order."""

    id: int
    version_id: SlaVersionId
    position: int
    name: str
    title: str
    team: str
    email: str
    signed_at: str | None


@dataclass(frozen=True)
class ChangeLogEntry:
    """One recorded change to the workbook: when, which step, what, old → new."""

    id: int
    at: str
    step: str
    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class YearlyGoal:
    """A fiscal year's inputs to the quick plan (None: not entered) and the share of the
    year each quarter carries."""

    year: int
    revenue_goal: float | None = None
    last_year_revenue: float | None = None
    last_year_customers: int | None = None
    last_year_leads: int | None = None
    shares: tuple[float, float, float, float] = (0.25, 0.25, 0.25, 0.25)
