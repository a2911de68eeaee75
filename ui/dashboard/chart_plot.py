"""`ChartPlot`: a pyqtgraph plot that shows one chart-data object and tells its exact
values on hover. Its graphics items are made once per chart shape and then updated in
place, because creating pyqtgraph items costs far more than changing their data."""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip, QWidget

from reports import palette
from ui.plan import theme
from workbench.chartdata import BarChart, Chart, LineChart

from .plotting import CategoryAxis, ValueAxis, bar_geometry, dashed, hover_text, set_bars, set_range


class ChartPlot(pg.PlotWidget):
    """A plot for one chart at a time; `chart` is what it shows, `hover` the last tip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.category_axes = {"bottom": CategoryAxis("bottom"), "left": CategoryAxis("left")}
        self.value_axes = {"bottom": ValueAxis("bottom"), "left": ValueAxis("left")}
        super().__init__(parent, axisItems={"bottom": self.category_axes["bottom"],
                                            "left": self.value_axes["left"]},
                         enableMenu=False)  # no context menu: a tenth of the plot's making
        self.chart: Chart | None = None
        self.hover: str | None = None
        self._horizontal = False
        self._log_y = False
        self._shape: tuple[object, ...] = ()
        self._items: list[pg.GraphicsObject] = []
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        for axis in (*self.category_axes.values(), *self.value_axes.values()):
            axis.setTickFont(theme.font(8.5))
            axis.setTextPen(pg.mkPen(palette.MUTED))
            axis.setPen(pg.mkPen(palette.RULE))
        self.reference = pg.InfiniteLine(pos=0, angle=0, movable=False)
        self.region = self._new_region("vertical")
        self.getPlotItem().addItem(self.reference)
        self.scene().sigMouseMoved.connect(self._hovered)

    def show_chart(self, chart: Chart) -> None:
        """Show `chart`, reusing the graphics items of the chart shown before."""
        self.chart = chart
        horizontal = isinstance(chart, BarChart) and chart.horizontal
        self._orient(horizontal)
        names = chart.categories if isinstance(chart, BarChart) else chart.x_labels
        self.category_axes["left" if horizontal else "bottom"].set_names(names)
        log_y = isinstance(chart, LineChart) and chart.log_y
        if log_y != self._log_y:
            self._log_y = log_y
            self.getPlotItem().setLogMode(x=False, y=log_y)
        value_axis = self.value_axes["bottom" if horizontal else "left"]
        if value_axis.labelText != chart.value_axis:
            value_axis.setLabel(chart.value_axis, color=palette.MUTED, **{"font-size": "8pt"})
        self._show_extras(chart, horizontal, len(names))
        if isinstance(chart, BarChart):
            self._show_bars(chart)
        else:
            self._show_lines(chart)
        set_range(self.getPlotItem(), chart, len(names), horizontal, log_y)

    def _orient(self, horizontal: bool) -> None:
        if horizontal == self._horizontal:
            return
        self._horizontal = horizontal
        if horizontal:
            axes = {"left": self.category_axes["left"], "bottom": self.value_axes["bottom"]}
        else:
            axes = {"left": self.value_axes["left"], "bottom": self.category_axes["bottom"]}
        self.getPlotItem().setAxisItems(axes)
        self.getPlotItem().getViewBox().invertY(horizontal)
        self.getPlotItem().removeItem(self.region)
        self.region = self._new_region("horizontal" if horizontal else "vertical")

    def _new_region(self, orientation: str) -> pg.LinearRegionItem:
        """The band behind the selected category (its orientation is fixed when made)."""
        region = pg.LinearRegionItem(values=(0, 1), orientation=orientation, movable=False,
                                     brush=pg.mkBrush(theme.ACCENT_SOFT), pen=pg.mkPen(None))
        region.setZValue(-10)
        self.getPlotItem().addItem(region)
        return region

    def _items_for(self, shape: tuple[object, ...], count: int,
                   make: Callable[[], pg.GraphicsObject]) -> list[pg.GraphicsObject]:
        """The data items for a chart of this shape, made anew only when the shape changes."""
        if shape != self._shape:
            plot = self.getPlotItem()
            for item in self._items:
                plot.removeItem(item)
            self._items = [make() for _ in range(count)]
            for item in self._items:
                plot.addItem(item)
            self._shape = shape
        return self._items

    def _show_bars(self, chart: BarChart) -> None:
        items = self._items_for(("bar", chart.horizontal, len(chart.series)), len(chart.series),
                                lambda: pg.BarGraphItem(x=[], height=[], width=0.5))
        for item, series, geometry in zip(items, chart.series, bar_geometry(chart),
                                          strict=True):
            item.setVisible(bool(geometry[0]))
            if geometry[0]:
                set_bars(item, chart, theme.colour(series.colour), geometry)

    def _show_lines(self, chart: LineChart) -> None:
        items = self._items_for(("line", len(chart.series)), len(chart.series), pg.PlotDataItem)
        for item, series in zip(items, chart.series, strict=True):
            colour = theme.colour(series.colour)
            xs = [i for i, v in enumerate(series.values) if v is not None]
            ys = [v for v in series.values if v is not None]
            item.setData(xs, ys, pen=pg.mkPen(colour, width=2.2), symbol="o", symbolSize=7,
                         symbolBrush=colour, symbolPen=pg.mkPen(palette.PAPER, width=1))

    def _show_extras(self, chart: Chart, horizontal: bool, count: int) -> None:
        """The dashed reference line (named in the legend, not on the line, where a label
        would be clipped at the edge) and the band behind the selected position."""
        if chart.reference is None:
            self.reference.hide()
        else:
            value = chart.reference.value
            if isinstance(chart, LineChart) and chart.log_y:
                value = math.log10(value) if value > 0 else 0
            self.reference.setAngle(90 if horizontal else 0)
            self.reference.setPen(dashed(chart.reference.colour))
            self.reference.setValue(value)
            self.reference.show()
        if chart.highlight is None or count < 2:  # one position: nothing to single out
            self.region.hide()
        else:
            self.region.setRegion((chart.highlight - 0.5, chart.highlight + 0.5))
            self.region.show()

    def text_at(self, scene_pos: QPointF) -> str | None:
        """The hover text for a point in scene coordinates, or None outside the data."""
        item = self.getPlotItem()
        if self.chart is None or not item.vb.sceneBoundingRect().contains(scene_pos):
            return None
        point = item.vb.mapSceneToView(scene_pos)
        index = round(point.y() if self._horizontal else point.x())
        return hover_text(self.chart, index)

    def _hovered(self, scene_pos: QPointF) -> None:
        text = self.text_at(scene_pos)
        self.hover = text
        if text:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()
