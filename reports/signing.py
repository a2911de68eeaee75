"""Sign-off: signers sign an SLA version in order, and the PDF gets one PAdES signature
per signer (pyHanko).

`SignOff` is the whole flow without a window: `sign()` checks one signer's turn, consent,
password and certificate and holds their unlocked key; `finish()` lays out the PDF with
every signer's block and the completion page, creates all signature fields and embeds the
terms (JSON) before the first signature, signs in order (the first signer certifies,
allowing only form filling, i.e. the later signatures), records the sign-off in the
workbook and writes the file through a temporary name. Any failure leaves no PDF behind.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import identities
from workbench.errors import ValidationError
from workbench.model import Signatory, SlaStatus, SlaVersionId
from workbench.sla_terms import SlaDocument, build_document, check_required

from .sla_pdf import ATTACHMENT_NAME, SignatureBlock, build_sla_pdf

if TYPE_CHECKING:
    from workbench.changes import Changes
    from workbench.identities import SigningKey
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
class _Signature:
    signatory: Signatory
    key: SigningKey
    signed_at: str
    image_png: bytes | None


class SignOff:
    """One sign-off of a draft SLA version, signer by signer, on one computer."""

    def __init__(self, workbook: Workbook, version_id: SlaVersionId, data_dir: Path) -> None:
        version = workbook.sla.version(version_id)
        if version.status is not SlaStatus.DRAFT:
            raise ValidationError("version", f"Version {version.number} is already signed.")
        self.document = build_document(workbook, version_id)
        check_required(self.document)
        self.signatories = workbook.sla.signatories(version_id)
        if not self.signatories:
            raise ValidationError("signatory", "Name the signatories before signing.")
        self._wb, self._version_id, self._data_dir = workbook, version_id, Path(data_dir)
        self._signatures: list[_Signature] = []

    @property
    def next_signatory(self) -> Signatory | None:
        """Who signs next, or None when everyone has signed."""
        done = len(self._signatures)
        return self.signatories[done] if done < len(self.signatories) else None

    def sign(self, signatory_id: int, identity_sha256: str, password: str, *,
             consent: bool, image_png: bytes | None = None) -> None:
        """One signer signs: their turn, their consent, their password, their certificate.

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
        key = identities.unlock(self._wb, self._data_dir, identity_sha256, password)
        if any(s.key.sha256 == key.sha256 for s in self._signatures):
            raise ValidationError("identity", "Each signatory signs with their own certificate.")
        signed_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._signatures.append(_Signature(expected, key, signed_at, image_png))

    def finish(self, out_path: Path) -> SignedAgreement:
        """Build and sign the PDF, record the sign-off, then write `out_path` atomically."""
        root = identities.authority(self._wb)
        pdf = self.signed_pdf(root.certificate if root else None)
        self.record(pdf)
        write_atomic(Path(out_path), pdf)
        return SignedAgreement(Path(out_path), self.document.version,
                               self.document.content_sha256,
                               tuple(s.signatory.name for s in self._signatures))

    def signed_pdf(self, root_der: bytes | None) -> bytes:
        """The PDF signed by everyone, in order. Reads nothing from the workbook, so a
        window can run it off its GUI thread (`root_der`: the authority's certificate)."""
        if self.next_signatory is not None:
            raise ValidationError("signatory",
                                  f"Waiting for {self.next_signatory.name} to sign.")
        return sign_agreement(self.document, [
            (SignatureBlock(s.signatory.position + 1, s.signatory.name, s.signatory.title,
                            s.signatory.team, s.signed_at, s.key.sha256, s.image_png), s.key)
            for s in self._signatures], root_der)

    def record(self, pdf: bytes) -> Changes:
        """Record the completed sign-off and its signed PDF in the workbook."""
        return self._wb.sla.record_signing(
            self._version_id,
            [(s.signatory.id, s.signed_at, s.key.sha256) for s in self._signatures],
            self.document.to_json(), self.document.content_sha256, pdf)


def sign_agreement(document: SlaDocument, signers: list[tuple[SignatureBlock, SigningKey]],
                   root_der: bytes | None) -> bytes:
    """The SLA PDF signed by each signer in order; returns the final bytes."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    blocks = [block for block, _ in signers]
    root_sha = _sha256(root_der) if root_der else None
    base, slots = build_sla_pdf(document, blocks, root_sha256=root_sha)
    writer = IncrementalPdfFileWriter(io.BytesIO(base))
    for slot in slots:
        append_signature_field(writer, SigFieldSpec(slot.field_name, on_page=slot.page_index,
                                                    box=slot.box))
    attach(writer, ATTACHMENT_NAME, document.to_json().encode("utf-8"), "application/json",
           "The agreement's terms, for import into another workbook")
    if root_der:
        attach(writer, AUTHORITY_ATTACHMENT, _pem(root_der), "application/x-pem-file",
               "The agreement's signing authority (root certificate)")
    data = b""
    for index, (block, key) in enumerate(signers):
        if index:
            writer = IncrementalPdfFileWriter(io.BytesIO(data))
        data = _sign_one(writer, block, key, document, certify=index == 0)
    return data


def _sign_one(writer: Any, block: SignatureBlock, key: SigningKey,
              document: SlaDocument, *, certify: bool) -> bytes:
    from pyhanko.sign import fields
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner

    from .sla_pdf import field_name

    meta = PdfSignatureMetadata(
        field_name=field_name(block.order), md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        reason=f"Agrees to version {document.version} (terms SHA-256 "
               f"{document.content_sha256})",
        name=block.name)
    pdf_signer = PdfSigner(meta, _signer(key), stamp_style=_stamp_style())
    out = pdf_signer.sign_pdf(writer, existing_fields_only=True)
    return bytes(out.getvalue())


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


def _stamp_style() -> Any:
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(stamp_text="Digitally signed (PAdES)\n%(ts)s", border_width=0,
                          background=None, text_box_style=TextBoxStyle(font_size=7),
                          timestamp_format="%Y-%m-%d %H:%M:%S %Z")


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
    """Write under a temporary name in the same folder, then rename: no half-written PDF."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
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
