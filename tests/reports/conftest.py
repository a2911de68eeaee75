"""Fixtures for the SLA PDF tests: signing identities for the demo's signatories and
helpers that read a PDF the way an outside viewer would (pdftotext, qpdf)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbench import identities
from workbench.model import SlaVersionId
from workbench.workbook import Workbook

AUTHORITY_PASSWORD = "authority-secret"


@dataclass
class Signers:
    """The demo's draft with an identity (and password) for each of its signatories."""

    workbook: Workbook
    version_id: SlaVersionId
    data_dir: Path
    identity: dict[str, str]  # signatory name -> certificate SHA-256
    password: dict[str, str]

    def add(self, name: str, title: str = "", team: str = "") -> int:
        """Add a signatory at the end of the order, with an identity; return their id."""
        self.workbook.sla.add_signatory(self.version_id, name, title, team)
        signatory = self.workbook.sla.signatories(self.version_id)[-1]
        self._issue(name)
        return signatory.id

    def _issue(self, name: str) -> None:
        password = f"pw for {name}"
        _, identity = identities.issue_identity(self.workbook, self.data_dir,
                                                AUTHORITY_PASSWORD, name, "", password)
        self.identity[name], self.password[name] = identity.sha256, password


@pytest.fixture
def signers(demo: Workbook, tmp_path: Path) -> Signers:
    data_dir = tmp_path / "keys"
    identities.create_authority(demo, data_dir, AUTHORITY_PASSWORD)
    version_id = demo.sla.versions()[-1].id
    result = Signers(demo, version_id, data_dir, {}, {})
    for signatory in demo.sla.signatories(version_id):
        result._issue(signatory.name)
    return result


def pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def qpdf_check(path: Path) -> None:
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is missing: apt-get install qpdf")
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
