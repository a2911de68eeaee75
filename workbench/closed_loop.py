"""Closed-loop numbers derived from imported leads, per quarter and per source.

Interface (filled in by the Data work; the dashboard codes against it):
`follow_up(workbook, quarter_id, within_hours, source=None)` → `FollowUp`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import QuarterId

if TYPE_CHECKING:
    from .workbook import Workbook


@dataclass(frozen=True)
class FollowUp:
    """MQL follow-up in one quarter: MQLs, how many were touched, how many within the
    agreed hours, and the median hours from MQL to first touch (None with no touches)."""

    mqls: int
    touched: int
    within: int
    median_hours: float | None

    @property
    def share_within(self) -> float | None:
        return self.within / self.mqls if self.mqls else None


def follow_up(
    workbook: Workbook, quarter_id: QuarterId, within_hours: float, source: str | None = None
) -> FollowUp:
    """MQL → first-touch follow-up for MQLs reached in the quarter."""
    raise NotImplementedError
