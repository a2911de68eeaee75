"""Help → User guide (F1): the short guide shipped in `resources/guide/guide.md`, one page
per job ("## " heading) listed on the left, with the screenshots beside it that
`tools/guide_screenshots.py` takes of the demo workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from resources import ROOT

from . import dialogs
from .style import colours

GUIDE = ROOT / "guide" / "guide.md"
INTRO_TITLE = "Start here"  # the contents' name for what comes before the first job
CONTENTS_STYLE = """
#GuideContents { background: $PAPER; border: 1px solid $RULE; border-radius: 8px;
                 padding: 6px; outline: none; }
#GuideContents::item { padding: 8px 10px; border-radius: 6px; }
#GuideContents::item:selected { background: $ACCENT_SOFT; color: $ACCENT; }
#GuidePage { background: $PAPER; border: 1px solid $RULE; border-radius: 8px; }
"""
DOCUMENT_STYLE = f"""
h1, h2 {{ color: {palette.INK}; }}
h3 {{ color: {palette.MUTED}; }}
a {{ color: {palette.ACCENT}; }}
code {{ color: {palette.INK}; }}
"""


@dataclass(frozen=True)
class GuideSection:
    """One page of the guide: its heading and its Markdown (heading included)."""

    title: str
    markdown: str


def split_guide(text: str) -> list[GuideSection]:
    """The guide's pages: what comes before the first "## " heading (the "# " title and
    the introduction, listed as "Start here"), then one page per "## " heading."""
    sections: list[GuideSection] = []
    title, lines = "", list[str]()
    for line in text.splitlines():
        if line.startswith("## ") or (line.startswith("# ") and not sections and not title):
            if title and any(part.strip() for part in lines):
                sections.append(GuideSection(title, "\n".join(lines).strip() + "\n"))
            title = line[3:].strip() if line.startswith("## ") else INTRO_TITLE
            lines = [line]
        else:
            lines.append(line)
    if title and any(part.strip() for part in lines):
        sections.append(GuideSection(title, "\n".join(lines).strip() + "\n"))
    return sections


class GuideUnavailable(Exception):
    """The guide cannot be read; the message says where it was looked for."""


def read_guide(path: Path = GUIDE) -> list[GuideSection]:
    """The guide's pages, or GuideUnavailable with a reason a user can act on."""
    try:
        sections = split_guide(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GuideUnavailable(f"The guide file is missing: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GuideUnavailable(f"The guide file {path} cannot be read ({error}).") from None
    if not sections:
        raise GuideUnavailable(f"The guide file {path} is empty.")
    return sections


class GuideDialog(QDialog):
    """The guide's pages on the left; the chosen page, with its pictures, on the right."""

    def __init__(self, sections: list[GuideSection], folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("User guide — Alignment Workbench")
        self.resize(1120, 780)
        self.sections = sections
        self.contents = QListWidget()
        self.contents.setObjectName("GuideContents")
        self.contents.addItems([section.title for section in sections])
        self.contents.setFixedWidth(230)
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page = QTextBrowser()
        self.page.setObjectName("GuidePage")
        self.setStyleSheet(Template(CONTENTS_STYLE).substitute(colours()))
        self.page.setOpenExternalLinks(True)
        self.page.setSearchPaths([str(folder)])
        self.page.document().setDefaultStyleSheet(DOCUMENT_STYLE)
        self.page.document().setBaseUrl(QUrl.fromLocalFile(str(folder) + "/"))
        font = QFont(self.font())
        font.setPointSize(font.pointSize() + 1)
        self.page.document().setDefaultFont(font)
        self.page.document().setDocumentMargin(18)
        self.contents.currentRowChanged.connect(self.show_section)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.contents)
        row.addWidget(self.page, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        self.contents.setCurrentRow(0)

    def show_section(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self.page.setMarkdown(self.sections[row].markdown)
            self.page.verticalScrollBar().setValue(0)

    def show_title(self, title: str) -> None:
        """Turn to the page headed `title` (for links from elsewhere in the app)."""
        for row, section in enumerate(self.sections):
            if section.title == title:
                self.contents.setCurrentRow(row)


def open_guide(parent: QWidget | None, path: Path = GUIDE) -> GuideDialog | None:
    """Show the guide (not modal, so it can stay open beside the window); a clear message
    instead when this installation lacks it."""
    try:
        sections = read_guide(path)
    except GuideUnavailable as problem:
        dialogs.show_error(parent, "Cannot show the user guide",
                           "The user guide is not part of this installation.",
                           f"{problem}\n\nReinstall Alignment Workbench to restore it. "
                           "Nothing else is affected.")
        return None
    dialog = GuideDialog(sections, path.parent, parent)
    dialog.show()
    return dialog
