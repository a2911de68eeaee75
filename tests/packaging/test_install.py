"""install.sh, on a stand-in for the built app (no PyInstaller build needed): it installs
for one user under ~/.local — the command, the menu entry (running the command by its full
path), icons at every hicolor size, the *.awb file type and the metainfo — installs again
over itself, and --uninstall leaves nothing of ours behind. The launcher's smoke-test mode
runs here from source; packaging/smoke.sh runs it on the real bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.alignmentworkbench"
SIZES = (16, 24, 32, 48, 64, 128, 256)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux installer")


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What build.sh puts in the tarball, with a shell script standing in for the app."""
    stage = tmp_path_factory.mktemp("tarball") / "alignment-workbench-0.1.0-linux-x86_64"
    (stage / "app").mkdir(parents=True)
    app = stage / "app" / "alignment-workbench"
    app.write_text('#!/bin/sh\necho "app: $*"\n')
    app.chmod(0o755)
    icons = tmp_path_factory.mktemp("icons")
    subprocess.run([sys.executable, str(PACKAGING / "render_icons.py"), str(icons)],
                   check=True, capture_output=True, env={**os.environ,
                                                          "QT_QPA_PLATFORM": "offscreen"})
    shutil.copytree(icons / "hicolor", stage / "share" / "icons")
    for name in ("alignment-workbench.desktop", "alignment-workbench-mime.xml",
                 f"{APP_ID}.metainfo.xml"):
        shutil.copy(PACKAGING / name, stage / "share")
    script = (PACKAGING / "install.sh").read_text().replace("@VERSION@", "0.1.0")
    (stage / "install.sh").write_text(script)
    (stage / "install.sh").chmod(0o755)
    return stage


def _run(unpacked: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run([str(unpacked / "install.sh"), *args], env=env, capture_output=True,
                          text=True, timeout=60)


def test_install_puts_everything_in_place_and_uninstall_removes_it(
        unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for _ in range(2):  # the second time is an update over the first
        result = _run(unpacked, home)
        assert result.returncode == 0, result.stderr
    assert "Installed Alignment Workbench 0.1.0" in result.stdout
    command = home / ".local" / "bin" / "alignment-workbench"
    ran = subprocess.run([str(command), "info", "A file.awb"], capture_output=True, text=True)
    assert ran.stdout == "app: info A file.awb\n"
    share = home / ".local" / "share"
    desktop = (share / "applications" / "alignment-workbench.desktop").read_text()
    assert f"Exec={command} %f" in desktop.splitlines()
    for size in SIZES:
        assert (share / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert (share / f"icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    assert (share / "mime/packages/alignment-workbench.xml").is_file()
    assert (share / f"metainfo/{APP_ID}.metainfo.xml").is_file()
    if shutil.which("update-mime-database"):
        assert (share / "mime/application/x-alignment-workbench.xml").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate",
                                str(share / "applications/alignment-workbench.desktop")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout

    result = _run(unpacked, home, "--uninstall")
    assert result.returncode == 0, result.stderr
    left = [str(p.relative_to(home)) for p in home.rglob("*") if "alignment" in p.name.lower()]
    assert left == []


def test_install_refuses_without_the_app_beside_it(unpacked: Path, tmp_path: Path) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(unpacked / "install.sh", lone)
    result = _run(lone, tmp_path)
    assert result.returncode == 1 and "no app/ beside this script" in result.stderr
    assert not (tmp_path / ".local").exists()


def test_the_launchers_smoke_test_opens_every_area_and_exits_zero(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, str(PACKAGING / "launcher.py"), "--smoke-test",
                             "--demo"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    from ui.areas import AREAS

    shown = f"Demo company.awb opened; {len(AREAS)} of {len(AREAS)} areas shown\n"
    assert shown in result.stdout


def test_the_launcher_passes_everything_else_to_the_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(PACKAGING / "launcher.py"), "new",
                             str(tmp_path / "A.awb")], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Created {tmp_path / 'A.awb'} from the blank template")
