"""Every screen's presentation slides on the demo workbook, each saved as a 1280×720 PNG
(offscreen) to look at as someone at the back of the room would, with the texts that had
to be cut with "…" and any that overflowed their room listed.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python bench/present.py \
        [-o folder] [--size 1280x720]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from ui.context import AppContext  # noqa: E402
from ui.present.window import PresenterWindow  # noqa: E402
from workbench.workbook import Workbook  # noqa: E402

SCREENS = {"funnel": "ui.funnel.editor:FunnelEditor", "plan": "ui.plan.screen:PlanScreen",
           "dashboard": "ui.dashboard.screen:DashboardScreen",
           "scoring": "ui.scoring.screen:ScoringScreen",
           "workshop": "ui.workshop.screen:WorkshopScreen"}


def screen_of(spec: str, context: AppContext) -> QWidget:
    import importlib

    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)(context)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=Path("present-slides"))
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    app = QApplication.instance() or QApplication([])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        workbook = Workbook.create(Path(folder) / "demo.awb", "demo")
        context = AppContext(workbook)
        for key, spec in SCREENS.items():
            screen = screen_of(spec, context)
            app.processEvents()
            while getattr(screen, "follow_up_pending", False):  # the dashboard's follow-up
                app.processEvents()
            slides = screen.presentation_slides()  # type: ignore[attr-defined]
            shown = PresenterWindow(key.title(), list(slides).copy)
            shown.resize(width, height)
            for number, slide in enumerate(slides, 1):
                shown.go(number - 1)
                path = args.out / f"{key}-{number:02}.png"
                shown.grab().save(str(path))  # paints the window as it shows the slide
                drawn = shown.drawn
                assert drawn is not None
                cut = [r.shown for r in drawn.runs if r.cut]
                over = [r.text for r in drawn.overflowing]
                smallest = min((r.pixels for r in drawn.runs), default=0)
                print(f"{path}  {slide.title!r}  smallest text {smallest:.0f} px"
                      + (f"  cut: {cut}" if cut else "") + (f"  OVERFLOW: {over}" if over
                                                           else ""))
            shown.deleteLater()
            screen.deleteLater()
        workbook.close()
    del app


if __name__ == "__main__":
    main()
