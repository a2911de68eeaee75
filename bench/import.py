"""How fast a million-lead CRM export imports and re-imports, against the sqlite3 shell.

Generates a 1,000,000-lead CSV (~150 MB, 11 columns, 4 of them dates) in /tmp, and a copy
a month later with every tenth lead's owner changed; then, in rounds (three by default:
this machine's speed drifts within minutes, so each step is compared with the shell's load
of the same round, and the medians are reported):
- loads the file with the sqlite3 shell's `.import --csv` (no types, no checks: the floor);
- imports it into a new workbook (the first import);
- imports the same file again into a copy of that workbook (every lead unchanged);
- imports the changed copy into another copy of it (10 % of the leads updated by lead ID).
Each import runs in a child process, as `alignment-workbench import` does: the workbook is
opened (timed apart: the command line checks every page of a file it did not write, the
app's dialog imports into the workbook it has open), then `Leads.import_file` is timed —
the code path the command line and the dialog share. Peak memory is sampled from /proc
while it runs: the proportional set size of the import and the helper process it forks to
read the file, summed (pages the two share counted once); their own peak resident sizes
(`resource.getrusage`) are printed beside it. The disk is synced between runs so none pays
for the writes of the one before.
Then (unless --skip-slow) the same rows into the workbook schema unchecked (what Python's
sqlite3 costs at least) and `sqlite-utils insert --csv`; and the closed-loop numbers of
every quarter, the monthly summaries rebuilt, and pages of the leads table.
Targets: first import ≤ 3× the shell (aim 2×) with peak memory ≤ 150 MB; unchanged
re-import ≤ 1.5×; 10 % changed ≤ 2.5×; quarterly numbers ≤ 1 s.

    .venv/bin/python bench/import.py [--leads 1000000] [--rounds 3] [--skip-slow] [--keep]
    .venv/bin/python bench/import.py --leads 10000000 --against 1000000 --rounds 1 --skip-slow

With `--against`, the smaller size is measured first in the same run, and the first
import's time and the three peaks are compared between the sizes (targets at ten times the
leads: at most 11 times the time, no more memory).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("Paid search", "Webinar", "Content download", "Events", "Organic",
           "Partner referral", "Outbound SDR")
OWNERS = ("Anna Schmidt-Berger", "Ben Okafor", "Chloé Martin", "Dmitri Ivanov", "Eva Lindqvist")
DISPOSITIONS = ("accepted", "contacted", "nurture", "not_a_fit", "no_response", "converted")
HEADER = ["Lead ID", "Created", "Source", "Campaign", "Owner", "Score", "MQL Date",
          "First Touch", "Disposition", "Amount", "Won Date"]
MAPPING = {"version": 1, "fields": {
    "external_id": "Lead ID", "created": "Created", "source": "Source", "campaign": "Campaign",
    "owner": "Owner", "score": "Score", "first_touch": "First Touch",
    "disposition": "Disposition", "amount": "Amount", "won": "Won Date"},
    "stage_dates": {"MQL": "MQL Date"}, "date_format": "iso", "decimal_comma": False}


def generate(path: Path, leads: int) -> None:
    """A HubSpot-like export: ISO times, 40 % MQLs, most touched, a few deals and wins."""
    rng = random.Random(11)
    start, span = datetime(2023, 1, 1), 3 * 365 * 86400
    campaigns = {s: [f"{s} – 2025 spring campaign, wave {n} (EMEA)" for n in range(1, 6)]
                 for s in SOURCES}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(leads):
            created = start + timedelta(seconds=int(rng.random() * span))
            source = SOURCES[n % len(SOURCES)]
            mql = created + timedelta(minutes=rng.randint(10, 3600)) if rng.random() < 0.4 else None
            touch = mql + timedelta(minutes=int(rng.lognormvariate(6.5, 1))) \
                if mql and rng.random() < 0.88 else None
            amount = round(rng.lognormvariate(10.9, 0.45), -2) if mql and rng.random() < 0.15 \
                else None
            won = mql + timedelta(days=rng.randint(20, 160)) if amount and rng.random() < 0.3 \
                else None
            writer.writerow([
                f"00Q5e{n:013d}", f"{created:%Y-%m-%d %H:%M:%S}", source,
                rng.choice(campaigns[source]), rng.choice(OWNERS), rng.randint(0, 120),
                f"{mql:%Y-%m-%d %H:%M:%S}" if mql else "",
                f"{touch:%Y-%m-%d %H:%M:%S}" if touch else "",
                rng.choice(DISPOSITIONS) if mql and rng.random() < 0.7 else "",
                f"{amount:.2f}" if amount else "", f"{won:%Y-%m-%d}" if won else ""])


CHILD = """
import json, resource, sys, time
from workbench.imports import Mapping
from workbench.workbook import Workbook
started = time.perf_counter()
workbook = Workbook.open(sys.argv[1], lock="alignment-workbench import")
opened = time.perf_counter()
mapping = Mapping.from_json(open(sys.argv[3], encoding="utf-8").read())
_, report = workbook.leads.import_file(sys.argv[2], mapping)
imported = time.perf_counter()
workbook.close()
print(report.summary())
mine, helper = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"code": 0, "seconds": time.perf_counter() - opened,
                  "open_seconds": opened - started,
                  "cpu_seconds": mine.ru_utime + mine.ru_stime + helper.ru_utime + helper.ru_stime,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "helper_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def ours(folder: Path, export: Path, target: Path) -> dict[str, Any]:
    """Import `export` into the workbook `target`, in a child process of its own."""
    settle()
    result = _import_watched([sys.executable, "-c", CHILD, str(target), str(export),
                              str(folder / "mapping.json")])
    if result["code"] != 0:
        raise SystemExit(f"import failed: {result['output']}")
    return result


