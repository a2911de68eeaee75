"""The bundled app's entry point: the `alignment-workbench` command, exactly as
`python -m ui` runs it.

One argument of its own, for checking an installed bundle (packaging/smoke.sh):

    alignment-workbench --smoke-test [FILE.awb | --demo]

opens the window as usual, waits for the workbook to open, shows every area of the sidebar
once (each screen is imported by name, so a module the bundle lacks shows here), closes
the window and exits 0 — or 1 if a screen failed to load, the window's SVG icon cannot be
drawn (Qt's SVG plugins missing), or Help's guide or licence texts are missing; 3 if
nothing happened in time. It also prints the version and the libraries About lists.
It prints when the window was first painted and when the workbook was open with its first
screen shown, on the system's monotonic clock, for bench/bundle_start.py.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

SMOKE_FLAG = "--smoke-test"
SMOKE_SECONDS = 120


def smoke_test(argv: list[str]) -> int:
    """Run the app on `argv` (FILE or --demo), walk every area, close it; the exit status."""
    from ui.cli import display_problem

    problem = display_problem(os.environ)
    if problem is not None:
        print(f"alignment-workbench: error: {problem}", file=sys.stderr)
        return 1
    from PySide6.QtCore import QEvent, QObject, QTimer

    from ui.app import application, run_app
    from ui.areas import AREAS
    from ui.main_window import MainWindow
    from ui.shell.cards import ScreenFailed

    demo = "--demo" in argv
    files = [Path(arg) for arg in argv if arg != "--demo"]
    app = application()
    failed: list[str] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and isinstance(watched, MainWindow):
                print(f"smoke test: painted at {time.monotonic():.4f}", flush=True)
                app.removeEventFilter(self)
            return False

    first_paint = FirstPaint()
    app.installEventFilter(first_paint)

    def give_up() -> None:
        print("smoke test: the workbook did not open in time", file=sys.stderr, flush=True)
        os._exit(3)

    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(give_up)
    deadline.start(SMOKE_SECONDS * 1000)

    def walk() -> None:
        window = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)
        if window is None or window.context.workbook is None or window.areas.current_page() \
                is None:
            QTimer.singleShot(10, walk)
            return
        print(f"smoke test: ready at {time.monotonic():.4f}", flush=True)
        for area in AREAS:
            window.show_area(area.key)
            app.processEvents()
            if isinstance(window.areas.pages.get(area.key), ScreenFailed):
                failed.append(area.key)
        shown = len(AREAS) - len(failed)
        if window.windowIcon().pixmap(64, 64).isNull():
            failed.append("the window icon (SVG)")
        failed.extend(help_problems())
        path = window.context.workbook.path
        print(f"smoke test: {path.name if path else 'workbook'} opened; "
              f"{shown} of {len(AREAS)} areas shown"
              f"{'; failed: ' + ', '.join(failed) if failed else ''}", flush=True)
        deadline.stop()
        window.close()

    QTimer.singleShot(0, walk)
    status = run_app(files[0] if files else None, demo)
    return status or (1 if failed else 0)


def help_problems() -> list[str]:
    """What Help lacks (the guide, a licence text); prints what About lists."""
    from ui.shell.help_about import LICENSE_TEXTS, bundled_libraries, licence_text
    from ui.shell.help_guide import GuideUnavailable, read_guide
    from ui.shell.settings import app_version

    libraries = bundled_libraries()
    print(f"smoke test: About: version {app_version()}; {len(libraries)} libraries: "
          f"{', '.join(library.name for library in libraries)}", flush=True)
    problems = [f"licence text {name}" for _, name in LICENSE_TEXTS
                if licence_text(name).startswith("The licence text is missing")]
    try:
        read_guide()
    except GuideUnavailable:
        problems.append("the user guide")
    return problems


def main() -> int:
    if sys.argv[1:2] == [SMOKE_FLAG]:
        return smoke_test(sys.argv[2:])
    from ui.cli import main as command

    return command()


if __name__ == "__main__":
    raise SystemExit(main())
