"""Dialogs that give a signer a signing identity: "Create identity" (the workbook's own
certificate authority issues one; the authority itself is created the first time) and
"Import .p12" (an existing PKCS#12 certificate and its password).

Private keys are written only into the data folder, each in a password-protected PKCS#12
file; the workbook keeps the public certificates. Both run through `AppContext.perform`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench import identities
from workbench.errors import ValidationError
from workbench.identities import SIGNER_YEARS, Identity
from workbench.keyfiles import MIN_LENGTH, MIN_SCORE, password_strength

from . import theme

KEYS_FOLDER = "signing-keys"


def keys_dir(context: AppContext) -> Path:
    """Where signers' PKCS#12 files go: the app's data folder, under "signing-keys"."""
    return context.user_data_dir() / KEYS_FOLDER


def strength_hint(password: str, *context: str) -> tuple[str, str]:
    """A word on a new password's strength and its style ("ok", "warn", "bad", "muted"):
    zxcvbn's estimate, as the core judges it (`context`: the owner's name, e-mail)."""
    if not password:
        return f"At least {MIN_LENGTH} characters.", "muted"
    if len(password) < MIN_LENGTH:
        return f"Too short: at least {MIN_LENGTH} characters.", "bad"
    score, advice = password_strength(password, *context)
    if score < MIN_SCORE:
        return f"Easy to guess: {advice or 'use a few unrelated words'}.", "warn"
    return ("Strong password." if score > MIN_SCORE else "Good password."), "ok"


def _password(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class _IdentityDialog(QDialog):
    """The shared frame: a heading, a note, a form, a red message line and buttons."""

    def __init__(self, title: str, heading: str, note: str, action: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SlaDialog")
        self.setStyleSheet(theme.style_sheet("SlaDialog"))
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.identity: Identity | None = None
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setVerticalSpacing(8)
        self.message = QLabel(objectName="message", wordWrap=True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.action_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.action_button.setObjectName("primary")
        self.action_button.setDefault(True)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(QLabel(heading, objectName="cardTitle", wordWrap=True))
        layout.addWidget(QLabel(note, objectName="muted", wordWrap=True))
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def run(self) -> None:  # pragma: no cover - each dialog has its own
        raise NotImplementedError


class CreateIdentityDialog(_IdentityDialog):
    """Issue `name` a certificate from the workbook's authority (creating it if needed)."""

    def __init__(self, context: AppContext, name: str, email: str,
                 parent: QWidget | None = None) -> None:
        self.context, self.name, self.email = context, name, email
        self.folder = keys_dir(context)
        self.needs_authority = identities.authority(context.workbook) is None
        super().__init__(
            "Create signing identity", f"A signing identity for {name}",
            f"The workbook's signing authority issues {name} a certificate (EC P-256, valid "
            f"{SIGNER_YEARS} years). The private key is saved, protected by {name}'s password, in "
            f"{self.folder} — never in the workbook.", "Create identity", parent)
        self.authority_password = _password()
        self.authority_repeat = _password("Type it again")
        if self.needs_authority:
            self.form.addRow(QLabel("This workbook has no signing authority yet. Choose its "
                                    "password: you need it whenever you issue a certificate.",
                                    objectName="warn", wordWrap=True))
            self.form.addRow("New authority password", self.authority_password)
            self.form.addRow("Repeat authority password", self.authority_repeat)
        else:
            self.form.addRow("Authority password", self.authority_password)
        self.password = _password(f"At least {MIN_LENGTH} characters")
        self.repeat = _password("Type it again")
        self.strength = QLabel(objectName="muted")
        self.form.addRow(f"{name}'s password", self.password)
        self.form.addRow("Repeat password", self.repeat)
        self.form.addRow("", self.strength)
        self.password.textChanged.connect(self._show_strength)
        self._show_strength()

    def _show_strength(self) -> None:
        text, style = strength_hint(self.password.text(), self.name, self.email)
        self.strength.setText(text)
        self.strength.setObjectName(style)
        self.strength.style().unpolish(self.strength)
        self.strength.style().polish(self.strength)

    def run(self) -> None:
        """Check both passwords, create the authority if needed, then issue the identity."""
        problem = self._check()
        if problem:
            self.show_message(problem)
            return
        workbook = self.context.workbook
        if self.needs_authority:
            done = self._perform(identities.create_authority, workbook, self.folder,
                                 self.authority_password.text())
            if done is None:
                return
            self.needs_authority = False
        result = self._perform(identities.issue_identity, workbook, self.folder,
                               self.authority_password.text(), self.name, self.email,
                               self.password.text())
        if result is not None:
            self.identity = result[1]
            self.accept()

    def _check(self) -> str:
        if self.needs_authority and len(self.authority_password.text()) < MIN_LENGTH:
            return f"Choose an authority password of at least {MIN_LENGTH} characters."
        if self.needs_authority and \
                self.authority_password.text() != self.authority_repeat.text():
            return "The two authority passwords differ: type them again."
        if len(self.password.text()) < MIN_LENGTH:
            return f"Choose a password of at least {MIN_LENGTH} characters for {self.name}."
        if self.password.text() != self.repeat.text():
            return "The two passwords differ: type them again."
        return ""

    def _perform(self, mutation: object, *args: object) -> object:
        self.context.refused.connect(self._refused)
        try:
            return self.context.perform(mutation, *args, initiator=self)  # type: ignore[arg-type]
        finally:
            self.context.refused.disconnect(self._refused)

    def _refused(self, error: ValidationError, initiator: object) -> None:
        if initiator is self:
            self.show_message(error.message)


class ImportIdentityDialog(_IdentityDialog):
    """Import an existing PKCS#12 certificate and key for a signer."""

    def __init__(self, context: AppContext, name: str, parent: QWidget | None = None) -> None:
        self.context = context
        self.folder = keys_dir(context)
        super().__init__(
            "Import signing identity", f"Import a certificate for {name}",
            "Choose a PKCS#12 file (.p12 or .pfx) with a certificate that may sign and its "
            f"private key. A copy of the file goes into {self.folder}; the workbook keeps "
            "only the certificate.", "Import", parent)
        self.path = QLineEdit()
        self.path.setPlaceholderText("signer.p12")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.password = _password("The file's password")
        self.form.addRow("Certificate file", row)
        self.form.addRow("Password", self.password)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a certificate", "",
                                              "PKCS#12 certificates (*.p12 *.pfx)")
        if path:
            self.path.setText(path)

    def run(self) -> None:
        """Import the file, or say why it cannot be imported."""
        if not self.path.text().strip():
            self.show_message("Choose the certificate file first.")
            return
        self.context.refused.connect(self._refused)
        try:
            result = self.context.perform(
                identities.import_identity, self.context.workbook, self.folder,
                Path(self.path.text().strip()), self.password.text(), initiator=self)
        finally:
            self.context.refused.disconnect(self._refused)
        if result is not None:
            self.identity = result[1]
            self.accept()

    def _refused(self, error: ValidationError, initiator: object) -> None:
        if initiator is self:
            self.show_message(error.message)
