"""Every lead's place on the fit × interest grid, counted once per set of scores.

A lead's total is its fit plus its interest, so where it lands at any cut — its quadrant,
whether it is an MQL — depends only on its cell of the grid. The sandbox's figures at a
cut are therefore sums over a few thousand cells, not over every lead: dragging a
threshold at ten million leads costs what it costs at a hundred. The counts are exact
(the same integers a count lead by lead gives); `tests/workbench/test_score_grid.py`
compares the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Counts = npt.NDArray[np.int64]

# Beyond this many cells (fit values × interest values) the grid would take more memory
# than reading every lead costs time: figures are then counted lead by lead.
MOST_CELLS = 1 << 20
_DENSE_MONTHS = 1 << 22  # cells × months counted in one array up to this; sparse beyond


@dataclass(frozen=True)
class ScoreGrid:
    """Leads per cell: fit from `fit_low` (rows), interest from `interest_low` (columns);
    those that became customers and opportunities (None without an opportunity stage);
    and, per cell and creation month, how many leads: `month_cells` (flat cell index),
    `month_of` (month index) and `month_leads`, one entry per pair that has leads."""

    fit_low: int
    interest_low: int
    leads: Counts
    customers: Counts
    opportunities: Counts | None
    month_cells: Counts
    month_of: Counts
    month_leads: Counts

    @property
    def fit_values(self) -> Counts:
        return np.arange(self.leads.shape[0], dtype=np.int64) + self.fit_low

    @property
    def interest_values(self) -> Counts:
        return np.arange(self.leads.shape[1], dtype=np.int64) + self.interest_low


def grid_of(fit: Counts, interest: Counts, customer: npt.NDArray[np.bool_],
            opportunity: npt.NDArray[np.bool_] | None, month_index: npt.NDArray[np.int32],
            months: int) -> ScoreGrid | None:
    """The grid of these leads; None without leads or when it would be too big."""
    if not len(fit):
        return None
    fit_low, interest_low = int(fit.min()), int(interest.min())
    width, height = int(fit.max()) - fit_low + 1, int(interest.max()) - interest_low + 1
    size = width * height
    if size > MOST_CELLS:
        return None
    cells = (fit - fit_low) * height + (interest - interest_low)

    def per_cell(chosen: npt.NDArray[np.bool_] | None = None) -> Counts:
        picked = cells if chosen is None else cells[chosen]
        return np.bincount(picked, minlength=size).reshape(width, height)

    dated = month_index >= 0
    keys = cells[dated] * max(months, 1) + month_index[dated]
    if size * max(months, 1) <= _DENSE_MONTHS:
        counted = np.bincount(keys, minlength=size * max(months, 1))
        found = np.flatnonzero(counted)
        pairs, leads = found, counted[found]
    else:
        pairs, leads = np.unique(keys, return_counts=True)
    return ScoreGrid(fit_low, interest_low, per_cell(), per_cell(customer),
                     None if opportunity is None else per_cell(opportunity),
                     pairs // max(months, 1), pairs % max(months, 1), leads.astype(np.int64))
