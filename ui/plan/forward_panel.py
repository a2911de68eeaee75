"""The Plan screen's forward check: the verdict on the quarter, which data it comes from,
and the arithmetic behind it, stage by stage.

An ended quarter shows the pipeline open at its end as what carries into the next quarter,
then what it won against the goal; the current quarter shows the pipeline that adds up
with what is won so far to what it is on track for; a quarter still to come shows its
goal. Every text comes from `workbench.planning.forward`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from reports import palette
from workbench.figure_text import format_count, format_money, format_percent
from workbench.planning.forward import ForwardCheck, Phase

from .panels import card, note
from .tables import LEFT, RIGHT, ReadOnlyTable, cell

Row = tuple[str, str, str, str, str, str]
HEADERS = ["", "Leads", "Worth each", "Weight", "Weighted", "How"]


class ForwardPanel(QWidget):
    """Where the quarter stands against its goal, and how that was worked out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check: ForwardCheck | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("summary")
        self.basis = note("")
        self.pipeline_note = QLabel()
        self.pipeline_note.setWordWrap(True)
        self.pipeline_note.setStyleSheet("font-weight: bold;")
        self.table = ReadOnlyTable(HEADERS)
        header = self.table.horizontalHeader()
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.stale = QLabel()
        self.stale.setWordWrap(True)
        self.stale.setStyleSheet(f"color: {palette.colour('warn')};")
        self.weighting = note("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(card("Forward check", self.summary, self.basis, self.pipeline_note,
                              self.table, self.stale, self.weighting))
        layout.addStretch(1)

    def show_check(self, check: ForwardCheck | None) -> None:
        self.check = check
        if check is None:
            self.summary.setText("Choose a quarter.")
            for label in (self.basis, self.pipeline_note, self.stale, self.weighting):
                label.clear()
            self.table.setRowCount(0)
            return
        self.summary.setText(check.summary)
        self.summary.setStyleSheet(f"font-size: 16px; font-weight: bold; "
                                   f"color: {palette.colour(check.status.colour)};")
        self.basis.setText(check.basis_note)
        self.basis.setVisible(bool(check.basis_note))
        self.pipeline_note.setText(check.pipeline_note)
        self.stale.setText(check.stale_note)
        self.stale.setVisible(bool(check.stale_note))
        self.weighting.setText(check.weighting_note)
        self.weighting.setVisible(bool(check.weighting_note))
        self._fill(rows(check), totals=_total_rows(check))

    def _fill(self, values: list[Row], totals: set[int]) -> None:
        self.table.setRowCount(len(values))
        for r, row in enumerate(values):
            for c, text in enumerate(row):
                self.table.setItem(r, c, cell(
                    text, align=LEFT if c in (0, 5) else RIGHT, bold=r in totals and c in (0, 4),
                    colour=palette.MUTED if c == 5 else None))
        # Exactly as tall as its rows (a handful), so the notes sit right under it.
        self.table.fit_height = True
        self.table.fit_rows()


def rows(check: ForwardCheck) -> list[Row]:
    """The table's rows: the pipeline stages with their arithmetic, then the totals (for an
    ended quarter the pipeline carried over, then the result)."""
    money = check.currency
    goal: Row = ("Goal", "", "", "", format_money(check.goal, money),
                 "the committed plan's revenue goal" if check.goal else "no committed goal")
    if check.phase is Phase.FUTURE:
        return [goal]
    stages: list[Row] = [
        (s.name, format_count(s.open), format_money(s.value_each, money),
         f"{format_percent(s.weight)} ({s.weight_basis})" if s.weight is not None else "—",
         format_money(s.weighted, money),
         s.arithmetic if s.weighted is not None else f"— {s.reason}")
        for s in check.stages]
    won_count = format_count(check.won_count)
    pipeline = format_money(check.weighted_pipeline, money)
    if check.phase is Phase.ENDED:
        return [*stages, (f"Carries into {check.next_quarter}", "", "", "", pipeline,
                          "weighted; not part of the result"),
                (f"Won in {check.quarter}", won_count, "", "",
                 format_money(check.won_value, money), check.won_arithmetic), goal]
    return [*stages, ("Weighted open pipeline", "", "", "", pipeline, ""),
            ("Won so far", won_count, "", "", format_money(check.won_value, money),
             check.won_arithmetic),
            ("On track for", "", "", "", format_money(check.on_track_for, money),
             "won so far + weighted open pipeline"), goal]


def _total_rows(check: ForwardCheck) -> set[int]:
    """The rows drawn bold: every row that is not a pipeline stage."""
    if check.phase is Phase.FUTURE:
        return {0}
    count = len(check.stages)
    return set(range(count, count + (3 if check.phase is Phase.ENDED else 4)))
