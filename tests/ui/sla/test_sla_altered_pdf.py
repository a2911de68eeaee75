"""A signed PDF stored in the workbook that is no longer the one signed (its SHA-256 differs
from the one recorded at signing) is never handed out: the SLA screen's preview and Export
PDF…, and File → Export…, say so instead, and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.context import AppContext
from ui.export.dialog import ExportDialog
from ui.sla.screen import SlaScreen
from ui.sla.workers import wait_for_workers

from .conftest import Identities, sign_with_core

ALTERED = "is not the one that was signed"


@pytest.fixture
def altered(context: AppContext, signer_identities: Identities, tmp_path: Path) -> Path:
    """Version 1 signed, then its stored PDF changed behind the app's back (as a tool
    editing the file would)."""
    sign_with_core(context, signer_identities.version_id, tmp_path / "signed.pdf")
    conn = context.workbook.db.conn
    conn.execute("DROP TRIGGER sla_documents_frozen_update")
    pdf = (tmp_path / "signed.pdf").read_bytes()
    conn.execute("UPDATE sla_documents SET pdf = ? WHERE version_id = ?",
                 (pdf + b"\n%altered\n", signer_identities.version_id))
    conn.commit()
    return tmp_path / "signed.pdf"


def test_the_screen_says_the_stored_pdf_was_altered_and_exports_nothing(
        qtbot, screen: SlaScreen, altered: Path, tmp_path: Path) -> None:
    screen.reload()
    assert screen.status_badge.text() == "Signed"
    assert ALTERED in screen.preview.message.text()
    assert screen.preview.page_count == 0
    assert screen.preview_note.text() == "The signed PDF is not shown"
    out = tmp_path / "export.pdf"
    screen.export_pdf(out)
    wait_for_workers()
    assert ALTERED in screen.notice.text() and screen.notice.isVisible()
    assert screen.export_button.isEnabled()
    assert not out.exists()


def test_file_export_refuses_the_altered_pdf(qtbot, context: AppContext,
                                             altered: Path) -> None:
    dialog = ExportDialog(context, kind="sla")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: ALTERED in dialog.preview.message.text(), timeout=5000)
    assert dialog.result_pdf is None and not dialog.save_button.isEnabled()
