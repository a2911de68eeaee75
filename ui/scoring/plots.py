"""The sandbox's two plots: the histogram of total scores with the MQL threshold as a line
to drag, and the fit × interest density with the quadrant lines to drag. Only the lines
move while dragging; the bars and the density are drawn once per scoring."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from reports import palette
from ui.plan import theme

pg.setConfigOptions(antialias=True, background=palette.PAPER, foreground=palette.MUTED)


def _style(plot: pg.PlotWidget, bottom: str, left: str) -> None:
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    for side, text in (("bottom", bottom), ("left", left)):
        axis = plot.getPlotItem().getAxis(side)
        axis.setTickFont(theme.font(8.5))
        axis.setTextPen(pg.mkPen(palette.MUTED))
        axis.setPen(pg.mkPen(palette.RULE))
        plot.getPlotItem().setLabel(side, text, color=palette.MUTED)


def _line(angle: int, colour: str, label: str) -> pg.InfiniteLine:
    # The label is centred on its place along the line: near the top of an upright line,
    # far enough from the right end of a level one that a long label is not cut off.
    line = pg.InfiniteLine(pos=0, angle=angle, movable=True,
                           pen=pg.mkPen(colour, width=3), hoverPen=pg.mkPen(colour, width=5),
                           label=label, labelOpts={"position": 0.92 if angle else 0.78,
                                                   "color": colour,
                                                   "fill": QColor(255, 255, 255, 220)})
    return line


class ScoreHistogram(pg.PlotWidget):
    """How many leads scored each total, and the MQL threshold line (drag it)."""

    moved = Signal(int)  # the threshold while dragging
    released = Signal(int)  # the threshold where the drag ended

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, enableMenu=False)  # no context menu to build
        _style(self, "total score (points)", "leads")
        self.bars = pg.BarGraphItem(x=[], height=[], width=1.0, brush=palette.RULE,
                                    pen=pg.mkPen(None))
        self.addItem(self.bars)
        self.shade = pg.LinearRegionItem(values=(0, 1), movable=False,
                                         brush=QColor(59, 76, 202, 28), pen=pg.mkPen(None))
        self.addItem(self.shade)
        self.line = _line(90, palette.ACCENT, "MQL ≥ {value:.0f}")
        self.addItem(self.line)
        self.line.sigPositionChanged.connect(self._dragging)
        self.line.sigPositionChangeFinished.connect(self._dropped)
        self.top = 1.0
        self._placing = False
        self.counts = np.zeros(0, dtype=np.int64)
        self.low = 0

    def show_counts(self, low: int, counts: np.ndarray) -> None:
        """Draw the bars (one per point of total score) from the leads counted per total
        score, from `low` up."""
        self.low, self.counts = low, counts
        xs = np.arange(len(self.counts)) + self.low
        self.bars.setOpts(x=xs, height=self.counts, width=1.0)
        self.top = float(xs[-1] + 1) if len(xs) else 1.0
        self.setXRange(min(self.low, 0) - 1, self.top + 1, padding=0.02)

    def set_threshold(self, threshold: int) -> None:
        """Put the line (and the shaded MQL side) at `threshold` without emitting."""
        self._placing = True
        try:
            self.line.setValue(threshold)  # its label follows
        finally:
            self._placing = False
        self.shade.setRegion((threshold - 0.5, max(self.top, threshold) + 0.5))

    def _dragging(self) -> None:
        if self._placing:
            return
        value = round(self.line.value())
        self.shade.setRegion((value - 0.5, max(self.top, value) + 0.5))
        self.moved.emit(value)

    def _dropped(self) -> None:
        value = max(round(self.line.value()), 0)
        self.set_threshold(value)
        self.released.emit(value)


class QuadrantDensity(pg.PlotWidget):
    """Leads by fit (across) and interest (up), darker where more of them are, with the fit
    and interest thresholds as lines to drag."""

    moved = Signal(str, int)  # ("fit_threshold" | "interest_threshold", value) while dragging
    released = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, enableMenu=False)  # no context menu to build
        _style(self, "fit (points)", "interest (points)")
        self._placing = False
        self.image = pg.ImageItem()
        self.image.setLookupTable(self._lookup())
        self.addItem(self.image)
        self.lines = {"fit_threshold": _line(90, palette.GOOD, "fit ≥ {value:.0f}"),
                      "interest_threshold": _line(0, palette.WARN, "interest ≥ {value:.0f}")}
        for line in self.lines.values():
            self.addItem(line)
            line.sigPositionChanged.connect(self._dragging)
            line.sigPositionChangeFinished.connect(self._dropped)

    @staticmethod
    def _lookup() -> np.ndarray:
        """White for no leads, then deeper accent blue for more."""
        steps = np.linspace(0, 1, 256)[:, None]
        paper, accent = np.array([255, 255, 255]), np.array([59, 76, 202])
        table = (paper + (accent - paper) * steps ** 0.5).astype(np.uint8)
        return table

    def show_scores(self, fit: np.ndarray, interest: np.ndarray) -> None:
        """Draw the density (one cell per point of fit and interest)."""
        if not len(fit):
            self.image.clear()
            return
        x0, y0 = int(fit.min()), int(interest.min())
        width, height = int(fit.max()) - x0 + 1, int(interest.max()) - y0 + 1
        cells = (fit - x0) * height + (interest - y0)
        self.show_grid(x0, y0, np.bincount(cells, minlength=width * height).reshape(width,
                                                                                   height))

    def show_grid(self, x0: int, y0: int, grid: np.ndarray) -> None:
        """Draw the density from the leads counted per cell (fit from `x0` across,
        interest from `y0` up)."""
        self.image.setImage(np.log1p(grid), autoLevels=True)
        self.image.setRect(x0 - 0.5, y0 - 0.5, grid.shape[0], grid.shape[1])
        self.setXRange(x0 - 1, x0 + grid.shape[0] + 1, padding=0.02)
        self.setYRange(y0 - 1, y0 + grid.shape[1] + 1, padding=0.02)

    def set_thresholds(self, fit: int, interest: int) -> None:
        self._placing = True
        try:
            for name, value in (("fit_threshold", fit), ("interest_threshold", interest)):
                self.lines[name].setValue(value)  # their labels follow
        finally:
            self._placing = False

    def _name(self, line: object) -> str:
        return next(name for name, item in self.lines.items() if item is line)

    def _dragging(self, line: pg.InfiniteLine) -> None:
        if self._placing:
            return
        self.moved.emit(self._name(line), round(line.value()))

    def _dropped(self, line: pg.InfiniteLine) -> None:
        value = max(round(line.value()), 0)
        self._placing = True
        try:
            line.setValue(value)
        finally:
            self._placing = False
        self.released.emit(self._name(line), value)
