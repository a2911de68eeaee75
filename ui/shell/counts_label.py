"""The status bar's counts: stages, quarters and leads. Counting ten million leads takes
SQLite a tenth of a second, so a big workbook's leads are counted on a worker thread (its
own connection to the file) while the label says so; the count is then kept with the
leads (`Leads.keep_count`) until the next write, for every screen that asks."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from ui.sla.workers import run_job
from ui.words import counted
from workbench.leads import count_in_file

if TYPE_CHECKING:
    from workbench.workbook import Workbook


class CountsLabel(QLabel):
    """Shows `show_counts(workbook)`; "counting leads…" while a worker counts them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workbook: Workbook | None = None
        self._asked: tuple[Workbook, tuple[int, int]] | None = None  # counting elsewhere
        self._parts = ""

    def show_counts(self, workbook: Workbook) -> None:
        self._workbook = workbook
        summary = workbook.summary(leads=False)
        self._parts = (f"{counted(summary['stages'], 'stage')} · "
                       f"{counted(summary['quarters'], 'quarter')}")
        leads = workbook.leads.count_if_cheap() if workbook.path else workbook.leads.count()
        if leads is not None:
            self._show(counted(leads, "lead"))
            return
        self._show("counting leads…")
        assert workbook.path is not None
        self._asked = (workbook, workbook.write_moment())
        # Bound methods: a label deleted meanwhile hears nothing.
        run_job(partial(count_in_file, workbook.path), self._counted, self._not_counted,
                thread="files")

    def _counted(self, leads: int) -> None:
        asked, self._asked = self._asked, None
        if asked is None or asked[0] is not self._workbook:
            return  # another workbook is shown now (or none)
        workbook, moment = asked
        if workbook.leads.keep_count(leads, moment):
            self._show(counted(leads, "lead"))
        else:  # written meanwhile: count again
            self.show_counts(workbook)

    def _not_counted(self, error: Exception) -> None:
        asked, self._asked = self._asked, None
        if asked is not None and asked[0] is self._workbook:
            self._show(f"leads not counted ({error})")

    def _show(self, leads: str) -> None:
        self.setText(f"{self._parts} · {leads} · saved automatically")

    def forget(self) -> None:
        """No workbook: nothing shown, and a count still coming is not shown."""
        self._workbook, self._asked = None, None
        self.clear()
