"""Verifying a signed SLA PDF, judged by pyHanko's validator.

A PDF is VALID only when every signature is intact, the validator trusts its certificate
(a chain, within its validity, with the right key usage, up to a root the user trusts:
the open workbook's authority, roots they imported, or `--trust`), nothing but the
agreed later signatures and the completion record was added after each signature (nor
the document information or XMP metadata changed), and every signatory the agreement lists
has signed, in order. A root carried inside the PDF proves nothing about who signed: a
file whose chains are sound but end at a root the user does not trust is "intact, but the
signers' identity is not verified", with that root's SHA-256 fingerprint to compare by
phone. Nothing here raises on a damaged file: every fault is a finding.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from workbench.sla_terms import SlaDocument

from .signing import AUTHORITY_ATTACHMENT, quiet_pyhanko
from .sla_signature_pages import ATTACHMENT_NAME, field_name, hex_groups

ALLOWED_AFTER = "FORM_FILLING"  # later signatures fill the prepared fields


class Trust(StrEnum):
    """How far a signature's certificate is trusted."""

    TRUSTED = "trusted"  # chains to a root the user trusts
    UNVERIFIED = "unverified"  # a sound chain, to a root the user does not trust
    BROKEN = "broken"  # no sound chain at all (forged, expired, wrong usage…)


class Outcome(StrEnum):
    """The verdict on a whole file."""

    VALID = "VALID"
    UNVERIFIED = "INTACT, BUT THE SIGNERS' IDENTITY IS NOT VERIFIED"
    NOT_VALID = "NOT VALID"


@dataclass(frozen=True)
class SignatureCheck:
    """What verification found for one signature."""

    field_name: str
    signer: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trust: Trust
    root_sha256: str  # the root the chain ends at ("" when none was found)
    unchanged: bool
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return (self.intact and self.valid and self.trust is Trust.TRUSTED and self.unchanged
                and not self.problems)

    @property
    def sound(self) -> bool:
        """Intact, unchanged and soundly chained, whether or not the root is trusted."""
        return (self.intact and self.valid and self.trust is not Trust.BROKEN
                and self.unchanged and not self.problems)


@dataclass(frozen=True)
class Verdict:
    """The overall verdict on a PDF and each signature's findings."""

    path: str
    signatures: tuple[SignatureCheck, ...]
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def outcome(self) -> Outcome:
        if not self.signatures or self.problems or not all(s.sound for s in self.signatures):
            return Outcome.NOT_VALID
        if all(s.ok for s in self.signatures):
            return Outcome.VALID
        return Outcome.UNVERIFIED

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.VALID

    def summary(self) -> str:
        """The verdict in words: a headline, a line per signature, then each problem."""
        heads = {
            Outcome.VALID: "VALID: every listed signatory signed, in order; every signature "
                           "is intact, chains to a root you trust, and nothing changed after "
                           "signing",
            Outcome.UNVERIFIED: "INTACT, BUT THE SIGNERS' IDENTITY IS NOT VERIFIED: the "
                                "signatures are sound but chain to a root you have not "
                                "trusted",
            Outcome.NOT_VALID: "NOT VALID"}
        lines = [f"{self.path}: {heads[self.outcome]}"]
        lines += [f"  {signature_line(s)}" for s in self.signatures]
        lines += [f"  problem: {p}" for p in self.problems]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def signature_line(s: SignatureCheck) -> str:
    """One signature in one line: field, signer, time and finding."""
    when = s.signed_at.strftime("%Y-%m-%d %H:%M:%S %Z") if s.signed_at else "no time"
    if s.ok:
        status = "ok (chains to a trusted root)"
    elif s.sound:
        status = ("intact, but the signer's identity is not verified: root SHA-256 "
                  f"{hex_groups(s.root_sha256, 4)} is not one you trust")
    else:
        status = "; ".join(s.problems) or "failed"
    return f"{s.field_name}: {s.signer}, signed {when} — {status}"


