"""What the import dialog shows once the user presses Import: the progress with Cancel, the
problems that stopped the import (the first ones, with a count of the rest, and the offer
to skip those rows), and the summary of an import that went through, with the report of
skipped rows savable as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.words import counted
from workbench.imports import ImportProgress, ImportReport, RowProblem, write_csv

from .common import note

SHOWN_PROBLEMS = 8
PROBLEM_HEADERS = ["File", "Line", "Column", "Value", "Expected"]


def problem_cells(problem: RowProblem) -> list[str]:
    return [problem.file, str(problem.line), problem.column, problem.value, problem.expected]


def save_problems_csv(path: Path, problems: Sequence[RowProblem]) -> int:
    """The problems as CSV (formulas in values neutralised); returns the rows written."""
    return write_csv(path, PROBLEM_HEADERS, (problem_cells(p) for p in problems))


class ProblemTable(QTableWidget):
    """File | line | column | value | what was expected, one row per problem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(PROBLEM_HEADERS), parent)
        self.setHorizontalHeaderLabels(PROBLEM_HEADERS)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(28)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        for column, width in enumerate((150, 50, 150, 170)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def show_problems(self, problems: Sequence[RowProblem]) -> None:
        self.setRowCount(len(problems))
        for r, problem in enumerate(problems):
            for c, text in enumerate(problem_cells(problem)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(text)
                if c == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)

    def texts(self) -> list[list[str]]:
        return [[item.text() if (item := self.item(r, c)) else ""
                 for c in range(self.columnCount())] for r in range(self.rowCount())]


class ProgressPanel(QFrame):
    """Phase, a progress bar, rows read so far, and Cancel, on a card."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.phase = QLabel("Starting…")
        self.phase.setObjectName("cardTitle")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.rows = note()
        self.cancel_button = QPushButton("Cancel import")
        self.cancel_button.clicked.connect(self.cancel_requested)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.hint = note("The rest of the app waits until the import ends. Cancel puts the "
                         "workbook back exactly as it was.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addStretch(1)
        layout.addWidget(self.phase)
        layout.addLayout(row)
        layout.addWidget(self.rows)
        layout.addWidget(self.hint)
        layout.addStretch(2)

    def start(self, file_name: str) -> None:
        self.phase.setText(f"Importing {file_name}…")
        self.bar.setValue(0)
        self.rows.setText("Reading the file.")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel import")

    def show_progress(self, progress: ImportProgress) -> None:
        self.phase.setText(f"{progress.phase}…")
        self.bar.setValue(round(progress.fraction * 1000))
        what = {"Reading": "read and checked", "Indexing": "read; indexing them",
                "Summarising": "read; working out the quarterly numbers"}
        self.rows.setText(f"{progress.rows:,} rows {what.get(progress.phase, 'read')}.")

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.rows.setText("Cancelling: putting the workbook back as it was.")


class ProblemsPanel(QFrame):
    """Why nothing was imported: the first problems, how many more, and the way out."""

    skip_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problems")
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.table = ProblemTable()
        self.more = note()
        self.skip_button = QPushButton("Skip bad rows and import the rest")
        self.skip_button.setObjectName("primary")
        self.skip_button.clicked.connect(self.skip_requested)
        row = QHBoxLayout()
        row.addWidget(self.more, 1)
        row.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def show_failure(self, problems: Sequence[RowProblem], count: int, *,
                     can_skip: bool = True) -> None:
        shown = list(problems[:SHOWN_PROBLEMS])
        self.title.setText(f"Nothing was imported — {counted(count, 'problem')} found. The "
                           "workbook is unchanged.")
        self.table.show_problems(shown)
        self.table.show()
        rest = count - len(shown)
        self.more.setText(f"… and {counted(rest, 'more problem')}. Fix the "
                          "file or the mapping and import again, or skip the bad rows."
                          if rest > 0 else "Fix the file or the mapping and import again, "
                          "or skip the bad rows.")
        self.skip_button.setVisible(can_skip)
        self.skip_button.setEnabled(can_skip)

    def show_message(self, title: str, detail: str = "") -> None:
        """A problem with the file or mapping as a whole (no rows to list)."""
        self.title.setText(title)
        self.table.setRowCount(0)
        self.table.hide()
        self.more.setText(detail)
        self.skip_button.hide()


class ResultPanel(QFrame):
    """What an import did, and the rows it skipped (savable as CSV)."""

    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("success")
        self.summary = QLabel()
        self.summary.setObjectName("cardTitle")
        self.summary.setWordWrap(True)
        self.notes = note()
        self.skipped_title = QLabel()
        self.skipped_title.setObjectName("sectionTitle")
        self.table = ProblemTable()
        self.save_button = QPushButton("Save skipped rows as CSV…")
        self.save_button.clicked.connect(self.save_requested)
        row = QHBoxLayout()
        row.addWidget(self.skipped_title, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.report: ImportReport | None = None

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        unchanged = f"{report.unchanged:,} unchanged, " if report.unchanged else ""
        self.summary.setText(f"Imported: {report.added:,} added, {report.updated:,} updated, "
                             f"{unchanged}{report.skipped:,} skipped. Edit → Undo import puts "
                             "the workbook back.")
        columns = report.columns.lines() if report.columns is not None else []
        lines = [*report.notes, *(["Columns of the file:"] if columns else []),
                 *(f"  {line}" for line in columns)]
        self.notes.setText("\n".join(lines))
        self.notes.setVisible(bool(lines))
        skipped = bool(report.skipped)
        kept = len(report.problems)
        rows = f"{report.skipped:,} row{'s' if report.skipped != 1 else ''} skipped"
        self.skipped_title.setText(
            f"{rows} — the first {kept:,} of their {report.problem_count:,} problems"
            if report.problem_count > kept else f"{rows} — {report.problem_count:,} "
            f"problem{'s' if report.problem_count != 1 else ''}")
        self.table.show_problems(report.problems)
        for widget in (self.skipped_title, self.table, self.save_button):
            widget.setVisible(skipped)
