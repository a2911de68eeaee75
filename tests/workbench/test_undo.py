"""Every mutation is one undo step: undo restores the whole database, redo re-applies it."""

from __future__ import annotations

import pytest

from workbench.changes import Changes
from workbench.errors import NothingToUndo
from workbench.workbook import Workbook

from .mutations import MUTATIONS
from .snapshot import dump, integrity_problems


def _changes(result: object) -> Changes:
    changes = result[0] if isinstance(result, tuple) else result
    assert isinstance(changes, Changes)
    return changes


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_undo_redo_round_trip(name: str, demo: Workbook) -> None:
    mutation = MUTATIONS[name]
    before = dump(demo)
    assert not mutation.shows(demo)

    changes = _changes(mutation.act(demo))
    assert mutation.shows(demo)
    after = dump(demo)
    assert after != before
    assert changes.step == mutation.step
    assert getattr(changes, mutation.area)
    assert (demo.undo_name, demo.redo_name) == (mutation.step, None)

    undone = demo.undo()
    assert dump(demo) == before
    assert not mutation.shows(demo)
    assert undone.undone and getattr(undone, mutation.area)
    assert (demo.undo_name, demo.redo_name) == (None, mutation.step)

    redone = demo.redo()
    assert dump(demo) == after
    assert mutation.shows(demo)
    assert redone.redone and getattr(redone, mutation.area)
    assert (demo.undo_name, demo.redo_name) == (mutation.step, None)

    demo.undo()  # the redone step undoes again, like the first time
    assert dump(demo) == before
    assert integrity_problems(demo) == []


@pytest.mark.parametrize("name", ["set_properties", "add_rule", "set_actual", "new_version"])
def test_undone_state_survives_reopening(name: str, demo: Workbook) -> None:
    before = dump(demo)
    MUTATIONS[name].act(demo)
    demo.undo()
    demo.redo()
    after = dump(demo)
    demo.close()
    with Workbook.open(demo.path) as reopened:
        assert dump(reopened) == after
        assert reopened.undo_name is None  # history ends with the session
    assert after != before


def test_every_edit_is_committed_even_after_redo_was_cleared(demo: Workbook) -> None:
    """A new edit after an undo clears redo; the edits after it still reach the file."""
    demo.set_properties(company_name="First")
    demo.undo()
    demo.set_properties(company_name="Second")  # clears the redo of "First"
    demo.set_properties(currency="CHF")
    demo.scoring.set_thresholds(mql_threshold=70)
    assert not demo.db.conn.in_transaction
    demo.db.conn.close()  # as if the app were killed: no orderly close
    with Workbook.open(demo.path) as reopened:
        assert reopened.properties().company_name == "Second"
        assert reopened.properties().currency == "CHF"
        assert reopened.scoring.settings().mql_threshold == 70


def test_new_change_clears_redo(demo: Workbook) -> None:
    demo.set_properties(company_name="First")
    demo.undo()
    assert demo.redo_name == "Edit workbook properties"
    demo.scoring.set_thresholds(mql_threshold=70)
    assert demo.redo_name is None
    with pytest.raises(NothingToUndo, match="Nothing to redo"):
        demo.redo()
    assert demo.properties().company_name == "Brightline Logistics Software"


def test_history_cap_drops_the_oldest_steps(demo: Workbook) -> None:
    demo.history.cap = 3
    for threshold in (61, 62, 63, 64, 65):
        demo.scoring.set_thresholds(mql_threshold=threshold)
    for expected in (64, 63, 62):
        demo.undo()
        assert demo.scoring.settings().mql_threshold == expected
    assert demo.undo_name is None
    with pytest.raises(NothingToUndo, match="Nothing to undo"):
        demo.undo()
    assert demo.scoring.settings().mql_threshold == 62
    for expected in (63, 64, 65):
        demo.redo()
        assert demo.scoring.settings().mql_threshold == expected


def test_undo_and_redo_with_empty_history_raise(blank: Workbook) -> None:
    before = dump(blank)
    with pytest.raises(NothingToUndo, match="Nothing to undo"):
        blank.undo()
    with pytest.raises(NothingToUndo, match="Nothing to redo"):
        blank.redo()
    assert dump(blank) == before


def test_several_steps_undo_in_reverse_order(demo: Workbook) -> None:
    snapshots = [dump(demo)]
    for name in ("set_properties", "add_rule", "add_quarter", "record_decision"):
        MUTATIONS[name].act(demo)
        snapshots.append(dump(demo))
    for expected, name in zip(reversed(snapshots[:-1]),
                              ("Record decision", "Add quarter", "Add scoring rule",
                               "Edit workbook properties"), strict=True):
        assert demo.undo_name == name
        demo.undo()
        assert dump(demo) == expected
    for expected in snapshots[1:]:
        demo.redo()
        assert dump(demo) == expected


def test_changes_name_only_the_areas_touched(blank: Workbook) -> None:
    mql = blank.funnel.stage_by_key("mql")
    assert mql is not None
    renamed = blank.funnel.rename_stage(mql.id, "Marketing Qualified")
    assert renamed.funnel and not renamed.scoring and not renamed.plan and not renamed.sla
    assert renamed.tables == frozenset({"stages"})
    threshold = blank.scoring.set_thresholds(mql_threshold=80)
    assert threshold.scoring and not threshold.funnel
    undone = blank.undo()
    assert undone.scoring and not undone.funnel and undone.step == "Change MQL threshold"


def test_a_change_that_changes_nothing_is_no_undo_step(demo: Workbook) -> None:
    demo.set_properties(company_name="Brightline Logistics Software")
    assert demo.undo_name is None


def _undo_triggers(workbook: Workbook) -> int:
    return int(workbook.db.conn.execute(
        "SELECT count(*) FROM temp.sqlite_schema WHERE type = 'trigger'").fetchone()[0])


def test_the_undo_triggers_are_made_before_the_first_step_not_at_open(demo: Workbook) -> None:
    path = demo.path
    assert path is not None
    demo.close()
    with Workbook.open(path) as workbook:
        assert _undo_triggers(workbook) == 0  # opening (to look) makes none
        stage = workbook.funnel.stages()[0]
        workbook.funnel.update_stage(stage.id, name="Enquiry")
        assert _undo_triggers(workbook) > 0
        workbook.undo()
        assert workbook.funnel.stages()[0].name == stage.name
        workbook.redo()
        assert workbook.funnel.stages()[0].name == "Enquiry"


def test_a_first_step_rolled_back_inside_a_larger_one_still_records_the_next(
        demo: Workbook) -> None:
    path = demo.path
    assert path is not None
    demo.close()
    with Workbook.open(path) as workbook:
        stage = workbook.funnel.stages()[0]
        with pytest.raises(ValueError), workbook.db.atomic():  # the triggers made in it go too
            workbook.funnel.update_stage(stage.id, name="Gone")
            raise ValueError("the larger step failed")
        assert workbook.funnel.stages()[0].name == stage.name
        workbook.funnel.update_stage(stage.id, name="Enquiry")
        workbook.undo()
        assert workbook.funnel.stages()[0].name == stage.name
