"""Start-up time of the built bundle against the source install, measured in the same run.

    packaging/build.sh && .venv/bin/python bench/bundle_start.py [--runs 5] [--bundle EXE]

Three figures, each the median of --runs fresh processes, for the bundle
(dist/alignment-workbench-VERSION-linux-ARCH/app/alignment-workbench) and the source
(this Python, `-m ui` in the work tree), their runs alternating after one unmeasured
warm-up of each:
- window: from spawning the process to the main window's first paint, on the demo;
- ready: to the workbook open with its first screen shown;
- info: the whole `alignment-workbench info FILE.awb` command, no Qt.
The window runs use the launcher's --smoke-test (packaging/launcher.py), which prints both
moments on the system's monotonic clock — the one this script reads when it spawns — then
walks every area and closes, so each run takes a few seconds more than it measures.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from workbench import __version__  # noqa: E402

BUNDLE = (ROOT / "dist" / f"alignment-workbench-{__version__}-linux-{platform.machine()}"
          / "app" / "alignment-workbench")
SOURCE = [sys.executable, str(ROOT / "packaging" / "launcher.py")]


def window(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawn to the first paint, and to the workbook shown."""
    start = time.monotonic()
    result = subprocess.run([*command, "--smoke-test", "--demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    marks = {line.split()[2]: float(line.split()[-1]) for line in result.stdout.splitlines()
             if line.startswith("smoke test: ") and " at " in line}
    if result.returncode != 0 or {"painted", "ready"} - marks.keys():
        raise SystemExit(f"{command[0]} failed ({result.returncode}):\n"
                         f"{result.stdout}{result.stderr}")
    return marks["painted"] - start, marks["ready"] - start


def info(command: list[str], env: dict[str, str], workbook: Path) -> float:
    """Seconds for the whole `info` command."""
    start = time.monotonic()
    result = subprocess.run([*command, "info", str(workbook)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise SystemExit(f"info failed:\n{result.stdout}{result.stderr}")
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bundle", type=Path, default=BUNDLE)
    args = parser.parse_args()
    if not args.bundle.exists():
        raise SystemExit(f"{args.bundle}: no bundle; run packaging/build.sh first")
    kinds = {"bundle": [str(args.bundle)], "source": SOURCE}
    with tempfile.TemporaryDirectory(prefix="aw-bundle-start-") as home:
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
        workbook = Path(home) / "Demo.awb"
        subprocess.run([*SOURCE, "new", str(workbook), "--template", "demo"], cwd=ROOT,
                       env=env, check=True, capture_output=True)
        samples: dict[str, dict[str, list[float]]] = {
            kind: {"window": [], "ready": [], "info": []} for kind in kinds}
        for command in kinds.values():  # warm-ups: the disk cache, the demo in HOME
            window(command, env)
            info(command, env, workbook)
        for _ in range(args.runs):
            for kind, command in kinds.items():
                painted, ready = window(command, env)
                samples[kind]["window"].append(painted)
                samples[kind]["ready"].append(ready)
                samples[kind]["info"].append(info(command, env, workbook))
    print(f"{args.runs} runs each, medians (ms); the runs in brackets")
    for figure in ("window", "ready", "info"):
        medians = {kind: statistics.median(samples[kind][figure]) for kind in kinds}
        runs = {kind: ", ".join(f"{s * 1000:.0f}" for s in samples[kind][figure])
                for kind in kinds}
        print(f"{figure:<7} bundle {medians['bundle'] * 1000:6.0f} ({runs['bundle']})   "
              f"source {medians['source'] * 1000:6.0f} ({runs['source']})   "
              f"ratio {medians['bundle'] / medians['source']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
