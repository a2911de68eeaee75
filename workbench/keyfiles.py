"""Password-protected key files (PKCS#12) at current strength, and how strong a new
password is.

`cryptography` encrypts the key with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) at the
iteration count we ask for, but always computes the file's MAC with 2,048 iterations; a
loader checks the MAC first, so a wrong password was refused in 0.3 ms — about 3,000
guesses a second. `pkcs12_bytes` therefore recomputes the MAC (RFC 7292, appendix B, with
SHA-256) at the same iteration count as the key's encryption. Any PKCS#12 reader
(OpenSSL, `cryptography`) opens the result; the tests read it back with both.

A new password must be long enough and hard to guess: zxcvbn estimates the guesses an
attacker needs (dictionary words, names, dates, keyboard patterns, the signer's own name).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

MIN_LENGTH = 8
MIN_SCORE = 3  # zxcvbn, 0-4: 3 withstands an offline attack on a slow hash
ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256


def pkcs12_bytes(friendly_name: str, key: Any, certificate: Any, chain: list[Any],
                 password: str) -> bytes:
    """The key, its certificate and chain as PKCS#12, key encrypted and file MAC'd with
    `ITERATIONS` rounds of SHA-256."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import PrivateFormat, pkcs12

    secret = password.encode("utf-8")
    encryption = (PrivateFormat.PKCS12.encryption_builder().kdf_rounds(ITERATIONS)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
                  .hmac_hash(hashes.SHA256()).build(secret))
    blob = pkcs12.serialize_key_and_certificates(
        friendly_name.encode("utf-8"), key, certificate, chain or None, encryption)
    return _remac(blob, password, ITERATIONS)


def _remac(blob: bytes, password: str, iterations: int) -> bytes:
    from asn1crypto import pkcs12 as asn1_pkcs12

    pfx = asn1_pkcs12.Pfx.load(blob)
    content = bytes(pfx["auth_safe"]["content"].contents)  # the OCTET STRING's value
    salt = os.urandom(32)
    mac_key = _pkcs12_kdf(password, salt, iterations)
    digest = hmac.new(mac_key, content, hashlib.sha256).digest()
    mac_data = pfx["mac_data"]
    mac_data["mac"]["digest"] = digest
    mac_data["mac_salt"] = salt
    mac_data["iterations"] = iterations
    return bytes(pfx.dump(force=True))


def _pkcs12_kdf(password: str, salt: bytes, iterations: int) -> bytes:
    """RFC 7292 appendix B.2 with SHA-256, ID 3 (MAC key), 32 bytes: one block, so the
    input adjustment step of the general algorithm never runs."""
    block = 64
    secret = password.encode("utf-16-be") + b"\x00\x00"  # BMPString, NUL-terminated

    def stretch(value: bytes) -> bytes:
        if not value:
            return b""
        count = -(-len(value) // block) * block
        return (value * (count // len(value) + 1))[:count]

    digest = bytes([3]) * block + stretch(salt) + stretch(secret)
    for _ in range(iterations):
        digest = hashlib.sha256(digest).digest()
    return digest


def password_problem(password: str, *context: str) -> str | None:
    """Why `password` is too weak for a key file, or None when it is strong enough.

    `context` holds words an attacker would try first: the owner's name, e-mail, company.
    """
    if len(password) < MIN_LENGTH:
        return f"Choose a password of at least {MIN_LENGTH} characters."
    score, advice = password_strength(password, *context)
    if score < MIN_SCORE:
        return (f"This password is easy to guess: {advice or 'use a few unrelated words'}; "
                "a longer phrase of uncommon words is stronger.")
    return None


def password_strength(password: str, *context: str) -> tuple[int, str]:
    """zxcvbn's score (0-4) and its warning or first suggestion ("" when none)."""
    from zxcvbn import zxcvbn

    words = [w for text in context for w in text.replace("@", " ").split() if len(w) > 2]
    result = zxcvbn(password[:100], user_inputs=[*context, *words])
    feedback = result.get("feedback") or {}
    advice = feedback.get("warning") or next(iter(feedback.get("suggestions") or []), "")
    advice = str(advice).rstrip(".")
    return int(result["score"]), advice[:1].lower() + advice[1:]
