"""The pinned PySide6 must not leak references to None (6.12.0 aborts CPython 3.11)."""

import subprocess
import sys

CHECK = """
import sys
from PySide6.QtCore import QObject
o = QObject()
before = sys.getrefcount(None)
for _ in range(1000):
    o.setObjectName('x')
sys.exit(1 if before - sys.getrefcount(None) > 0 else 0)
"""


def test_pinned_pyside_keeps_references_to_none() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
