"""Recognising an export before reading it: spreadsheet or text, which encoding (UTF-8,
UTF-8 with BOM, UTF-16, Windows-1252), which delimiter. Only the first 64 KB are read, so
a file of several GB is sniffed as fast as a small one."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .problems import FileUnreadable

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
ENCODING_NAMES = {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
}
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileFormat:
    """How to read a file: `kind` is "csv" or "xlsx"; encoding and delimiter apply to CSV."""

    kind: str
    encoding: str = "utf-8"
    delimiter: str = ","

    def describe(self) -> str:
        """For the preview, e.g. "CSV, UTF-8 with BOM, separated by ;"."""
        if self.kind == "xlsx":
            return "Excel workbook (XLSX)"
        name = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
        return (f"CSV, {ENCODING_NAMES.get(self.encoding, self.encoding)}, separated by "
                f"{name.get(self.delimiter, repr(self.delimiter))}")


def detect_format(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> FileFormat:
    """Recognise `path`; `encoding` and `delimiter` override the guesses.

    Raises `FileUnreadable` for a missing, empty, binary or old-Excel file.
    """
    head = read_head(path)
    if head.startswith(_ZIP):
        return FileFormat("xlsx")
    if head.startswith(_OLE2):
        raise FileUnreadable(path, "this is an old Excel .xls file; save it as .xlsx or CSV "
                                   "and import that.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileUnreadable(path, "the name says Excel workbook, but the file is not one "
                                   "(it may be damaged or renamed).")
    chosen = encoding or guess_encoding(path, head)
    text = decode_sample(path, head, chosen)
    return FileFormat("csv", chosen, delimiter or guess_delimiter(text))


def read_head(path: Path) -> bytes:
    """The first bytes of `path`, refusing what cannot be an export at all."""
    if not path.exists():
        raise FileUnreadable(path, "no such file.")
    if path.is_dir():
        raise FileUnreadable(path, "is a folder, not a file.")
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError as error:
        raise FileUnreadable(path, f"cannot be read ({error.strerror}).") from None
    if not head:
        raise FileUnreadable(path, "the file is empty: there is nothing to import.")
    return head


def guess_encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 by their marks, else UTF-8 if the sample
    decodes as UTF-8, else Windows-1252. Binary data is refused."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    if b"\x00" in head or controls > len(head) // 100:
        raise FileUnreadable(path, "this is not a text file (it holds binary data). Export "
                                   "the report as CSV or XLSX and import that.")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def decode_sample(path: Path, head: bytes, encoding: str) -> str:
    """The sample as text, without a line cut off at its end."""
    try:
        text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(
            head, final=len(head) < SAMPLE_BYTES
        )
    except (UnicodeDecodeError, LookupError) as error:
        raise FileUnreadable(path, f"cannot be read as {ENCODING_NAMES.get(encoding, encoding)} "
                                   f"({error}); choose another encoding.") from None
    if len(head) >= SAMPLE_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text


def guess_delimiter(text: str) -> str:
    """The delimiter that splits the sample into the most consistent rows of 2+ cells."""
    best, best_score = ",", (0, 0.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = Counter(len(r) for r in rows[:200])
        width, count = widths.most_common(1)[0]
        if width < 2:
            continue
        score = (1, count / sum(widths.values()), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best
