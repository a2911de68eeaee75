"""Kill harness: SIGKILL a process that is editing a workbook at a random moment, then
check what it left behind.

Each round copies the demo workbook into a fresh folder and starts a child process (this
script with `--victim`) that runs a plan through the `Workbook` API: edits of every kind,
a lead import of a few thousand leads and a re-import that updates half of them (through
the API or the command line's code path, read here or by the file-reading helper process,
through the write-ahead log or the rollback journal a big import uses), undo and redo of
those imports, and Save As (once onto an existing file). The child reports each step on
stdout once it has returned. The kill is aimed (seeded): a kind of step picked evenly among
the plan's, one such step, and a random moment within the time that kind of step takes
(measured in the rounds before; the first of a kind runs unkilled). After the kill:

- every workbook opens with `Workbook.open`, taking over the lock the killed process left;
- it passes `PRAGMA integrity_check` and `foreign_key_check`;
- it holds exactly what the steps reported done made, or that plus the step in flight
  (a model of the plan says what: its markers, company name, lead counts per import,
  stage dates and import batches), so a done edit lost or half an import is a loss;
- Save As killed leaves the source as it was and the copy absent or complete;
- no process started for the round is left (the import's helper dies with its parent).

    .venv/bin/python bench/kill_harness.py [--kills 500] [--seed N] [--keep]

The last line is the summary, e.g. `kills: 512, losses: 0, leftover processes: 0, damaged
files: 0`. `tests/workbench/test_kill_harness.py` runs a short version in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.processes import children, leftovers  # noqa: E402

LOCK = "kill harness"
LEADS = 4000  # rows of the first export; the re-import updates half and adds as many
MAPPING = {"version": 1, "fields": {"external_id": "ID", "created": "Created",
                                    "source": "Source", "campaign": "Campaign"},
           "stage_dates": {"MQL": "MQL"}, "date_format": "iso", "decimal_comma": False}
HUNG, HUNG_SECONDS = -1000, 300  # a child still running then has hung: the round fails
EDITS = ("decision", "rule", "term", "actual", "company", "delete_rule")
SCENARIOS = {"edits": 3, "imports": 4, "command line": 2, "save as": 3}  # weights
Event = list[Any]  # ["edit", kind, n], ["import", "a"|"b"], ["cli", "a"|"b"], ["undo"], …


# -- the model: what each workbook holds after each step -------------------------------------
@dataclass(frozen=True)
class State:
    """What the harness's steps have made of one workbook."""

    markers: tuple[str, ...] = ()
    company: str = ""
    imports: tuple[str, ...] = ()  # the exports imported, in order


@dataclass(frozen=True)
class Seen:
    """What a workbook holds, as far as the harness's steps go; compared with the model."""

    markers: tuple[str, ...]
    company: str
    leads: int
    campaign_a: int
    campaign_b: int
    stage_dates: int
    batches: int