def _import_watched(command: list[str]) -> dict[str, Any]:
    """Run an import, sampling the memory of it and its helper process as they run: the
    sum of their proportional set sizes (pages the two share counted once), whose peak is
    what the import really holds; their separate peak resident sizes double-count those
    shared pages."""
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                   text=True, cwd=ROOT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_pss_kb(process.pid))
            time.sleep(0.05)
        output.seek(0)
        text = output.read()
    try:
        result: dict[str, Any] = json.loads(text.splitlines()[-1])
    except (IndexError, ValueError):
        raise SystemExit(f"import failed: {text}") from None
    result["output"] = text
    result["pss_mb"] = peak / 1024
    return result


def _tree_pss_kb(pid: int) -> int:
    """The proportional set size of a process and its children, in kB (0 once gone)."""
    total = 0
    try:
        total += _pss_kb(pid)
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _pss_kb(int(child))
    except (OSError, ValueError):
        pass
    return total


def _pss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def sqlite_floor(folder: Path, export: Path) -> float:
    """The same rows written into the same workbook schema with nothing checked, the way
    the import writes them: csv rows passed straight to `executemany`, fifty rows to an
    INSERT (empty cells as "", made NULL by SQL: binding None costs the sqlite3 module
    twice as much), MQL dates row by row, won dates copied from the leads by SQL (entry
    dates left implicit, as the import leaves them), the secondary indexes dropped and
    built again (one sorter thread), the file written directly under a rollback journal,
    one commit, the file closed. What any import through Python's sqlite3 in one process
    pays at least."""
    from workbench.workbook import Workbook

    workbook = Workbook.create(folder / "floor.awb", "blank", overwrite=True)
    conn = workbook.db.conn
    mql, won = (workbook.funnel.stage_by_key(k).id  # type: ignore[union-attr]
                for k in ("mql", "customer"))
    row = "(?, ?, ?, ?, ?, ?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), nullif(?, ''))"
    into = ("INSERT INTO leads (id, external_id, created_at, source, campaign, owner, score, "
            "first_touch_at, disposition, amount, won_at) VALUES ")
    one, fifty = into + row, into + ", ".join([row] * 50)
    started = time.perf_counter()
    conn.execute("PRAGMA journal_mode = DELETE")
    with workbook.db.atomic(), workbook.history.untracked("leads", "lead_stage_dates"):
        indexes = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND "
                               "sql IS NOT NULL AND tbl_name IN ('leads', 'lead_stage_dates')"
                               ).fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        with export.open(newline="", encoding="utf-8") as handle:
            rows = csv.reader(handle)
            next(rows)
            first = 1
            while batch := [r for _, r in zip(range(2000), rows, strict=False)]:
                last = first + len(batch) - 1
                values = [v for i, r in enumerate(batch) for v in (
                    first + i, r[0], r[1], r[2], r[3], r[4], r[5], r[7], r[8], r[9], r[10])]
                whole = len(values) - len(values) % 550
                conn.executemany(fifty, [values[i:i + 550] for i in range(0, whole, 550)])
                conn.executemany(one, [values[i:i + 11] for i in range(whole, len(values), 11)])
                conn.executemany("INSERT INTO lead_stage_dates VALUES (?, ?, ?)", [
                    (first + i, mql, r[6]) for i, r in enumerate(batch) if r[6]])
                conn.execute(f"INSERT INTO lead_stage_dates SELECT id, {won}, won_at "
                             f"FROM leads WHERE id BETWEEN ? AND ? AND won_at IS NOT NULL",
                             (first, last))
                first = last + 1
        for _, sql in indexes:
            conn.execute(sql)
    conn.execute("PRAGMA journal_mode = WAL")  # as the import leaves it
    workbook.close()
    return time.perf_counter() - started


