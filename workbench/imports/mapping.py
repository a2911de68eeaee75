"""Which column of an export feeds which lead field: the `Mapping`, saved as JSON.

A mapping names, per lead field, the column it comes from, and per funnel stage the column
holding the date the lead reached it (HubSpot's "Became a … Date" columns). A report with
one stage column instead ("Lead Status") names it with `fields["stage"]`, the stage's
date with `fields["stage_date"]`. Stages are named as the CRM does and resolved through
the workbook's stage glossary at import, so one mapping serves many workbooks.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..errors import ValidationError
from .dates import DATE_FORMATS
from .stages import loose


@dataclass(frozen=True)
class LeadField:
    """A lead field a column can feed: its label in the dialog and how values are read."""

    key: str
    label: str
    kind: str  # text, date, amount, score, count, stage
    hints: tuple[str, ...] = ()  # header words that suggest this field


LEAD_FIELDS: tuple[LeadField, ...] = (
    LeadField("external_id", "Lead ID", "text",
              ("lead id", "record id", "contact id", "id", "external id", "leadid")),
    LeadField("created", "Created", "date",
              ("create date", "created date", "created", "created at", "date created")),
    LeadField("source", "Source", "text",
              ("lead source", "original source", "source", "channel")),
    LeadField("campaign", "Campaign", "text",
              ("campaign", "campaign name", "original source drill-down 1")),
    LeadField("score", "Score", "score", ("score", "lead score", "hubspot score")),
    LeadField("first_touch", "First touch", "date",
              ("first touch", "first contact", "date of first engagement", "first response",
               "first activity")),
    LeadField("attempts", "Attempts", "count",
              ("attempts", "number of sales activities", "call attempts")),
    LeadField("disposition", "Disposition", "text",
              ("disposition", "lead status reason", "disqualification reason")),
    LeadField("owner", "Owner", "text", ("owner", "lead owner", "contact owner", "rep")),
    LeadField("amount", "Amount", "amount", ("amount", "deal amount", "opportunity amount")),
    LeadField("won", "Won date", "date", ("won date", "closed won date", "close date won")),
    LeadField("lost", "Lost date", "date", ("lost date", "closed lost date")),
    LeadField("company", "Company", "text", ("company", "company name", "account name",
                                              "company / account")),
    LeadField("title", "Job title", "text", ("title", "job title")),
    LeadField("industry", "Industry", "text", ("industry",)),
    LeadField("country", "Country", "text", ("country", "country/region")),
    LeadField("employees", "Employees", "count",
              ("employees", "number of employees", "no. of employees", "company size")),
    LeadField("stage", "Stage (one column)", "stage",
              ("lead status", "lifecycle stage", "stage", "status")),
    LeadField("stage_date", "Date of that stage", "date",
              ("status date", "stage date", "status changed date", "last status change")),
)
FIELDS_BY_KEY = {f.key: f for f in LEAD_FIELDS}
REQUIRED = ("external_id", "created")


@dataclass(frozen=True)
class Mapping:
    """Columns → lead fields and stage dates, plus how to read the file.

    `fields`: lead field key → column header. `stage_dates`: stage (key, name or CRM
    name) → column header. `crm` says whose stage names the file uses. None for
    `encoding`, `delimiter`, `date_format`, `decimal_comma` means "detect from the file".
    """

    fields: dict[str, str] = field(default_factory=dict)
    stage_dates: dict[str, str] = field(default_factory=dict)
    crm: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    date_format: str | None = None
    decimal_comma: bool | None = None
    sheet: str | None = None

    def columns(self) -> dict[str, list[str]]:
        """Column header → what it feeds ("created", "stage:Lead"), for the dialog."""
        used: dict[str, list[str]] = {}
        for key, column in self.fields.items():
            used.setdefault(column, []).append(key)
        for stage, column in self.stage_dates.items():
            used.setdefault(column, []).append(f"stage:{stage}")
        return used

    def with_field(self, key: str, column: str | None) -> Mapping:
        """A copy with `key` fed by `column` (None: by no column)."""
        fields = {k: c for k, c in self.fields.items() if k != key}
        if column:
            fields[key] = column
        return replace(self, fields=fields)

    def with_stage_date(self, stage: str, column: str | None) -> Mapping:
        """A copy with `stage`'s date read from `column` (None: from no column)."""
        dates = {s: c for s, c in self.stage_dates.items() if s != stage}
        if column:
            dates[stage] = column
        return replace(self, stage_dates=dates)

    def restricted_to(self, headers: list[str]) -> Mapping:
        """A copy without the columns `headers` lacks (how a preset fits one file)."""
        present = set(headers)
        return replace(
            self,
            fields={k: c for k, c in self.fields.items() if c in present},
            stage_dates={s: c for s, c in self.stage_dates.items() if c in present},
        )

    def check(self, headers: list[str]) -> None:
        """Refuse a mapping this file cannot satisfy, naming what is missing."""
        for key in REQUIRED:
            if key not in self.fields:
                label = FIELDS_BY_KEY[key].label
                raise ValidationError(key, f"Choose the column that holds the {label.lower()}: "
                                           "every lead needs one.")
        missing = sorted({c for c in [*self.fields.values(), *self.stage_dates.values()]
                          if c not in headers})
        if missing:
            raise ValidationError("mapping", "The file has no column "
                                  + ", ".join(f"“{c}”" for c in missing)
                                  + f". Its columns are: {', '.join(headers)}.")
        if "stage_date" in self.fields and "stage" not in self.fields:
            raise ValidationError("stage_date", "A stage date needs a stage column beside it.")

    # -- JSON -----------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps({"version": 1, **asdict(self)}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        """Read a mapping saved by `to_json`; refuses anything else with a clear message."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError("mapping", f"The mapping is not valid JSON ({error}).") from None
        if not isinstance(data, dict) or data.get("version") != 1:
            raise ValidationError("mapping", "This is not a saved import mapping (version 1).")
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        fields = _str_dict(data.get("fields", {}), "fields")
        unknown = sorted(set(fields) - set(FIELDS_BY_KEY))
        if unknown:
            raise ValidationError("mapping", f"Unknown lead field {', '.join(unknown)}; known: "
                                             f"{', '.join(FIELDS_BY_KEY)}.")
        date_format = data.get("date_format")
        if date_format is not None and date_format not in DATE_FORMATS:
            raise ValidationError("date_format", f"Unknown date format “{date_format}”; "
                                                 f"known: {', '.join(DATE_FORMATS)}.")
        decimal_comma = data.get("decimal_comma")
        return cls(
            fields=fields,
            stage_dates=_str_dict(data.get("stage_dates", {}), "stage_dates"),
            crm=str(data.get("crm") or ""),
            encoding=_optional_str(data.get("encoding")),
            delimiter=_optional_str(data.get("delimiter")),
            date_format=date_format,
            decimal_comma=None if decimal_comma is None else bool(decimal_comma),
            sheet=_optional_str(data.get("sheet")),
        )


def _str_dict(value: object, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError("mapping", f"“{name}” must map names to column headers.")
    return dict(value)


def _optional_str(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def guess_mapping(headers: list[str]) -> Mapping:
    """A first mapping for unknown files: each field takes the column whose header matches
    one of its hints best (exact words first), each column feeds at most one field."""
    taken: set[str] = set()
    fields: dict[str, str] = {}
    by_loose = {loose(h): h for h in reversed(headers)}
    for lead_field in LEAD_FIELDS:
        for hint in lead_field.hints:
            column = by_loose.get(loose(hint))
            if column is not None and column not in taken:
                fields[lead_field.key] = column
                taken.add(column)
                break
    return Mapping(fields=fields)
