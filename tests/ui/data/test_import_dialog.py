"""Importing leads through the dialog as a user does: pick a file, check the guesses and the
mapping, press Import, wait for the thread; then the rows are in the leads table and Edit →
Undo takes them out again. Bad files import nothing and say where they are bad; skipping
bad rows imports the rest and lists them; Cancel leaves the workbook exactly as it was."""

from __future__ import annotations

import csv
import multiprocessing
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.workbench.snapshot import dump
from ui.data.import_dialog import PAGES, ImportDialog
from ui.data.import_job import ImportJob
from ui.data.screen import DataScreen
from ui.shell.undo import redo_last_step, undo_last_step
from workbench.imports import chunk_source
from workbench.leads import LeadFilter

from .conftest import FIXTURES, wait_until_idle, write_csv_text


def open_dialog(qtbot, screen: DataScreen, answer_files: dict, path: Path) -> ImportDialog:
    answer_files["open"] = path
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    dialog = screen.import_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def page(dialog: ImportDialog) -> str:
    return PAGES[dialog.outcome_pages.currentIndex()]


def bad_dates_file(folder: Path, good: int, bad: int) -> Path:
    lines = ["Lead ID,Created,Source"]
    lines += [f"G-{i},2026-02-{1 + i % 27:02d},Webinar" for i in range(good)]
    lines += [f"B-{i},2026-02-30,Webinar" for i in range(bad - 1)]
    lines.append("B-last,=cmd(),Webinar")  # a formula: neutralised in the saved report
    return write_csv_text(folder, "bad dates.csv", "\n".join(lines) + "\n")


@pytest.fixture(params=["one process", "helper process"])
def reading(request, monkeypatch) -> str:
    """Run the test with the file read here, and again read by the helper process that big
    files get (forked from the dialog's worker thread)."""
    if request.param == "helper process":
        if not chunk_source.can_use_helper():
            pytest.skip("the helper process needs fork (Linux)")
        monkeypatch.setattr(chunk_source, "HELPER_BYTES", 0)
    return request.param


def test_a_hubspot_export_is_previewed_mapped_and_imported(qtbot, screen, answer_files,
                                                           reading) -> None:
    wb = screen.context.workbook
    dialog = open_dialog(qtbot, screen, answer_files, FIXTURES / "hubspot_contacts.csv")
    settings = dialog.settings
    assert settings.source.currentText() == "Preset: HubSpot contacts export"
    assert (settings.encoding.currentText(), settings.separator.currentData(),
            settings.dates.currentData()) == ("UTF-8", ",", "iso")
    assert dialog.rows.rowCount() == 5 and dialog.rows.item(0, 0).text() == "1001"
    columns = dialog.columns
    assert columns.combos["Record ID"].currentText() == "Lead ID"
    assert columns.combos["Create Date"].currentText() == "Created"
    assert columns.combos["Email"].currentText() == "— leave out —"  # personal details
    assert columns.combos["Lifecycle Stage"].currentText() == "Keep as attribute"
    row = list(columns.combos).index("Number of Employees")
    assert columns.item(row, 3).text() == ""
    row = list(columns.combos).index("Lifecycle Stage")
    assert columns.item(row, 3).text() == "Kept per lead (text)"
    assert columns.combos["Became a Customer Date"].currentText() == \
        "Won date + Date reached: Customer"
    glossary = {dialog.stages.item(r, 0).text(): dialog.stages.item(r, 1).text()
                for r in range(dialog.stages.rowCount())}
    assert glossary["Became a Marketing Qualified Lead Date"] == "Marketing Qualified Lead"
    assert glossary["Became a Lead Date"] == "Inquiry"

    with qtbot.waitSignal(screen.context.changed, timeout=20_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)
    assert page(dialog) == "result"
    assert dialog.result_panel.summary.text().startswith(
        "Imported: 5 added, 0 updated, 0 skipped.")
    assert wb.undo_name == "Import leads"
    tab = screen.leads_tab
    assert tab.count_label.text() == "4,305 leads"
    tab.source_combo.setCurrentIndex(tab.source_combo.findData("Paid Search"))
    assert tab.count_label.text() == "2 of 4,305 leads"
    assert [row[0] for row in tab.model.rows_as_text(0, 10)] == ["1001", "1003"]
    assert tab.model.rows_as_text(0, 1)[0][2] == "Customer"  # its furthest stage


