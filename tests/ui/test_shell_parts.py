"""The shell's settings and style sheet on their own."""

from __future__ import annotations

from pathlib import Path

from reports import palette
from ui.shell.settings import MAX_RECENT, ShellSettings
from ui.shell.style import style_sheet


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
