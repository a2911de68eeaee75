"""Every setting the app shell remembers, declared once with its default (compare Picard).

`ShellSettings` wraps one `QSettings` store. Tests (and the start-up benchmark) pass a file
of their own, so they never read or write the real user's settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION_DOMAIN = "alignment-workbench.org"
APPLICATION = "Alignment Workbench"
DISTRIBUTION = "alignment-workbench"  # the package's name, as pip knows it
DESKTOP_FILE_NAME = "alignment-workbench"  # packaging/alignment-workbench.desktop
SETTINGS_FILE = "settings"  # ~/.config/Alignment Workbench/settings.ini
MAX_RECENT = 8

T = TypeVar("T")


def app_version() -> str:
    """The app's version: the package's, which pip's metadata and the bundle's carry too
    (pyproject.toml reads it from there). Read from the package, not the metadata: loading
    importlib.metadata cost 20 ms of every start."""
    from workbench import __version__

    return __version__


class Setting(Generic[T]):
    """One stored value: its key, its default and how to read it back as the right type."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    def __get__(self, settings: ShellSettings | None, owner: type | None = None) -> Any:
        if settings is None:
            return self
        raw = settings.store.value(self.key)
        return self.default if raw is None else self.convert(raw)

    def __set__(self, settings: ShellSettings, value: T) -> None:
        settings.store.setValue(self.key, value)

    def convert(self, raw: object) -> T:
        return raw  # type: ignore[return-value]


class TextSetting(Setting[str]):
    def convert(self, raw: object) -> str:
        return str(raw)


class TextListSetting(Setting[list[str]]):
    """A list of strings. INI files give back a single item as a bare string."""

    def __get__(self, settings: ShellSettings | None, owner: type | None = None) -> Any:
        value = super().__get__(settings, owner)
        return list(value) if settings is not None else value

    def convert(self, raw: object) -> list[str]:
        if isinstance(raw, str):
            return [raw] if raw else []
        if isinstance(raw, list | tuple):
            return [str(item) for item in raw if item]
        return []


class BytesSetting(Setting[QByteArray]):
    def convert(self, raw: object) -> QByteArray:
        return raw if isinstance(raw, QByteArray) else QByteArray()


class ShellSettings:
    """The shell's settings: recent files, the last workbook, window geometry, last area."""

    recent_files = TextListSetting("files/recent", [])
    # "stamp<TAB>path" of the files this app closed last, as they were left on disk.
    closed_files = TextListSetting("files/closed", [])
    last_workbook = TextSetting("files/last_workbook", "")
    geometry = BytesSetting("window/geometry", QByteArray())
    last_area = TextSetting("window/last_area", "funnel")

    def __init__(self, file: Path | None = None) -> None:
        """Use the user's settings, or the INI `file` given (tests, benchmarks)."""
        if file is None:
            self.store = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, APPLICATION, SETTINGS_FILE
            )
        else:
            self.store = QSettings(str(file), QSettings.Format.IniFormat)

    def remember_opened(self, path: Path) -> None:
        """Put `path` first among the recent files and make it the workbook to reopen."""
        text = str(path.resolve())
        self.recent_files = [text, *[p for p in self.recent_files if p != text]][:MAX_RECENT]
        self.last_workbook = text

    def forget_recent(self, path: Path | None = None) -> None:
        """Drop one file from the recent list, or all of them when `path` is None."""
        if path is None:
            self.recent_files = []
            return
        text = str(path.resolve())
        self.recent_files = [p for p in self.recent_files if p != text]

    def remember_closed(self, path: Path, stamp: str) -> None:
        """This app closed `path`, leaving it as `stamp` says (see `storage.file_stamp`)."""
        text = str(path.resolve())
        others = [entry for entry in self.closed_files if entry.partition("\t")[2] != text]
        self.closed_files = [f"{stamp}\t{text}", *others][:MAX_RECENT]

    def closed_stamp(self, path: Path) -> str | None:
        """How this app left `path` when it last closed it, if it did."""
        text = str(path.resolve())
        for entry in self.closed_files:
            stamp, _, where = entry.partition("\t")
            if where == text:
                return stamp
        return None

    def sync(self) -> None:
        self.store.sync()
