"""Lead counts for a widget without stopping the window: at once when they are kept (or the
leads are few), else counted on a worker thread (`workbench.lead_counts`) while the widget
says so, and kept with the leads until the next write. At ten million leads, counting one
source's leads took the window 0.1-0.2 s, and the Sources tab counted eight of them."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ui.sla.workers import run_job

if TYPE_CHECKING:
    from workbench.lead_counts import CountRequest
    from workbench.leads import LeadFilter
    from workbench.workbook import Workbook


class LeadCounter(QObject):
    """Asks `at_hand(workbook, filters)`; when it says False, `counted` follows once the
    counts are kept (then ask again: a write meanwhile means counting again), or `failed`
    with the error."""

    counted = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._asked: tuple[Workbook, CountRequest] | None = None

    def at_hand(self, workbook: Workbook, filters: list[LeadFilter]) -> bool:
        """Whether every filter's count can be read now (`Leads.count`, kept or cheap);
        if not, they are being counted elsewhere."""
        leads = workbook.leads
        missing = [f for f in dict.fromkeys(filters) if leads.count_if_cheap(f) is None]
        if not missing or workbook.path is None:
            return True
        if self._asked is not None and self._asked[0] is workbook and \
                set(missing) <= set(self._asked[1].filters) and \
                self._asked[1].moment == workbook.write_moment():
            return False  # counting them already
        request = leads.count_request(missing)
        self._asked = (workbook, request)
        # Bound methods: a counter deleted meanwhile (with its widget) hears nothing.
        run_job(partial(_count, request), self._counted, self._failed, thread="counts")
        return False

    @property
    def counting(self) -> bool:
        return self._asked is not None

    def forget(self) -> None:
        """Hear nothing of the counts asked for (the workbook is closing)."""
        self._asked = None

    def _counted(self, result: tuple[CountRequest, dict[LeadFilter, int]]) -> None:
        request, counts = result
        if self._asked is None or self._asked[1] is not request:
            return  # asked for others since (or forgotten): those will come
        workbook = self._asked[0]
        self._asked = None
        if workbook.closed:
            return  # closed meanwhile: no one is left to show them to
        workbook.leads.keep_counts(counts, request.moment)  # False: written since
        self.counted.emit()

    def _failed(self, error: Exception) -> None:
        asked, self._asked = self._asked, None
        if asked is not None and not asked[0].closed:
            self.failed.emit(str(error))


def _count(request: CountRequest) -> tuple[CountRequest, dict[LeadFilter, int]]:
    return request, request.count()