def test_undo_from_the_context_takes_the_whole_import_out(qtbot, screen, answer_files) -> None:
    wb = screen.context.workbook
    before = dump(wb)
    dialog = open_dialog(qtbot, screen, answer_files, FIXTURES / "salesforce_leads.csv")
    assert dialog.settings.dates.currentData() == "us"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)
    after = dump(wb)
    assert screen.leads_tab.count_label.text() == "4,305 leads"
    dialog.accept()

    assert undo_last_step(screen.context).step == "Import leads"
    assert dump(wb) == before
    assert screen.leads_tab.count_label.text() == "4,300 leads"
    assert screen.summary.text().startswith("4,300 leads · 0 imports")
    redo_last_step(screen.context)
    assert dump(wb) == after
    assert screen.leads_tab.count_label.text() == "4,305 leads"


def test_a_bad_file_lists_the_first_problems_and_changes_nothing(qtbot, screen, answer_files,
                                                                 tmp_path) -> None:
    wb = screen.context.workbook
    before = dump(wb)
    dialog = open_dialog(qtbot, screen, answer_files, bad_dates_file(tmp_path, 20, 12))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)

    assert page(dialog) == "problems"
    problems = dialog.problems
    assert problems.title.text() == ("Nothing was imported — 12 problems found. The workbook "
                                     "is unchanged.")
    rows = problems.table.texts()
    assert len(rows) == 8
    assert rows[0][:4] == ["bad dates.csv", "22", "Created", "2026-02-30"]
    assert rows[0][4].startswith("is not a day in the calendar")
    assert problems.more.text().startswith("… and 4 more problems.")
    assert problems.skip_button.isVisible()
    assert dump(wb) == before
    assert wb.undo_name != "Import leads"
    assert screen.leads_tab.count_label.text() == "4,300 leads"
    assert screen.body.isEnabled()


def test_skipping_bad_rows_imports_the_rest_and_reports_them(qtbot, screen, answer_files,
                                                             tmp_path) -> None:
    wb = screen.context.workbook
    dialog = open_dialog(qtbot, screen, answer_files, bad_dates_file(tmp_path, 20, 12))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)
    qtbot.mouseClick(dialog.problems.skip_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)

    assert page(dialog) == "result"
    assert dialog.result_panel.summary.text().startswith(
        "Imported: 20 added, 0 updated, 12 skipped.")
    assert dialog.result_panel.table.rowCount() == 12
    assert screen.leads_tab.count_label.text() == "4,320 leads"
    assert wb.leads.count(LeadFilter(source="Webinar")) > 20
    answer_files["save"] = tmp_path / "skipped.csv"
    assert dialog.save_skipped_rows() == tmp_path / "skipped.csv"
    with open(tmp_path / "skipped.csv", encoding="utf-8-sig", newline="") as handle:
        saved = list(csv.reader(handle))
    assert saved[0] == ["File", "Line", "Column", "Value", "Expected"]
    assert len(saved) == 13
    assert saved[-1][1:4] == ["33", "Created", "'=cmd()"]


