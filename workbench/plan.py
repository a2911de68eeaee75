"""Quarters and plan scenarios: revenue goal, deal size, stage conversions, source mix.

The calculations live in `workbench.planning`; the ones other areas use (the reverse
funnel and the committed MQL commitment for the SLA) are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .changes import Changes
from .errors import ValidationError
from .figure_text import format_percent
from .model import Plan, PlanId, Quarter, QuarterId, StageId, YearlyGoal
from .planning.inputs import (
    GOAL,
    check_conversion,
    check_deal_size,
    check_goal,
    check_share,
)
from .planning.inputs import conversion_field as conversion_field
from .planning.reverse import ceil_whole
from .planning.reverse import committed_mql_commitment as committed_mql_commitment
from .planning.reverse import funnel_for_plan as funnel_for_plan
from .planning.reverse import mql_stage as mql_stage
from .planning.reverse import plan_funnel as plan_funnel

if TYPE_CHECKING:
    from .workbook import StepRecorder, Workbook


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

    # -- reading --------------------------------------------------------------------------
    def quarters(self) -> list[Quarter]:
        rows = self._conn.execute(
            "SELECT id, label, start_date, end_date FROM quarters ORDER BY start_date"
        ).fetchall()
        return [Quarter(QuarterId(r[0]), r[1], r[2], r[3]) for r in rows]

    def quarter(self, quarter_id: QuarterId) -> Quarter:
        row = self._conn.execute(
            "SELECT id, label, start_date, end_date FROM quarters WHERE id = ?", (quarter_id,)
        ).fetchone()
        if row is None:
            raise ValidationError("quarter", "That quarter no longer exists.")
        return Quarter(QuarterId(row[0]), row[1], row[2], row[3])

    def plans(self, quarter_id: QuarterId | None = None) -> list[Plan]:
        rows = self._conn.execute(
            f"SELECT {_PLAN_COLUMNS} FROM plans "
            "WHERE ? IS NULL OR quarter_id = ? ORDER BY quarter_id, id",
            (quarter_id, quarter_id),
        ).fetchall()
        return [_plan(r) for r in rows]

    def plan(self, plan_id: PlanId) -> Plan:
        row = self._conn.execute(f"SELECT {_PLAN_COLUMNS} FROM plans WHERE id = ?",
                                 (plan_id,)).fetchone()
        if row is None:
            raise ValidationError("plan", "That plan no longer exists.")
        return _plan(row)

    def committed_plan(self, quarter_id: QuarterId) -> Plan | None:
        """The plan the quarter is committed to, or None."""
        row = self._conn.execute(
            f"SELECT {_PLAN_COLUMNS} FROM plans WHERE quarter_id = ? AND committed = 1",
            (quarter_id,),
        ).fetchone()
        return None if row is None else _plan(row)

    def conversions(self, plan_id: PlanId) -> dict[StageId, float]:
        """The plan's conversion rates, keyed by the stage they lead out of."""
        return {
            StageId(r[0]): r[1]
            for r in self._conn.execute(
                "SELECT stage_id, conversion FROM plan_conversions WHERE plan_id = ?", (plan_id,)
            )
        }

    def source_mix(self, plan_id: PlanId) -> dict[str, float]:
        """The plan's share of volume per source (empty: no split by source)."""
        return {
            r[0]: r[1]
            for r in self._conn.execute(
                "SELECT source, share FROM plan_source_mix WHERE plan_id = ? ORDER BY share DESC, "
                "source", (plan_id,)
            )
        }

    def suggested_conversions(self, quarter_id: QuarterId) -> dict[StageId, float]:
        """Rates a new plan starts from: the latest earlier committed plan's, else the
        stages' target conversions."""
        row = self._conn.execute(
            "SELECT p.id FROM plans p JOIN quarters q ON q.id = p.quarter_id "
            "WHERE p.committed = 1 AND q.start_date < (SELECT start_date FROM quarters "
            "WHERE id = ?) ORDER BY q.start_date DESC LIMIT 1", (quarter_id,)
        ).fetchone()
        if row is not None:
            return self.conversions(PlanId(row[0]))
        stages = self._wb.funnel.stages()
        return {s.id: s.target_conversion for s in stages[:-1]
                if s.target_conversion is not None and 0 < s.target_conversion <= 1}

    # -- changing -------------------------------------------------------------------------
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
        conversions: Mapping[StageId, float] | None = None,
    ) -> tuple[Changes, PlanId]:
        """Add a plan scenario to a quarter, optionally with its conversion rates."""
        self.quarter(quarter_id)
        values = _plan_values(name=name, revenue_goal=revenue_goal, avg_deal_size=avg_deal_size)
        self._check_name_free(quarter_id, values["name"])
        rates = self._checked_conversions(conversions or {})
        with self._wb.step("Add plan") as rec:
            if committed:
                self._conn.execute("UPDATE plans SET committed = 0 WHERE quarter_id = ?",
                                   (quarter_id,))
            pid = PlanId(self._wb.insert(rec, "plans", {"quarter_id": quarter_id, **values,
                                                        "committed": int(committed)}, "plan"))
            self._write_conversions(rec, pid, rates)
        return rec.changes, pid

    def update_plan(self, plan_id: PlanId, **fields: Any) -> Changes:
        """Change a plan's name, revenue goal or average deal size."""
        plan = self.plan(plan_id)
        values = _plan_values(**fields)
        if "name" in values and values["name"] != plan.name:
            self._check_name_free(plan.quarter_id, values["name"])
        with self._wb.step(_edit_step_name(values)) as rec:
            self._wb.update(rec, "plans", {"id": plan_id}, values, "plan")
        return rec.changes

    def set_conversion(self, plan_id: PlanId, stage_id: StageId, conversion: float) -> Changes:
        """Set a plan's conversion rate (0 < rate ≤ 1) from a stage to the next."""
        self.plan(plan_id)
        rates = self._checked_conversions({stage_id: conversion})
        with self._wb.step("Change plan conversion") as rec:
            self._write_conversions(rec, plan_id, rates)
        return rec.changes

    def set_inputs(
        self, plan_id: PlanId, *, avg_deal_size: float | None = None,
        conversions: Mapping[StageId, float] | None = None, step: str = "Edit plan inputs",
    ) -> Changes:
        """Set the deal size and several conversion rates at once, as one undo step (used
        when deriving them from actuals)."""
        self.plan(plan_id)
        values = {} if avg_deal_size is None else _plan_values(avg_deal_size=avg_deal_size)
        rates = self._checked_conversions(conversions or {})
        with self._wb.step(step) as rec:
            if values:
                self._wb.update(rec, "plans", {"id": plan_id}, values, "plan")
            self._write_conversions(rec, plan_id, rates)
        return rec.changes

    def copy_plan(self, plan_id: PlanId, name: str) -> tuple[Changes, PlanId]:
        """Copy a plan as a new, uncommitted scenario of the same quarter: its inputs,
        conversion rates and source mix, in one undo step."""
        plan = self.plan(plan_id)
        values = _plan_values(name=name)
        self._check_name_free(plan.quarter_id, values["name"])
        with self._wb.step("Copy plan") as rec:
            new_id = PlanId(self._wb.insert(rec, "plans", {
                "quarter_id": plan.quarter_id, "name": values["name"],
                "revenue_goal": plan.revenue_goal, "avg_deal_size": plan.avg_deal_size,
                "committed": 0}, "plan"))
            for table, columns in (("plan_conversions", "stage_id, conversion"),
                                   ("plan_source_mix", "source, share")):
                self._conn.execute(
                    f"INSERT INTO {table} (plan_id, {columns}) "
                    f"SELECT ?, {columns} FROM {table} WHERE plan_id = ?", (new_id, plan_id))
            rec.log("plan", new_id, "copied_from", None, plan.name)
        return rec.changes, new_id

    def delete_plan(self, plan_id: PlanId) -> Changes:
        """Delete a scenario with its conversion rates and source mix."""
        plan = self.plan(plan_id)
        with self._wb.step("Delete plan") as rec:
            for table in ("plan_conversions", "plan_source_mix"):
                self._conn.execute(f"DELETE FROM {table} WHERE plan_id = ?", (plan_id,))
            self._wb.delete(rec, "plans", {"id": plan_id}, "plan", plan.name)
        return rec.changes

    def set_source_mix(self, plan_id: PlanId, mix: Mapping[str, float]) -> Changes:
        """Replace the plan's source mix: shares from 0 to 1 that add up to 100 % (an
        empty mix removes the split by source)."""
        self.plan(plan_id)
        shares = {}
        for source, share in mix.items():
            if not str(source).strip():
                raise ValidationError("source_mix", "Every share needs a source name.")
            shares[str(source).strip()] = check_share(str(source).strip(), share)
        total = sum(shares.values())
        if shares and abs(total - 1) > 0.0005:
            raise ValidationError("source_mix", f"The shares add up to {format_percent(total)}; "
                                                "they must add up to 100 %.")
        with self._wb.step("Change source mix") as rec:
            self._conn.execute("DELETE FROM plan_source_mix WHERE plan_id = ?", (plan_id,))
            self._conn.executemany(
                "INSERT INTO plan_source_mix (plan_id, source, share) VALUES (?, ?, ?)",
                [(plan_id, source, share) for source, share in shares.items()])
            rec.log("plan", plan_id, "source_mix", None,
                    ", ".join(f"{s} {format_percent(v)}" for s, v in shares.items()))
        return rec.changes

    def commit_plan(self, plan_id: PlanId) -> Changes:
        """Make this plan the committed one of its quarter."""
        plan = self.plan(plan_id)
        with self._wb.step("Commit plan") as rec:
            # Only the committed one: an undo step that changes nothing must not be made.
            self._conn.execute("UPDATE plans SET committed = 0 WHERE quarter_id = ? AND id <> ? "
                               "AND committed", (plan.quarter_id, plan_id))
            self._wb.update(rec, "plans", {"id": plan_id}, {"committed": 1}, "plan")
        return rec.changes

    # -- the quick method for a year -----------------------------------------------------
    def yearly_goal(self, year: int) -> YearlyGoal:
        """The quick plan's inputs for fiscal `year` (nothing entered yet: all None)."""
        row = self._conn.execute(
            f"SELECT {_YEARLY_COLUMNS} FROM yearly_goals WHERE year = ?", (year,)).fetchone()
        if row is None:
            return YearlyGoal(year)
        return YearlyGoal(row[0], row[1], row[2], row[3], row[4], tuple(row[5:9]))

    def set_yearly_goal(self, year: int, **fields: Any) -> Changes:
        """Set some of a year's quick-plan inputs (None clears one): revenue_goal,
        last_year_revenue, last_year_customers, last_year_leads, or shares (four
        fractions, one per quarter, adding up to 100 %)."""
        values = _yearly_values(year, fields)
        with self._wb.step("Edit the year's quick plan") as rec:
            if self._conn.execute("SELECT 1 FROM yearly_goals WHERE year = ?",
                                  (year,)).fetchone() is None:
                self._wb.insert(rec, "yearly_goals", {"year": year, **values}, "plan")
            else:
                self._wb.update(rec, "yearly_goals", {"year": year}, values, "plan")
        return rec.changes

    def yearly_split(self, year: int) -> list[tuple[str, Plan | None, float]]:
        """Each quarter of `year` (its label), its committed plan (None without one) and
        the revenue goal its share of the year's goal gives it; refused without a goal."""
        goal = self.yearly_goal(year)
        if goal.revenue_goal is None:
            raise ValidationError(GOAL, f"Enter the revenue goal for {year} first.")
        quarters = {q.label: q for q in self.quarters()}
        split = []
        for index, share in enumerate(goal.shares):
            label = f"{year}Q{index + 1}"
            quarter = quarters.get(label)
            plan = self.committed_plan(quarter.id) if quarter is not None else None
            split.append((label, plan, goal.revenue_goal * share))
        return split

    def apply_yearly_goal(self, year: int) -> Changes:
        """Give the committed plan of each of the year's quarters its share of the year's
        revenue goal, as one undo step. Refused (nothing changed) without a goal, or when
        a quarter of the year has no committed plan."""
        targets = []
        for label, plan, revenue in self.yearly_split(year):
            if plan is None:
                raise ValidationError("quarter", f"{label} has no committed plan to take its "
                                      "share of the goal: add the quarter and commit a plan.")
            targets.append((plan, revenue))
        with self._wb.step(f"Split the {year} goal into quarters") as rec:
            for plan, revenue in targets:
                self._wb.update(rec, "plans", {"id": plan.id}, {"revenue_goal": revenue},
                                "plan")
        return rec.changes

    # -- helpers --------------------------------------------------------------------------
    def _check_name_free(self, quarter_id: QuarterId, name: str) -> None:
        if any(p.name == name for p in self.plans(quarter_id)):
            raise ValidationError("name", f"A plan named “{name}” already exists.")

    def _checked_conversions(self, conversions: Mapping[StageId, float]) -> dict[StageId, float]:
        """Check rates before anything is written: known stages, not the last, 0 < r ≤ 1."""
        stages = self._wb.funnel.stages()
        names = {s.id: (s.name, stages[i + 1].name if i + 1 < len(stages) else None)
                 for i, s in enumerate(stages)}
        rates = {}
        for stage_id, rate in conversions.items():
            if stage_id not in names:
                raise ValidationError("conversion", "That stage no longer exists.")
            upper, lower = names[stage_id]
            if lower is None:
                raise ValidationError("conversion", f"{upper} is the last stage: it has no "
                                                    "conversion to a next stage.")
            rates[stage_id] = check_conversion(rate, conversion_field(stage_id),
                                               f"from {upper} to {lower}")
        return rates

    def _write_conversions(self, rec: StepRecorder, plan_id: PlanId,
                           rates: Mapping[StageId, float]) -> None:
        old = self.conversions(plan_id)
        for stage_id, rate in rates.items():
            if old.get(stage_id) == rate:
                continue
            self._conn.execute(
                "INSERT INTO plan_conversions (plan_id, stage_id, conversion) VALUES (?, ?, ?) "
                "ON CONFLICT (plan_id, stage_id) DO UPDATE SET conversion = excluded.conversion",
                (plan_id, stage_id, rate),
            )
            rec.log("plan", plan_id, f"conversion:{stage_id}", old.get(stage_id), rate)


