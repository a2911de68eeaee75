"""Places a workbook cannot be written — a read-only mount, folder or file, a full disk —
open it read-only and say why; "damaged" is said only of a damaged file; a workbook being
imported into by another program is busy, and one whose import was interrupted in a
read-only place says what it needs.

The disks are real: small tmpfs mounts (which need root; skipped with the reason
otherwise). A read-only folder or file is tried without the
powers that let root write anywhere when the tests run as root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.errors import StorageError, WorkbookFileError
from workbench.workbook import Workbook

from .files import KILLED, PAUSED, midway_import, previous_version_file, state
from .snapshot import dump
from .test_import_formats import write

ROOT = Path(__file__).parents[2]


@contextlib.contextmanager
def small_disk(megabytes: int) -> Iterator[Path]:
    """A fresh tmpfs of `megabytes`, unmounted (and its folder removed) afterwards."""
    where = Path(tempfile.mkdtemp(prefix="awb-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0777",
                              "tmpfs", str(where)], capture_output=True, text=True)
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip(f"a small disk needs mount (root): {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def remount(where: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], check=True)


def fill(where: Path) -> None:
    """Use every free byte of the disk at `where`."""
    with contextlib.suppress(OSError), (where / "filler").open("wb") as filler:
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()


def room_for(path: Path) -> int:
    """Megabytes for a small disk that holds `path` with a little to spare."""
    return path.stat().st_size // 1_000_000 + 2


def refused_edit(workbook: Workbook) -> str:
    before = dump(workbook)
    with pytest.raises(StorageError) as caught:
        workbook.funnel.rename_stage(workbook.funnel.stages()[0].id, "Zoë 李雷")
    assert dump(workbook) == before
    return str(caught.value)


def test_a_workbook_on_a_read_only_mount_opens_read_only_and_says_so(demo_path: Path) -> None:
    with small_disk(8) as disk:
        path = disk / "Demo.awb"
        shutil.copy(demo_path, path)
        remount(disk, "ro")
        before = state(disk)
        with Workbook.open(path, lock="Alignment Workbench") as workbook:
            assert workbook.read_only == (
                "Demo.awb opened read-only: it is on a read-only disk or mount, so no change "
                "could be saved. Save a copy (File → Save As…) somewhere you can write to "
                "edit it.")
            assert len(workbook.funnel.stages()) == 7
            assert refused_edit(workbook) == workbook.read_only
        info = subprocess.run([sys.executable, "-m", "ui", "info", str(path)], cwd=ROOT,
                              capture_output=True, text=True)
        assert state(disk) == before  # nothing written beside it: no log, no lock
    assert info.returncode == 0, info.stderr
    assert "Leads:          4,300" in info.stdout
    assert "Read-only:      yes — it is on a read-only disk or mount" in info.stdout


def test_a_workbook_on_a_full_disk_opens_read_only_not_damaged(demo_path: Path) -> None:
    with small_disk(room_for(demo_path)) as disk:
        path = disk / "Demo.awb"
        shutil.copy(demo_path, path)
        fill(disk)
        before = state(disk)
        with Workbook.open(path, lock="Alignment Workbench") as workbook:
            assert workbook.read_only is not None
            assert "opened read-only: its disk is full" in workbook.read_only
            assert workbook.plan.quarters()
            refused_edit(workbook)
        assert state(disk) == before
        (disk / "filler").unlink()  # room again: it opens for editing
        with Workbook.open(path, lock="Alignment Workbench") as workbook:
            assert workbook.read_only is None


def test_an_older_workbook_in_a_read_only_place_says_it_must_be_copied() -> None:
    with small_disk(8) as disk:
        path = disk / "Old.awb"
        older = previous_version_file(path)
        remount(disk, "ro")
        with pytest.raises(WorkbookFileError) as caught:
            Workbook.open(path)
    assert str(caught.value) == (
        f"{path}: is from an older version and must be updated to open, but it is on a "
        "read-only disk or mount. Copy it to a folder you can write to and open it there")
    assert older < Workbook.schema_version()


def leads_export(folder: Path) -> Path:
    return write(folder, "ID,Created,Source\n" + "".join(
        f"K{n},2026-01-{n % 28 + 1:02d} 10:00:00,Web\n" for n in range(6000)))


def test_an_import_interrupted_in_a_place_now_read_only_says_what_it_needs(
        demo_path: Path, tmp_path: Path) -> None:
    export = leads_export(tmp_path)
    with small_disk(16) as disk:
        path = disk / "Demo.awb"
        shutil.copy(demo_path, path)
        with Workbook.open(path) as workbook:
            before = dump(workbook)
        killed = subprocess.run([sys.executable, "-c", midway_import(KILLED), str(path),
                                 str(export)], cwd=ROOT, capture_output=True, text=True)
        assert killed.returncode == 9, killed.stderr
        remount(disk, "ro")  # say, the USB stick was plugged back in write-protected
        with pytest.raises(WorkbookFileError) as caught:
            Workbook.open(path)
        message = str(caught.value)
        assert "damaged" not in message
        assert message == (
            f"{path}: an import into it was interrupted, and putting the file back as it "
            "was before needs to write beside it, but it is on a read-only disk or mount. "
            "Copy Demo.awb together with Demo.awb-journal to a folder you can write to, and "
            "open it there.")
        remount(disk, "rw")
        with Workbook.open(path) as workbook:
            assert dump(workbook) == before


def test_opening_a_workbook_another_program_is_importing_into_says_busy_at_once(
        demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "Demo.awb"
    shutil.copy(demo_path, path)
    with Workbook.open(path) as workbook:
        before = dump(workbook)
    importer = subprocess.Popen([sys.executable, "-c", midway_import(PAUSED), str(path),
                                 str(leads_export(tmp_path))], cwd=ROOT, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert importer.stdout is not None and importer.stdout.readline() == "importing\n"
        with pytest.raises(WorkbookFileError) as caught:
            Workbook.open(path, lock="Alignment Workbench")
        message = str(caught.value)
        assert "damaged" not in message
        assert "is busy:" in message and "(alignment-workbench import, since" in message
        assert message.endswith("is writing to it (an import, perhaps). Open it again when "
                                "that has finished.")
    finally:
        assert importer.stdin is not None
        importer.stdin.write("\n")
        importer.stdin.flush()
        importer.wait(timeout=30)
    with Workbook.open(path, lock="Alignment Workbench") as workbook:
        assert workbook.read_only is None
        assert dump(workbook) == before  # the killed import is rolled back whole


_AS_ANOTHER_USER = """
import json, sys
from workbench.errors import StorageError
from workbench.workbook import Workbook
with Workbook.open(sys.argv[1], lock="Alignment Workbench") as wb:
    try:
        wb.funnel.rename_stage(wb.funnel.stages()[0].id, "Renamed")
        edit = "saved"
    except StorageError as error:
        edit = str(error)
    print(json.dumps({"read_only": wb.read_only, "edit": edit,
                      "stage": wb.funnel.stages()[0].name}))
