"""Starting the desktop app: the QApplication, its look, and the main window on the right
workbook (FILE, the demo, or the last one used)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

import ui.pyside_imports  # noqa: F401 (first of the app's: PySide6 checks each later import)
from ui.main_window import APP_NAME, MainWindow
from ui.shell.collector import GuiThreadCollector
from ui.shell.preload import preload_screens_later
from ui.shell.settings import (
    APPLICATION,
    DESKTOP_FILE_NAME,
    ORGANIZATION_DOMAIN,
    ShellSettings,
    app_version,
)
from ui.shell.single_instance import HandOver, OpenRequest, serve_or_hand_over, server_name
from ui.shell.style import apply_style


def application() -> QApplication:
    """The QApplication, named so settings and the data folder land in the right place."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    # The organisation is the project itself, named by its domain only: an organisation
    # name would nest every per-user folder ("…/Alignment Workbench/Alignment Workbench")
    # and move the data folder, the demo and the backups users already have.
    app.setOrganizationName("")
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setApplicationVersion(app_version())
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE_NAME)  # the desktop entry: its icon, its window
    apply_style(app)
    return app


def data_folder() -> Path:
    """Where the demo workbook lives and new workbooks are offered to go."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / ".alignment-workbench"


def launch(file: Path | None, demo: bool, *, settings: ShellSettings | None = None,
           data_dir: Path | None = None, defer_open: bool = False) -> MainWindow:
    """Create the application and show the main window on the workbook asked for.

    With `defer_open` (the real app) the window paints first and opens the workbook
    straight after; without it (tests) the workbook is open when this returns.
    """
    application()
    window = MainWindow(settings or ShellSettings(), data_dir or data_folder())
    if defer_open:
        window.start_after_first_paint(file, demo)
        window.show()
        return window
    window.show()  # first, so a message about a file that failed appears over the window
    window.start(file, demo)
    return window


def run_app(file: Path | None, demo: bool) -> int:
    """Run the desktop app until its window closes; the process's exit status.

    When the app already runs for this user, the workbook asked for is handed to it and
    this process ends at once (status 0); see `ui.shell.single_instance`.
    """
    application()
    request = OpenRequest(file.absolute() if file is not None else None, demo)
    outcome, server = serve_or_hand_over(request, server_name())
    if outcome is HandOver.ACCEPTED:
        return 0
    if outcome is HandOver.NO_ANSWER:
        print("alignment-workbench: the app already running did not answer; opening a "
              "window of its own.", file=sys.stderr)
    window = launch(file, demo, defer_open=True)
    if server is not None:
        server.requested.connect(window.open_requested)
    collector = GuiThreadCollector()
    preload_screens_later()
    status = QApplication.exec()
    collector.stop()
    if server is not None:
        server.close()
    del window
    return status
