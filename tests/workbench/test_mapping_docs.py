"""docs/IMPORT_MAPPING.md stays true: every lead field, date format and mapping key the
code knows is documented, with nothing documented the code does not know, and its
example is a mapping the app reads."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

from workbench.imports import Mapping
from workbench.imports.dates import DATE_FORMATS
from workbench.imports.mapping import LEAD_FIELDS

DOC = (Path(__file__).parents[2] / "docs" / "IMPORT_MAPPING.md").read_text(encoding="utf-8")


def table_rows(heading: str) -> list[list[str]]:
    section = DOC.split(f"## {heading}")[1].split("\n## ")[0] if heading else \
        DOC.split("| key | what it holds |")[1].split("\n\n")[0]
    return [[cell.strip() for cell in line.strip("|").split("|")]
            for line in section.splitlines() if line.startswith("| `")]


def test_every_lead_field_is_documented_as_the_code_has_it() -> None:
    assert table_rows("Lead fields") == [
        [f"`{f.key}`", f.label, f.kind] for f in LEAD_FIELDS]


def test_every_date_format_is_documented() -> None:
    assert table_rows("Date formats") == [[f"`{k}`", v] for k, v in DATE_FORMATS.items()]


def test_every_mapping_key_is_documented_and_the_example_reads() -> None:
    keys = [row[0].strip("`") for row in table_rows("")]
    assert keys == ["version", *(f.name for f in fields(Mapping))]
    example = re.search(r"```json\n(.*?)```", DOC, re.DOTALL)
    assert example is not None
    mapping = Mapping.from_json(example.group(1))
    assert mapping.fields["external_id"] == "Record ID"
    assert sorted(json.loads(example.group(1))) == sorted(keys)
