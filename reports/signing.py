"""Sign-off: signers sign an SLA version in order, each with their own PAdES signature
applied at the moment they sign (pyHanko).

`SignOff` is the whole flow without a window. The first signature lays out the PDF for
signature — stating only what is true before anyone signs — creates every signature field
and the completion record's field, embeds the terms (JSON), and certifies the document,
allowing only form filling (the later signatures and the record). Each later signer adds
their signature as an incremental revision; the last one's revision also fills in the
completion record. Each signature carries its chain and the authority's revocation list,
so it validates offline for years. `finish()` records the sign-off in the workbook and
writes the file atomically; until then nothing is recorded.

A window runs `prepare()` on its GUI thread (it reads the workbook) and `apply()` on a
worker (key unlocking and signing); `sign()` does both, for scripts and tests.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import files, identities
from workbench.errors import ValidationError
from workbench.model import Signatory, SlaStatus, SlaVersionId
from workbench.sla_terms import (
    SlaDocument,
    build_document,
    check_definitions,
    check_required,
)
from workbench.x509_names import full_name

from . import pdf_fields
from .sla_pdf import build_sla_pdf
from .sla_signature_pages import (
    ATTACHMENT_NAME,
    COMPLETION_FIELD,
    SignatureBlock,
    SignatureSlot,
    SignedMark,
    completion_pdf,
    completion_text,
    field_name,
    stamp_pdf,
)

if TYPE_CHECKING:
    from workbench.changes import Changes
    from workbench.identities import Identity, SigningKey
    from workbench.workbook import Workbook

AUTHORITY_ATTACHMENT = "sla-authority.pem"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class SignedAgreement:
    """The outcome of a sign-off: where the PDF is and what was signed."""

    path: Path
    version: int
    content_sha256: str
    signers: tuple[str, ...]


@dataclass(frozen=True)
class PendingSignature:
    """A signer's checked turn, consent and chosen identity, ready to be applied."""

    signatory: Signatory
    identity: Identity
    password: str
    image_png: bytes | None


