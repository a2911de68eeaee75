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
import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A screen's modules load from Python's bytecode cache, as in a user's app: a shell that
# says not to write it would have each first showing compile them, inside the stall.
sys.dont_write_bytecode = False
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTabWidget  # noqa: E402

from bench.dashboard import build  # noqa: E402
from ui.areas import AREAS  # noqa: E402
from ui.data.leads_model import COLUMNS  # noqa: E402
from ui.export.dialog import ExportDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.shell.collector import GuiThreadCollector  # noqa: E402
from ui.shell.settings import ShellSettings  # noqa: E402
from ui.shell.style import apply_style  # noqa: E402
from ui.sla import workers  # noqa: E402
from ui.sla.workers import wait_for_workers  # noqa: E402
from workbench.workbook import Workbook  # noqa: E402

TICK_MS = 5
IDLE_MS = 300  # the loop counts as idle once the timer has run this long on time
WHY_FROM_MS = int(os.environ.get("WHY_FROM_MS", "100"))  # --why explains stalls over this
WHY_PLACES = int(os.environ.get("WHY_PLACES", "3"))  # in so many places


class StallWatch:
    """A timer firing every `TICK_MS` on the GUI thread; `longest` is the longest it was
    kept waiting past its time since `reset`, in milliseconds."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self.calm = 0.0
        self._last = 0.0
        self.worst = (0.0, 0.0)  # when the longest stall began and ended (clock ms)

    def start(self) -> None:
        self._last = time.perf_counter() * 1000
        self.timer.start()

    def reset(self) -> None:
        self.longest, self.calm, self.worst = 0.0, 0.0, (0.0, 0.0)
        self._last = time.perf_counter() * 1000

    def _tick(self) -> None:
        now = time.perf_counter() * 1000
        late = now - self._last - TICK_MS
        if late > self.longest:
            self.longest, self.worst = late, (self._last, now)
        self.calm = self.calm + (now - self._last) if late < 20 else 0.0
        self._last = now


class Sampler:
    """With --why: every few milliseconds a timer signal notes, on the GUI thread, where
    that thread is, so a long stall can be put down to the code that held it. A signal
    waits for the thread's next Python step, so each note counts the time since the last
    one (a long query is put down to the line that ran it). No frame is kept: one freed
    on another thread would take Qt objects with it."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float, str]] = []  # (at, weight, where)
        self._last = time.perf_counter() * 1000
        self._noting = False
        signal.signal(signal.SIGALRM, self._note)
        signal.setitimer(signal.ITIMER_REAL, 0.002, 0.002)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        if self._noting:  # the next signal came while this one was noted: it waits
            return
        self._noting = True
        try:
            now = time.perf_counter() * 1000
            where = _where(frame)
            if now - self._last > HELD_MS:  # kept from its next step: by another thread's
                where += _held_by()  # hold on the interpreter, when one was running
            self.samples.append((now, now - self._last, where))
            self._last = now
        finally:
            self._noting = False

    def during(self, began: float, ended: float) -> str:
        """The places the GUI thread was seen most between `began` and `ended`."""
        seen: Counter[str] = Counter()
        for at, weight, where in self.samples:
            if began <= at <= ended + 1:
                seen[where] += weight
        return "; ".join(f"{ms:.0f} ms {where}" for where, ms in seen.most_common(WHY_PLACES))


HELD_MS = 20
IDLE_FILES = ("threading.py", "queue.py", "selectors.py")  # a thread waiting, not working


def _held_by() -> str:
    """Where the other Python threads are: one that kept the interpreter (the GIL) past
    the GUI thread's turn is still where it kept it."""
    main = threading.main_thread().ident
    others = [_where(frame, inside_project=False)
              for ident, frame in sys._current_frames().items()
              if ident != main and Path(frame.f_code.co_filename).name not in IDLE_FILES]
    return f" [other thread: {'; '.join(others)}]" if others else ""


