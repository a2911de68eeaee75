"""The leads table's model: a window onto a million leads that never loads them all.

`rowCount` is the filtered count, asked once per filter; rows are fetched a page at a time
from `Leads.page` when the view paints them, and the last pages are kept (`PageCache`), so
scrolling back is free and jumping to the last row costs one page. Sorting and filtering
happen in the workbook (a header click asks for another order), never in the model.

In a workbook of `SORT_ELSEWHERE_FROM` leads and more, an order no index gives is sorted on
a worker thread (`Leads.order_request`), however few leads the filter leaves (finding them
can read many more: a quarter's source of a million leads took 47 ms): the first page
first, then every row's place; meanwhile the rows not yet known read "…" and the window
stays free. A count that is not cheap is counted elsewhere too (`LeadCounter`).
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ui.shell.lead_counter import LeadCounter
from workbench.figure_text import format_number
from workbench.lead_order import OrderRequest
from workbench.leads import SORTABLE, LeadFilter, LeadRow
from workbench.workbook import Workbook

Row = TypeVar("Row")
PAGE_ROWS = 200
SORT_ELSEWHERE_FROM = 50_000  # a workbook of fewer leads sorts in milliseconds: at once
KEPT_PAGES = 64  # 12,800 rows kept: several screens either way of where the user is
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class LeadColumn:
    """A column of the leads table: the `LeadRow` attribute it shows, its title, how its
    values read ("text", "date", "number", "money") and its width in pixels."""

    key: str
    title: str
    kind: str
    width: int

    @property
    def sortable(self) -> bool:
        return self.key in SORTABLE

    def value(self, lead: LeadRow) -> Any:
        """What this column shows of `lead`: a field, or one of its kept columns."""
        if self.key.startswith(ATTRIBUTE):
            return lead.attributes.get(self.key[len(ATTRIBUTE):])
        return getattr(lead, self.key)


ATTRIBUTE = "attribute:"  # key prefix of a column an import kept per lead
_ATTRIBUTE_KINDS = {"number": "number", "boolean": "boolean", "date": "date", "text": "text"}


def attribute_columns(kinds: dict[str, str]) -> tuple[LeadColumn, ...]:
    """One column per kept import column, after the fields."""
    return tuple(LeadColumn(f"{ATTRIBUTE}{name}", name, _ATTRIBUTE_KINDS.get(kind, "text"),
                            120 if kind != "text" else 150) for name, kind in kinds.items())


COLUMNS: tuple[LeadColumn, ...] = (
    LeadColumn("external_id", "Lead ID", "text", 130),
    LeadColumn("created_at", "Created", "date", 130),
    LeadColumn("stage", "Furthest stage", "text", 170),
    LeadColumn("source", "Source", "text", 130),
    LeadColumn("campaign", "Campaign", "text", 140),
    LeadColumn("owner", "Owner", "text", 120),
    LeadColumn("company", "Company", "text", 190),
    LeadColumn("score", "Score", "number", 70),
    LeadColumn("first_touch_at", "First touch", "date", 130),
    LeadColumn("disposition", "Disposition", "text", 110),
    LeadColumn("amount", "Amount", "money", 100),
    LeadColumn("won_at", "Won", "date", 100),
    LeadColumn("lost_at", "Lost", "date", 100),
)


class PageCache(Generic[Row]):
    """Rows by index, fetched `page_rows` at a time through `fetch(offset, limit)` and kept
    for the `kept_pages` pages used last. While `paused` nothing is fetched: rows not kept
    read as None (the workbook is busy with an import)."""

    def __init__(self, fetch: Callable[[int, int], list[Row]], page_rows: int = PAGE_ROWS,
                 kept_pages: int = KEPT_PAGES) -> None:
        self.fetch = fetch
        self.page_rows = page_rows
        self.kept_pages = kept_pages
        self.paused = False
        self.fetches = 0
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()

    def row(self, index: int) -> Row | None:
        page_number, offset = divmod(index, self.page_rows)
        page = self._pages.get(page_number)
        if page is None:
            if self.paused:
                return None
            page = self.fetch(page_number * self.page_rows, self.page_rows)
            self.fetches += 1
            self._pages[page_number] = page
            while len(self._pages) > self.kept_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def put(self, page_number: int, rows: list[Row]) -> None:
        """Keep a page fetched elsewhere."""
        self._pages[page_number] = rows
        while len(self._pages) > self.kept_pages:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()

    @property
    def kept(self) -> list[int]:
        """The page numbers kept, least recently used first."""
        return list(self._pages)


def date_text(value: str | None) -> str:
    """"2026-01-05T09:12:00" → "2026-01-05 09:12"; midnight shows the day alone."""
    if not value:
        return ""
    day, _, clock = value.partition("T")
    return day if clock in ("", "00:00:00") else f"{day} {clock[:5]}"


def cell_text(column: LeadColumn, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if column.key.startswith(ATTRIBUTE) and column.kind != "text" and isinstance(value, str):
        return date_text(value) if column.kind == "date" and value[:4].isdigit() else value
    if column.kind == "date":
        return date_text(str(value))
    if column.kind == "money":
        return f"{float(value):,.2f}".removesuffix(".00")
    if column.kind == "number":
        return format_number(float(value))
    return str(value)


def _sort(wanted: list[OrderRequest | None], request: OrderRequest, limit: int | None
          ) -> tuple[OrderRequest, array[int] | None]:
    """On the worker thread: sort, unless another order was asked for meanwhile (which
    cancels this one, running or not: its full sort of ten million leads takes seconds
    the next order's first page would wait for)."""
    if request is not wanted[0]:
        return request, None
    try:
        return request, request.first_ids(limit) if limit else request.all_ids()
    except sqlite3.OperationalError:
        if request.cancelled:
            return request, None
        raise


class LeadsTableModel(QAbstractTableModel):
    """The filtered, sorted leads of a workbook, paged in as the view asks."""

    # "first page" / "all": a part of the order arrived; "failed": it will not
    sorted_elsewhere = Signal(str)
    counted = Signal()  # the count (counted elsewhere) arrived, or could not be had

    def __init__(self, workbook: Workbook | None = None) -> None:
        super().__init__()
        self.workbook = workbook
        self._import_paused = False
        self._sorting: OrderRequest | None = None  # the order being sorted elsewhere
        self.first_page_in = False  # and its first page shown already
        # The same, for the worker thread, which must hold no reference to this QObject
        # (the last one dropped there would destroy it on the wrong thread).
        self._wanted: list[OrderRequest | None] = [None]
        self.lead_filter = LeadFilter()
        self.sort_key = "created_at"
        self.descending = False
        self._count = 0
        self.count_error = ""  # why the leads could not be counted elsewhere
        self._unannounced: list[str] = []  # parts of the order in before the count
        self.counter = LeadCounter(self)
        self.counter.counted.connect(self._counted)
        self.counter.failed.connect(self._count_failed)
        self.columns: tuple[LeadColumn, ...] = COLUMNS
        self.pages: PageCache[LeadRow] = PageCache(self._fetch)
        self.refresh(columns=True)

    # -- what is shown ------------------------------------------------------------------
    def set_workbook(self, workbook: Workbook | None) -> None:
        self.workbook = workbook
        self.counter.forget()
        self.refresh(columns=True)

    def set_filter(self, lead_filter: LeadFilter) -> None:
        if lead_filter != self.lead_filter:
            self.lead_filter = lead_filter
            self.refresh()

    def sort_by(self, key: str, descending: bool = False) -> bool:
        """Show the leads in `key` order; False (and nothing changes) for a column the
        workbook cannot sort by."""
        if key not in SORTABLE:
            return False
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.refresh()
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's sort request: passed to the workbook, never done in memory."""
        if 0 <= column < len(self.columns):
            self.sort_by(self.columns[column].key, order == Qt.SortOrder.DescendingOrder)

    def sort_column(self) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == self.sort_key)

    def refresh(self, *, columns: bool = False) -> None:
        """Forget every page and count again (after a filter, an order or a change); with
        `columns`, ask again which import columns the leads carry (after new data)."""
        self.beginResetModel()
        self.pages.clear()
        self._unannounced.clear()
        self._recount()
        if columns:
            self.columns = COLUMNS + (attribute_columns(self.workbook.leads.attribute_kinds())
                                      if self.workbook is not None else ())
        self._sort_elsewhere_if_slow()
        self.endResetModel()

    def set_paused(self, paused: bool) -> None:
        """While an import runs the workbook must not be read: show only kept rows."""
        self._import_paused = paused
        self.pages.paused = paused or self._sorting is not None

    @property
    def counting(self) -> bool:
        """Whether the filter's leads are being counted elsewhere (the table reads empty)."""
        return self.counter.counting

    @property
    def sorting(self) -> bool:
        """Whether the order is still being sorted elsewhere (rows not yet known read …)."""
        return self._sorting is not None

    # -- sorting on a worker thread -------------------------------------------------------
    def _sort_elsewhere_if_slow(self) -> None:
        if self._sorting is not None:
            self._sorting.cancel()  # no longer wanted: its worker is free for the next
        self._sorting = self._wanted[0] = None
        workbook = self.workbook
        if (workbook is not None and workbook.path is not None
                and (self._count > 0 or self.counting)
                and workbook.leads.at_most() >= SORT_ELSEWHERE_FROM
                and not workbook.leads.order_at_hand(self.lead_filter, self.sort_key,
                                                     self.descending)):
            from ui.sla.workers import run_job

            request = workbook.leads.order_request(self.lead_filter, self.sort_key,
                                                   self.descending)
            self._sorting = self._wanted[0] = request
            self.first_page_in = False
            run_job(partial(_sort, self._wanted, request, self.pages.page_rows),
                    self._first_page, self._sort_failed, thread="leads")
            run_job(partial(_sort, self._wanted, request, None), self._all_sorted,
                    self._sort_failed, thread="leads")
        self.pages.paused = self._import_paused or self._sorting is not None

    def _first_page(self, result: tuple[OrderRequest, array[int] | None]) -> None:
        request, ids = result
        if (ids is None or request is not self._sorting or self._gone()
                or self._import_paused):
            return
        self.pages.put(0, self.workbook.leads.rows(list(ids)))
        self.first_page_in = True
        if self.counting:  # shown now, the rest once counted (a stage's leads of ten
            self._grow_to(len(ids))  # million took a second to count, the page 0.1 s)
        else:
            self._rows_known(0, len(ids))
        self.sorted_elsewhere.emit("first page")

    def _grow_to(self, count: int) -> None:
        """Show `count` rows where fewer are shown (the rows shown stay where they are)."""
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()

    def _all_sorted(self, result: tuple[OrderRequest, array[int] | None]) -> None:
        request, ids = result
        if ids is None or request is not self._sorting or self._gone():
            return
        self._sorting = self._wanted[0] = None
        if not self.workbook.leads.keep_order(request, ids):
            self.refresh()  # written to meanwhile: sort again
            return
        self.pages.paused = self._import_paused
        self._rows_known(0, self._count)
        self._announce("all")

    def _gone(self) -> bool:
        """Whether there is no workbook to show a result of a worker's in (closed since)."""
        return self.workbook is None or self.workbook.closed

    def _announce(self, part: str) -> None:
        """Say a part of the order is shown: now, or once the count has come (until then
        only the first page has rows to show it in)."""
        if self.counting:
            self._unannounced.append(part)
        else:
            self.sorted_elsewhere.emit(part)

    def _sort_failed(self, _error: Exception) -> None:
        """Sorting elsewhere failed (the file went away): the rows read as before, at once,
        so the page that asks meets the error where it is shown."""
        self._sorting = self._wanted[0] = None
        self.pages.paused = self._import_paused
        self._rows_known(0, self._count)
        self.sorted_elsewhere.emit("failed")

    def _rows_known(self, first: int, count: int) -> None:
        count = min(count, self._count - first)  # none while the count is still coming
        if count > 0 and self.columns and not self._gone():
            self.dataChanged.emit(self.index(first, 0),
                                  self.index(first + count - 1, len(self.columns) - 1))

    def total(self) -> int:
        """How many leads match the filter (the table's row count)."""
        return self._count

    def lead(self, row: int) -> LeadRow | None:
        return self.pages.row(row) if 0 <= row < self._count else None

    def _recount(self) -> None:
        """The filter's count (and every lead's, for "N of M"): at once when kept or when
        the leads are few, else counted elsewhere while the table reads empty."""
        workbook, self._count, self.count_error = self.workbook, 0, ""
        if workbook is not None and self.counter.at_hand(workbook,
                                                         [self.lead_filter, LeadFilter()]):
            self._count = workbook.leads.count(self.lead_filter)

    def _counted(self) -> None:
        """The count arrived: the rows are there to show (under the first page, if the
        order sorted meanwhile showed it already), and the sort goes on. If the workbook
        was written since, it is counted and sorted again."""
        kept = self.workbook.leads.kept_count(self.lead_filter) if self.workbook else None
        if kept is None:
            self.refresh()
        else:
            if self._count:  # the first page is shown already: the rest comes under it
                self._grow_to(kept)
            else:
                self.beginResetModel()
                self._count = kept
                self.endResetModel()
            for part in self._unannounced:
                self.sorted_elsewhere.emit(part)
        self._unannounced.clear()
        self.counted.emit()

    def _count_failed(self, error: str) -> None:
        self.count_error = error
        self.counted.emit()

    def _fetch(self, offset: int, limit: int) -> list[LeadRow]:
        if self.workbook is None:
            return []
        return self.workbook.leads.page(self.lead_filter, sort=self.sort_key,
                                        descending=self.descending, offset=offset, limit=limit)

    # -- Qt's side ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.kind in ("number", "money") else LEFT
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        lead = self.lead(index.row())
        if lead is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        text = cell_text(column, column.value(lead))
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None
        return text

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.key.startswith(ATTRIBUTE):
                return (f"“{column.title}”: a column of the import kept per lead "
                        f"({column.kind}); not sortable")
            return ("Click to sort by this column" if column.sortable
                    else "The furthest stage a lead reached; not sortable")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.kind in ("number", "money") else LEFT
        return None

    def rows_as_text(self, first: int, count: int) -> list[list[str]]:
        """What the table shows in rows `first`… (for tests and copying)."""
        result = []
        for row in range(first, min(first + count, self._count)):
            lead = self.lead(row)
            result.append([cell_text(c, c.value(lead)) if lead else ""
                           for c in self.columns])
        return result