_PLAN_COLUMNS = "id, quarter_id, name, revenue_goal, avg_deal_size, committed"
_YEARLY_COLUMNS = ("year, revenue_goal, last_year_revenue, last_year_customers, "
                   "last_year_leads, q1_share, q2_share, q3_share, q4_share")
_YEARLY_AMOUNTS = {"revenue_goal": "The year's revenue goal",
                   "last_year_revenue": "Last year's revenue"}
_YEARLY_COUNTS = {"last_year_customers": "Last year's customers",
                  "last_year_leads": "Last year's leads"}


def _yearly_values(year: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The stored form of quick-plan inputs, each checked; `ValidationError` names the
    first that cannot be used."""
    if not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValidationError("year", f"“{year}” is not a year like 2027.")
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _YEARLY_AMOUNTS:
            if value is None:
                values[name] = None
            elif name == "revenue_goal":
                values[name] = check_goal(value)
            else:
                values[name] = _amount(name, value)
        elif name in _YEARLY_COUNTS:
            values[name] = None if value is None else _count(name, value)
        elif name == "shares":
            values.update(_shares(value))
        else:
            raise ValidationError(name, f"{name} is not an input of the quick plan.")
    return values


def _amount(field: str, value: object) -> float:
    return _positive(field, value, _YEARLY_AMOUNTS[field], "an amount", "9,600,000")


def _count(field: str, value: object) -> int:
    return int(_positive(field, value, _YEARLY_COUNTS[field], "a whole number", "1,200",
                         whole=True))


def _positive(field: str, value: object, label: str, kind: str, example: str, *,
              whole: bool = False) -> float:
    """`value` as a number above 0 (a whole one if `whole`), or the message saying so."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(field, f"{label} must be {kind} such as {example}.") from None
    if not math.isfinite(number) or number <= 0 or number > 1e15 or \
            (whole and not number.is_integer()):
        raise ValidationError(field, f"{label} must be {kind} above 0"
                                     + ("." if whole else f" such as {example}."))
    return number


def _shares(value: object) -> dict[str, float]:
    try:
        shares = [float(share) for share in value]  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise ValidationError("shares", "Give each quarter's share as a percentage.") from None
    if len(shares) != 4 or any(not 0 <= share <= 1 for share in shares):
        raise ValidationError("shares", "Each of the four quarters' shares must be between "
                                        "0 % and 100 %.")
    if abs(sum(shares) - 1) > 0.0005:
        raise ValidationError("shares", f"The quarters' shares add up to "
                                        f"{format_percent(sum(shares))}; they must add up "
                                        "to 100 %.")
    return {f"q{index + 1}_share": share for index, share in enumerate(shares)}


def _plan(row: tuple[Any, ...]) -> Plan:
    return Plan(PlanId(row[0]), QuarterId(row[1]), row[2], row[3], row[4], bool(row[5]))


def _edit_step_name(values: dict[str, Any]) -> str:
    names = {"name": "Rename plan", "revenue_goal": "Change revenue goal",
             "avg_deal_size": "Change average deal size"}
    return names[next(iter(values))] if len(values) == 1 else "Edit plan"


def _plan_values(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, value in fields.items():
        if field == "name":
            if not str(value).strip():
                raise ValidationError("name", "A plan needs a name.")
            if len(str(value).strip()) > 100:
                raise ValidationError("name", "A plan name can be at most 100 characters.")
            values["name"] = str(value).strip()
        elif field == "revenue_goal":
            values[field] = None if value is None else check_goal(value)
        elif field == "avg_deal_size":
            values[field] = None if value is None else check_deal_size(value)
        else:
            raise ValidationError(field, f"{field} is not a plan field.")
    return values


def reverse_funnel(
    revenue_goal: float, avg_deal_size: float, conversions: list[float]
) -> list[int]:
    """Volumes needed at each stage, top first, to reach the revenue goal.

    `conversions[i]` is the rate from stage i to stage i + 1; the last stage is customers.
    Customers = goal ÷ deal size; each stage above = the next ÷ its conversion, rounded up
    to whole leads at every stage (so 2,666.7 SALs become 2,667).
    """
    if avg_deal_size <= 0:
        raise ValidationError("avg_deal_size", "The average deal size must be above 0.")
    if any(not 0 < rate <= 1 for rate in conversions):
        raise ValidationError(
            "conversion", "Every conversion rate must be above 0 % and at most 100 %."
        )
    volumes = [ceil_whole(revenue_goal / avg_deal_size)]
    for rate in reversed(conversions):
        volumes.append(ceil_whole(volumes[-1] / rate))
    return list(reversed(volumes))
