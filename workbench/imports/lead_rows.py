"""Turning rows of an export into leads and their stage dates, or into the problems that
stop them. Built once per import from the mapping.

Rows are read a chunk at a time, column by column (see `lead_chunks`): a column of dates
or amounts is converted in one pass. A chunk with anything unusual in it is read again row
by row here, carefully, to say exactly which value in which row is wrong.

Two stage dates a CRM leaves implicit are filled in by the writer, not here: a lead
reached the entry stage (Inquiry) when it was created, unless the mapping gives that stage
its own column (the batch records that stage rather than a row per lead); and a lead with a
won date reached the last stage then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import Stage, StageId
from .column_report import attribute_reader, attributes_json
from .dates import DateReader
from .mapping import GENERATED_ID, Mapping, generated_id, identity_columns
from .problems import RowProblem
from .stages import Resolver, loose
from .values import read_amount, read_count, read_flag, read_score

# Lead field → column of the leads table.
LEAD_COLUMNS = {
    "external_id": "external_id", "created": "created_at", "source": "source",
    "campaign": "campaign", "score": "score", "first_touch": "first_touch_at",
    "attempts": "attempts", "disposition": "disposition", "owner": "owner",
    "amount": "amount", "won": "won_at", "lost": "lost_at", "company": "company",
    "title": "title", "industry": "industry", "country": "country", "employees": "employees",
}
TEXT_FIELDS = ("source", "campaign", "owner", "company", "title", "industry", "country")
# Columns whose empty value is NULL: read column by column, their empty cells come as ""
# (empty numbers as NaN), and the writer turns "" into NULL.
NULLABLE_TEXT = frozenset({"first_touch_at", "won_at", "lost_at", "disposition"})
NUMBER_READERS: dict[str, Callable[[Any, bool], float | int]] = {
    "score": read_score, "amount": read_amount, "attempts": read_count, "employees": read_count,
}

LeadValues = tuple[Any, ...]
_UNKNOWN = object()
StageDates = list[tuple[StageId, str | None]]  # None: reached, at a date not given


@dataclass(frozen=True)
class Funnel:
    """What rows are checked against: the stages in order and the disposition codes."""

    stages: tuple[Stage, ...]
    resolve: Resolver
    dispositions: dict[str, str]  # loose code or label → code
    entry_stage: StageId | None  # the stage a lead reaches when created


class RowError(Exception):
    """A row that cannot be imported, with every problem found in it."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(problems[0].expected)
        self.problems = problems


