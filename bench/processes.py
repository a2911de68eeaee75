"""The processes a benchmark started, as Linux's /proc lists them: which are still alive,
whose command line names a folder, and killing what is left over (the kill harness checks
no process of a round outlives it)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def _processes() -> dict[int, tuple[int, str, bytes]]:
    """Every process: its parent, state and command line (from /proc)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            command = Path(entry.path, "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (int(fields[1]), fields[0], command)
    return found


def children(pid: int) -> list[int]:
    return [p for p, (parent, state, _) in _processes().items()
            if parent == pid and state not in "ZX"]


def mentioning(text: str) -> list[int]:
    """Live processes whose command line mentions `text` (a round's folder: the child and
    the helpers it forked carry its plan's path)."""
    needle = text.encode()
    return [p for p, (_, state, command) in _processes().items()
            if needle in command and state not in "ZX" and p != os.getpid()]


def leftovers(folder: Path, wait: float = 3.0) -> list[int]:
    """Processes of the round still there after `wait` seconds; they are then killed."""
    deadline = time.monotonic() + wait
    while (left := mentioning(str(folder))) and time.monotonic() < deadline:
        time.sleep(0.02)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left
