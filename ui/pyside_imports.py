"""PySide6 loaded for the app, with its check of every later import made cheap.

Once PySide6 is loaded it looks at each module imported after it, for its opt-in
`from __feature__ import snake_case, true_property` switches: a module whose source names
PySide6 may switch them. It finds out by `inspect.getsource`, which reads, decodes and
splits each module's file into lines and keeps them all in `linecache`: some 150 modules
as the app starts, 12 to 15 ms of it. `read_as_bytes` asks the same question of the
file's bytes (same answers for every module the app loads; a fifth of the time). Modules
without a `.py` file go to PySide's own check as before.

Importing this module loads Qt and installs the cheap check; the app's entry (`ui.app`)
imports it before anything else of the app's, so the app's own modules are the ones
that gain. PySide6 is pinned below 6.12 (pyproject.toml); if a release no longer has the
check (`shibokensupport.feature._mod_uses_pyside`), nothing is changed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

import PySide6.QtCore  # noqa: F401 (loads shiboken's support modules, the check among them)

FEATURE_MODULE = "shibokensupport.feature"
CHECK = "_mod_uses_pyside"
NAME = b"PySide6"


def read_as_bytes(pyside_check: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """PySide's question, "does this module's source name PySide6?", asked of the bytes
    of its `.py` file; any other module is asked through `pyside_check`."""

    def names_pyside(module: ModuleType) -> bool:
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(origin, str) or not origin.endswith(".py"):
            return pyside_check(module)
        try:
            with open(origin, "rb") as source:
                return NAME in source.read()
        except OSError:  # as `inspect.getsource` finding no file: not a PySide module
            return False

    names_pyside.original = pyside_check  # type: ignore[attr-defined]
    return names_pyside


def install() -> bool:
    """Put the cheap check in PySide's place (once); whether it is in place."""
    feature = sys.modules.get(FEATURE_MODULE)
    check = getattr(feature, CHECK, None)
    if feature is None or not callable(check):
        return False
    if not hasattr(check, "original"):
        setattr(feature, CHECK, read_as_bytes(check))
    return True


install()
