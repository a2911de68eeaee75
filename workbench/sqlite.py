"""sqlite-utils, imported without its optional numpy and pandas hooks.

sqlite-utils imports numpy and pandas when they are installed, only to map their scalar
types when it creates tables from Python values. The workbook's schema is written as SQL
migrations, so those hooks are never used — and numpy alone costs about 100 ms of the app's
start-up (pyqtgraph loads it later, when the dashboard is first shown).
"""

from __future__ import annotations

import sys


def _import_without_optional_hooks() -> None:
    if "sqlite_utils.db" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail fast
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_without_optional_hooks()

from sqlite_utils import Database  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

__all__ = ["Database", "Migrations"]
