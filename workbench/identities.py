"""Signing identities: the workbook's own small certificate authority and its signers.

The workbook stores public certificates only (`sla_certificates`). Every private key lives
in a password-protected PKCS#12 file in the data folder the caller passes in (the user's
data folder in the app, a temporary folder in tests), named after the certificate's
SHA-256, so one trust root — the workbook's authority — verifies every signature.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import files
from .changes import Changes
from .errors import ValidationError
from .keyfiles import password_problem, pkcs12_bytes
from .x509_names import (
    comparable,
    email_name,
    email_of,
    fit_x509,
    full_name,
    full_name_extension,
    signer_name,
    subject_attributes,
)

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec

    from .workbook import Workbook

# Long enough that an agreement signed today still validates a year after it ends: a
# validator checks certificates at the time it validates, since no time-stamping
# authority is at hand offline (see `check_lifetime`).
AUTHORITY_YEARS = 25
SIGNER_YEARS = 10
VALID_AFTER_END_DAYS = 366  # an agreement's signatures validate a year after it ends


@dataclass(frozen=True)
class Identity:
    """A certificate the workbook knows: its authority's, or a signer's."""

    sha256: str
    kind: str  # "authority" | "signer"
    subject: str
    email: str
    not_after: str
    certificate: bytes  # DER

    @property
    def key_file(self) -> str:
        """The PKCS#12 file's name in the data folder."""
        return f"{self.kind}-{self.sha256[:16]}.p12"


@dataclass(frozen=True)
class SigningKey:
    """An unlocked signer: private key, certificate and the chain up to its root."""

    private_key: Any
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def sha256(self) -> str:
        return _fingerprint(self.certificate)


def identities(workbook: Workbook) -> list[Identity]:
    """Every certificate in the workbook, the authority first."""
    rows = workbook.db.conn.execute(
        "SELECT sha256, kind, subject, email, not_after, certificate FROM sla_certificates "
        "ORDER BY kind = 'signer', created_at, subject").fetchall()
    return [Identity(r[0], r[1], r[2], r[3], r[4], bytes(r[5])) for r in rows]


def authority(workbook: Workbook) -> Identity | None:
    """The workbook's certificate authority, if one was created."""
    return next((i for i in identities(workbook) if i.kind == "authority"), None)


def authority_pem(workbook: Workbook) -> bytes | None:
    """The authority's certificate as PEM, to hand to `verify --trust`."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    root = authority(workbook)
    if root is None:
        return None
    return x509.load_der_x509_certificate(root.certificate).public_bytes(Encoding.PEM)


def create_authority(workbook: Workbook, data_dir: Path, password: str) -> tuple[Changes, Identity]:
    """Create the workbook's certificate authority (EC P-256, ten years).

    Its certificate goes into the workbook; its key into `data_dir`, under `password`.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    _check_new_password("password", password, workbook.properties().company_name)
    if authority(workbook) is not None:
        raise ValidationError("authority", "This workbook already has its signing authority.")
    company = workbook.properties().company_name.strip() or "Alignment Workbench"
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([*subject_attributes(company, " SLA authority"), x509.NameAttribute(
        NameOID.ORGANIZATION_NAME, fit_x509(comparable(company)))])
    full = full_name_extension(f"{company} SLA authority")
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * AUTHORITY_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if full is not None:
        builder = builder.add_extension(full, critical=False)
    cert = builder.sign(key, hashes.SHA256())
    return _store(workbook, data_dir, "authority", key, cert, (), password,
                  "Create signing authority", revocation_list(key, cert))


