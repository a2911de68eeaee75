"""What the Verify dialog says about a signed PDF, apart from how it shows it: the work it
runs on the worker thread (verifying, and finding the certificates of roots the user has
not trusted yet, so one can be trusted after its fingerprint is compared), the verdict in
words, and each signature's findings as table cells."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reports import palette

from .trust_store import RootCertificate

if TYPE_CHECKING:
    from reports.verify import SignatureCheck, Verdict

COLUMNS = ("Signer", "Signed (UTC)", "Intact", "Trust", "Unchanged", "Problems")
TRUST_CELLS = {  # Trust value -> (text, colour)
    "trusted": ("✓ trusted root", palette.GOOD),
    "unverified": ("? unverified root", palette.WARN),
    "broken": ("✕ no valid chain", palette.BAD),
}
HEADLINES = {  # Outcome name -> (headline, style: "good" | "warn" | "bad")
    "VALID": ("Valid", "good"),
    "UNVERIFIED": ("Intact — signers not verified", "warn"),
    "NOT_VALID": ("Not valid", "bad"),
}


@dataclass(frozen=True)
class Checked:
    """A verdict, and the certificates of the untrusted roots its signatures chain to
    (by SHA-256; a root the PDF does not carry is missing)."""

    verdict: Verdict
    untrusted: dict[str, RootCertificate] = field(default_factory=dict)

    @property
    def untrusted_roots(self) -> list[str]:
        """The fingerprints of the roots not trusted yet, in signing order, once each."""
        found = [s.root_sha256 for s in self.verdict.signatures
                 if s.trust == "unverified" and s.root_sha256]
        return list(dict.fromkeys(found))


def check(path: Path, roots: tuple[bytes, ...]) -> Checked:
    """Verify the PDF against `roots`, then read the certificates of the roots it chains to
    that are not trusted (worker thread: no widgets, no workbook)."""
    from reports.verify import Outcome, verify_pdf

    verdict = verify_pdf(path, trusted_roots=roots)
    if verdict.outcome is not Outcome.UNVERIFIED:
        return Checked(verdict)
    wanted = {s.root_sha256 for s in verdict.signatures if s.trust == "unverified"}
    return Checked(verdict, {sha: root for sha, root in carried_roots(path).items()
                             if sha in wanted})


def carried_roots(path: Path) -> dict[str, RootCertificate]:
    """The self-signed certificates the PDF carries — in its signatures or attached as the
    signing authority — by SHA-256. Carried roots prove nothing by themselves: the user
    trusts one only after comparing its fingerprint. A damaged file carries none."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from reports.signing import AUTHORITY_ATTACHMENT, quiet_pyhanko
    from reports.sla_export import attachment

    from .trust_store import read_root

    found: dict[str, RootCertificate] = {}
    try:
        with quiet_pyhanko():
            reader = PdfFileReader(io.BytesIO(Path(path).read_bytes()), strict=False)
            blobs = [c.dump() for sig in reader.embedded_signatures
                     for c in sig.other_embedded_certs if c.subject == c.issuer]
            attached = attachment(reader, AUTHORITY_ATTACHMENT)
            for blob in [*blobs, *([attached] if attached else [])]:
                root = read_root(blob, path.name)
                found.setdefault(root.sha256, root)
    except Exception:  # noqa: BLE001 - a damaged file: nothing to offer for trust
        return found
    return found


def verdict_words(verdict: Verdict) -> tuple[str, str, str]:
    """The headline, its style ("good", "warn", "bad") and the sentence under it."""
    headline, style = HEADLINES[verdict.outcome.name]
    count = len(verdict.signatures)
    if style == "good":
        return headline, style, (
            f"All {count} signature{'s are' if count != 1 else ' is'} intact and chain to a "
            "root you trust; every listed signatory signed, in order, and nothing changed "
            "after signing.")
    if style == "warn":
        return headline, style, (
            "The signatures are sound and nothing changed after signing, but they chain to "
            "a root you have not trusted, so who signed is not proven. Ask the root's owner "
            "to read you its SHA-256 fingerprint — by phone, say — and trust it only if "
            "every group matches.")
    reasons = list(verdict.problems) + [p for s in verdict.signatures for p in s.problems]
    return headline, style, (reasons[0][:1].upper() + reasons[0][1:] + "."
                             if reasons else "A signature failed verification.")


def cells(check: SignatureCheck) -> list[tuple[str, str | None]]:
    """One signature's row: (text, colour or None) per column."""
    when = check.signed_at.strftime("%Y-%m-%d %H:%M:%S") if check.signed_at else "—"
    intact = check.intact and check.valid
    trust_text, trust_colour = TRUST_CELLS[str(check.trust)]
    return [(check.signer, None), (when, None),
            ("✓ yes" if intact else "✕ no", palette.GOOD if intact else palette.BAD),
            (trust_text, trust_colour),
            ("✓ yes" if check.unchanged else "✕ changed",
             palette.GOOD if check.unchanged else palette.BAD),
            ("; ".join(check.problems) or "—", palette.BAD if check.problems else None)]


def sources_sentence(authority: str | None, imported: int, file_name: str | None) -> str:
    """Which roots the signatures are checked against, in words."""
    parts = []
    if authority:
        parts.append(f"this workbook's signing authority ({authority})")
    if imported:
        parts.append(f"{imported} root{'s' if imported != 1 else ''} you imported")
    if file_name:
        parts.append(file_name)
    if not parts:
        return ("You trust no root yet: this workbook has no signing authority and you have "
                "imported none. Signatures can be checked for being intact, not for who "
                "signed.")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Checked against {listed}."