def settle() -> None:
    """Let the disk catch up with the previous run (its 300 MB of writes), so a run is not
    slowed by the one before it flushing its pages."""
    os.sync()
    time.sleep(1)


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started



def shell(folder: Path, export: Path) -> float:
    """The shell's load into a new file."""
    return shell_with_cpu(folder, export)[0]


def shell_with_cpu(folder: Path, export: Path) -> tuple[float, float]:
    """The shell's load into a new file: its time, and its CPU seconds (user and system:
    what other work on this shared machine slows less)."""
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 shell is missing: apt-get install -y sqlite3")
    settle()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = timed(["sqlite3", str(folder / "shell.db"), f".import --csv {export} leads"])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    (folder / "shell.db").unlink()
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


STEPS = ("first import", "unchanged re-import", "10 % changed re-import")
TARGETS = {"first import": 3.0, "unchanged re-import": 1.5, "10 % changed re-import": 2.5}


def rounds(folder: Path, export: Path, changed: Path, count: int
           ) -> tuple[list[tuple[float, float]], dict[str, list[dict[str, Any]]]]:
    """Per round: the shell's load, then our three imports, each timed against that
    round's shell (this machine's speed drifts by a third within minutes)."""
    from workbench.workbook import Workbook

    (folder / "mapping.json").write_text(json.dumps(MAPPING), encoding="utf-8")
    shells: list[tuple[float, float]] = []
    steps: dict[str, list[dict[str, Any]]] = {step: [] for step in STEPS}
    for n in range(count):
        shells.append(shell_with_cpu(folder, export))
        target = folder / "bench.awb"
        Workbook.create(target, "blank", overwrite=True).close()
        runs = [("first import", export, target)]
        for step, path in (("unchanged re-import", export), ("10 % changed re-import", changed)):
            runs.append((step, path, folder / "again.awb"))
        for step, path, into in runs:
            if into != target:
                shutil.copyfile(target, into)
            result = ours(folder, path, into)
            steps[step].append(result)
            print(f"  round {n + 1}, {step}: {result['seconds']:.1f} s = "
                  f"{result['seconds'] / shells[-1][0]:.2f}× the shell's {shells[-1][0]:.1f} s "
                  f"(CPU {result['cpu_seconds']:.1f} s, the shell's {shells[-1][1]:.1f} s), "
                  f"peak {result['pss_mb']:.0f} MB — {result['output'].splitlines()[-2]}",
                  flush=True)
            if into != target:
                into.unlink()
    return shells, steps