def verify_pdf(path: str | Path, trusted_roots: Sequence[bytes] = ()) -> Verdict:
    """Verify every signature of the PDF at `path` against `trusted_roots` (PEM or DER
    certificates). Never raises for a bad file or root: the verdict says what is wrong."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Verdict(str(path), (), (f"cannot be read ({error.strerror})",))
    try:
        roots = [load_certificate(r) for r in trusted_roots]
    except ValueError as error:
        return Verdict(str(path), (), (f"a trusted root is not a certificate ({error})",))
    with quiet_pyhanko():
        try:
            return _verify(str(path), data, roots)
        except RecursionError:
            return Verdict(str(path), (), ("not a readable PDF (its structure nests too "
                                           "deeply)",))
        except Exception as error:  # noqa: BLE001 - a damaged file is a finding, not a crash
            return Verdict(str(path), (), (f"not a readable PDF ({_first_line(error)})",))


def _verify(name: str, data: bytes, roots: list[Any]) -> Verdict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)
    if not signatures:
        return Verdict(name, (), ("the PDF carries no signatures",))
    extra = _dss(reader)
    last = len(signatures) - 1
    checks = tuple(_check(sig, roots, extra, data, reader, last=i == last)
                   for i, sig in enumerate(signatures))
    problems = _signatory_problems(reader, signatures, checks)
    notes = []
    if not roots:
        notes.append("no root is trusted: pass --trust ROOT.pem (the workbook's root, "
                     "exported with “alignment-workbench export root”)")
    return Verdict(name, checks, tuple(problems), tuple(notes))


def _check(sig: Any, roots: list[Any], extra: dict[str, list[Any]], data: bytes,
           reader: Any, *, last: bool) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature

    field = str(getattr(sig, "field_name", "?"))
    try:
        status = validate_pdf_signature(sig, _context(roots, extra))
    except Exception as error:  # noqa: BLE001 - a damaged signature is a finding
        return SignatureCheck(field, _carried_name(sig), None, False, False, Trust.BROKEN,
                              "", False, (f"cannot be validated ({_first_line(error)})",))
    problems: list[str] = []
    if not status.intact:
        problems.append("the signed content was altered (digest mismatch)")
    elif not status.valid:
        problems.append("the signature value does not match the signer's key")
    trust, root = _trust(sig, status, roots, extra,
                         problems if status.intact and status.valid else [])
    unchanged = _unchanged(status, last, problems) and _same_metadata(sig, data, reader,
                                                                      problems)
    return SignatureCheck(field, _signer_name(status.signing_cert), status.signer_reported_dt,
                          bool(status.intact), bool(status.valid), trust, root, unchanged,
                          tuple(problems))


def _trust(sig: Any, status: Any, roots: list[Any], extra: dict[str, list[Any]],
           problems: list[str]) -> tuple[Trust, str]:
    """Trusted when the validator trusts the chain to the user's roots; else, validated
    again under the root the signature itself carries, unverified if that chain is sound
    (the identity is not proven), broken if not (with the validator's reason)."""
    from pyhanko.sign.validation import validate_pdf_signature

    if status.trusted:
        return Trust.TRUSTED, _anchor_sha(status.validation_path)
    own = _own_root(sig, status.signing_cert)
    if own is not None:
        again = validate_pdf_signature(sig, _context([own], extra))
        if again.trusted:
            return Trust.UNVERIFIED, _sha(own)
        problems.append(_trust_problem(again))
    else:
        problems.append(_trust_problem(status))
    return Trust.BROKEN, _sha(own) if own is not None else ""


def _trust_problem(status: Any) -> str:
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    indication = status.trust_problem_indic
    reasons: dict[object, str] = {
        AdESIndeterminate.EXPIRED: "the signer's certificate (or one above it) has expired",
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: "the signer's certificate (or one above it) "
                                                "has expired or is not yet valid",
        AdESIndeterminate.NOT_YET_VALID: "the signer's certificate is not valid yet",
        AdESFailure.REVOKED: "the signer's certificate was revoked",
        AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND: "no certificate chain leads from the "
                                                 "signer to a root",
        AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE: "the certificate chain breaks the rules "
                                                "for certificates (an issuer that is not "
                                                "an authority, or a forged issuer "
                                                "signature)",
        AdESIndeterminate.SIG_CONSTRAINTS_FAILURE: "the certificate is not meant for signing",
        AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE: "the certificate chain is broken "
                                                             "(an issuer that did not sign "
                                                             "it, or one that is no "
                                                             "certificate authority)",
    }
    name = getattr(indication, "name", "unknown")
    return reasons.get(indication, "the certificate chain does not validate "
                                   f"({name.lower().replace('_', ' ')})")


def _own_root(sig: Any, signing_cert: Any) -> Any | None:
    """The self-signed certificate the signature carries (or the PDF attaches)."""
    from .sla_export import attachment

    carried = [c for c in sig.other_embedded_certs if c.self_signed == "maybe"
               or c.subject == c.issuer]
    if carried:
        return carried[0]
    pem = attachment(sig.reader, AUTHORITY_ATTACHMENT)
    return load_certificate(pem) if pem else None


def _unchanged(status: Any, last: bool, problems: list[str]) -> bool:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    coverage = getattr(status, "coverage", None)
    level = getattr(status, "modification_level", None)
    allowed = ModificationLevel.LTA_UPDATES if last else ModificationLevel[ALLOWED_AFTER]
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append("the signature does not cover its whole revision")
        return False
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if level is None or level > allowed:
        what = ("content, pages, annotations or attachments" if level is not None
                and level.name == "OTHER" else
                level.name.lower().replace("_", " ") if level is not None else "unknown")
        problems.append(f"the document was changed after this signature ({what})")
        return False
    if getattr(status, "docmdp_ok", True) is False:
        problems.append("a change after signing is not allowed by the certification")
        return False
    return True


def _same_metadata(sig: Any, data: bytes, reader: Any, problems: list[str]) -> bool:
    """pyHanko allows any change to the document information and XMP metadata; an
    agreement's title or author changed after signing is still a change."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    start, length = sig.byte_range[2], sig.byte_range[3]
    if start + length >= len(data):
        return True
    signed = PdfFileReader(io.BytesIO(data[:start + length]), strict=False)
    changed = [what for what, before, after in (
        ("document information", _info(signed), _info(reader)),
        ("XMP metadata", _xmp(signed), _xmp(reader))) if before != after]
    for what in changed:
        problems.append(f"the {what} was changed after this signature")
    return not changed


# What every signing revision rewrites (pyHanko stamps its name and the time).
SIGNING_KEYS = frozenset({"/ModDate", "/Producer", "{adobe:ns:meta/}xmptk",
                          "{http://ns.adobe.com/xap/1.0/}ModifyDate",
                          "{http://ns.adobe.com/xap/1.0/}MetadataDate",
                          "{http://ns.adobe.com/pdf/1.3/}Producer"})


def _info(reader: Any) -> dict[str, str]:
    info = reader.trailer_view.get("/Info")
    if info is None:
        return {}
    return {str(k): str(v) for k, v in info.get_object().items()
            if str(k) not in SIGNING_KEYS}


def _xmp(reader: Any) -> object:
    """The XMP packet's properties (attributes and texts by path), less what signing
    rewrites; the raw bytes when it is not well-formed XML."""
    import xml.etree.ElementTree as ElementTree

    metadata = reader.root.get("/Metadata")
    if metadata is None:
        return set()
    raw = bytes(metadata.get_object().data)
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        return raw
    found = set()
    for element in root.iter():
        for key, value in element.attrib.items():
            if key not in SIGNING_KEYS:
                found.add((element.tag, key, value))
        if element.tag not in SIGNING_KEYS and (element.text or "").strip():
            found.add((element.tag, "", (element.text or "").strip()))
    return found


def _signatory_problems(reader: Any, signatures: list[Any],
                        checks: tuple[SignatureCheck, ...]) -> list[str]:
    """Every signatory the agreement lists has signed their field, in order; and no
    signature belongs to someone it does not list."""
    from pyhanko.sign.fields import enumerate_sig_fields

    parties = _parties(reader)
    if parties is None:
        return ["the agreement's list of signatories (sla-terms.json) is missing or "
                "unreadable, so who had to sign cannot be checked"]
    problems: list[str] = []
    expected = [field_name(order) for order, _ in parties]
    signed = [str(s.field_name) for s in signatures]
    missing = [name for (_, name), f in zip(parties, expected, strict=True) if f not in signed]
    if missing:
        problems.append(f"not signed by {', '.join(missing)}: {len(parties) - len(missing)} "
                        f"of {len(parties)} signatories signed")
    strangers = [c for c in checks if c.field_name not in expected]
    problems += [f"{c.field_name} ({c.signer}) is not a signatory of this agreement"
                 for c in strangers]
    in_file = [f for f in signed if f in expected]
    if in_file != [f for f in expected if f in in_file]:
        problems.append("the signatures were not applied in the agreed order")
    unsigned = [name for name, value, _ in enumerate_sig_fields(reader)
                if value is None and name not in expected]
    problems += [f"signature field {n} is not signed" for n in unsigned]
    return problems


def _parties(reader: Any) -> list[tuple[int, str]] | None:
    from .sla_export import attachment

    data = attachment(reader, ATTACHMENT_NAME)
    if data is None:
        return None
    try:
        document = SlaDocument.from_json(data)
        return [(int(p.order), str(p.name)) for p in document.parties]
    except Exception:  # noqa: BLE001 - a broken or hostile attachment is a finding
        return None


def _dss(reader: Any) -> dict[str, list[Any]]:
    """Certificates and revocation lists the file embeds for long-term validation."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 - no (or a broken) store: validate without it
        return {"other_certs": [], "crls": []}
    return {"other_certs": list(dss.load_certs()), "crls": _crls(dss)}


def _crls(dss: Any) -> list[Any]:
    from asn1crypto import crl as asn1_crl

    return [asn1_crl.CertificateList.load(ref.get_object().data) for ref in dss.crls]


def _context(roots: list[Any], extra: dict[str, list[Any]]) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False,
                             revocation_mode="soft-fail", other_certs=extra["other_certs"],
                             crls=extra["crls"])


