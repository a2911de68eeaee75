"""The Help menu as a user meets it: the guide on F1 (and a clear message when it is
missing), the keyboard shortcuts read from the live window, and About with the versions and
every bundled library's licence."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from pytestqt.qtbot import QtBot

from resources import ROOT as RESOURCES
from ui.main_window import MainWindow
from ui.shell import help_about, help_guide, help_shortcuts
from ui.shell.help_about import AboutDialog, AboutFacts, bundled_libraries, licence_text
from ui.shell.help_guide import GuideUnavailable, read_guide, split_guide
from ui.shell.help_shortcuts import NATIVE, shortcuts_dialog
from ui.shell.settings import ShellSettings
from workbench.schema import SCHEMA_VERSION

from .conftest import make_window

PROJECT = Path(__file__).resolve().parents[2]
JOBS = ["Set up a workbook", "Agree the definitions", "Import a CRM export",
        "Plan the quarter", "Sign the SLA", "Run a workshop", "Export for executives"]


def plain(text: str) -> str:
    return text.replace("&", "")


def test_the_help_menu_offers_the_guide_the_keys_and_about(window: MainWindow) -> None:
    texts = [plain(a.text()) for a in window.menus.help_menu.actions() if a.text()]
    assert texts == ["User guide", "Keyboard shortcuts", "About Alignment Workbench"]
    assert window.menus.guide_action.shortcut() == QKeySequence("F1")


# -- the guide ------------------------------------------------------------------------------
def test_the_guide_has_a_page_for_each_job_and_its_pictures_are_shipped_small() -> None:
    sections = read_guide()
    assert [s.title for s in sections][0] == "Start here"
    assert [s.title for s in sections][1:len(JOBS) + 1] == JOBS
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", help_guide.GUIDE.read_text("utf-8"))
    assert len(pictures) >= len(JOBS)
    for name in pictures:
        path = help_guide.GUIDE.parent / name
        assert path.is_file(), name
        assert path.stat().st_size <= 120_000, name


def test_split_guide_keeps_each_heading_with_its_text() -> None:
    text = "# Guide\n\nIntro.\n\n## One\n\nFirst.\n\n## Two\nSecond.\n"
    sections = split_guide(text)
    assert [s.title for s in sections] == ["Start here", "One", "Two"]
    assert sections[1].markdown == "## One\n\nFirst.\n"
    assert split_guide("") == []


def test_f1_opens_the_guide_on_its_first_page_and_again_brings_it_back(
        qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.menus.guide
    assert guide is not None
    qtbot.addWidget(guide)
    qtbot.waitExposed(guide)
    assert guide.contents.currentItem().text() == "Start here"
    assert "Every edit is saved" in guide.page.toPlainText()
    guide.show_title("Sign the SLA")
    assert guide.page.toPlainText().startswith("Sign the SLA")
    window.menus.show_guide()
    assert window.menus.guide is guide  # one guide, brought to the front


def test_a_missing_guide_is_one_clear_message(
        window: MainWindow, errors: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(help_guide, "GUIDE", tmp_path / "guide.md")
    monkeypatch.setattr(help_guide.open_guide, "__defaults__", (tmp_path / "guide.md",))
    window.menus.show_guide()
    assert window.menus.guide is None
    assert errors == [
        "Cannot show the user guide\nThe user guide is not part of this installation.\n"
        f"The guide file is missing: {tmp_path / 'guide.md'}\n\n"
        "Reinstall Alignment Workbench to restore it. Nothing else is affected."]


def test_an_unreadable_or_empty_guide_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "guide.md"
    bad.write_bytes(b"\xff\xfe not text")
    with pytest.raises(GuideUnavailable, match="cannot be read"):
        read_guide(bad)
    bad.write_text("\n\n", encoding="utf-8")
    with pytest.raises(GuideUnavailable, match="is empty"):
        read_guide(bad)


# -- keyboard shortcuts ---------------------------------------------------------------------
def live_keys(window: MainWindow) -> set[str]:
    keys = {help_shortcuts.keys_text(a.shortcuts()) for a in window.findChildren(QAction)}
    keys |= {s.key().toString(NATIVE) for s in window.findChildren(QShortcut)}
    return keys - {""}


def test_the_shortcuts_list_what_the_window_really_has(qtbot: QtBot, window: MainWindow) -> None:
    dialog = shortcuts_dialog(window)
    qtbot.addWidget(dialog)
    listed = {(e.group, e.what, e.keys) for e in dialog.listed()}
    assert ("File", "Open", "Ctrl+O") in listed
    assert ("Help", "User guide", "F1") in listed
    assert ("Edit", "Redo the step undone", "Ctrl+Shift+Z, Ctrl+Y") in listed
    # Screens not shown yet are made so that their keys are listed too.
    assert ("Workshop", "Present", "F5") in listed
    assert ("Scoring", "Show the “Sandbox” tab", "Alt+2") in listed
    assert window.current_area() == "funnel"
    assert window.areas.current_page() is window.areas.pages["funnel"]
    # Nothing listed lacks a live action or shortcut, and none is left out.
    assert {keys for _, _, keys in listed} == live_keys(window)
    assert len(listed) == len(dialog.listed())


def test_without_a_workbook_the_menus_keys_are_listed_and_the_rest_explained(
        qtbot: QtBot, shell_settings: ShellSettings, data_dir: Path) -> None:
    window = make_window(qtbot, shell_settings, data_dir)
    dialog = shortcuts_dialog(window)
    qtbot.addWidget(dialog)
    assert {e.group for e in dialog.listed()} == {"File", "Edit", "View", "Help"}
    assert "Open a workbook to list its screens' keys as well." in dialog.intro.text()
    window.close()


# -- about ----------------------------------------------------------------------------------
def test_about_states_the_versions_and_the_workbook_format(window: MainWindow) -> None:
    facts = dict(AboutFacts.gather(window.context.workbook).rows())
    assert facts["Open workbook"] == f"schema {SCHEMA_VERSION}"
    assert facts["Workbooks this app writes"] == f"schema {SCHEMA_VERSION}"
    assert facts["Version"] == metadata.version("alignment-workbench")  # as pip installed it
    assert "PySide6 6.11" in facts["Qt"] and "LGPL 3.0" in facts["Qt"]
    assert dict(AboutFacts.gather(None).rows())["Open workbook"] == "no workbook is open"


def test_about_lists_every_bundled_library_with_its_licence(qtbot: QtBot) -> None:
    libraries = {library.name.lower(): library for library in bundled_libraries()}
    assert "LGPL-3.0-only" in libraries["pyside6_essentials"].licence
    assert libraries["reportlab"].licence == "BSD License"
    assert {"pyhanko", "numpy", "segno", "shiboken6", "openpyxl"} <= set(libraries)
    assert "sqlite-utils" not in libraries  # a test dependency only
    assert all(library.licence for library in libraries.values())
    dialog = AboutDialog(AboutFacts.gather(None), list(libraries.values()))
    qtbot.addWidget(dialog)
    table = dialog.library_table
    assert [table.item(0, c).text() for c in range(3)][::2] == ["Qt", "LGPL-3.0-only"]
    assert table.rowCount() == len(libraries) + 1
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Libraries", "GNU LGPL 3.0", "GNU GPL 3.0"]
    lgpl = dialog.tabs.widget(1).toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in lgpl and "Version 3" in lgpl
    assert "GNU GENERAL PUBLIC LICENSE" in dialog.tabs.widget(2).toPlainText()


def test_the_licence_texts_are_shipped_and_a_missing_one_is_explained(tmp_path: Path) -> None:
    for _, name in help_about.LICENSE_TEXTS:
        assert (RESOURCES / "licenses" / name).stat().st_size > 5000
    text = licence_text("LGPL-3.0.txt", tmp_path)
    assert text.startswith(f"The licence text is missing from this installation "
                           f"({tmp_path / 'LGPL-3.0.txt'}).")


def test_the_fallback_dependency_list_matches_pyproject() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))["project"]
    names = [re.match(r"[A-Za-z0-9._-]+", spec).group(0)  # type: ignore[union-attr]
             for spec in project["dependencies"]]
    assert list(help_about.DEPENDENCIES) == names


def test_package_data_ships_the_guide_and_the_licences() -> None:
    """As setuptools reads package-data: patterns for the file's package, and for "*"."""
    patterns = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))[
        "tool"]["setuptools"]["package-data"]
    for path in [help_guide.GUIDE, *(RESOURCES / "guide").glob("*.png"),
                 *(RESOURCES / "licenses").iterdir()]:
        package = ".".join(path.parent.relative_to(PROJECT).parts)
        wanted = [*patterns.get(package, []), *patterns.get("*", [])]
        assert any(fnmatch(path.name, pattern) for pattern in wanted), path