def issue_certificate(
    ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, name: str, email: str,
    key: ec.EllipticCurvePrivateKey, *, not_before: datetime, not_after: datetime,
    signing: bool = True,
) -> x509.Certificate:
    """A signer certificate issued by the authority. `signing=False` leaves out the
    digitalSignature key usage (such a certificate is refused for signing)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    builder = (
        x509.CertificateBuilder().subject_name(signer_name(name, email))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=signing), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_cert.public_key()), critical=False)  # type: ignore[arg-type]
    )
    full = full_name_extension(name)
    if full is not None:
        builder = builder.add_extension(full, critical=False)
    mailbox = email_name(email)
    if mailbox is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([mailbox]),
                                        critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def issue_identity(
    workbook: Workbook, data_dir: Path, authority_password: str, name: str, email: str,
    password: str,
) -> tuple[Changes, Identity]:
    """Issue a signer an EC P-256 certificate from the workbook's authority.

    The signer's key is saved in `data_dir` under the signer's own `password`.
    """
    from cryptography.hazmat.primitives.asymmetric import ec

    if not name.strip():
        raise ValidationError("name", "A signing identity needs the signer's name.")
    email_name(email)
    _check_new_password("password", password, name, email)
    root = authority(workbook)
    if root is None:
        raise ValidationError("authority", "Create the workbook's signing authority first.")
    ca = _unlock(data_dir / root.key_file, authority_password, "authority_password",
                 "the signing authority")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = issue_certificate(ca.private_key, ca.certificate, name.strip(), email.strip(), key,
                             not_before=now - timedelta(minutes=5),
                             not_after=now + timedelta(days=365 * SIGNER_YEARS))
    crl = None if revocation_list_of(workbook, root.sha256) else revocation_list(
        ca.private_key, ca.certificate)
    return _store(workbook, data_dir, "signer", key, cert, (ca.certificate,), password,
                  "Create signing identity", crl, issuer_sha256=root.sha256)


def import_identity(
    workbook: Workbook, data_dir: Path, p12_path: Path, password: str
) -> tuple[Changes, Identity]:
    """Import an existing PKCS#12 identity: check it can sign, copy it into `data_dir`."""
    unlocked = _unlock(Path(p12_path), password, "password", Path(p12_path).name)
    check_signing_certificate(unlocked.certificate)
    sha = unlocked.sha256
    if any(i.sha256 == sha for i in identities(workbook)):
        raise ValidationError("file", "This certificate is already in the workbook.")
    identity = _identity("signer", unlocked.certificate)
    _write_key(Path(data_dir), identity, Path(p12_path).read_bytes())
    return _insert(workbook, identity, "Import signing identity"), identity


def unlock(workbook: Workbook, data_dir: Path, sha256: str, password: str) -> SigningKey:
    """Unlock a signer's key with their password, checking it may sign today.

    Raises `ValidationError` for an unknown identity, a missing key file, a wrong
    password, or a certificate that is expired or not meant for signing.
    """
    identity = next((i for i in identities(workbook) if i.sha256 == sha256), None)
    if identity is None or identity.kind != "signer":
        raise ValidationError("identity", "That signing identity is not in this workbook.")
    return unlock_key_file(data_dir, identity, password)


def unlock_key_file(data_dir: Path, identity: Identity, password: str) -> SigningKey:
    """`unlock` for an identity already looked up: reads only its key file, so it can run
    off the thread that owns the workbook."""
    key = _unlock(Path(data_dir) / identity.key_file, password, "password", identity.subject)
    check_signing_certificate(key.certificate)
    return key


