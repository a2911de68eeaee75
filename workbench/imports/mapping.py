"""Which column of an export feeds which lead field: the `Mapping`, saved as JSON.

A mapping names, per lead field, the column it comes from, and per funnel stage the column
holding the date the lead reached it (HubSpot's "Became a … Date" columns). A report with
one stage column instead ("Lead Status") names it with `fields["stage"]`, the stage's
date with `fields["stage_date"]`. Stages are named as the CRM does and resolved through
the workbook's stage glossary at import, so one mapping serves many workbooks.
"""

from __future__ import annotations

import hashlib
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


# The hints are the titles CRMs give these columns — HubSpot's and Salesforce's reports and
# data exports (API names too: "CreatedDate"), in English, German, French and Spanish —
# compared loosely (case, spaces and punctuation aside; see `stages.loose`).
LEAD_FIELDS: tuple[LeadField, ...] = (
    LeadField("external_id", "Lead ID", "text",
              ("lead id", "record id", "contact id", "id", "external id", "leadid",
               "lead-id", "datensatz-id", "kontakt-id", "id de l'enregistrement",
               "id du prospect", "id de registro", "id del prospecto")),
    LeadField("created", "Created", "date",
              ("create date", "created date", "created", "created at", "date created",
               "createddate", "created on", "creation date", "erstellungsdatum",
               "erstelldatum", "erstellt am", "erstellt", "date de création",
               "fecha de creación")),
    LeadField("source", "Source", "text",
              ("lead source", "original source", "original traffic source", "source",
               "channel", "leadsource", "lead-quelle", "ursprüngliche quelle", "quelle",
               "origine du prospect", "source d'origine", "origen del prospecto")),
    LeadField("campaign", "Campaign", "text",
              ("campaign", "campaign name", "original source drill-down 1",
               "original traffic source drill-down 1", "kampagne", "campagne", "campaña")),
    LeadField("score", "Score", "score",
              ("score", "lead score", "hubspot score", "lead-score", "punktzahl")),
    LeadField("first_touch", "First touch", "date",
              ("first touch", "first contact", "date of first engagement", "first response",
               "first response date", "first activity", "first engagement date")),
    LeadField("attempts", "Attempts", "count",
              ("attempts", "number of sales activities", "call attempts")),
    LeadField("disposition", "Disposition", "text",
              ("disposition", "lead status reason", "disqualification reason",
               "disqualified reason")),
    LeadField("owner", "Owner", "text",
              ("owner", "lead owner", "contact owner", "deal owner", "rep", "ownerid",
               "lead-inhaber", "kontaktinhaber", "inhaber", "propriétaire du prospect",
               "propriétaire", "propietario del prospecto")),
    LeadField("amount", "Amount", "amount",
              ("amount", "deal amount", "opportunity amount", "total revenue",
               "recent deal amount", "betrag", "montant", "importe")),
    LeadField("won", "Won date", "date", ("won date", "closed won date", "close date won")),
    LeadField("lost", "Lost date", "date", ("lost date", "closed lost date")),
    LeadField("company", "Company", "text",
              ("company", "company name", "account name", "company / account",
               "firma", "unternehmen", "name des unternehmens", "société", "empresa")),
    LeadField("title", "Job title", "text",
              ("title", "job title", "position", "titel", "berufsbezeichnung", "fonction",
               "intitulé du poste", "cargo")),
    LeadField("industry", "Industry", "text",
              ("industry", "branche", "secteur d'activité", "industrie", "sector")),
    LeadField("country", "Country", "text",
              ("country", "country/region", "land", "land/region", "pays", "pays/région",
               "país")),
    LeadField("employees", "Employees", "count",
              ("employees", "number of employees", "no. of employees", "company size",
               "numberofemployees", "anzahl der mitarbeiter", "mitarbeiter",
               "nombre d'employés", "número de empleados")),
    LeadField("stage", "Stage (one column)", "stage",
              ("lead status", "lifecycle stage", "stage", "status", "deal stage",
               "lead-status", "lebenszyklusphase", "statut du prospect",
               "estado del prospecto")),
    LeadField("stage_date", "Date of that stage", "date",
              ("status date", "stage date", "status changed date", "last status change")),
    LeadField("converted", "Converted (yes/no)", "boolean",
              ("converted", "isconverted", "is converted", "konvertiert", "converti",
               "convertido")),
)
FIELDS_BY_KEY = {f.key: f for f in LEAD_FIELDS}
REQUIRED = ("external_id", "created")

# The Lead ID "column" of a file that has none: each lead's ID is made from the columns that
# say who it is (see `identity_columns`), so importing the file again finds the same leads.
GENERATED_ID = "(made from each row)"
_IDENTITY = ("email", "emailaddress", "email1", "mail", "emailadresse", "courriel",
             "correoelectrónico", "firstname", "lastname", "fullname", "name", "vorname",
             "nachname", "prénom", "nom", "nombre", "apellido", "company", "companyname",
             "accountname", "firma", "unternehmen", "société", "empresa", "phone",
             "phonenumber", "mobilephone", "telefon", "téléphone", "teléfono")


def identity_columns(headers: list[str]) -> list[str]:
    """The columns that say who a lead is (e-mail, names, company, phone), for a lead ID
    made from each row: they stay the same from one export to the next, unlike its status."""
    return [h for h in headers if loose(h) in _IDENTITY]