def export_rows(name: str) -> range:
    """The lead numbers in export `name`: "b" updates the second half of "a" and adds as
    many again."""
    return range(LEADS) if name == "a" else range(LEADS // 2, LEADS // 2 + LEADS)


def expected_seen(state: State, base: Seen) -> Seen:
    campaigns: dict[int, str] = {}
    for name in state.imports:
        campaigns.update(dict.fromkeys(export_rows(name), name))
    values = list(campaigns.values())
    dated = sum(1 for number in campaigns if number % 3 == 0)  # see `write_exports`
    return Seen(tuple(sorted(base.markers + state.markers)), state.company or base.company,
                base.leads + len(campaigns), values.count("a"), values.count("b"),
                base.stage_dates + dated, base.batches + len(state.imports))


class Model:
    """The files of a round and the undo history of the open workbook, step by step."""

    def __init__(self, files: dict[str, State | None], current: str) -> None:
        self.files, self.current = dict(files), current
        self.undo: list[State] = []
        self.redo: list[State] = []
        self.after: list[dict[str, State | None]] = [dict(self.files)]  # per steps done

    @property
    def state(self) -> State:
        state = self.files[self.current]
        assert state is not None
        return state

    def step(self, new: State) -> None:
        self.undo.append(self.state)
        self.redo.clear()
        self.files[self.current] = new

    def replay(self, *, redo: bool) -> None:
        source, target = (self.redo, self.undo) if redo else (self.undo, self.redo)
        target.append(self.state)
        self.files[self.current] = source.pop()

    def forget_history(self) -> None:
        self.undo.clear()
        self.redo.clear()

    def record(self) -> None:
        self.after.append(dict(self.files))


def _edit(model: Model, rng: random.Random, number: int) -> Event:
    state = model.state
    rules = [m for m in state.markers if m.startswith("rule:")]
    kind = rng.choice([k for k in EDITS if k != "delete_rule" or rules])
    if kind == "company":
        model.step(replace(state, company=f"Kill {number}"))
        return ["edit", kind, number]
    if kind == "delete_rule":
        gone = rng.choice(rules)
        model.step(replace(state, markers=tuple(m for m in state.markers if m != gone)))
        return ["edit", kind, int(gone.rsplit(" ", 1)[1])]
    marker = f"{kind}:kill_{number}" if kind == "term" else f"{kind}:kill {number}"
    model.step(replace(state, markers=tuple(sorted((*state.markers, marker)))))
    return ["edit", kind, number]


@dataclass
class Plan:
    """One round: the scenario, how imports read and write, the steps and their model."""

    scenario: str
    helper: bool
    big: bool
    events: list[Event]
    after: list[dict[str, State | None]]  # each file, after each number of steps done
    existing: tuple[str, ...]  # the files there before (the first the one opened)


def make_plan(rng: random.Random) -> Plan:
    scenario = rng.choices(list(SCENARIOS), weights=list(SCENARIOS.values()))[0]
    copies: dict[str, State | None] = {"Copy.awb": None, "Copy 2.awb": State()}
    model = Model({"Demo.awb": State(), **(copies if scenario == "save as" else {})},
                  "Demo.awb")
    events: list[Event] = []
    numbers = iter(range(1, 10_000))

    def add(event: Event) -> None:
        events.append(event)
        model.record()

    def edits(count: int) -> None:
        for _ in range(count):
            add(_edit(model, rng, next(numbers)))

    def imports(name: str, how: str) -> None:
        if how == "cli":
            model.forget_history()  # the command opens and closes the workbook itself
        model.step(replace(model.state, imports=(*model.state.imports, name)))
        add([how, name])

    if scenario == "edits":
        edits(rng.randint(80, 160))
    elif scenario == "command line":
        imports("a", "cli")
        imports("b", "cli")
    elif scenario == "imports":
        imports("a", "import")
        imports("b", "import")
        for _ in range(rng.randint(4, 8)):
            choices = ["undo"] * bool(model.undo) + ["redo"] * bool(model.redo) + ["edit"]
            kind = rng.choice(choices)
            if kind == "edit":
                edits(1)
                continue
            model.replay(redo=kind == "redo")
            add([kind])
    else:
        edits(rng.randint(3, 10))
        for target in ("Copy.awb", "Copy 2.awb"):
            model.files[target] = model.state
            model.current = target
            model.forget_history()  # the history stays with the connection left behind
            add(["save_as", target])
            edits(rng.randint(3, 10))
            if target == "Copy.awb":
                imports("a", "import")
    existing = tuple(name for name, state in model.after[0].items() if state is not None)
    return Plan(scenario, rng.random() < 0.5, rng.random() < 0.4, events, model.after,
                existing)


def describe(event: Event | None) -> str:
    """The kind of step a kill landed in, for the counts."""
    if event is None:
        return "closing, after the last step"
    kind = event[0]
    if kind in ("import", "cli"):
        what = "lead import" if event[1] == "a" else "re-import"
        return what + (" (command line)" if kind == "cli" else "")
    return {"edit": "edit", "undo": "undo", "redo": "redo", "save_as": "Save As"}[kind]


# -- the files of a round --------------------------------------------------------------------
def write_exports(folder: Path) -> None:
    """The two CRM exports of a round, and the mapping the command line is given."""
    for name in ("a", "b"):
        lines = ["ID,Created,Source,Campaign,MQL"]
        for n in export_rows(name):
            day = f"2026-02-{1 + n % 28:02d}"
            mql = f"{day} 15:00:00" if n % 3 == 0 else ""
            lines.append(f"KH{n:06d},{day} 09:00:00,Webinar,kill-{name},{mql}")
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "mapping.json").write_text(json.dumps(MAPPING), encoding="utf-8")


