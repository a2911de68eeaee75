"""Python's cycle collector, run on the GUI thread only.

Worker threads (the lead timeline, sorting and scoring a million leads) allocate enough to
set the automatic collector off on their own thread; if it then frees a cycle holding a Qt
object (a closed window's widgets, say), Qt destroys that object off its thread and aborts
("Timers cannot be stopped from another thread"). So the app turns automatic collection off
and collects on the GUI thread instead: the young generation every half second and the
middle one every ten seconds (a few milliseconds each), everything every ten minutes (a
tenth of a second or more with a million leads' figures at hand: a pause the window would
show if it came every minute, where Python itself collects everything only as its
long-lived objects grow by a quarter).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

YOUNG_EVERY_MS = 500
MIDDLE_EVERY = 20  # half-second ticks: every ten seconds
FULL_EVERY = 1200  # every ten minutes


class GuiThreadCollector(QObject):
    """Collects on the thread it was made on (the GUI thread); `stop` gives automatic
    collection back as it found it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ticks = 0
        self.was_enabled = gc.isenabled()
        self.timer = QTimer(self, interval=YOUNG_EVERY_MS)
        self.timer.timeout.connect(self.collect)
        gc.disable()
        self.timer.start()

    def collect(self) -> None:
        self.ticks += 1
        gc.collect(2 if self.ticks % FULL_EVERY == 0 else
                   1 if self.ticks % MIDDLE_EVERY == 0 else 0)

    def stop(self) -> None:
        self.timer.stop()
        if self.was_enabled:
            gc.enable()
