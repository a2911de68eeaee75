"""The changelog starts with the version the package carries, so a release never ships
with a changelog that stops at the one before."""

import re
import tomllib
from pathlib import Path

from workbench import __version__

ROOT = Path(__file__).resolve().parents[1]


def test_the_changelog_starts_with_the_package_version() -> None:
    headings = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text("utf-8"), re.M)
    assert headings and headings[0] == __version__
    # pyproject.toml takes its version from the package, the one place it is written.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "workbench.__version__"}
