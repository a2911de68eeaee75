"""A signatory in the editor: name, title, team and e-mail (editable in a draft), their
place in the signing order, and their signing identity (a certificate in the workbook
whose private key waits, password-protected, in the data folder)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench.identities import Identity
from workbench.model import Signatory

from .fields import BoundField, caption, line_edit

TEAMS = (("Marketing", "marketing"), ("Sales", "sales"), ("Shared", "shared"))


def identity_for(signatory: Signatory, known: list[Identity]) -> Identity | None:
    """The signer certificate that belongs to `signatory`: same e-mail, else same name
    (the newest, and an unexpired one before an expired one)."""
    signers = [i for i in known if i.kind == "signer"]
    email = signatory.email.strip().casefold()
    name = signatory.name.strip().casefold()
    matches = [i for i in signers if email and i.email.casefold() == email] or [
        i for i in signers if i.subject.strip().casefold() == name]
    if not matches:
        return None
    return max(matches, key=lambda i: i.not_after)


def identity_text(identity: Identity | None) -> str:
    if identity is None:
        return "No signing identity yet: create one from the workbook's authority, or " \
               "import a .p12 file."
    email = f" <{identity.email}>" if identity.email else ""
    return f"Certificate “{identity.subject}”{email} · expires {identity.not_after[:10]}"


class SignatoryRow(QFrame):
    """One signatory: their details, order and identity."""

    move_requested = Signal(int, int)   # signatory id, -1 (earlier) or +1 (later)
    remove_requested = Signal(int)
    create_identity_requested = Signal(int)
    import_identity_requested = Signal(int)

    def __init__(self, context: AppContext, signatory: Signatory,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("row")
        self.signatory_id = signatory.id
        update = partial(context.workbook.sla.update_signatory, signatory.id)
        team = QComboBox()
        for label, value in TEAMS:
            team.addItem(label, value)
        self.fields = {
            "name": BoundField(context, line_edit("Full name"), update, "name"),
            "title": BoundField(context, line_edit("e.g. VP Marketing"), update, "title"),
            "team": BoundField(context, team, update, "team"),
            "email": BoundField(context, line_edit("name@company.example"), update, "email"),
        }
        for name, field in self.fields.items():
            field.editor.setAccessibleName(f"Signatory {name}")
        self.order = QLabel(objectName="order", alignment=Qt.AlignmentFlag.AlignCenter)
        self.identity = QLabel(objectName="muted", wordWrap=True)
        self.signed = QLabel(objectName="ok")
        self.create_button = QPushButton("Create identity…")
        self.import_button = QPushButton("Import .p12…")
        self.create_button.setToolTip("Issue this signer a certificate from the workbook's "
                                      "own signing authority")
        self.import_button.setToolTip("Use an existing certificate (PKCS#12 file)")
        self.create_button.clicked.connect(self._create)
        self.import_button.clicked.connect(self._import)
        self.move_buttons = [QToolButton(text="↑", objectName="small",
                                         toolTip="Sign earlier"),
                             QToolButton(text="↓", objectName="small", toolTip="Sign later"),
                             QToolButton(text="✕", objectName="small",
                                         toolTip="Remove this signatory")]
        for button, slot in zip(self.move_buttons, (self._earlier, self._later, self._remove),
                                strict=True):
            button.clicked.connect(slot)
        self._layout()

    def _layout(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        for column, (name, text) in enumerate((("name", "Name"), ("title", "Title"),
                                               ("team", "Team"))):
            grid.addWidget(caption(text), 0, column)
            grid.addWidget(self.fields[name], 1, column)
        grid.addWidget(caption("E-mail"), 2, 0)
        grid.addWidget(self.fields["email"], 3, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for button in self.move_buttons:
            buttons.addWidget(button)
        grid.addLayout(buttons, 3, 2, Qt.AlignmentFlag.AlignRight)
        identity = QHBoxLayout()
        identity.addWidget(self.identity, 1)
        identity.addWidget(self.signed)
        identity.addWidget(self.create_button)
        identity.addWidget(self.import_button)
        body = QVBoxLayout()
        body.setSpacing(6)
        body.addLayout(grid)
        body.addLayout(identity)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 10, 0, 10)
        outer.setSpacing(12)
        outer.addWidget(self.order, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(body, 1)

    def load(self, signatory: Signatory, identity: Identity | None, *, read_only: bool,
             first: bool, last: bool) -> None:
        """Show the stored signatory and the identity they sign with."""
        self.order.setText(str(signatory.position + 1))
        self.order.setToolTip(f"Signs {signatory.position + 1}.")
        for name, field in self.fields.items():
            field.load(getattr(signatory, name))
            field.set_read_only(read_only)
        self.identity.setText(identity_text(identity))
        self.identity.setObjectName("muted" if identity is None else "factValue")
        self.identity.style().unpolish(self.identity)
        self.identity.style().polish(self.identity)
        self.signed.setText(f"✓ Signed {signatory.signed_at.replace('T', ' ')[:16]} UTC"
                            if signatory.signed_at else "")
        self.signed.setVisible(bool(signatory.signed_at))
        for button in (self.create_button, self.import_button):
            button.setVisible(not read_only and identity is None)
        for button in self.move_buttons:
            button.setVisible(not read_only)
        self.move_buttons[0].setEnabled(not first)
        self.move_buttons[1].setEnabled(not last)

    def _earlier(self) -> None:
        self.move_requested.emit(self.signatory_id, -1)

    def _later(self) -> None:
        self.move_requested.emit(self.signatory_id, 1)

    def _remove(self) -> None:
        self.remove_requested.emit(self.signatory_id)

    def _create(self) -> None:
        self.create_identity_requested.emit(self.signatory_id)

    def _import(self) -> None:
        self.import_identity_requested.emit(self.signatory_id)
