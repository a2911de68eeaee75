"""`Sandbox`: the model's cut on the real leads. Drag the MQL threshold on the histogram,
or the fit and interest lines on the density, and the MQLs a month, what those MQLs
historically became and the sales capacity they need follow as the line moves; the drop
saves the threshold (one undo step). Below: conversion by score band, and every lead with
its model score beside its CRM score, its quadrant, and why."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.shell.blocks import card, note
from workbench.lead_scores import ModelScores
from workbench.model import Quadrant, QuadrantRule, SalesCapacity, ScoringSettings
from workbench.score_figures import CutFigures, Share, conversion_by_band, cut_figures

from .lead_table import LeadTable
from .plots import QuadrantDensity, ScoreHistogram
from .tables import fill_table, read_only_table

DASH = "—"


def percent(share: Share) -> str:
    return f"{share.rate:.1%}" if share.rate is not None else DASH


class Figure(QWidget):
    """A figure's title, value and (when it is "—") the reason."""

    def __init__(self, title: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        heading = QLabel(title.upper())
        heading.setObjectName("kpiTitle")
        self.value = QLabel(DASH)
        self.value.setObjectName("kpiValue")
        self.detail = note("")
        layout.addWidget(heading)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show(self, value: str, detail: str = "") -> None:  # type: ignore[override]
        self.value.setText(value)
        self.detail.setText(detail)


class Sandbox(QWidget):
    """Shows one model's scores; `threshold_saved(name, value)` when a line is dropped."""

    threshold_saved = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scores: ModelScores | None = None
        self.settings = ScoringSettings(0, 0, 0)
        self.quadrants: dict[Quadrant, QuadrantRule] = {}
        self.capacity = SalesCapacity(None, None)
        self.figures: CutFigures | None = None
        # The two plots (a tenth of a second to make) are made when first shown or drawn,
        # not with the Scoring screen, which opens on its rules.
        self._plots: tuple[ScoreHistogram, QuadrantDensity] | None = None
        self._histogram_place, self._density_place = _place(), _place()
        self.mqls = Figure("MQLs a month")
        self.opportunities = Figure("Became opportunities")
        self.customers = Figure("Became customers")
        self.load = Figure("Sales capacity")
        self.quadrant_counts = QLabel()
        self.quadrant_counts.setObjectName("muted")
        self.quadrant_counts.setWordWrap(True)
        self.bands = read_only_table(["Points", "Leads", "→ Opp.", "→ Cust."], stretch=True)
        self.leads = LeadTable()
        # The tables below the plots are filled a turn of the event loop after the plots
        # and figures, so the window paints between (each half a twentieth of a second at
        # a million leads).
        self._tables_timer = QTimer(self, singleShot=True, interval=0)
        self._tables_timer.timeout.connect(self._fill_tables)
        self._build()

    def _build(self) -> None:
        figures = QGridLayout()
        for column, figure in enumerate((self.mqls, self.opportunities, self.customers,
                                         self.load)):
            figures.addWidget(figure, 0, column)
        plots = QHBoxLayout()
        plots.addWidget(card("Total scores — drag the MQL threshold", self._histogram_place,
                             stretch=self._histogram_place), 3)
        plots.addWidget(card("Fit × interest — drag the quadrant lines", self._density_place,
                             self.quadrant_counts, stretch=self._density_place), 2)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(figures)
        top_layout.addLayout(plots, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(card("Conversion by score band", self.bands, stretch=self.bands))
        bottom.addWidget(card("Leads, best score first", self.leads, stretch=self.leads))
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 6)
        bottom.setSizes([380, 1000])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(split)

    @property
    def histogram(self) -> ScoreHistogram:
        return self._made_plots()[0]

    @property
    def density(self) -> QuadrantDensity:
        return self._made_plots()[1]

    def _made_plots(self) -> tuple[ScoreHistogram, QuadrantDensity]:
        if self._plots is None:
            histogram, density = ScoreHistogram(), QuadrantDensity()
            histogram.moved.connect(self._mql_moved)
            histogram.released.connect(self._mql_dropped)
            density.moved.connect(self._quadrant_moved)
            density.released.connect(self.threshold_saved)
            for place, plot in ((self._histogram_place, histogram),
                                (self._density_place, density)):
                layout = place.layout()
                assert layout is not None  # made by _place
                layout.addWidget(plot)
            self._plots = (histogram, density)
        return self._plots

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        self._made_plots()
        super().showEvent(event)

    # -- drawing --------------------------------------------------------------------------
    def show_scores(self, scores: ModelScores, settings: ScoringSettings,
                    quadrants: dict[Quadrant, QuadrantRule], capacity: SalesCapacity) -> None:
        """Draw everything for a model (after a rule or a lead changed)."""
        self.scores, self.quadrants, self.capacity = scores, quadrants, capacity
        by_total, grid = scores.by_total, scores.grid  # counted once, on a worker if big
        self.histogram.show_counts(by_total.low, by_total.leads)
        if grid is None:
            self.density.show_scores(scores.fit, scores.interest)
        else:
            self.density.show_grid(grid.fit_low, grid.interest_low, grid.leads)
        self.show_cut(settings)
        self._tables_timer.start()

    @property
    def filling_tables(self) -> bool:
        """Whether the band and lead tables are still to be filled for the scores shown."""
        return self._tables_timer.isActive()

    def _fill_tables(self) -> None:
        scores = self.scores
        if scores is None:
            return
        fill_table(self.bands, [
            (f"{b.low} to {b.high - 1}", f"{b.leads:,}",
             DASH if b.opportunity_rate is None else f"{b.opportunity_rate:.1%}",
             DASH if b.customer_rate is None else f"{b.customer_rate:.1%}")
            for b in reversed(conversion_by_band(scores))])
        self.leads.show_scores(scores, self.settings, self.quadrants)

    def show_pending(self, what: str) -> None:
        """While the leads are scored elsewhere: every figure "—" with what is happening."""
        self.scores, self.figures = None, None
        for tile in (self.mqls, self.opportunities, self.customers, self.load):
            tile.show(DASH, what)
        self.quadrant_counts.setText(what)

    def show_cut(self, settings: ScoringSettings) -> None:
        """Move the lines to `settings` and show what that cut means (only the cut moves)."""
        self.settings = settings
        self.histogram.set_threshold(settings.mql_threshold)
        self.density.set_thresholds(settings.fit_threshold, settings.interest_threshold)
        if self.scores is None:
            return
        figures = cut_figures(self.scores, settings, self.quadrants, self.capacity)
        self.figures = figures
        if figures.mqls_per_month is None:
            self.mqls.show(DASH, "no leads to count")
        else:
            self.mqls.show(f"{figures.mqls_per_month:,.1f}",
                           f"{figures.mqls:,} MQLs over {len(figures.months)} months")
        self.opportunities.show(percent(figures.became_opportunity),
                                figures.became_opportunity.reason or "of these MQLs")
        self.customers.show(percent(figures.became_customer),
                            figures.became_customer.reason or "of these MQLs")
        if figures.hours_needed is None or figures.capacity_per_month is None:
            self.load.show(DASH, figures.capacity_reason)
        else:
            over = figures.mqls_per_month and figures.mqls_per_month > figures.capacity_per_month
            self.load.show(f"{figures.hours_needed:,.0f} h a month",
                           f"{'over' if over else 'within'} the reps' "
                           f"{self.capacity.rep_hours_per_month:,.0f} h "
                           f"({figures.capacity_per_month:,.1f} MQLs a month)")
        from workbench.scoring import QUADRANT_NAMES

        self.quadrant_counts.setText(" · ".join(
            f"{QUADRANT_NAMES[q]}: {n:,}" for q, n in figures.quadrants.items()))

    # -- dragging -------------------------------------------------------------------------
    def _mql_moved(self, value: int) -> None:
        self._live(replace(self.settings, mql_threshold=max(value, 0)))

    def _quadrant_moved(self, name: str, value: int) -> None:
        self._live(replace(self.settings, **{name: max(value, 0)}))

    def _live(self, settings: ScoringSettings) -> None:
        self.show_cut(settings)

    def _mql_dropped(self, value: int) -> None:
        self.threshold_saved.emit("mql_threshold", value)


def _place() -> QWidget:
    """Where a plot goes once made: its room kept meanwhile."""
    place = QWidget()
    place.setMinimumHeight(150)
    layout = QVBoxLayout(place)
    layout.setContentsMargins(0, 0, 0, 0)
    return place
