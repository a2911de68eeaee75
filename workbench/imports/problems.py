"""What can go wrong in an import, said so a user can find and fix it: the file, the line,
the column, the value and what was expected. Problems are collected (the first ones kept,
the rest counted) so one run reports them all instead of stopping at the first."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ValidationError, WorkbenchError

if TYPE_CHECKING:
    from .column_report import ColumnReport

KEEP = 50  # problems kept word for word; the rest are only counted


@dataclass(frozen=True)
class RowProblem:
    """One refused value or row. `line` is the file's line number (1 = the first line), or
    the spreadsheet row; `column` the header of the column, or "" for the whole row."""

    file: str
    line: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.column:
            where += f", column “{self.column}”"
        if self.value:
            return f"{where}: “{_clip(self.value)}” — {self.expected}"
        return f"{where}: {self.expected}"


def _clip(value: str, limit: int = 60) -> str:
    text = value.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class ProblemLog:
    """Problems of one run: the first `keep` word for word, and how many in all."""

    keep: int = KEEP
    problems: list[RowProblem] = field(default_factory=list)
    count: int = 0

    def add(self, problem: RowProblem) -> None:
        self.count += 1
        if len(self.problems) < self.keep:
            self.problems.append(problem)

    @property
    def rest(self) -> int:
        """How many problems were counted but not kept."""
        return self.count - len(self.problems)

    def lines(self) -> list[str]:
        """The kept problems as text, with a last line counting the rest."""
        text = [str(p) for p in self.problems]
        if self.rest:
            text.append(f"… and {self.rest:,} more problem{'s' if self.rest != 1 else ''}.")
        return text


class ImportFailed(WorkbenchError):
    """The import was refused and nothing changed. `problems` are the first ones found,
    `count` how many there were; `str()` is a short summary with the first problem."""

    def __init__(self, path: Path | str, problems: list[RowProblem], count: int) -> None:
        self.path = str(path)
        self.problems = problems
        self.count = count
        first = f" First: {problems[0]}" if problems else ""
        super().__init__(
            f"{Path(self.path).name}: nothing was imported — {count:,} "
            f"problem{'s' if count != 1 else ''} found.{first}"
        )


class FileUnreadable(WorkbenchError):
    """The file as a whole cannot be imported: missing, empty, binary, no header, …"""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{Path(self.path).name}: {problem}")


class ImportCancelled(WorkbenchError):
    """The user cancelled the import; nothing changed."""

    def __init__(self) -> None:
        super().__init__("Import cancelled; nothing was changed.")


class ColumnsNeedReview(ValidationError):
    """Columns of the file look like they should feed a field but do not (or feed one
    questionably); nothing was imported. `report` says what became of every column."""

    def __init__(self, report: ColumnReport) -> None:
        self.report = report
        super().__init__("columns", report.flag_message())