def report(shells: list[tuple[float, float]], steps: dict[str, list[dict[str, Any]]]) -> None:
    """Each step's median ratio to the shell, its median time, and its peak memory."""
    floor = statistics.median(t for t, _ in shells)
    print(f"sqlite3 shell .import --csv: {floor:.1f} s (median of "
          f"{', '.join(f'{t:.1f}' for t, _ in shells)} s; CPU "
          f"{statistics.median(c for _, c in shells):.1f} s)")
    for step in STEPS:
        results = steps[step]
        ratios = [r["seconds"] / s for r, (s, _) in zip(results, shells, strict=True)]
        cpu = [r["cpu_seconds"] / c for r, (_, c) in zip(results, shells, strict=True)]
        memory = max(results, key=lambda r: r["pss_mb"])
        opened = statistics.median(r["open_seconds"] for r in results)
        print(f"{step}: {statistics.median(r['seconds'] for r in results):.1f} s = "
              f"{statistics.median(ratios):.2f}× the shell (target ≤ {TARGETS[step]}×; "
              f"round by round {', '.join(f'{x:.2f}×' for x in ratios)}); peak memory "
              f"{memory['pss_mb']:.0f} MB (import and helper together; their own peak "
              f"resident sizes {memory['peak_mb']:.0f} and {memory['helper_mb']:.0f} MB); "
              f"opening the workbook before it {opened:.1f} s (the command line's check of "
              f"every page); CPU {statistics.median(cpu):.2f}× the shell's (import and "
              "helper together)")


def sqlite_utils(folder: Path, export: Path) -> float:
    tool = Path(sys.executable).with_name("sqlite-utils")
    return timed([str(tool), "insert", str(folder / "utils.db"), "leads", str(export), "--csv"])


def changed_copy(export: Path, every: int) -> Path:
    """The same export a month later: every `every`-th lead has a new owner."""
    changed = export.with_name("changed.csv")
    with export.open(newline="", encoding="utf-8") as source, \
            changed.open("w", newline="", encoding="utf-8") as target:
        rows, writer = csv.reader(source), csv.writer(target)
        writer.writerow(next(rows))
        for n, row in enumerate(rows):
            if n % every == 0:
                row[4] = "Farah Haddad"
            writer.writerow(row)
    return changed


