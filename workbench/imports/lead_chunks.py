"""Reading a chunk of rows column by column: the fast path of an import.

A chunk of rows is turned into columns (`zip(*rows)`), and each column is converted whole
— text trimmed by one `map`, a column of ISO dates checked by one regular expression,
numbers by `map(float, …)`, disposition labels looked up once per distinct label — so the
per-row work happens in C loops rather than Python ones. Anything unexpected (a ragged
row, a bad date, a missing ID, the same ID twice) makes the chunk fall back to the careful
row-by-row reader, which names each problem; a clean file never pays for that.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any

from .column_report import attributes_json
from .lead_rows import LeadRowReader, RowError
from .problems import RowProblem
from .row_digests import Unchanged
from .values import read_amount, read_count

Cells = list[Any]
_EMPTY = math.nan  # an empty number: SQLite stores NaN as NULL, and binds it fast


@dataclass
class Chunk:
    """Checked rows ready to write: their lines, their values column by column (in the
    reader's `columns` order) and their stage dates as (row index in the chunk, stage id,
    date) — or, read column by column, as `stage_columns` (see `all_dates`)."""

    lines: Sequence[int] = field(default_factory=list)
    columns: list[Sequence[Any]] = field(default_factory=list)
    dates: list[tuple[int, int, str | None]] = field(default_factory=list)
    refused: list[list[RowProblem]] = field(default_factory=list)  # problems per bad row
    # The stage dates as whole columns by stage id, when they are just that (read column
    # by column, from date columns only): `dates` is then left empty, and the writer and
    # the summaries take the columns as they are.
    stage_columns: dict[int, Sequence[str | None]] | None = None
    # Rows left unread because their digest is their lead's (see `row_digests`).
    unchanged: Unchanged = field(default_factory=Unchanged)

    @classmethod
    def of_rows(cls, lines: Sequence[int], rows: list[tuple[Any, ...]],
                dates: list[tuple[int, int, str | None]], width: int) -> Chunk:
        """A chunk of rows given row by row, each with `width` values."""
        columns: list[Sequence[Any]] = ([list(c) for c in zip(*rows, strict=True)] if rows
                                        else [[] for _ in range(width)])
        return cls(lines, columns, dates)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def size(self) -> int:
        """The rows of the file it stands for: read, refused or unchanged."""
        return len(self.lines) + len(self.refused) + len(self.unchanged.lines)

    def all_dates(self) -> list[tuple[int, int, str | None]]:
        """Every stage date as (row index, stage id, date): `dates`, or when the chunk
        has its dates as whole columns (and `dates` empty), those."""
        if self.stage_columns is None:
            return self.dates
        return [(index, stage, when) for stage, column in self.stage_columns.items()
                for index, when in enumerate(column) if when]

    def subset(self, chosen: Sequence[bool]) -> Chunk:
        """The rows `chosen` (their lines, values and stage dates; not those refused)."""
        columns: list[Sequence[Any]] = [list(compress(c, chosen)) for c in self.columns]
        stage_columns: dict[int, Sequence[str | None]] | None = None if \
            self.stage_columns is None else {
            stage: list(compress(c, chosen)) for stage, c in self.stage_columns.items()}
        index: dict[int, int] = {}
        for old, keep in enumerate(chosen):
            if keep:
                index[old] = len(index)
        dates = [(index[i], stage, when) for i, stage, when in self.dates if i in index]
        return Chunk(list(compress(self.lines, chosen)), columns, dates,
                     stage_columns=stage_columns)

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        """The values row by row."""
        return list(zip(*self.columns, strict=True))


def read_chunk(reader: LeadRowReader, lines: Sequence[int], cells: list[Cells],
               digests: Sequence[bytes | None] | None = None) -> Chunk:
    """The chunk's good rows and, per bad row, its problems. Each good row ends with its
    digest (see `row_digests`; None when not given), the last of the chunk's columns."""
    if digests is None:
        digests = [None] * len(cells)
    chunk = _fast(reader, lines, cells)
    if chunk is None:
        return _careful(reader, lines, cells, digests)
    chunk.columns.append(list(digests))
    return chunk


def _careful(reader: LeadRowReader, lines: Sequence[int], cells: list[Cells],
             digests: Sequence[bytes | None]) -> Chunk:
    good_lines: list[int] = []
    rows: list[tuple[Any, ...]] = []
    dates: list[tuple[int, int, str | None]] = []
    refused: list[list[RowProblem]] = []
    for line, row, digest in zip(lines, cells, digests, strict=True):
        try:
            values, row_dates = reader.read(line, row)
        except RowError as error:
            refused.append(error.problems)
            continue
        index = len(rows)
        good_lines.append(line)
        rows.append((*values, digest))
        dates.extend((index, int(stage_id), when) for stage_id, when in row_dates)
    chunk = Chunk.of_rows(good_lines, rows, dates, len(reader.columns) + 1)
    chunk.refused = refused
    return chunk