def observe(path: Path) -> tuple[Seen | None, list[str], bool]:
    """Open `path` as the app would and read what the harness's steps made of it: what it
    holds (None when absent), its problems (empty when sound), and whether a lock left
    behind by the killed process was there to be taken over."""
    from workbench.errors import WorkbenchError
    from workbench.lock import lock_path
    from workbench.workbook import Workbook

    if not path.exists():
        return None, [], False
    stale = lock_path(path).exists()
    try:
        workbook = Workbook.open(path, lock=LOCK + " check")
    except WorkbenchError as error:
        return None, [f"{path.name} does not open: {error}"], stale
    with workbook:
        problems = [f"{path.name}: the lock was not taken over ({workbook.read_only})"
                    ] if workbook.read_only else []
        conn = workbook.db.conn
        problems += [f"{path.name}: {row}" for row in conn.execute("PRAGMA integrity_check")
                     if row != ("ok",)]
        problems += [f"{path.name}: foreign key {row}" for row in
                     conn.execute("PRAGMA foreign_key_check")]
        markers = [r[0] for r in conn.execute(
            "SELECT 'decision:' || text FROM decisions WHERE text LIKE 'kill %' UNION ALL "
            "SELECT 'rule:' || label FROM scoring_rules WHERE label LIKE 'kill %' UNION ALL "
            "SELECT 'term:' || key FROM sla_terms WHERE key LIKE 'kill^_%' ESCAPE '^' "
            "UNION ALL SELECT 'actual:' || source FROM actuals WHERE source LIKE 'kill %'")]
        leads = conn.execute("SELECT count(*), total(campaign = 'kill-a'), "
                             "total(campaign = 'kill-b') FROM leads").fetchone()
        dates = conn.execute("SELECT count(*) FROM lead_stage_dates").fetchone()[0]
        batches = conn.execute("SELECT count(*) FROM import_batches").fetchone()[0]
        seen = Seen(tuple(sorted(markers)), workbook.properties().company_name, leads[0],
                    int(leads[1]), int(leads[2]), dates, batches)
    return seen, problems, stale


# -- the child that is killed ----------------------------------------------------------------
def victim(plan_path: Path) -> None:
    """Run a plan's steps, reporting each on stdout once it has returned."""
    from ui.cli import main as command_line
    from workbench.imports import Mapping, chunk_source, lead_import
    from workbench.workbook import Workbook

    sys.stdout = sys.stderr  # what the command prints; stdout carries only the reports
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    folder = plan_path.parent
    if plan["helper"]:  # read by the helper process, fifty rows a chunk, through a pipe
        # of one page: it fills, and the helper waits on it as on a big file's
        chunk_source.HELPER_BYTES, chunk_source.CHUNK_ROWS = 0, 50
        chunk_source._PIPE_BYTES = 4096
    if plan["big"]:  # a big import: indexes rebuilt, written under a rollback journal
        lead_import.BIG_FILE_BYTES, lead_import.BYTES_PER_LEAD = 0, 1
    mapping = Mapping.from_json(json.dumps(MAPPING))
    current = folder / plan["workbook"]
    workbook: Workbook | None = Workbook.open(current, lock=LOCK)
    os.write(1, b"ready\n")
    for index, event in enumerate(plan["events"]):
        began, kind = time.monotonic(), event[0]
        if kind == "cli":
            if workbook is not None:
                workbook.close()
            workbook = None
            status = command_line(["import", str(current), str(folder / f"{event[1]}.csv"),
                                   "--mapping", str(folder / "mapping.json")])
            if status != 0:
                raise SystemExit(f"the import command failed ({status})")
        else:
            if workbook is None:
                workbook = Workbook.open(current, lock=LOCK)
            if kind == "save_as":
                current = folder / event[1]
                workbook = workbook.save_as(current)
            elif kind == "import":
                workbook.leads.import_file(folder / f"{event[1]}.csv", mapping)
            elif kind in ("undo", "redo"):
                workbook.undo() if kind == "undo" else workbook.redo()
            else:
                _do_edit(workbook, event[1], event[2])
        os.write(1, f"{index} {time.monotonic() - began:.4f}\n".encode())
    began = time.monotonic()
    if workbook is not None:
        workbook.close()
    os.write(1, f"end {time.monotonic() - began:.4f}\n".encode())


