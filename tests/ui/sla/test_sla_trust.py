"""Whom the app trusts to have signed: a PDF whose signatures are sound but chain to a root
the user has not trusted is "Intact — signers not verified" (amber), with the root's
fingerprint to compare by phone and "Trust this root…"; the roots the user imported are
listed, added and removed under Trusted roots…; a root file can be trusted for one check
only; and the workbook's own root certificate is exported with its fingerprint shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from ui.context import AppContext
from ui.sla import questions
from ui.sla.screen import SlaScreen
from ui.sla.trust_store import RootCertificate, fingerprint_lines, user_roots
from ui.sla.trusted_roots import FingerprintDialog, TrustedRootsDialog
from ui.sla.verify_view import VerifyDialog
from workbench import identities
from workbench.workbook import Workbook

from .conftest import AUTHORITY_PASSWORD, Identities, sign_with_core

AUTHORITY = "Brightline Logistics Software SLA authority"


@pytest.fixture
def trust_asked(monkeypatch: pytest.MonkeyPatch) -> list[RootCertificate]:
    """Roots the user was asked to trust; the answer is yes unless a test says otherwise."""
    asked: list[RootCertificate] = []

    def confirm(parent: object, root: RootCertificate) -> bool:
        asked.append(root)
        return True

    monkeypatch.setattr(questions, "confirm_trust", confirm)
    return asked


@pytest.fixture
def signed_pdf(context: AppContext, signer_identities: Identities, tmp_path: Path) -> Path:
    path = tmp_path / "sla.pdf"
    sign_with_core(context, signer_identities.version_id, path)
    return path


@pytest.fixture
def elsewhere(blank: Workbook, tmp_path: Path) -> AppContext:
    """Another user's app: a workbook without this authority, no imported roots."""
    other = AppContext(blank)
    other.data_dir = tmp_path / "elsewhere"
    return other


def _verified(qtbot, dialog: VerifyDialog) -> None:
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=30_000)


def _verify(qtbot, context: AppContext, path: Path) -> VerifyDialog:
    dialog = VerifyDialog(context, path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    _verified(qtbot, dialog)
    return dialog


def _root_file(workbook: Workbook, path: Path) -> Path:
    path.write_bytes(identities.authority_pem(workbook) or b"")
    return path


def test_a_root_not_trusted_shows_amber_with_its_fingerprint_and_can_be_trusted(
        qtbot, context: AppContext, elsewhere: AppContext, signed_pdf: Path,
        trust_asked: list[RootCertificate], monkeypatch: pytest.MonkeyPatch) -> None:
    root = identities.authority(context.workbook)
    dialog = _verify(qtbot, elsewhere, signed_pdf)
    assert dialog.headline.text() == "Intact — signers not verified"
    assert dialog.headline.objectName() == "verdictWarn"
    assert "chain to a root you have not trusted" in dialog.explanation.text()
    assert [dialog.table.item(r, 3).text() for r in range(2)] == ["? unverified root"] * 2
    assert [dialog.table.item(r, 2).text() for r in range(2)] == ["✓ yes"] * 2
    assert dialog.sources.text().startswith("You trust no root yet")
    assert dialog.roots_box.isVisible()
    shown = dialog.roots_box.findChild(type(dialog.headline), "fingerprint").text()
    assert shown == fingerprint_lines(root.sha256)
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}\n([0-9A-F]{4} ){7}[0-9A-F]{4}", shown)
    assert shown.replace(" ", "").replace("\n", "").lower() == root.sha256
    answer_yes = questions.confirm_trust
    monkeypatch.setattr(questions, "confirm_trust", lambda *a: False)
    dialog.trust_buttons[root.sha256].click()  # "Cancel"
    assert user_roots(elsewhere).roots() == [] and dialog.verdict is not None
    monkeypatch.setattr(questions, "confirm_trust", answer_yes)
    dialog.trust_buttons[root.sha256].click()
    assert [(r.sha256, r.subject) for r in trust_asked] == [(root.sha256, AUTHORITY)]
    _verified(qtbot, dialog)
    assert dialog.headline.text() == "Valid"
    assert [dialog.table.item(r, 3).text() for r in range(2)] == ["✓ trusted root"] * 2
    assert dialog.sources.text() == "Checked against 1 root you imported."
    assert [r.sha256 for r in user_roots(elsewhere).roots()] == [root.sha256]
    assert dialog.roots_box.isHidden()
    again = _verify(qtbot, elsewhere, signed_pdf)  # kept in the settings
    assert again.headline.text() == "Valid"