def _carried_name(sig: Any) -> str:
    """The name of the certificate a damaged signature carries, or "?"."""
    try:
        return _signer_name(sig.signer_cert)
    except Exception:  # noqa: BLE001 - nothing to name
        return "?"


def _signer_name(cert: Any) -> str:
    """The full name the certificate was issued to (see workbench.x509_names)."""
    from workbench.x509_names import SUBJECT_DIRECTORY_ATTRIBUTES, directory_name

    for extension in cert["tbs_certificate"]["extensions"] or []:
        if extension["extn_id"].dotted == SUBJECT_DIRECTORY_ATTRIBUTES:
            named = directory_name(bytes(extension["extn_value"].contents))
            if named:
                return named
    subject = cert.subject.native
    return str(subject.get("name") or subject.get("common_name") or cert.subject.human_friendly)


def load_certificate(data: bytes) -> Any:
    """A certificate from PEM or DER bytes. Raises `ValueError` for anything else."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    try:
        cert = asn1_x509.Certificate.load(data)
        cert.native  # noqa: B018 - parse now, so a bad file fails here
    except Exception as error:  # noqa: BLE001 - asn1crypto raises several kinds
        raise ValueError(_first_line(error)) from None
    return cert


def root_fingerprint(data: bytes) -> str:
    """The SHA-256 fingerprint of a certificate (PEM or DER), as hex."""
    return _sha(load_certificate(data))


def _sha(cert: Any) -> str:
    return hashlib.sha256(cert.dump()).hexdigest()


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _anchor_sha(path: Any) -> str:
    first = getattr(path, "first", None)
    return _sha(first) if first is not None else ""
