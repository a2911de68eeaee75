"""Importing CRM exports and quarterly actuals.

For the mapping dialog: `preview(workbook, path)` reads the start of a file and guesses
its format and `Mapping`; `import_leads(workbook, path, mapping, skip_bad_rows=...,
progress=..., cancel=...)` imports it as one undo step and may run off the GUI thread
(nothing else may use the workbook meanwhile). `PRESETS` are mappings for common CRM
exports; saved mappings live in the workbook (`workbook.leads.save_mapping`).
For actuals: `import_actuals(workbook, path)` and `derive_actuals(workbook)`.
`write_csv` writes CSV with spreadsheet formulas neutralised.
"""

from .actuals_import import ActualsReport, derive_actuals, import_actuals
from .column_report import ColumnFate, ColumnReport
from .csv_export import neutralise, write_csv
from .lead_import import ImportProgress, ImportReport, import_leads
from .mapping import LEAD_FIELDS, LeadField, Mapping
from .presets import PRESETS, Preset
from .preview import Preview, preview
from .problems import (
    ColumnsNeedReview,
    FileUnreadable,
    ImportCancelled,
    ImportFailed,
    RowProblem,
)

__all__ = [
    "LEAD_FIELDS", "PRESETS", "ActualsReport", "ColumnFate", "ColumnReport",
    "ColumnsNeedReview", "FileUnreadable", "ImportCancelled",
    "ImportFailed", "ImportProgress", "ImportReport", "LeadField", "Mapping", "Preset",
    "Preview", "RowProblem", "derive_actuals", "import_actuals", "import_leads", "neutralise",
    "preview", "write_csv",
]
