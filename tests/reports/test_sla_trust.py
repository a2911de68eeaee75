"""Signatures people can rely on: each revision states only what is true when it is signed,
signatures validate offline for a year after the agreement ends, outside identities work
once their root is trusted, stored signed bytes are checked, key files resist guessing,
real names in any script sign, and `verify` speaks in one line per finding."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    pkcs12,
)
from cryptography.x509.oid import NameOID

from reports.signing import SignOff
from reports.verify import Outcome, Trust, verify_pdf
from ui.cli import main
from workbench import identities, keyfiles
from workbench.errors import ValidationError

from ..workbench.snapshot import dump
from .conftest import AUTHORITY_PASSWORD, Signers, pdftotext
from .forgeries import Genuine, make_signed


@pytest.fixture(scope="module")
def genuine(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Genuine:
    return make_signed(demo_path, tmp_path_factory.mktemp("genuine"))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- no statement before it is true ---------------------------------------------------------
def test_the_first_revision_claims_no_one_else_signed(genuine: Genuine, tmp_path: Path) -> None:
    first = pdftotext(_write(tmp_path, "first.pdf", genuine.first_revision))
    final = pdftotext(_write(tmp_path, "final.pdf", genuine.pdf))
    assert "Digitally signed by Zoë Müller" in first
    assert "Digitally signed by Daniel Okafor" not in first
    assert "Signed by all" not in first and "signed by all" not in first.lower().replace(
        "for signature by 2 signatories", "")
    assert "For signature by 2 signatories" in first
    assert "Digitally signed by Daniel Okafor" in final
    assert "Signed by all 2 signatories of version 1" in final
    verdict = verify_pdf(_write(tmp_path, "first.pdf", genuine.first_revision),
                         [genuine.root_pem])
    assert verdict.outcome is Outcome.NOT_VALID
    assert "not signed by Daniel Okafor: 1 of 2 signatories signed" in verdict.summary()


def test_each_signature_carries_its_own_signing_time(signers: Signers, tmp_path: Path) -> None:
    session = SignOff(signers.workbook, signers.version_id, signers.data_dir)
    first, second = signers.workbook.sla.signatories(signers.version_id)
    session.sign(first.id, signers.identity[first.name], signers.password[first.name],
                 consent=True)
    time.sleep(1.1)
    session.sign(second.id, signers.identity[second.name], signers.password[second.name],
                 consent=True)
    out = tmp_path / "sla.pdf"
    session.finish(out)
    verdict = verify_pdf(out, [identities.authority_pem(signers.workbook) or b""])
    assert verdict.ok, verdict.summary()
    times = [s.signed_at for s in verdict.signatures]
    assert times[0] is not None and times[1] is not None and times[1] > times[0]
    recorded = [s.signed_at for s in signers.workbook.sla.signatories(signers.version_id)]
    assert recorded[0] != recorded[1]


# -- long-term validation -------------------------------------------------------------------
def test_a_signed_sla_validates_a_year_after_it_ends_with_nothing_fetched(
        genuine: Genuine) -> None:
    """pyHanko's validator, at a time one year after the agreement ends, with revocation
    checking required and only what the file embeds (chain and revocation list)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    document = genuine.workbook.sla.version(genuine.version_id)
    ends = document.effective_to or datetime.now(UTC).date().isoformat()
    moment = datetime.fromisoformat(ends).replace(tzinfo=UTC) + timedelta(days=366)
    root = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(
        genuine.root_pem).public_bytes(Encoding.DER))
    reader = PdfFileReader(io.BytesIO(genuine.pdf))
    dss = DocumentSecurityStore.read_dss(reader)
    assert len(dss.crls) >= 1
    for signature in reader.embedded_signatures:
        context = dss.as_validation_context({
            "trust_roots": [root], "allow_fetching": False, "moment": moment,
            "revocation_mode": "hard-fail"})
        status = validate_pdf_signature(signature, context)
        assert status.bottom_line, (signature.field_name, status.trust_problem_indic)


