"""Help → Keyboard shortcuts: every key the live window answers to, read from the window
itself — its menus' actions and each screen's actions and shortcuts — so the list cannot
drift from the code. There is no table of keys to keep up to date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.areas import AREAS

if TYPE_CHECKING:
    from ui.main_window import MainWindow

NATIVE = QKeySequence.SequenceFormat.NativeText
OTHER_GROUP = "Anywhere in the window"


def _address(item: QObject) -> int:
    """The Qt object's own address: Python wrappers of one object can differ."""
    return int(shiboken6.getCppPointer(item)[0])


@dataclass(frozen=True)
class KeyEntry:
    """One shortcut as listed: where it works, what it does, its keys."""

    group: str
    what: str
    keys: str


def keys_text(sequences: list[QKeySequence]) -> str:
    """The sequences as the platform writes them, e.g. "Ctrl+Shift+Z, Ctrl+Y"."""
    return ", ".join(s.toString(NATIVE) for s in sequences if not s.isEmpty())


def plain(text: str) -> str:
    """A menu text without its mnemonic marks ("&Open…" → "Open…")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _described_by_button(owner: QWidget, keys: str) -> str | None:
    """A button on the same screen that names the key ("Present (F5)") says what it does."""
    for button in owner.findChildren(QAbstractButton):
        for text in (button.text(), button.toolTip()):
            if f"({keys})" in text:
                return plain(text.replace(f"({keys})", ""))
    return None


def _described_as_tab(owner: QWidget, sequence: QKeySequence) -> str | None:
    """Alt+N on a screen with tabs shows its N-th tab (the app's convention)."""
    match = re.fullmatch(r"Alt\+(\d)", sequence.toString(QKeySequence.SequenceFormat.PortableText))
    tabs = owner.findChildren(QTabWidget)
    if match is None or not tabs:
        return None
    index = int(match.group(1)) - 1
    tab = tabs[0]
    return f"Show the “{plain(tab.tabText(index))}” tab" if index < tab.count() else None


def describe_shortcut(shortcut: QShortcut) -> str:
    """What a QShortcut does, in words: its What's This text, the button that names its
    key, the tab it shows, or what its standard key means."""
    if shortcut.whatsThis():
        return shortcut.whatsThis()
    sequence = shortcut.key()
    parent = shortcut.parent()
    owner = parent if isinstance(parent, QWidget) else None
    while owner is not None and owner.parentWidget() is not None \
            and not owner.findChildren(QAbstractButton):
        owner = owner.parentWidget()
    if owner is not None:
        found = (_described_by_button(owner, sequence.toString(NATIVE))
                 or _described_as_tab(owner, sequence))
        if found:
            return found
    if sequence.matches(QKeySequence(QKeySequence.StandardKey.Delete)) \
            == QKeySequence.SequenceMatch.ExactMatch:
        return "Delete the selected item"
    return "Shortcut without a description"


class ShortcutReader:
    """Reads the shortcuts of `window` as it is now, grouped by menu, then by screen."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.titles = {area.key: area.title for area in AREAS}

    def entries(self) -> list[KeyEntry]:
        seen: set[int] = set()
        found: list[KeyEntry] = []
        for menu_action in self.window.menuBar().actions():
            menu = menu_action.menu()
            if isinstance(menu, QMenu):
                found += self._menu(menu, plain(menu.title()), seen)
        for action in self.window.findChildren(QAction):
            if _address(action) not in seen and action.shortcuts():
                seen.add(_address(action))
                found.append(KeyEntry(self._group(action), plain(action.iconText()),
                                      keys_text(action.shortcuts())))
        for shortcut in self.window.findChildren(QShortcut):
            if not shortcut.key().isEmpty():
                found.append(KeyEntry(self._group(shortcut), describe_shortcut(shortcut),
                                      keys_text([shortcut.key()])))
        order = [OTHER_GROUP, *self.titles.values()]
        menus = [e.group for e in found if e.group not in order]
        return sorted(found, key=lambda e: ([*dict.fromkeys(menus), *order].index(e.group)))

    def _menu(self, menu: QMenu, group: str, seen: set[int]) -> list[KeyEntry]:
        found = []
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                found += self._menu(sub, group, seen)
            elif action.shortcuts():
                seen.add(_address(action))
                found.append(KeyEntry(group, plain(action.iconText()),
                                      keys_text(action.shortcuts())))
        return found

    def _group(self, item: QObject) -> str:
        """The screen `item` belongs to, by its title; or the window as a whole."""
        pages = {_address(page): key for key, page in self.window.areas.pages.items()}
        node: QObject | None = item
        while node is not None:
            if _address(node) in pages:
                return self.titles[pages[_address(node)]]
            node = node.parent()
        return OTHER_GROUP


def load_every_screen(window: MainWindow) -> None:
    """Make each area's screen (they are made when first shown) so that its keys can be
    read, then show again the area shown now."""
    if window.context.workbook is None:
        return
    current = window.current_area()
    for area in AREAS:
        if area.key not in window.areas.pages:
            window.areas.show_area(area.key)
    if current is not None:
        window.areas.show_area(current)


class ShortcutsDialog(QDialog):
    """The list, one group a menu or screen, each row what it does and its keys."""

    def __init__(self, entries: list[KeyEntry], parent: QWidget | None = None,
                 *, workbook_open: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        self.intro = intro = QLabel(
            "Every key this window answers to, read from its menus and screens."
            + ("" if workbook_open else " Open a workbook to list its screens' keys as well."))
        intro.setObjectName("CardBlurb")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["What it does", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._fill(entries)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill(self, entries: list[KeyEntry]) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        for entry in entries:
            group = groups.get(entry.group)
            if group is None:
                group = QTreeWidgetItem(self.tree, [entry.group])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
                groups[entry.group] = group
            QTreeWidgetItem(group, [entry.what, entry.keys])
        self.tree.expandAll()

    def listed(self) -> list[KeyEntry]:
        """The entries as the dialog shows them (for tests)."""
        result = []
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            children = [group.child(row) for row in range(group.childCount())] if group else []
            result += [KeyEntry(group.text(0), child.text(0), child.text(1))
                       for child in children if group is not None and child is not None]
        return result


def shortcuts_dialog(window: MainWindow) -> ShortcutsDialog:
    load_every_screen(window)
    return ShortcutsDialog(ShortcutReader(window).entries(), window,
                           workbook_open=window.context.workbook is not None)


def show_shortcuts(window: MainWindow) -> None:
    """Help → Keyboard shortcuts."""
    shortcuts_dialog(window).exec()
