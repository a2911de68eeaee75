"""The headless `alignment-workbench` commands `new` and `info`: what they print, and that
a bad file gets one line of error, exit status 1, no traceback, and is left untouched."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workbench.files import BAD_FILES, make_bad_file, previous_version_file, state
from ui.cli import main
from workbench import schema
from workbench.workbook import Workbook

ROOT = Path(__file__).resolve().parent.parent


def _command() -> list[str]:
    installed = Path(sys.executable).parent / "alignment-workbench"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "ui"]


def test_new_demo_creates_the_file_and_summarises_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.awb"
    assert main(["new", str(path), "--template", "demo"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert re.fullmatch(
        rf"Created {re.escape(str(path))} from the demo template: Brightline Logistics "
        r"Software, 7 stages, 6 quarters, \d,\d{3} leads\.\n", out)
    with Workbook.open(path) as workbook:
        assert workbook.summary()["stages"] == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.awb"]


def test_new_blank_with_company_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ACME.awb"
    assert main(["new", str(path), "--company", "ACME GmbH"]) == 0
    assert "from the blank template: ACME GmbH, 6 stages, 0 quarters, 0 leads." in (
        capsys.readouterr().out)


@pytest.mark.parametrize("content", [b"", b"my own notes", None])
def test_new_refuses_an_existing_path_and_leaves_it(
    content: bytes | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "taken.awb"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    before = state(tmp_path)
    assert main(["new", str(path), "--template", "demo"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"alignment-workbench: error: {path}: already exists; choose another name\n"
    assert state(tmp_path) == before


def test_new_in_a_missing_folder_is_one_line_of_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no such folder" / "x.awb"
    assert main(["new", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"alignment-workbench: error: {path}: cannot be written: its folder does not exist\n")
    assert list(tmp_path.iterdir()) == []


def test_info_prints_the_summary(demo_path: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Demo.awb"
    shutil.copy(demo_path, path)
    before = state(tmp_path)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == str(path)
    fields = dict(re.findall(r"^  ([A-Za-z ]+):\s+(.+)$", out, flags=re.MULTILINE))
    assert fields["Company"] == "Brightline Logistics Software"
    assert fields["Schema version"] == str(schema.SCHEMA_VERSION)
    assert (fields["Stages"], fields["Quarters"], fields["SLA versions"]) == ("7", "6", "1")
    assert re.fullmatch(r"\d,\d{3}", fields["Leads"])
    assert state(tmp_path) == before  # info writes nothing


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_info_on_a_bad_file_is_one_line_of_error(
    kind: str, tmp_path: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, problem = make_bad_file(kind, tmp_path, demo_path)
    before = state(tmp_path)
    assert main(["info", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"alignment-workbench: error: {path}: ")
    assert problem in err
    assert err.count("\n") == 1 and err.endswith("\n")
    assert state(tmp_path) == before


def test_info_on_an_older_workbook_does_not_migrate_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Old.awb"
    older = previous_version_file(path)
    before = state(tmp_path)
    assert main(["info", str(path)]) == 0
    assert f"schema {older}, older than this version" in capsys.readouterr().out
    assert state(tmp_path) == before


def test_installed_command_creates_and_describes_a_workbook(
    tmp_path: Path, demo_path: Path
) -> None:
    path = tmp_path / "ACME demo.awb"
    new = subprocess.run([*_command(), "new", str(path), "--template", "demo"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert (new.returncode, new.stderr) == (0, "")
    assert new.stdout.startswith(f"Created {path} from the demo template: ")
    info = subprocess.run([*_command(), "info", str(path)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert (info.returncode, info.stderr) == (0, "")
    assert "Brightline Logistics Software" in info.stdout

    bad, _ = make_bad_file("half", tmp_path, demo_path)
    refused = subprocess.run([*_command(), "info", str(bad)], capture_output=True, text=True,
                             cwd=tmp_path, timeout=120)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith(f"alignment-workbench: error: {bad}: the file is damaged")
    assert "Traceback" not in refused.stderr and refused.stderr.count("\n") == 1


def test_the_app_without_a_display_says_a_display_is_needed(tmp_path: Path) -> None:
    """Not Qt's abort with a hint about libraries: one line saying what is missing."""
    bare = {key: value for key, value in os.environ.items()
            if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    started = subprocess.run([*_command(), "--demo"], capture_output=True, text=True,
                             env={**bare, "HOME": str(tmp_path)}, timeout=60)
    assert started.returncode == 1
    assert started.stderr.startswith("alignment-workbench: error: no display: the app shows "
                                      "a window, and this session has no desktop")
    assert started.stderr.count("\n") == 1 and "Traceback" not in started.stderr
