"""Stage operations in the funnel editor: add above/below, rename, edit any field, delete,
reorder. Each is one named undo step whose undo and redo restore the whole workbook; bad
input is refused with a message a user understands and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workbench.errors import ValidationError
from workbench.model import Agreement, Owner, StageId
from workbench.workbook import Workbook

from .snapshot import dump


@pytest.fixture
def wb() -> Workbook:
    """A blank workbook on the classic model: Inquiry → MQL → SAL → SQL → Opportunity →
    Customer."""
    return Workbook.in_memory("blank")


def sid(workbook: Workbook, key: str) -> StageId:
    stage = workbook.funnel.stage_by_key(key)
    assert stage is not None, key
    return stage.id


def keys(workbook: Workbook) -> list[str]:
    return [stage.key for stage in workbook.funnel.stages()]


def assert_round_trip(workbook: Workbook, step: str, change: Callable[[], Any]) -> None:
    """Run `change`; it must be the undo step `step`, and undo then redo must give back
    exactly the state before and after it."""
    before = dump(workbook)
    change()
    after = dump(workbook)
    assert after != before
    assert workbook.undo_name == step
    workbook.undo()
    assert dump(workbook) == before
    assert workbook.redo_name == step
    workbook.redo()
    assert dump(workbook) == after


def assert_refused(workbook: Workbook, field: str, message: str, change: Callable[[], Any]
                   ) -> None:
    """`change` must raise a ValidationError for `field` with `message`, writing nothing."""
    before, undo_name = dump(workbook), workbook.undo_name
    with pytest.raises(ValidationError) as caught:
        change()
    assert (caught.value.field, caught.value.message) == (field, message)
    assert dump(workbook) == before
    assert workbook.undo_name == undo_name


# -- adding -------------------------------------------------------------------------------
def test_add_stage_below_goes_directly_under_the_chosen_stage(wb: Workbook) -> None:
    mql = sid(wb, "mql")
    assert_round_trip(wb, "Add stage below", lambda: wb.funnel.add_stage_relative(
        mql, "Nurture", below=True, owner="marketing"))
    assert keys(wb) == ["inquiry", "mql", "nurture", "sal", "sql", "opportunity", "customer"]
    assert [s.position for s in wb.funnel.stages()] == list(range(7))
    assert wb.funnel.stage_by_key("nurture").owner is Owner.MARKETING


def test_add_stage_above_goes_directly_over_the_chosen_stage(wb: Workbook) -> None:
    inquiry = sid(wb, "inquiry")
    assert_round_trip(wb, "Add stage above", lambda: wb.funnel.add_stage_relative(
        inquiry, "Website visit", below=False, target_conversion="3 %"))
    assert keys(wb)[:2] == ["website_visit", "inquiry"]
    assert wb.funnel.stage_by_key("website_visit").target_conversion == pytest.approx(0.03)


def test_add_stage_returns_the_new_stage_and_derives_a_free_key(wb: Workbook) -> None:
    changes, new_id = wb.funnel.add_stage_relative(sid(wb, "customer"), "Customer 2")
    assert changes.funnel and changes.step == "Add stage below"
    assert wb.funnel.stage(new_id).key == "customer_2"
    assert keys(wb)[-1] == "customer_2"


def test_add_stage_at_a_position(wb: Workbook) -> None:
    assert_round_trip(wb, "Add stage", lambda: wb.funnel.add_stage("Demo held", position=4))
    assert keys(wb)[3:6] == ["sql", "demo_held", "opportunity"]


# -- renaming and editing -----------------------------------------------------------------
def test_rename_keeps_the_key_so_imports_still_map(wb: Workbook) -> None:
    sal = sid(wb, "sal")
    assert_round_trip(wb, "Rename stage", lambda: wb.funnel.rename_stage(sal, "  Accepted   lead "))
    stage = wb.funnel.stage(sal)
    assert (stage.name, stage.key) == ("Accepted lead", "sal")


@pytest.mark.parametrize(("field", "entered", "stored", "step"), [
    ("owner", "shared", Owner.SHARED, "Change stage owner"),
    ("definition", " A lead sales has accepted. ", "A lead sales has accepted.",
     "Edit definition"),
    ("entry_criteria", "Routed by the CRM", "Routed by the CRM", "Edit entry criteria"),
    ("exit_criteria", "Discovery call held", "Discovery call held", "Edit exit criteria"),
    ("max_hours", "48", 48.0, "Change max time in stage"),
    ("target_conversion", "55 %", 0.55, "Change conversion target"),
    ("target_conversion", 0.45, 0.45, "Change conversion target"),
    ("probability", 0.1, 0.1, "Change stage probability"),
    ("agreement", "disputed", Agreement.DISPUTED, "Change agreement status"),
    ("key", "accepted", "accepted", "Change stage key"),
])
def test_every_field_can_be_edited_as_one_step(
    wb: Workbook, field: str, entered: object, stored: object, step: str
) -> None:
    sal = sid(wb, "sal")
    assert_round_trip(wb, step, lambda: wb.funnel.update_stage(sal, **{field: entered}))
    value = getattr(wb.funnel.stage(sal), field)
    assert value == (pytest.approx(stored) if isinstance(stored, float) else stored)


def test_editing_several_fields_at_once_is_one_step(wb: Workbook) -> None:
    sal = sid(wb, "sal")
    assert_round_trip(wb, "Edit stage", lambda: wb.funnel.update_stage(
        sal, owner="sales", max_hours=24, exit_criteria="Accepted in the CRM"))


def test_an_edit_that_changes_nothing_adds_no_undo_step(wb: Workbook) -> None:
    changes = wb.funnel.update_stage(sid(wb, "sal"), owner="sales")
    assert changes.empty
    assert wb.undo_name is None


# -- deleting -----------------------------------------------------------------------------
def test_delete_stage_closes_the_gap(wb: Workbook) -> None:
    assert_round_trip(wb, "Delete stage", lambda: wb.funnel.delete_stage(sid(wb, "sal")))
    assert keys(wb) == ["inquiry", "mql", "sql", "opportunity", "customer"]
    assert [s.position for s in wb.funnel.stages()] == list(range(5))


def test_deleting_a_stage_with_data_takes_its_proposals_names_and_actuals_and_undo_restores_them(
    demo: Workbook,
) -> None:
    sql = sid(demo, "sql")
    assert demo.funnel.stage_has_data(sql)
    assert_round_trip(demo, "Delete stage", lambda: demo.funnel.delete_stage(sql))
    assert "sql" not in keys(demo)
    demo.undo()
    assert demo.funnel.proposals(sql) and demo.funnel.aliases(sql)
    assert demo.funnel.stage_has_data(sql)


def test_a_blank_funnel_has_no_stage_data(wb: Workbook) -> None:
    assert not any(wb.funnel.stage_has_data(s.id) for s in wb.funnel.stages())


def test_the_last_stage_cannot_be_deleted(wb: Workbook) -> None:
    for key in keys(wb)[1:]:
        wb.funnel.delete_stage(sid(wb, key))
    assert_refused(wb, "stage", "The funnel needs at least one stage.",
                   lambda: wb.funnel.delete_stage(sid(wb, "inquiry")))


# -- reordering ---------------------------------------------------------------------------
def test_move_stage_up_and_down(wb: Workbook) -> None:
    opportunity = sid(wb, "opportunity")
    assert_round_trip(wb, "Move stage", lambda: wb.funnel.move_stage(opportunity, 1))
    assert keys(wb) == ["inquiry", "opportunity", "mql", "sal", "sql", "customer"]
    assert_round_trip(wb, "Move stage", lambda: wb.funnel.move_stage(sid(wb, "inquiry"), 99))
    assert keys(wb) == ["opportunity", "mql", "sal", "sql", "customer", "inquiry"]


def test_moving_a_stage_to_where_it_is_adds_no_undo_step(wb: Workbook) -> None:
    assert wb.funnel.move_stage(sid(wb, "sql"), 3).empty
    assert wb.undo_name is None


# -- bad input ----------------------------------------------------------------------------
def test_empty_names_are_refused(wb: Workbook) -> None:
    message = "A stage needs a name."
    assert_refused(wb, "name", message, lambda: wb.funnel.add_stage("   "))
    assert_refused(wb, "name", message,
                   lambda: wb.funnel.add_stage_relative(sid(wb, "mql"), "", below=False))
    assert_refused(wb, "name", message, lambda: wb.funnel.rename_stage(sid(wb, "mql"), " "))


def test_duplicate_keys_are_refused(wb: Workbook) -> None:
    message = "The key “mql” is already used by “Marketing Qualified Lead”."
    assert_refused(wb, "key", message, lambda: wb.funnel.update_stage(sid(wb, "sal"), key="mql"))
    assert_refused(wb, "key", message, lambda: wb.funnel.add_stage("Hot lead", key="mql"))


def test_a_second_stage_with_the_same_name_is_refused(wb: Workbook) -> None:
    assert_refused(wb, "name", "There is already a stage called “Opportunity”.",
                   lambda: wb.funnel.rename_stage(sid(wb, "sql"), "opportunity "))


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"max_hours": -1}, "max_hours", "Max time in stage cannot be negative."),
    ({"max_hours": "soon"}, "max_hours", "Max time in stage must be a number of hours."),
    ({"target_conversion": 2.5}, "target_conversion",
     "A conversion target must be between 0 % and 100 % (got 250 %)."),
    ({"target_conversion": "250 %"}, "target_conversion",
     "A conversion target must be between 0 % and 100 % (got 250 %)."),
    ({"target_conversion": "most"}, "target_conversion", "Enter a percentage between 0 and 100."),
    ({"probability": -0.2}, "probability",
     "A probability must be between 0 % and 100 % (got -20 %)."),
    ({"owner": "finance"}, "owner", "The owner is marketing, sales or shared."),
    ({"agreement": "maybe"}, "agreement", "The status is open, agreed or disputed."),
    ({"key": "Sales Accepted"}, "key", "A key is 1–40 lowercase letters, digits or _ and starts "
     "with a letter (for example sales_accepted)."),
    ({"name": "ok", "max_hours": -5}, "max_hours", "Max time in stage cannot be negative."),
    ({"colour": "red"}, "colour", "colour is not a stage field."),
])
def test_bad_values_are_refused_and_nothing_changes(
    wb: Workbook, fields: dict[str, Any], field: str, message: str
) -> None:
    sal = sid(wb, "sal")

    def add() -> object:
        if "name" in fields:
            return wb.funnel.add_stage(**fields)
        return wb.funnel.add_stage_relative(sal, "New stage", **fields)

    assert_refused(wb, field, message, lambda: wb.funnel.update_stage(sal, **fields))
    assert_refused(wb, field, message, add)


def test_a_stage_that_no_longer_exists_is_reported(wb: Workbook) -> None:
    gone = sid(wb, "sal")
    wb.funnel.delete_stage(gone)
    message = "That stage no longer exists."
    assert_refused(wb, "stage", message, lambda: wb.funnel.rename_stage(gone, "Back"))
    assert_refused(wb, "stage", message, lambda: wb.funnel.add_stage_relative(gone, "Next"))
    assert_refused(wb, "stage", message, lambda: wb.funnel.move_stage(gone, 0))
    assert_refused(wb, "stage", message, lambda: wb.funnel.delete_stage(gone))
