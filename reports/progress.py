"""Progress and cancellation for report builds that run off the GUI thread.

A builder takes an optional `Progress` callable, `progress(fraction, text)`, and calls it
as it goes; the caller cancels by raising `ExportCancelled` from inside that callable, so a
build stops at its next step and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Progress = Callable[[float, str], None]


class ExportCancelled(Exception):
    """The user cancelled the export; nothing was written."""


def report(progress: Progress | None, fraction: float, text: str) -> None:
    """Tell `progress` (when there is one) how far the build is."""
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), text)


def watch_layout(doc: Any, progress: Progress | None, start: float, end: float) -> None:
    """Report a reportlab document's layout passes as progress from `start` to `end`
    (a document with a table of contents or "Page X of Y" is laid out about twice)."""
    if progress is None:
        return
    state = {"pass": 1, "size": 1, "shown": 0.0}

    def on_progress(kind: str, value: int) -> None:
        if kind == "PASS":
            state["pass"] = max(int(value), 1)
        elif kind == "SIZE_EST":
            state["size"] = max(int(value), 1)
        elif kind == "PROGRESS":
            # The flowable count grows as tables split: never let the bar run backwards.
            done = min((state["pass"] - 1 + value / state["size"]) / 2, 0.98)
            state["shown"] = max(state["shown"], done)
            report(progress, start + (end - start) * state["shown"],
                   f"Laying out pages (pass {state['pass']})")

    doc.setProgressCallBack(on_progress)
