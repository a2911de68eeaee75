"""Importing CRM exports and quarterly actuals.

For the mapping dialog: `preview(workbook, path)` reads the start of a file and guesses
its format and `Mapping`; `import_leads(workbook, path, mapping, skip_bad_rows=...,
progress=..., cancel=...)` imports it as one undo step and may run off the GUI thread
(nothing else may use the workbook meanwhile). `PRESETS` are mappings for common CRM
exports; saved mappings live in the workbook (`workbook.leads.save_mapping`).
For actuals: `import_actuals(workbook, path)` and `derive_actuals(workbook)`.
`write_csv` writes CSV with spreadsheet formulas neutralised.

The names load with their modules on first use (as `from workbench.imports import x`):
the scoring rules need only `imports.values`, and loading every importer with it cost
a tenth of the app's start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .actuals_import import ActualsReport, derive_actuals, import_actuals
    from .column_report import ColumnFate, ColumnReport
    from .csv_export import neutralise, write_csv
    from .file_preview import Preview, preview
    from .lead_import import ImportProgress, ImportReport, import_leads
    from .mapping import LEAD_FIELDS, LeadField, Mapping
    from .presets import PRESETS, Preset
    from .problems import (
        ColumnsNeedReview,
        FileUnreadable,
        ImportCancelled,
        ImportFailed,
        RowProblem,
    )

_HOMES = {
    "actuals_import": ("ActualsReport", "derive_actuals", "import_actuals"),
    "column_report": ("ColumnFate", "ColumnReport"),
    "csv_export": ("neutralise", "write_csv"),
    "lead_import": ("ImportProgress", "ImportReport", "import_leads"),
    "mapping": ("LEAD_FIELDS", "LeadField", "Mapping"),
    "presets": ("PRESETS", "Preset"),
    "file_preview": ("Preview", "preview"),
    "problems": ("ColumnsNeedReview", "FileUnreadable", "ImportCancelled", "ImportFailed",
                 "RowProblem"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "LEAD_FIELDS", "PRESETS", "ActualsReport", "ColumnFate", "ColumnReport",
    "ColumnsNeedReview", "FileUnreadable", "ImportCancelled",
    "ImportFailed", "ImportProgress", "ImportReport", "LeadField", "Mapping", "Preset",
    "Preview", "RowProblem", "derive_actuals", "import_actuals", "import_leads", "neutralise",
    "preview", "write_csv",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
