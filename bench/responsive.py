"""How long the window stalls: a watchdog timer on the GUI thread records how late it
fires while the app walks every area and the main actions, on the demo workbook and on a
generated workbook of `--leads` leads (default 1,000,000), in the same run.

Each action runs as a user would set it off (from the event loop), then the loop runs on
until it has been idle a while; the action's stall is the longest the timer was kept
waiting. Printed per action: the stall on the demo and on the big workbook; last line,
`longest stall: N ms` over every action on the big workbook. Target (issue 18): ≤ 100 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/responsive.py [--leads 1000000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.dashboard import build  # noqa: E402
from ui.areas import AREAS  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.shell.settings import ShellSettings  # noqa: E402
from ui.sla.workers import wait_for_workers  # noqa: E402
from workbench.workbook import Workbook  # noqa: E402

TICK_MS = 5
IDLE_MS = 300  # the loop counts as idle once the timer has run this long on time


class StallWatch:
    """A timer firing every `TICK_MS` on the GUI thread; `longest` is the longest it was
    kept waiting past its time since `reset`, in milliseconds."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self.calm = 0.0
        self._last = 0.0

    def start(self) -> None:
        self.clock.start()
        self._last = self.clock.nsecsElapsed() / 1e6
        self.timer.start()

    def reset(self) -> None:
        self.longest, self.calm = 0.0, 0.0
        self._last = self.clock.nsecsElapsed() / 1e6

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        late = now - self._last - TICK_MS
        self.longest = max(self.longest, late)
        self.calm = self.calm + (now - self._last) if late < 20 else 0.0
        self._last = now


def run(app: QApplication, watch: StallWatch, action: Callable[[], object]) -> float:
    """Set `action` off from the event loop; the longest stall until the loop is idle."""
    watch.reset()
    QTimer.singleShot(0, action)
    started = time.perf_counter()
    while True:
        app.processEvents()
        time.sleep(0.001)
        if watch.calm >= IDLE_MS and time.perf_counter() - started > 0.05:
            break
        if time.perf_counter() - started > 120:
            break
    wait_for_workers()
    return watch.longest


def actions(window: MainWindow) -> list[tuple[str, Callable[[], object]]]:
    """The walk: every area, then what users do most in each."""
    walk: list[tuple[str, Callable[[], object]]] = [
        (f"open {area.key}", lambda key=area.key: window.show_area(key)) for area in AREAS]

    def page(key: str) -> object:
        window.show_area(key)
        return window.areas.current_page()

    def switch_quarter(key: str) -> None:
        screen = page(key)
        combo = getattr(screen, "quarter_combo", None)
        if combo is not None and combo.count() > 1:
            combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())

    def sort_leads(column: int) -> None:
        screen = page("data")
        screen.tabs.setCurrentIndex(0)
        screen.leads_tab.view.sortByColumn(column, screen.leads_tab.view.horizontalHeader()
                                           .sortIndicatorOrder())

    def filter_source() -> None:
        screen = page("data")
        combo = screen.leads_tab.source_combo
        combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())

    def drag_threshold() -> None:
        screen = page("scoring")
        screen.tabs.setCurrentWidget(screen.sandbox)
        line = screen.sandbox.histogram.line  # as a drag moves it: live figures, no save
        line.setValue(line.value() + 5)

    walk += [("dashboard: next quarter", lambda: switch_quarter("dashboard")),
             ("plan: next quarter", lambda: switch_quarter("plan"))]
    columns = range(page("data").leads_tab.model.columnCount())
    walk += [(f"leads: sort by column {c + 1}", lambda c=c: sort_leads(c)) for c in columns]
    walk += [("leads: filter by source", filter_source),
             ("scoring: move the MQL threshold", drag_threshold)]
    return walk


def walk(app: QApplication, path: Path, folder: Path) -> dict[str, float]:
    window = MainWindow(ShellSettings(folder / "settings.ini"), folder / "data")
    window.resize(1366, 768)
    window.show()
    watch = StallWatch()
    watch.start()
    stalls = {"open the workbook": run(app, watch, lambda: window.open_path(path))}
    workbook = window.context.workbook
    assert workbook is not None and workbook.path == path, f"{path} did not open"
    print(f"walking {path.name}: {workbook.leads.count():,} leads", flush=True)
    for name, action in actions(window):
        stalls[name] = run(app, watch, action)
    window.close()
    return stalls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--workbook", type=Path, help="walk a copy of this workbook instead of "
                        "building one (e.g. one kept from bench/dashboard.py)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = folder / "demo.awb"
        Workbook.create(demo, "demo").close()
        began = time.perf_counter()
        big = folder / "big.awb"
        if args.workbook:
            shutil.copyfile(args.workbook, big)
        else:
            build(big, args.leads).close()
            print(f"built {args.leads:,} leads in {time.perf_counter() - began:.1f} s")
        walk(app, demo, folder / "warm-up")  # modules and fonts loaded once, not timed
        small = walk(app, demo, folder / "demo-run")
        large = walk(app, big, folder / "big-run")
    width = max(map(len, large))
    print(f"{'action':<{width}}  {'demo':>8}  {f'{args.leads:,} leads':>14}")
    for name, stall in large.items():
        print(f"{name:<{width}}  {small.get(name, 0):>6.0f} ms  {stall:>11.0f} ms")
    print(f"longest stall: {max(large.values()):.0f} ms")


if __name__ == "__main__":
    main()
