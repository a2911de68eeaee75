"""Verify a signed PDF inside the app: each signature's signer, time, whether it is intact,
how far its signer is trusted, whether anything changed after it was signed — and the
verdict in big letters: green "Valid", amber "Intact — signers not verified" (with the
untrusted root's fingerprint to compare by phone, and a way to trust it), or red "Not
valid" with the first reason.

Signatures are checked against the roots the user trusts: the open workbook's signing
authority, the roots they imported (Trusted roots…), and a file chosen for this dialog
only. A root carried inside the PDF proves nothing. Verification runs on the worker thread.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from ui.context import AppContext
from workbench import identities
from workbench.errors import ValidationError

from . import actions, questions, theme, trusted_roots
from .trust_store import RootCertificate, fingerprint_lines, read_root, user_roots
from .verdict import COLUMNS, Checked, cells, check, sources_sentence, verdict_words
from .workers import run_job

if TYPE_CHECKING:
    from reports.verify import Verdict

TINTS = {"good": (palette.GOOD, theme.GOOD_SOFT), "warn": (palette.WARN, theme.WARN_SOFT),
         "bad": (palette.BAD, theme.BAD_SOFT), None: (palette.RULE, palette.PAPER)}
HEADLINE_STYLES = {"good": "verdictGood", "warn": "verdictWarn", "bad": "verdictBad"}


def _cell(text: str, colour: str | None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if colour is not None:
        item.setForeground(QColor(colour))
    return item


class VerifyDialog(QDialog):
    """The findings on one PDF; "Verify another PDF…" checks the next."""

    def __init__(self, context: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.path = context, Path(path)
        self.store = user_roots(context)
        self.verdict: Verdict | None = None
        self.checked: Checked | None = None
        self.extra_root: RootCertificate | None = None  # a file trusted for this dialog
        self.extra_name = ""
        self.trust_buttons: dict[str, QPushButton] = {}
        self.setObjectName("SlaDialog")
        self.setStyleSheet(theme.style_sheet("SlaDialog"))
        self.setWindowTitle("Verify a signed SLA")
        self.resize(1040, 520)
        self._build()
        self._show_file()
        self._show_sources()
        self.close_button.setFocus()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.table = self._table()
        self.notes = QLabel(objectName="muted", wordWrap=True)
        another = QPushButton("Verify another PDF…")
        another.clicked.connect(self.choose_another)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(another)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self._verdict_card())
        layout.addLayout(self._sources_row())
        layout.addWidget(self.table)
        layout.addWidget(self.notes)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _verdict_card(self) -> QFrame:
        self.file_label = QLabel(objectName="cardTitle", wordWrap=True)
        self.headline = QLabel(objectName="verdictGood")
        self.explanation = QLabel(wordWrap=True)
        self.roots_box = QWidget()
        self.roots_grid = QGridLayout(self.roots_box)
        self.roots_grid.setContentsMargins(0, 4, 0, 0)
        self.roots_grid.setHorizontalSpacing(16)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.verdict_card = QFrame(objectName="card")
        card = QVBoxLayout(self.verdict_card)
        card.setContentsMargins(18, 12, 18, 14)
        for widget in (self.file_label, self.headline, self.explanation, self.roots_box,
                       self.busy):
            card.addWidget(widget)
        self.roots_box.hide()
        return self.verdict_card

    def _sources_row(self) -> QHBoxLayout:
        self.sources = QLabel(objectName="muted", wordWrap=True)
        self.source_message = QLabel(objectName="message", wordWrap=True)
        self.source_message.hide()
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.sources)
        column.addWidget(self.source_message)
        self.roots_button = QPushButton("Trusted roots…")
        self.roots_button.setToolTip("The roots you imported: add or remove them")
        self.roots_button.clicked.connect(self.manage_roots)
        self.file_button = QPushButton("Also trust a file…")
        self.file_button.setToolTip("Trust a root certificate file for this check only")
        self.file_button.clicked.connect(self.choose_root_file)
        row = QHBoxLayout()
        row.addLayout(column, 1)
        row.addWidget(self.roots_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.file_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setHorizontalHeaderLabels(COLUMNS)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        return table

    def _show_file(self) -> None:
        self.file_label.setText(self.path.name)
        self.file_label.setToolTip(str(self.path))

    # -- what is trusted ------------------------------------------------------------------
    def trusted(self) -> tuple[bytes, ...]:
        """The roots to check against: the workbook's authority, the imported roots and
        the file chosen here."""
        root = identities.authority(self.context.workbook)
        found = [root.certificate] if root else []
        found += self.store.certificates()
        if self.extra_root is not None:
            found.append(self.extra_root.der)
        return tuple(found)

    def _show_sources(self) -> None:
        root = identities.authority(self.context.workbook)
        self.sources.setText(sources_sentence(root.subject if root else None,
                                              len(self.store.roots()), self.extra_name))

    def manage_roots(self) -> None:
        """Open Trusted roots…, then check again against what the user trusts now."""
        actions.run_dialog(trusted_roots.TrustedRootsDialog(self.context, self))
        self._show_sources()
        self.start()

    def choose_root_file(self) -> None:
        """Trust a root certificate file for this dialog only."""
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose a root certificate to trust", "",
            "Certificates (*.pem *.crt *.cer *.der);;All files (*)")
        if chosen:
            self.use_root_file(Path(chosen))

    def use_root_file(self, path: Path) -> None:
        """Check against the certificate in `path` too; a file that is not one is refused."""
        try:
            self.extra_root = read_root(path.read_bytes(), path.name)
        except OSError as error:
            self._refuse_file(f"{path.name} cannot be read ({error.strerror}).")
            return
        except ValidationError as error:
            self._refuse_file(error.message)
            return
        self.extra_name = path.name
        self.source_message.hide()
        self._show_sources()
        self.start()

    def _refuse_file(self, message: str) -> None:
        self.source_message.setText(message + " It is not trusted.")
        self.source_message.show()

    def trust_root(self, sha256: str) -> None:
        """After the user confirms its fingerprint, trust a root the PDF chains to and
        check again."""
        root = self.checked.untrusted.get(sha256) if self.checked else None
        if root is None or not questions.confirm_trust(self, root):
            return
        self.store.add(root.der, root.subject)
        self._show_sources()
        self.start()

    # -- verifying ------------------------------------------------------------------------
    def start(self) -> None:
        """Verify the PDF off the GUI thread; the findings arrive in `_verified`."""
        self.verdict = self.checked = None
        self.headline.setText("Checking…")
        self._style_headline("verdictGood")
        self.explanation.setText("Checking every signature.")
        self._show_untrusted({})
        self.busy.show()
        self._tint(None)
        self.table.setRowCount(0)
        self._fit_table()
        self.notes.setText("")
        run_job(partial(check, self.path, self.trusted()), self._verified, self._failed)

    def _verified(self, checked: Checked) -> None:
        self.busy.hide()
        self.checked, self.verdict = checked, checked.verdict
        headline, style, sentence = verdict_words(checked.verdict)
        self.headline.setText(headline)
        self._style_headline(HEADLINE_STYLES[style])
        self.explanation.setText(sentence)
        self._tint(style)
        self._show_untrusted({sha: checked.untrusted.get(sha)
                              for sha in checked.untrusted_roots} if style == "warn" else {})
        self._fill_table(checked.verdict)
        self.notes.setText("\n".join(f"Problem: {p}" for p in checked.verdict.problems))

    def _show_untrusted(self, roots: dict[str, RootCertificate | None]) -> None:
        """Each untrusted root: whom it names, its fingerprint, and "Trust this root…"."""
        while self.roots_grid.count():
            item = self.roots_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.trust_buttons = {}
        for row, (sha, root) in enumerate(roots.items()):
            name = QLabel(f"Root: {root.subject}" if root else "Root: not carried in the PDF",
                          objectName="termTitle", wordWrap=True)
            print_label = QLabel(fingerprint_lines(sha), objectName="fingerprint")
            print_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            print_label.setAccessibleName("SHA-256 fingerprint")
            self.roots_grid.addWidget(name, row * 2, 0, 1, 2)
            self.roots_grid.addWidget(print_label, row * 2 + 1, 0)
            if root is not None:
                button = QPushButton("Trust this root…")
                button.clicked.connect(partial(self.trust_root, sha))
                self.roots_grid.addWidget(button, row * 2 + 1, 1,
                                          Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.trust_buttons[sha] = button
        self.roots_grid.setColumnStretch(2, 1)
        self.roots_box.setVisible(bool(roots))

    def _fill_table(self, verdict: Verdict) -> None:
        self.table.setRowCount(len(verdict.signatures))
        for row, signature in enumerate(verdict.signatures):
            for column, (text, colour) in enumerate(cells(signature)):
                self.table.setItem(row, column, _cell(text, colour))
        self.table.resizeRowsToContents()
        for row in range(self.table.rowCount()):  # a little air around wrapped problems
            self.table.setRowHeight(row, self.table.rowHeight(row) + 8)
        self._fit_table()

    def _fit_table(self) -> None:
        """As tall as its rows, so the dialog has no empty table area."""
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(self.table.horizontalHeader().height() + max(rows, 36) + 4)

    def _tint(self, style: str | None) -> None:
        colour, soft = TINTS[style]
        self.verdict_card.setStyleSheet(
            f"QFrame#card {{ background: {soft}; border: 1px solid {palette.RULE}; "
            f"border-left: 6px solid {colour}; border-radius: 10px; }}")

    def _failed(self, error: Exception) -> None:
        self.busy.hide()
        self._tint("bad")
        self.headline.setText("Not valid")
        self._style_headline("verdictBad")
        self.explanation.setText(f"The PDF could not be checked: {error}")

    def _style_headline(self, name: str) -> None:
        self.headline.setObjectName(name)
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)

    def choose_another(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Verify a signed PDF",
                                              str(self.path.parent), "PDF files (*.pdf)")
        if path:
            self.path = Path(path)
            self._show_file()
            self.start()
