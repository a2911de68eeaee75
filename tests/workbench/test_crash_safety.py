"""A failure or a kill in the middle of an edit loses that edit and nothing else; the file
always opens and passes SQLite's integrity check."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbench.model import StageId
from workbench.workbook import Workbook

from .mutations import MUTATIONS
from .snapshot import dump, integrity_problems


class Crash(RuntimeError):
    """Stands in for anything that goes wrong inside a step."""


def _crash(*args: object, **kwargs: object) -> None:
    raise Crash("simulated failure")


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_failure_after_the_writes_of_a_step_leaves_nothing_written(
    name: str, demo: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing the change log is the last thing a step does; failing there must roll back
    every row the step already wrote."""
    before, log_before = dump(demo), demo.change_log()
    monkeypatch.setattr(demo, "_write_log", _crash)
    with pytest.raises(Crash):
        MUTATIONS[name].act(demo)
    monkeypatch.undo()
    assert dump(demo) == before
    assert demo.change_log() == log_before
    assert (demo.undo_name, demo.db.conn.in_transaction) == (None, False)
    assert integrity_problems(demo) == []


def test_failure_after_the_first_statement_leaves_nothing_written(
    demo: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commit plan first un-commits the quarter's other plans, then commits this one."""
    quarter = demo.plan.quarters()[-1].id
    stretch = next(p for p in demo.plan.plans(quarter) if not p.committed)
    before = dump(demo)
    monkeypatch.setattr(demo, "update", _crash)
    with pytest.raises(Crash):
        demo.plan.commit_plan(stretch.id)
    monkeypatch.undo()
    assert dump(demo) == before
    assert [p.name for p in demo.plan.plans(quarter) if p.committed] == ["Base plan"]
    # The history is still sound: a later edit undoes cleanly.
    demo.plan.commit_plan(stretch.id)
    demo.undo()
    assert dump(demo) == before


def test_failed_step_keeps_earlier_steps_undoable(
    demo: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.set_properties(company_name="Kept")
    kept = dump(demo)
    monkeypatch.setattr(demo, "_write_log", _crash)
    with pytest.raises(Crash):
        demo.scoring.set_thresholds(mql_threshold=90)
    monkeypatch.undo()
    assert dump(demo) == kept
    assert demo.undo_name == "Edit workbook properties"
    demo.undo()
    assert demo.properties().company_name == "Brightline Logistics Software"


KILLED_MID_EDIT = textwrap.dedent("""
    import os, sys
    from workbench.workbook import Workbook

    workbook = Workbook.open(sys.argv[1])
    workbook.set_properties(company_name="Saved before the kill")
    workbook.scoring.set_thresholds(mql_threshold=77)
    stage = workbook.funnel.stage_by_key("mql").id
    with workbook.step("Long edit") as rec:
        for lead_id, in workbook.db.conn.execute("SELECT id FROM leads").fetchall():
            workbook.db.conn.execute("UPDATE leads SET campaign = 'half-done' WHERE id = ?",
                                     (lead_id,))
            if lead_id == 2000:
                workbook.db.conn.execute("DELETE FROM stages WHERE id = ?", (stage,))
                print("killing", flush=True)
                os._exit(9)
""")


def test_kill_in_the_middle_of_a_long_transaction_loses_only_that_edit(
    demo: Workbook, tmp_path: Path
) -> None:
    mql = demo.funnel.stage_by_key("mql")
    assert mql is not None
    demo.close()
    run = subprocess.run([sys.executable, "-c", KILLED_MID_EDIT, str(demo.path)],
                         capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stdout.strip()) == (9, "killing"), run.stderr

    with Workbook.open(demo.path) as reopened:
        assert integrity_problems(reopened) == []
        assert reopened.properties().company_name == "Saved before the kill"
        assert reopened.scoring.settings().mql_threshold == 77
        assert reopened.funnel.stage(StageId(mql.id)).name == mql.name
        half_done = reopened.db.conn.execute(
            "SELECT count(*) FROM leads WHERE campaign = 'half-done'")
        assert half_done.fetchone()[0] == 0
