"""What becomes of each column of an export: mapped to a field, read as a stage's date,
kept per lead as an attribute (typed where its values allow), or left out — and which
columns deserve a look before anything is written.

A column is flagged when it looks like it should feed a field but feeds none (a money
column kept as an attribute, a "… Date" column, a column of stage names), when it claims
a field another column already feeds ("Total Revenue" beside "Amount"), or when the
amounts are in more than one currency. (A date column that changes format part-way is
refused row by row, each bad date named with the format it does read as.) Nothing is
imported while a flag is open: the user maps the column, or confirms (`Mapping.accepted`,
`--accept-flagged` on the command line).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .dates import DateReader
from .mapping import FIELDS_BY_KEY, GENERATED_ID, Mapping, identity_columns, rival_columns
from .stages import Resolver, loose
from .values import FALSE_WORDS, TRUE_WORDS, read_number

ATTRIBUTE_KINDS = ("number", "boolean", "date", "text")
# Yes/no spellings, but not 1/0, x or an empty cell: a column of those is numbers or text.
_TRUE = TRUE_WORDS - {"1", "x", "✓"}
_FALSE = FALSE_WORDS - {"0", ""}
_MONEY_WORDS = ("amount", "revenue", "value", "wert", "betrag", "umsatz", "price", "preis",
                "montant", "importe", "valor", "dealsize", "arr", "mrr", "acv", "tcv",
                "budget", "chiffre", "ingresos")
_STAGE_WORDS = ("stage", "status", "phase", "lifecycle", "lebenszyklus", "statut", "etapa",
                "estado")
_CURRENCY_COLUMNS = ("currency", "currencycode", "dealcurrency", "currencyisocode",
                     "währung", "devise", "moneda")
_CURRENCY_SIGNS = re.compile(r"(€|\$|£|¥|₹|\b(?:EUR|USD|GBP|CHF|JPY|SEK|NOK|DKK|PLN|CAD|AUD)\b)")


_ALERTS = (("it looks like money", "Looks like money"), ("it holds amounts", "Holds money"),
           ("it holds dates", "Holds dates"), ("it looks like a stage", "Looks like a stage"),
           ("it also looks like", "Rivals a mapped column"),
           ("the amounts are in", "Several currencies"))


@dataclass(frozen=True)
class ColumnFate:
    """One column: `fate` is "field", "stage", "attribute" or "ignored"; `target` the
    field labels, the stage, the attribute's type, or why it is left out; `flag` says why
    it needs a look ("" when it does not)."""

    column: str
    fate: str
    target: str
    flag: str = ""

    @property
    def alert(self) -> str:
        """The flag in a few words, for a table cell ("Looks like money")."""
        for start, words in _ALERTS:
            if self.flag.startswith(start):
                return words
        return "Check" if self.flag else ""

    def describe(self) -> str:
        text = {"field": f"→ {self.target}", "stage": f"→ date of the stage {self.target}",
                "attribute": f"kept as an attribute ({self.target})",
                "ignored": f"not imported ({self.target})"}[self.fate]
        return f"“{self.column}” {text}" + (f" — check: {self.flag}" if self.flag else "")


@dataclass(frozen=True)
class ColumnReport:
    """Every column of one file and what the import makes of it, in the file's order."""

    columns: tuple[ColumnFate, ...]

    @property
    def flagged(self) -> list[ColumnFate]:
        return [c for c in self.columns if c.flag]

    @property
    def attributes(self) -> dict[str, str]:
        """Column → attribute type, for the columns kept as attributes."""
        return {c.column: c.target for c in self.columns if c.fate == "attribute"}

    def lines(self) -> list[str]:
        return [c.describe() for c in self.columns]

    def flag_message(self) -> str:
        flagged = self.flagged
        return (f"{len(flagged)} column{'' if len(flagged) == 1 else 's'} need"
                f"{'s' if len(flagged) == 1 else ''} a look before anything is imported: "
                + "; ".join(f"“{c.column}”: {c.flag}" for c in flagged)
                + ". Map them to fields, or confirm they are right as they are.")


