"""Every plan mutation is one undo step: undo restores the file exactly, redo re-applies it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.workbench.snapshot import dump
from tests.workbench.test_plan import worked_plan
from workbench.changes import Changes
from workbench.errors import ValidationError
from workbench.model import PlanId
from workbench.workbook import Workbook


def _round_trip(workbook: Workbook, mutate: Callable[[], object], step: str) -> None:
    before = dump(workbook)
    result = mutate()
    changes = result[0] if isinstance(result, tuple) else result
    assert isinstance(changes, Changes) and changes.plan
    after = dump(workbook)
    assert after != before
    assert workbook.undo_name == step
    workbook.undo()
    assert dump(workbook) == before
    workbook.redo()
    assert dump(workbook) == after


def _mql(workbook: Workbook):
    return workbook.funnel.stages()[1]


MUTATIONS: dict[str, tuple[str, Callable[[Workbook, PlanId], object]]] = {
    "add quarter": ("Add quarter", lambda wb, pid: wb.plan.add_quarter("2027Q2")),
    "add plan": ("Add plan", lambda wb, pid: wb.plan.add_plan(
        wb.plan.plan(pid).quarter_id, "Lean", revenue_goal=1_000,
        conversions={_mql(wb).id: 0.5})),
    "change goal": ("Change revenue goal",
                    lambda wb, pid: wb.plan.update_plan(pid, revenue_goal=15_000_000)),
    "change deal size": ("Change average deal size",
                         lambda wb, pid: wb.plan.update_plan(pid, avg_deal_size=75_000)),
    "rename": ("Rename plan", lambda wb, pid: wb.plan.update_plan(pid, name="Base 2")),
    "set conversion": ("Change plan conversion",
                       lambda wb, pid: wb.plan.set_conversion(pid, _mql(wb).id, 0.8)),
    "set inputs": ("Derive plan from actuals", lambda wb, pid: wb.plan.set_inputs(
        pid, avg_deal_size=50_000, conversions={_mql(wb).id: 0.65},
        step="Derive plan from actuals")),
    "copy plan": ("Copy plan", lambda wb, pid: wb.plan.copy_plan(pid, "Stretch")),
    "delete plan": ("Delete plan", lambda wb, pid: wb.plan.delete_plan(pid)),
    "source mix": ("Change source mix", lambda wb, pid: wb.plan.set_source_mix(
        pid, {"Webinar": 0.25, "Events": 0.75})),
    "commit plan": ("Commit plan", lambda wb, pid: wb.plan.commit_plan(pid)),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_undo_and_redo_round_trip(blank: Workbook, name: str) -> None:
    _, plan_id = worked_plan(blank)
    blank.plan.set_source_mix(plan_id, {"Webinar": 0.5, "Paid search": 0.5})
    step, mutate = MUTATIONS[name]
    _round_trip(blank, lambda: mutate(blank, plan_id), step)


def test_copy_is_one_step_with_conversions_and_mix(blank: Workbook) -> None:
    _, plan_id = worked_plan(blank)
    blank.plan.set_source_mix(plan_id, {"Webinar": 0.5, "Paid search": 0.5})
    blank.plan.commit_plan(plan_id)
    _, copy_id = blank.plan.copy_plan(plan_id, "Stretch")
    copy = blank.plan.plan(copy_id)
    assert (copy.name, copy.revenue_goal, copy.avg_deal_size, copy.committed) == \
        ("Stretch", 12_000_000, 60_000, False)
    assert blank.plan.conversions(copy_id) == blank.plan.conversions(plan_id)
    assert blank.plan.source_mix(copy_id) == {"Webinar": 0.5, "Paid search": 0.5}
    blank.undo()
    assert [p.name for p in blank.plan.plans()] == ["Base"]


def test_commit_moves_the_commitment(blank: Workbook) -> None:
    quarter_id, plan_id = worked_plan(blank)
    _, other = blank.plan.copy_plan(plan_id, "Stretch")
    blank.plan.commit_plan(plan_id)
    blank.plan.commit_plan(other)
    assert blank.plan.committed_plan(quarter_id).id == other
    blank.undo()
    assert blank.plan.committed_plan(quarter_id).id == plan_id


def test_copy_under_a_taken_name_is_refused(blank: Workbook) -> None:
    _, plan_id = worked_plan(blank)
    before = dump(blank)
    with pytest.raises(ValidationError, match="A plan named “Base” already exists."):
        blank.plan.copy_plan(plan_id, " Base ")
    assert dump(blank) == before


def test_unknown_plan_is_refused(blank: Workbook) -> None:
    with pytest.raises(ValidationError, match="That plan no longer exists."):
        blank.plan.commit_plan(PlanId(999))


def test_changes_are_logged_old_to_new(blank: Workbook) -> None:
    _, plan_id = worked_plan(blank)
    blank.plan.set_conversion(plan_id, _mql(blank).id, 0.8)
    entry = blank.change_log(limit=1)[0]
    assert (entry.step, entry.field, entry.old, entry.new) == \
        ("Change plan conversion", f"conversion:{_mql(blank).id}", "0.7", "0.8")


def test_a_change_to_the_committed_plan_says_how_the_sla_commitment_moves(
        blank: Workbook) -> None:
    """Worked by hand: 18,000,000 ÷ 60,000 = 300 customers → 1,200 opportunities (25 %) →
    2,400 SQLs (50 %) → 4,000 SALs (60 %) → 5,714.29 → 5,715 MQLs (70 %), 1,905 a month."""
    from workbench.planning.inputs import GOAL, conversion_field
    from workbench.planning.reverse import commitment_move

    from .test_plan import worked_plan

    _, plan_id = worked_plan(blank)
    assert commitment_move(blank, plan_id, {GOAL: 18_000_000}) is None  # not committed yet
    blank.plan.commit_plan(plan_id)
    move = commitment_move(blank, plan_id, {GOAL: 18_000_000})
    assert move is not None
    assert (move.before, move.after) == ((3_810, 1_270), (5_715, 1_905))
    assert move.sentence() == (
        "“Base” is the committed plan for 2027Q1: the SLA commits marketing to 3,810 MQLs "
        "(1,270 a month). With this change it would commit them to 5,715 MQLs (1,905 a "
        "month). Draft agreements covering 2027Q1 state the new figure; signed ones keep "
        "theirs.")
    inquiry = blank.funnel.stages()[0]  # its rate only moves the inquiries above the MQLs
    assert commitment_move(blank, plan_id, {conversion_field(inquiry.id): 0.2}) is None
    emptied = commitment_move(blank, plan_id, {GOAL: None})
    assert emptied is not None and emptied.after == (None, None)
    assert "no figure (the plan would be incomplete)" in emptied.sentence()