class SignOff:
    """One sign-off of a draft SLA version, signer by signer, on one computer."""

    def __init__(self, workbook: Workbook, version_id: SlaVersionId, data_dir: Path) -> None:
        version = workbook.sla.version(version_id)
        if version.status is not SlaStatus.DRAFT:
            raise ValidationError("version", f"Version {version.number} is already signed.")
        self.document = build_document(workbook, version_id)
        check_required(self.document)
        check_definitions(self.document)
        self.signatories = workbook.sla.signatories(version_id)
        if not self.signatories:
            raise ValidationError("signatory", "Name the signatories before signing.")
        self._wb, self._version_id, self._data_dir = workbook, version_id, Path(data_dir)
        root = identities.authority(workbook)
        self._root_der = root.certificate if root else None
        self._crls = [crl for crl in (identities.revocation_list_of(workbook, root.sha256)
                                      if root else None,) if crl]
        self._marks: list[SignedMark] = []
        self._keys: list[str] = []
        self._pdf: bytes | None = None
        self._slots: list[SignatureSlot] = []

    @property
    def next_signatory(self) -> Signatory | None:
        """Who signs next, or None when everyone has signed."""
        done = len(self._marks)
        return self.signatories[done] if done < len(self.signatories) else None

    @property
    def pdf(self) -> bytes | None:
        """The PDF as signed so far (None before the first signature)."""
        return self._pdf

    @property
    def signed_pdf(self) -> bytes | None:
        """The PDF signed by everyone, or None while someone has still to sign."""
        return self._pdf if self.next_signatory is None else None

    def sign(self, signatory_id: int, identity_sha256: str, password: str, *,
             consent: bool, image_png: bytes | None = None) -> None:
        """One signer signs now: `prepare` then `apply`."""
        self.apply(self.prepare(signatory_id, identity_sha256, password, consent=consent,
                                image_png=image_png))

    def prepare(self, signatory_id: int, identity_sha256: str, password: str, *,
                consent: bool, image_png: bytes | None = None) -> PendingSignature:
        """Check one signer's turn, consent, drawing and identity (reads the workbook).

        Raises `ValidationError` with a message for the signer; nothing is kept then.
        """
        expected = self.next_signatory
        if expected is None:
            raise ValidationError("signatory", "Everyone has signed already.")
        if signatory_id != expected.id:
            who = next((s.name for s in self.signatories if s.id == signatory_id), "They")
            raise ValidationError("signatory", f"It is {expected.name}'s turn to sign; {who} "
                                  "signs in the agreed order.")
        if not consent:
            raise ValidationError("consent", f"Tick “I agree to version {self.document.version}"
                                  " of this SLA” to sign.")
        if image_png is not None and not image_png.startswith(PNG_MAGIC):
            raise ValidationError("image", "The drawn signature must be a PNG image.")
        identity = next((i for i in identities.identities(self._wb)
                         if i.sha256 == identity_sha256), None)
        if identity is None or identity.kind != "signer":
            raise ValidationError("identity", "That signing identity is not in this workbook.")
        if identity.sha256 in self._keys:
            raise ValidationError("identity", "Each signatory signs with their own certificate.")
        return PendingSignature(expected, identity, password, image_png)

    def apply(self, pending: PendingSignature) -> bytes:
        """Unlock the signer's key and sign the PDF now; returns the PDF so far.

        Reads nothing from the workbook, so a window can run it on a worker thread. Raises
        `ValidationError` (wrong password, unusable certificate, signing failure) and then
        leaves the sign-off as it was.
        """
        if pending.signatory != self.next_signatory:
            raise ValidationError("signatory", "This signature is no longer the next one.")
        key = identities.unlock_key_file(self._data_dir, pending.identity, pending.password)
        identities.check_lifetime(key.certificate, self.document.effective_to)
        signed_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        block = _block(pending.signatory)
        mark = SignedMark(block, signed_at, key.sha256, full_name(key.certificate),
                          _root_sha256(key), pending.image_png)
        last = len(self._marks) == len(self.signatories) - 1
        try:
            with quiet_pyhanko():
                pdf = self._signed(key, mark, last=last)
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 - pyHanko and asn1crypto raise many kinds
            raise ValidationError("signature", f"The PDF could not be signed ({error}).") \
                from None
        self._pdf = pdf
        self._marks.append(mark)
        self._keys.append(key.sha256)
        return pdf

    def finish(self, out_path: Path) -> SignedAgreement:
        """Record the completed sign-off, then write `out_path` atomically."""
        pdf = self.signed_pdf
        if pdf is None:
            waiting = self.next_signatory.name if self.next_signatory else "everyone"
            raise ValidationError("signatory", f"Waiting for {waiting} to sign.")
        self.record(pdf)
        write_atomic(Path(out_path), pdf)
        return SignedAgreement(Path(out_path), self.document.version,
                               self.document.content_sha256,
                               tuple(m.block.name for m in self._marks))

    def record(self, pdf: bytes) -> Changes:
        """Record the completed sign-off and its signed PDF in the workbook."""
        by_order = {s.position + 1: s for s in self.signatories}
        return self._wb.sla.record_signing(
            self._version_id,
            [(by_order[m.block.order].id, m.signed_at, m.certificate_sha256)
             for m in self._marks],
            self.document.to_json(), self.document.content_sha256, pdf)

    # -- the PDF --------------------------------------------------------------------------
    def _signed(self, key: SigningKey, mark: SignedMark, *, last: bool) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        if self._pdf is None:
            writer, self._slots = self._prepared_writer()
        else:
            writer = IncrementalPdfFileWriter(io.BytesIO(self._pdf))
        slot = next(s for s in self._slots if s.field_name == field_name(mark.block.order))
        if last:
            place = next(s for s in self._slots if s.field_name == COMPLETION_FIELD)
            marks = [*self._marks, mark]
            pdf_fields.fill_text_field(
                writer, COMPLETION_FIELD, completion_text(self.document, marks),
                completion_pdf(self.document, marks, place.size))
        return _sign_one(writer, key, mark, self.document, slot,
                         certify=not self._marks, crls=self._crls)

    def _prepared_writer(self) -> tuple[Any, list[SignatureSlot]]:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign.fields import SigFieldSpec, append_signature_field

        root_sha = _sha256(self._root_der) if self._root_der else None
        base, slots = build_sla_pdf(self.document, root_sha256=root_sha, for_signature=True)
        writer = IncrementalPdfFileWriter(io.BytesIO(base))
        for slot in slots:
            if slot.field_name == COMPLETION_FIELD:
                pdf_fields.add_text_field(writer, slot.field_name, slot.page_index, slot.box)
            else:
                append_signature_field(writer, SigFieldSpec(
                    slot.field_name, on_page=slot.page_index, box=slot.box))
        attach(writer, ATTACHMENT_NAME, self.document.to_json().encode("utf-8"),
               "application/json", "The agreement's terms, for import into another workbook")
        if self._root_der:
            attach(writer, AUTHORITY_ATTACHMENT, _pem(self._root_der), "application/x-pem-file",
                   "The workbook's signing authority (root certificate); trust it only "
                   "after comparing its fingerprint")
        return writer, slots