def test_cancel_leaves_the_workbook_exactly_as_before(qtbot, screen, answer_files, tmp_path,
                                                      monkeypatch, reading) -> None:
    wb = screen.context.workbook
    before = dump(wb)
    rows = "\n".join(f"C-{i},2026-03-{1 + i % 28:02d},Events" for i in range(6000))
    path = write_csv_text(tmp_path, "big.csv", "Lead ID,Created,Source\n" + rows + "\n")
    gate = threading.Event()
    report = ImportJob.report_progress

    def held_after_first_chunk(job: ImportJob, progress: object) -> None:
        report(job, progress)  # type: ignore[arg-type]
        gate.wait(20)  # the import waits here (off the GUI thread) until the test cancels

    monkeypatch.setattr(ImportJob, "report_progress", held_after_first_chunk)
    dialog = open_dialog(qtbot, screen, answer_files, path)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "rows read" in dialog.progress.rows.text(), timeout=20_000)
    assert page(dialog) == "progress"
    assert not screen.body.isEnabled()  # nothing else may use the workbook now
    assert not dialog.close_button.isEnabled() and not dialog.settings.isEnabled()

    qtbot.mouseClick(dialog.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.cancel_button.text() == "Cancelling…"
    gate.set()
    wait_until_idle(qtbot, dialog)

    assert dialog.message.text() == "Import cancelled; nothing was changed."
    assert dump(wb) == before
    assert wb.undo_name != "Import leads"
    assert screen.body.isEnabled()
    assert screen.leads_tab.count_label.text() == "4,300 leads"
    assert multiprocessing.active_children() == []


def test_an_empty_file_is_explained_and_cannot_be_imported(qtbot, screen, answer_files,
                                                           tmp_path) -> None:
    dialog = open_dialog(qtbot, screen, answer_files, write_csv_text(tmp_path, "e.csv", ""))
    assert page(dialog) == "problems"
    assert dialog.problems.title.text() == "This file cannot be imported."
    assert "the file is empty" in dialog.problems.more.text()
    assert not dialog.import_button.isEnabled()


def test_a_required_column_left_out_says_which_and_blocks_import(qtbot, screen,
                                                                  answer_files) -> None:
    dialog = open_dialog(qtbot, screen, answer_files, FIXTURES / "leads_bom.csv")
    assert dialog.import_button.isEnabled()
    dialog.columns.choose("Created", "")
    assert dialog.message.text() == ("Choose the column that holds the date each lead was "
                                     "created: every lead needs one. The closest columns in "
                                     "this file are “Created”.")
    assert not dialog.import_button.isEnabled()
    dialog.columns.choose("Created", "field:created")
    assert dialog.message.text() == "" and dialog.import_button.isEnabled()


def test_a_windows_file_is_read_as_guessed_and_a_wrong_override_is_refused(
        qtbot, screen, answer_files) -> None:
    wb = screen.context.workbook
    before = dump(wb)
    dialog = open_dialog(qtbot, screen, answer_files, FIXTURES / "leads_cp1252.csv")
    settings = dialog.settings
    assert settings.encoding.currentText() == "Windows-1252"
    assert settings.separator.currentData() == ";"
    assert settings.dates.currentData() == "eu" and settings.decimal_comma.isChecked()
    assert dialog.rows.item(0, 3).text() == "Müller & Söhne GmbH"

    settings.dates.setCurrentIndex(settings.dates.findData("us"))  # 14.01.2026: no month 14
    assert dialog.mapping.date_format == "us"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)
    assert page(dialog) == "problems"
    assert dialog.problems.table.texts()[0][2:4] == ["Created", "14.01.2026 09:30"]
    assert dump(wb) == before


def test_a_stage_column_shows_which_values_count_as_which_stage(qtbot, screen,
                                                                answer_files) -> None:
    dialog = open_dialog(qtbot, screen, answer_files, FIXTURES / "salesforce_leads.csv")
    assert dialog.columns.combos["Lead Status"].currentText() == "Stage (one column)"
    texts = [dialog.stages.item(r, 0).text() for r in range(dialog.stages.rowCount())]
    assert "Closed - Not Converted  (1×)" in texts
    assert "Closed - Not Converted" in dialog.stages.unmatched
    row = texts.index("Closed - Not Converted  (1×)")
    assert dialog.stages.item(row, 1).text().startswith("no stage")


def test_a_mapping_is_saved_under_a_name_and_deleted(qtbot, screen, answer_files,
                                                     monkeypatch) -> None:
    from ui.data import common

    wb = screen.context.workbook
    monkeypatch.setattr(common, "ask_name", lambda *_: "  Our  HubSpot ")
    dialog = open_dialog(qtbot, screen, answer_files, FIXTURES / "hubspot_contacts.csv")
    dialog.columns.choose("Email", "field:title")
    qtbot.mouseClick(dialog.settings.save_button, Qt.MouseButton.LeftButton)
    assert dialog.settings.source.currentText() == "Saved: Our HubSpot"
    assert wb.leads.mappings()["Our HubSpot"].fields["title"] == "Email"
    assert dialog.settings.delete_button.isEnabled()

    qtbot.mouseClick(dialog.settings.delete_button, Qt.MouseButton.LeftButton)
    assert wb.leads.mappings() == {}
    assert dialog.settings.source.findText("Saved: Our HubSpot") == -1