def _do_edit(workbook: Any, kind: str, number: int) -> None:
    if kind == "decision":
        workbook.workshop.record_decision(f"kill {number}", "kill harness")
    elif kind == "rule":
        workbook.scoring.add_rule(kind="fit", attribute="country", operator="equals",
                                  value=f"K{number}", points=1, label=f"kill {number}")
    elif kind == "delete_rule":
        rule = next(r for r in workbook.scoring.rules() if r.label == f"kill {number}")
        workbook.scoring.delete_rule(rule.id)
    elif kind == "term":
        draft = workbook.sla.versions()[0].id
        workbook.sla.set_term(draft, f"kill_{number}", f"Kill {number}", "Agreed.")
    elif kind == "actual":
        quarter, stage = workbook.plan.quarters()[-1].id, workbook.funnel.stages()[0].id
        workbook.actuals.set_actual(quarter, stage, f"kill {number}", number)
    else:
        workbook.set_properties(company_name=f"Kill {number}")


# -- the rounds ------------------------------------------------------------------------------
@dataclass
class Tally:
    """What the kills found."""

    seed: int
    kills: int = 0
    rounds: int = 0
    finished: int = 0  # rounds whose child ran every step before its kill came
    losses: int = 0
    damaged: int = 0
    leftover_processes: int = 0
    helpers_at_kill: int = 0
    locks_taken_over: int = 0
    journals: Counter[str] = field(default_factory=Counter)  # found beside workbooks
    stray_files: Counter[str] = field(default_factory=Counter)
    stray_examples: list[str] = field(default_factory=list)
    landed: Counter[str] = field(default_factory=Counter)  # the step each kill hit
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"kills: {self.kills}, losses: {self.losses}, leftover processes: "
                f"{self.leftover_processes}, damaged files: {self.damaged}")

    def report(self) -> str:
        landed = ", ".join(f"{kind} {n}" for kind, n in self.landed.most_common())
        lines = [f"seed {self.seed}: {self.rounds} rounds in {self.seconds:.0f} s, "
                 f"{self.finished} ran to the end before their kill (checked too)",
                 f"kills landed in: {landed}",
                 f"kills while the import's helper process was running: {self.helpers_at_kill}",
                 f"locks left by a killed process and taken over: {self.locks_taken_over}",
                 "journals left beside a workbook (recovered on open): "
                 + (", ".join(f"{k} {n}" for k, n in sorted(self.journals.items())) or "none"),
                 "files left in the folder after recovery (never opened as workbooks): "
                 + (", ".join(f"{k} {n}" for k, n in sorted(self.stray_files.items()))
                    or "none")]
        return "\n".join([*lines, *self.stray_examples, *self.failures[:20], self.summary()])