"""


def _without_root_powers() -> None:
    """Run in the child before it starts: drop the capabilities that let root read and
    write whatever the file modes say (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the
    bounding set, so the program it runs has them no more."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop root's powers")


def open_as_user(path: Path) -> dict[str, str | None]:
    """Open `path` for editing in another process, as an ordinary user would (when the
    tests are root, without root's power to write a read-only file), and try one edit."""
    import json

    root = os.geteuid() == 0
    try:
        done = subprocess.run([sys.executable, "-c", _AS_ANOTHER_USER, str(path)], cwd=ROOT,
                              capture_output=True, text=True,
                              preexec_fn=_without_root_powers if root else None)
    except subprocess.SubprocessError as error:
        pytest.skip(f"cannot run a process without root's powers here: {error}")
    assert done.returncode == 0, done.stderr
    result: dict[str, str | None] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(("locked", "why"), [
    ("folder", "its folder is read-only"),
    ("file", "the file is read-only"),
])
def test_a_read_only_folder_or_file_opens_read_only_and_says_so(
        blank_path: Path, tmp_path: Path, locked: str, why: str) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "Blank.awb"
    shutil.copy(blank_path, path)
    os.chmod(folder if locked == "folder" else path, 0o555 if locked == "folder" else 0o444)
    before = state(folder)
    try:
        result = open_as_user(path)
        assert state(folder) == before
    finally:
        os.chmod(folder, 0o755)
    assert result["read_only"] == (
        f"Blank.awb opened read-only: {why}, so no change could be saved. Save a copy "
        "(File → Save As…) somewhere you can write to edit it.")
    assert result["edit"] == result["read_only"]
    assert result["stage"] != "Renamed"


def test_save_as_onto_a_full_disk_says_so_and_leaves_nothing(demo: Workbook) -> None:
    with small_disk(1) as disk:
        before = dump(demo)
        with pytest.raises(WorkbookFileError) as caught:
            demo.save_as(disk / "Copy.awb")
        assert str(caught.value) == f"{disk / 'Copy.awb'}: cannot be written (database or " \
                                    "disk is full)"
        assert list(disk.iterdir()) == []  # no copy, no .partial, no .partial-journal
    assert dump(demo) == before and demo.read_only is None
