"""The root certificates the user chose to trust, beyond the open workbook's own authority.

A root another company exported ("alignment-workbench export root", or Export root
certificate… on their SLA screen) is added here once its fingerprint has been compared,
and from then on every signature chaining to it verifies as trusted. The roots are kept in
the app's settings: an INI file (`QSettings`) in the user's data folder, beside the signing
keys, one group per root named by its SHA-256. Tests give the context a temporary data
folder, so they never read or change the user's own trusted roots.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings

from ui.context import AppContext
from workbench.errors import ValidationError

FILE_NAME = "trusted-roots.ini"
GROUP = "roots"


def fingerprint_groups(sha256: str, group: int = 4) -> str:
    """A hex fingerprint in upper-case groups of `group`, easy to read out by phone."""
    text = sha256.upper()
    return " ".join(text[i:i + group] for i in range(0, len(text), group))


def fingerprint_lines(sha256: str) -> str:
    """The fingerprint in two lines of eight groups: 64 characters are too many to follow
    on one line when reading them aloud."""
    groups = fingerprint_groups(sha256).split(" ")
    return "\n".join(" ".join(groups[i:i + 8]) for i in range(0, len(groups), 8))


@dataclass(frozen=True)
class TrustedRoot:
    """One root the user trusts: its fingerprint, whom it names, and when it was added."""

    sha256: str
    subject: str
    added: str  # "YYYY-MM-DD HH:MM" UTC
    der: bytes


@dataclass(frozen=True)
class RootCertificate:
    """A certificate read from bytes (PEM or DER): its DER, fingerprint and subject."""

    der: bytes
    sha256: str
    subject: str


def read_root(data: bytes, source: str) -> RootCertificate:
    """Read a certificate (PEM or DER). Raises `ValidationError` naming `source` when the
    bytes are not one."""
    from reports.verify import load_certificate, root_fingerprint

    try:
        cert = load_certificate(data)
    except ValueError:
        raise ValidationError("root", f"{source} is not a certificate: expected a PEM file "
                              "(“-----BEGIN CERTIFICATE-----”) or a DER one.") from None
    subject = cert.subject.native
    name = subject.get("name") or subject.get("common_name") or cert.subject.human_friendly
    return RootCertificate(cert.dump(), root_fingerprint(data), str(name))


class TrustedRoots:
    """The user's imported roots, in an INI file of their own."""

    def __init__(self, file: Path) -> None:
        self.file = Path(file)
        self.store = QSettings(str(self.file), QSettings.Format.IniFormat)

    def roots(self) -> list[TrustedRoot]:
        """Every imported root, oldest first."""
        self.store.sync()  # another window may have added one
        self.store.beginGroup(GROUP)
        try:
            found = [self._read(sha) for sha in self.store.childGroups()]
        finally:
            self.store.endGroup()
        return sorted((r for r in found if r is not None), key=lambda r: (r.added, r.subject))

    def certificates(self) -> tuple[bytes, ...]:
        """The roots' certificates (DER), to hand to the verifier."""
        return tuple(root.der for root in self.roots())

    def __contains__(self, sha256: object) -> bool:
        return any(root.sha256 == sha256 for root in self.roots())

    def add(self, data: bytes, source: str = "The file") -> TrustedRoot:
        """Trust the certificate in `data` (PEM or DER) from now on. Raises
        `ValidationError` (and stores nothing) when it is not a certificate."""
        cert = read_root(data, source)
        existing = next((r for r in self.roots() if r.sha256 == cert.sha256), None)
        if existing is not None:
            return existing
        added = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
        prefix = f"{GROUP}/{cert.sha256}"
        self.store.setValue(f"{prefix}/subject", cert.subject)
        self.store.setValue(f"{prefix}/added", added)
        self.store.setValue(f"{prefix}/certificate", base64.b64encode(cert.der).decode("ascii"))
        self.store.sync()
        return TrustedRoot(cert.sha256, cert.subject, added, cert.der)

    def remove(self, sha256: str) -> None:
        """Stop trusting the root with this fingerprint."""
        self.store.remove(f"{GROUP}/{sha256}")
        self.store.sync()

    def _read(self, sha256: str) -> TrustedRoot | None:
        """One stored root (inside the group); None when its entry is damaged or its
        certificate is not the one its name says."""
        try:
            der = base64.b64decode(str(self.store.value(f"{sha256}/certificate", "")),
                                   validate=True)
        except (binascii.Error, ValueError):
            return None
        if not der or hashlib.sha256(der).hexdigest() != sha256:
            return None
        return TrustedRoot(sha256, str(self.store.value(f"{sha256}/subject", "")),
                           str(self.store.value(f"{sha256}/added", "")), der)


def user_roots(context: AppContext) -> TrustedRoots:
    """The trusted roots of the user this context works for."""
    return TrustedRoots(context.user_data_dir() / FILE_NAME)