def test_a_root_file_is_trusted_for_one_check_only(
        qtbot, context: AppContext, elsewhere: AppContext, signed_pdf: Path,
        tmp_path: Path) -> None:
    dialog = _verify(qtbot, elsewhere, signed_pdf)
    junk = tmp_path / "notes.pem"
    junk.write_text("not a certificate")
    dialog.use_root_file(junk)
    assert dialog.source_message.text() == (
        "notes.pem is not a certificate: expected a PEM file (“-----BEGIN CERTIFICATE-----”) "
        "or a DER one. It is not trusted.")
    assert dialog.headline.text() == "Intact — signers not verified"
    dialog.use_root_file(_root_file(context.workbook, tmp_path / "brightline.pem"))
    assert dialog.source_message.isHidden()
    _verified(qtbot, dialog)
    assert dialog.headline.text() == "Valid"
    assert dialog.sources.text() == "Checked against brightline.pem."
    assert user_roots(elsewhere).roots() == []
    assert _verify(qtbot, elsewhere, signed_pdf).headline.text() == \
        "Intact — signers not verified"


def test_trusted_roots_are_added_from_a_file_listed_and_removed(
        qtbot, context: AppContext, elsewhere: AppContext, signer_identities: Identities,
        tmp_path: Path, trust_asked: list[RootCertificate]) -> None:
    root = identities.authority(context.workbook)
    dialog = TrustedRootsDialog(elsewhere)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.authority.text() == "This workbook has no signing authority of its own."
    assert dialog.empty.isVisible() and dialog.table.isHidden()
    assert not dialog.remove_button.isEnabled()
    junk = tmp_path / "notes.crt"
    junk.write_bytes(b"\x30\x03\x02\x01\x05")  # DER, but not a certificate
    assert dialog.add_file(junk) is None
    assert dialog.message.text().startswith("notes.crt is not a certificate: expected a PEM")
    assert trust_asked == [] and user_roots(elsewhere).roots() == []
    assert dialog.table.isHidden()
    pem = _root_file(context.workbook, tmp_path / "brightline.pem")
    added = dialog.add_file(pem)
    assert added is not None and added.sha256 == root.sha256
    assert [r.subject for r in trust_asked] == [AUTHORITY]
    assert dialog.message.isHidden() and dialog.empty.isHidden()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == AUTHORITY
    assert dialog.table.item(0, 1).text() == fingerprint_lines(root.sha256)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", dialog.table.item(0, 2).text())
    dialog.add_file(pem)
    assert dialog.message.text() == f"“{AUTHORITY}” is trusted already."
    assert dialog.table.rowCount() == 1
    reopened = TrustedRootsDialog(elsewhere)  # kept in the settings
    qtbot.addWidget(reopened)
    assert reopened.table.rowCount() == 1
    reopened.table.selectRow(0)
    assert reopened.remove_button.isEnabled()
    reopened.remove_button.click()
    assert reopened.table.isHidden() and not reopened.empty.isHidden()
    assert user_roots(elsewhere).roots() == []


def test_the_workbook_authority_is_named_as_always_trusted(
        qtbot, context: AppContext, signer_identities: Identities) -> None:
    dialog = TrustedRootsDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.authority.text() == ("Always trusted: this workbook's signing authority, "
                                       f"“{AUTHORITY}”.")


def test_the_screen_exports_the_root_certificate_and_shows_its_fingerprint(
        qtbot, screen: SlaScreen, context: AppContext, dialogs: list[object],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not screen.export_root_action.isEnabled()
    assert "no signing authority yet" in screen.export_root_action.toolTip()
    identities.create_authority(context.workbook, context.data_dir / "signing-keys",
                                AUTHORITY_PASSWORD)
    screen.refresh()
    assert screen.export_root_action.isEnabled()
    target = tmp_path / "out" / "root.pem"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "Certificates (*.pem)")))
    screen.export_root_action.trigger()
    assert target.read_bytes() == identities.authority_pem(context.workbook)
    (shown,) = dialogs
    assert isinstance(shown, FingerprintDialog)
    qtbot.addWidget(shown)
    root = identities.authority(context.workbook)
    assert shown.fingerprint.text() == fingerprint_lines(root.sha256)
    assert sorted(p.name for p in target.parent.iterdir()) == ["root.pem"]


def test_trusted_roots_open_from_the_verify_menu(
        qtbot, screen: SlaScreen, dialogs: list[object]) -> None:
    menu = screen.verify_button.menu()
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Verify a PDF…", "Trusted roots…", "Export root certificate…"]
    screen.trusted_roots_action.trigger()
    (shown,) = dialogs
    assert isinstance(shown, TrustedRootsDialog)
    qtbot.addWidget(shown)
    assert screen.verify_button.text() == "Verify a PDF…"
    assert screen.verify_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly
