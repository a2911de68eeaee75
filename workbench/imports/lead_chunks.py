"""Reading a chunk of rows column by column: the fast path of an import.

A chunk of rows is turned into columns (`zip(*rows)`), and each column is converted in one
`map` — text trimmed, dates and amounts read — so the per-row work happens in C loops
rather than Python ones. Anything unexpected (a ragged row, a bad date, a missing ID, the
same ID twice) makes the chunk fall back to the careful row-by-row reader, which names
each problem; a clean file never pays for that.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any

from .lead_rows import LeadRowReader, RowError
from .problems import RowProblem
from .values import read_amount, read_count, read_score

Cells = list[Any]


@dataclass
class Chunk:
    """Checked rows ready to write: their lines, their values (in the reader's `columns`
    order) and their stage dates as (row index in the chunk, stage id, date)."""

    lines: list[int] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    dates: list[tuple[int, int, str]] = field(default_factory=list)
    refused: list[list[RowProblem]] = field(default_factory=list)  # problems per bad row


def read_chunk(reader: LeadRowReader, lines: list[int], cells: list[Cells]) -> Chunk:
    """The chunk's good rows and, per bad row, its problems."""
    chunk = _fast(reader, lines, cells)
    return chunk if chunk is not None else _careful(reader, lines, cells)


def _careful(reader: LeadRowReader, lines: list[int], cells: list[Cells]) -> Chunk:
    chunk = Chunk()
    for line, row in zip(lines, cells, strict=True):
        try:
            values, dates = reader.read(line, row)
        except RowError as error:
            chunk.refused.append(error.problems)
            continue
        index = len(chunk.rows)
        chunk.lines.append(line)
        chunk.rows.append(values)
        chunk.dates.extend((index, int(stage_id), when) for stage_id, when in dates)
    return chunk


def _fast(reader: LeadRowReader, lines: list[int], cells: list[Cells]) -> Chunk | None:
    if reader.xlsx or any(len(row) != reader.width for row in cells):
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
    chunk_dates, unknown = dates
    reader.unknown_stages.update(unknown)
    return Chunk(list(lines), list(zip(*values, strict=True)), chunk_dates)


def _lead_columns(reader: LeadRowReader, columns: list[tuple[Any, ...]]) -> list[list[Any]] | None:
    external_ids = list(map(str.strip, columns[reader.id_index]))
    if not all(external_ids) or len(set(external_ids)) != len(external_ids):
        return None  # a missing or repeated ID: the careful path says which
    values: list[list[Any]] = [external_ids,
                               list(map(reader.dates.required, columns[reader.created_index]))]
    values.extend(list(map(str.strip, columns[i])) for i in reader.texts)
    values.extend(list(map(reader.dates.optional, columns[i])) for i in reader.date_fields)
    for i, careful in reader.numbers:
        values.append(list(map(_fast_number(careful, reader.decimal_comma), columns[i])))
    if reader.disposition_index is not None:
        values.append(list(map(reader.disposition_code, columns[reader.disposition_index])))
    return values


def _stage_date_columns(reader: LeadRowReader, columns: list[tuple[Any, ...]],
                        created: list[str]) -> tuple[list[tuple[int, int, str]], Counter[str]]:
    """The chunk's stage dates, and the stage-column values that name no stage."""
    dates: list[tuple[int, int, str]] = []
    count = len(created)
    for stage_id, i in reader.stage_columns:
        found: list[Any] = list(map(reader.dates.optional, columns[i]))
        dates.extend(compress(zip(range(count), repeat(int(stage_id)), found), found))
    unknown: Counter[str] = Counter()
    if reader.stage_index is not None:
        _stage_column(reader, columns, created, dates, unknown)
    return dates, unknown


def _stage_column(reader: LeadRowReader, columns: list[tuple[Any, ...]], created: list[str],
                  dates: list[tuple[int, int, str]], unknown: Counter[str]) -> None:
    assert reader.stage_index is not None
    names = columns[reader.stage_index]
    when: list[Any] = (list(map(reader.dates.optional, columns[reader.stage_date_index]))
                       if reader.stage_date_index is not None else created)
    taken = {(index, stage_id) for index, stage_id, _ in dates}
    for index, name in enumerate(names):
        name = name.strip()
        if not name:
            continue
        stage = reader.funnel.resolve(name)
        if stage is None:
            unknown[name] += 1
        elif (index, int(stage.id)) not in taken:
            dates.append((index, int(stage.id), when[index] or created[index]))


def _score(text: str) -> float | None:
    if not text:
        return None
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _amount(text: str) -> float | None:
    if not text:
        return None
    number = float(text)
    if not 0 <= number < math.inf:
        raise ValueError(text)
    return number


def _count(text: str) -> int | None:
    if not text:
        return None
    number = int(text)  # "1,200" or "12.0" fail here: the careful path reads them
    if number < 0:
        raise ValueError(text)
    return number


_FAST: dict[Callable[..., Any], Callable[[str], Any]] = {
    read_score: _score, read_amount: _amount, read_count: _count}


def _fast_number(careful: Callable[[Any, bool], Any], decimal_comma: bool
                 ) -> Callable[[str], Any]:
    """The plain-number reader for a column; with decimal commas ("12.500" is twelve
    thousand) only the careful reader is right."""
    if not decimal_comma:
        return _FAST[careful]
    return lambda text: careful(text, True) if text.strip() else None
