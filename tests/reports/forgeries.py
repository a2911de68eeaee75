"""An attacker's toolkit: forged and tampered versions of a genuinely signed SLA.

Each builder takes the genuine material (`Genuine`) and returns the bytes of a PDF that
someone might present as signed. The suite in test_forgeries.py runs our `verify` and
pyHanko's own command-line validator on each.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from reports.signing import SignOff, quiet_pyhanko
from reports.sla_signature_pages import SignatureBlock, SignedMark
from workbench import identities
from workbench.identities import SigningKey
from workbench.workbook import Workbook

CA_PASSWORD = "lantern authority quill"
SIGNER_PASSWORD = "signer harbour violet"


@dataclass
class Genuine:
    """A demo workbook, its authority, one identity per signatory, and the signed PDF."""

    workbook: Workbook
    keys: Path
    version_id: Any
    identity: dict[str, str]
    pdf: bytes
    first_revision: bytes  # the PDF after the first signature only
    root_pem: bytes

    def ca(self) -> tuple[Any, x509.Certificate]:
        root = identities.authority(self.workbook)
        assert root is not None
        key, cert, _ = pkcs12.load_key_and_certificates(
            (self.keys / root.key_file).read_bytes(), CA_PASSWORD.encode())
        assert cert is not None
        return key, cert

    def signer_key(self, name: str) -> SigningKey:
        return identities.unlock(self.workbook, self.keys, self.identity[name],
                                 SIGNER_PASSWORD)


def make_signed(demo_path: Path, folder: Path) -> Genuine:
    """Sign the demo's draft with both signatories, keeping the first revision too."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Demo.awb"
    shutil.copy(demo_path, path)
    workbook = Workbook.open(path)
    keys = folder / "keys"
    identities.create_authority(workbook, keys, CA_PASSWORD)
    version_id = workbook.sla.versions()[-1].id
    known = {}
    for signatory in workbook.sla.signatories(version_id):
        _, made = identities.issue_identity(workbook, keys, CA_PASSWORD, signatory.name, "",
                                            SIGNER_PASSWORD)
        known[signatory.name] = made.sha256
    session = SignOff(workbook, version_id, keys)
    first = b""
    for signatory in workbook.sla.signatories(version_id):
        session.sign(signatory.id, known[signatory.name], SIGNER_PASSWORD, consent=True)
        first = first or bytes(session.pdf or b"")
    pdf = bytes(session.signed_pdf or b"")
    return Genuine(workbook, keys, version_id, known, pdf, first,
                   identities.authority_pem(workbook) or b"")


# -- tampering with the bytes ---------------------------------------------------------------
def flipped_byte(g: Genuine) -> bytes:
    data = bytearray(g.pdf)
    data[data.find(b"stream", 3000) + 200] ^= 0x20
    return bytes(data)


def truncated(g: Genuine) -> bytes:
    return g.pdf[: len(g.pdf) * 2 // 3]


def cut_back(g: Genuine) -> bytes:
    return g.first_revision


# -- incremental updates after signing ------------------------------------------------------
def _update(g: Genuine, change: Callable[[IncrementalPdfFileWriter], None]) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(g.pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def changed_page_content(g: Genuine) -> bytes:
    def change(writer: IncrementalPdfFileWriter) -> None:
        page = writer.root["/Pages"]["/Kids"][2].get_object()
        page["/Contents"] = writer.add_object(generic.StreamObject(
            stream_data=b"BT /F1 24 Tf 72 700 Td (Marketing delivers 5 leads) Tj ET"))
        writer.update_container(page)
    return _update(g, change)


def added_page(g: Genuine) -> bytes:
    def change(writer: IncrementalPdfFileWriter) -> None:
        pages = writer.root["/Pages"]
        page = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/Parent"): writer.root.raw_get("/Pages"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (0, 0, 595, 842)]),
            generic.NameObject("/Contents"): writer.add_object(generic.StreamObject(
                stream_data=b"BT /F1 18 Tf 72 700 Td (Addendum: no follow-up needed) Tj ET"))})
        pages["/Kids"].append(writer.add_object(page))
        pages["/Count"] = generic.NumberObject(int(pages["/Count"]) + 1)
        writer.update_container(pages)
    return _update(g, change)


def added_annotation(g: Genuine) -> bytes:
    def change(writer: IncrementalPdfFileWriter) -> None:
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        note = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (72, 600, 400, 650)]),
            generic.NameObject("/Contents"): generic.TextStringObject("VOID — not agreed"),
            generic.NameObject("/DA"): generic.TextStringObject("/Helv 20 Tf 1 0 0 rg")})
        annots = page.get("/Annots")
        if annots is None:
            page["/Annots"] = generic.ArrayObject()
        page["/Annots"].append(writer.add_object(note))
        writer.update_container(page)
    return _update(g, change)


