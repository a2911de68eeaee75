"""Fixtures for the SLA screens: the real screen on the demo workbook with its own data
folder, signing identities issued through the core (short test passwords), and helpers
that wait for the preview and the worker thread like a user waiting for the screen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reports.signing import SignOff
from ui.context import AppContext
from ui.sla import actions
from ui.sla.identity_dialogs import keys_dir
from ui.sla.preview import PdfPreview
from ui.sla.screen import SlaScreen
from ui.sla.workers import wait_for_workers
from workbench import identities
from workbench.model import SlaVersionId
from workbench.workbook import Workbook

AUTHORITY_PASSWORD = "copper lantern authority"
PASSWORDS = {"Zoë Müller": "zoe paints quiet harbours", "Daniel Okafor": "daniel rows amber canoes"}


@pytest.fixture
def context(demo: Workbook, tmp_path: Path) -> Iterator[AppContext]:
    ctx = AppContext(demo)
    ctx.data_dir = tmp_path / "data"
    yield ctx
    wait_for_workers()  # no preview or signing job outlives its test


@pytest.fixture
def screen(qtbot, context: AppContext) -> Iterator[SlaScreen]:
    widget = SlaScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    wait_for_preview(qtbot, widget.preview)
    yield widget
    widget.close()


def wait_for_preview(qtbot, preview: PdfPreview) -> None:
    """Wait until the preview shows pages and has nothing more queued."""
    qtbot.waitUntil(lambda: preview.page_count > 0 and not preview.is_updating,
                    timeout=20_000)


@dataclass
class Identities:
    """The demo draft's signatories, each with a certificate from the workbook's authority."""

    version_id: SlaVersionId
    sha256: dict[str, str]


@pytest.fixture
def signer_identities(context: AppContext) -> Identities:
    workbook = context.workbook
    folder = keys_dir(context)
    identities.create_authority(workbook, folder, AUTHORITY_PASSWORD)
    sha = {}
    for name, password in PASSWORDS.items():
        _, identity = identities.issue_identity(workbook, folder, AUTHORITY_PASSWORD, name,
                                                "", password)
        sha[name] = identity.sha256
    return Identities(workbook.sla.versions()[-1].id, sha)


def sign_with_core(context: AppContext, version_id: SlaVersionId, out: Path) -> None:
    """Sign a version with every signatory, through the core (a finished sign-off)."""
    session = SignOff(context.workbook, version_id, keys_dir(context))
    known = {i.subject: i.sha256 for i in identities.identities(context.workbook)}
    for signatory in context.workbook.sla.signatories(version_id):
        session.sign(signatory.id, known[signatory.name], PASSWORDS[signatory.name],
                     consent=True)
    session.finish(out)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Dialogs the screen opens, collected instead of run modally."""
    opened: list[object] = []

    def collect(dialog: object) -> int:
        opened.append(dialog)
        return 0

    monkeypatch.setattr(actions, "run_dialog", collect)
    return opened
