"""Sign-off in the app, as two signers would do it on one laptop: each reviews, ticks
consent, may draw, enters their password and signs — their signature is applied there and
then (a busy bar meanwhile) and the preview shows the PDF signed so far; after the last
one the sign-off is recorded and the signed PDF saved, and it verifies. A wrong password,
a missing tick or a signer out of turn is explained and signs nothing; closing half-way
asks first and records nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from reports.verify import verify_pdf
from ui.context import AppContext
from ui.sla import questions
from ui.sla.screen import SlaScreen
from ui.sla.signoff import SignOffDialog
from workbench import identities
from workbench.model import SlaStatus

from .conftest import PASSWORDS, Identities, wait_for_preview

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def discard_asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], list[str]]]:
    """"Close and discard?" questions, answered yes (a test may answer otherwise) instead
    of a modal box, which would block closing the dialog at the end of a test."""
    asked: list[tuple[list[str], list[str]]] = []

    def confirm(parent: object, signed: list[str], waiting: list[str]) -> bool:
        asked.append((signed, waiting))
        return True

    monkeypatch.setattr(questions, "confirm_discard", confirm)
    return asked


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


def _wait_until_applied(qtbot, dialog: SignOffDialog) -> None:
    """Wait while the signature is applied on the worker thread."""
    qtbot.waitUntil(lambda: not dialog.is_busy, timeout=30_000)


def _order(dialog: SignOffDialog) -> list[str]:
    """The order list's lines, as the signers read them."""
    labels = [dialog.order_list.itemAt(i).widget() for i in range(dialog.order_list.count())]
    return [label.text() for label in labels]


def _signed_so_far(pdf: bytes, tmp_path: Path) -> list[str]:
    partial = tmp_path / "so-far.pdf"
    partial.write_bytes(pdf)
    return [s.signer for s in verify_pdf(partial).signatures]


def test_two_signers_sign_one_after_another_and_the_saved_pdf_verifies(
        qtbot, screen: SlaScreen, context: AppContext, signer_identities: Identities,
        dialogs: list[object], save_to: Path, opened: list[str], tmp_path: Path) -> None:
    screen.refresh()  # the identities were issued behind the screen's back
    assert screen.sign_button.isEnabled()
    dialog = _open_dialog(qtbot, screen, dialogs)
    assert dialog.turn.text() == "Zoë Müller's turn (VP Marketing)"
    assert dialog.identity.currentData() == signer_identities.sha256["Zoë Müller"]
    assert dialog.consent.text() == "I agree to version 1 of this SLA"
    assert dialog.preview_note.text() == "The draft, before anyone signs"
    dialog.pad.add_stroke([QPointF(20, 60), QPointF(60, 30), QPointF(110, 70),
                           QPointF(170, 40)])
    assert dialog.pad.png_bytes().startswith(PNG_MAGIC)
    _sign(dialog, "Zoë Müller", PASSWORDS["Zoë Müller"])
    assert dialog.is_busy and dialog.busy.isVisible()
    assert dialog.busy_label.text() == "Signing the PDF for Zoë Müller…"
    assert not dialog.sign_button.isEnabled() and not dialog.close_button.isEnabled()
    _wait_until_applied(qtbot, dialog)
    assert dialog.message.isHidden() and dialog.busy.isHidden()
    first, second = _order(dialog)
    assert re.fullmatch(r"1\. Zoë Müller — VP Marketing · ✓ signed at \d\d:\d\d:\d\d", first)
    assert second == "2. Daniel Okafor — VP Sales · → signs now"
    assert dialog.turn.text() == "Daniel Okafor's turn (VP Sales)"
    assert dialog.identity.currentData() == signer_identities.sha256["Daniel Okafor"]
    assert not dialog.consent.isChecked() and dialog.password.text() == ""
    assert dialog.pad.png_bytes() is None
    qtbot.waitUntil(lambda: dialog.preview.pdf == dialog.session.pdf, timeout=20_000)
    assert dialog.preview_note.text() == "As signed so far: 1 of 2 signatures"
    assert _signed_so_far(dialog.preview.pdf, tmp_path) == ["Zoë Müller"]
    assert context.workbook.sla.version(signer_identities.version_id).status \
        is SlaStatus.DRAFT  # nothing recorded until everyone has signed
    _sign(dialog, "Daniel Okafor", PASSWORDS["Daniel Okafor"])
    assert dialog.is_busy and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=30_000)
    assert dialog.saved.text() == f"Saved {save_to}"
    assert opened == [str(save_to)]
    assert dialog.signer_box.isHidden()
    assert dialog.done_title.text() == "Everyone has signed version 1."
    assert all("✓ signed at" in line for line in _order(dialog))
    qtbot.waitUntil(lambda: dialog.preview.pdf == save_to.read_bytes(), timeout=20_000)
    assert dialog.preview_note.text() == "As signed so far: 2 of 2 signatures"
    verdict = verify_pdf(save_to, [identities.authority_pem(context.workbook)])
    assert verdict.ok, verdict.summary()
    assert [s.signer for s in verdict.signatures] == ["Zoë Müller", "Daniel Okafor"]
    assert context.workbook.sla.version(signer_identities.version_id).status \
        is SlaStatus.SIGNED
    assert context.workbook.sla.signed_pdf(signer_identities.version_id) == \
        save_to.read_bytes()
    assert screen.status_badge.text() == "Signed"  # the screen heard about it
    assert sorted(p.name for p in save_to.parent.iterdir()) == ["sla-signed.pdf"]


