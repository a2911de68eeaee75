"""A CRM export without lead IDs: each lead's ID is made from its created date and the
cells that say who it is (e-mail, names, company, phone), so the next export of the same
leads updates them instead of adding them twice."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from workbench.errors import ValidationError
from workbench.imports import ImportFailed, Mapping
from workbench.imports.mapping import GENERATED_ID
from workbench.workbook import Workbook

from .snapshot import dump
from .test_import_formats import write

MAPPING = Mapping(fields={"external_id": GENERATED_ID, "created": "Created",
                          "source": "Source", "stage": "Lead Status"},
                  date_format="iso")
EXPORT = ("Email,First Name,Company,Created,Source,Lead Status\n"
          "anna@nordlicht.example,Anna,Nordlicht GmbH,2026-01-05 09:12,Web,Lead\n"
          "li.lei@example.cn,李雷,上海物流,2026-01-06 10:00,Events,Lead\n"
          "zoe@example.fr,Zoë,<b>Fjord & Co</b>,2026-01-07 11:30,Web,MQL\n")


def by_hand(created: str, *who: str) -> str:
    """The ID worked out independently: SHA-256 of the created date and the identity cells
    (lowercased), joined by the unit separator; "gen-" and 16 hex digits."""
    text = "\x1f".join([created, *(cell.casefold() for cell in who)])
    return "gen-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def ids(wb: Workbook) -> list[str]:
    return [r[0] for r in wb.db.conn.execute("SELECT external_id FROM leads ORDER BY id")]


def test_ids_are_made_from_who_the_lead_is_and_said(blank: Workbook, tmp_path: Path) -> None:
    _, report = blank.leads.import_file(write(tmp_path, EXPORT), MAPPING)
    assert ids(blank) == [
        by_hand("2026-01-05 09:12", "anna@nordlicht.example", "Anna", "Nordlicht GmbH"),
        by_hand("2026-01-06 10:00", "li.lei@example.cn", "李雷", "上海物流"),
        by_hand("2026-01-07 11:30", "zoe@example.fr", "Zoë", "<b>Fjord & Co</b>")]
    assert any(note.startswith("The file has no lead IDs: each lead's ID was made from its "
                               "created date and “Email”, “First Name”, “Company”")
               for note in report.notes)
    # No personal detail is stored: only the digest.
    assert "anna@" not in str(blank.db.conn.execute("SELECT * FROM leads").fetchall())


def test_the_next_export_updates_the_same_leads(blank: Workbook, tmp_path: Path) -> None:
    blank.leads.import_file(write(tmp_path, EXPORT), MAPPING)
    first = ids(blank)
    later = EXPORT.replace("Anna,Nordlicht GmbH,2026-01-05 09:12,Web,Lead",
                           "Anna,Nordlicht GmbH,2026-01-05 09:12,Web,MQL") + \
        "new@example.com,Neu,Neu AG,2026-02-01 08:00,Web,Lead\n"
    _, report = blank.leads.import_file(write(tmp_path, later, "later.csv"), MAPPING)
    assert (report.added, report.updated) == (1, 1)
    assert ids(blank)[:3] == first


def test_two_rows_that_look_like_one_lead_are_refused(blank: Workbook, tmp_path: Path) -> None:
    twice = EXPORT + "anna@nordlicht.example,Anna,Nordlicht GmbH,2026-01-05 09:12,Events,MQL\n"
    before = dump(blank)
    with pytest.raises(ImportFailed) as caught:
        blank.leads.import_file(write(tmp_path, twice), MAPPING)
    assert "another row has the same created date, e-mail, name and company, so it looks " \
           "like the same lead" in str(caught.value)
    assert dump(blank) == before


def test_a_file_with_nothing_to_make_ids_from_is_refused(blank: Workbook,
                                                        tmp_path: Path) -> None:
    bare = "Created,Source\n2026-01-05,Web\n"
    before = dump(blank)
    with pytest.raises(ValidationError) as caught:
        blank.leads.import_file(write(tmp_path, bare), Mapping(
            fields={"external_id": GENERATED_ID, "created": "Created"}, date_format="iso"))
    assert str(caught.value) == ("This file has no lead ID column, and no e-mail, name, "
                                 "company or phone column to make one from: add a lead ID "
                                 "(the CRM's record ID) to the export.")
    assert dump(blank) == before


def test_a_saved_mapping_asks_for_made_ids_by_name() -> None:
    assert Mapping.from_json(MAPPING.to_json()).fields["external_id"] == "(made from each row)"
