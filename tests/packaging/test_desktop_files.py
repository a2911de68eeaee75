"""The desktop entry and the AppStream metainfo that the tarball installs pass the
freedesktop validators, so menus and software centres accept them (skipped, saying so,
where the validators are not installed: apt-get install desktop-file-utils appstream)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workbench import __version__

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
DESKTOP = PACKAGING / "alignment-workbench.desktop"
METAINFO = PACKAGING / "io.github.alignmentworkbench.metainfo.xml"


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed: apt-get install {package}")
    return path


def test_the_desktop_entry_validates() -> None:
    result = subprocess.run([_tool("desktop-file-validate", "desktop-file-utils"),
                             str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_metainfo_validates() -> None:
    result = subprocess.run([_tool("appstreamcli", "appstream"), "validate", "--no-net",
                             str(METAINFO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_metainfo_names_this_version_and_the_desktop_entry() -> None:
    root = ET.parse(METAINFO).getroot()
    versions = [release.get("version") for release in root.iter("release")]
    assert __version__ in versions, f"add a <release version=\"{__version__}\"> to {METAINFO.name}"
    launchable = root.find("launchable")
    assert launchable is not None and launchable.text == DESKTOP.name