def replaced_attachment(g: Genuine) -> bytes:
    def change(writer: IncrementalPdfFileWriter) -> None:
        names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for index in range(0, len(names) - 1, 2):
            if str(names[index]) == "sla-terms.json":
                spec = names[index + 1].get_object()
                spec["/EF"]["/F"] = writer.add_object(generic.StreamObject(
                    {generic.NameObject("/Type"): generic.NameObject("/EmbeddedFile")},
                    stream_data=b'{"format": 1, "document": {"parties": []}}'))
                writer.update_container(spec)
    return _update(g, change)


def removed_field(g: Genuine) -> bytes:
    def change(writer: IncrementalPdfFileWriter) -> None:
        form = writer.root["/AcroForm"]
        kept = [f for f in form["/Fields"] if f.get_object().get("/T") != "Completion"]
        form["/Fields"] = generic.ArrayObject(kept)
        writer.update_container(form)
    return _update(g, change)


def changed_title(g: Genuine) -> bytes:
    def change(writer: IncrementalPdfFileWriter) -> None:
        info = writer.trailer["/Info"]
        info[generic.NameObject("/Title")] = generic.TextStringObject("VOID")
        writer.update_container(info)
    return _update(g, change)


def changed_xmp(g: Genuine) -> bytes:
    def change(writer: IncrementalPdfFileWriter) -> None:
        packet = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta '
                  b'xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                  b'22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.'
                  b'org/dc/elements/1.1/"><dc:title>VOID</dc:title></rdf:Description>'
                  b'</rdf:RDF></x:xmpmeta><?xpacket end="r"?>')
        writer._update_meta = lambda: None  # type: ignore[method-assign]  # keep ours
        writer.root["/Metadata"] = writer.add_object(generic.StreamObject(
            {generic.NameObject("/Type"): generic.NameObject("/Metadata"),
             generic.NameObject("/Subtype"): generic.NameObject("/XML")}, stream_data=packet))
        writer.update_root()
    return _update(g, change)


# -- forged certificates --------------------------------------------------------------------
def _certificate(subject: str, issuer: x509.Name, issuer_key: Any, key: Any, *,
                 not_after: datetime | None = None,
                 aki_from: Any = None) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(days=30))
               .not_valid_after(not_after or now + timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(
                   digital_signature=True, content_commitment=True, key_encipherment=False,
                   data_encipherment=False, key_agreement=False, key_cert_sign=False,
                   crl_sign=False, encipher_only=False, decipher_only=False), critical=True))
    if aki_from is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_from), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _second_signature_as(g: Genuine, key: SigningKey) -> bytes:
    """A genuine first signature, then Daniel's made with `key`, stamped and with the
    completion record filled in exactly as the app would (the attacker has the app)."""
    from unittest import mock

    session = SignOff(g.workbook, g.version_id, g.keys)
    zoe, daniel = g.workbook.sla.signatories(g.version_id)
    session.sign(zoe.id, g.identity[zoe.name], SIGNER_PASSWORD, consent=True)
    mark = SignedMark(SignatureBlock(2, daniel.name, daniel.title, daniel.team),
                      datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                      key.sha256, daniel.name, "0" * 64)
    with quiet_pyhanko(), mock.patch("reports.signing._validation_context",
                                     return_value=None):
        return session._signed(key, mark, last=True)


