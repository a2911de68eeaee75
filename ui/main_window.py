"""The main window: the sidebar of areas, the area pages, menus and the status bar, and the
workbook's life in the window (open, new, save as, close).

Every edit is saved by the core as it happens, so nothing here asks to save changes.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from ui.areas import AREAS
from ui.context import AppContext
from ui.sla.workers import pool, run_job
from workbench.changes import Changes
from workbench.errors import CheckCancelled, WorkbenchError, WorkbookFileError

from .shell import dialogs
from .shell.area_stack import AreaStack
from .shell.backups import ask_backup, backups_root
from .shell.cards import EmptyState, Opening
from .shell.counts_label import CountsLabel
from .shell.menus import ShellMenus
from .shell.settings import ShellSettings
from .shell.sidebar import Sidebar
from .shell.style import app_icon, style_window
from .shell.undo import redo_last_step, undo_last_step

if TYPE_CHECKING:  # imported where first used: the window paints before the core loads
    from ui.shell.single_instance import OpenRequest
    from workbench.backups import Backup
    from workbench.workbook import Workbook

APP_NAME = "Alignment Workbench"
DEMO_FILE_NAME = "Demo company.awb"
COUNTED_TABLES = frozenset({"stages", "quarters", "leads"})
OPEN_ERRORS = (WorkbenchError, OSError, sqlite3.Error)
WATCH_MS = 1500  # how often the window asks whether another program changed the workbook


class MainWindow(QMainWindow):
    """One window on one workbook (or none). `data_dir` holds the demo workbook and is
    where new workbooks are offered to go."""

    def __init__(self, settings: ShellSettings, data_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.data_dir = data_dir
        self.context = AppContext(None, self)
        self.context.data_dir = data_dir
        self.context.window_styles_screens = True
        self.setWindowIcon(app_icon())
        style_window(self)
        self.sidebar = Sidebar()
        self.areas = AreaStack(self.context)
        self.empty_state = EmptyState()
        self.pages = QStackedWidget()
        self._build_pages()
        self.menus = ShellMenus(self)
        self.counts_label = CountsLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.context.status.connect(self.statusBar().showMessage)
        self.context.changed.connect(self._on_changed)
        self.context.area_requested.connect(self.open_area_at)
        self.sidebar.area_selected.connect(self._area_chosen)
        self.empty_state.new_requested.connect(self.new_workbook)
        self.empty_state.open_requested.connect(self.choose_and_open)
        self.empty_state.demo_requested.connect(self.open_demo)
        # Another program (the command line, another window elsewhere) may change the file.
        self.watch = QTimer(self, interval=WATCH_MS)
        self.watch.timeout.connect(self._check_changed_elsewhere)
        # Workbooks handed over by another start, waiting for a dialog to close.
        self._waiting_requests: list[OpenRequest] = []
        self._request_timer = QTimer(self, interval=300)
        self._request_timer.timeout.connect(self._open_waiting_requests)
        self._restore_geometry()
        self._show_workbook_state()

    def _build_pages(self) -> None:
        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.areas, 1)
        self.workspace = workspace
        self.pages.addWidget(workspace)
        self.pages.addWidget(self.empty_state)
        self.opening = Opening()
        self.pages.addWidget(self.opening)
        self.setCentralWidget(self.pages)

    def _restore_geometry(self) -> None:
        """The size and place the window had last time; first time, most of the screen."""
        if self.restoreGeometry(self.settings.geometry):
            return
        available = self.screen().availableGeometry()
        self.resize(min(1440, int(available.width() * 0.92)),
                    min(900, int(available.height() * 0.92)))

    # -- starting -------------------------------------------------------------------------
    def start_after_first_paint(self, file: Path | None = None, demo: bool = False) -> None:
        """Show "Opening…" at once and open the workbook right after the window's first
        paint, so the window appears before the core and the first screen have loaded."""
        self._pending_start = partial(self.start, file, demo)
        self.pages.setCurrentWidget(self.opening)

    def event(self, event: QEvent) -> bool:  # noqa: D102 - Qt's name
        handled = super().event(event)
        pending = getattr(self, "_pending_start", None)
        if pending is not None and event.type() == QEvent.Type.Paint:
            self._pending_start = None
            QTimer.singleShot(0, pending)
        return handled

    def start(self, file: Path | None = None, demo: bool = False) -> None:
        """Open what the command line asked for: FILE, the demo, or the last workbook (the
        demo when there is none or it is gone). A file that fails to open is explained, and
        the demo is opened instead."""
        failure: Exception | None = None
        if file is not None:
            failure = self._try_open(file)
        elif not demo:
            last = Path(self.settings.last_workbook) if self.settings.last_workbook else None
            if last is not None and last.exists():
                failure = self._try_open(last)
                if failure is None:
                    return
        if file is not None and failure is None:
            return
        self.open_demo()
        if failure is not None and not isinstance(failure, CheckCancelled):
            self._explain_open_failure(failure)

    def open_requested(self, request: OpenRequest) -> None:
        """Another start of the app (a workbook double-clicked) handed this window its
        request: come to the front and open that workbook here, as File → Open would
        (already open: just come to the front). While a dialog is open the request waits
        for it to close, so no dialog is left on a workbook that has gone."""
        self.bring_to_front()
        if getattr(self, "_pending_start", None) is not None:  # not started yet: start on it
            if request.file is not None or request.demo:
                self._pending_start = partial(self.start, request.file, request.demo)
            return
        if QApplication.activeModalWidget() is not None:
            self._waiting_requests.append(request)
            self.context.status.emit("A workbook will open here once this dialog is "
                                     "closed.", 0)
            self._request_timer.start()
            return
        if request.file is not None:
            self.open_path(request.file)
        elif request.demo:
            self.open_demo()

    def _open_waiting_requests(self) -> None:
        if QApplication.activeModalWidget() is not None:
            return
        self._request_timer.stop()
        waiting, self._waiting_requests = self._waiting_requests, []
        for request in waiting:
            self.open_requested(request)

    def bring_to_front(self) -> None:
        """Show the window over the others (restored if it was minimised)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- opening and closing --------------------------------------------------------------
    def _try_open(self, path: Path, *, back_up: bool = True) -> Exception | None:
        """Open `path` in the window; the error instead when it cannot be opened."""
        try:
            from workbench import storage
            from workbench.workbook import Workbook

            # A file this app closed and nothing touched since skips the check of every
            # page (seconds for a big one); a file from elsewhere is checked whole, on a
            # worker thread when big.
            stamp = storage.file_stamp(path)
            if stamp is None or stamp != self.settings.closed_stamp(path):
                from .shell.open_check import check_before_opening

                check_before_opening(path, self)
            workbook = Workbook.open(path, check=False, lock=APP_NAME)
        except OPEN_ERRORS as error:
            return error
        self._install(workbook, back_up=back_up)
        return None

    def open_path(self, path: Path) -> bool:
        """Open `path`; on failure explain why and keep what is open now."""
        current = self.context.workbook
        if current is not None and current.path is not None and path.exists() \
                and current.path.resolve() == path.resolve():
            return True  # already open: keep it, and its undo history
        failure = self._try_open(path)
        if isinstance(failure, CheckCancelled):
            self.context.status.emit(f"{path.name} was not opened: its check was cancelled.",
                                     5000)
        elif failure is not None:
            self._explain_open_failure(failure)
        return failure is None

    def _explain_open_failure(self, error: Exception) -> None:
        if isinstance(error, WorkbookFileError):
            path, problem = Path(error.path), error.problem
        else:
            path, problem = None, str(error)
        if path is not None and not path.exists():
            self.settings.forget_recent(path)
        name = f"“{path.name}”" if path is not None else "The workbook"
        dialogs.show_error(
            self, "Cannot open workbook", f"{name} cannot be opened: {problem.rstrip('.')}.",
            (f"File: {path}\n\n" if path is not None else "")
            + "Nothing was written to the file.",
        )

    def demo_path(self) -> Path:
        return self.data_dir / DEMO_FILE_NAME

    def open_demo(self) -> bool:
        """Open the demo workbook in the data folder, creating it the first time."""
        path = self.demo_path()
        if path.exists():
            return self.open_path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            from workbench.workbook import Workbook

            workbook = Workbook.create(path, "demo", lock=APP_NAME)
        except OPEN_ERRORS as error:
            dialogs.show_error(self, "Cannot create the demo workbook",
                               f"The demo workbook cannot be created at {path}.", str(error))
            return False
        self._install(workbook)
        return True

    def choose_and_open(self) -> None:
        path = dialogs.ask_open_path(self, self._current_folder())
        if path is not None:
            self.open_path(path)

    def open_recent_by_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction) and action.data():
            self.open_path(Path(str(action.data())))

    def clear_recent(self) -> None:
        self.settings.forget_recent()
        self.menus.refresh_recent()

    def new_workbook(self) -> None:
        """Ask for a template, a company name and a file, then create and open it."""
        request = dialogs.ask_new_workbook(self, self.data_dir)
        if request is None:
            return
        try:
            request.path.parent.mkdir(parents=True, exist_ok=True)
            from workbench.workbook import Workbook

            workbook = Workbook.create(request.path, request.template,
                                       company_name=request.company_name, lock=APP_NAME)
        except OPEN_ERRORS as error:
            dialogs.show_error(self, "Cannot create workbook",
                               f"“{request.path.name}” cannot be created.", str(error))
            return
        self._install(workbook)
        self.show_area(AREAS[0].key)  # a new workbook starts where the teams start: the funnel
        self.context.status.emit(f"Created {request.path}", 5000)

    def save_as(self) -> None:
        """Copy the workbook to a new file and carry on working in the copy."""
        workbook = self.context.workbook
        if workbook is None or workbook.path is None:
            return
        suggested = workbook.path.with_name(f"{workbook.path.stem} copy.awb")
        target = dialogs.ask_save_path(self, suggested)
        if target is None:
            return
        try:
            copy = workbook.save_as(target)
        except OPEN_ERRORS as error:
            dialogs.show_error(self, "Cannot save workbook",
                               f"The workbook cannot be saved as “{target.name}”.", str(error))
            return
        self._install(copy, close_previous=False)
        self.context.status.emit(f"Saved as {target}; you are now working in this copy.", 8000)

    def export_report(self) -> None:
        """File → Export…: a report as PDF, previewed before it is saved."""
        if self.context.workbook is None:
            return
        from ui.export.dialog import show_export_dialog  # loads the reports on first use

        show_export_dialog(self.context, self)

    def close_workbook(self) -> None:
        """Close the workbook and show the empty state."""
        workbook = self.context.workbook
        if workbook is None:
            return
        self.areas.discard_pages()
        self.context.set_workbook(None)
        self._close(workbook)
        self._show_workbook_state()

    def _close(self, workbook: Workbook) -> None:
        """Close `workbook` and remember how it was left, so reopening it can trust it."""
        from workbench import storage

        pool("files").waitForDone()  # a copy still being taken reads the file to the end
        workbook.close()
        if workbook.path is not None:
            stamp = storage.file_stamp(workbook.path)
            if stamp is not None:
                self.settings.remember_closed(workbook.path, stamp)

    def _install(self, workbook: Workbook, *, close_previous: bool = True,
                 back_up: bool = True) -> None:
        """Make `workbook` the open one: screens reload, the old one is closed; a copy of
        it is kept (off the GUI thread) unless `back_up` is false."""
        previous = self.context.workbook
        self.context.set_workbook(workbook)
        if previous is not None and close_previous:
            self._close(previous)
        if workbook.path is not None:
            self.settings.remember_opened(workbook.path)
        self._show_workbook_state()
        if workbook.migrated_from is not None:
            self.context.status.emit(
                f"Updated this workbook from an older version (schema {workbook.migrated_from})."
                f" The original is backed up at {workbook.backup_path}", 0)
        if workbook.read_only is not None:
            self.context.status.emit(f"Read-only: {workbook.read_only}", 0)
        workbook.changed_elsewhere()  # what "since" means from here on
        self.watch.start()
        if back_up and workbook.path is not None:
            from workbench import backups

            run_job(partial(backups.take, workbook.path, backups_root(self.data_dir)),
                    self._backed_up, self._backup_failed, thread="files")

    def _check_changed_elsewhere(self) -> None:
        """Reload every screen when another program has changed the workbook."""
        workbook = self.context.workbook
        if workbook is None or not workbook.changed_elsewhere():
            return
        self.context.changed.emit(Changes.everything("Changed elsewhere"), None)
        self._refresh_counts()
        self.context.status.emit("This workbook was changed by another program; every "
                                 "screen now shows its changes.", 8000)

    def _backed_up(self, backup: Backup | None) -> None:
        if backup is not None:
            self.context.status.emit("Kept a backup copy of this workbook (File → Restore "
                                     "from Backup… lists them).", 5000)

    def _backup_failed(self, error: Exception) -> None:
        self.context.status.emit(f"No backup copy was kept: {error}", 0)

    def restore_backup(self) -> None:
        """File → Restore from Backup…: put back a copy the app kept of this workbook."""
        workbook = self.context.workbook
        if workbook is None or workbook.path is None:
            return
        from workbench import backups

        pool("files").waitForDone()  # a copy being taken now is listed too
        path, root = workbook.path, backups_root(self.data_dir)
        chosen = ask_backup(self, path.name, backups.backups(path, root),
                            backups.folder_for(path, root))
        if chosen is None:
            return
        if workbook.read_only is not None:
            dialogs.show_error(self, "Cannot restore", f"“{path.name}” cannot be replaced "
                               "now.", workbook.read_only)
            return
        self.areas.discard_pages()
        self.context.set_workbook(None)
        self._close(workbook)
        try:
            backups.restore(chosen, path, root)
        except OPEN_ERRORS as error:
            dialogs.show_error(self, "Cannot restore", f"The copy taken "
                               f"{chosen.taken:%Y-%m-%d %H:%M} cannot be put back.",
                               f"{error}\n\nThe workbook was not changed.")
        else:
            self.context.status.emit(
                f"Restored the copy taken {chosen.taken:%Y-%m-%d %H:%M}. The workbook as it "
                "was is kept as a backup too (File → Restore from Backup…).", 0)
        failure = self._try_open(path, back_up=False)
        if failure is not None:
            self._show_workbook_state()
            self._explain_open_failure(failure)

    # -- what the window shows ------------------------------------------------------------
    def _show_workbook_state(self) -> None:
        workbook = self.context.workbook
        self.menus.set_workbook_open(workbook is not None)
        self.menus.refresh_recent()
        if workbook is None:
            self.watch.stop()
            self.setWindowTitle(APP_NAME)
            self.counts_label.forget()
            self.pages.setCurrentWidget(self.empty_state)
            return
        read_only = " (read-only)" if workbook.read_only is not None else ""
        self.setWindowTitle(f"{workbook.name}{read_only} — {workbook.path} — {APP_NAME}")
        self.sidebar.set_workbook_labels(workbook.properties().company_name,
                                         workbook.path.name if workbook.path else "")
        self._refresh_counts()
        self.pages.setCurrentWidget(self.workspace)
        key = self.settings.last_area
        self.show_area(key if key in self.areas.areas else AREAS[0].key)

    def _refresh_counts(self) -> None:
        workbook = self.context.workbook
        if workbook is None:
            return
        self.counts_label.show_counts(workbook)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        self.menus.refresh_undo()
        workbook = self.context.workbook
        if workbook is None:
            return
        if changes.tables & COUNTED_TABLES:
            self._refresh_counts()
        if changes.properties:
            self.sidebar.set_workbook_labels(workbook.properties().company_name,
                                             workbook.path.name if workbook.path else "")

    def show_area(self, key: str) -> None:
        """Show area `key` now (from the View menu, Ctrl+1…7 or a link elsewhere)."""
        if self.context.workbook is None or key not in self.areas.areas:
            return
        self._choose(key)
        self.areas.show_area(key)

    def _area_chosen(self, key: str) -> None:
        """The user chose `key` in the sidebar: a page not made yet is made now and shown a
        turn of the event loop later, so the window paints between the two."""
        if self.context.workbook is None or key not in self.areas.areas:
            return
        self._choose(key)
        self.areas.show_area_soon(key)

    def _choose(self, key: str) -> None:
        self.sidebar.select(key)
        self.menus.check_area(key)
        self.settings.last_area = key

    def open_area_at(self, key: str, target: object) -> None:
        """Show area `key` at `target` (a link from another area, e.g. the checker's)."""
        self.show_area(key)
        page = self.areas.pages.get(key)
        if page is not None and hasattr(page, "show_target"):
            page.show_target(target)

    def show_area_by_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.show_area(str(action.data()))

    def current_area(self) -> str | None:
        return self.sidebar.current_key()

    # -- edit -----------------------------------------------------------------------------
    def undo(self) -> None:
        undo_last_step(self.context)

    def redo(self) -> None:
        redo_last_step(self.context)

    def _current_folder(self) -> Path:
        workbook = self.context.workbook
        return workbook.path.parent if workbook and workbook.path else self.data_dir

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Remember the window's geometry, then close the workbook cleanly."""
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        workbook = self.context.workbook
        if workbook is not None:
            self.areas.discard_pages()
            self.context.set_workbook(None)
            self._close(workbook)
        self.settings.sync()
        super().closeEvent(event)
