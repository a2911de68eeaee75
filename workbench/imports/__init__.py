"""Importing CRM exports and quarterly actuals.

For the mapping dialog: `preview(workbook, path)` reads the start of a file and guesses
its format and `Mapping`; `import_leads(workbook, path, mapping, skip_bad_rows=...,
progress=..., cancel=...)` imports it as one undo step and is safe to run off the GUI
thread (nothing else may use the workbook meanwhile). `PRESETS` are mappings for common
CRM exports; `write_csv` writes CSV with spreadsheet formulas neutralised.
"""

from .lead_import import ImportProgress, ImportReport, import_leads
from .mapping import LEAD_FIELDS, Mapping
from .presets import PRESETS, Preset
from .preview import Preview, preview
from .problems import FileUnreadable, ImportCancelled, ImportFailed, RowProblem

__all__ = [
    "LEAD_FIELDS", "PRESETS", "FileUnreadable", "ImportCancelled", "ImportFailed",
    "ImportProgress", "ImportReport", "Mapping", "Preset", "Preview", "RowProblem",
    "import_leads", "preview",
]