def generated_id(created: str, identity: list[str]) -> str:
    """A lead's ID made from its created date and the cells that say who it is: the same
    row in the next export gets the same ID. Personal details only enter a digest."""
    text = "\x1f".join([created.strip(), *(cell.strip().casefold() for cell in identity)])
    return "gen-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
    # Columns left out of the import (not kept as attributes), and columns the user has
    # seen flagged (they look like money, a date or a stage) and chose to keep as they are.
    ignored: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    # The stage a lead reached when `fields["converted"]` says it was converted (the
    # CRM's name for it, e.g. Salesforce's "Closed - Converted").
    converted_stage: str = ""

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
        present = {*headers, GENERATED_ID}
        return replace(
            self,
            fields={k: c for k, c in self.fields.items() if c in present},
            stage_dates={s: c for s, c in self.stage_dates.items() if c in present},
        )

    def check(self, headers: list[str]) -> None:
        """Refuse a mapping this file cannot satisfy, naming what is missing."""
        for key in REQUIRED:
            if key not in self.fields:
                lead_field = FIELDS_BY_KEY[key]
                closest = closest_columns(lead_field, headers)
                hint = (" The closest columns in this file are "
                        + ", ".join(f"“{c}”" for c in closest) + "." if closest else
                        f" None of the file's columns looks like it: {', '.join(headers)}.")
                made = (" Or, for a file without lead IDs, make them from each row (the "
                        "e-mail, names and company)." if key == "external_id" else "")
                raise ValidationError(key, f"Choose the column that holds the "
                                           f"{_described(lead_field)}: every lead needs one."
                                           + hint + made)
        if self.fields["external_id"] == GENERATED_ID and not identity_columns(headers):
            raise ValidationError("external_id", "This file has no lead ID column, and no "
                                  "e-mail, name, company or phone column to make one from: "
                                  "add a lead ID (the CRM's record ID) to the export.")
        missing = sorted({c for c in [*self.fields.values(), *self.stage_dates.values()]
                          if c not in headers and c != GENERATED_ID})
        if missing:
            raise ValidationError("mapping", "The file has no column "
                                  + ", ".join(f"“{c}”" for c in missing)
                                  + f". Its columns are: {', '.join(headers)}.")
        if "stage_date" in self.fields and "stage" not in self.fields:
            raise ValidationError("stage_date", "A stage date needs a stage column beside it.")
        if "converted" in self.fields and not self.converted_stage:
            raise ValidationError("converted", "Say which stage a converted lead has reached "
                                               "(the CRM's name for it).")

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
            ignored=_str_tuple(data.get("ignored", []), "ignored"),
            accepted=_str_tuple(data.get("accepted", []), "accepted"),
            converted_stage=str(data.get("converted_stage") or ""),
        )


def _str_dict(value: object, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError("mapping", f"“{name}” must map names to column headers.")
    return dict(value)


def _str_tuple(value: object, name: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError("mapping", f"“{name}” must list column headers.")
    return tuple(value)


def _described(lead_field: LeadField) -> str:
    return {"created": "date each lead was created", "external_id": "lead ID"}.get(
        lead_field.key, lead_field.label.lower())


def closest_columns(lead_field: LeadField, headers: list[str], count: int = 3) -> list[str]:
    """The file's columns whose titles come closest to what this field is called."""
    import difflib

    scored = []
    for header in headers:
        name = loose(header)
        if not name:
            continue
        best = max(difflib.SequenceMatcher(None, name, loose(hint)).ratio()
                   for hint in lead_field.hints)
        words = {w for hint in lead_field.hints for w in hint.lower().split() if len(w) > 3}
        if any(w in header.lower() for w in words):
            best = max(best, 0.6)
        if best >= 0.6:
            scored.append((best, header))
    scored.sort(key=lambda pair: -pair[0])
    return [header for _, header in scored[:count]]


def find_column(headers: list[str], titles: tuple[str, ...]) -> str | None:
    """The first of `titles` (in their order) the file has a column for, compared
    loosely: "Created Date", "CREATE_DATE" and "Create Date" are one title."""
    by_loose: dict[str, str] = {}
    for header in headers:
        by_loose.setdefault(loose(header), header)
    for title in titles:
        column = by_loose.get(loose(title))
        if column is not None:
            return column
    return None


def _optional_str(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def guess_mapping(headers: list[str]) -> Mapping:
    """A first mapping for unknown files: each field takes the column whose header matches
    one of its hints best (exact words first), each column feeds at most one field."""
    taken: set[str] = set()
    fields: dict[str, str] = {}
    for lead_field in LEAD_FIELDS:
        free = [h for h in headers if h not in taken]
        column = find_column(free, lead_field.hints)
        if column is not None:
            fields[lead_field.key] = column
            taken.add(column)
    return Mapping(fields=fields)


def rival_columns(mapping: Mapping, headers: list[str]) -> dict[str, list[str]]:
    """Per mapped field, the other columns of the file whose titles also name it (two
    columns claiming one field: "Amount" beside "Total Revenue")."""
    rivals: dict[str, list[str]] = {}
    used = set(mapping.fields.values()) | set(mapping.stage_dates.values())
    for key in mapping.fields:
        hints = {loose(h) for h in FIELDS_BY_KEY[key].hints}
        others = [h for h in headers if h not in used and loose(h) in hints]
        if others:
            rivals[key] = others
    return rivals
