"""Compare two SLA versions: a redline, term by term. Added, removed and changed terms
are listed in the newer version's order; within a changed term, inserted words are green
and underlined, deleted words red and struck through."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from ui.context import AppContext
from workbench.model import SlaVersionId
from workbench.sla_terms import TermChange, build_document, redline

from . import theme

KIND_COLOURS = {"added": (palette.GOOD, theme.GOOD_SOFT), "removed": (palette.BAD, theme.BAD_SOFT),
                "changed": (palette.WARN, theme.WARN_SOFT)}
INSERT_STYLE = (f"color: {palette.GOOD}; background-color: {theme.GOOD_SOFT}; "
                "text-decoration: underline;")
DELETE_STYLE = (f"color: {palette.BAD}; background-color: {theme.BAD_SOFT}; "
                "text-decoration: line-through;")


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br/>")


def segments_html(change: TermChange) -> str:
    """A changed term's words: equal plain, insertions green/underlined, deletions
    red/struck (the title line is left out when it did not change)."""
    segments = list(change.diff)
    head = f"{change.title}\n"
    if change.kind == "changed" and segments and segments[0][0] == "equal" \
            and segments[0][1].startswith(head):
        segments[0] = ("equal", segments[0][1][len(head):])
    parts = []
    for index, (kind, text) in enumerate(segments):
        replaced = index + 1 < len(segments) and segments[index + 1][0] == "insert"
        if kind == "delete" and replaced:
            text = text.rstrip() + " "  # the line break, if any, follows the insertion
        words, space = text.rstrip(), text[len(text.rstrip()):]
        if kind == "insert":  # the space after the words is not marked
            parts.append(f'<span style="{INSERT_STYLE}">{_text(words)}</span>{_text(space)}')
        elif kind == "delete":
            parts.append(f'<span style="{DELETE_STYLE}">{_text(words)}</span>{_text(space)}')
        else:
            parts.append(_text(text))
    return "".join(parts)


def redline_html(changes: list[TermChange], old_number: int, new_number: int) -> str:
    """The whole redline as rich text for a QTextBrowser."""
    if not changes:
        return (f"<p style='color:{palette.MUTED}'>Versions {old_number} and {new_number} "
                "say exactly the same.</p>")
    blocks = []
    for change in changes:
        fg, bg = KIND_COLOURS[change.kind]
        badge = (f'<span style="color:{fg}; background-color:{bg}; font-weight:bold;">'
                 f"&nbsp;{change.kind.upper()}&nbsp;</span>")
        blocks.append(
            f"<p style='margin-top:14px; margin-bottom:4px;'>{badge}&nbsp;&nbsp;"
            f"<b>{html.escape(change.title)}</b></p>"
            f"<p style='margin-top:0; line-height:140%;'>{segments_html(change)}</p>")
    return "".join(blocks)


def summary(changes: list[TermChange]) -> str:
    counts = {kind: sum(c.kind == kind for c in changes)
              for kind in ("changed", "added", "removed")}
    if not changes:
        return "No differences."
    return " · ".join(f"{n} {kind}" for kind, n in counts.items() if n)


class CompareDialog(QDialog):
    """Pick two versions; see what changed from the first to the second."""

    def __init__(self, context: AppContext, old_id: SlaVersionId, new_id: SlaVersionId,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("SlaDialog")
        self.setStyleSheet(theme.style_sheet("SlaDialog"))
        self.setWindowTitle("Compare SLA versions")
        self.resize(860, 640)
        self.changes: list[TermChange] = []
        self.old_combo, self.new_combo = QComboBox(), QComboBox()
        for version in context.workbook.sla.versions():
            label = f"Version {version.number} ({version.status.value})"
            self.old_combo.addItem(label, version.id)
            self.new_combo.addItem(label, version.id)
        self.old_combo.setCurrentIndex(self.old_combo.findData(old_id))
        self.new_combo.setCurrentIndex(self.new_combo.findData(new_id))
        self.summary = QLabel(objectName="cardTitle")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        legend = QLabel(objectName="muted", wordWrap=True)
        legend.setText("Inserted words are green and underlined; deleted words are red and "
                       "struck through. Period, review cadence and signatories compare too.")
        pick = QHBoxLayout()
        pick.addWidget(QLabel("From"))
        pick.addWidget(self.old_combo, 1)
        pick.addWidget(QLabel("to"))
        pick.addWidget(self.new_combo, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(pick)
        layout.addWidget(self.summary)
        layout.addWidget(legend)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.old_combo.currentIndexChanged.connect(self.compare)
        self.new_combo.currentIndexChanged.connect(self.compare)
        self.compare()

    def compare(self) -> None:
        """Redline the chosen versions."""
        workbook = self.context.workbook
        old = build_document(workbook, self.old_combo.currentData())
        new = build_document(workbook, self.new_combo.currentData())
        self.changes = redline(old, new)
        self.summary.setText(f"Version {old.version} → version {new.version}: "
                             f"{summary(self.changes)}")
        self.browser.setHtml(redline_html(self.changes, old.version, new.version))