def test_a_certificate_that_expires_too_soon_is_refused_before_signing(
        signers: Signers, tmp_path: Path) -> None:
    workbook = signers.workbook
    _, quarter = workbook.plan.add_quarter("2045Q4")  # the SLA's lead number comes from it
    workbook.plan.add_plan(quarter, "Far plan", revenue_goal=900_000, avg_deal_size=60_000,
                           committed=True, conversions=workbook.plan.suggested_conversions(
                               quarter))
    workbook.sla.set_details(signers.version_id, effective_from="2045-10-01",
                             effective_to="2045-12-31")
    before = dump(signers.workbook)
    session = SignOff(signers.workbook, signers.version_id, signers.data_dir)
    first = signers.workbook.sla.signatories(signers.version_id)[0]
    with pytest.raises(ValidationError) as caught:
        session.sign(first.id, signers.identity[first.name], signers.password[first.name],
                     consent=True)
    assert "less than a year after this agreement ends (2045-12-31)" in caught.value.message
    assert session.pdf is None and dump(signers.workbook) == before


# -- outside identities ---------------------------------------------------------------------
def _outside_p12(path: Path, name: str, password: str) -> tuple[Path, bytes]:
    """A PKCS#12 from another authority (its root in the file): returns it and the root."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Partner Trust CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(7)
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=9000))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = identities.issue_certificate(ca_key, ca, name, "", key,
                                        not_before=now - timedelta(days=1),
                                        not_after=now + timedelta(days=8000))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"outside", key, cert, [ca], BestAvailableEncryption(password.encode())))
    return path, ca.public_bytes(Encoding.PEM)


def test_a_signer_from_another_authority_verifies_once_its_root_is_trusted(
        signers: Signers, tmp_path: Path) -> None:
    daniel = signers.workbook.sla.signatories(signers.version_id)[1]
    p12, partner_root = _outside_p12(tmp_path / "d.p12", daniel.name, "partner key phrase")
    _, imported = identities.import_identity(signers.workbook, signers.data_dir, p12,
                                             "partner key phrase")
    signers.identity[daniel.name] = imported.sha256
    signers.password[daniel.name] = "partner key phrase"
    out = tmp_path / "sla.pdf"
    session = SignOff(signers.workbook, signers.version_id, signers.data_dir)
    for signatory in signers.workbook.sla.signatories(signers.version_id):
        session.sign(signatory.id, signers.identity[signatory.name],
                     signers.password[signatory.name], consent=True)
    session.finish(out)
    ours = identities.authority_pem(signers.workbook) or b""
    only_ours = verify_pdf(out, [ours])
    assert only_ours.outcome is Outcome.UNVERIFIED
    assert [s.trust for s in only_ours.signatures] == [Trust.TRUSTED, Trust.UNVERIFIED]
    both = verify_pdf(out, [ours, partner_root])
    assert both.ok, both.summary()


# -- stored signed bytes --------------------------------------------------------------------
def test_a_stored_signed_pdf_whose_bytes_changed_is_not_handed_out(signers: Signers,
                                                                   tmp_path: Path) -> None:
    sign_out = tmp_path / "sla.pdf"
    session = SignOff(signers.workbook, signers.version_id, signers.data_dir)
    for s in signers.workbook.sla.signatories(signers.version_id):
        session.sign(s.id, signers.identity[s.name], signers.password[s.name], consent=True)
    session.finish(sign_out)
    conn = signers.workbook.db.conn
    conn.execute("DROP TRIGGER sla_documents_frozen_update")  # what a tamperer would do
    conn.execute("UPDATE sla_documents SET pdf = CAST(pdf || x'20' AS BLOB)")
    conn.commit()
    out = tmp_path / "export.pdf"
    assert main(["export", "sla", str(signers.workbook.path), "-o", str(out)]) == 1
    assert not out.exists()
    with pytest.raises(ValidationError, match="not the one that was signed"):
        signers.workbook.sla.signed_pdf(signers.version_id)


# -- key files ------------------------------------------------------------------------------
def test_key_files_resist_guessing(signers: Signers) -> None:
    for path in signers.data_dir.glob("*.p12"):
        assert path.stat().st_mode & 0o777 == 0o600
        pfx = asn1_pkcs12.Pfx.load(path.read_bytes())
        assert pfx["mac_data"]["iterations"].native >= 600_000
        assert pfx["mac_data"]["mac"]["digest_algorithm"]["algorithm"].native == "sha256"
        completed = subprocess.run(["openssl", "pkcs12", "-info", "-noout", "-in", str(path),
                                    "-passin", "pass:wrong"], capture_output=True, text=True)
        assert completed.returncode != 0  # the MAC check refuses a wrong password


def test_a_key_file_is_private_from_its_first_byte_and_follows_no_planted_link(
        blank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    keys = tmp_path / "keys"
    keys.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    for name in ("authority", "signer"):  # the old fixed temporary names
        os.symlink(victim, keys / f".{name}.p12.partial")
    modes: list[int] = []
    real_write = os.write

    def spying_write(handle: int, data: bytes) -> int:
        modes.append(os.fstat(handle).st_mode & 0o777)
        return real_write(handle, data)

    monkeypatch.setattr(os, "write", spying_write)
    identities.create_authority(blank, keys, AUTHORITY_PASSWORD)
    monkeypatch.undo()
    assert modes and set(modes) == {0o600}
    assert victim.read_text() == "untouched"
    assert not [p for p in keys.iterdir() if p.name.endswith(".partial") and not p.is_symlink()]


@pytest.mark.parametrize(("password", "reason"), [
    ("short", "at least 8 characters"),
    ("password1", "easy to guess"),
    ("12345678", "easy to guess"),
    ("Ann Smith 2026", "easy to guess"),
])
def test_a_weak_password_is_refused_and_nothing_is_written(blank, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           password: str, reason: str) -> None:
    identities.create_authority(blank, tmp_path, AUTHORITY_PASSWORD)
    before, files_before = dump(blank), sorted(tmp_path.iterdir())
    with pytest.raises(ValidationError) as caught:
        identities.issue_identity(blank, tmp_path, AUTHORITY_PASSWORD, "Ann Smith", "",
                                  password)
    assert reason in caught.value.message
    assert dump(blank) == before and sorted(tmp_path.iterdir()) == files_before


def test_the_password_rule_counts_more_than_length() -> None:
    assert keyfiles.password_problem("aaaaaaaaaaaaaaaa") is not None  # long, but one letter
    assert keyfiles.password_problem("correct horse battery staple") is None


# -- realistic identities -------------------------------------------------------------------
NAMES = [
    "José María Fernández de la Santísima Trinidad y Rodríguez-Pérez",
    "Zoë Müller-Lüdenscheidt", "李雷", "山田 太郎", "محمد بن عبد الله الهاشمي", "דוד בן-גוריון",
    "Νικόλαος Παπαδόπουλος", "Александра Владимировна Кузнецова-Соколовская", "김민준",
    "Nguyễn Thị Minh Khai", "Siddharth Venkataraman Subramaniam Iyer", "O'Brien <b>&amp;",
    "Åsa Ødegård 🚀", "Ngũgĩ wa Thiong'o", "ศุภชัย ศรีสุข",
]


@pytest.mark.parametrize("company", [
    "Ünïcödé Wörldwide Enterprises GmbH & Co. KG — International Holdings 🚀🌍",
    "株式会社エクサンプル・インターナショナル・ホールディングス・アジア太平洋",
])
def test_real_names_in_many_scripts_sign_and_verify(demo_path: Path, tmp_path: Path,
                                                    company: str) -> None:
    import shutil

    from workbench.workbook import Workbook

    shutil.copy(demo_path, tmp_path / "w.awb")
    workbook = Workbook.open(tmp_path / "w.awb")
    workbook.set_properties(company_name=company)
    version_id = workbook.sla.versions()[-1].id
    for signatory in workbook.sla.signatories(version_id):
        workbook.sla.remove_signatory(signatory.id)
    people = NAMES if company.startswith("Ü") else NAMES[:4]
    for name in people:
        workbook.sla.add_signatory(version_id, name, "Head of Revenue Operations, EMEA",
                                   "shared")
    keys = tmp_path / "keys"
    identities.create_authority(workbook, keys, AUTHORITY_PASSWORD)
    session = SignOff(workbook, version_id, keys)
    for index, signatory in enumerate(workbook.sla.signatories(version_id)):
        email = "anna.łukasik@bücher-müller.example" if index % 2 else "ops@例子.example"
        _, identity = identities.issue_identity(workbook, keys, AUTHORITY_PASSWORD,
                                                signatory.name, email,
                                                "violet harbour lantern signing")
        assert identity.subject == signatory.name  # the full name, however long
        assert identity.email == email
        session.sign(signatory.id, identity.sha256, "violet harbour lantern signing",
                     consent=True)
    out = tmp_path / "sla.pdf"
    session.finish(out)
    verdict = verify_pdf(out, [identities.authority_pem(workbook) or b""])
    assert verdict.ok, verdict.summary()
    assert [s.signer for s in verdict.signatures] == people
    workbook.close()


# -- verify speaks plainly ------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ui", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": ""})


def test_verify_prints_a_line_per_signature_and_no_library_noise(genuine: Genuine,
                                                                 tmp_path: Path) -> None:
    from .forgeries import changed_page_content

    tampered = _write(tmp_path, "tampered.pdf", changed_page_content(genuine))
    root = _write(tmp_path, "root.pem", genuine.root_pem)
    result = _cli("verify", str(tampered), "--trust", str(root))
    assert result.returncode == 1
    assert result.stderr == ""
    lines = result.stdout.strip().splitlines()
    assert lines[0].endswith("NOT VALID")
    assert len(lines) == 3 and all(" — " in line for line in lines[1:])
    assert "Traceback" not in result.stdout


def _with_attachment(genuine: Genuine, data: bytes | None, broken_tree: bool = False) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(genuine.pdf))
    names = writer.root["/Names"]["/EmbeddedFiles"]
    if broken_tree:
        names["/Names"] = generic.ArrayObject([generic.TextStringObject("sla-terms.json"),
                                               generic.NumberObject(42)])
    else:
        for index in range(0, len(names["/Names"]) - 1, 2):
            if str(names["/Names"][index]) == "sla-terms.json":
                spec = names["/Names"][index + 1].get_object()
                spec["/EF"]["/F"] = writer.add_object(generic.StreamObject(stream_data=data))
                writer.update_container(spec)
    writer.update_container(names)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["empty", "garbage", "broken tree", "nested json",
                                  "half a header"])
def test_a_malformed_pdf_gets_one_clear_line(kind: str, genuine: Genuine,
                                             tmp_path: Path) -> None:
    data = {"empty": lambda: b"",
            "garbage": lambda: os.urandom(5000),
            "broken tree": lambda: _with_attachment(genuine, None, broken_tree=True),
            "nested json": lambda: _with_attachment(genuine, b"[" * 200_000 + b"]" * 200_000),
            "half a header": lambda: b"%PDF-1.7\n1 0 obj <<",
            }[kind]()
    path = _write(tmp_path, "bad.pdf", data)
    root = _write(tmp_path, "root.pem", genuine.root_pem)
    result = _cli("verify", str(path), "--trust", str(root))
    assert result.returncode == 1
    assert result.stderr == "" and "Traceback" not in result.stdout
    assert "NOT VALID" in result.stdout.splitlines()[0]
    assert len(result.stdout.strip().splitlines()) <= 6


def test_a_file_signed_before_hashes_were_recorded_gets_its_hash_on_migration(
        signers: Signers, tmp_path: Path) -> None:
    from workbench.workbook import Workbook

    from ..workbench.files import downgraded

    session = SignOff(signers.workbook, signers.version_id, signers.data_dir)
    for s in signers.workbook.sla.signatories(signers.version_id):
        session.sign(s.id, signers.identity[s.name], signers.password[s.name], consent=True)
    session.finish(tmp_path / "sla.pdf")
    path = signers.workbook.path
    assert path is not None
    signers.workbook.close()
    older = tmp_path / "Older.awb"  # the same rows as a file from before migration 0006
    downgraded(path, older, 5)
    path = older
    with Workbook.open(path) as reopened:
        assert reopened.sla.signed_pdf(signers.version_id) == (tmp_path / "sla.pdf").read_bytes()
    assert list(path.parent.glob(f"{path.name}.schema5*.bak"))
