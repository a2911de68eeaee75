"""Random sequences of edits, valid and invalid, always undo back to the start exactly and
redo forward to the end exactly, with a sound file at every step."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import NothingToUndo, ValidationError
from workbench.workbook import Workbook

from .snapshot import dump, integrity_problems

names = st.one_of(st.sampled_from(["MQL", "Lead", "SAL", "Nurture", "Won", "Ångström ☃"]),
                  st.text(min_size=0, max_size=12))
index = st.integers(min_value=0, max_value=20)

OPERATIONS = st.one_of(
    st.tuples(st.just("rename_stage"), index, names),
    st.tuples(st.just("add_stage"), names, st.integers(min_value=-1, max_value=10)),
    st.tuples(st.just("move_stage"), index, st.integers(min_value=-2, max_value=10)),
    st.tuples(st.just("delete_stage"), index),
    st.tuples(st.just("add_rule"), st.sampled_from(["fit", "interest", "mood"]), names,
              st.integers(min_value=-1500, max_value=1500)),
    st.tuples(st.just("update_rule"), index, st.integers(min_value=-1500, max_value=1500)),
    st.tuples(st.just("delete_rule"), index),
    st.tuples(st.just("set_actual"), index, st.sampled_from(["", "Events", "Webinar"]),
              st.integers(min_value=-3, max_value=5000)),
    st.tuples(st.just("set_properties"), names, st.sampled_from(["EUR", "usd", "Euro", ""])),
    st.tuples(st.just("undo_redo")),
)


def _pick(items: list[Any], i: int) -> Any:
    return items[i % len(items)]


def _apply(wb: Workbook, op: tuple[Any, ...]) -> None:
    kind, *args = op
    stages, rules = wb.funnel.stages(), wb.scoring.rules()
    if kind == "rename_stage":
        wb.funnel.rename_stage(_pick(stages, args[0]).id, args[1])
    elif kind == "add_stage":
        wb.funnel.add_stage(args[0], position=None if args[1] < 0 else args[1])
    elif kind == "move_stage":
        wb.funnel.move_stage(_pick(stages, args[0]).id, args[1])
    elif kind == "delete_stage":
        wb.funnel.delete_stage(_pick(stages, args[0]).id)
    elif kind == "add_rule":
        wb.scoring.add_rule(kind=args[0], attribute=args[1], operator="equals", value="x",
                            points=args[2])
    elif kind == "update_rule" and rules:
        wb.scoring.update_rule(_pick(rules, args[0]).id, points=args[1])
    elif kind == "delete_rule" and rules:
        wb.scoring.delete_rule(_pick(rules, args[0]).id)
    elif kind == "set_actual":
        quarter = wb.plan.quarters()[0].id
        wb.actuals.set_actual(quarter, _pick(stages, args[0]).id, args[1], args[2])
    elif kind == "set_properties":
        wb.set_properties(company_name=args[0], currency=args[1])


def _undo_redo(wb: Workbook) -> None:
    """Undo the newest step and redo it: the workbook must be exactly as it was."""
    if wb.undo_name is None:
        return
    state = dump(wb)
    wb.undo()
    assert integrity_problems(wb) == []
    wb.redo()
    assert dump(wb) == state


def _start() -> Workbook:
    workbook = Workbook.in_memory("blank")
    quarter = workbook.plan.add_quarter("2026Q1")[1]
    workbook.scoring.add_rule(kind="fit", attribute="title", operator="contains",
                              value="VP", points=20)
    mql = workbook.funnel.stage_by_key("mql")
    assert mql is not None
    workbook.actuals.set_actual(quarter, mql.id, "Events", 40)
    workbook.history.clear()
    return workbook


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATIONS, min_size=1, max_size=25))
def test_random_edits_undo_and_redo_exactly(operations: list[tuple[Any, ...]]) -> None:
    wb = _start()
    original = dump(wb)
    try:
        for op in operations:
            before = dump(wb)
            if op[0] == "undo_redo":
                _undo_redo(wb)
                continue
            try:
                _apply(wb, op)
            except ValidationError:
                assert dump(wb) == before  # refused input writes nothing
            assert integrity_problems(wb) == []
            assert not wb.db.conn.in_transaction  # every step committed
        final = dump(wb)

        undone = 0
        while wb.undo_name is not None:
            wb.undo()
            undone += 1
            assert integrity_problems(wb) == []
        assert dump(wb) == original

        for _ in range(undone):
            wb.redo()
            assert integrity_problems(wb) == []
        assert dump(wb) == final
        assert wb.redo_name is None
    finally:
        wb.close()


@pytest.mark.parametrize("op", [
    ("rename_stage", 0, "  "), ("add_stage", "", -1), ("add_rule", "mood", "title", 5),
    ("add_rule", "fit", "title", 1500), ("set_actual", 0, "Events", -3),
    ("set_properties", "x", "Euro"), ("set_properties", "", "EUR"),
])
def test_strategy_invalid_edits_really_are_refused(op: tuple[Any, ...]) -> None:
    """The strategy's invalid values are refused, so the test above sees both kinds."""
    wb = _start()
    try:
        before = dump(wb)
        with pytest.raises(ValidationError):
            _apply(wb, op)
        assert dump(wb) == before
        with pytest.raises(NothingToUndo):
            wb.undo()
    finally:
        wb.close()
