"""Quarters and plan scenarios: revenue goal, deal size and stage conversions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .changes import Changes
from .errors import ValidationError
from .model import Plan, PlanId, Quarter, QuarterId, StageId

if TYPE_CHECKING:
    from .workbook import Workbook


def quarter_dates(label: str, fiscal_start_month: int = 1) -> tuple[str, str]:
    """Start (inclusive) and end (exclusive) dates of a fiscal quarter labelled "2026Q3".

    A fiscal year is named after the calendar year it starts in.
    """
    try:
        year, q = int(label[:4]), int(label[5:])
        if len(label) != 6 or label[4] != "Q" or not 1 <= q <= 4:
            raise ValueError
    except ValueError:
        raise ValidationError("quarter", f"“{label}” is not a quarter like 2026Q3.") from None
    month0 = fiscal_start_month - 1 + 3 * (q - 1)
    start = date(year + month0 // 12, month0 % 12 + 1, 1)
    month1 = month0 + 3
    end = date(year + month1 // 12, month1 % 12 + 1, 1)
    return start.isoformat(), end.isoformat()


class Planning:
    """Quarters and plan scenarios of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    def quarters(self) -> list[Quarter]:
        rows = self._conn.execute(
            "SELECT id, label, start_date, end_date FROM quarters ORDER BY start_date"
        ).fetchall()
        return [Quarter(QuarterId(r[0]), r[1], r[2], r[3]) for r in rows]

    def plans(self, quarter_id: QuarterId | None = None) -> list[Plan]:
        rows = self._conn.execute(
            "SELECT id, quarter_id, name, revenue_goal, avg_deal_size, committed FROM plans "
            "WHERE ? IS NULL OR quarter_id = ? ORDER BY quarter_id, id",
            (quarter_id, quarter_id),
        ).fetchall()
        return [Plan(PlanId(r[0]), QuarterId(r[1]), r[2], r[3], r[4], bool(r[5])) for r in rows]

    def conversions(self, plan_id: PlanId) -> dict[StageId, float]:
        return {
            StageId(r[0]): r[1]
            for r in self._conn.execute(
                "SELECT stage_id, conversion FROM plan_conversions WHERE plan_id = ?", (plan_id,)
            )
        }

    def add_quarter(self, label: str) -> tuple[Changes, QuarterId]:
        start, end = quarter_dates(label, self._wb.properties().fiscal_year_start_month)
        if any(q.label == label for q in self.quarters()):
            raise ValidationError("quarter", f"The quarter {label} already exists.")
        with self._wb.step("Add quarter") as rec:
            qid = self._wb.insert(rec, "quarters",
                                  {"label": label, "start_date": start, "end_date": end}, "quarter")
        return rec.changes, QuarterId(qid)

    def add_plan(
        self, quarter_id: QuarterId, name: str, *, revenue_goal: float | None = None,
        avg_deal_size: float | None = None, committed: bool = False,
    ) -> tuple[Changes, PlanId]:
        values = _plan_values(name=name, revenue_goal=revenue_goal, avg_deal_size=avg_deal_size)
        if any(p.name == values["name"] for p in self.plans(quarter_id)):
            raise ValidationError("name", f"A plan named “{values['name']}” already exists.")
        with self._wb.step("Add plan") as rec:
            if committed:
                self._conn.execute("UPDATE plans SET committed = 0 WHERE quarter_id = ?",
                                   (quarter_id,))
            pid = self._wb.insert(rec, "plans", {"quarter_id": quarter_id, **values,
                                                 "committed": int(committed)}, "plan")
        return rec.changes, PlanId(pid)

    def update_plan(self, plan_id: PlanId, **fields: Any) -> Changes:
        values = _plan_values(**fields)
        with self._wb.step("Edit plan") as rec:
            self._wb.update(rec, "plans", {"id": plan_id}, values, "plan")
        return rec.changes

    def set_conversion(self, plan_id: PlanId, stage_id: StageId, conversion: float) -> Changes:
        """Set a plan's conversion rate (0 < rate ≤ 1) from a stage to the next."""
        if not 0 < conversion <= 1:
            raise ValidationError("conversion", "A conversion rate must be above 0 % and at most 100 %.")
        with self._wb.step("Change plan conversion") as rec:
            self._conn.execute(
                "INSERT INTO plan_conversions (plan_id, stage_id, conversion) VALUES (?, ?, ?) "
                "ON CONFLICT (plan_id, stage_id) DO UPDATE SET conversion = excluded.conversion",
                (plan_id, stage_id, conversion),
            )
            rec.log("plan", plan_id, f"conversion:{stage_id}", None, conversion)
        return rec.changes

    def commit_plan(self, plan_id: PlanId) -> Changes:
        """Make this plan the committed one of its quarter."""
        quarter_id = self._conn.execute("SELECT quarter_id FROM plans WHERE id = ?",
                                        (plan_id,)).fetchone()[0]
        with self._wb.step("Commit plan") as rec:
            self._conn.execute("UPDATE plans SET committed = 0 WHERE quarter_id = ? AND id <> ?",
                               (quarter_id, plan_id))
            self._wb.update(rec, "plans", {"id": plan_id}, {"committed": 1}, "plan")
        return rec.changes


def _plan_values(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, value in fields.items():
        if field == "name":
            if not str(value).strip():
                raise ValidationError("name", "A plan needs a name.")
            values["name"] = str(value).strip()
        elif field in ("revenue_goal", "avg_deal_size"):
            if value is None:
                values[field] = None
                continue
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")) or number < 0:
                raise ValidationError(field, "Enter a positive amount.")
            if field == "avg_deal_size" and number == 0:
                raise ValidationError(field, "The average deal size cannot be 0.")
            values[field] = number
        else:
            raise ValidationError(field, f"{field} is not a plan field.")
    return values


def reverse_funnel(revenue_goal: float, avg_deal_size: float, conversions: list[float]) -> list[int]:
    """Volumes needed at each stage, top first, to reach the revenue goal.

    `conversions[i]` is the rate from stage i to stage i + 1; the last stage is customers.
    Customers = goal ÷ deal size; each stage above = the next ÷ its conversion, rounded up
    to whole leads at every stage (so 2,666.7 SALs become 2,667).
    """
    if avg_deal_size <= 0:
        raise ValidationError("avg_deal_size", "The average deal size must be above 0.")
    if any(not 0 < rate <= 1 for rate in conversions):
        raise ValidationError("conversion", "Every conversion rate must be above 0 % and at most 100 %.")
    volumes = [_ceil(revenue_goal / avg_deal_size)]
    for rate in reversed(conversions):
        volumes.append(_ceil(volumes[-1] / rate))
    return list(reversed(volumes))


def _ceil(value: float) -> int:
    """Round up, ignoring floating-point dust (3810.0000000004 is 3810)."""
    nearest = round(value)
    return int(nearest) if abs(value - nearest) < 1e-6 else int(value) + (value > int(value))
