"""Help → About: the version, the workbook format (the open workbook's and this app's),
Python and Qt, and every library the app ships with its licence.

Qt and PySide6 are used under the GNU LGPL version 3, which asks that its text (and the
GPL's, which it adds to) go with the app: both are in `resources/licenses/` and shown here.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from resources import ROOT

from .settings import DISTRIBUTION, app_version
from .style import app_icon

if TYPE_CHECKING:
    from workbench.workbook import Workbook

LICENSES = ROOT / "licenses"
LICENSE_TEXTS = (("GNU LGPL 3.0", "LGPL-3.0.txt"), ("GNU GPL 3.0", "GPL-3.0.txt"))
QT_LICENSE = "LGPL-3.0-only"
# What the app depends on when its own package metadata is missing (a source checkout that
# was never installed); tests/ui/test_help.py keeps it equal to pyproject.toml's list.
DEPENDENCIES = ("PySide6-Essentials", "pyqtgraph", "numpy", "reportlab",
                "python-bidi", "arabic-reshaper", "pyHanko", "pyhanko-certvalidator",
                "cryptography", "pypdfium2", "openpyxl", "xxhash", "zxcvbn", "waitress", "segno")


@dataclass(frozen=True)
class Library:
    """One library the app ships: as its package metadata names it."""

    name: str
    version: str
    licence: str


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(meta: metadata.PackageMetadata) -> str:
    """A package's licence in a few words: its SPDX expression, else its short licence
    field, else its licence classifiers."""
    expressions = meta.get_all("License-Expression") or []
    if expressions:
        return str(expressions[0])
    field = str((meta.get_all("License") or [""])[0]).strip()
    if field and "\n" not in field and len(field) <= 60:
        return field
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return ", ".join(classifiers) or "see the package's own files"


def _requirements(dist: metadata.Distribution) -> list[str]:
    """The names `dist` needs on this machine: not its extras, and only where its
    markers hold here (all of them when `packaging` is not there to judge)."""
    names = []
    for text in dist.requires or []:
        spec, _, marker = text.partition(";")
        if "extra" in marker:
            continue
        name = re.match(r"[A-Za-z0-9._-]+", spec.strip())
        if name is not None and (not marker.strip() or _holds(marker)):
            names.append(name.group(0))
    return names


def _holds(marker: str) -> bool:
    try:
        from packaging.markers import InvalidMarker, Marker
    except ImportError:
        return True
    try:
        return Marker(marker.strip()).evaluate()
    except InvalidMarker:
        return True


def bundled_libraries() -> list[Library]:
    """Every library the app ships, and what they ship in turn, sorted by name."""
    try:
        todo = _requirements(metadata.distribution(DISTRIBUTION))
    except metadata.PackageNotFoundError:
        todo = list(DEPENDENCIES)
    found: dict[str, Library] = {}
    while todo:
        name = todo.pop()
        if _key(name) in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[_key(name)] = Library(dist.metadata["Name"], dist.version,
                                    licence_of(dist.metadata))
        todo.extend(_requirements(dist))
    return sorted(found.values(), key=lambda library: library.name.lower())


@dataclass(frozen=True)
class AboutFacts:
    """What About states, gathered once."""

    version: str
    schema_app: int
    schema_workbook: int | None
    migrated_from: int | None
    python: str
    qt: str
    pyside: str

    @classmethod
    def gather(cls, workbook: Workbook | None) -> AboutFacts:
        import PySide6

        from workbench.schema import SCHEMA_VERSION

        # An open workbook has always been brought to this app's schema (or refused).
        return cls(app_version(), SCHEMA_VERSION,
                   SCHEMA_VERSION if workbook is not None else None,
                   workbook.migrated_from if workbook is not None else None,
                   platform.python_version(), qVersion(), PySide6.__version__)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) as the dialog lists them."""
        if self.schema_workbook is None:
            opened = "no workbook is open"
        else:
            opened = f"schema {self.schema_workbook}"
            if self.migrated_from is not None:
                opened += f" (updated from schema {self.migrated_from} when opened)"
        return [("Version", self.version),
                ("Open workbook", opened),
                ("Workbooks this app writes", f"schema {self.schema_app}"),
                ("Python", self.python),
                ("Qt", f"{self.qt} (PySide6 {self.pyside}), under the LGPL 3.0")]


def licence_text(file_name: str, folder: Path = LICENSES) -> str:
    """A licence's full text, or a clear note when this installation lacks it."""
    path = folder / file_name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return (f"The licence text is missing from this installation ({path}).\n\n"
                "Reinstall Alignment Workbench to restore it, or read it at "
                "https://www.gnu.org/licenses/.")


class AboutDialog(QDialog):
    """The About box: who we are, the facts, the libraries and the licence texts."""

    def __init__(self, facts: AboutFacts, libraries: list[Library],
                 parent: QWidget | None = None, licenses: Path = LICENSES) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Alignment Workbench")
        self.resize(720, 700)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(14)
        layout.addLayout(self._heading(facts))
        self.facts = QFormLayout()
        self.facts.setHorizontalSpacing(18)
        for label, value in facts.rows():
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(label, shown)
        layout.addLayout(self.facts)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._library_table(libraries), "Libraries")
        for title, file_name in LICENSE_TEXTS:
            self.tabs.addTab(self._text_view(licence_text(file_name, licenses)), title)
        layout.addWidget(self.tabs, 1)
        note = QLabel("Qt and PySide6 are used under the GNU Lesser General Public License "
                      "version 3; you may replace them with versions of your own. Their "
                      "source is at https://download.qt.io.")
        note.setObjectName("CardNote")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _heading(self, facts: AboutFacts) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(16)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        title = QLabel(f"Alignment Workbench {facts.version}")
        title.setObjectName("CardTitle")
        blurb = QLabel("Where marketing and sales leaders agree on how leads flow between "
                       "them: shared funnel definitions, scoring, reverse-funnel plans, "
                       "actuals and a signed SLA. Works offline; each workbook is one file, "
                       "saved as you edit.")
        blurb.setObjectName("CardBlurb")
        blurb.setWordWrap(True)
        words.addWidget(title)
        words.addWidget(blurb)
        row.addLayout(words, 1)
        return row

    def _library_table(self, libraries: list[Library]) -> QTableWidget:
        rows = [Library("Qt", qVersion(), QT_LICENSE), *libraries]
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(["Library", "Version", "Licence"])
        for row, library in enumerate(rows):
            for column, text in enumerate((library.name, library.version, library.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(26)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.library_table = table
        return table

    def _text_view(self, text: str) -> QPlainTextEdit:
        view = QPlainTextEdit(text)
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        return view


def show_about(parent: QWidget | None, workbook: Workbook | None) -> None:
    """Help → About."""
    AboutDialog(AboutFacts.gather(workbook), bundled_libraries(), parent).exec()
