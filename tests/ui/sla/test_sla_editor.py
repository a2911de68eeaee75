"""The SLA editor as a user sees it: edits land in the workbook (one undo step each) and
refresh the PDF preview; refused values say why; a signed version is read-only; the
required-term check lists what is missing and export refuses until it is settled."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from reports.sla_export import read_terms
from ui.context import AppContext
from ui.shell.undo import redo_last_step, undo_last_step
from ui.sla.screen import SlaScreen
from ui.sla.terms import TermEditor

from .conftest import Identities, sign_with_core, wait_for_preview

LONG_CLAUSE = "Both teams handle lead data under the GDPR and delete it on request. " * 90


def _type(field, text: str) -> None:
    """Type into a bound field and leave it, as a user tabbing on would."""
    editor = field.editor
    editor.setFocus()
    editor.setText(text) if hasattr(editor, "setText") else editor.setPlainText(text)
    if hasattr(editor, "editingFinished"):
        editor.editingFinished.emit()
    else:
        editor.committed.emit()


def _clause_titles(screen: SlaScreen) -> list[str]:
    editors = sorted(screen.editor.clause_editors.values(), key=lambda e: e.number.text())
    return [e.title.editor.text() for e in editors]


def _pdf_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
    finally:
        document.close()


def _term(screen: SlaScreen, key: str) -> TermEditor:
    return next(e for e in screen.editor.term_editors.values() if e.key == key)


def test_adding_a_clause_updates_the_workbook_and_the_preview(qtbot, screen: SlaScreen,
                                                              context: AppContext) -> None:
    pages_before = screen.preview.page_count
    images_before = [image.copy() for image in screen.preview.page_images]
    qtbot.mouseClick(screen.editor.add_clause_button, Qt.MouseButton.LeftButton)
    (clause,) = screen.editor.clause_editors.values()
    _type(clause.title, "Data protection")
    _type(clause.body, LONG_CLAUSE)
    vid = screen.version_id
    stored = [t for t in context.workbook.sla.terms(vid) if t.title == "Data protection"]
    assert len(stored) == 1 and stored[0].body == LONG_CLAUSE
    assert clause.number.text() == "2.1"
    qtbot.waitUntil(lambda: screen.preview.page_count > pages_before, timeout=20_000)
    wait_for_preview(qtbot, screen.preview)
    text = _pdf_text(screen.preview.pdf)
    assert "Data protection" in text and "Further clauses" in text
    changed = [i for i, image in enumerate(screen.preview.page_images[:len(images_before)])
               if image != images_before[i]]
    assert changed, "no page of the preview changed"


def test_a_refused_setting_says_why_and_changes_nothing(qtbot, screen: SlaScreen,
                                                         context: AppContext) -> None:
    attempts = _term(screen, "follow_up").parameters["follow_up_attempts"]
    vid = screen.version_id
    _type(attempts, "0")
    assert attempts.refused
    assert attempts.error.text() == "The number of attempts must be a whole number from 1 to 100."
    assert attempts.editor.text() == "0"  # what was typed stays, flagged
    assert "follow_up_attempts" not in context.workbook.sla.parameters(vid)
    _type(attempts, "7")
    assert not attempts.refused
    assert context.workbook.sla.parameters(vid)["follow_up_attempts"] == "7"
    assert dict(screen.state.document.term("follow_up").facts)["Attempts"] == "7"


def test_live_facts_show_where_they_come_from_and_follow_the_funnel(
        qtbot, screen: SlaScreen, context: AppContext) -> None:
    sales_ready = _term(screen, "sales_ready")
    assert sales_ready.source.text() == "from Funnel → MQL · Scoring → MQL threshold"
    assert ("Score", "at least 60 points") in sales_ready.fact_texts()
    follow_up = _term(screen, "follow_up")
    _type(follow_up.body, "First touch within {follow_up_hours} hours, {follow_up_attempts} tries.")
    assert follow_up.filled.text() == "In the PDF: First touch within 24 hours, 6 tries."
    mql = context.workbook.funnel.stage_by_key("mql")
    context.perform(context.workbook.funnel.update_stage, mql.id, max_hours=48)
    assert follow_up.filled.text() == "In the PDF: First touch within 48 hours, 6 tries."
    assert ("First touch within", "48 h") in follow_up.fact_texts()
    assert follow_up.body.editor.text().startswith("First touch within {follow_up_hours}")


def test_clauses_move_and_delete_and_each_step_undoes_and_redoes(
        qtbot, screen: SlaScreen, context: AppContext) -> None:
    for title in ("Holidays", "Data protection"):
        qtbot.mouseClick(screen.editor.add_clause_button, Qt.MouseButton.LeftButton)
        newest = max(screen.editor.clause_editors)
        _type(screen.editor.clause_editors[newest].title, title)
    assert _clause_titles(screen) == ["Holidays", "Data protection"]
    first = next(e for e in screen.editor.clause_editors.values()
                 if e.title.editor.text() == "Holidays")
    assert not first.buttons[0].isEnabled()  # already first: cannot move up
    qtbot.mouseClick(first.buttons[1], Qt.MouseButton.LeftButton)  # down
    assert _clause_titles(screen) == ["Data protection", "Holidays"]
    undo_last_step(context)
    assert _clause_titles(screen) == ["Holidays", "Data protection"]
    redo_last_step(context)
    assert _clause_titles(screen) == ["Data protection", "Holidays"]
    holidays = next(e for e in screen.editor.clause_editors.values()
                    if e.title.editor.text() == "Holidays")
    qtbot.mouseClick(holidays.buttons[2], Qt.MouseButton.LeftButton)  # delete
    assert _clause_titles(screen) == ["Data protection"]
    assert all(t.title != "Holidays" for t in context.workbook.sla.terms(screen.version_id))
    undo_last_step(context)
    assert _clause_titles(screen) == ["Data protection", "Holidays"]
    redo_last_step(context)
    assert _clause_titles(screen) == ["Data protection"]


def test_signatory_edits_and_signing_order(qtbot, screen: SlaScreen,
                                           context: AppContext) -> None:
    qtbot.mouseClick(screen.editor.add_signatory_button, Qt.MouseButton.LeftButton)
    newest = max(screen.editor.signatory_rows)
    row = screen.editor.signatory_rows[newest]
    _type(row.fields["name"], "李雷")
    _type(row.fields["title"], "Chief Revenue Officer")
    sla = context.workbook.sla
    assert [s.name for s in sla.signatories(screen.version_id)] == [
        "Zoë Müller", "Daniel Okafor", "李雷"]
    assert row.order.text() == "3"
    qtbot.mouseClick(row.move_buttons[0], Qt.MouseButton.LeftButton)  # sign earlier
    assert [s.name for s in sla.signatories(screen.version_id)][1] == "李雷"
    assert screen.editor.signatory_rows[newest].order.text() == "2"
    _type(screen.editor.signatory_rows[newest].fields["name"], "")
    assert screen.editor.signatory_rows[newest].fields["name"].error.text() == \
        "A signatory needs a name."
    assert "李雷" in [s.name for s in sla.signatories(screen.version_id)]


def test_a_signed_version_is_read_only_until_a_new_version(
        qtbot, screen: SlaScreen, context: AppContext, signer_identities: Identities,
        tmp_path: Path) -> None:
    sign_with_core(context, signer_identities.version_id, tmp_path / "signed.pdf")
    screen.reload()
    assert screen.banner.isVisible()
    assert screen.banner_text.text().startswith("Signed on 20")
    assert screen.banner_text.text().endswith("start a new version to change it.")
    assert screen.status_badge.text() == "Signed"
    assert not screen.sign_button.isEnabled()
    assert screen.editor.details.fields["title"].editor.isReadOnly()
    wording = _term(screen, "delivery").body
    assert wording.editor.isReadOnly()
    assert not screen.editor.add_clause_button.isVisible()
    assert not screen.editor.add_signatory_button.isVisible()
    step = context.workbook.undo_name
    wording.editor.setPlainText("Sneaky edit")
    wording.commit()
    assert context.workbook.undo_name == step  # nothing was even attempted
    qtbot.waitUntil(lambda: screen.preview.pdf == (tmp_path / "signed.pdf").read_bytes(),
                    timeout=20_000)
    qtbot.mouseClick(screen.banner_new, Qt.MouseButton.LeftButton)
    assert screen.version_combo.currentText() == "Version 2 — Draft"
    assert not screen.banner.isVisible()
    assert not _term(screen, "delivery").body.editor.isReadOnly()


def test_the_check_lists_every_missing_term_and_export_is_refused(
        qtbot, screen: SlaScreen, context: AppContext, tmp_path: Path) -> None:
    workbook = context.workbook
    mql = workbook.funnel.stage_by_key("mql")
    context.perform(workbook.funnel.update_stage, mql.id, max_hours=None)
    for plan in workbook.plan.plans():
        if plan.committed:
            context.perform(workbook.plan.delete_plan, plan.id)
    texts = screen.editor.readiness.texts()
    assert any(t.startswith("The SLA has no lead number") for t in texts)
    assert any(t.startswith("The SLA has no follow-up time") for t in texts)
    assert not screen.export_button.isEnabled()
    assert not screen.sign_button.isEnabled()
    screen.export_pdf(tmp_path / "sla.pdf")
    assert screen.notice.text().startswith("Not exported — the SLA lacks a required term")
    assert not (tmp_path / "sla.pdf").exists()


def test_export_writes_the_draft_with_its_terms_attached(
        qtbot, screen: SlaScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "sla.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.notice.text().startswith("Exported"), timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert read_terms(target).version == 1
    assert [p.name for p in target.parent.iterdir()] == ["sla.pdf"]  # no partial file left


def test_an_amendment_starts_from_the_signed_version(
        qtbot, screen: SlaScreen, context: AppContext, signer_identities: Identities,
        tmp_path: Path) -> None:
    sign_with_core(context, signer_identities.version_id, tmp_path / "signed.pdf")
    screen.reload()
    qtbot.mouseClick(screen.banner_amend, Qt.MouseButton.LeftButton)
    assert screen.version_combo.currentText() == "Amendment 2 — Draft"
    assert screen.status_badge.text() == "Draft"
    assert screen.state.document.amends_version == 1
    assert [e.title.editor.text() for e in screen.editor.term_editors.values()] == [
        t.title for t in context.workbook.sla.terms(signer_identities.version_id)]
    undo_last_step(context)
    assert screen.version_combo.currentText() == "Version 1 — Signed"


def test_a_hidden_screen_catches_up_when_shown_again(qtbot, screen: SlaScreen,
                                                     context: AppContext) -> None:
    delivery = _term(screen, "delivery")
    screen.hide()
    context.perform(context.workbook.sla.edit_term, delivery.term_id, title="Lead delivery")
    assert delivery.title.editor.text() == "When and how leads are delivered"  # not yet
    screen.show()
    assert delivery.title.editor.text() == "Lead delivery"