def _where(frame: FrameType | None, *, inside_project: bool = True) -> str:
    """The innermost project frames of a stack, outermost first: file:line function."""
    chain: list[str] = []
    while frame is not None and len(chain) < 3:
        path = Path(frame.f_code.co_filename)
        if ROOT in path.parents and path.parent.name != "bench":
            chain.append(f"{path.relative_to(ROOT)}:{frame.f_lineno} {frame.f_code.co_name}")
        elif not inside_project and not chain:  # the library call it is in
            chain.append(f"{path.name}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return " < ".join(chain) or "Qt"


SAMPLER: list[Sampler] = []
ONLY: list[str] = []  # --only: walk just the actions whose names hold one of these


@dataclass
class Outcome:
    """One action: the longest stall, when its results were all shown (worker threads'
    included) and, for a sort, when its first page was there to read."""

    stall: float
    ready: float
    first_page: float | None = None
    why: str = ""


def run(app: QApplication, watch: StallWatch, action: Callable[[], object]) -> Outcome:
    """Set `action` off from the event loop; the longest stall until the loop is idle and
    every worker thread's result has been delivered."""
    watch.reset()
    FIRST_PAGE.clear()
    QTimer.singleShot(0, action)
    started = time.perf_counter()
    done = started
    while True:
        app.processEvents()
        time.sleep(0.001)
        if workers._RUNNING or any(busy() for busy in BUSY):
            done = time.perf_counter()
        elif watch.calm >= IDLE_MS and time.perf_counter() - started > 0.05:
            break
        if time.perf_counter() - started > 120:
            break
    wait_for_workers()
    ready = max(done, time.perf_counter() - watch.calm / 1000) - started
    first = FIRST_PAGE[0] - started if FIRST_PAGE else None
    why = SAMPLER[0].during(*watch.worst) if SAMPLER and watch.longest > WHY_FROM_MS else ""
    return Outcome(watch.longest, ready * 1000, None if first is None else first * 1000, why)


FIRST_PAGE: list[float] = []  # when the leads table's first page arrived
SETUP = "(setup)"  # an action that only prepares the next: not counted in the longest stall
BUSY: list[Callable[[], bool]] = []  # work of the action's on threads of its own (a PDF)


def _first_page(part: str) -> None:
    if part == "first page" and not FIRST_PAGE:
        FIRST_PAGE.append(time.perf_counter())


def actions(window: MainWindow) -> Iterator[tuple[str, Callable[[], object]]]:
    """The walk: every area, then what users do most in each, then every tab of every
    screen not opened yet. Given one at a time, as the walk goes: what an action needs to
    know of a screen is read after the screen was opened (and timed) as a user opens it."""
    def choose(row: int) -> None:  # as a click in the sidebar does
        window.sidebar.area_list.setCurrentRow(row)

    for row, area in enumerate(AREAS):
        yield f"open {area.key}", partial(choose, row)

    def page(key: str) -> Any:
        window.show_area(key)
        return window.areas.current_page()

    def switch_quarter(key: str) -> None:
        screen = page(key)
        combo = getattr(screen, "quarter_combo", None)
        if combo is not None and combo.count() > 1:
            combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())

    def sort_leads(column: int, order: Qt.SortOrder) -> None:
        screen = page("data")
        screen.tabs.setCurrentIndex(0)
        model = screen.leads_tab.model
        if not getattr(model, "bench_hooked", False):
            model.sorted_elsewhere.connect(_first_page)
            model.bench_hooked = True
        screen.leads_tab.view.sortByColumn(column, order)

    def next_filter(name: str) -> None:
        combo = getattr(page("data").leads_tab, f"{name}_combo")
        combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())

    def open_tab(key: str, index: int) -> None:
        page(key).tabs.setCurrentIndex(index)

    def drag_threshold() -> None:
        screen = page("scoring")
        line = screen.sandbox.histogram.line  # as a drag moves it: live figures, no save
        line.setValue(line.value() + 5)

    yield "dashboard: next quarter", partial(switch_quarter, "dashboard")
    yield "plan: next quarter", partial(switch_quarter, "plan")
    columns = page("data").leads_tab.model.columnCount()
    for order, words in ((Qt.SortOrder.AscendingOrder, "sort by"),
                         (Qt.SortOrder.DescendingOrder, "sort descending by")):
        for column in range(columns):
            yield f"leads: {words} column {column + 1}", partial(sort_leads, column, order)
    created = next(i for i, column in enumerate(COLUMNS) if column.key == "created_at")
    yield ("leads: sort by created date, as the table opens",
           partial(sort_leads, created, Qt.SortOrder.AscendingOrder))
    for name in ("source", "quarter", "stage"):  # each one more, on top of the one before
        yield f"leads: filter by {name}", partial(next_filter, name)
    yield "scoring: open the sandbox", partial(open_tab, "scoring", 1)
    yield "scoring: move the MQL threshold", drag_threshold
    opened = {("scoring", 1)}
    for area in AREAS:
        tabs = getattr(page(area.key), "tabs", None) if area.screen else None
        for index in range(1, tabs.count() if isinstance(tabs, QTabWidget) else 0):
            if (area.key, index) not in opened:
                yield (f"{area.key}: open the {tabs.tabText(index).replace('&', '')} tab",
                       partial(open_tab, area.key, index))
    yield from export_actions(window) + import_actions(window)


def export_actions(window: MainWindow) -> list[tuple[str, Callable[[], object]]]:
    """File → Export…: the QBR previewed, then saved (the dialog as the menu shows it,
    without its modal loop)."""
    from ui.export import dialog as dialog_module
    from ui.export import files

    opened: list[ExportDialog] = []
    target = Path(tempfile.mkdtemp()) / "qbr.pdf"
    files.ask_save_path = lambda *args: target  # type: ignore[assignment]
    dialog_module.open_file = lambda path: None  # type: ignore[assignment]

    def preview() -> None:
        dialog = ExportDialog(window.context, window, kind="qbr")
        opened.append(dialog)
        BUSY[:] = [lambda: dialog.result_pdf is None and (
            dialog.job is not None or dialog._timer.isActive() or dialog._waiting_for_figures)]
        dialog.show()

    def save() -> None:
        BUSY.clear()
        dialog = opened[-1]
        assert dialog.result_pdf is not None, "the QBR was not built"
        dialog.save()
        assert target.stat().st_size > 10_000, "the QBR was not saved"
        dialog.reject()

    return [("export: preview the QBR", preview), ("export: save the QBR", save)]


