"""Shared fixtures: a blank and a demo workbook, each on its own temp file.

The demo is built once per session and copied per test, which is far quicker than
building it again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.workbook import Workbook


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workbook file built once; copy it, never change it."""
    path = tmp_path_factory.mktemp("templates") / "demo.awb"
    Workbook.create(path, "demo").close()
    return path


@pytest.fixture(scope="session")
def blank_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank workbook file built once; copy it, never change it."""
    path = tmp_path_factory.mktemp("templates") / "blank.awb"
    Workbook.create(path, "blank").close()
    return path


def _open_copy(source: Path, target: Path) -> Iterator[Workbook]:
    shutil.copy(source, target)
    workbook = Workbook.open(target)
    yield workbook
    workbook.close()


@pytest.fixture
def blank(blank_path: Path, tmp_path: Path) -> Iterator[Workbook]:
    """A blank workbook open on its own temp file."""
    yield from _open_copy(blank_path, tmp_path / "Blank.awb")


@pytest.fixture
def demo(demo_path: Path, tmp_path: Path) -> Iterator[Workbook]:
    """The demo workbook open on its own temp file."""
    yield from _open_copy(demo_path, tmp_path / "Demo.awb")
