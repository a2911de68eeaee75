"""The questions the SLA dialogs ask before something that cannot simply be undone:
trusting a root (after its fingerprint is compared) and closing a sign-off half-way.
Each is a module-level function, so tests answer it without a modal box."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from .trust_store import RootCertificate, fingerprint_lines


def ask(parent: QWidget | None, title: str, text: str, details: str, action: str) -> bool:
    """Whether the user goes ahead with `action` (the button's text). `text` and
    `details` are rich text: escape what the user typed."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setInformativeText(details)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go


def confirm_trust(parent: QWidget | None, root: RootCertificate) -> bool:
    """Whether the user trusts `root` after seeing its fingerprint."""
    return ask(parent, "Trust this root?",
               f"Trust “{html.escape(root.subject)}” as a signing root?",
               "Compare its SHA-256 fingerprint with the one the root's owner reads to you "
               "— by phone, say — and trust it only if every group matches:"
               f"<pre style='font-size: 14px'>{fingerprint_lines(root.sha256)}</pre>"
               "From then on, signatures that chain to this root verify as trusted. You can "
               "remove it again under Trusted roots….", "Trust this root")


def confirm_discard(parent: QWidget | None, signed: list[str], waiting: list[str]) -> bool:
    """Whether to close a sign-off that is not recorded though someone has signed."""
    names = ", ".join(html.escape(n) for n in signed)
    rest = ", ".join(html.escape(n) for n in waiting)
    text = (f"{names} signed; {rest} {'has' if len(waiting) == 1 else 'have'} not."
            if waiting else "Everyone signed, but the sign-off is not recorded.")
    return ask(parent, "Stop the sign-off?", text,
               "Nothing is recorded in the workbook until everyone has signed and the "
               "sign-off is recorded: closing now discards the signatures given so far, and "
               "everyone signs again next time.", "Close and discard")
