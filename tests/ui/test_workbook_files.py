"""Workbook files in the window: opening bad files, falling back to the demo, recent files,
Save As, a new workbook from a template, and an older file migrated on opening."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.main_window import DEMO_FILE_NAME, MainWindow
from ui.shell import dialogs
from ui.shell.settings import ShellSettings
from workbench import schema, storage
from workbench.workbook import Workbook

from ..workbench.files import held_elsewhere
from .conftest import make_window


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _text(path: Path, demo_path: Path) -> None:
    path.write_text("company,stage\nACME,MQL\n", encoding="utf-8")


def _empty(path: Path, demo_path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path, demo_path: Path) -> None:
    path.write_bytes(demo_path.read_bytes()[:50])


def _newer(path: Path, demo_path: Path) -> None:
    shutil.copy(demo_path, path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()


BAD_FILES = {
    "text": (_text, "not a workbook"),
    "empty": (_empty, "the file is empty"),
    "truncated": (_truncated, "truncated"),
    "newer": (_newer, "made by a newer version of Alignment Workbench"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_opening_a_bad_file_explains_and_changes_nothing(
    kind: str, window: MainWindow, errors: list[str], tmp_path: Path, demo_path: Path
) -> None:
    make, problem = BAD_FILES[kind]
    folder = tmp_path / "inbox"
    folder.mkdir()
    bad = folder / "ACME.awb"
    make(bad, demo_path)
    before = folder_state(folder)

    assert window.open_path(bad) is False

    assert len(errors) == 1
    assert "“ACME.awb” cannot be opened" in errors[0] and problem in errors[0]
    assert str(bad) in errors[0] and "Nothing was written to the file." in errors[0]
    assert folder_state(folder) == before  # same bytes, and no journal files beside it
    assert window.windowTitle().startswith("d — ")  # the open workbook stays open


def test_a_bad_file_on_the_command_line_falls_back_to_the_demo(
    qtbot: QtBot, shell_settings: ShellSettings, data_dir: Path, errors: list[str],
    tmp_path: Path,
) -> None:
    bad = tmp_path / "notes.awb"
    bad.write_text("not a workbook", encoding="utf-8")
    window = make_window(qtbot, shell_settings, data_dir)
    window.start(bad)
    assert "“notes.awb” cannot be opened" in errors[0]
    assert bad.read_text(encoding="utf-8") == "not a workbook"
    assert window.windowTitle() == (
        f"Demo company — {data_dir / DEMO_FILE_NAME} — Alignment Workbench")
    assert window.sidebar.company_label.text() == "Brightline Logistics Software"


def test_no_argument_reopens_the_last_workbook_or_the_demo_when_it_is_gone(
    qtbot: QtBot, shell_settings: ShellSettings, data_dir: Path, demo_file: Path,
    errors: list[str],
) -> None:
    shell_settings.last_workbook = str(demo_file)
    window = make_window(qtbot, shell_settings, data_dir)
    window.start()
    assert window.windowTitle().startswith("d — ")
    window.close_workbook()
    demo_file.unlink()
    window.start()
    assert window.windowTitle().startswith("Demo company — ")
    assert (data_dir / DEMO_FILE_NAME).exists()
    assert errors == []


def test_recent_files_list_newest_first_and_can_be_cleared(
    window: MainWindow, demo_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "e.awb"
    shutil.copy(demo_file, other)
    assert window.open_path(other)
    assert window.settings.recent_files == [str(other), str(demo_file)]
    texts = window.menus.recent_texts()
    assert [text.split("  ")[1] for text in texts] == ["e.awb", "d.awb"]
    window.menus.recent_menu.actions()[1].trigger()  # "d.awb" from Open Recent
    assert window.windowTitle().startswith("d — ")
    assert window.settings.recent_files[0] == str(demo_file)
    window.clear_recent()
    assert window.menus.recent_texts() == []


def test_save_as_writes_a_copy_that_opens_and_carries_on_in_it(
    window: MainWindow, demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "copies" / "ACME copy.awb"
    copy.parent.mkdir()
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested: copy)
    window.save_as()
    assert window.windowTitle() == f"ACME copy — {copy} — Alignment Workbench"
    workbook = window.context.workbook
    assert workbook is not None
    first = workbook.funnel.stages()[0]
    window.context.perform(workbook.funnel.rename_stage, first.id, "Site visit")
    with Workbook.open(copy) as reopened:
        assert reopened.funnel.stages()[0].name == "Site visit"
    with Workbook.open(demo_file) as original:
        assert original.funnel.stages()[0].name == first.name


def test_new_from_template_creates_and_opens_the_file(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "Northwind.awb"
    request = dialogs.NewWorkbookRequest("blank", "Northwind Traders", target)
    monkeypatch.setattr(dialogs, "ask_new_workbook", lambda parent, folder: request)
    window.show_area("workshop")  # wherever the last workbook was left
    window.new_workbook()
    assert target.exists()
    assert window.windowTitle().startswith("Northwind — ")
    assert window.sidebar.company_label.text() == "Northwind Traders"
    assert window.settings.recent_files[0] == str(target)
    assert window.current_area() == "funnel"  # where a new workbook's work begins
    assert window.counts_label.text().startswith("6 stages · 0 quarters · 0 leads")


def test_new_workbook_dialog_refuses_a_taken_name_and_a_missing_company(
    qtbot: QtBot, tmp_path: Path, demo_file: Path
) -> None:
    dialog = dialogs.NewWorkbookDialog(tmp_path)
    qtbot.addWidget(dialog)
    # A new workbook is for one's own company: blank, and the name is asked for.
    assert dialog.template.currentData() == "blank" and dialog.company.text() == ""
    assert dialog.problem_text() == "Enter the company's name."
    dialog.template.setCurrentIndex(dialog.template.findData("demo"))
    assert dialog.location.text() == str(tmp_path / "Brightline Logistics Software.awb")
    dialog.template.setCurrentIndex(dialog.template.findData("blank"))
    assert dialog.problem_text() == "Enter the company's name."
    dialog.company.setText("d")
    dialog.location.setText(str(demo_file))
    assert dialog.problem_text() == f"{demo_file} already exists. Choose another name or folder."
    dialog.location.setText(str(tmp_path / "New"))
    assert dialog.problem_text() == ""
    assert dialog.request() == dialogs.NewWorkbookRequest("blank", "d", tmp_path / "New.awb")


@pytest.mark.skipif(schema.SCHEMA_VERSION < 2, reason="needs a migration to migrate across")
def test_an_older_workbook_is_migrated_and_the_status_bar_names_the_backup(
    window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "Old.awb"
    older = schema.SCHEMA_VERSION - 1
    db = storage.connect(path)
    schema.MIGRATIONS.apply(db, stop_before=schema.MIGRATIONS.names[-1])
    db.conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    db.conn.execute(f"PRAGMA user_version = {older}")
    db.conn.commit()
    db.close()
    assert window.open_path(path)
    backup = tmp_path / f"Old.awb.schema{older}.bak"
    assert backup.exists()
    assert str(backup) in window.statusBar().currentMessage()


def test_a_file_this_app_closed_reopens_without_the_full_check_unless_touched_since(
    qtbot: QtBot, shell_settings: ShellSettings, data_dir: Path, demo_file: Path,
    errors: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    opens: list[bool] = []  # per open: whether every page was checked
    inspect = storage.inspect

    def recorded(path: Path, *, check: bool = True, cancelled: object = None) -> int:
        if check:
            opens[-1] = True
        return inspect(path, check=check)

    def open_path(path: Path) -> bool:
        opens.append(False)
        return window.open_path(path)

    monkeypatch.setattr(storage, "inspect", recorded)
    window = make_window(qtbot, shell_settings, data_dir)
    assert open_path(demo_file)  # from elsewhere: checked whole
    window.close_workbook()
    assert open_path(demo_file)  # as this app left it: the page check is skipped
    window.close_workbook()
    stamp = storage.file_stamp(demo_file)
    assert stamp is not None and shell_settings.closed_stamp(demo_file) == stamp
    later = demo_file.stat().st_mtime_ns + 5_000_000_000
    os.utime(demo_file, ns=(later, later))  # touched by something else since
    assert open_path(demo_file)
    assert opens == [True, False, True]
    assert errors == []


def test_a_workbook_open_in_another_window_opens_read_only_and_says_who_has_it(
    window: MainWindow, tmp_path: Path, demo_path: Path
) -> None:
    path = tmp_path / "Shared.awb"
    shutil.copy(demo_path, path)
    with held_elsewhere(path):
        assert window.open_path(path)
        assert "(read-only)" in window.windowTitle()
        message = window.statusBar().currentMessage()
        assert message.startswith("Read-only: Shared.awb is open in ")
        assert "Save As" in message


def test_changes_another_program_makes_show_in_the_window(
    qtbot: QtBot, window: MainWindow, demo_file: Path, tmp_path: Path
) -> None:
    """The command line (or another window) writes the file the window has open: within
    a moment every screen and the status bar's counts show what it wrote."""
    window.show_area("funnel")
    export = tmp_path / "new leads.csv"
    export.write_text("ID,Created,Source\nN1,2026-11-02,Web\nN2,2026-11-03,Events\n",
                      encoding="utf-8")
    from workbench.imports import Mapping

    before = window.counts_label.text()
    assert "4,300 leads" in before
    with Workbook.open(demo_file) as elsewhere:  # another connection, as another program
        stage = elsewhere.funnel.stages()[0]
        elsewhere.funnel.rename_stage(stage.id, "Inquiry — renamed elsewhere")
        elsewhere.leads.import_file(export, Mapping(
            fields={"external_id": "ID", "created": "Created", "source": "Source"},
            date_format="iso"))
    qtbot.waitUntil(lambda: "4,302 leads" in window.counts_label.text(), timeout=5000)
    assert "changed by another program" in window.statusBar().currentMessage()
    workbook = window.context.workbook
    assert workbook is not None and workbook.funnel.stages()[0].name.startswith("Inquiry —")
    assert "Inquiry — renamed elsewhere" in shown_texts(window)  # the funnel redrew


def shown_texts(window: MainWindow) -> str:
    """The text of every label, field and funnel-diagram item in the window."""
    from PySide6.QtWidgets import QGraphicsView, QLabel, QLineEdit

    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [field.text() for field in window.findChildren(QLineEdit)]
    for view in window.findChildren(QGraphicsView):
        for item in view.scene().items():
            for reader in ("toPlainText", "text"):
                if callable(getattr(item, reader, None)):
                    texts.append(str(getattr(item, reader)()))
    return "\n".join(texts)
