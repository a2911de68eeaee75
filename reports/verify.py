"""Verifying a signed SLA PDF: every signature intact, chaining to the agreement's own
root (attached to the PDF) or to a root the user trusts, and nothing changed after it
was signed, judged by pyHanko's validation and modification analysis."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ALLOWED_AFTER = "FORM_FILLING"  # later signatures fill the prepared signature fields


@dataclass(frozen=True)
class SignatureCheck:
    """What verification found for one signature."""

    field_name: str
    signer: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    chains_to: str  # "trusted root", "agreement root" or "" (no known root)
    unchanged: bool
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and bool(self.chains_to) and self.unchanged


@dataclass(frozen=True)
class Verdict:
    """The overall verdict on a PDF and each signature's findings."""

    path: str
    signatures: tuple[SignatureCheck, ...]
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and not self.problems and all(
            s.ok for s in self.signatures)

    def summary(self) -> str:
        """The verdict in words: a headline, then a line per signature and problem."""
        head = ("VALID: every signature is intact, chains to a known root, and nothing "
                "changed after signing" if self.ok else "NOT VALID")
        lines = [f"{self.path}: {head}"]
        for s in self.signatures:
            when = s.signed_at.strftime("%Y-%m-%d %H:%M:%S %Z") if s.signed_at else "no time"
            status = "ok" if s.ok else "; ".join(s.problems) or "failed"
            root = {"trusted root": "chains to a trusted root",
                    "agreement root": "chains to the agreement's root"}.get(s.chains_to, "")
            lines.append(f"  {s.field_name}: {s.signer}, signed {when} — {status}"
                         + (f" ({root})" if s.ok and root else ""))
        lines += [f"  problem: {p}" for p in self.problems]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def verify_pdf(path: str | Path, trusted_roots: Sequence[bytes] = ()) -> Verdict:
    """Verify every signature of the PDF at `path`.

    `trusted_roots` are PEM or DER certificates the user trusts. Without them, the root
    attached to the agreement counts, and the verdict notes that it was not checked
    against a root the user holds.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Verdict(str(path), (), (f"cannot be read ({error.strerror})",))
    try:
        return _verify(str(path), data, [_load_cert(r) for r in trusted_roots])
    except ValueError as error:
        return Verdict(str(path), (), (f"a trusted root is not a certificate ({error})",))


def _verify(name: str, data: bytes, trusted: list[object]) -> Verdict:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as error:
        return Verdict(name, (), (f"not a readable PDF ({error})",))
    if not signatures:
        return Verdict(name, (), ("the PDF carries no signatures",))
    agreement_root = _attached_root(reader)
    notes: list[str] = []
    if not trusted and agreement_root is not None:
        notes.append("checked against the agreement's own root attached to the PDF; pass "
                     "--trust ROOT.pem to check it against a root you hold")
    problems = [f"signature field {n} is not signed" for n in _unsigned_fields(reader)]
    checks = tuple(
        _check(sig, trusted, agreement_root, last=index == len(signatures) - 1)
        for index, sig in enumerate(signatures))
    return Verdict(name, checks, tuple(problems), tuple(notes))


def _check(sig: object, trusted: list[object], agreement_root: object | None, *,
           last: bool) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature

    field_name = getattr(sig, "field_name", "?")
    roots = trusted or ([agreement_root] if agreement_root is not None else [])
    try:
        status = validate_pdf_signature(sig, _context(roots))  # type: ignore[arg-type]
    except Exception as error:  # noqa: BLE001 - a damaged signature is a finding, not a crash
        return SignatureCheck(field_name, "?", None, False, False, "", False,
                              (f"cannot be validated ({error})",))
    problems: list[str] = []
    if not status.intact:
        problems.append("the signed content was altered (digest mismatch)")
    elif not status.valid:
        problems.append("the signature value does not match the signer's key")
    chains = ""
    if status.trusted or getattr(status, "validation_path", None) is not None:
        chains = "trusted root" if trusted else "agreement root"
    else:
        problems.append("the certificate does not chain to " + (
            "a trusted root" if trusted else "the agreement's root"))
    unchanged = _unchanged(status, last, problems)
    cert = status.signing_cert
    signer = cert.subject.native.get("common_name", cert.subject.human_friendly)
    return SignatureCheck(field_name, str(signer), status.signer_reported_dt, status.intact,
                          status.valid, chains, unchanged, tuple(problems))


def _unchanged(status: object, last: bool, problems: list[str]) -> bool:
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
        what = level.name.lower().replace("_", " ") if level is not None else "unknown"
        problems.append(f"the document was changed after this signature ({what})")
        return False
    if getattr(status, "docmdp_ok", True) is False:
        problems.append("a change after signing is not allowed by the certification")
        return False
    return True


def _context(roots: list[object]) -> object:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False,
                             revocation_mode="soft-fail")


def _attached_root(reader: object) -> object | None:
    from .sla_export import attachment

    pem = attachment(reader, "sla-authority.pem")
    return _load_cert(pem) if pem else None


def _unsigned_fields(reader: Any) -> list[str]:
    from pyhanko.sign.fields import enumerate_sig_fields

    return [name for name, value, _ in enumerate_sig_fields(reader) if value is None]


def _load_cert(data: bytes) -> object:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    cert = asn1_x509.Certificate.load(data)
    cert.native  # noqa: B018 - parse now, so a bad file fails here with ValueError
    return cert
