"""Writing CSV that is safe to open in a spreadsheet.

A cell that starts with =, +, -, @ (or a tab or carriage return) is a formula to Excel,
LibreOffice and Google Sheets: an exported lead named "=HYPERLINK(…)" would run when the
file is opened. Such text is written with a leading apostrophe, which spreadsheets show as
plain text; numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value as a spreadsheet should see it: text that would start a formula is
    prefixed with an apostrophe; None becomes an empty cell; numbers are kept."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(target: str | Path | TextIO, header: Sequence[str],
              rows: Iterable[Sequence[Any]], *, delimiter: str = ",") -> int:
    """Write `header` and `rows` as UTF-8 CSV (with a BOM, so Excel reads the accents),
    every cell neutralised; returns how many rows were written."""
    if isinstance(target, str | Path):
        with Path(target).open("w", encoding="utf-8-sig", newline="") as handle:
            return write_csv(handle, header, rows, delimiter=delimiter)
    writer = csv.writer(target, delimiter=delimiter)
    writer.writerow([neutralise(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
        count += 1
    return count
