"""`DashboardScreen`: one quarter at a glance. Key figures on top, then plan vs actual per
stage, SLA compliance, weighted pipeline vs goal, and the trends and source mix.

Every chart is a chart-data object computed by `workbench.planning.dashboard`; the screen
only draws it. It redraws when plan, data or funnel change. MQL follow-up (the one number
read from lead-level data) is worked out after the charts are painted, one quarter per
event-loop turn with the selected quarter first, and cached until the data changes, so
switching quarters never waits for it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from ui.context import AppContext
from ui.present.canvas import Slide
from ui.present.dashboard import dashboard_slides
from ui.present.presenter import Presenter
from ui.shell.held import HeldWhileHidden
from ui.shell.screen_sheets import style_screen
from ui.shell.scrolling import scrolling_column
from workbench.changes import Changes
from workbench.closed_loop import FollowUp
from workbench.model import QuarterId
from workbench.planning.dashboard import DashboardData, dashboard_charts
from workbench.planning.quarterly import PENDING, FollowUpPending, follow_up_or_none

from .chart_view import ChartView

COLUMNS = 3
PAINT_FIRST_MS = 50  # the drawn charts paint before follow-up is worked out


class KpiTile(QFrame):
    """A key figure: title, big value coloured by its status, one line of detail."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title, self.value, self.detail = QLabel(), QLabel(), QLabel()
        self.title.setObjectName("kpiTitle")
        self.value.setObjectName("kpiValue")
        self.detail.setObjectName("muted")
        self.title.setWordWrap(True)
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("font-size: 12px;")
        for label in (self.title, self.value, self.detail):
            label.setMinimumWidth(60)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        for label in (self.title, self.value, self.detail):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_kpi(self, title: str, value: str, detail: str, colour_role: str) -> None:
        self.title.setText(title.upper())
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {palette.colour(colour_role)};")
        self.detail.setText(detail)
        self.setToolTip(f"{title}: {value}\n{detail}")


