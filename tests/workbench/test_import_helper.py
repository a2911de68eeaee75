"""A big file is read, checked and summarised by a helper process while the workbook is
written: what a user sees must not depend on it. Every test here makes every file count
as big (and reads two rows at a time, so there are many chunks) and compares with the
same import done in one process, or checks the refusal message and that nothing changed."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench import closed_loop
from workbench.imports import (
    FileUnreadable,
    ImportCancelled,
    ImportFailed,
    Mapping,
    chunk_source,
    import_leads,
    import_summary,
)
from workbench.workbook import Workbook

from .snapshot import dump, integrity_problems
from .test_closed_loop import MAPPING as CLOSED_LOOP
from .test_import_formats import FIXTURES, assert_refused_whole, write
from .test_import_undo import round_trip

pytestmark = pytest.mark.skipif(not chunk_source.can_use_helper(),
                                reason="the helper process needs fork (Linux)")

FULL = Mapping(fields={"external_id": "ID", "created": "Created", "source": "Source",
                       "amount": "Amount", "stage": "Stage"},
               stage_dates={"MQL": "MQL"}, date_format="iso")
HEADER = "ID,Created,Source,Amount,Stage,MQL\n"
LEAD_TABLES = ("leads", "lead_stage_dates", "lead_summary_cells", "lead_summary_hours")


@pytest.fixture
def helper(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file goes through the helper, two rows a chunk, added up into the summaries
    five rows at a time (one process adds a small file up at once); lists what read each
    import."""
    used: list[str] = []
    monkeypatch.setattr(chunk_source, "HELPER_BYTES", 0)
    monkeypatch.setattr(chunk_source, "CHUNK_ROWS", 2)
    monkeypatch.setattr(import_summary, "SUMMARY_ROWS", 5)
    real = chunk_source.read_in_helper

    def counted(*args: object) -> object:
        used.append("helper")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr("workbench.imports.lead_import.read_in_helper", counted)
    return used


def tables(wb: Workbook) -> dict[str, object]:
    found = dump(wb)
    return {table: found[table] for table in LEAD_TABLES}


def in_one_process(path: Path, mapping: Mapping, **options: object) -> Workbook:
    wb = Workbook.in_memory("blank")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunk_source, "HELPER_BYTES", 1 << 62)
        import_leads(wb, path, mapping, **options)  # type: ignore[arg-type]
    return wb


def test_the_helper_gives_the_same_leads_dates_and_summaries(helper: list[str],
                                                            tmp_path: Path) -> None:
    path = FIXTURES / "closed_loop_leads.csv"
    usual = in_one_process(path, CLOSED_LOOP)
    wb = Workbook.create(tmp_path / "w.awb", "blank")
    _, report = import_leads(wb, path, CLOSED_LOOP)
    assert helper == ["helper"]
    assert report.added == usual.leads.count() == 7
    assert tables(wb) == tables(usual)
    quarter = wb.plan.add_quarter("2026Q1")[1]
    usual_quarter = usual.plan.add_quarter("2026Q1")[1]
    assert closed_loop.follow_up(wb, quarter, 24) == closed_loop.follow_up(usual, usual_quarter, 24)
    assert integrity_problems(wb) == []
    assert multiprocessing.active_children() == []


def test_an_import_through_the_helper_undoes_and_redoes_as_one_step(
        helper: list[str], blank: Workbook) -> None:
    round_trip(blank, lambda: import_leads(blank, FIXTURES / "closed_loop_leads.csv",
                                           CLOSED_LOOP))
    assert helper


def test_unknown_stage_names_seen_by_the_helper_are_reported(helper: list[str],
                                                            tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,2026-01-05 09:00:00,Web,,Lead,\n"
                                    "B,2026-01-06 09:00:00,Web,,Nurturing,\n"
                                    "C,2026-01-07 09:00:00,Web,,Nurturing,\n")
    wb = Workbook.in_memory("blank")
    _, report = import_leads(wb, path, FULL)
    assert helper
    assert report.notes == ("“Nurturing” (2 leads) in “Stage” is not a stage of this funnel, "
                            "so those leads got no date from it; add it to a stage's CRM names "
                            "to count it.",)


def test_a_bad_value_found_by_the_helper_is_named_and_nothing_changes(
        helper: list[str], blank: Workbook, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,2026-01-05 09:00:00,Web,,,\n"
                                    "B,2026-01-06 09:00:00,Web,,,\n"
                                    "C,2026-02-30 09:00:00,Web,,,\n")
    assert_refused_whole(blank, ImportFailed, "leads.csv, line 4, column “Created”: "
                         "“2026-02-30 09:00:00”", lambda: import_leads(blank, path, FULL))
    assert helper


