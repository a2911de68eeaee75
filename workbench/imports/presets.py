"""Mappings for common CRM exports, so a user picks "HubSpot contacts" instead of mapping
twenty columns by hand. A preset names every column the export may have; fitted to a file
it keeps only the columns the file has and the stages the workbook's funnel knows."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .mapping import Mapping
from .stages import Resolver


@dataclass(frozen=True)
class Preset:
    """A named mapping for one CRM's export; `signature` columns identify such a file."""

    name: str
    title: str
    description: str
    mapping: Mapping
    signature: tuple[str, ...]

    def matches(self, headers: list[str]) -> bool:
        return all(column in headers for column in self.signature)

    def fit(self, headers: list[str], resolve: Resolver) -> tuple[Mapping, list[str]]:
        """The mapping for a file with `headers`, and notes on what was left out."""
        mapping = self.mapping.restricted_to(headers)
        notes = []
        dates = {}
        for stage, column in mapping.stage_dates.items():
            if resolve(stage) is None:
                notes.append(f"“{column}”: {self.mapping.crm}'s stage “{stage}” is not a stage "
                             "of this funnel (add it as a CRM name to import these dates).")
            else:
                dates[stage] = column
        return replace(mapping, stage_dates=dates), notes


HUBSPOT = Preset(
    "hubspot", "HubSpot contacts export",
    "Contacts with their lifecycle-stage dates (“Became a … Date” columns), ISO dates.",
    Mapping(
        fields={
            "external_id": "Record ID", "created": "Create Date", "source": "Original Source",
            "campaign": "Original Source Drill-Down 1", "score": "HubSpot Score",
            "first_touch": "Date of first engagement", "disposition": "Lead Status",
            "owner": "Contact owner", "amount": "Total Revenue", "won": "Became a Customer Date",
            "company": "Company Name", "title": "Job Title", "industry": "Industry",
            "country": "Country/Region", "employees": "Number of Employees",
        },
        stage_dates={
            "Subscriber": "Became a Subscriber Date", "Lead": "Became a Lead Date",
            "Marketing Qualified Lead": "Became a Marketing Qualified Lead Date",
            "Sales Qualified Lead": "Became a Sales Qualified Lead Date",
            "Opportunity": "Became an Opportunity Date", "Customer": "Became a Customer Date",
        },
        crm="HubSpot", date_format="iso",
    ),
    ("Record ID", "Create Date"),
)

SALESFORCE = Preset(
    "salesforce", "Salesforce lead report",
    "A lead report exported as CSV: US dates (m/d/yyyy), a Lead Status column, and the "
    "report's footer of totals and copyright lines (ignored).",
    Mapping(
        fields={
            "external_id": "Lead ID", "created": "Create Date", "source": "Lead Source",
            "campaign": "Campaign Name", "stage": "Lead Status", "stage_date": "Status Date",
            "owner": "Lead Owner", "company": "Company / Account", "title": "Title",
            "industry": "Industry", "country": "Country", "employees": "No. of Employees",
            "score": "Lead Score", "first_touch": "First Response Date",
            "disposition": "Disposition", "amount": "Amount",
        },
        stage_dates={"Closed - Converted": "Converted Date"},
        crm="Salesforce", date_format="us",
    ),
    ("Lead ID", "Create Date"),
)

PRESETS: dict[str, Preset] = {p.name: p for p in (HUBSPOT, SALESFORCE)}


def preset_for(headers: list[str]) -> Preset | None:
    """The preset whose export these headers look like, if any."""
    return next((p for p in PRESETS.values() if p.matches(headers)), None)