def derived(folder: Path) -> None:
    """Closed-loop numbers for every quarter, the summaries rebuilt, the leads table paged."""
    from workbench import closed_loop
    from workbench.leads import LeadFilter
    from workbench.workbook import Workbook

    with Workbook.open(folder / "bench.awb") as workbook:
        for label in [f"{y}Q{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)]:
            workbook.plan.add_quarter(label)
        quarters = workbook.plan.quarters()
        started = time.perf_counter()
        for q in quarters:
            closed_loop.follow_up(workbook, q.id, 24)
            closed_loop.stage_volumes(workbook, q.id)
            closed_loop.time_in_stage(workbook, q.id)
            closed_loop.dispositions(workbook, q.id)
            closed_loop.pipeline(workbook, q.id)
            closed_loop.sourced_shares(workbook, q.id)
            closed_loop.customers_by_source(workbook, q.id)
        numbers = time.perf_counter() - started
        print(f"  every number of all {len(quarters)} quarters: {numbers * 1000:.0f} ms "
              f"(target ≤ 1,000 ms)")
        started = time.perf_counter()
        closed_loop.refresh(workbook, force=True)
        print(f"  monthly summaries rebuilt from all leads: {time.perf_counter() - started:.1f} s"
              f" (the import keeps them current; this is what leads written by other code cost)")
        _pages(workbook, quarters[5].id, LeadFilter)


def _pages(workbook: object, quarter_id: object, lead_filter: type) -> None:
    leads = workbook.leads  # type: ignore[attr-defined]
    mql, entry = (workbook.funnel.stage_by_key(k).id  # type: ignore[attr-defined]
                  for k in ("mql", "inquiry"))
    total = leads.count()
    cases = [("all, by created, first page", lead_filter(), "created_at", 0),
             ("all, by created, last page", lead_filter(), "created_at", total - 100),
             ("all, by amount, middle", lead_filter(), "amount", total // 2),
             ("a quarter's MQLs, by owner", lead_filter(quarter_id=quarter_id, stage_id=mql),
              "owner", 0),
             ("a quarter's inquiries (implicit entry dates), by owner",
              lead_filter(quarter_id=quarter_id, stage_id=entry), "owner", 0),
             ("one source, by created, middle", lead_filter(source="Webinar"), "created_at",
              total // 14)]
    for name, which, sort, offset in cases:
        started = time.perf_counter()
        count = leads.count(which)
        rows = leads.page(which, sort=sort, offset=offset, limit=100)
        first = time.perf_counter() - started
        started = time.perf_counter()
        leads.page(which, sort=sort, offset=offset + 100, limit=100)
        print(f"  leads table, {name}: count {count:,} + {len(rows)} rows in "
              f"{first * 1000:.0f} ms, the next 100 in "
              f"{(time.perf_counter() - started) * 1000:.0f} ms")


def measure(leads: int, count: int) -> tuple[Path, list[tuple[float, float]],
                                             dict[str, list[dict[str, Any]]]]:
    """Generate an export of `leads` leads and its changed copy, run `count` rounds, print
    them and the medians; the folder, the shell's times and the steps' results."""
    folder = Path(tempfile.mkdtemp(prefix="aw-import-bench-", dir="/tmp"))
    export = folder / "leads.csv"
    started = time.perf_counter()
    generate(export, leads)
    print(f"{leads:,} leads, {export.stat().st_size / 1e6:.0f} MB, {len(HEADER)} columns "
          f"(generated in {time.perf_counter() - started:.0f} s, {folder})")
    changed = changed_copy(export, 10)
    shells, steps = rounds(folder, export, changed, count)
    report(shells, steps)
    return folder, shells, steps


def scale(sizes: tuple[int, int], shells: tuple[list[tuple[float, float]], ...],
          steps: tuple[dict[str, list[dict[str, Any]]], ...]) -> None:
    """The first import at the bigger size against the smaller: time (target ≤ 11× at ten
    times the leads) and peak memory (target: no higher), the shell's growth beside."""
    small, big = sizes
    first = [statistics.median(r["seconds"] for r in s["first import"]) for s in steps]
    floor = [statistics.median(t for t, _ in s) for s in shells]
    memory = [[max(r["pss_mb"] for r in s[step]) for step in STEPS] for s in steps]
    print(f"first import of {big:,} leads: {first[1]:.1f} s = {first[1] / first[0]:.1f}× "
          f"the {first[0]:.1f} s of {small:,} (target ≤ {1.1 * big / small:.0f}×; the "
          f"shell's own load {floor[1] / floor[0]:.1f}×); peak memory "
          f"{' / '.join(f'{m:.0f}' for m in memory[1])} MB against "
          f"{' / '.join(f'{m:.0f}' for m in memory[0])} MB ({', '.join(STEPS)}; target: "
          "no higher)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=int, metavar="LEADS",
                        help="also measure this many leads in the same run (the same "
                             "rounds, before the others), and compare the two sizes")
    parser.add_argument("--skip-slow", action="store_true",
                        help="only the shell and the three imports")
    parser.add_argument("--keep", action="store_true", help="keep the files in /tmp")
    args = parser.parse_args()
    # The imports run from Python's bytecode cache, as a user's do: a shell that says not
    # to write it would have each child compile the importer's modules again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.against is not None:
        small, small_shells, small_steps = measure(args.against, args.rounds)
        if not args.keep:
            shutil.rmtree(small)
    folder, shells, steps = measure(args.leads, args.rounds)
    if args.against is not None:
        scale((args.against, args.leads), (small_shells, shells), (small_steps, steps))
    if not args.skip_slow:
        export = folder / "leads.csv"
        floor = statistics.median(t for t, _ in shells)
        seconds = statistics.median(r["seconds"] for r in steps["first import"])
        settle()
        unchecked = sqlite_floor(folder, export)
        print(f"the same rows into the workbook schema, unchecked (executemany, indexes, "
              f"commit): {unchecked:.1f} s = {unchecked / floor:.1f}× the shell; the first "
              f"import is {seconds / unchecked:.1f}× that")
        settle()
        utils = sqlite_utils(folder, export)
        print(f"sqlite-utils insert --csv: {utils:.1f} s = {utils / floor:.1f}× the shell; the "
              f"first import is {utils / seconds:.1f}× faster")
        derived(folder)
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    main()
