"""Signing identities: the workbook keeps certificates only; keys live in password-
protected PKCS#12 files in the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12

from workbench import identities
from workbench.errors import ValidationError
from workbench.workbook import Workbook

from .snapshot import dump

CA_PW = "lantern authority quill"
ANN_PW = "ann walks the violet harbour"


def test_the_authority_and_signers_keep_keys_out_of_the_workbook(demo: Workbook,
                                                                tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    identities.create_authority(demo, keys, CA_PW)
    _, signer = identities.issue_identity(demo, keys, CA_PW, "Zoë Müller",
                                          "zoe@example.com", "zoe paints quiet harbours")
    root = identities.authority(demo)
    assert root is not None and root.subject == "Brightline Logistics Software SLA authority"
    assert signer.subject == "Zoë Müller" and signer.email == "zoe@example.com"
    cert = x509.load_der_x509_certificate(signer.certificate)
    assert cert.issuer == x509.load_der_x509_certificate(root.certificate).subject
    assert cert.public_key().curve.name == "secp256r1"  # type: ignore[union-attr]
    demo.close()
    stored = Path(demo.path or "").read_bytes()
    assert b"PRIVATE KEY" not in stored and b"\x30\x81\x87\x02\x01\x00" not in stored
    assert sorted(p.name for p in keys.iterdir()) == sorted([root.key_file, signer.key_file])
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates((keys / signer.key_file).read_bytes(), None)
    key, _, _ = pkcs12.load_key_and_certificates((keys / signer.key_file).read_bytes(),
                                                 b"zoe paints quiet harbours")
    assert key is not None


def test_creating_identities_undoes_and_redoes(blank: Workbook, tmp_path: Path) -> None:
    before = dump(blank)
    identities.create_authority(blank, tmp_path, CA_PW)
    identities.issue_identity(blank, tmp_path, CA_PW, "Ann", "", ANN_PW)
    after = dump(blank)
    blank.undo()
    blank.undo()
    assert dump(blank) == before
    blank.redo()
    blank.redo()
    assert dump(blank) == after


@pytest.mark.parametrize(("call", "field", "message"), [
    (lambda wb, d: identities.issue_identity(wb, d, "wrong-password", "Ann", "", ANN_PW),
     "authority_password", "Wrong password for the signing authority"),
    (lambda wb, d: identities.issue_identity(wb, d, CA_PW, "Ann", "", "short"),
     "password", "at least 8 characters"),
    (lambda wb, d: identities.issue_identity(wb, d, CA_PW, " ", "", ANN_PW),
     "name", "needs the signer's name"),
    (lambda wb, d: identities.create_authority(wb, d, "another lantern quill"), "authority",
     "already has its signing authority"),
    (lambda wb, d: identities.import_identity(wb, d, d / "nothing.p12", "pw"), "password",
     "key file for nothing.p12 is missing"),
])
def test_bad_identity_input_is_refused(call, field: str, message: str,  # type: ignore[no-untyped-def]
                                       blank: Workbook, tmp_path: Path) -> None:
    identities.create_authority(blank, tmp_path, CA_PW)
    before, files = dump(blank), sorted(tmp_path.iterdir())
    with pytest.raises(ValidationError) as caught:
        call(blank, tmp_path)
    assert caught.value.field == field and message in caught.value.message
    assert dump(blank) == before and sorted(tmp_path.iterdir()) == files


def test_an_imported_identity_signs_with_its_password(blank: Workbook, tmp_path: Path) -> None:
    other = tmp_path / "other"
    identities.create_authority(blank, other, CA_PW)
    _, made = identities.issue_identity(blank, other, CA_PW, "Ann", "", ANN_PW)
    target = Workbook.in_memory()
    _, imported = identities.import_identity(target, tmp_path / "mine", other / made.key_file,
                                             ANN_PW)
    assert imported.sha256 == made.sha256
    key = identities.unlock(target, tmp_path / "mine", imported.sha256, ANN_PW)
    assert key.certificate.subject.rfc4514_string() == "CN=Ann"
    with pytest.raises(ValidationError, match="Wrong password for Ann"):
        identities.unlock(target, tmp_path / "mine", imported.sha256, "nope-nope")