def test_a_file_the_helper_cannot_parse_is_refused_whole(helper: list[str], blank: Workbook,
                                                         tmp_path: Path) -> None:
    # Far enough down that the preview, which reads the start, does not see it.
    good = "".join(f"L{i},2026-01-05 09:00:00,Web,,,\n" for i in range(3000))
    path = write(tmp_path, HEADER + good + 'C,2026-01-07 09:00:00,"Web,,,\n')
    assert_refused_whole(blank, FileUnreadable, "line 3002", lambda: import_leads(
        blank, path, FULL))
    assert helper


def test_a_lead_id_repeated_across_chunks_can_be_skipped_and_the_summaries_stay_right(
        helper: list[str], tmp_path: Path) -> None:
    text = HEADER + "".join(f"{i},2026-01-0{i} 10:00:00,Web,{i}00,,2026-01-0{i} 12:00:00\n"
                            for i in (1, 2, 3, 1, 4))
    path = write(tmp_path, text)
    wb = Workbook.in_memory("blank")
    _, report = import_leads(wb, path, FULL, skip_bad_rows=True)
    assert (report.added, report.skipped) == (4, 1)
    assert "line 5" in str(report.problems[0])
    # The helper counted the repeated row; the summaries were rebuilt from what was written.
    assert tables(wb) == tables(in_one_process(path, FULL, skip_bad_rows=True))


def test_cancel_stops_the_helper_and_changes_nothing(helper: list[str], blank: Workbook) -> None:
    chunks: list[object] = []

    def cancel() -> bool:
        chunks.append(None)
        return len(chunks) > 3

    assert_refused_whole(blank, ImportCancelled, "nothing was changed", lambda: import_leads(
        blank, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP, cancel=cancel))
    assert helper
    assert multiprocessing.active_children() == []