def import_actions(window: MainWindow) -> list[tuple[str, Callable[[], object]]]:
    """A small CRM export imported into the workbook, then undone (Edit → Undo)."""
    export = ROOT / "tests" / "fixtures" / "hubspot_contacts.csv"

    def import_file() -> None:
        workbook = window.context.workbook
        assert workbook is not None
        changes, _ = workbook.leads.import_file(export, skip_bad_rows=True,
                                                accept_flagged=True)
        window.context.changed.emit(changes, None)

    return [(f"{SETUP} import a small export on the GUI thread", import_file),
            ("undo the import", window.undo)]


def walk(app: QApplication, path: Path, folder: Path) -> dict[str, Outcome]:
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
        if ONLY and not any(part in name for part in ONLY):
            continue
        stalls[name] = run(app, watch, action)
    window.close()
    # Destroyed here, on the GUI thread: left to Python's cycle collector, it could be
    # collected on a worker thread (Qt aborts when a QObject dies off its thread).
    window.deleteLater()
    app.processEvents()
    return stalls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--workbook", type=Path, help="walk a copy of this workbook instead of "
                        "building one (e.g. one kept from bench/dashboard.py)")
    parser.add_argument("--why", action="store_true", help="say where the GUI thread was "
                        "during each stall over 100 ms")
    parser.add_argument("--only", action="append", default=[], metavar="WORDS",
                        help="walk only the actions whose names hold WORDS (repeatable), "
                        "e.g. --only 'open dashboard'")
    args = parser.parse_args()
    ONLY.extend(args.only)
    if args.why:
        SAMPLER.append(Sampler())
    app = QApplication.instance() or QApplication([])
    apply_style(app)  # the app's look: its style, palette and font cost what they cost
    GuiThreadCollector()  # as the app does: no Qt object freed on a worker thread
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
        give_scoring_rules(big)
        walk(app, demo, folder / "warm-up")  # modules and fonts loaded once, not timed
        gc.collect()
        small = walk(app, demo, folder / "demo-run")
        gc.collect()
        large = walk(app, big, folder / "big-run")
        size = f"{workbook_leads(big):,} leads"
    width = max(map(len, large))
    print(f"{'':<{width}}  {'stall (longest wait of the window)':^28}   {'ready':^22}")
    print(f"{'action':<{width}}  {'demo':>10}  {size:>16}   {'demo':>8}  {size:>12}")
    for name, big_one in large.items():
        small_one = small.get(name, Outcome(0, 0))
        first = "" if big_one.first_page is None else \
            f"  (first page {big_one.first_page:.0f} ms)"
        print(f"{name:<{width}}  {small_one.stall:>7.0f} ms  {big_one.stall:>13.0f} ms   "
              f"{small_one.ready:>5.0f} ms  {big_one.ready:>9.0f} ms{first}")
        if big_one.why:
            print(f"    where: {big_one.why}")
    if SAMPLER:
        signal.setitimer(signal.ITIMER_REAL, 0)
    counted = [o.stall for name, o in large.items() if not name.startswith(SETUP)]
    print(f"longest stall: {max(counted):.0f} ms"
          + (f" (only the actions walked: {', '.join(ONLY)})" if ONLY else ""))


# Rules on the fields the generated leads have, as a team would write them: scoring reads
# and matches every lead (on a worker) and sums each rule's points (on the GUI thread).
RULES = ({"kind": "fit", "attribute": "source", "operator": "in",
          "value": "Webinar, Events, Partner referral", "points": 20, "label": "Met us"},
         {"kind": "fit", "attribute": "amount", "operator": "at_least", "value": "50000",
          "points": 25, "label": "Big deal"},
         {"kind": "fit", "attribute": "source", "operator": "equals", "value": "Outbound SDR",
          "points": -10, "label": "Cold outreach"},
         {"kind": "interest", "attribute": "first_touch_at", "operator": "exists",
          "points": 30, "label": "Answered"},
         {"kind": "interest", "attribute": "created_at", "operator": "exists", "points": 20,
          "half_life_days": 90, "label": "Recent"})


def give_scoring_rules(path: Path) -> None:
    """The big workbook's model gets `RULES` if it has none (the demo has its own)."""
    with Workbook.open(path, check=False) as workbook:
        if not workbook.scoring.rules():
            for rule in RULES:
                workbook.scoring.add_rule(**rule)
            workbook.history.clear()


def workbook_leads(path: Path) -> int:
    with Workbook.open(path, check=False) as workbook:
        return workbook.leads.count()


if __name__ == "__main__":
    main()
