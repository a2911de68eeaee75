"""The shell's settings and style sheet on their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from reports import palette
from ui.shell.settings import MAX_RECENT, ShellSettings
from ui.shell.style import style_sheet

from .conftest import make_window


def test_recent_files_keep_the_newest_eight_without_repeats(tmp_path: Path) -> None:
    settings = ShellSettings(tmp_path / "shell.ini")
    files = [tmp_path / f"client {n}.awb" for n in range(10)]
    for path in files:
        settings.remember_opened(path)
    settings.remember_opened(files[5])
    expected = [str(files[5])] + [str(p) for p in reversed(files) if p != files[5]]
    assert settings.recent_files == expected[:MAX_RECENT]
    assert settings.last_workbook == str(files[5])


def test_settings_read_back_from_the_file_with_their_types(tmp_path: Path) -> None:
    first = ShellSettings(tmp_path / "shell.ini")
    assert (first.recent_files, first.last_workbook, first.last_area) == ([], "", "funnel")
    first.remember_opened(tmp_path / "only.awb")  # a one-item list: INI gives back a string
    first.last_area = "sla"
    first.sync()
    second = ShellSettings(tmp_path / "shell.ini")
    assert second.recent_files == [str(tmp_path / "only.awb")]
    assert second.last_area == "sla"
    second.forget_recent(tmp_path / "only.awb")
    assert second.recent_files == []


def test_style_sheet_uses_the_shared_palette() -> None:
    sheet = style_sheet()
    assert "$" not in sheet
    assert palette.CANVAS in sheet and palette.ACCENT in sheet


def test_the_data_folder_is_named_once(qtbot: object, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.app import application, data_folder

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    app = application()
    assert data_folder() == tmp_path / "share" / "Alignment Workbench"
    assert app.applicationVersion() and app.organizationDomain() == "alignment-workbench.org"


def test_the_app_names_itself_as_its_desktop_entry_and_package_do(qtbot: object) -> None:
    from importlib import metadata

    from ui.app import application

    app = application()
    entry = Path(__file__).parents[2] / "packaging" / f"{app.desktopFileName()}.desktop"
    assert entry.is_file()
    assert f"StartupWMClass={app.desktopFileName()}" in entry.read_text("utf-8")
    assert app.applicationName() == "Alignment Workbench"
    assert app.applicationVersion() == metadata.version("alignment-workbench")


@pytest.mark.parametrize(("count", "noun", "says"), [
    (0, "lead", "0 leads"), (1, "lead", "1 lead"), (4300, "lead", "4,300 leads"),
    (1, "quarter", "1 quarter"), (2, "more problem", "2 more problems")])
def test_counts_in_words(count: int, noun: str, says: str) -> None:
    from ui.words import counted

    assert counted(count, noun) == says


def _colour_at(widget: QWidget, x: int, y: int) -> str:
    return widget.grab().toImage().pixelColor(x, y).name().upper()


def test_the_main_window_and_its_dialogs_wear_the_app_style(
        qtbot: QtBot, shell_settings: ShellSettings, data_dir: Path) -> None:
    from ui.app import application

    application()
    window = make_window(qtbot, shell_settings, data_dir)
    dialog = QDialog(window)  # as every dialog of the app is opened: over the window
    button = QPushButton("Sign off…", dialog)
    button.setObjectName("Primary")
    QVBoxLayout(dialog).addWidget(button)
    dialog.resize(300, 120)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _colour_at(dialog, 2, 2) == palette.CANVAS.upper()
    middle = button.geometry().center()
    assert _colour_at(dialog, middle.x() - 60, middle.y()) == palette.ACCENT.upper()
    dialog.close()


def test_an_error_shown_before_any_window_wears_the_app_style(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.shell import dialogs

    seen: list[str] = []

    def grab_instead_of_waiting(box: QMessageBox) -> int:
        box.show()
        qtbot.waitExposed(box)
        ok = box.button(QMessageBox.StandardButton.Ok)
        left = ok.mapTo(box, ok.rect().topLeft())  # the default button: the accent colour
        seen.append(_colour_at(box, left.x() + 5, left.y() + ok.height() // 2))
        seen.append(box.text())
        box.close()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", grab_instead_of_waiting)
    dialogs.show_error(None, "Could not start", "The settings folder is read-only.")
    assert seen == [palette.ACCENT.upper(), "The settings folder is read-only."]
