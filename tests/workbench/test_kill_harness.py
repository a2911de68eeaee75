"""The kill harness (`bench/kill_harness.py`): processes editing, importing, undoing an
import and saving a copy are killed at random moments, and every file must still open,
pass SQLite's checks, hold every step reported done and all or none of the one in flight,
with no process left over. A few dozen kills here; 500 in the slow test; and the
harness's own checks are shown to catch a loss, a damaged file and a leftover process."""

from __future__ import annotations

import importlib.util
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from workbench.imports import chunk_source

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir() or not chunk_source.can_use_helper(),
                                reason="the harness reads /proc and forks (Linux)")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kill_harness",
                                                  ROOT / "bench" / "kill_harness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


kill_harness = _load()


def _quiet(line: str) -> None:
    pass


def test_a_few_dozen_kills_lose_nothing(tmp_path: Path, demo_path: Path) -> None:
    tally = kill_harness.run(30, 14, tmp_path, demo_path, log=_quiet)
    print(tally.report())
    assert tally.failures == [], tally.report()
    assert (tally.kills, tally.losses, tally.damaged, tally.leftover_processes) == (30, 0, 0, 0)
    assert tally.locks_taken_over > 0  # every kill with the workbook open leaves its lock


@pytest.mark.slow
def test_five_hundred_kills_lose_nothing(tmp_path: Path, demo_path: Path) -> None:
    seed = random.randrange(1 << 32)
    tally = kill_harness.run(500, seed, tmp_path, demo_path, log=print)
    print(tally.report())
    assert tally.failures == [], tally.report()
    assert (tally.kills, tally.losses, tally.damaged, tally.leftover_processes) == (500, 0, 0, 0)
    assert tally.helpers_at_kill > 0, tally.report()
    assert {"edit", "lead import", "re-import", "undo", "Save As"} <= set(tally.landed)


def _finished_round(folder: Path, demo_path: Path, scenario: str) -> tuple[object, object]:
    """A harness and a round of `scenario` run to its end (its first of a kind: no kill)."""
    harness = kill_harness.Harness(3, folder, demo_path, _quiet)
    plan = kill_harness.make_plan(harness.rng)
    while plan.scenario != scenario:
        plan = kill_harness.make_plan(harness.rng)
    harness.round(folder / "round", plan)
    assert (harness.tally.kills, harness.tally.failures) == (0, [])
    return harness, plan


def test_the_harness_sees_an_edit_that_was_lost(tmp_path: Path, demo_path: Path) -> None:
    harness, plan = _finished_round(tmp_path, demo_path, "edits")
    with sqlite3.connect(tmp_path / "round" / "Demo.awb") as conn:
        conn.execute("UPDATE properties SET company_name = 'Tampered'")
    conn.close()
    harness.check(tmp_path / "round", plan, len(plan.events), "tampered")
    assert (harness.tally.losses, harness.tally.damaged) == (1, 0)
    assert "company='Tampered'" in harness.tally.failures[0]


def test_the_harness_sees_half_an_import(tmp_path: Path, demo_path: Path) -> None:
    harness, plan = _finished_round(tmp_path, demo_path, "command line")
    with sqlite3.connect(tmp_path / "round" / "Demo.awb") as conn:
        conn.execute("PRAGMA foreign_keys = ON")  # their stage dates go with them
        conn.execute("DELETE FROM leads WHERE external_id >= 'KH005000'")
    conn.close()
    harness.check(tmp_path / "round", plan, len(plan.events) - 1, "half imported")
    assert (harness.tally.losses, harness.tally.damaged) == (1, 0)


def test_the_harness_sees_a_damaged_file(tmp_path: Path, demo_path: Path) -> None:
    harness, plan = _finished_round(tmp_path, demo_path, "edits")
    path = tmp_path / "round" / "Demo.awb"
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    harness.check(tmp_path / "round", plan, len(plan.events), "damaged")
    assert harness.tally.damaged == 1
    assert "Demo.awb" in harness.tally.failures[0]


def test_the_harness_sees_and_ends_a_leftover_process(tmp_path: Path) -> None:
    folder = tmp_path / "round 0001"
    folder.mkdir()
    stray = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)",
                              str(folder / "plan.json")])
    time.sleep(0.2)
    assert kill_harness.leftovers(folder, wait=0.2) == [stray.pid]
    assert stray.wait(timeout=10) == -9
    assert kill_harness.leftovers(folder, wait=0) == []


def test_the_harness_tells_a_journal_sqlite_would_play_back_from_one_it_ignores(
        tmp_path: Path) -> None:
    unsynced = tmp_path / "A.awb-journal"  # killed before its first sync: magic still zero
    unsynced.write_bytes(bytes(28) + b"\x01" * 100)
    hot = tmp_path / "B.awb-journal"
    hot.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(100))
    orphan = tmp_path / ".C.awb.x1.partial-journal"  # a Save As copy's, without the copy
    orphan.write_bytes(b"")
    (tmp_path / ".D.awb.x2.partial").write_bytes(b"")
    paired = tmp_path / ".D.awb.x2.partial-journal"
    paired.write_bytes(b"")
    assert [kill_harness._would_replay(p) for p in (unsynced, hot, orphan, paired)] == [
        False, True, True, False]
