"""The app collects Python's cycles on the GUI thread only: automatic collection is off
while it runs (a worker thread would otherwise free Qt objects off their thread)."""

from __future__ import annotations

import gc
import threading

from ui.shell.collector import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_are_freed_on_the_gui_thread_not_where_they_were_dropped(qtbot) -> None:
    freed_on: list[str] = []

    class Watched(Cycle):
        def __del__(self) -> None:
            freed_on.append(threading.current_thread().name)

    was_enabled = gc.isenabled()  # off while the shell's tests run, as in the app
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()

        def worker() -> None:
            Watched()  # dropped here, in a cycle
            for _ in range(200_000):  # enough allocations to set off automatic collection
                Cycle()

        thread = threading.Thread(target=worker, name="worker")
        thread.start()
        thread.join()
        assert freed_on == []  # nothing collected on the worker
        qtbot.waitUntil(lambda: freed_on == [threading.main_thread().name], timeout=5_000)
    finally:
        collector.stop()
    assert gc.isenabled() == was_enabled


def test_stopping_gives_automatic_collection_back_as_it_was_found(qtbot) -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        outer = GuiThreadCollector()
        inner = GuiThreadCollector()
        inner.stop()
        assert not gc.isenabled()  # the outer one still collects on the GUI thread
        outer.stop()
        assert gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()
