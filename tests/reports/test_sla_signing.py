"""Sign-off end to end: signers in order, one PAdES signature each, a PDF that verifies,
and every way a sign-off can go wrong leaving no PDF and an unchanged workbook."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from reports.signing import SignOff
from reports.verify import Trust, verify_pdf
from ui.cli import main
from workbench import identities
from workbench.errors import ImmutableError, ValidationError
from workbench.model import SlaStatus

from ..workbench.snapshot import dump
from .conftest import AUTHORITY_PASSWORD, Signers, pdftotext, qpdf_check


def sign_all(s: Signers, out: Path) -> None:
    session = SignOff(s.workbook, s.version_id, s.data_dir)
    for signatory in s.workbook.sla.signatories(s.version_id):
        session.sign(signatory.id, s.identity[signatory.name], s.password[signatory.name],
                     consent=True)
    session.finish(out)


def root_pem(s: Signers, tmp_path: Path) -> Path:
    path = tmp_path / "root.pem"
    path.write_bytes(identities.authority_pem(s.workbook) or b"")
    return path


@pytest.mark.parametrize("extra", [0, 1])
def test_two_and_three_signers_sign_and_every_signature_verifies(
        extra: int, signers: Signers, tmp_path: Path) -> None:
    if extra:
        signers.add("李雷", "Chief Revenue Officer", "shared")
    out = tmp_path / "sla.pdf"
    sign_all(signers, out)
    verdict = verify_pdf(out, trusted_roots=[root_pem(signers, tmp_path).read_bytes()])
    assert verdict.ok, verdict.summary()
    names = [s.signer for s in verdict.signatures]
    assert names == [s.name for s in signers.workbook.sla.signatories(signers.version_id)]
    assert len(names) == 2 + extra
    assert all(s.trust is Trust.TRUSTED and s.unchanged for s in verdict.signatures)
    qpdf_check(out)
    text = pdftotext(out)
    assert "Completion certificate" in text and "Zoë Müller" in text
    assert signers.workbook.sla.version(signers.version_id).status is SlaStatus.SIGNED
    assert all(s.signed_at for s in signers.workbook.sla.signatories(signers.version_id))


def test_signing_records_the_pdf_and_freezes_the_version(signers: Signers,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "sla.pdf"
    sign_all(signers, out)
    sla = signers.workbook.sla
    assert sla.signed_pdf(signers.version_id) == out.read_bytes()
    with pytest.raises(ImmutableError):
        sla.set_parameter(signers.version_id, "follow_up_attempts", 9)
    # a later version, once signed, supersedes this one; the export stays byte-identical
    _, v2 = sla.new_version()
    signers.version_id = v2
    sign_all(signers, tmp_path / "v2.pdf")
    assert sla.versions()[0].status is SlaStatus.SUPERSEDED
    assert main(["export", "sla", str(signers.workbook.path), "-o", str(tmp_path / "again.pdf"),
                 "--version", "1"]) == 0
    assert (tmp_path / "again.pdf").read_bytes() == out.read_bytes()


def test_a_flipped_byte_fails_verification_with_a_reason(signers: Signers, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "sla.pdf"
    sign_all(signers, out)
    data = bytearray(out.read_bytes())
    data[data.find(b"stream", 3000) + 200] ^= 0x20
    (tmp_path / "flipped.pdf").write_bytes(bytes(data))
    verdict = verify_pdf(tmp_path / "flipped.pdf")
    assert not verdict.ok
    assert any("altered" in p for s in verdict.signatures for p in s.problems)
    assert main(["verify", str(tmp_path / "flipped.pdf")]) == 1
    assert "NOT VALID" in capsys.readouterr().out


def test_an_incremental_update_after_signing_fails_verification(signers: Signers,
                                                               tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    out = tmp_path / "sla.pdf"
    sign_all(signers, out)
    writer = IncrementalPdfFileWriter(io.BytesIO(out.read_bytes()))
    page = writer.root["/Pages"]["/Kids"][2].get_object()  # the first page of terms
    page["/Contents"] = writer.add_object(generic.StreamObject(
        stream_data=b"BT /F1 24 Tf 72 700 Td (Marketing delivers 5 leads) Tj ET"))
    writer.update_container(page)
    tampered = io.BytesIO()
    writer.write(tampered)
    (tmp_path / "tampered.pdf").write_bytes(tampered.getvalue())
    verdict = verify_pdf(tmp_path / "tampered.pdf", [root_pem(signers, tmp_path).read_bytes()])
    assert not verdict.ok
    assert all(s.intact for s in verdict.signatures)  # the bytes signed are untouched...
    assert any("changed after" in p for s in verdict.signatures for p in s.problems)


def test_verify_cli_exits_zero_only_for_a_valid_pdf(signers: Signers, tmp_path: Path) -> None:
    out = tmp_path / "sla.pdf"
    sign_all(signers, out)
    assert main(["verify", str(out), "--trust", str(root_pem(signers, tmp_path))]) == 0
    other = tmp_path / "other-root.pem"
    key = ec.generate_private_key(ec.SECP256R1())
    cert = identities.issue_certificate(key, _self_signed(key), "Stranger", "", key,
                                        not_before=datetime.now(UTC) - timedelta(days=1),
                                        not_after=datetime.now(UTC) + timedelta(days=1))
    from cryptography.hazmat.primitives.serialization import Encoding
    other.write_bytes(cert.public_bytes(Encoding.PEM))
    assert main(["verify", str(out), "--trust", str(other)]) == 1
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 1


def _self_signed(key: ec.EllipticCurvePrivateKey):  # type: ignore[no-untyped-def]
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Stranger CA")])
    now = datetime.now(UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=9))
            .sign(key, hashes.SHA256()))


# -- bad input: a clear message, no PDF, nothing recorded ---------------------------------
def _attempt(s: Signers, out: Path, *, password: str | None = None, order: list[int] | None = None,
             consent: bool = True) -> ValidationError:
    before = dump(s.workbook)
    people = s.workbook.sla.signatories(s.version_id)
    sequence = order or list(range(len(people)))
    with pytest.raises(ValidationError) as caught:
        session = SignOff(s.workbook, s.version_id, s.data_dir)
        for index in sequence:
            p = people[index]
            session.sign(p.id, s.identity[p.name], password or s.password[p.name],
                         consent=consent)
        session.finish(out)
    assert not out.exists()
    assert not list(out.parent.glob("*.partial"))
    assert dump(s.workbook) == before
    return caught.value


def test_a_wrong_password_is_refused(signers: Signers, tmp_path: Path) -> None:
    error = _attempt(signers, tmp_path / "sla.pdf", password="not my password")
    assert error.field == "password"
    assert "Wrong password for Zoë Müller" in error.message


def test_a_signer_out_of_order_is_refused(signers: Signers, tmp_path: Path) -> None:
    error = _attempt(signers, tmp_path / "sla.pdf", order=[1, 0])
    assert "It is Zoë Müller's turn to sign" in error.message


def test_signing_needs_consent(signers: Signers, tmp_path: Path) -> None:
    error = _attempt(signers, tmp_path / "sla.pdf", consent=False)
    assert "I agree to version 1 of this SLA" in error.message


def test_a_missing_lead_number_is_refused_before_signing(signers: Signers,
                                                         tmp_path: Path) -> None:
    signers.workbook.db.conn.execute("UPDATE plans SET committed = 0")
    signers.workbook.db.conn.commit()
    error = _attempt(signers, tmp_path / "sla.pdf")
    assert error.field == "leads_committed"
    assert "no lead number" in error.message


def test_a_missing_follow_up_time_is_refused_before_signing(signers: Signers,
                                                            tmp_path: Path) -> None:
    mql = signers.workbook.funnel.stage_by_key("mql")
    assert mql is not None
    signers.workbook.funnel.update_stage(mql.id, max_hours=None)
    error = _attempt(signers, tmp_path / "sla.pdf")
    assert error.field == "follow_up"
    assert "no follow-up time" in error.message


@pytest.mark.parametrize("problem", ["expired", "not_signing"])
def test_an_expired_or_non_signing_certificate_is_refused(problem: str, signers: Signers,
                                                         tmp_path: Path) -> None:
    ca = pkcs12.load_key_and_certificates(
        (signers.data_dir / identities.authority(signers.workbook).key_file  # type: ignore[union-attr]
         ).read_bytes(), AUTHORITY_PASSWORD.encode())
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    end = now - timedelta(days=1) if problem == "expired" else now + timedelta(days=30)
    cert = identities.issue_certificate(ca[0], ca[1], "Old Key", "", key,  # type: ignore[arg-type]
                                        not_before=now - timedelta(days=60), not_after=end,
                                        signing=problem == "expired")
    p12 = tmp_path / "old.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"old", key, cert, None, BestAvailableEncryption(b"old-password")))
    with pytest.raises(ValidationError) as caught:
        identities.import_identity(signers.workbook, signers.data_dir, p12, "old-password")
    expected = "expired on" if problem == "expired" else "not meant for signing"
    assert expected in caught.value.message
    assert len(list(signers.data_dir.glob("signer-*.p12"))) == 2  # nothing copied in
    # Had it got in some other way (imported before it expired), signing refuses it too.
    identity = identities._identity("signer", cert)
    (signers.data_dir / identity.key_file).write_bytes(p12.read_bytes())
    identities._insert(signers.workbook, identity, "Import signing identity")
    first = signers.workbook.sla.signatories(signers.version_id)[0]
    signers.identity[first.name], signers.password[first.name] = identity.sha256, "old-password"
    error = _attempt(signers, tmp_path / "sla.pdf")
    assert error.field == "certificate" and expected in error.message