def _fast(reader: LeadRowReader, lines: Sequence[int], cells: list[Cells]) -> Chunk | None:
    if reader.xlsx or set(map(len, cells)) != {reader.width} or reader.converted_index is not None:
        return None
    try:
        columns = list(zip(*cells, strict=True))
        values = _lead_columns(reader, columns)
        if values is None:
            return None
        dates = _stage_date_columns(reader, columns, values[1])
    except (ValueError, TypeError, AttributeError):
        return None
    if dates is None:
        return None
    chunk_dates, unknown, stage_columns = dates
    reader.unknown_stages.update(unknown)
    return Chunk(lines, values, chunk_dates, stage_columns=stage_columns)


def _lead_columns(reader: LeadRowReader, columns: list[tuple[Any, ...]]
                  ) -> list[Sequence[Any]] | None:
    external_ids = [reader.made_id(created, who) for created, *who
                    in zip(columns[reader.created_index], *(columns[i] for i in reader.identity),
                           strict=True)] \
        if reader.generated else list(map(str.strip, columns[reader.id_index]))
    if not all(external_ids) or len(set(external_ids)) != len(external_ids):
        return None  # a missing or repeated ID: the careful path says which
    values: list[Sequence[Any]] = [
        external_ids, reader.dates.column(columns[reader.created_index], required=True)]
    values.extend(_shared(map(str.strip, columns[i])) for i in reader.texts)
    values.extend(reader.dates.column(columns[i], required=False) for i in reader.date_fields)
    for i, careful in reader.numbers:
        values.append(_number_column(careful, reader.decimal_comma, columns[i]))
    if reader.disposition_index is not None:
        cells = columns[reader.disposition_index]
        codes = {cell: reader.disposition_code(cell) or "" for cell in set(cells)}
        values.append(list(map(codes.__getitem__, cells)))
    if reader.attributes:
        values.append(attributes_json([name for name, _, _ in reader.attributes],
                                      [list(map(read, columns[i]))
                                       for _, i, read in reader.attributes]))
    return values


def _shared(texts: Iterable[str]) -> list[str]:
    """A text column with each distinct value one object: sources, campaigns and owners
    repeat endlessly, and a repeated object is sent to the writer once (`marshal` refers
    back to it) and made UTF-8 for SQLite once."""
    column = list(texts)
    seen: dict[str, str] = {}
    return list(map(seen.setdefault, column, column))


def _stage_date_columns(
    reader: LeadRowReader, columns: list[tuple[Any, ...]], created: Sequence[str],
) -> tuple[list[tuple[int, int, str | None]], Counter[str], dict[int, Sequence[str | None]] | None]:
    """The chunk's stage dates: as whole columns by stage id (and no list), or, when a
    stage column adds to them, as a list (and no columns); and the stage-column values
    that name no stage."""
    by_stage: dict[int, Sequence[str | None]] = {}
    for stage_id, i in reader.stage_columns:
        by_stage[int(stage_id)] = reader.dates.column(columns[i], required=False)
    unknown: Counter[str] = Counter()
    if reader.stage_index is None:
        return [], unknown, by_stage
    count = len(created)
    dates: list[tuple[int, int, str | None]] = []
    for stage, found in by_stage.items():
        dates.extend(compress(zip(range(count), repeat(stage), found), found))  # type: ignore[arg-type]
    _stage_column(reader, columns, created, dates, unknown)
    return dates, unknown, None


def _stage_column(reader: LeadRowReader, columns: list[tuple[Any, ...]], created: Sequence[str],
                  dates: list[tuple[int, int, str | None]], unknown: Counter[str]) -> None:
    assert reader.stage_index is not None
    names = columns[reader.stage_index]
    when: Sequence[Any] = (reader.dates.column(columns[reader.stage_date_index], required=False)
                           if reader.stage_date_index is not None else [None] * len(created))
    taken = {(index, stage_id) for index, stage_id, _ in dates}
    undated = 0
    for index, name in enumerate(names):
        name = name.strip()
        if not name:
            continue
        stage = reader.funnel.resolve(name)
        if stage is None:
            unknown[name] += 1
        elif (index, int(stage.id)) not in taken:
            given = when[index] or (created[index] if stage.id == reader.fill_entry else None)
            dates.append((index, int(stage.id), given))  # None: a date the file does not give
            undated += not given
    reader.tallies["undated"] += undated


def _count(text: str) -> float:
    if not text:
        return _EMPTY
    number = int(text)  # "1,200" or "12.0" fail here: the careful path reads them
    if number < 0:
        raise ValueError(text)
    return number


def _number_column(careful: Callable[[Any, bool], Any], decimal_comma: bool,
                   texts: Sequence[str]) -> list[Any]:
    """A column of scores, amounts or counts, NaN for an empty cell (stored as NULL);
    `ValueError` for any cell only the careful reader can read or refuse. With decimal
    commas ("12.500" is twelve thousand) only the careful reader is right."""
    if decimal_comma:
        return [careful(text, True) if text.strip() else None for text in texts]
    if careful is read_count:
        return list(map(_count, texts))
    try:
        numbers = present = list(map(float, texts))  # every cell filled: one C loop
    except ValueError:
        present = [float(text) for text in texts if text]
        numbers = [float(text) if text else _EMPTY for text in texts]
    if not all(map(math.isfinite, present)):
        raise ValueError("not a finite number")
    if careful is read_amount and present and min(present) < 0:
        raise ValueError("a negative amount")
    return numbers