def test_a_helper_stopped_midway_leaves_no_file_of_hours(
        helper: list[str], blank: Workbook, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The hours it kept in a file (see `hour_spill`) go with it, as do those of an
    import that ends (the file goes with the summaries once written)."""
    import tempfile

    from workbench.imports import summariser

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(summariser, "_SETTLE_HOURS", 0)  # each lead's hours to the file
    chunks: list[object] = []

    def cancel() -> bool:
        chunks.append(None)
        return len(chunks) > 3

    with pytest.raises(ImportCancelled):
        import_leads(blank, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP, cancel=cancel)
    assert list(tmp_path.glob("aw-import-hours-*")) == []
    # One an importer killed midway left (its process is gone): removed by the next.
    (tmp_path / "aw-import-hours-999999999-999999999-x.f8").write_bytes(b"")
    import_leads(blank, FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP)
    assert list(tmp_path.glob("aw-import-hours-*")) == []


def test_a_helper_that_dies_is_reported_and_nothing_changes(
        helper: list[str], blank: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    def dies(*_: object) -> None:
        os._exit(9)  # as if killed: no message at all

    monkeypatch.setattr(chunk_source, "_help", dies)
    assert_refused_whole(blank, chunk_source.HelperFailed, "ended unexpectedly",
                         lambda: import_leads(blank, FIXTURES / "closed_loop_leads.csv",
                                              CLOSED_LOOP))


def test_small_files_are_read_in_this_process(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[str] = []
    monkeypatch.setattr("workbench.imports.lead_import.read_in_helper",
                        lambda *a: used.append("helper"))
    import_leads(Workbook.in_memory("blank"), FIXTURES / "closed_loop_leads.csv", CLOSED_LOOP)
    assert used == []


def test_refusals_keep_their_details_when_sent_between_processes() -> None:
    failed = ImportFailed("x.csv", [], 3)
    unreadable = FileUnreadable(Path("/tmp/y.csv"), "the file is empty")
    for error in (failed, unreadable, ImportCancelled()):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert copy.__dict__ == error.__dict__


def test_a_chunk_arrives_as_it_was_sent() -> None:
    from decimal import Decimal

    from workbench.imports.lead_chunks import Chunk
    from workbench.imports.problems import RowProblem

    refused = [[RowProblem("a.csv", 7, "Created", "2026-02-30", "no such day")]]
    plain = Chunk(range(2, 6), [["A", "B"], [1.5, float("nan")]], [(0, 3, "2026-01-01T00:00:00")],
                  refused, {3: ["2026-01-01T00:00:00", None]})
    odd = Chunk([2, 4], [["A", "B"], [Decimal("1.5"), None]], [])  # marshal cannot: pickled
    for chunk in (plain, odd):
        sent = chunk_source.Read(chunk, 10, 20)
        message = chunk_source._message(sent)
        came = (chunk_source._read_from(message) if message[:1] == chunk_source._CHUNK
                else pickle.loads(message)[1])
        assert (came.done, came.total) == (10, 20)
        assert list(came.chunk.lines) == list(chunk.lines)
        assert repr(came.chunk.columns) == repr(chunk.columns)  # NaN compares by its text
        assert came.chunk.dates == chunk.dates and came.chunk.refused == chunk.refused
        assert came.chunk.stage_columns == chunk.stage_columns
    assert chunk_source._message(chunk_source.Read(odd, 1, 1))[:1] != chunk_source._CHUNK


@pytest.mark.parametrize("settle", [None, 700], ids=["hours-settled-once", "in-pieces"])
def test_a_reimport_through_the_helper_keeps_adding_up_new_leads_only(
        helper: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        settle: int | None) -> None:
    """The helper reads the workbook as it was (a connection of its own), so it names
    the leads the workbook has, and they are left out of the new leads added up; the
    writer takes the updated ones out as they were and puts them in as they are, instead
    of summarising every lead again. The hours taken out wait in a file, as those kept
    do: `settle` sends them there in many pieces."""
    from workbench.imports import summariser
    from workbench.imports.import_summary import ImportSummary

    if settle is not None:
        monkeypatch.setattr(summariser, "_SETTLE_HOURS", settle)

    monkeypatch.setattr(chunk_source, "CHUNK_ROWS", 20)
    rows = [f"L{i},2026-01-{1 + i % 28:02d} 09:00:00,Webinar,{i}00,,2026-01-28 10:00:00\n"
            for i in range(20_000)]
    first = write(tmp_path, HEADER + "".join(rows))
    again = write(tmp_path, HEADER + "".join(r.replace("Webinar", "Events") for r in rows),
                  "again.csv")
    usual = Workbook.in_memory("blank")  # the reference: both files read in one process
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunk_source, "HELPER_BYTES", 1 << 62)
        for path in (first, again):
            import_leads(usual, path, FULL)
    rebuilt: list[object] = []
    rebuild = ImportSummary.rebuild

    def recorded(self: ImportSummary) -> None:
        rebuilt.append(self)
        rebuild(self)

    monkeypatch.setattr(ImportSummary, "rebuild", recorded)
    wb = Workbook.create(tmp_path / "w.awb", "blank")
    import_leads(wb, first, FULL)
    assert rebuilt == []  # a first import: its leads are added up as they arrive
    _, report = import_leads(wb, again, FULL)
    assert (report.added, report.updated) == (0, 20_000)
    assert helper and rebuilt == []  # none added up as new, the updated taken out and in
    assert tables(wb) == tables(usual)  # the same as read here
    kept = tables(wb)
    assert closed_loop.refresh(wb, force=True)
    assert tables(wb) == kept  # and as a rebuild from the leads


KILLED_MID_IMPORT = """
import multiprocessing, os, signal, sys
from pathlib import Path
from workbench.imports import Mapping, chunk_source, import_leads
from workbench.workbook import Workbook

chunk_source.HELPER_BYTES = 0
chunk_source.CHUNK_ROWS = 50

def progress(_):
    helpers = [p.pid for p in multiprocessing.active_children()]
    if helpers:
        print(*helpers, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

wb = Workbook.open(Path(sys.argv[1]))
import_leads(wb, Path(sys.argv[2]), Mapping(fields={"external_id": "ID", "created": "Created"}),
             progress=progress)
"""


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (FileNotFoundError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie has stopped: only its exit status is left


@pytest.mark.skipif(not chunk_source.can_use_helper() or not Path("/proc").is_dir(),
                    reason="the helper process needs fork and /proc (Linux)")
def test_the_file_reading_helper_dies_with_a_killed_import(tmp_path: Path,
                                                           blank_path: Path) -> None:
    workbook = tmp_path / "Blank.awb"
    shutil.copy(blank_path, workbook)
    rows = "".join(f"L{i},2026-01-05\n" for i in range(300_000))  # more than the pipe holds
    export = write(tmp_path, "ID,Created\n" + rows)
    child = subprocess.run([sys.executable, "-c", KILLED_MID_IMPORT, str(workbook),
                            str(export)], capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL
    helpers = [int(pid) for pid in child.stdout.split()]
    assert helpers, child.stderr
    deadline = time.monotonic() + 10
    while not all(gone(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(gone(pid) for pid in helpers)
    with Workbook.open(workbook) as wb:  # nothing of the interrupted import is left
        assert wb.leads.count() == 0