def test_a_wrong_password_is_explained_and_signs_nothing(
        qtbot, screen: SlaScreen, context: AppContext, signer_identities: Identities,
        dialogs: list[object], save_to: Path) -> None:
    screen.refresh()
    dialog = _open_dialog(qtbot, screen, dialogs)
    _sign(dialog, "Zoë Müller", "not-her-password")
    _wait_until_applied(qtbot, dialog)
    assert dialog.message.text() == "Wrong password for Zoë Müller."
    assert dialog.message.isVisible()
    assert dialog.session.next_signatory.name == "Zoë Müller"
    assert dialog.session.pdf is None
    assert dialog.turn.text() == "Zoë Müller's turn (VP Marketing)"
    assert _order(dialog)[0] == "1. Zoë Müller — VP Marketing · → signs now"
    assert dialog.consent.isChecked()  # she only retypes her password
    assert dialog.sign_button.isEnabled() and dialog.password.hasFocus()
    assert dialog.preview_note.text() == "The draft, before anyone signs"
    assert context.workbook.sla.version(signer_identities.version_id).status \
        is SlaStatus.DRAFT
    assert not save_to.exists() and dialog.signed_pdf is None
    _sign(dialog, "Zoë Müller", PASSWORDS["Zoë Müller"])  # then the right one signs
    _wait_until_applied(qtbot, dialog)
    assert dialog.message.isHidden()
    assert dialog.signed_ids() == [dialog.session.signatories[0].id]


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


def test_closing_half_way_asks_and_records_nothing(
        qtbot, screen: SlaScreen, context: AppContext, signer_identities: Identities,
        dialogs: list[object], monkeypatch: pytest.MonkeyPatch,
        discard_asked: list[tuple[list[str], list[str]]]) -> None:
    screen.refresh()
    dialog = _open_dialog(qtbot, screen, dialogs)
    dialog.close_button.click()
    assert discard_asked == [] and not dialog.isVisible()  # nobody signed: nothing to ask
    dialog = SignOffDialog(context, signer_identities.version_id)
    qtbot.addWidget(dialog)
    dialog.show()
    _sign(dialog, "Zoë Müller", PASSWORDS["Zoë Müller"])
    _wait_until_applied(qtbot, dialog)
    answer_yes = questions.confirm_discard
    monkeypatch.setattr(questions, "confirm_discard", lambda *a: False)
    dialog.close_button.click()
    assert dialog.isVisible()  # "Cancel": the sign-off goes on
    monkeypatch.setattr(questions, "confirm_discard", answer_yes)
    dialog.close_button.click()
    assert discard_asked == [(["Zoë Müller"], ["Daniel Okafor"])]
    assert not dialog.isVisible()
    assert context.workbook.sla.version(signer_identities.version_id).status \
        is SlaStatus.DRAFT
    assert context.workbook.sla.signed_pdf(signer_identities.version_id) is None
