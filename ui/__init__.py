"""The desktop app (PySide6). Importing this package loads no Qt: `ui.cli` starts fast."""
