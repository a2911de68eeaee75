"""The built desktop bundle works as installed (on demand: ./run tests -m bundle).

Builds the tarball with packaging/build.sh when dist/ has none for this version, then runs
packaging/smoke.sh on it: install into a fresh home, the window on the demo with every
area, the command line's new, info, import, score, every PDF export and verify of a signed
SLA, with the app folder read-only and HOME empty, and a clean uninstall."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import __version__

ROOT = Path(__file__).resolve().parents[2]
TARBALL = ROOT / "dist" / f"alignment-workbench-{__version__}-linux-{platform.machine()}.tar.gz"

pytestmark = [pytest.mark.bundle,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle")]


def test_the_built_bundle_installs_runs_and_uninstalls() -> None:
    if not TARBALL.exists():
        build = subprocess.run([str(ROOT / "packaging" / "build.sh")], cwd=ROOT,
                               capture_output=True, text=True, timeout=1200)
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    result = subprocess.run([str(ROOT / "packaging" / "smoke.sh"), str(TARBALL)], cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith(f"smoke: all passed ({TARBALL.name})")
