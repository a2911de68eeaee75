"""Counting leads away from the window: SQLite counts ten million leads in about a tenth
of a second, and one source's share of them (a million and more index entries) in about as
long, so a screen that shows counts of a big workbook asks for them here. A `CountRequest`
carries what to count and when it was asked (`Workbook.write_moment`); a worker thread runs
it on a read-only connection of its own, and the counts it brings back are kept with the
leads (`Leads.keep_counts`) until the next write, for every screen that asks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .leads import LeadFilter


@dataclass(frozen=True)
class CountRequest:
    """Leads to count off the main thread: for each filter, the query that counts it."""

    path: Path
    queries: tuple[tuple[LeadFilter, str, tuple[Any, ...]], ...]  # filter, WHERE, params
    moment: tuple[int, int]  # the workbook's write moment when asked

    @property
    def filters(self) -> tuple[LeadFilter, ...]:
        return tuple(query[0] for query in self.queries)

    def count(self) -> dict[LeadFilter, int]:
        """Each filter's count (for a worker thread)."""
        from .storage import connect

        db = connect(self.path, read_only=True)
        try:
            return {lead_filter: int(db.conn.execute(
                        f"SELECT count(*) FROM leads l {where}", params).fetchone()[0])
                    for lead_filter, where, params in self.queries}
        finally:
            db.conn.close()
