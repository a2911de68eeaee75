"""Sign-off in the app, as two signers would do it on one laptop: each reviews, ticks
consent, may draw, enters their password and signs; the signed PDF is saved and verifies.
A wrong password, a missing tick or a signer out of turn is explained and signs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from reports.verify import verify_pdf
from ui.context import AppContext
from ui.sla.screen import SlaScreen
from ui.sla.signoff import SignOffDialog
from workbench import identities
from workbench.model import SlaStatus

from .conftest import PASSWORDS, Identities, wait_for_preview

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Files the dialog asks the desktop to open, recorded instead of opened."""
    files: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: files.append(url.toLocalFile()) or True))
    return files


@pytest.fixture
def save_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[str]) -> Path:
    """Where the Save dialog "chooses" to save the signed PDF."""
    target = tmp_path / "signed" / "sla-signed.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    return target


def _open_dialog(qtbot, screen: SlaScreen, dialogs: list[object]) -> SignOffDialog:
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
    (dialog,) = dialogs
    assert isinstance(dialog, SignOffDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_preview(qtbot, dialog.preview)
    return dialog


def _sign(dialog: SignOffDialog, name: str, password: str, *, consent: bool = True) -> None:
    dialog.who.setCurrentIndex(next(i for i in range(dialog.who.count())
                                    if name in dialog.who.itemText(i)))
    dialog.consent.setChecked(consent)
    dialog.password.setText(password)
    dialog.sign_button.click()


def test_two_signers_sign_in_order_and_the_saved_pdf_verifies(
        qtbot, screen: SlaScreen, context: AppContext, signer_identities: Identities,
        dialogs: list[object], save_to: Path, opened: list[str]) -> None:
    screen.refresh()  # the identities were issued behind the screen's back
    assert screen.sign_button.isEnabled()
    dialog = _open_dialog(qtbot, screen, dialogs)
    assert dialog.turn.text() == "Zoë Müller's turn (VP Marketing)"
    assert dialog.identity.currentData() == signer_identities.sha256["Zoë Müller"]
    assert dialog.consent.text() == "I agree to version 1 of this SLA"
    dialog.pad.add_stroke([QPointF(20, 60), QPointF(60, 30), QPointF(110, 70),
                           QPointF(170, 40)])
    assert dialog.pad.png_bytes().startswith(PNG_MAGIC)
    _sign(dialog, "Zoë Müller", PASSWORDS["Zoë Müller"])
    assert dialog.message.isHidden()
    assert dialog.turn.text() == "Daniel Okafor's turn (VP Sales)"
    assert dialog.identity.currentData() == signer_identities.sha256["Daniel Okafor"]
    assert not dialog.consent.isChecked() and dialog.password.text() == ""
    _sign(dialog, "Daniel Okafor", PASSWORDS["Daniel Okafor"])
    assert dialog.is_busy and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=30_000)
    assert dialog.saved.text() == f"Saved {save_to}"
    assert opened == [str(save_to)]
    verdict = verify_pdf(save_to, [identities.authority_pem(context.workbook)])
    assert verdict.ok, verdict.summary()
    assert [s.signer for s in verdict.signatures] == ["Zoë Müller", "Daniel Okafor"]
    assert context.workbook.sla.version(signer_identities.version_id).status \
        is SlaStatus.SIGNED
    assert screen.status_badge.text() == "Signed"  # the screen heard about it
    assert sorted(p.name for p in save_to.parent.iterdir()) == ["sla-signed.pdf"]


def test_a_wrong_password_is_explained_and_signs_nothing(
        qtbot, screen: SlaScreen, context: AppContext, signer_identities: Identities,
        dialogs: list[object], save_to: Path) -> None:
    screen.refresh()
    dialog = _open_dialog(qtbot, screen, dialogs)
    _sign(dialog, "Zoë Müller", "not-her-password")
    assert dialog.message.text() == "Wrong password for Zoë Müller."
    assert dialog.message.isVisible()
    assert dialog.session.next_signatory.name == "Zoë Müller"
    assert dialog.turn.text() == "Zoë Müller's turn (VP Marketing)"
    assert context.workbook.sla.version(signer_identities.version_id).status \
        is SlaStatus.DRAFT
    assert not save_to.exists() and dialog.signed_pdf is None


def test_no_consent_or_a_signer_out_of_turn_is_refused(
        qtbot, screen: SlaScreen, signer_identities: Identities,
        dialogs: list[object]) -> None:
    screen.refresh()
    dialog = _open_dialog(qtbot, screen, dialogs)
    _sign(dialog, "Zoë Müller", PASSWORDS["Zoë Müller"], consent=False)
    assert dialog.message.text() == "Tick “I agree to version 1 of this SLA” to sign."
    _sign(dialog, "Daniel Okafor", PASSWORDS["Daniel Okafor"])
    assert dialog.message.text() == ("It is Zoë Müller's turn to sign; Daniel Okafor signs "
                                     "in the agreed order.")
    assert dialog.session.next_signatory.name == "Zoë Müller"
    assert dialog.signed_ids() == []


def test_sign_off_is_not_offered_until_every_signer_has_an_identity(
        qtbot, screen: SlaScreen) -> None:
    assert not screen.sign_button.isEnabled()
    assert "Zoë Müller has no signing identity yet" in screen.sign_button.toolTip()
