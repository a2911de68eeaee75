"""Verify a signed PDF inside the app: each signature's signer, time, whether it is
intact, whether it chains to the agreement's root (or a root the user trusts), whether
anything changed after it was signed — and the verdict, in big green or red letters.
Verification (pyHanko) runs on the worker thread."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
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

from . import theme
from .workers import run_job

if TYPE_CHECKING:
    from reports.verify import SignatureCheck, Verdict

COLUMNS = ("Signer", "Signed (UTC)", "Intact", "Chains to", "Unchanged after signing",
           "Problems")
TRUST_CHOICES = (("agreement", "The agreement's own root (attached to the PDF)"),
                 ("workbook", "This workbook's signing authority"),
                 ("file", "A root certificate file…"))


def verify(path: Path, roots: tuple[bytes, ...]) -> Verdict:
    """Verify on the worker thread."""
    from reports.verify import verify_pdf

    return verify_pdf(path, trusted_roots=roots)


def verdict_words(verdict: Verdict) -> tuple[str, str]:
    """The headline and the sentence under it."""
    if verdict.ok:
        count = len(verdict.signatures)
        return "Valid", (f"All {count} signature{'s' if count != 1 else ''} are intact, chain "
                         "to a known root, and nothing changed after signing.")
    reasons = list(verdict.problems) + [p for s in verdict.signatures for p in s.problems]
    return "Not valid", (reasons[0][:1].upper() + reasons[0][1:] + "."
                         if reasons else "A signature failed verification.")


def _cell(text: str, ok: bool | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if ok is not None:
        item.setForeground(QColor(palette.GOOD if ok else palette.BAD))
    return item


def _row(check: SignatureCheck) -> list[QTableWidgetItem]:
    when = check.signed_at.strftime("%Y-%m-%d %H:%M:%S") if check.signed_at else "—"
    chains = {"agreement root": "✓ the agreement's root",
              "trusted root": "✓ a trusted root"}.get(check.chains_to, "✕ no known root")
    return [_cell(check.signer), _cell(when),
            _cell("✓ yes" if check.intact and check.valid else "✕ no",
                  check.intact and check.valid),
            _cell(chains, bool(check.chains_to)),
            _cell("✓ yes" if check.unchanged else "✕ changed", check.unchanged),
            _cell("; ".join(check.problems) or "—", None if not check.problems else False)]


class VerifyDialog(QDialog):
    """The findings on one PDF; "Verify another PDF…" checks the next."""

    def __init__(self, context: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.path = context, Path(path)
        self.verdict: Verdict | None = None
        self._trusted: tuple[bytes, ...] = ()
        self.setObjectName("SlaDialog")
        self.setStyleSheet(theme.style_sheet("SlaDialog"))
        self.setWindowTitle("Verify a signed SLA")
        self.resize(1000, 460)
        self.file_label = QLabel(objectName="cardTitle", wordWrap=True)
        self.trust = QComboBox()
        for key, text in TRUST_CHOICES:
            self.trust.addItem(text, key)
        has_authority = identities.authority(context.workbook) is not None
        self.trust.model().item(1).setEnabled(has_authority)
        self.trust.activated.connect(self._trust_chosen)
        self.headline = QLabel(objectName="verdictGood")
        self.explanation = QLabel(wordWrap=True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.notes = QLabel(objectName="muted", wordWrap=True)
        self._layout()
        self._show_file()
        self.close_button.setFocus()

    def _layout(self) -> None:
        another = QPushButton("Verify another PDF…")
        another.clicked.connect(self.choose_another)
        self.close_button = close = QPushButton("Close")
        close.clicked.connect(self.reject)
        trust_row = QHBoxLayout()
        trust_row.addWidget(QLabel("Check the signatures against"))
        trust_row.addWidget(self.trust, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(another)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.verdict_card = QFrame(objectName="card")
        card = QVBoxLayout(self.verdict_card)
        card.setContentsMargins(18, 12, 18, 14)
        for widget in (self.file_label, self.headline, self.explanation, self.busy):
            card.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.verdict_card)
        layout.addLayout(trust_row)
        layout.addWidget(self.table)
        layout.addWidget(self.notes)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _show_file(self) -> None:
        self.file_label.setText(self.path.name)
        self.file_label.setToolTip(str(self.path))

    # -- verifying ------------------------------------------------------------------------
    def start(self) -> None:
        """Verify the PDF off the GUI thread; the findings arrive in `_verified`."""
        self.verdict = None
        self.headline.setText("Checking…")
        self._style_headline("verdictGood")
        self.explanation.setText("Checking every signature.")
        self.busy.show()
        self._tint(None)
        self.table.setRowCount(0)
        self._fit_table()
        run_job(partial(verify, self.path, self._trusted), self._verified, self._failed)

    def _verified(self, verdict: Verdict) -> None:
        self.busy.hide()
        self.verdict = verdict
        headline, sentence = verdict_words(verdict)
        self.headline.setText(headline)
        self._style_headline("verdictGood" if verdict.ok else "verdictBad")
        self.explanation.setText(sentence)
        self.table.setRowCount(len(verdict.signatures))
        for row, check in enumerate(verdict.signatures):
            for column, item in enumerate(_row(check)):
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self._fit_table()
        self._tint(verdict.ok)
        lines = [f"Problem: {p}" for p in verdict.problems]
        if verdict.notes and not self._trusted:
            lines.append("Checked against the agreement's own root, which travels inside the "
                         "PDF. To check it against a root you hold, choose that root above.")
        self.notes.setText("\n".join(lines))

    def _fit_table(self) -> None:
        """As tall as its rows, so the dialog has no empty table area."""
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(self.table.horizontalHeader().height() + max(rows, 36) + 4)

    def _tint(self, ok: bool | None) -> None:
        colour, soft = {True: (palette.GOOD, theme.GOOD_SOFT),
                        False: (palette.BAD, theme.BAD_SOFT)}.get(ok, (palette.RULE,
                                                                       palette.PAPER))
        self.verdict_card.setStyleSheet(
            f"QFrame#card {{ background: {soft}; border: 1px solid {palette.RULE}; "
            f"border-left: 6px solid {colour}; border-radius: 10px; }}")

    def _failed(self, error: Exception) -> None:
        self.busy.hide()
        self._tint(False)
        self.headline.setText("Not valid")
        self._style_headline("verdictBad")
        self.explanation.setText(f"The PDF could not be checked: {error}")

    def _style_headline(self, name: str) -> None:
        self.headline.setObjectName(name)
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)

    def _trust_chosen(self) -> None:
        choice = self.trust.currentData()
        if choice == "workbook":
            pem = identities.authority_pem(self.context.workbook)
            self._trusted = (pem,) if pem else ()
        elif choice == "file":
            path, _ = QFileDialog.getOpenFileName(self, "Choose a trusted root certificate",
                                                  "", "Certificates (*.pem *.crt *.cer *.der)")
            if not path:
                self.trust.setCurrentIndex(0)
                self._trusted = ()
            else:
                self._trusted = (Path(path).read_bytes(),)
                self.trust.setItemText(2, f"Root certificate {Path(path).name}")
        else:
            self._trusted = ()
        self.start()

    def choose_another(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Verify a signed PDF",
                                              str(self.path.parent), "PDF files (*.pdf)")
        if path:
            self.path = Path(path)
            self._show_file()
            self.start()
