"""The roots the user trusts, as dialogs: "Trusted roots" lists the imported roots (whom
each names, its fingerprint, when it was added) with Add… and Remove; a confirmation shows
a root's fingerprint before it is trusted; and after "Export root certificate…" the
workbook's own fingerprint is shown, to read out to whoever verifies its PDFs.

The confirmation is `questions.confirm_trust`, which tests answer without a modal box.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench import identities
from workbench.errors import ValidationError

from . import questions, theme
from .trust_store import TrustedRoot, fingerprint_lines, read_root, user_roots

COLUMNS = ("Root", "SHA-256 fingerprint", "Added (UTC)")
CERTIFICATE_FILES = "Certificates (*.pem *.crt *.cer *.der);;All files (*)"


def _heading(dialog: QDialog, title: str, note: str) -> QVBoxLayout:
    dialog.setObjectName("SlaDialog")
    dialog.setStyleSheet(theme.style_sheet("SlaDialog"))
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(10)
    layout.addWidget(QLabel(title, objectName="cardTitle", wordWrap=True))
    layout.addWidget(QLabel(note, objectName="muted", wordWrap=True))
    return layout


class TrustedRootsDialog(QDialog):
    """The roots the user imported: list, add from a file, remove."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.store = user_roots(context)
        self.setWindowTitle("Trusted roots")
        self.resize(760, 440)
        layout = _heading(self, "Roots you trust", (
            "A signature verifies as trusted when its certificate chains to one of these "
            "roots or to this workbook's own signing authority. Add another company's root "
            "only after comparing its fingerprint with the one they read to you."))
        self.authority = QLabel(objectName="caption", wordWrap=True)
        self.table = self._table()
        self.empty = QLabel("No imported roots yet: Add… one from a certificate file (PEM "
                            "or DER).", objectName="muted", wordWrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()  # the table, or the empty state in its place
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        self.message = QLabel(objectName="message", wordWrap=True)
        self.message.hide()
        layout.addWidget(self.authority)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())
        self.refresh()

    def _table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setHorizontalHeaderLabels(COLUMNS)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.itemSelectionChanged.connect(self._selection_changed)
        return table

    def _buttons(self) -> QHBoxLayout:
        self.add_button = QPushButton("Add…")
        self.add_button.clicked.connect(self.choose_file)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(close)
        return row

    def refresh(self) -> None:
        """Show the stored roots and the workbook's authority."""
        root = identities.authority(self.context.workbook) if self.context.workbook else None
        self.authority.setText(
            f"Always trusted: this workbook's signing authority, “{root.subject}”." if root
            else "This workbook has no signing authority of its own.")
        roots = self.store.roots()
        self.table.setRowCount(len(roots))
        for row, found in enumerate(roots):
            for column, text in enumerate(self._texts(found)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, found.sha256)
                if column == 1:  # read out group by group: a fixed-width font
                    item.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        for row in range(len(roots)):
            self.table.setRowHeight(row, self.table.rowHeight(row) + 8)
        self.pages.setCurrentWidget(self.table if roots else self.empty)
        self._selection_changed()

    @staticmethod
    def _texts(root: TrustedRoot) -> tuple[str, str, str]:
        return root.subject, fingerprint_lines(root.sha256), root.added

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectedItems()))

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Add a trusted root", "",
                                                CERTIFICATE_FILES)
        if chosen:
            self.add_file(Path(chosen))

    def add_file(self, path: Path) -> TrustedRoot | None:
        """Trust the root certificate in `path`, after the user compares its fingerprint;
        a file that is not a certificate is refused and nothing is stored."""
        try:
            root = read_root(path.read_bytes(), path.name)
        except OSError as error:
            self._refuse(f"{path.name} cannot be read ({error.strerror}).")
            return None
        except ValidationError as error:
            self._refuse(error.message)
            return None
        if root.sha256 in self.store:
            self._refuse(f"“{root.subject}” is trusted already.")
            return None
        if not questions.confirm_trust(self, root):
            return None
        added = self.store.add(root.der, path.name)
        self.message.hide()
        self.refresh()
        return added

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def remove_selected(self) -> None:
        """Stop trusting the selected root."""
        items = self.table.selectedItems()
        if items:
            self.store.remove(str(items[0].data(Qt.ItemDataRole.UserRole)))
            self.refresh()


class FingerprintDialog(QDialog):
    """The workbook's root certificate was exported: its fingerprint, to read out."""

    def __init__(self, path: Path, subject: str, sha256: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Root certificate exported")
        self.setMinimumWidth(560)
        layout = _heading(self, f"Saved {path.name}", (
            f"“{subject}”, this workbook's signing authority, is in {path}. Send the file "
            "to whoever verifies your signed PDFs, then read them this SHA-256 fingerprint "
            "— by phone, say — so they can check they trust the right root."))
        self.fingerprint = QLabel(fingerprint_lines(sha256), objectName="fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName("SHA-256 fingerprint")
        layout.addWidget(self.fingerprint, 0, Qt.AlignmentFlag.AlignHCenter)
        copy = QPushButton("Copy fingerprint")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(
            self.fingerprint.text().replace("\n", " ")))
        close = QPushButton("Close", objectName="primary")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
