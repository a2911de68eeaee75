"""Comparing versions (a redline: inserted words green and underlined, deleted words red
and struck) and verifying a signed PDF in the app (a big green, amber or red verdict, and
each signature's findings; the untrusted roots are in tests/ui/sla/test_sla_trust.py)."""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtCore import Qt

from ui.context import AppContext
from ui.sla.redline import DELETE_STYLE, INSERT_STYLE, CompareDialog, segments_html
from ui.sla.screen import SlaScreen
from ui.sla.verify_view import VerifyDialog

from .conftest import Identities, sign_with_core


def test_the_redline_shows_a_changed_term_word_by_word(
        qtbot, screen: SlaScreen, context: AppContext, signer_identities: Identities,
        tmp_path: Path, dialogs: list[object]) -> None:
    sla = context.workbook.sla
    sign_with_core(context, signer_identities.version_id, tmp_path / "v1.pdf")
    _, v2 = sla.new_version()
    delivery = next(t for t in sla.terms(v2) if t.key == "delivery")
    sla.edit_term(delivery.id, body=delivery.body.replace("real time", "one hour"))
    screen.reload()
    assert screen.compare_button.isEnabled()
    qtbot.mouseClick(screen.compare_button, Qt.MouseButton.LeftButton)
    (dialog,) = dialogs
    assert isinstance(dialog, CompareDialog)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "Version 1 → version 2: 1 changed"
    (change,) = dialog.changes
    assert change.title == "When and how leads are delivered"
    rich = dialog.browser.toHtml()
    text = dialog.browser.toPlainText()
    assert "CHANGED" in text and "When and how leads are delivered" in text
    assert "one hour" in text and "real time" in text
    assert "underline" in rich and "line-through" in rich
    assert f'<span style="{INSERT_STYLE}">one hour' in segments_html(change)
    assert f'<span style="{DELETE_STYLE}">real time' in segments_html(change)


def test_markup_in_a_term_is_shown_literally_in_the_redline(
        qtbot, context: AppContext, signer_identities: Identities, tmp_path: Path) -> None:
    sla = context.workbook.sla
    sign_with_core(context, signer_identities.version_id, tmp_path / "v1.pdf")
    _, v2 = sla.new_version()
    sla.add_clause(v2, "Tags", "<b>bold</b> & <img src=x>")
    dialog = CompareDialog(context, signer_identities.version_id, v2)
    qtbot.addWidget(dialog)
    assert "<b>bold</b> & <img src=x>" in dialog.browser.toPlainText()
    assert dialog.changes[0].kind == "added"


def test_verify_shows_a_green_verdict_for_a_signed_pdf_and_red_when_tampered(
        qtbot, context: AppContext, signer_identities: Identities, tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = tmp_path / "sla.pdf"
    sign_with_core(context, signer_identities.version_id, signed)
    dialog = VerifyDialog(context, signed)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=30_000)
    assert dialog.headline.text() == "Valid"
    assert dialog.headline.objectName() == "verdictGood"
    assert dialog.table.rowCount() == 2
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["Zoë Müller", "Daniel Okafor"]
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(6)] == [
        "Signer", "Signed (UTC)", "Intact", "Trust", "Unchanged", "Problems"]
    assert [dialog.table.item(r, 3).text() for r in range(2)] == ["✓ trusted root"] * 2
    assert dialog.explanation.text().startswith("All 2 signatures are intact and chain to a "
                                                "root you trust")
    assert dialog.sources.text() == ("Checked against this workbook's signing authority "
                                     "(Brightline Logistics Software SLA authority).")
    assert dialog.roots_box.isHidden()
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    page = writer.root["/Pages"]["/Kids"][2].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(
        stream_data=b"BT /F1 24 Tf 72 700 Td (Marketing delivers 5 leads) Tj ET"))
    writer.update_container(page)
    tampered = tmp_path / "tampered.pdf"
    with open(tampered, "wb") as handle:
        writer.write(handle)
    dialog.path = tampered
    dialog.start()
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=30_000)
    assert dialog.headline.text() == "Not valid"
    assert dialog.headline.objectName() == "verdictBad"
    assert "changed after" in dialog.explanation.text()
    assert "✕ changed" in [dialog.table.item(r, 4).text() for r in range(2)]


def test_verify_explains_a_file_that_is_not_a_signed_pdf(qtbot, context: AppContext,
                                                          tmp_path: Path) -> None:
    junk = tmp_path / "notes.pdf"
    junk.write_text("not a pdf at all")
    dialog = VerifyDialog(context, junk)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=30_000)
    assert dialog.headline.text() == "Not valid"
    assert dialog.explanation.text().startswith("Not a readable PDF")
    assert dialog.table.rowCount() == 0
