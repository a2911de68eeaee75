"""The forgery suite: every forged or tampered SLA is rejected by `verify`, and pyHanko's own
command-line validator, trusting only the workbook's root, judges each signature the same.

Three cases are rejected by `verify` for reasons pyHanko's validator does not check, by
design: a change to the document information or the XMP metadata (pyHanko allows any),
and a file cut back to its first revision (pyHanko judges the one signature it holds,
which is sound; the agreement's second signatory is missing, which only `verify` knows).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.verify import Outcome, Trust, verify_pdf
from ui.cli import main

from .forgeries import FORGERIES, Genuine, make_signed, pyhanko_cli

# What `verify` must say for each case (a phrase of its output).
REASONS = {
    "a flipped byte": "altered",
    "an incremental change to page content": "changed after this signature",
    "a page added": "changed after this signature",
    "an annotation added": "changed after this signature",
    "a replaced attachment": "changed after this signature",
    "a removed field": "changed after this signature",
    "a new title (document information)": "document information was changed",
    "a new title (XMP metadata)": "XMP metadata was changed",
    "a swapped certificate": "Signing certificate attribute does not match",
    "a truncated file": "NOT VALID",
    "a cut-back revision": "not signed by Daniel Okafor: 1 of 2 signatories signed",
    "a stranger's extra signature": "is not a signatory of this agreement",
    "a root of the same name": "is not one you trust",
    "an issuer signed by another key": "Signature2: Daniel Okafor",
    "an expired signer certificate": "has expired or is not yet valid",
    "a certificate issued by an end-entity key": "Signature2: Daniel Okafor",
}
PYHANKO_ACCEPTS = {"a new title (document information)", "a new title (XMP metadata)",
                   "a cut-back revision"}


@pytest.fixture(scope="module")
def genuine(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Genuine:
    return make_signed(demo_path, tmp_path_factory.mktemp("genuine"))


@pytest.fixture(scope="module")
def root(genuine: Genuine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("root") / "root.pem"
    path.write_bytes(genuine.root_pem)
    return path


def test_the_genuine_file_is_valid_for_verify_and_pyhanko(genuine: Genuine, root: Path,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "sla.pdf"
    path.write_bytes(genuine.pdf)
    verdict = verify_pdf(path, [genuine.root_pem])
    assert verdict.outcome is Outcome.VALID, verdict.summary()
    assert [s.signer for s in verdict.signatures] == ["Zoë Müller", "Daniel Okafor"]
    assert pyhanko_cli(path, root)[0]
    assert main(["verify", str(path), "--trust", str(root)]) == 0


@pytest.mark.parametrize("case", list(FORGERIES))
def test_every_forgery_is_rejected_and_pyhanko_agrees(case: str, genuine: Genuine, root: Path,
                                                     tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "forged.pdf"
    path.write_bytes(FORGERIES[case](genuine))
    verdict = verify_pdf(path, [genuine.root_pem])
    assert verdict.outcome is not Outcome.VALID, verdict.summary()
    assert main(["verify", str(path), "--trust", str(root)]) == 1
    printed = capsys.readouterr()
    assert REASONS[case] in printed.out, printed.out
    assert printed.err == ""
    pyhanko_valid, line = pyhanko_cli(path, root)
    if case in PYHANKO_ACCEPTS:
        assert pyhanko_valid, line
    else:
        assert not pyhanko_valid, line
        assert not all(s.ok for s in verdict.signatures) or verdict.problems


def test_a_forged_root_of_the_same_name_is_only_unverified_without_trust(
        genuine: Genuine, tmp_path: Path) -> None:
    """Trusting nothing, the genuine file is not VALID either: a root carried inside the
    PDF proves nothing. Its fingerprint is shown to compare by phone."""
    path = tmp_path / "sla.pdf"
    path.write_bytes(genuine.pdf)
    verdict = verify_pdf(path)
    assert verdict.outcome is Outcome.UNVERIFIED
    assert {s.trust for s in verdict.signatures} == {Trust.UNVERIFIED}
    from reports.verify import root_fingerprint

    fingerprint = root_fingerprint(genuine.root_pem)
    assert {s.root_sha256 for s in verdict.signatures} == {fingerprint}
    assert " ".join(fingerprint[i:i + 4] for i in range(0, 64, 4)) in verdict.summary()
    assert main(["verify", str(path)]) == 1
