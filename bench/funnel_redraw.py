"""How long one edit takes on the funnel screen, from the user's edit to the repainted
diagram, with 12 stages (the demo's 7 plus 5).

Three kinds of edit, cycled over 50 runs each way: rename (the Name field), change owner
(the Owner combo), move (the drop that ends a drag). Each is timed through the real
widgets offscreen, including a forced repaint of the diagram, and against a baseline in the
same run: the same core mutation with no screen listening. Target: < 50 ms per edit and
redraw.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/funnel_redraw.py [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# run as a script, bench/ comes first on the path, where a module may shadow a package of
# the same name (bench/reports.py vs reports/): import from the repository root instead
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

from ui.context import AppContext  # noqa: E402
from ui.funnel.editor import FunnelEditor  # noqa: E402
from workbench.workbook import Workbook  # noqa: E402

OWNERS = ("marketing", "sales", "shared", None)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _screen_edits(editor: FunnelEditor, workbook: Workbook) -> list[Callable[[int], None]]:
    """Edits made the way a user makes them: typing a name, choosing an owner, dropping."""
    form = editor.panel.form

    def rename(i: int) -> None:
        editor.select_stage(workbook.funnel.stages()[i % 12].id)
        form.editor("name").setText(f"Stage renamed {i}")
        form.commit("name")

    def change_owner(i: int) -> None:
        editor.select_stage(workbook.funnel.stages()[i % 12].id)
        form.owner.setCurrentIndex(form.owner.findData(OWNERS[i % 4]))
        form.owner.activated.emit(form.owner.currentIndex())

    def move(i: int) -> None:
        stages = workbook.funnel.stages()
        shapes = editor.view.funnel.shapes
        editor.view.drop_band(stages[i % 12].id, shapes[(i * 5) % 12].middle + 1)

    return [rename, change_owner, move]


def _core_edits(workbook: Workbook) -> list[Callable[[int], None]]:
    """The same mutations straight on the core: nothing listens, nothing redraws."""
    funnel = workbook.funnel

    def rename(i: int) -> None:
        funnel.rename_stage(funnel.stages()[i % 12].id, f"Core renamed {i}")

    def change_owner(i: int) -> None:
        funnel.update_stage(funnel.stages()[i % 12].id, owner=OWNERS[(i + 1) % 4])

    def move(i: int) -> None:
        funnel.move_stage(funnel.stages()[i % 12].id, (i * 5 + 3) % 12)

    return [rename, change_owner, move]


def _time(edit: Callable[[int], None], i: int, app: QApplication,
          editor: FunnelEditor | None) -> float:
    start = time.perf_counter()
    edit(i)
    if editor is not None:
        editor.view.viewport().repaint()
        app.processEvents()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    workbook = Workbook.create(folder / "bench.awb", "demo")
    for n, position in enumerate((1, 3, 5, 7, 9)):
        workbook.funnel.add_stage(f"Extra stage {n + 1}", position=position,
                                  owner=OWNERS[n % 3], target_conversion=0.5, max_hours=48)
    context = AppContext(workbook)
    window = QMainWindow()
    editor = FunnelEditor(context)
    window.setCentralWidget(editor)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    screen, core = _screen_edits(editor, workbook), _core_edits(workbook)
    ui_ms: list[float] = []
    core_ms: list[float] = []
    for i in range(args.runs):  # interleaved, so drift hits both the same
        ui_ms.append(_time(screen[i % 3], i, app, editor))
        core_ms.append(_time(core[i % 3], i, app, None))
    refresh_ms = [_time(lambda _i: editor.refresh(), i, app, editor) for i in range(args.runs)]
    print(f"funnel edit → redraw, {len(workbook.funnel.stages())} stages, {args.runs} edits "
          "(rename, owner, move in turn)")
    for label, values in (("screen: edit + redraw + repaint", ui_ms),
                          ("baseline: bare core mutation", core_ms),
                          ("screen: redraw + repaint only", refresh_ms)):
        print(f"  {label:34} median {statistics.median(values):7.2f} ms   "
              f"p95 {_p95(values):7.2f} ms")
    ratio = statistics.median(ui_ms) / statistics.median(core_ms)
    print(f"  ratio screen / core (medians): {ratio:.1f}×; target < 50 ms per edit: "
          f"{'met' if _p95(ui_ms) < 50 else 'NOT met'} (p95)")
    window.close()
    workbook.close()


if __name__ == "__main__":
    main()
