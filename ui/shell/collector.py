"""Python's cycle collector, run on the GUI thread only.

Worker threads (the lead timeline, sorting and scoring a million leads) allocate enough to
set the automatic collector off on their own thread; if it then frees a cycle holding a Qt
object (a closed window's widgets, say), Qt destroys that object off its thread and aborts
("Timers cannot be stopped from another thread"). So the app turns automatic collection off
and collects on the GUI thread instead: the young generation every half second, everything
once a minute, each a few milliseconds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

YOUNG_EVERY_MS = 500
FULL_EVERY = 120  # half-second ticks: once a minute


class GuiThreadCollector(QObject):
    """Collects on the thread it was made on (the GUI thread); `stop` gives it back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ticks = 0
        self.timer = QTimer(self, interval=YOUNG_EVERY_MS)
        self.timer.timeout.connect(self.collect)
        gc.disable()
        self.timer.start()

    def collect(self) -> None:
        self.ticks += 1
        gc.collect(2 if self.ticks % FULL_EVERY == 0 else 0)

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