class LeadRowReader:
    """Reads rows of one file with one mapping. `columns` names the leads-table columns
    of the values `read` returns, in order."""

    def __init__(self, mapping: Mapping, headers: list[str], funnel: Funnel, file: str,
                 date_format: str, decimal_comma: bool,
                 attributes: dict[str, str] | None = None) -> None:
        index = {h: i for i, h in enumerate(headers)}
        self.file = file
        self.width = len(headers)
        self.headers = headers
        self.dates = DateReader(date_format)
        self.xlsx = False  # set by the caller for spreadsheet cells (not all text)
        self._codes: dict[Any, str | None | object] = {}
        self.decimal_comma = decimal_comma
        self.funnel = funnel
        fields = mapping.fields
        # A file without lead IDs: each is made from the cells that say who the lead is.
        self.generated = fields["external_id"] == GENERATED_ID
        self.identity = [index[h] for h in identity_columns(headers)] if self.generated else []
        self.id_index = self.identity[0] if self.generated else index[fields["external_id"]]
        self.created_index = index[fields["created"]]
        self.texts = [index[fields[k]] for k in TEXT_FIELDS if k in fields]
        self.date_fields = [index[fields[k]] for k in ("first_touch", "won", "lost")
                            if k in fields]
        self.numbers = [(index[fields[k]], NUMBER_READERS[k]) for k in NUMBER_READERS
                        if k in fields]
        self.disposition_index = index.get(fields.get("disposition", ""), None)
        self.columns = (
            "external_id", "created_at",
            *(LEAD_COLUMNS[k] for k in TEXT_FIELDS if k in fields),
            *(LEAD_COLUMNS[k] for k in ("first_touch", "won", "lost") if k in fields),
            *(LEAD_COLUMNS[k] for k in NUMBER_READERS if k in fields),
            *(("disposition",) if "disposition" in fields else ()),
        )
        # Columns kept per lead as attributes: (name, index, reader of one cell).
        self.attributes = [(name, index[name], attribute_reader(kind, self.dates, decimal_comma))
                           for name, kind in (attributes or {}).items()]
        if self.attributes:
            self.columns = (*self.columns, "attributes")
        self.stage_columns = [(stage.id, index[column]) for stage, column in
                              _stage_columns(mapping, funnel.resolve)]
        self.stage_index = index[fields["stage"]] if "stage" in fields else None
        self.stage_date_index = index[fields["stage_date"]] if "stage_date" in fields else None
        # The CRM's own record of conversion (Salesforce's Converted flag): it says whether
        # the lead reached `converted`; its date comes from that stage's date column.
        self.converted_index = index[fields["converted"]] if "converted" in fields else None
        converted = funnel.resolve(mapping.converted_stage) if mapping.converted_stage else None
        self.converted = StageId(converted.id) if converted is not None else None
        self.converted_date_index = next(
            (i for stage_id, i in self.stage_columns if stage_id == self.converted), None)
        if self.converted_index is not None:  # the flag decides; its date column dates it
            self.stage_columns = [(s, i) for s, i in self.stage_columns if s != self.converted]
        # What the rows said that the report should tell: "undated" (leads with a stage
        # reached at a date the file does not give), "converted, status not" and "status
        # converted, flag not" (rows contradicting themselves).
        self.tallies: Counter[str] = Counter()
        mapped = {stage_id for stage_id, _ in self.stage_columns}
        self.fill_entry = funnel.entry_stage if funnel.entry_stage not in mapped else None
        # That entry date is the created date, so it is stored nowhere but on the import
        # batch (see `workbench.reached`) — unless a stage column could date it otherwise.
        self.implicit_entry = self.fill_entry if self.stage_index is None else None
        last = funnel.stages[-1].id if funnel.stages else None
        self.fill_won = last if "won" in fields and last not in mapped else None
        self.mapped_stages = frozenset(mapped)
        # Stage-column values that name no stage of this funnel, and how often: the
        # import reports them (those leads get no date from the column) instead of failing.
        self.unknown_stages: Counter[str] = Counter()

    def read(self, line: int, cells: list[Any]) -> tuple[LeadValues, StageDates]:
        """The lead's values (in `columns` order) and its stage dates; raises `RowError`."""
        problems: list[RowProblem] = []
        if len(cells) != self.width and (len(cells) < self.width or any(
                c not in (None, "") for c in cells[self.width:])):
            raise RowError([RowProblem(self.file, line, "", "", (
                f"this row has {len(cells)} values, but the header has {self.width} columns "
                "(a missing or extra separator, or a line break inside a value?)"))])
        external_id = self.made_id(cells[self.created_index],
                                   [cells[i] for i in self.identity]) \
            if self.generated else _text(cells[self.id_index])
        if not external_id:
            problems.append(self._problem(line, self.id_index, "", "expected a lead ID; every "
                                          "lead needs one so a re-import can update it"))
        created = self._date(line, cells, self.created_index, problems, required=True)
        values: list[Any] = [external_id, created]
        values.extend(_text(cells[i]) for i in self.texts)
        values.extend(self._date(line, cells, i, problems) for i in self.date_fields)
        for i, reader in self.numbers:
            values.append(self._number(line, cells, i, reader, problems))
        if self.disposition_index is not None:
            values.append(self.disposition_code(cells[self.disposition_index]))
        if self.attributes:
            values.extend(attributes_json([name for name, _, _ in self.attributes],
                                          [[read(cells[i])] for _, i, read in self.attributes]))
        stage_dates = self._stage_dates(line, cells, created, problems)
        if problems:
            raise RowError(problems)
        return tuple(values), stage_dates

    # -- fields ---------------------------------------------------------------------------
    def _date(self, line: int, cells: list[Any], i: int, problems: list[RowProblem],
              required: bool = False) -> str | None:
        value = cells[i]
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            if required:
                problems.append(self._problem(line, i, "", "expected a date; every lead needs "
                                              "the date it was created"))
            return None
        try:
            return self.dates(value)
        except ValueError as error:
            problems.append(self._problem(line, i, value, str(error)))
            return None

    def _number(self, line: int, cells: list[Any], i: int,
                reader: Callable[[Any, bool], float | int], problems: list[RowProblem]) -> Any:
        value = cells[i]
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return reader(value, self.decimal_comma)
        except ValueError as error:
            problems.append(self._problem(line, i, value, str(error)))
            return None

    def disposition_code(self, value: Any) -> str | None:
        """The disposition code a value names (by code or label), else the value itself."""
        code = self._codes.get(value, _UNKNOWN)
        if code is _UNKNOWN:
            text = _text(value)
            code = self.funnel.dispositions.get(loose(text), text) if text else None
            if len(self._codes) < 10_000:
                self._codes[value] = code
        return code  # type: ignore[return-value]

    def _stage_dates(self, line: int, cells: list[Any], created: str | None,
                     problems: list[RowProblem]) -> StageDates:
        dates: dict[StageId, str | None] = {}
        for stage_id, i in self.stage_columns:
            value = self._date(line, cells, i, problems)
            if value is not None:
                dates[stage_id] = value
        status: StageId | None = None
        if self.stage_index is not None:
            status = self._stage_column(line, cells, created, dates, problems)
        if self.converted_index is not None:
            self._converted(line, cells, status, dates, problems)
        if any(when is None for when in dates.values()):
            self.tallies["undated"] += 1
        return list(dates.items())

    def _stage_column(self, line: int, cells: list[Any], created: str | None,
                      dates: dict[StageId, str | None],
                      problems: list[RowProblem]) -> StageId | None:
        """The stage the status column names, reached on the status date beside it, or at
        a date the file does not give (None): never invented from the created date."""
        assert self.stage_index is not None
        name = _text(cells[self.stage_index])
        if not name:
            return None
        stage = self.funnel.resolve(name)
        if stage is None:
            self.unknown_stages[name] += 1  # e.g. "Closed - Not Converted": no funnel stage
            return None
        when = None
        if self.stage_date_index is not None:
            when = self._date(line, cells, self.stage_date_index, problems)
        if when is None and stage.id == self.fill_entry:
            when = created  # the entry stage is reached when the lead is created
        if stage.id not in dates or (dates[stage.id] is None and when is not None):
            dates[stage.id] = when
        return stage.id

    def _converted(self, line: int, cells: list[Any], status: StageId | None,
                   dates: dict[StageId, str | None], problems: list[RowProblem]) -> None:
        """Salesforce's Converted flag decides whether the lead reached the converted
        stage, dated by Converted Date; a status that says otherwise is counted."""
        assert self.converted_index is not None
        flag = read_flag(cells[self.converted_index])
        if flag is None:
            problems.append(self._problem(line, self.converted_index,
                                          cells[self.converted_index],
                                          "expected yes or no (true/false, 1/0)"))
            return
        if self.converted is None:
            return
        when = (self._date(line, cells, self.converted_date_index, problems)
                if self.converted_date_index is not None else None)
        if flag:
            if status is not None and status != self.converted:
                self.tallies["converted, status not"] += 1
            dates[self.converted] = when or dates.get(self.converted)
        else:
            if status == self.converted or when is not None:
                self.tallies["status converted, flag not"] += 1
            dates.pop(self.converted, None)

    def made_id(self, created: Any, who: list[Any]) -> str:
        """The lead ID made from a row's created cell and identity cells (read as text the
        same way on every path, so a re-import finds the same leads)."""
        return generated_id(_text(created), [_text(cell) for cell in who])

    def _problem(self, line: int, i: int, value: Any, expected: str) -> RowProblem:
        text = "" if value is None else str(value)
        return RowProblem(self.file, line, self.headers[i], text, expected)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _stage_columns(mapping: Mapping, resolve: Resolver) -> list[tuple[Stage, str]]:
    """The mapping's stage-date columns with the stages they name; unknown stages are
    refused before any row is read."""
    from ..errors import ValidationError

    found: dict[StageId, tuple[Stage, str]] = {}
    for name, column in mapping.stage_dates.items():
        stage = resolve(name)
        if stage is None:
            raise ValidationError("stage_dates", f"The mapping reads “{column}” as the date of "
                                  f"the stage “{name}”, which this funnel does not have. Add "
                                  "it as a CRM name of a stage, or leave the column out.")
        if stage.id in found:
            raise ValidationError("stage_dates", f"“{found[stage.id][1]}” and “{column}” both "
                                  f"give the date of the stage “{stage.name}”; choose one.")
        found[stage.id] = (stage, column)
    return list(found.values())