def check_signing_certificate(cert: x509.Certificate, at: datetime | None = None) -> None:
    """Refuse a certificate that is expired, not yet valid or lacks digitalSignature."""
    from cryptography import x509

    moment = at or datetime.now(UTC)
    who = full_name(cert)
    if cert.not_valid_after_utc < moment:
        raise ValidationError("certificate", f"The certificate of {who} expired on "
                              f"{cert.not_valid_after_utc:%Y-%m-%d}; issue or import a new one.")
    if cert.not_valid_before_utc > moment:
        raise ValidationError("certificate", f"The certificate of {who} is not valid before "
                              f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC.")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not usage.digital_signature:
        raise ValidationError("certificate", f"The certificate of {who} is not meant for "
                              "signing (no digitalSignature key usage).")


def check_lifetime(cert: x509.Certificate, agreement_ends: str | None) -> None:
    """Refuse a certificate that expires before a year after the agreement ends, so
    its signature would stop validating while the agreement still matters."""
    if not agreement_ends:
        return
    ends = datetime.fromisoformat(agreement_ends[:10]).replace(tzinfo=UTC)
    needed = ends + timedelta(days=VALID_AFTER_END_DAYS)
    if cert.not_valid_after_utc < needed:
        raise ValidationError("certificate", (
            f"The certificate of {full_name(cert)} expires on "
            f"{cert.not_valid_after_utc:%Y-%m-%d}, less than a year after this agreement "
            f"ends ({agreement_ends[:10]}): its signature would stop verifying. Issue or "
            "import a certificate that lasts longer."))


def revocation_list(ca_key: Any, ca_cert: x509.Certificate) -> bytes:
    """The authority's certificate revocation list (none revoked), DER, valid as long as
    the authority: signed PDFs embed it so they validate offline for years."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding

    now = datetime.now(UTC)
    crl = (x509.CertificateRevocationListBuilder().issuer_name(ca_cert.subject)
           .last_update(now - timedelta(minutes=5)).next_update(ca_cert.not_valid_after_utc)
           .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
               ca_cert.public_key()), critical=False)  # type: ignore[arg-type]
           .add_extension(x509.CRLNumber(1), critical=False)
           .sign(ca_key, hashes.SHA256()))
    return crl.public_bytes(Encoding.DER)


def revocation_list_of(workbook: Workbook, issuer_sha256: str) -> bytes | None:
    """The stored revocation list of the authority with this fingerprint, DER, or None."""
    row = workbook.db.conn.execute(
        "SELECT crl FROM sla_revocation_lists WHERE issuer_sha256 = ?",
        (issuer_sha256,)).fetchone()
    return bytes(row[0]) if row else None


def _crl_next_update(crl: bytes) -> str:
    from cryptography import x509

    moment = x509.load_der_x509_crl(crl).next_update_utc
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


# -- internals ----------------------------------------------------------------------------
def _key_usage(*, signing: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=signing, content_commitment=signing, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
        crl_sign=cert_sign, encipher_only=False, decipher_only=False)


def _check_new_password(field: str, password: str, *context: str) -> None:
    problem = password_problem(password, *context)
    if problem:
        raise ValidationError(field, problem)


def _unlock(path: Path, password: str, field: str, what: str) -> SigningKey:
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not path.is_file():
        raise ValidationError(field, f"The key file for {what} is missing ({path}).")
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            path.read_bytes(), password.encode("utf-8"))
    except ValueError:
        raise ValidationError(field, f"Wrong password for {what}.") from None
    if key is None or cert is None:
        raise ValidationError(field, f"{path.name} holds no private key and certificate.")
    return SigningKey(key, cert, tuple(extra or ()))


def _store(workbook: Workbook, data_dir: Path, kind: str, key: Any, cert: x509.Certificate,
           chain: tuple[x509.Certificate, ...], password: str, step: str,
           crl: bytes | None = None, *, issuer_sha256: str | None = None,
           ) -> tuple[Changes, Identity]:
    identity = _identity(kind, cert)
    _write_key(Path(data_dir), identity, pkcs12_bytes(identity.subject, key, cert,
                                                      list(chain), password))
    with workbook.step(step) as rec:
        _insert_row(workbook, rec, identity)
        if crl is not None:
            workbook.insert(rec, "sla_revocation_lists", {
                "issuer_sha256": issuer_sha256 or identity.sha256, "crl": crl,
                "next_update": _crl_next_update(crl)}, "revocation list")
    return rec.changes, identity


def _write_key(data_dir: Path, identity: Identity, blob: bytes) -> None:
    """Write a key file, private from its first byte; `ValidationError` when it cannot."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        files.write_atomic(data_dir / identity.key_file, blob, private=True)
    except OSError as error:
        raise ValidationError("file", f"The key file cannot be written in {data_dir} "
                              f"({error.strerror}).") from None


def _insert(workbook: Workbook, identity: Identity, step: str) -> Changes:
    with workbook.step(step) as rec:
        _insert_row(workbook, rec, identity)
    return rec.changes


def _insert_row(workbook: Workbook, rec: Any, identity: Identity) -> None:
    workbook.insert(rec, "sla_certificates", {
        "sha256": identity.sha256, "kind": identity.kind, "subject": identity.subject,
        "email": identity.email, "not_after": identity.not_after,
        "certificate": identity.certificate}, "certificate")


def _identity(kind: str, cert: x509.Certificate) -> Identity:
    from cryptography.hazmat.primitives.serialization import Encoding

    email = email_of(cert)
    return Identity(_fingerprint(cert), kind, full_name(cert), email,
                    cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    cert.public_bytes(Encoding.DER))


def _fingerprint(cert: x509.Certificate) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding

    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()