class DashboardScreen(QWidget):
    """The Dashboard area for the context's workbook."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("DashboardScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_screen(self, by_window=context.window_styles_screens)
        self.data: DashboardData | None = None
        self.today: date | None = None  # None: the real date (tests pin it)
        self._follow_ups: dict[tuple[QuarterId, float], FollowUp | None] = {}
        self._pending: list[tuple[QuarterId, float]] = []
        self._follow_up_timer = QTimer(self)
        self._follow_up_timer.setSingleShot(True)
        self._follow_up_timer.timeout.connect(self._work_out_follow_up)
        self._undrawn: list[str] = []  # chart cards still to draw, in order
        self._cards_timer = QTimer(self)  # draws the next one, a turn of the loop later
        self._cards_timer.setSingleShot(True)
        self._cards_timer.timeout.connect(self._draw_next_card)
        self.presenter = Presenter(self, "Dashboard", self.presentation_slides, context)
        self._build()
        context.workbook_replaced.connect(self._workbook_replaced)
        self.held = HeldWhileHidden(self, context, changed=self._on_changed,
                                    figures_ready=self.redraw)
        self.reload()

    def _workbook_replaced(self) -> None:
        self._forget_follow_ups()
        self.reload()

    def _build(self) -> None:
        title = QLabel("Dashboard")
        title.setObjectName("screenTitle")
        self.quarter_combo = QComboBox()
        self.quarter_combo.setMinimumWidth(110)
        self.quarter_combo.currentIndexChanged.connect(self.redraw)
        caption = QLabel("Quarter")
        caption.setObjectName("muted")
        self.empty = QLabel()
        self.empty.setObjectName("banner")
        self.empty.hide()
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(16)
        header.addWidget(caption)
        header.addWidget(self.quarter_combo)
        header.addStretch(1)
        header.addWidget(self.presenter.button)
        self.kpi_row = QHBoxLayout()
        self.kpi_row.setSpacing(10)
        self.tiles: dict[str, KpiTile] = {}
        self.views: dict[str, ChartView] = {}
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        for column_index in range(COLUMNS):
            self.grid.setColumnStretch(column_index, 1)
        body, scroll = scrolling_column(self.kpi_row, self.grid)
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 14, 14)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)

    # -- data -----------------------------------------------------------------------------
    @property
    def quarter_id(self) -> QuarterId | None:
        data = self.quarter_combo.currentData()
        return None if data is None else QuarterId(data)

    def select_quarter(self, quarter_id: QuarterId) -> None:
        self.quarter_combo.setCurrentIndex(self.quarter_combo.findData(quarter_id))

    @property
    def cards_pending(self) -> bool:
        """Whether chart cards are still to be drawn with the data shown (see
        `_draw_next_card`)."""
        return self.data is not None and bool(self._undrawn)

    @property
    def follow_up_pending(self) -> bool:
        """Whether follow-up numbers are still being worked out."""
        return bool(self._pending)

    def _follow_up(self, quarter_id: QuarterId, hours: float) -> FollowUp | FollowUpPending | None:
        """MQL follow-up of a quarter from the cache, or PENDING while it is worked out."""
        key = (quarter_id, hours)
        if key in self._follow_ups:
            return self._follow_ups[key]
        if key not in self._pending:
            self._pending.append(key)  # worked out once the charts are drawn (see redraw)
        return PENDING

    def _work_out_follow_up(self) -> None:
        """Work out one pending quarter's follow-up (the selected quarter first); redraw
        once none is left."""
        workbook = self.context.workbook
        if workbook is None or not self._pending:
            self._pending.clear()
            return
        key = next((k for k in self._pending if k[0] == self.quarter_id), self._pending[0])
        self._pending.remove(key)
        self._follow_ups[key] = None  # stays "not derived" should the next line fail
        result = follow_up_or_none(workbook)(*key)
        self._follow_ups[key] = None if isinstance(result, FollowUpPending) else result
        if self._pending:
            self._follow_up_timer.start(0)
        else:
            self.redraw()

    def _forget_follow_ups(self) -> None:
        self._follow_ups.clear()
        self._pending.clear()
        self._follow_up_timer.stop()

    def reload(self) -> None:
        """Re-read the quarters (keeping the selected one) and redraw."""
        keep = self.quarter_id
        workbook = self.context.workbook
        quarters = workbook.plan.quarters() if workbook else []
        self.quarter_combo.blockSignals(True)
        self.quarter_combo.clear()
        for quarter in quarters:
            self.quarter_combo.addItem(quarter.label, quarter.id)
        index = self.quarter_combo.findData(keep) if keep is not None else -1
        self.quarter_combo.setCurrentIndex(index if index >= 0 else len(quarters) - 1)
        self.quarter_combo.blockSignals(False)
        self.redraw()

    def redraw(self) -> None:
        """Compute the selected quarter's chart data and draw it."""
        workbook, quarter_id = self.context.workbook, self.quarter_id
        if workbook is None or quarter_id is None:
            self.data = None
            self.empty.setText("Open a workbook to see its dashboard." if workbook is None
                               else "No quarters yet: add one on the Plan screen.")
            self.empty.show()
            for view in self.views.values():
                view.hide()
            for tile in self.tiles.values():
                tile.hide()
            return
        self.empty.hide()
        self.data = dashboard_charts(workbook, quarter_id, follow_ups=self._follow_up,
                                     today=self.today)
        self._draw(self.data)
        if self._pending and not self._follow_up_timer.isActive():
            self._follow_up_timer.start(PAINT_FIRST_MS)
        self.presenter.refresh()

    def presentation_slides(self) -> list[Slide]:
        """The quarter's key figures and charts for presentation mode (`ui.present`)."""
        return dashboard_slides(self.data, self.empty.text())

    def _draw(self, data: DashboardData) -> None:
        for index, kpi in enumerate(data.kpis):
            tile = self.tiles.get(kpi.key)
            if tile is None:
                tile = self.tiles[kpi.key] = KpiTile()
                self.kpi_row.insertWidget(index, tile, 1)
            tile.show_kpi(kpi.title, kpi.value, kpi.detail, kpi.status.colour)
            tile.show()
        self._undrawn = list(dict.fromkeys(chart.key for chart in data.charts))
        self._draw_next_card()

    def _draw_next_card(self) -> None:
        """Draw the first chart card not drawn yet with the data shown (making it the first
        time), and the next one a turn of the event loop later: a card takes a few tens of
        milliseconds to make and ten to draw, and six at once kept the window from
        painting for a quarter of a second."""
        data = self.data
        if data is None or not self._undrawn:
            self._undrawn = []
            return
        key = self._undrawn.pop(0)
        index, chart = next((i, c) for i, c in enumerate(data.charts) if c.key == key)
        view = self.views.get(key)
        if view is None:
            view = self.views[key] = ChartView()
            view.setMinimumHeight(330)
            view.setMaximumHeight(420)
            view.message.connect(self._status)
            self.grid.addWidget(view, index // COLUMNS, index % COLUMNS)
        view.show_chart(chart)
        view.show()
        if self._undrawn:
            self._cards_timer.start(0)

    def _status(self, text: str) -> None:
        self.context.status.emit(text, 4000)

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.data or changes.funnel:
            self._forget_follow_ups()
        if changes.plan or changes.data or changes.funnel or changes.properties:
            self.reload()
