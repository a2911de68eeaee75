"""`Workbook.changed_elsewhere`: the window's cheap question "has another program written
this file since I last asked?" — not fooled by the workbook's own edits, and never asked
while an import on another thread is using the connection."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from workbench.workbook import Workbook


def test_only_another_connections_changes_count(demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "Demo.awb"
    shutil.copy(demo_path, path)
    with Workbook.open(path) as mine, Workbook.open(path) as theirs:
        assert mine.changed_elsewhere() is False  # the first question sets "since"
        mine.funnel.rename_stage(mine.funnel.stages()[0].id, "Mine")
        assert mine.changed_elsewhere() is False
        theirs.funnel.rename_stage(theirs.funnel.stages()[1].id, "Theirs — 李雷")
        assert mine.changed_elsewhere() is True
        assert mine.changed_elsewhere() is False  # once per change
        assert mine.funnel.stages()[1].name == "Theirs — 李雷"


def test_it_is_not_asked_while_work_on_another_thread_uses_the_connection(
        demo: Workbook) -> None:
    held, release = threading.Event(), threading.Event()

    def import_running() -> None:
        with demo.busy:
            held.set()
            release.wait(10)

    worker = threading.Thread(target=import_running)
    worker.start()
    held.wait(10)
    try:
        assert demo.changed_elsewhere() is None
    finally:
        release.set()
        worker.join()
    assert demo.changed_elsewhere() is False
