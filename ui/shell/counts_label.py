"""The status bar's counts: stages, quarters and leads. Counting ten million leads takes
SQLite a tenth of a second, so a big workbook's leads are counted on a worker thread (its
own connection to the file: `LeadCounter`) while the label says so; the count is then kept
with the leads until the next write, for every screen that asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from ui.words import counted
from workbench.leads import LeadFilter

from .lead_counter import LeadCounter

if TYPE_CHECKING:
    from workbench.workbook import Workbook


class CountsLabel(QLabel):
    """Shows `show_counts(workbook)`; "counting leads…" while a worker counts them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workbook: Workbook | None = None
        self._parts = ""
        self.counter = LeadCounter(self)
        self.counter.counted.connect(self._counted)
        self.counter.failed.connect(self._not_counted)

    def show_counts(self, workbook: Workbook) -> None:
        self._workbook = workbook
        summary = workbook.summary(leads=False)
        self._parts = (f"{counted(summary['stages'], 'stage')} · "
                       f"{counted(summary['quarters'], 'quarter')}")
        if self.counter.at_hand(workbook, [LeadFilter()]):
            self._show(counted(workbook.leads.count(), "lead"))
        else:
            self._show("counting leads…")

    def _counted(self) -> None:
        if self._workbook is not None:  # kept now (or written meanwhile: counted again)
            self.show_counts(self._workbook)

    def _not_counted(self, error: str) -> None:
        if self._workbook is not None:
            self._show(f"leads not counted ({error})")

    def _show(self, leads: str) -> None:
        self.setText(f"{self._parts} · {leads} · saved automatically")

    def forget(self) -> None:
        """No workbook: nothing shown, and a count still coming is not shown."""
        self._workbook = None
        self.counter.forget()
        self.clear()