def root_of_same_name(g: Genuine) -> bytes:
    """A whole new authority under the workbook authority's own name signs as Daniel."""
    _, real = g.ca()
    fake_key = ec.generate_private_key(ec.SECP256R1())
    fake_root = (x509.CertificateBuilder().subject_name(real.subject).issuer_name(real.subject)
                 .public_key(fake_key.public_key()).serial_number(real.serial_number)
                 .not_valid_before(real.not_valid_before_utc)
                 .not_valid_after(real.not_valid_after_utc)
                 .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                 .sign(fake_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate("Daniel Okafor", fake_root.subject, fake_key, key,
                        aki_from=fake_key.public_key())
    return _second_signature_as(g, SigningKey(key, cert, (fake_root,)))


def issuer_forged(g: Genuine) -> bytes:
    """Names the real root as issuer (and its key id), but signed by another key."""
    _, real = g.ca()
    other = ec.generate_private_key(ec.SECP256R1())
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate("Daniel Okafor", real.subject, other, key,
                        aki_from=real.public_key())
    return _second_signature_as(g, SigningKey(key, cert, (real,)))


def expired_signer(g: Genuine) -> bytes:
    """A certificate the real authority issued, expired since yesterday."""
    ca_key, real = g.ca()
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate("Daniel Okafor", real.subject, ca_key, key,
                        not_after=datetime.now(UTC) - timedelta(days=1),
                        aki_from=real.public_key())
    return _second_signature_as(g, SigningKey(key, cert, (real,)))


def issued_by_end_entity(g: Genuine) -> bytes:
    """Zoë's own (end-entity) key issues a certificate for "Daniel Okafor"."""
    zoe = g.signer_key("Zoë Müller")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate("Daniel Okafor", zoe.certificate.subject, zoe.private_key, key,
                        aki_from=zoe.certificate.public_key())
    return _second_signature_as(g, SigningKey(key, cert, (zoe.certificate, *zoe.chain)))


def swapped_certificate(g: Genuine) -> bytes:
    """The first signature's CMS carries another certificate with the same name."""
    from asn1crypto import cms
    from asn1crypto import x509 as asn1_x509

    reader = PdfFileReader(io.BytesIO(g.pdf))
    sig = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)[0]
    start = sig.byte_range[0] + sig.byte_range[1] + 1  # after "<"
    end = sig.byte_range[2] - 1
    content = cms.ContentInfo.load(bytes.fromhex(g.pdf[start:end].decode("ascii")))
    _, real = g.ca()
    other_key = ec.generate_private_key(ec.SECP256R1())
    genuine_cert = sig.signer_cert
    impostor = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                            "Zoë Müller")]))
                .issuer_name(real.subject).public_key(other_key.public_key())
                .serial_number(genuine_cert.serial_number)
                .not_valid_before(datetime.now(UTC) - timedelta(days=1))
                .not_valid_after(datetime.now(UTC) + timedelta(days=3650))
                .sign(other_key, hashes.SHA256()))
    signed = content["content"]
    certs = list(signed["certificates"])
    index = next(i for i, c in enumerate(certs)
                 if c.chosen.serial_number == genuine_cert.serial_number)
    certs[index] = cms.CertificateChoices(
        name="certificate", value=asn1_x509.Certificate.load(impostor.public_bytes(
            Encoding.DER)))
    signed["certificates"] = certs
    swapped = content.dump(force=True).hex().encode("ascii")
    swapped = swapped + b"0" * (end - start - len(swapped))
    return g.pdf[:start] + swapped + g.pdf[end:]


def strangers_extra_signature(g: Genuine) -> bytes:
    """After everyone signed, a stranger adds a field and signs it."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate("Mallory", x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                                 "Mallory")]), key, key)
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            Encoding.DER, PrivateFormat.PKCS8, NoEncryption())),
        cert_registry=SimpleCertificateStore())
    writer = IncrementalPdfFileWriter(io.BytesIO(g.pdf))
    meta = PdfSignatureMetadata(field_name="Signature3", md_algorithm="sha256",
                                subfilter=fields.SigSeedSubFilter.PADES)
    out = PdfSigner(meta, signer, new_field_spec=fields.SigFieldSpec(
        "Signature3", on_page=0, box=(20, 20, 120, 60))).sign_pdf(writer)
    return bytes(out.getvalue())


FORGERIES: dict[str, Callable[[Genuine], bytes]] = {
    "a flipped byte": flipped_byte,
    "an incremental change to page content": changed_page_content,
    "a page added": added_page,
    "an annotation added": added_annotation,
    "a replaced attachment": replaced_attachment,
    "a removed field": removed_field,
    "a new title (document information)": changed_title,
    "a new title (XMP metadata)": changed_xmp,
    "a swapped certificate": swapped_certificate,
    "a truncated file": truncated,
    "a cut-back revision": cut_back,
    "a stranger's extra signature": strangers_extra_signature,
    "a root of the same name": root_of_same_name,
    "an issuer signed by another key": issuer_forged,
    "an expired signer certificate": expired_signer,
    "a certificate issued by an end-entity key": issued_by_end_entity,
}


def pyhanko_cli(pdf: Path, root: Path) -> tuple[bool, str]:
    """pyHanko's own command-line validator with only `root` trusted: (every signature
    judged valid, its one-line-per-signature output)."""
    executable = shutil.which("pyhanko") or str(Path(__file__).parents[2] / ".venv/bin/pyhanko")
    result = subprocess.run(
        [executable, "sign", "validate", "--no-revocation-check", "--trust", str(root),
         "--trust-replace", str(pdf)], capture_output=True, text=True, timeout=120)
    lines = (result.stdout + result.stderr).strip().splitlines()
    return result.returncode == 0, lines[-1] if lines else ""
