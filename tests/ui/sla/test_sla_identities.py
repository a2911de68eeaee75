"""Signing identities from the screen: "Create identity" issues a certificate from the
workbook's authority (created the first time), "Import .p12" takes an existing one; the
signatory then shows the certificate's subject and expiry. Keys go to the data folder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from PySide6.QtCore import Qt

from ui.context import AppContext
from ui.sla.identity_dialogs import CreateIdentityDialog, ImportIdentityDialog, strength_hint
from ui.sla.screen import SlaScreen
from workbench import identities


def _row(screen: SlaScreen, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in screen.editor.signatory_rows.values()
                if r.fields["name"].editor.text() == name)


def test_create_identity_makes_the_authority_then_the_signer_certificate(
        qtbot, screen: SlaScreen, context: AppContext, dialogs: list[object]) -> None:
    row = _row(screen, "Zoë Müller")
    assert row.identity.text().startswith("No signing identity yet")
    qtbot.mouseClick(row.create_button, Qt.MouseButton.LeftButton)
    (dialog,) = dialogs
    assert isinstance(dialog, CreateIdentityDialog)
    qtbot.addWidget(dialog)
    assert dialog.needs_authority
    dialog.authority_password.setText("copper lantern authority")
    dialog.authority_repeat.setText("copper lantern authority")
    dialog.password.setText("zoe paints quiet harbours")
    dialog.repeat.setText("zoe paints quiet harbourz")
    dialog.run()
    assert dialog.message.text() == "The two passwords differ: type them again."
    assert identities.identities(context.workbook) == []  # nothing created yet
    dialog.repeat.setText("zoe paints quiet harbours")
    dialog.run()
    assert dialog.result() == dialog.DialogCode.Accepted
    made = identities.identities(context.workbook)
    assert [i.kind for i in made] == ["authority", "signer"]
    signer = made[1]
    assert signer.subject == "Zoë Müller" and signer.email == "zoe.mueller@brightline.example"
    keys = context.data_dir / "signing-keys"
    assert sorted(p.name for p in keys.iterdir()) == sorted(i.key_file for i in made)
    row = _row(screen, "Zoë Müller")
    assert row.identity.text() == (
        f"Certificate “Zoë Müller” <zoe.mueller@brightline.example> · expires "
        f"{signer.not_after[:10]}")
    assert not row.create_button.isVisible()
    assert any(t == "Daniel Okafor has no signing identity yet: create or import one."
               for t in screen.editor.readiness.texts())


def test_a_wrong_authority_password_is_explained(qtbot, screen: SlaScreen,
                                                  context: AppContext) -> None:
    identities.create_authority(context.workbook, context.data_dir / "signing-keys",
                                "copper lantern authority")
    dialog = CreateIdentityDialog(context, "Daniel Okafor", "")
    qtbot.addWidget(dialog)
    assert not dialog.needs_authority
    dialog.authority_password.setText("ca-wrong1")
    dialog.password.setText("daniel rows amber canoes")
    dialog.repeat.setText("daniel rows amber canoes")
    dialog.run()
    assert dialog.message.text() == "Wrong password for the signing authority."
    assert [i.kind for i in identities.identities(context.workbook)] == ["authority"]


def test_import_p12_shows_the_certificate_on_the_signatory(
        qtbot, screen: SlaScreen, context: AppContext, tmp_path: Path,
        dialogs: list[object]) -> None:
    p12 = _p12(tmp_path / "daniel.p12", "Daniel Okafor", "daniel rows amber canoes")
    qtbot.mouseClick(_row(screen, "Daniel Okafor").import_button, Qt.MouseButton.LeftButton)
    (dialog,) = dialogs
    assert isinstance(dialog, ImportIdentityDialog)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(p12))
    dialog.password.setText("wrong-pass")
    dialog.run()
    assert dialog.message.text() == "Wrong password for daniel.p12."
    dialog.password.setText("daniel rows amber canoes")
    dialog.run()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert _row(screen, "Daniel Okafor").identity.text().startswith(
        "Certificate “Daniel Okafor” · expires 20")


def test_password_strength_hints() -> None:
    assert strength_hint("short")[1] == "bad"
    assert strength_hint("abcdefgh")[1] == "warn"
    assert strength_hint("Harbour-lights-42")[0] == "Strong password."


def _p12(path: Path, name: str, password: str) -> Path:
    """A self-issued signing certificate in a PKCS#12 file, as another tool would make."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    now = datetime.now(UTC)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = identities.issue_certificate(ca_key, ca, name, "", key,
                                        not_before=now - timedelta(days=1),
                                        not_after=now + timedelta(days=30))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, [ca], BestAvailableEncryption(password.encode())))
    return path


def test_a_certificate_in_another_name_lets_the_signer_choose_it(
        qtbot, screen: SlaScreen, context: AppContext, tmp_path: Path) -> None:
    folder = context.data_dir / "signing-keys"
    identities.create_authority(context.workbook, folder, "copper lantern authority")
    identities.issue_identity(context.workbook, folder, "copper lantern authority",
                              "Zoë Müller", "", "zoe paints quiet harbours")
    daniel = "daniel rows amber canoes"
    identities.import_identity(context.workbook, folder,
                               _p12(tmp_path / "d.p12", "D. Okafor (Sales)", daniel), daniel)
    screen.refresh()
    assert "No certificate is in Daniel Okafor's name: they choose one when signing." in \
        screen.editor.readiness.texts()
    assert screen.sign_button.isEnabled()
