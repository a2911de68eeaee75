"""PySide6's check of each import (does the module name PySide6?) gives its own answers
when asked of the file's bytes (`ui.pyside_imports`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import shibokensupport.feature as feature  # type: ignore[import-not-found]

from ui import pyside_imports


def test_the_app_installs_the_check_once() -> None:
    assert pyside_imports.install() is True
    check = feature._mod_uses_pyside
    assert pyside_imports.install() is True
    assert feature._mod_uses_pyside is check
    assert not hasattr(check.original, "original")  # one wrapper, round PySide's own


def test_every_loaded_module_gets_pysides_own_answer() -> None:
    check = feature._mod_uses_pyside
    original = check.original
    modules = [m for name, m in list(sys.modules.items())
               if isinstance(m, ModuleType) and name not in ("typing.io", "typing.re")]
    answers = {m.__name__: check(m) for m in modules}
    assert answers == {m.__name__: original(m) for m in modules}
    assert answers["ui.main_window"] is True  # names PySide6
    assert answers["workbench.model"] is False  # the core: no Qt
    assert answers["sys"] is False  # built in: asked through PySide's check


def _module_from(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    return importlib.util.module_from_spec(spec)


def test_a_file_that_names_pyside_in_any_encoding_or_cannot_be_read(tmp_path: Path) -> None:
    check = feature._mod_uses_pyside
    latin = tmp_path / "latin.py"
    latin.write_bytes("# -*- coding: latin-1 -*-\n# Zoë\nimport PySide6\n".encode("latin-1"))
    plain = tmp_path / "plain.py"
    plain.write_text("# 李雷 uses no Qt\nVALUE = 1\n", encoding="utf-8")
    gone = _module_from(tmp_path / "gone.py", "gone")
    assert check(_module_from(latin, "latin")) is True
    assert check(_module_from(plain, "plain")) is False
    assert check(gone) is False  # as `inspect.getsource` with no file: not a PySide module
    assert check.original(gone) is False


def test_without_pysides_check_nothing_is_changed(monkeypatch) -> None:
    monkeypatch.delattr(feature, "_mod_uses_pyside")
    assert pyside_imports.install() is False
    assert not hasattr(feature, "_mod_uses_pyside")
