"""One editor at a time: the second opener of a workbook gets it read-only and is told
who has it open; a lock left by a process that ended is taken over."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import main
from workbench import lock
from workbench.errors import StorageError
from workbench.workbook import Workbook

from .files import held_elsewhere
from .snapshot import dump


@pytest.fixture
def shared(blank_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "Shared.awb"
    shutil.copy(blank_path, path)
    return path


@pytest.fixture
def held(shared: Path):  # type: ignore[no-untyped-def]
    """`shared` held open for editing by another process (another app window)."""
    with held_elsewhere(shared):
        yield shared


def test_the_second_opener_gets_it_read_only_and_is_told_who_holds_it(held: Path) -> None:
    with Workbook.open(held, lock="Alignment Workbench") as wb:
        assert wb.read_only is not None
        assert wb.read_only.startswith("Shared.awb is open in ")
        assert "(Alignment Workbench, since " in wb.read_only
        before = dump(wb)
        with pytest.raises(StorageError) as caught:
            wb.set_properties(company_name="Mine")
        assert str(caught.value) == wb.read_only
        assert dump(wb) == before


def test_the_command_line_import_refuses_a_workbook_open_elsewhere(
        held: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    assert main(["import", str(held), str(fixtures / "salesforce_leads.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("alignment-workbench: error: Shared.awb is open in ")
    assert err.count("\n") == 1


def test_the_lock_goes_with_the_workbook_and_a_stale_one_is_taken_over(shared: Path) -> None:
    first = Workbook.open(shared, lock="Alignment Workbench")
    assert first.read_only is None and lock.lock_path(shared).exists()
    first.close()
    assert not lock.lock_path(shared).exists()
    # A lock whose process ended (killed): taken over, the workbook opens for editing.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = json.loads(json.dumps({"user": "zoë", "host": __import__("socket").gethostname(),
                                   "pid": int(dead.stdout), "since": "2026-01-01T09:00:00",
                                   "program": "Alignment Workbench"}))
    lock.lock_path(shared).write_text(json.dumps(stale), encoding="utf-8")
    with Workbook.open(shared, lock="Alignment Workbench") as wb:
        assert wb.read_only is None
        wb.set_properties(company_name="Taken over")