class Harness:
    def __init__(self, seed: int, folder: Path, demo: Path,
                 log: Callable[[str], None] = print) -> None:
        self.rng = random.Random(seed)
        self.folder, self.demo, self.log = folder, demo, log
        self.tally = Tally(seed)
        self.base, problems, _ = observe(demo)
        assert self.base is not None and not problems, problems
        self.durations: dict[str, list[float]] = {}
        write_exports(folder)

    def run(self, kills: int, keep: bool = False) -> Tally:
        started = time.monotonic()
        while self.tally.kills < kills:
            folder = self.folder / f"round {self.tally.rounds:04d}"
            self.tally.rounds += 1
            failures = len(self.tally.failures)
            self.round(folder, make_plan(self.rng))
            if self.tally.rounds % 50 == 0:
                self.log(f"{self.tally.rounds} rounds: {self.tally.summary()}")
            if not keep and len(self.tally.failures) == failures:
                shutil.rmtree(folder)
        self.tally.seconds = time.monotonic() - started
        return self.tally

    def round(self, folder: Path, plan: Plan) -> None:
        folder.mkdir()
        for name in plan.existing:
            shutil.copy(self.demo, folder / name)
        for name in ("a.csv", "b.csv", "mapping.json"):
            os.link(self.folder / name, folder / name)
        plan_path = folder / "plan.json"
        plan_path.write_text(json.dumps({"helper": plan.helper, "big": plan.big,
                                         "workbook": plan.existing[0], "events": plan.events}))
        target = self.target(plan)
        status, lines, killed = self.spawn(plan_path, target, helper=plan.helper)
        steps = [line.split() for line in lines[1:]]
        for index, seconds in steps:
            kind = describe(plan.events[int(index)] if index != b"end" else None)
            self.durations.setdefault(kind, []).append(float(seconds))
        done = sum(1 for index, _ in steps if index != b"end")
        landed = describe(plan.events[done] if done < len(plan.events) else None)
        where = (f"{folder.name} ({plan.scenario}, {done} of {len(plan.events)} steps done"
                 + (f", killed in: {landed})" if killed else ")"))
        if status == HUNG or status not in (0, -signal.SIGKILL) or lines[:1] != [b"ready"]:
            text = (folder / "victim.err").read_text()
            self.tally.failures.append(f"{where}: the child failed ({status}): {text[-800:]}")
            return
        self.tally.finished += target is not None and not killed
        if killed:
            self.tally.kills += 1
            self.tally.landed[landed] += 1
        self.check(folder, plan, done, where)

    def target(self, plan: Plan) -> tuple[int, float] | None:
        """When to kill: a kind of step picked evenly among the plan's (so undo and Save As
        are hit as often as edits; closing the workbook after the last step now and then),
        one of its steps, and a moment within the time such a step takes; None (no kill)
        while that time is not known yet."""
        kinds: dict[str, list[int]] = {}
        for index, event in enumerate(plan.events):
            kinds.setdefault(describe(event), []).append(index)
        kind = self.rng.choice(sorted(kinds))
        if self.rng.random() < 0.05:
            kind = describe(None)
            kinds[kind] = [len(plan.events)]
        index = self.rng.choice(kinds[kind])
        known = self.durations.get(kind)
        if not known:
            return None
        return index, self.rng.uniform(0, statistics.median(known) * 1.2)

    def spawn(self, plan_path: Path, target: tuple[int, float] | None, *, helper: bool
              ) -> tuple[int, list[bytes], bool]:
        """Run the child; once it has reported the steps before the target's, wait the
        target's delay and kill it. Its exit status (`HUNG` if it had to be stopped), its
        lines, and whether it was killed."""
        with (plan_path.parent / "victim.err").open("w") as errors:
            child = subprocess.Popen([sys.executable, __file__, "--victim", str(plan_path)],
                                     stdout=subprocess.PIPE, stderr=errors, cwd=ROOT)
            hung: list[bool] = []
            watchdog = threading.Timer(HUNG_SECONDS, lambda: (hung.append(True), child.kill()))
            watchdog.start()
            assert child.stdout is not None
            lines, killed = [child.stdout.readline().strip()], False
            if target is not None and lines == [b"ready"]:
                while len(lines) <= target[0] and (line := child.stdout.readline()):
                    lines.append(line.strip())
                time.sleep(target[1])
                self.tally.helpers_at_kill += helper and bool(children(child.pid))
                if child.poll() is None:
                    child.kill()
                    killed = True
            lines += child.stdout.read().splitlines()
            status = child.wait()
            watchdog.cancel()
        return HUNG if hung else status, lines, killed and status == -signal.SIGKILL

    def check(self, folder: Path, plan: Plan, done: int, where: str) -> None:
        left = leftovers(folder)
        if left:
            self.tally.leftover_processes += len(left)
            self.tally.failures.append(f"{where}: processes left over: {left}")
        names = list(plan.after[0])
        for name in names:
            for suffix in ("-journal", "-wal"):
                if Path(f"{folder / name}{suffix}").exists():
                    self.tally.journals[suffix.lstrip("-")] += 1
        seen, damaged = {}, False
        for name in names:
            seen[name], problems, stale = observe(folder / name)
            self.tally.locks_taken_over += stale and not problems
            if problems:
                damaged = True
                self.tally.failures.append(f"{where}: {'; '.join(problems)}")
        self.tally.damaged += damaged
        if not damaged:
            allowed = [plan.after[min(k, len(plan.after) - 1)] for k in (done, done + 1)]
            expected = [{n: None if s is None else expected_seen(s, self.base)
                         for n, s in after.items()} for after in allowed]
            if seen not in expected:
                self.tally.losses += 1
                self.tally.failures.append(f"{where}: holds {seen}, expected one of "
                                           f"{expected}")
        known = {*names, "a.csv", "b.csv", "mapping.json", "plan.json", "victim.err"}
        for path in sorted(folder.iterdir()):
            if _would_replay(path):
                self.tally.damaged += 1
                self.tally.failures.append(f"{where}: {path.name} is a journal SQLite would "
                                           "play back into a file that has moved on")
            if path.name not in known:
                self.tally.stray_files[_kind_of(path.name)] += 1
                if len(self.tally.stray_examples) < 10:
                    self.tally.stray_examples.append(
                        f"  {where}: {path.name} ({path.stat().st_size:,} bytes)")


