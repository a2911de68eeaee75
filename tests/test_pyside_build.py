"""The pinned PySide6 must not leak references to None (6.12.0 aborts CPython 3.11)."""

import subprocess
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parents[2] / "shared" / "tools" / "check_pyside_refcount.py"


def test_pinned_pyside_keeps_references_to_none() -> None:
    if CHECK.exists():
        args = [sys.executable, str(CHECK)]
    else:  # a checkout without shared/ beside it: the same check, inline
        args = [sys.executable, "-c", (
            "import sys\nfrom PySide6.QtCore import QObject\no = QObject()\n"
            "b = sys.getrefcount(None)\nfor _ in range(1000): o.setObjectName('x')\n"
            "sys.exit(1 if b - sys.getrefcount(None) > 0 else 0)")]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
