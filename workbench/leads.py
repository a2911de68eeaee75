"""Lead-level records imported from CRM exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .workbook import Workbook


class Leads:
    """The leads of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM leads").fetchone()[0])

    def sources(self) -> list[str]:
        """Every source named by a lead or in the sources table, sorted."""
        rows = self._conn.execute(
            "SELECT name FROM sources UNION SELECT DISTINCT source FROM leads WHERE source <> '' "
            "ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]