def column_report(mapping: Mapping, headers: list[str], sample: Sequence[Sequence[Any]],
                  resolve: Resolver, date_format: str, decimal_comma: bool) -> ColumnReport:
    """What the import makes of each column, judged from the sample of rows read."""
    feeds: dict[str, list[str]] = {}
    for key, column in mapping.fields.items():
        feeds.setdefault(column, []).append(FIELDS_BY_KEY[key].label)
    stages: dict[str, str] = {column: stage for stage, column in mapping.stage_dates.items()}
    rivals = {column: key for key, others in rival_columns(mapping, headers).items()
              for column in others}
    accepted = set(mapping.accepted)
    identity = set(identity_columns(headers)) \
        if mapping.fields.get("external_id") == GENERATED_ID else set()
    dates = DateReader(date_format)
    fates = []
    for i, header in enumerate(headers):
        values = [v for row in sample if i < len(row)
                  and (v := row[i]) is not None and str(v).strip() != ""]
        flag = ""
        if header in feeds:
            fate = ColumnFate(header, "field", ", ".join(feeds[header]))
            flag = _field_flag(mapping, header, values, headers, sample)
        elif header in stages:
            fate = ColumnFate(header, "stage", stages[header])
        elif header in identity:
            fate = ColumnFate(header, "ignored", "makes each lead's ID, with the created date "
                                                 "(not stored: a digest only)")
        elif header in mapping.ignored:
            fate = ColumnFate(header, "ignored", "left out: personal details or chosen so")
        elif not loose(header):
            fate = ColumnFate(header, "ignored", "the column has no title")
        else:
            kind = attribute_kind(values, dates, decimal_comma)
            fate = ColumnFate(header, "attribute", kind)
            if header in rivals:
                used = mapping.fields[rivals[header]]
                flag = (f"it also looks like the {FIELDS_BY_KEY[rivals[header]].label.lower()}, "
                        f"which is read from “{used}”")
            else:
                flag = _unmapped_flag(header, values, kind, resolve)
        if flag and header not in accepted:
            fate = ColumnFate(fate.column, fate.fate, fate.target, flag)
        fates.append(fate)
    return ColumnReport(tuple(fates))


def _field_flag(mapping: Mapping, header: str, values: list[Any], headers: list[str],
                sample: Sequence[Sequence[Any]]) -> str:
    keys = [k for k, c in mapping.fields.items() if c == header]
    if "amount" in keys:
        currencies = {m.upper().replace("$", "USD").replace("€", "EUR").replace("£", "GBP")
                      for v in values for m in _CURRENCY_SIGNS.findall(str(v))}
        currency_column = next((j for j, h in enumerate(headers)
                                if loose(h) in _CURRENCY_COLUMNS), None)
        if currency_column is not None:
            currencies |= {str(row[currency_column]).strip().upper() for row in sample
                           if currency_column < len(row)
                           and str(row[currency_column] or "").strip()}
        if len(currencies) > 1:
            return (f"the amounts are in {len(currencies)} currencies "
                    f"({', '.join(sorted(currencies))}); they would be added up as one")
    return ""


def _unmapped_flag(header: str, values: list[Any], kind: str, resolve: Resolver) -> str:
    name = loose(header)
    if any(word in name for word in _MONEY_WORDS) and kind == "number":
        return "it looks like money but feeds no field (the amount is read from elsewhere " \
               "or not at all)"
    if kind == "number" and values and all(_CURRENCY_SIGNS.search(str(v)) for v in values):
        return "it holds amounts of money but feeds no field"
    if kind == "date":
        return "it holds dates but feeds no field (not a stage date, not the created date)"
    if any(word in name for word in _STAGE_WORDS) or (
            values and sum(resolve(str(v)) is not None for v in values) * 2 > len(values)):
        return "it looks like a stage or status but feeds no field"
    return ""


def attribute_kind(values: Sequence[Any], dates: DateReader, decimal_comma: bool) -> str:
    """The type the values allow: number, boolean, date, else text (text when empty)."""
    texts = [str(v).strip() for v in values]
    if not texts:
        return "text"
    if all(isinstance(v, bool) or t.casefold() in _TRUE | _FALSE
           for v, t in zip(values, texts, strict=True)):
        return "boolean"
    if all(_is_number(v, decimal_comma) for v in values):
        return "number"
    if all(_reads(dates, v) for v in values):
        return "date"
    return "text"


def attribute_reader(kind: str, dates: DateReader, decimal_comma: bool
                     ) -> Callable[[Any], Any]:
    """Turns one cell into the attribute's stored value (None for an empty cell); a value
    the type cannot read is kept as its text."""
    def text(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip() or None

    def typed(value: Any) -> Any:
        written = text(value)
        if written is None:
            return None
        try:
            if kind == "number":
                number = read_number(value, decimal_comma, "")
                return int(number) if number.is_integer() and abs(number) < 2**53 else number
            if kind == "boolean":
                if isinstance(value, bool):
                    return value
                folded = written.casefold()
                if folded in _TRUE or folded in _FALSE:
                    return folded in _TRUE
                return written
            if kind == "date":
                return dates(value)
        except ValueError:
            return written
        return written

    return text if kind == "text" else typed


def attributes_json(names: Sequence[str], columns: Sequence[Sequence[Any]]) -> list[str]:
    """Per row, its attributes as a JSON object (empty values left out)."""
    rows = []
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for values in zip(*columns, strict=True):
        rows.append(dumps({n: v for n, v in zip(names, values, strict=True) if v is not None}))
    return rows


def _is_number(value: Any, decimal_comma: bool) -> bool:
    """A number, but not a code that only looks like one: "+49 30 1234", "01234"."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str) and re.match(r"\s*(\+|0\d)", value):
        return False
    try:
        read_number(value, decimal_comma, "")
    except ValueError:
        return False
    return True


def _reads(reader: DateReader, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        reader(value)
    except ValueError:
        return False
    return True
