"""The screens' code, loaded in the background once the app has settled.

Each area's screen is imported when first shown, so start-up loads only what the first
screen needs. But the first Dashboard or Scoring then waits a third of a second for
pyqtgraph and its own modules to load, with the window stopped. So, a couple of seconds
after the window is up, a worker thread imports every area's screen module: the window
stays free meanwhile (the import hands the interpreter back every few milliseconds), and
the first visit to each area pays only for building its page. Imports only define
classes: no widget is made off the GUI thread.
"""

from __future__ import annotations

import importlib
import threading

from PySide6.QtCore import QTimer

from ui.areas import AREAS

AFTER_MS = 2_000


def preload_screens_later(after_ms: int = AFTER_MS) -> None:
    """Import every area's screen module on a worker thread, `after_ms` from now."""
    QTimer.singleShot(after_ms, _start)


def _start() -> None:
    threading.Thread(target=preload_screens, name="preload", daemon=True).start()


def preload_screens() -> None:
    """Import each area's screen module. One that fails is left: it is imported again,
    and its failure shown, when its area is opened."""
    for area in AREAS:
        if area.screen is None:
            continue
        module = area.screen.partition(":")[0]
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - said where it matters: when the area opens
            continue