def test_in_the_window_edit_undo_names_and_reverses_the_import(qtbot, window, answer_files,
                                                               demo_file) -> None:
    window.show_area("data")
    screen = window.areas.current_page()
    assert isinstance(screen, DataScreen)
    dialog = open_dialog(qtbot, screen, answer_files, FIXTURES / "leads_bom.csv")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)
    assert window.menus.undo_action.text() == "&Undo Import leads"
    assert window.counts_label.text().startswith("7 stages · 6 quarters · 4,302 leads")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    window.menus.undo_action.trigger()
    assert window.counts_label.text().startswith("7 stages · 6 quarters · 4,300 leads")
    assert screen.leads_tab.count_label.text() == "4,300 leads"


def test_importing_the_same_export_again_reports_the_leads_unchanged(qtbot, screen,
                                                                     answer_files) -> None:
    wb = screen.context.workbook
    for _ in range(2):
        dialog = open_dialog(qtbot, screen, answer_files, FIXTURES / "hubspot_contacts.csv")
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        wait_until_idle(qtbot, dialog)
        dialog.accept()
    assert dialog.result_panel.summary.text().startswith(
        "Imported: 0 added, 0 updated, 5 unchanged, 0 skipped.")
    assert screen.leads_tab.count_label.text() == "4,305 leads"
    assert screen.leads_tab.last_import.text().endswith(
        "— 0 added, 0 updated, 5 unchanged, 0 skipped.")
    assert wb.leads.batches()[0].unchanged == 5


def test_a_money_column_that_feeds_nothing_is_flagged_and_asks_before_importing(
        qtbot, screen, answer_files, tmp_path, monkeypatch) -> None:
    wb = screen.context.workbook
    before = dump(wb)
    path = write_csv_text(tmp_path, "deals.csv", "Lead ID,Created,Pipeline-Wert\n"
                          "X-1,2026-01-07,\"12,500\"\nX-2,2026-01-08,\n")
    dialog = open_dialog(qtbot, screen, answer_files, path)
    row = list(dialog.columns.combos).index("Pipeline-Wert")
    assert dialog.columns.combos["Pipeline-Wert"].currentText() == "Keep as attribute"
    assert dialog.columns.item(row, 3).text() == "⚠ Looks like money"
    assert dialog.columns.item(row, 3).toolTip().startswith("It looks like money but feeds no "
                                                            "field")
    answers = iter([False, True])
    monkeypatch.setattr(ImportDialog, "confirm_flagged", lambda self: next(answers))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == ("Nothing imported: map the flagged columns (⚠), or "
                                     "import again and confirm them.")
    assert dump(wb) == before
    with qtbot.waitSignal(screen.context.changed, timeout=20_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)
    assert dialog.result_panel.summary.text().startswith("Imported: 2 added")
    assert "“Pipeline-Wert” kept as an attribute (number)" in dialog.result_panel.notes.text()
    stored = wb.db.conn.execute("SELECT attributes FROM leads WHERE external_id IN "
                                "('X-1', 'X-2') ORDER BY external_id").fetchall()
    assert [row[0] for row in stored] == ['{"Pipeline-Wert":12500}', "{}"]


def test_a_file_without_lead_ids_imports_with_ids_made_from_each_row(
        qtbot, screen, answer_files, tmp_path, reading) -> None:
    wb = screen.context.workbook
    path = write_csv_text(tmp_path, "no ids.csv",
                          "E-Mail,Full Name,Company,Created,Source\n"
                          "anna@nordlicht.example,Anna Berg,Nordlicht,2026-01-05,Web\n"
                          "li.lei@example.cn,李雷,上海物流,2026-01-06,Events\n")
    dialog = open_dialog(qtbot, screen, answer_files, path)
    assert dialog.message.text().startswith("Choose the column that holds the lead ID")
    assert "make them from each row" in dialog.message.text()
    assert dialog.make_ids.isVisible() and not dialog.import_button.isEnabled()
    dialog.make_ids.setChecked(True)
    assert dialog.import_button.isEnabled() and dialog.message.text() == ""
    row = list(dialog.columns.combos).index("E-Mail")
    assert dialog.columns.item(row, 3).text().startswith("Makes each lead's ID")
    with qtbot.waitSignal(screen.context.changed, timeout=20_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, dialog)
    made = [r[0] for r in wb.db.conn.execute(
        "SELECT external_id FROM leads WHERE import_batch IS NOT NULL ORDER BY id")]
    assert len(made) == 2 and all(i.startswith("gen-") for i in made)
