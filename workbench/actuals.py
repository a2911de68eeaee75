"""Quarterly actuals: quarter × stage × source counts and values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .changes import Changes
from .errors import ValidationError
from .model import Actual, QuarterId, StageId

if TYPE_CHECKING:
    from .workbook import Workbook


class Actuals:
    """Quarterly actuals of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    def for_quarter(self, quarter_id: QuarterId) -> list[Actual]:
        rows = self._conn.execute(
            "SELECT a.quarter_id, a.stage_id, a.source, a.count, a.value FROM actuals a "
            "JOIN stages s ON s.id = a.stage_id WHERE a.quarter_id = ? "
            "ORDER BY s.position, a.source",
            (quarter_id,),
        ).fetchall()
        return [Actual(QuarterId(r[0]), StageId(r[1]), r[2], r[3], r[4]) for r in rows]

    def totals(self, quarter_id: QuarterId) -> dict[StageId, int]:
        """Count per stage for a quarter, all sources together."""
        return {
            StageId(r[0]): int(r[1])
            for r in self._conn.execute(
                "SELECT stage_id, sum(count) FROM actuals WHERE quarter_id = ? GROUP BY stage_id",
                (quarter_id,),
            )
        }

    def set_actual(
        self, quarter_id: QuarterId, stage_id: StageId, source: str, count: int,
        value: float | None = None,
    ) -> Changes:
        """Set one cell of the actuals table, entered by hand (value None: not known)."""
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValidationError("count", "A count must be a whole number.")
        if count < 0:
            raise ValidationError("count", "A count cannot be negative.")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not 0 <= value < float("inf")):
            raise ValidationError("value", "A value must be a positive amount.")
        value = None if value is None else float(value)
        for table, row_id, what in (("quarters", quarter_id, "quarter"),
                                    ("stages", stage_id, "stage")):
            if not self._conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone():
                raise ValidationError(what, f"That {what} no longer exists.")
        source = source.strip()
        old = self._conn.execute(
            "SELECT count, value FROM actuals WHERE quarter_id = ? AND stage_id = ? AND source = ?",
            (quarter_id, stage_id, source),
        ).fetchone()
        if old is not None and tuple(old) == (count, value):
            return Changes(step="Edit actuals")  # nothing to change, so no undo step
        with self._wb.step("Edit actuals") as rec:
            self._conn.execute(
                "INSERT INTO actuals (quarter_id, stage_id, source, count, value) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (quarter_id, stage_id, source) "
                "DO UPDATE SET count = excluded.count, value = excluded.value",
                (quarter_id, stage_id, source, count, value),
            )
            rec.log("actuals", f"{quarter_id}/{stage_id}/{source}", "count",
                    old[0] if old else None, count)
        return rec.changes