def _would_replay(path: Path) -> bool:
    """A journal left after recovery that is hot (its header's magic written: SQLite plays
    it back on the next open) beside a complete file, or a Save As copy's journal without
    the copy. One whose magic is still zero was killed before its first sync, when nothing
    had been written to the file yet: SQLite ignores it, and so does this check."""
    if path.name.endswith(".partial-journal"):
        return not path.with_name(path.name.removesuffix("-journal")).exists()
    if not path.name.endswith("-journal"):
        return False
    with path.open("rb") as journal:
        return journal.read(8).strip(b"\0") != b""


def _kind_of(name: str) -> str:
    """A stray file's kind, for the counts: its name without the random part."""
    for ending in (".partial-journal", ".partial", "-journal", "-wal", "-shm", ".lock"):
        if name.endswith(ending):
            return "*" + ending
    return "*.lock.PID" if ".lock." in name else name


def run(kills: int, seed: int, folder: Path, demo: Path | None = None, *, keep: bool = False,
        log: Callable[[str], None] = print) -> Tally:
    """Kill `kills` children in rounds under `folder`; `demo` is a demo workbook to copy
    (made when not given)."""
    if demo is None:
        from workbench.workbook import Workbook

        demo = folder / "demo.awb"
        Workbook.create(demo, "demo").close()
    return Harness(seed, folder, demo, log).run(kills, keep)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep every round's folder")
    parser.add_argument("--victim", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.victim:
        victim(args.victim)
        return
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    print(f"seed {seed}", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="kill-harness-"))
    tally = run(args.kills, seed, folder, keep=args.keep,
                log=lambda line: print(line, flush=True))
    print(tally.report())
    if tally.failures:
        print(f"the rounds that failed are kept in {folder}")
    elif not args.keep:
        shutil.rmtree(folder)
    sys.exit(1 if tally.failures else 0)


if __name__ == "__main__":
    main()
