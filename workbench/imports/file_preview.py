"""What the mapping dialog shows before anything is imported: the file's format, its
columns, its first rows, and the guesses (preset, mapping, date format, decimal comma),
each of which the user may change. Reads only the start of the file."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .column_report import ColumnReport, column_report
from .dates import DATE_FORMATS, guess_date_format, looks_like_date
from .mapping import FIELDS_BY_KEY, Mapping, guess_mapping
from .presets import PRESETS, Preset, preset_for
from .reader import TableReader
from .sniff import FileFormat, detect_format
from .stages import Resolver, loose, stage_resolver
from .values import looks_decimal_comma

if TYPE_CHECKING:
    from ..workbook import Workbook

SAMPLE_ROWS = 500


@dataclass(frozen=True)
class Preview:
    """The start of a file as it would be imported, with every guess made about it."""

    path: Path
    format: FileFormat
    headers: list[str]
    rows: list[list[Any]]  # the first rows, as read
    mapping: Mapping  # the guessed (or given) mapping, with formats filled in
    preset: str | None  # name of the preset the file looks like, if any
    date_format: str
    date_format_ambiguous: bool
    decimal_comma: bool
    notes: list[str] = field(default_factory=list)
    sample: list[list[Any]] = field(default_factory=list)  # the rows the guesses read

    def column_samples(self, column: str, count: int = 5) -> list[str]:
        """A few non-empty values of one column, for the dialog's column list."""
        i = self.headers.index(column)
        values = [row[i] for row in self.rows if i < len(row) and row[i] not in (None, "")]
        return [str(v) for v in values[:count]]


def preview(
    workbook: Workbook, path: str | Path, mapping: Mapping | None = None, *,
    preset: str | None = None, rows: int = 20,
) -> Preview:
    """Read the start of `path` and guess how to import it.

    With neither `mapping` nor `preset`, a matching preset is used if the headers look
    like one, else a mapping guessed from the header names.
    """
    path = Path(path)
    given = mapping or Mapping()
    file_format = detect_format(path, encoding=given.encoding, delimiter=given.delimiter)
    with TableReader(path, file_format, given.sheet) as reader:
        headers = reader.headers
        sample = [cells for _, cells in islice(reader.rows(), SAMPLE_ROWS)]
    chosen, preset_name, notes = _choose_mapping(workbook, headers, mapping, preset)
    date_format, ambiguous = _date_format(chosen, headers, sample)
    decimal_comma = _decimal_comma(chosen, headers, sample, file_format)
    if ambiguous and chosen.date_format is None:
        notes.append(f"Dates such as “{_first_date(chosen, headers, sample)}” read either way; "
                     f"assuming {DATE_FORMATS[date_format]}. Change it if that is wrong.")
    chosen = replace(chosen, encoding=chosen.encoding or file_format.encoding,
                     delimiter=chosen.delimiter or file_format.delimiter,
                     date_format=date_format, decimal_comma=decimal_comma)
    return Preview(path, file_format, headers, sample[:rows], chosen, preset_name, date_format,
                   ambiguous, decimal_comma, notes, sample)

def columns_of(workbook: Workbook, plan: Preview) -> ColumnReport:
    """What the import would make of each column of the previewed file."""
    return column_report(plan.mapping, plan.headers, plan.sample,
                         stage_resolver(workbook, plan.mapping.crm), plan.date_format,
                         plan.decimal_comma)


def _choose_mapping(
    workbook: Workbook, headers: list[str], mapping: Mapping | None, preset: str | None
) -> tuple[Mapping, str | None, list[str]]:
    if mapping is not None:
        return mapping, None, []
    chosen: Preset | None
    if preset is not None:
        if preset not in PRESETS:
            from ..errors import ValidationError

            raise ValidationError("preset", f"No preset “{preset}”; choose one of "
                                            f"{', '.join(PRESETS)}.")
        chosen = PRESETS[preset]
    else:
        chosen = preset_for(headers)
    if chosen is None:
        return guess_stage_dates(guess_mapping(headers), headers,
                                 stage_resolver(workbook)), None, []
    fitted, notes = chosen.fit(headers, stage_resolver(workbook, chosen.mapping.crm))
    return fitted, chosen.name, notes


_DATE_SUFFIXES = ("date", "datum", "reached", "entered", "at")


def guess_stage_dates(mapping: Mapping, headers: list[str], resolve: Resolver) -> Mapping:
    """Stage-date columns of an unknown file: "MQL Date", "Became an SQL Date",
    "Opportunity Date" — a stage's name (or CRM name) and a date word."""
    used = set(mapping.fields.values())
    dates = dict(mapping.stage_dates)
    for header in headers:
        if header in used or header in dates.values():
            continue
        words = header.split()
        if len(words) < 2 or loose(words[-1]) not in _DATE_SUFFIXES:
            continue
        name = " ".join(words[:-1])
        for prefix in ("became an ", "became a ", "date entered ", "entered "):
            if name.lower().startswith(prefix):
                name = name[len(prefix):]
        stage = resolve(name)
        if stage is not None and not any(resolve(s) == stage for s in dates):
            dates[name] = header
    return replace(mapping, stage_dates=dates)


def _date_columns(mapping: Mapping, headers: list[str]) -> list[int]:
    keys = [k for k, f in FIELDS_BY_KEY.items() if f.kind == "date" and k in mapping.fields]
    columns = [mapping.fields[k] for k in keys] + list(mapping.stage_dates.values())
    return [headers.index(c) for c in columns if c in headers]


def _date_format(mapping: Mapping, headers: list[str],
                 sample: list[list[Any]]) -> tuple[str, bool]:
    if mapping.date_format is not None:
        return mapping.date_format, False
    indexes = _date_columns(mapping, headers)
    if not indexes:  # nothing mapped yet: look at every column that holds dates
        indexes = list(range(len(headers)))
    values = [str(row[i]) for row in sample for i in indexes
              if i < len(row) and isinstance(row[i], str) and looks_like_date(row[i])]
    guessed, ambiguous = guess_date_format(values)
    return guessed or "iso", ambiguous


def _first_date(mapping: Mapping, headers: list[str], sample: list[list[Any]]) -> str:
    for row in sample:
        for i in _date_columns(mapping, headers):
            if i < len(row) and isinstance(row[i], str) and looks_like_date(row[i]):
                return row[i]
    return ""


def _decimal_comma(mapping: Mapping, headers: list[str], sample: list[list[Any]],
                   file_format: FileFormat) -> bool:
    if mapping.decimal_comma is not None:
        return mapping.decimal_comma
    keys = ("amount", "score")
    indexes = [headers.index(mapping.fields[k]) for k in keys
               if mapping.fields.get(k) in headers]
    values = [row[i] for row in sample for i in indexes if i < len(row)]
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    if texts:
        return looks_decimal_comma(texts)
    return file_format.delimiter == ";"
