"""The main window's menus: File, Edit, View (the areas, Ctrl+1…7) and Help (the user
guide on F1, the keyboard shortcuts, About).

The actions call the window's methods; this module keeps their labels, shortcuts and
enabled state right (e.g. "Undo Rename stage", or a disabled "Nothing to undo").
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.areas import AREAS

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.present.presenter import Presenter

    from .help_guide import GuideDialog


def _home_relative(path: Path) -> str:
    """`path`'s folder with the home folder shortened to "~", for menus."""
    folder = path.parent
    try:
        return "~/" + str(folder.relative_to(Path.home()))
    except ValueError:
        return str(folder)


class ShellMenus:
    """Builds the menu bar on `window` and keeps the actions' state current."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.help_menu = bar.addMenu("&Help")
        self._build_file()
        self._build_edit()
        self._build_view()
        self._build_help()

    def _action(self, menu: QMenu, text: str, slot: object,
                *keys: QKeySequence | QKeySequence.StandardKey | str) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if keys:
            action.setShortcuts([QKeySequence(key) for key in keys])
        return action

    def _build_file(self) -> None:
        menu, window = self.file_menu, self.window
        self.new_action = self._action(menu, "&New from template…", window.new_workbook,
                                       QKeySequence.StandardKey.New)
        self.open_action = self._action(menu, "&Open…", window.choose_and_open, "Ctrl+O")
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self.refresh_recent)
        menu.addSeparator()
        self.save_as_action = self._action(menu, "Save &As…", window.save_as, "Ctrl+Shift+S")
        self.restore_action = self._action(menu, "Restore from &Backup…", window.restore_backup)
        self.restore_action.setStatusTip("Put back a copy of this workbook the app kept when "
                                         "it was opened before")
        self.export_action = self._action(menu, "&Export…", window.export_report, "Ctrl+E")
        self.export_action.setStatusTip("Export the funnel chart or the quarterly business "
                                        "review as PDF, with a preview")
        self.close_action = self._action(menu, "&Close", window.close_workbook, "Ctrl+W")
        menu.addSeparator()
        self.quit_action = self._action(menu, "&Quit", window.close, "Ctrl+Q")
        self.refresh_recent()

    def _build_edit(self) -> None:
        self.undo_action = self._action(self.edit_menu, "Nothing to undo", self.window.undo,
                                        "Ctrl+Z")
        self.redo_action = self._action(self.edit_menu, "Nothing to redo", self.window.redo,
                                        "Ctrl+Shift+Z", "Ctrl+Y")
        # Their texts follow the step; the keyboard shortcuts list names them plainly.
        self.undo_action.setIconText("Undo the last step")
        self.redo_action.setIconText("Redo the step undone")
        self.edit_menu.aboutToShow.connect(self.refresh_undo)
        self.refresh_undo()

    def _build_view(self) -> None:
        self.area_group = QActionGroup(self.window)
        self.area_actions: dict[str, QAction] = {}
        for number, area in enumerate(AREAS, start=1):
            action = self._action(self.view_menu, area.title, self.window.show_area_by_action,
                                  f"Ctrl+{number}")
            action.setCheckable(True)
            action.setData(area.key)
            action.setStatusTip(area.blurb)
            action.setIconText(f"Go to {area.title}")
            self.area_group.addAction(action)
            self.area_actions[area.key] = action
        self.view_menu.addSeparator()
        # F5 belongs to each screen (only the one on show answers it), so the menu shows the
        # key without taking it.
        self.present_action = self.view_menu.addAction("&Present full screen\tF5",
                                                       self.present)
        self.present_action.setStatusTip("This screen's figures as slides, full screen, in "
                                         "large type (arrows move, Esc leaves)")
        self.view_menu.aboutToShow.connect(self._enable_present)

    def _current_presenter(self) -> Presenter | None:
        from ui.present.presenter import Presenter

        presenter = getattr(self.window.areas.current_page(), "presenter", None)
        return presenter if isinstance(presenter, Presenter) else None

    def _enable_present(self) -> None:
        self.present_action.setEnabled(self._current_presenter() is not None)

    def present(self) -> None:
        """View → Present: the screen on show, as its F5 would."""
        presenter = self._current_presenter()
        if presenter is not None and not presenter.showing:
            presenter.open()

    def _build_help(self) -> None:
        menu = self.help_menu
        self.guide: GuideDialog | None = None
        self.guide_action = self._action(menu, "&User guide", self.show_guide,
                                         QKeySequence.StandardKey.HelpContents)
        self.guide_action.setStatusTip("How to set up a workbook, agree the funnel, import "
                                       "CRM data, plan, sign the SLA and run a workshop")
        self.shortcuts_action = self._action(menu, "&Keyboard shortcuts", self.show_shortcuts)
        menu.addSeparator()
        self.about_action = self._action(menu, "&About Alignment Workbench", self.show_about)

    # The Help menu's dialogs load when first asked for: start-up stays light.
    def show_guide(self) -> None:
        from .help_guide import open_guide

        if self.guide is not None and self.guide.isVisible():
            self.guide.raise_()
            self.guide.activateWindow()
            return
        self.guide = open_guide(self.window)

    def show_shortcuts(self) -> None:
        from .help_shortcuts import show_shortcuts

        show_shortcuts(self.window)

    def show_about(self) -> None:
        from .help_about import show_about

        show_about(self.window, self.window.context.workbook)

    def refresh_undo(self) -> None:
        """Name the step Undo and Redo would act on, or disable them."""
        workbook = self.window.context.workbook
        undo = workbook.undo_name if workbook else None
        redo = workbook.redo_name if workbook else None
        self.undo_action.setText(f"&Undo {undo}" if undo else "Nothing to undo")
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(f"&Redo {redo}" if redo else "Nothing to redo")
        self.redo_action.setEnabled(redo is not None)

    def refresh_recent(self) -> None:
        """List the recent files, newest first, with a way to clear the list."""
        self.recent_menu.clear()
        paths = [Path(text) for text in self.window.settings.recent_files]
        for number, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{number}  {path.name}  ({_home_relative(path)})")
            action.setData(str(path))
            action.setToolTip(str(path))
            action.triggered.connect(self.window.open_recent_by_action)
        if paths:
            self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("&Clear list", self.window.clear_recent)
        clear.setEnabled(bool(paths))
        self.recent_menu.setEnabled(True)

    def set_workbook_open(self, is_open: bool) -> None:
        """Actions that need an open workbook follow whether one is."""
        for action in (self.save_as_action, self.restore_action, self.export_action,
                       self.close_action,
                       *self.area_actions.values()):
            action.setEnabled(is_open)
        self.refresh_undo()

    def check_area(self, key: str) -> None:
        self.area_actions[key].setChecked(True)

    def recent_texts(self) -> list[str]:
        """The recent files as the menu lists them (for tests and the empty state)."""
        self.refresh_recent()
        return [a.text() for a in self.recent_menu.actions() if a.data()]
