"""Mappings for common CRM exports, so a user picks "HubSpot contacts" instead of mapping
twenty columns by hand.

A preset lists, per lead field, the titles the vendor really gives that column — in its
reports and its data exports, which differ ("Create Date" in one Salesforce report,
"Created Date" in another, "CreatedDate" in a data export), and in the languages its
exports come in — compared loosely (case, spacing, punctuation). Fitted to a file it takes
the first title the file has for each field, the stages the workbook's funnel knows, and
says which columns it knows to keep as attributes and which it leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .mapping import FIELDS_BY_KEY, Mapping, find_column
from .stages import Resolver


@dataclass(frozen=True)
class Preset:
    """A named mapping for one CRM's export.

    `titles`: lead field → the column titles that vendor uses for it, preferred first.
    `stage_titles`: the CRM's stage name → titles of the column holding its date.
    `signature`: groups of titles; a file with one title of every group is such an export.
    `known`: columns the vendor's export has that feed no field and are kept as
    attributes without a flag (a "Last Modified Date" is not a funnel date).
    `personal`: contact details left out of the workbook (names, e-mail, phone).
    """

    name: str
    title: str
    description: str
    crm: str
    titles: dict[str, tuple[str, ...]]
    signature: tuple[tuple[str, ...], ...]
    stage_titles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_format: str | None = None
    known: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    converted_stage: str = ""

    def matches(self, headers: list[str]) -> bool:
        return all(find_column(headers, group) is not None for group in self.signature)

    @property
    def mapping(self) -> Mapping:
        """The preset as one mapping, each field by its preferred title."""
        return Mapping(fields={k: titles[0] for k, titles in self.titles.items()},
                       stage_dates={s: titles[0] for s, titles in self.stage_titles.items()},
                       crm=self.crm, date_format=self.date_format,
                       converted_stage=self.converted_stage)

    def fit(self, headers: list[str], resolve: Resolver) -> tuple[Mapping, list[str]]:
        """The mapping for a file with `headers`, and notes on what was left out."""
        fields: dict[str, str] = {}
        for key, titles in self.titles.items():
            column = find_column(headers, (*titles, *FIELDS_BY_KEY[key].hints))
            if column is not None and (column not in fields.values() or key == "won"):
                fields[key] = column
        notes = []
        dates = {}
        unresolved: list[str] = []
        for stage, titles in self.stage_titles.items():
            column = find_column(headers, titles)
            if column is None:
                continue
            if resolve(stage) is None:
                notes.append(f"“{column}”: {self.crm}'s stage “{stage}” is not a stage "
                             "of this funnel (add it as a CRM name to import these dates); "
                             "kept as an attribute.")
                unresolved.append(column)
            else:
                dates[stage] = column
        if "converted" in fields and resolve(self.converted_stage) is None:
            notes.append(f"“{fields.pop('converted')}”: {self.crm}'s “{self.converted_stage}” "
                         "is not a stage of this funnel, so the converted flag is not used.")
        used = set(fields.values()) | set(dates.values())
        known = [c for t in self.known if (c := find_column(headers, (t,))) and c not in used]
        personal = [c for t in self.personal
                    if (c := find_column(headers, (t,))) and c not in used]
        return Mapping(fields=fields, stage_dates=dates, crm=self.crm,
                       date_format=self.date_format, ignored=tuple(personal),
                       accepted=(*known, *unresolved), converted_stage=self.converted_stage), notes


_PERSONAL = ("First Name", "Last Name", "Email", "Phone Number", "Phone", "Mobile Phone",
             "Mobile Phone Number", "Street Address", "Address", "Salutation", "Full Name",
             "FirstName", "LastName", "MobilePhone", "Street", "Vorname", "Nachname",
             "E-Mail", "Telefonnummer", "Prénom", "Nom", "Nombre", "Apellidos")

HUBSPOT = Preset(
    "hubspot", "HubSpot contacts export",
    "Contacts with their lifecycle-stage dates (“Became a … Date” columns), ISO dates.",
    "HubSpot",
    titles={
        "external_id": ("Record ID", "Contact ID", "Datensatz-ID", "ID de l'enregistrement"),
        "created": ("Create Date", "Created Date", "Erstellungsdatum", "Date de création"),
        "source": ("Original Source", "Original Traffic Source", "Ursprüngliche Quelle",
                   "Source d'origine"),
        "campaign": ("Original Source Drill-Down 1", "Original Traffic Source Drill-Down 1"),
        "score": ("HubSpot Score",),
        "first_touch": ("Date of first engagement", "First Engagement Date"),
        "disposition": ("Lead Status", "Lead-Status", "Statut du lead"),
        "owner": ("Contact owner", "Contact Owner", "Kontaktinhaber"),
        "amount": ("Amount", "Total Revenue", "Recent Deal Amount"),
        "won": ("Became a Customer Date",),
        "company": ("Company Name", "Name des Unternehmens"),
        "title": ("Job Title", "Berufsbezeichnung"),
        "industry": ("Industry", "Branche"),
        "country": ("Country/Region", "Country", "Land/Region"),
        "employees": ("Number of Employees", "Anzahl der Mitarbeiter"),
        "attempts": ("Number of Sales Activities",),
    },
    stage_titles={
        "Subscriber": ("Became a Subscriber Date",),
        "Lead": ("Became a Lead Date",),
        "Marketing Qualified Lead": ("Became a Marketing Qualified Lead Date",),
        "Sales Qualified Lead": ("Became a Sales Qualified Lead Date",),
        "Opportunity": ("Became an Opportunity Date",),
        "Customer": ("Became a Customer Date",),
    },
    date_format=None,  # ISO in most exports; a spreadsheet-saved one is read from the file
    signature=(("Record ID", "Contact ID", "Datensatz-ID"),
               ("Create Date", "Created Date", "Erstellungsdatum")),
    known=("Lifecycle Stage", "Last Modified Date", "Last Activity Date",
           "Recent Sales Email Replied Date", "Became an Evangelist Date",
           "Became a Other Lifecycle Date", "Original Source Drill-Down 2",
           "Original Traffic Source Drill-Down 2", "Lebenszyklusphase",
           "Zuletzt geändert am", "Annual Revenue", "Recent Deal Close Date",
           "First Deal Created Date", "Number of Associated Deals", "Last Contacted"),
    personal=_PERSONAL,
)

HUBSPOT_DEALS = Preset(
    "hubspot-deals", "HubSpot deals export",
    "Deals with their stage, amount and “Date entered …” stage columns, ISO dates.",
    "HubSpot",
    titles={
        "external_id": ("Record ID", "Deal ID"),
        "created": ("Create Date", "Created Date"),
        "source": ("Original Traffic Source", "Original Source Type", "Original Source"),
        "owner": ("Deal owner", "Deal Owner"),
        "amount": ("Amount", "Amount in company currency"),
        "stage": ("Deal Stage",),
        "won": ("Closed Won Date", "Date entered \"Closed Won (Sales Pipeline)\"",
                "Date entered “Closed Won (Sales Pipeline)”"),
        "lost": ("Closed Lost Date", "Date entered \"Closed Lost (Sales Pipeline)\"",
                 "Date entered “Closed Lost (Sales Pipeline)”"),
        "company": ("Associated Company", "Company Name"),
    },
    stage_titles={
        "Appointment Scheduled": ("Date entered \"Appointment Scheduled (Sales Pipeline)\"",
                                  "Date entered “Appointment Scheduled (Sales Pipeline)”"),
        "Qualified To Buy": ("Date entered \"Qualified To Buy (Sales Pipeline)\"",
                             "Date entered “Qualified To Buy (Sales Pipeline)”"),
        "Presentation Scheduled": ("Date entered \"Presentation Scheduled (Sales Pipeline)\"",
                                   "Date entered “Presentation Scheduled (Sales Pipeline)”"),
        "Closed Won": ("Date entered \"Closed Won (Sales Pipeline)\"",
                       "Date entered “Closed Won (Sales Pipeline)”"),
    },
    date_format=None,  # ISO in most exports; a spreadsheet-saved one is read from the file
    signature=(("Record ID", "Deal ID"), ("Deal Stage",), ("Amount",)),
    known=("Deal Name", "Pipeline", "Close Date", "Deal Type", "Last Activity Date",
           "Last Modified Date", "Deal probability", "Forecast category"),
    personal=_PERSONAL,
)

SALESFORCE = Preset(
    "salesforce", "Salesforce lead report or data export",
    "A lead report exported as CSV (US dates m/d/yyyy, a Lead Status column, the report's "
    "footer of totals and copyright lines ignored), or the Lead object of a data export "
    "(API column names, ISO dates). Converted and Converted Date are the conversion record.",
    "Salesforce",
    titles={
        "external_id": ("Lead ID", "Id", "Lead-ID", "ID du prospect"),
        "created": ("Create Date", "Created Date", "CreatedDate", "Erstelldatum",
                    "Erstellt am", "Date de création"),
        "source": ("Lead Source", "LeadSource", "Lead-Quelle", "Origine du prospect"),
        "campaign": ("Campaign Name", "Campaign", "Last Campaign"),
        "stage": ("Lead Status", "Status", "Lead-Status", "Statut du prospect"),
        "stage_date": ("Status Date", "Last Status Change"),
        "owner": ("Lead Owner", "Owner Name", "OwnerId", "Lead-Inhaber",
                  "Propriétaire du prospect"),
        "company": ("Company / Account", "Company", "Firma", "Société"),
        "title": ("Title", "Titel", "Fonction"),
        "industry": ("Industry", "Branche", "Secteur d'activité"),
        "country": ("Country", "Land", "Pays"),
        "employees": ("No. of Employees", "NumberOfEmployees", "Employees",
                      "Anzahl Mitarbeiter"),
        "score": ("Lead Score",),
        "first_touch": ("First Response Date", "First Activity Date"),
        "disposition": ("Disposition", "Disqualified Reason", "Unqualified Reason"),
        "amount": ("Amount", "Opportunity Amount", "Converted Opportunity: Amount"),
        "converted": ("Converted", "IsConverted", "Konvertiert", "Converti"),
    },
    stage_titles={"Closed - Converted": ("Converted Date", "ConvertedDate",
                                         "Konvertierungsdatum", "Date de conversion")},
    date_format=None,  # reports write US dates, data exports ISO: read from the file
    signature=(("Lead ID", "Id", "Lead-ID", "ID du prospect"),
               ("Create Date", "Created Date", "CreatedDate", "Erstelldatum", "Erstellt am",
                "Date de création"),
               ("Lead Status", "Status", "Lead-Status", "Lead Source", "LeadSource",
                "Lead-Quelle")),
    known=("Rating", "Annual Revenue", "AnnualRevenue", "Last Activity", "LastActivityDate",
           "Last Modified Date", "LastModifiedDate", "Converted Opportunity",
           "ConvertedOpportunityId", "ConvertedAccountId", "ConvertedContactId",
           "State/Province", "City", "Website", "Description", "Bewertung", "Jahresumsatz"),
    personal=_PERSONAL,
    converted_stage="Closed - Converted",
)

PRESETS: dict[str, Preset] = {p.name: p for p in (HUBSPOT, HUBSPOT_DEALS, SALESFORCE)}


def preset_for(headers: list[str]) -> Preset | None:
    """The preset whose export these headers look like, if any (the most specific)."""
    found = [p for p in PRESETS.values() if p.matches(headers)]
    return max(found, key=lambda p: len(p.signature)) if found else None
