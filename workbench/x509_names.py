"""People's and companies' names as X.509 allows them.

X.509 caps a common name and an organisation name at 64 characters (RFC 5280's
ub-common-name; the `cryptography` library counts UTF-8 bytes), so "José María Fernández de
la Santísima Trinidad y Rodríguez-Pérez" or a company with emoji in its name does not fit.
Such a name is shortened at a character boundary with "…" for the common name, and kept in
full in the subject's `name` attribute (id-at-name, up to 32,768 characters), which
`full_name` reads back. Validators compare names after RFC 4518's string preparation, whose
tables stop at Unicode 3.2: a name with a newer character (an emoji) fails there, so the
subject leaves such characters out and the full name goes into a subject directory
attributes extension instead, which no validator compares. An e-mail address goes in the
subject alternative name: its domain as IDNA A-labels, a non-ASCII mailbox as an RFC 8398
SmtpUTF8Mailbox.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from .errors import ValidationError

if TYPE_CHECKING:
    from cryptography import x509

NAME_BYTES = 64
ELLIPSIS = "…"
JOINERS = "\u200d\ufe0e\ufe0f"  # zero-width joiner, variation selectors
SMTP_UTF8_MAILBOX = "1.3.6.1.5.5.7.8.9"
SUBJECT_DIRECTORY_ATTRIBUTES = "2.5.29.9"


def fit_x509(text: str, suffix: str = "", limit: int = NAME_BYTES) -> str:
    """`text` + `suffix` within `limit` UTF-8 bytes; `text` is shortened with "…" at a
    character boundary (never inside a combining sequence) when the whole is too long."""
    whole = text + suffix
    if len(whole.encode("utf-8")) <= limit:
        return whole
    budget = limit - len((ELLIPSIS + suffix).encode("utf-8"))
    cut, used = 0, 0
    for index, char in enumerate(text):
        size = len(char.encode("utf-8"))
        if used + size > budget:
            break
        used += size
        cut = index + 1
    while 0 < cut < len(text) and _joins(text[cut - 1], text[cut]):
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS + suffix


def _joins(before: str, after: str) -> bool:
    """True when a cut between `before` and `after` would split one visible character."""
    return bool(unicodedata.combining(after)) or after in JOINERS or before in JOINERS


def comparable(text: str) -> str:
    """`text` without the characters RFC 4518's preparation cannot handle (unassigned in
    Unicode 3.2), spaces collapsed; "?" when nothing is left."""
    import stringprep

    kept = "".join(c for c in text if not stringprep.in_table_a1(c))
    return " ".join(kept.split()) or "?"


def subject_attributes(name: str, suffix: str = "") -> list[x509.NameAttribute]:
    """Common name (name + suffix, shortened to fit) and, where that is not the whole
    name but the name is comparable, the full name as id-at-name."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    safe = comparable(name)
    common = fit_x509(safe, suffix)
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if common != name + suffix and safe == name:
        attributes.append(x509.NameAttribute(NAME_OID(), name + suffix))
    return attributes


def full_name_extension(name: str) -> x509.UnrecognizedExtension | None:
    """The full name as a subject directory attribute, when the subject cannot hold it."""
    from asn1crypto import core
    from cryptography import x509
    from cryptography.x509.oid import ObjectIdentifier

    if comparable(name) == name:
        return None

    class Values(core.SetOf):  # type: ignore[misc]
        _child_spec = core.UTF8String

    class Attribute(core.Sequence):  # type: ignore[misc]
        _fields = [("type", core.ObjectIdentifier), ("values", Values)]

    class Attributes(core.SequenceOf):  # type: ignore[misc]
        _child_spec = Attribute

    value = Attributes([{"type": "2.5.4.41", "values": [name]}]).dump()
    return x509.UnrecognizedExtension(ObjectIdentifier(SUBJECT_DIRECTORY_ATTRIBUTES), value)


def signer_name(name: str, email: str = "") -> x509.Name:
    """A signer's subject: common name (shortened if need be) and the full name."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    attributes = subject_attributes(name)
    address = email.strip()
    if address and address.isascii() and len(address) <= 255:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, address))
    return x509.Name(attributes)


def email_name(email: str) -> x509.GeneralName | None:
    """The e-mail address as a subject alternative name, or None without one.

    Raises `ValidationError` for an address that is not local@domain.
    """
    from cryptography import x509
    from cryptography.x509.oid import ObjectIdentifier

    address = email.strip()
    if not address:
        return None
    local, at, domain = address.rpartition("@")
    ascii_domain = _idna(domain) if at and local and domain else None
    if ascii_domain is None or any(c.isspace() for c in address):
        raise ValidationError("email", f"“{email}” is not an e-mail address "
                              "(expected name@example.com).")
    if local.isascii():
        return x509.RFC822Name(f"{local}@{ascii_domain}")
    value = f"{local}@{domain}".encode()
    return x509.OtherName(ObjectIdentifier(SMTP_UTF8_MAILBOX),
                          _der_utf8_string(value))


def full_name(certificate: x509.Certificate) -> str:
    """The name a certificate was issued to: the full `name` attribute where the common
    name had to be shortened, else the common name."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID, ObjectIdentifier

    try:
        extension = certificate.extensions.get_extension_for_oid(
            ObjectIdentifier(SUBJECT_DIRECTORY_ATTRIBUTES)).value
        named = directory_name(getattr(extension, "value", b""))
        if named:
            return named
    except x509.ExtensionNotFound:
        pass
    for oid in (NAME_OID(), NameOID.COMMON_NAME):
        values = certificate.subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return certificate.subject.rfc4514_string()


def email_of(certificate: x509.Certificate) -> str:
    """The e-mail address a certificate names, as the user wrote it, or ""."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        san = None
    for name in san.value if san else ():
        if isinstance(name, x509.RFC822Name):
            local, _, domain = name.value.rpartition("@")
            return f"{local}@{_unicode_domain(domain)}"
        if isinstance(name, x509.OtherName) and name.type_id.dotted_string == SMTP_UTF8_MAILBOX:
            from asn1crypto.core import UTF8String

            return str(UTF8String.load(name.value).native)
    emails = certificate.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
    return str(emails[0].value) if emails else ""


def _unicode_domain(domain: str) -> str:
    try:
        return domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain


def NAME_OID() -> x509.ObjectIdentifier:  # noqa: N802 - reads as the constant it is
    """id-at-name (2.5.4.41): a name of any length, where the full name is kept."""
    from cryptography.x509.oid import ObjectIdentifier

    return ObjectIdentifier("2.5.4.41")


def directory_name(der: bytes) -> str:
    """The id-at-name in a subject directory attributes extension, or ""."""
    from asn1crypto.x509 import SubjectDirectoryAttributes

    try:
        for attribute in SubjectDirectoryAttributes.load(der):
            if attribute["type"].dotted == "2.5.4.41":
                value = attribute["values"][0]
                return str(getattr(value, "parsed", value).native)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return ""
    return ""


def _idna(domain: str) -> str | None:
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _der_utf8_string(value: bytes) -> bytes:
    from asn1crypto.core import UTF8String

    return bytes(UTF8String(value.decode("utf-8")).dump())
