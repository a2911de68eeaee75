"""Quarterly actuals from outside: a CSV of quarter × stage × source counts and values
(also semicolon-separated with decimal commas, as European spreadsheets save it), or
derived from the imported leads with one action. Either is one undo step; quarters that
do not exist yet are added in the same step."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..changes import Changes
from ..errors import ValidationError
from ..model import QuarterId
from ..plan import quarter_dates
from .file_preview import SAMPLE_ROWS
from .problems import FileUnreadable, ImportFailed, ProblemLog, RowProblem
from .reader import TableReader
from .sniff import detect_format
from .stages import loose, stage_resolver
from .values import looks_decimal_comma, read_amount, read_count

if TYPE_CHECKING:
    from ..workbook import Workbook

COLUMNS = {  # actuals field → header names it may have (compared loosely)
    "quarter": ("quarter", "period", "quartal", "fiscal quarter", "trimestre", "zeitraum"),
    "stage": ("stage", "funnel stage", "phase", "stufe", "étape", "etapa"),
    "source": ("source", "lead source", "channel", "quelle", "kanal", "canal", "origine"),
    "count": ("count", "leads", "number", "volume", "anzahl", "menge", "nombre", "cantidad"),
    "value": ("value", "amount", "revenue", "pipeline", "wert", "betrag", "umsatz",
              "valeur", "montant", "valor", "importe"),
}
# Words that make a column a value column when no title matches whole: "Pipeline-Wert",
# "Pipeline value (EUR)", "Umsatz in €".
_VALUE_WORDS = ("value", "amount", "revenue", "wert", "betrag", "umsatz", "valeur", "montant",
                "valor", "importe")
_QUARTER = re.compile(r"^(?:(\d{4})\s*[-/ ]?\s*Q([1-4])|Q([1-4])\s*[-/ ]?\s*(\d{4}))$",
                      re.IGNORECASE)


@dataclass(frozen=True)
class ActualsReport:
    """What an actuals import or derivation wrote; `columns` says what became of each
    column of an imported file, `notes` what the numbers lack."""

    cells: int
    quarters_added: tuple[str, ...]
    columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def quarter_label(text: str) -> str | None:
    """ "2026Q1", "2026-Q1", "Q1 2026", "Q1/2026" → "2026Q1"; None if not a quarter."""
    match = _QUARTER.match(text.strip())
    if not match:
        return None
    year, number = (match[1], match[2]) if match[1] else (match[4], match[3])
    return f"{year}Q{number}"


def import_actuals(workbook: Workbook, path: str | Path) -> tuple[Changes, ActualsReport]:
    """Import a CSV (or XLSX) of quarterly actuals as one undo step ("Import actuals").

    Columns are found by name (Quarter, Stage, Source, Count, Value; Source and Value
    may be missing). Every row is checked first: any problem refuses the whole file and
    says where, and nothing changes.
    """
    path = Path(path)
    file_format = detect_format(path)
    cells: dict[tuple[str, int, str], tuple[int, float | None]] = {}
    with TableReader(path, file_format) as reader:
        headers = reader.headers
        columns = _columns(headers)
        sample = [cells for _, cells in islice(reader.rows(), SAMPLE_ROWS)]
    fates = _column_fates(headers, columns)
    others = [f"“{headers[i]}”" for i in range(len(headers))
              if i not in columns.values() and _looks_like_value(headers[i])]
    if others:  # a value column is read, and these look like values too
        raise ValidationError("value", f"{', '.join(others)} also look like values, but only "
                              f"“{headers[columns['value']]}” is read; nothing was imported. "
                              "Keep one value column in the file.")
    decimal_comma = _decimal_comma(sample, columns, file_format.delimiter)
    resolve = stage_resolver(workbook)
    log = ProblemLog()
    with TableReader(path, file_format) as reader:
        for line, row in reader.rows():
            _read_row(path.name, line, row, reader.headers, columns, resolve, decimal_comma,
                      cells, log)
    if log.count:
        raise ImportFailed(path, log.problems, log.count)
    if not cells:
        raise FileUnreadable(path, "the file has a header row but no actuals under it.")
    missing = sum(value is None for _, value in cells.values())
    notes = []
    if "value" not in columns:
        notes.append("The file has no value column: values are left empty (—), not 0.")
    elif missing:
        notes.append(f"{missing:,} of {len(cells):,} cells have no value: left empty (—), "
                     "not 0.")
    changes, report = _write(workbook, "Import actuals", cells)
    return changes, replace(report, columns=tuple(fates), notes=tuple(notes))


def _looks_like_value(header: str) -> bool:
    return any(word in loose(header) for word in _VALUE_WORDS)


def _column_fates(headers: list[str], columns: dict[str, int]) -> list[str]:
    """What became of each column: "“Wert” → value", "“Notes” not imported"."""
    fields = {i: field for field, i in columns.items()}
    return [f"“{h}” → {fields[i]}" if i in fields else f"“{h}” not imported"
            for i, h in enumerate(headers)]


def _columns(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for field, names in COLUMNS.items():
        wanted = {loose(n) for n in names}
        for i, header in enumerate(headers):
            if loose(header) in wanted:
                found.setdefault(field, i)
    if "value" not in found:
        taken = set(found.values())
        value = next((i for i, h in enumerate(headers)
                      if i not in taken and _looks_like_value(h)), None)
        if value is not None:
            found["value"] = value
    for needed in ("quarter", "stage", "count"):
        if needed not in found:
            raise ValidationError(needed, f"The file needs a “{needed.capitalize()}” column "
                                  f"(its columns are: {', '.join(headers)}).")
    return found


def _decimal_comma(sample: list[list[Any]], columns: dict[str, int], delimiter: str) -> bool:
    texts = [str(row[columns["value"]]) for row in sample
             if "value" in columns and columns["value"] < len(row) and row[columns["value"]]]
    return looks_decimal_comma(texts) if texts else delimiter == ";"


def _read_row(file: str, line: int, row: list[Any], headers: list[str],
              columns: dict[str, int], resolve: Any, decimal_comma: bool,
              cells: dict[tuple[str, int, str], tuple[int, float | None]],
              log: ProblemLog) -> None:
    def cell(field: str) -> Any:
        i = columns.get(field)
        return row[i] if i is not None and i < len(row) else None

    def refuse(field: str, value: Any, expected: str) -> None:
        log.add(RowProblem(file, line, headers[columns[field]], str(value or ""), expected))

    label = quarter_label(str(cell("quarter") or ""))
    if label is None:
        refuse("quarter", cell("quarter"), "expected a quarter such as 2026Q1 or Q1 2026")
    stage = resolve(str(cell("stage") or ""))
    if stage is None:
        refuse("stage", cell("stage"), "is not a stage of this funnel or a CRM name for one")
    try:
        count = read_count(cell("count") or "", decimal_comma, "a whole number of leads")
    except ValueError as error:
        refuse("count", cell("count"), str(error))
        count = None
    value: float | None = None  # absent: stored as absent, never 0
    if "value" in columns and str(cell("value") or "").strip():
        try:
            value = read_amount(cell("value"), decimal_comma)
        except ValueError as error:
            refuse("value", cell("value"), str(error))
    if label is None or stage is None or count is None:
        return
    key = (label, int(stage.id), " ".join(str(cell("source") or "").split()))
    if key in cells:
        log.add(RowProblem(file, line, "", "", f"{label}, {stage.name}, source "
                           f"“{key[2]}” appears twice in the file; give each cell once"))
        return
    cells[key] = (count, value)


Cells = dict[tuple[str, int, str], tuple[int, float | None]]  # (quarter, stage, source) →


def _write(workbook: Workbook, step: str, cells: Cells) -> tuple[Changes, ActualsReport]:
    fiscal = workbook.properties().fiscal_year_start_month
    quarters = {q.label: q.id for q in workbook.plan.quarters()}
    added = sorted({label for label, _, _ in cells} - set(quarters))
    with workbook.step(step) as rec:
        for label in added:
            start, end = quarter_dates(label, fiscal)
            quarters[label] = QuarterId(workbook.insert(
                rec, "quarters", {"label": label, "start_date": start, "end_date": end},
                "quarter"))
        workbook.db.conn.executemany(
            "INSERT INTO actuals (quarter_id, stage_id, source, count, value) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (quarter_id, stage_id, source) "
            "DO UPDATE SET count = excluded.count, value = excluded.value",
            [(quarters[label], stage, source, count, value)
             for (label, stage, source), (count, value) in sorted(cells.items())])
        rec.log("actuals", "", "", None, f"{len(cells)} cells")
    return rec.changes, ActualsReport(len(cells), tuple(added))


def derive_actuals(workbook: Workbook) -> tuple[Changes, ActualsReport]:
    """Quarterly actuals counted from the imported leads, as one undo step ("Derive
    actuals from leads"): per quarter, stage and source, the leads that reached the stage
    then; the value is their amounts at the opportunity stage and after (money in the
    pipeline and won), none before (no "0": a lead has no value yet). Cells without leads
    behind them are left as they are."""
    from ..closed_loop import refresh

    refresh(workbook)
    fiscal = workbook.properties().fiscal_year_start_month
    stages = workbook.funnel.stages()
    opportunity = stage_resolver(workbook)("Opportunity") or (stages[-1] if stages else None)
    valued = {s.id for s in stages if opportunity and s.position >= opportunity.position}
    cells: dict[tuple[str, int, str], list[float]] = {}
    for month, stage, source, measure, value in workbook.db.conn.execute(
            "SELECT month, stage_id, source, measure, value FROM lead_summary_cells "
            "WHERE measure IN ('reached', 'reached_amount') AND stage_id <> 0"):
        cell = cells.setdefault((fiscal_quarter(month, fiscal), stage, source), [0, 0.0])
        if measure == "reached":
            cell[0] += value
        elif stage in valued:
            cell[1] += value
    if not cells:
        raise ValidationError("leads", "There are no imported leads to derive actuals from.")
    return _write(workbook, "Derive actuals from leads",
                  {key: (int(n), round(amount, 2) if key[1] in valued else None)
                   for key, (n, amount) in cells.items()})


def fiscal_quarter(month: str, fiscal_start_month: int) -> str:
    """The fiscal quarter label of a month: "2026-02" → "2026Q1" (calendar year), or
    "2025Q4" when the fiscal year starts in May."""
    year, number = int(month[:4]), int(month[5:7])
    offset = (number - fiscal_start_month) % 12
    fiscal_year = year if number >= fiscal_start_month else year - 1
    return f"{fiscal_year}Q{offset // 3 + 1}"