def _block(signatory: Signatory) -> SignatureBlock:
    return SignatureBlock(signatory.position + 1, signatory.name, signatory.title,
                          signatory.team)


def _sign_one(writer: Any, key: SigningKey, mark: SignedMark, document: SlaDocument,
              slot: SignatureSlot, *, certify: bool, crls: list[bytes]) -> bytes:
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.sign import fields
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
    from pyhanko.stamp import StaticStampStyle

    context = _validation_context(key, crls)
    meta = PdfSignatureMetadata(
        field_name=slot.field_name, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        reason=f"Agrees to version {document.version} (terms SHA-256 "
               f"{document.content_sha256})",
        name=mark.block.name, embed_validation_info=context is not None,
        validation_context=context)
    # The stamp is drawn at the slot's size: placed without pyHanko's default 5 pt margins,
    # which would shrink it (and its text) to 88 %.
    style = StaticStampStyle(background=pdf_fields.PdfBytesPage(stamp_pdf(mark, slot.size)),
                             border_width=0, background_opacity=1.0,
                             background_layout=SimpleBoxLayoutRule(
                                 x_align=AxisAlignment.ALIGN_MID,
                                 y_align=AxisAlignment.ALIGN_MID, margins=Margins.uniform(0)))
    pdf_signer = PdfSigner(meta, _signer(key), stamp_style=style)
    out = pdf_signer.sign_pdf(writer, existing_fields_only=True)
    return bytes(out.getvalue())


def _validation_context(key: SigningKey, crls: list[bytes]) -> Any:
    """The chain and revocation lists to embed, when the signer's file holds its root
    (an outside identity without its root is signed without them)."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko_certvalidator import ValidationContext

    roots = _roots(key)
    if not roots:
        return None
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(r.public_bytes(Encoding.DER)) for r in roots],
        other_certs=[asn1_x509.Certificate.load(c.public_bytes(Encoding.DER))
                     for c in key.chain if c not in roots],
        crls=[asn1_crl.CertificateList.load(c) for c in crls], allow_fetching=False,
        revocation_mode="soft-fail")


def _roots(key: SigningKey) -> list[Any]:
    """The self-signed certificates in the signer's chain."""
    return [c for c in key.chain if c.subject == c.issuer]


def _root_sha256(key: SigningKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding

    roots = _roots(key)
    top = roots[0] if roots else (key.chain[-1] if key.chain else key.certificate)
    return _sha256(top.public_bytes(Encoding.DER))


def _signer(key: SigningKey) -> Any:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    private = asn1_keys.PrivateKeyInfo.load(key.private_key.private_bytes(
        Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
    chain = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in key.chain]
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(key.certificate.public_bytes(Encoding.DER)),
        signing_key=private, cert_registry=SimpleCertificateStore.from_certs(chain))


class quiet_pyhanko:  # noqa: N801 - used as a statement: with quiet_pyhanko(): ...
    """Keep pyHanko's and its validator's log lines (warnings about fetching, tracebacks of
    findings it reports anyway) out of the user's terminal; our verdict says it all."""

    NAMES = ("pyhanko", "pyhanko_certvalidator")

    def __enter__(self) -> None:
        self.levels = [logging.getLogger(name).level for name in self.NAMES]
        for name in self.NAMES:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)

    def __exit__(self, *exc: object) -> None:
        for name, level in zip(self.NAMES, self.levels, strict=True):
            logging.getLogger(name).setLevel(level)


def attach(writer: object, name: str, data: bytes, mime_type: str, description: str) -> None:
    """Embed a file (an attachment) in the PDF being written."""
    from pyhanko.pdf_utils import embed

    spec = embed.FileSpec(
        file_spec_string=name, file_name=name, description=description,
        embedded_data=embed.EmbeddedFileObject.from_file_data(
            writer, data=data, mime_type=mime_type,  # type: ignore[arg-type]
            params=embed.EmbeddedFileParams(embed_size=True)))
    embed.embed_file(writer, spec)  # type: ignore[arg-type]


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a fresh temporary file, then rename: no half-written PDF, and no
    symbolic link followed. Raises `ValidationError` naming the file."""
    try:
        files.write_atomic(Path(path), data)
    except OSError as error:
        raise ValidationError("file", f"{path}: cannot be written ({error.strerror}).") from None


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _pem(der: bytes) -> bytes:
    import base64

    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines)
            + "\n-----END CERTIFICATE-----\n").encode("ascii")
