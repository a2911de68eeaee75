"""Random edits, undo, redo, small lead imports and reopenings of a demo workbook on disk,
checked after every step against a model of the history: a list of full dumps and where
the workbook stands in it. An edit that changes anything pushes its dump and drops what
could be redone; undo must give back the previous dump exactly, redo the next one; a
refused edit or import changes nothing and keeps the history as it was. The history lives
with the open workbook (capped, and cleared on close), so reopening starts the model's
list afresh from what the file holds, which must be exactly where the workbook stood."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import NothingToUndo, WorkbenchError
from workbench.history import DEFAULT_CAP
from workbench.imports import Mapping
from workbench.workbook import Workbook

from .mutations import MUTATIONS
from .snapshot import dump, integrity_problems
from .test_undo_random import OPERATIONS, _apply

Digest = dict[str, str]

MAPPING = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                          "campaign": "Campaign"}, stage_dates={"MQL": "MQL"}, date_format="iso")
# A handful of rows from ten lead IDs, so imports add leads and re-imports update them; a
# 29th or 30th of February, a repeated ID or no rows at all make the import refused whole.
ROWS = st.lists(st.tuples(st.integers(0, 9), st.integers(1, 30),
                          st.sampled_from(["Webinar", "Events", "Paid search"]),
                          st.sampled_from(["", "spring", "fall"]), st.booleans()),
                max_size=5)
STEPS_OF_KIND = {
    "edit": OPERATIONS,  # the edits of test_undo_random (its "undo_redo": undo, then redo)
    "mutation": st.tuples(st.just("mutation"), st.sampled_from(sorted(MUTATIONS))),
    "import": st.tuples(st.just("import"), ROWS),
    "undo": st.just(("undo",)), "redo": st.just(("redo",)), "reopen": st.just(("reopen",)),
}
WEIGHTS = {"edit": 4, "mutation": 1, "import": 2, "undo": 3, "redo": 2, "reopen": 1}
STEPS = st.sampled_from([kind for kind, weight in WEIGHTS.items() for _ in range(weight)]
                        ).flatmap(STEPS_OF_KIND.__getitem__)


def digest(workbook: Workbook) -> Digest:
    """The full dump, table by table, as hashes: a few hundred dumps of the demo's
    thousands of leads kept whole would take gigabytes. The leads' row digests are left
    out: a cache of which file rows a lead's values came from. An import that finds a row
    unchanged by comparing it in full stores its digest, and undo leaves it (the values it
    vouches for stay the same; see `imports.lead_writer._store_digests`), so an undone
    import's digests may differ from before. Undo of updated leads puts their digests back,
    as `test_import_digests` checks."""
    conn = workbook.db.conn
    shown = ", ".join(f'"{name}"' for (name,) in conn.execute(
        "SELECT name FROM pragma_table_info('leads') WHERE name <> 'row_digest'"))
    tables = dump(workbook)
    tables["leads"] = sorted(conn.execute(f"SELECT {shown} FROM main.leads"), key=repr)
    return {table: hashlib.sha256(repr(rows).encode()).hexdigest()
            for table, rows in tables.items()}


@dataclass
class History:
    """The model: every state the history can reach, and where the workbook stands."""

    cap: int
    states: list[Digest] = field(default_factory=list)
    at: int = 0

    def edited(self, state: Digest) -> None:
        del self.states[self.at + 1:]  # nothing left to redo
        self.states.append(state)
        self.at += 1
        while len(self.states) > self.cap + 1:  # the oldest step drops out
            self.states.pop(0)
            self.at -= 1

    def reopened(self) -> None:
        self.states, self.at = [self.states[self.at]], 0


class Session:
    """A demo workbook on disk, and the model it must follow step by step."""

    def __init__(self, folder: Path, demo: Path, cap: int) -> None:
        self.folder, self.path, self.cap = folder, folder / "Demo.awb", cap
        shutil.copy(demo, self.path)
        self.workbook = self._open()
        self.model = History(cap, [digest(self.workbook)])
        self.imports = 0

    def _open(self) -> Workbook:
        workbook = Workbook.open(self.path, lock="history fuzz")
        assert workbook.read_only is None
        workbook.history.cap = self.cap
        return workbook

    def step(self, step: tuple[Any, ...]) -> None:
        kind = step[0]
        if kind in ("undo", "redo"):
            self.replay(redo=kind == "redo")
        elif kind == "undo_redo":
            self.replay(redo=False)
            self.check(step, digest(self.workbook))
            self.replay(redo=True)
        elif kind == "reopen":
            self.workbook.close()
            self.workbook = self._open()
            assert integrity_problems(self.workbook) == []
            self.model.reopened()
        elif self.edit(step):
            state = digest(self.workbook)
            if state != self.model.states[self.model.at]:  # else it changed nothing
                self.model.edited(state)
            self.check(step, state)
            return
        self.check(step, digest(self.workbook))

    def edit(self, step: tuple[Any, ...]) -> bool:
        """Make an edit; False when the workbook refused it (then it must have changed
        nothing, and kept its history as it was)."""
        try:
            if step[0] == "mutation":
                MUTATIONS[step[1]].act(self.workbook)
            elif step[0] == "import":
                self.workbook.leads.import_file(self.export(step[1]), MAPPING)
            else:
                _apply(self.workbook, step)
        except (WorkbenchError, LookupError, StopIteration, AssertionError):
            # refused; or what `mutations` looks up first (a stage by key, the first
            # rule) is gone
            return False
        return True

    def replay(self, *, redo: bool) -> None:
        model = self.model
        possible = model.at < len(model.states) - 1 if redo else model.at > 0
        if not possible:
            with pytest.raises(NothingToUndo):
                self.workbook.redo() if redo else self.workbook.undo()
            return
        self.workbook.redo() if redo else self.workbook.undo()
        model.at += 1 if redo else -1

    def check(self, step: tuple[Any, ...], state: Digest) -> None:
        """The workbook holds exactly the model's state, and offers undo and redo exactly
        when the model has a state before and after it."""
        model, workbook = self.model, self.workbook
        expected = model.states[model.at]
        assert state == expected, (step, [t for t in state if state[t] != expected.get(t)])
        assert (workbook.undo_name is not None) == (model.at > 0), step
        assert (workbook.redo_name is not None) == (model.at < len(model.states) - 1), step
        assert not workbook.db.conn.in_transaction

    def export(self, rows: list[tuple[int, int, str, str, bool]]) -> Path:
        self.imports += 1
        path = self.folder / f"export {self.imports}.csv"
        lines = ["ID,Created,Source,Campaign,MQL"] + [
            f"F{lead},2026-02-{day:02d} 09:00:00,{source},{campaign},"
            + (f"2026-02-{day:02d} 15:00:00" if mql else "")
            for lead, day, source, campaign, mql in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def close(self) -> None:
        self.workbook.close()


def _fuzz(demo: Path, cap: int, steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        session = Session(Path(folder), demo, cap)
        try:
            for step in steps:
                session.step(step)
            session.step(("reopen",))
        finally:
            session.close()


@settings(max_examples=7, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cap=st.sampled_from([DEFAULT_CAP, 6]), steps=st.lists(STEPS, min_size=30, max_size=40))
def test_random_histories_follow_the_model(demo_path: Path, cap: int,
                                           steps: list[tuple[Any, ...]]) -> None:
    _fuzz(demo_path, cap, steps)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cap=st.sampled_from([DEFAULT_CAP, 6]), steps=st.lists(STEPS, min_size=60, max_size=120))
def test_thousands_of_random_steps_follow_the_model(demo_path: Path, cap: int,
                                                    steps: list[tuple[Any, ...]]) -> None:
    _fuzz(demo_path, cap, steps)


def test_redo_of_deleting_the_stage_an_import_entered_its_leads_at(demo: Workbook,
                                                                   tmp_path: Path) -> None:
    """Deleting a stage sets its import batches' entry stage to NULL (a cascade); redoing
    the deletion once undone found the batch so and refused, as if another window had
    changed it (found by the fuzz above)."""
    export = tmp_path / "leads.csv"
    export.write_text("ID,Created,Source,Campaign,MQL\nF1,2026-02-01 09:00:00,Web,,\n",
                      encoding="utf-8")
    demo.leads.import_file(export, MAPPING)
    entry = demo.db.conn.execute("SELECT entry_stage_id FROM import_batches").fetchone()[0]
    assert entry is not None  # the leads entered the funnel at its first stage
    before = dump(demo)
    demo.funnel.delete_stage(entry)
    deleted = dump(demo)
    demo.undo()
    assert dump(demo) == before
    demo.redo()
    assert dump(demo) == deleted
    demo.undo()
    assert dump(demo) == before


def test_each_undo_guard_reads_one_row_not_its_whole_table(demo: Workbook) -> None:
    """Replaying a step checks a guard per row it touched; each read its whole table, so
    redoing the deletion of the demo's MQL stage (1,100 stage dates) took 1.4 s, and a
    workbook with ten times the leads a hundred times as long (found by the fuzz above)."""
    mql = demo.funnel.stage_by_key("mql")
    assert mql is not None
    demo.funnel.delete_stage(mql.id)
    demo.undo()  # the redo entries: deleting rows that exist, each guarded
    guards = demo.db.conn.execute("SELECT tbl, max(guard) FROM temp.undo_log GROUP BY tbl")
    for table, guard in guards.fetchall():
        plan = [row[3] for row in demo.db.conn.execute(f"EXPLAIN QUERY PLAN SELECT {guard}")]
        assert [step for step in plan if step.startswith("SCAN ") and "CONSTANT" not in step
                ] == [], (table, plan)


def test_committing_the_committed_plan_again_makes_no_undo_step(demo: Workbook) -> None:
    """It un-committed every other plan of the quarter, committed or not: an undo step
    that changed nothing, so the next Undo seemed to do nothing (found by the fuzz)."""
    quarter = demo.plan.quarters()[-1].id
    committed = next(p for p in demo.plan.plans(quarter) if p.committed)
    demo.set_properties(company_name="Before")
    before = dump(demo)
    assert not demo.plan.commit_plan(committed.id).tables
    assert (dump(demo), demo.undo_name) == (before, "Edit workbook properties")
