"""The SLA screen's modules load without reportlab, pyHanko or pypdfium2: those load on the
worker thread the first time a preview, a signature or a verification needs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = {"reportlab", "pyhanko", "pypdfium2", "pyhanko_certvalidator"}
CHILD = """
import sys
import ui.sla.screen, ui.sla.signoff, ui.sla.verify_view, ui.sla.redline
print(",".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_importing_the_sla_screens_loads_no_pdf_library() -> None:
    result = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    modules = set(result.stdout.strip().splitlines()[-1].split(","))
    assert "PySide6" in modules
    assert modules & HEAVY == set()
