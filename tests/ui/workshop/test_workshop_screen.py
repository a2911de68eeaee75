"""The Workshop screen as the room sees it: participants of both sides answer one at a time
and the form forgets each one; a bad value is refused in place; the gap view puts the
largest gap first with the workbook's own figure beside the belief; answers come from a
CSV with the bad values named; decisions are recorded, linked and applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from ui.context import AppContext
from ui.data import common
from ui.shell.undo import undo_last_step
from ui.workshop.gap_view import evidence_words, gap_words
from ui.workshop.screen import WorkshopScreen
from workbench.closed_loop import follow_up
from workbench.figure_text import format_duration
from workbench.model import Team
from workbench.workbook import Workbook


@pytest.fixture
def screen(qtbot, demo: Workbook) -> WorkshopScreen:
    widget = WorkshopScreen(AppContext(demo))
    qtbot.addWidget(widget)
    widget.resize(1040, 660)
    widget.show()
    return widget


def answer(qtbot, screen: WorkshopScreen, team: Team, values: dict[str, str]) -> None:
    form = screen.form
    qtbot.mouseClick(form.side_buttons[team], Qt.MouseButton.LeftButton)
    for key, value in values.items():
        form.inputs[key].set_value(value)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)


def test_two_sides_answer_one_at_a_time_and_nothing_can_be_read_back(
        qtbot, screen: WorkshopScreen) -> None:
    wb = screen.context.workbook
    before = len(wb.workshop.participants())
    answer(qtbot, screen, Team.MARKETING, {"same_goal": "5", "horizon": "This year",
                                           "follow_up_hours": "12",
                                           "mql_definition": "Fit <b>and</b> intent, ça va 🚀"})
    assert screen.form.saved.text() == ("Saved: 4 answers for marketing. Hand the laptop to "
                                        "the next person.")
    assert screen.form.values() == {} and screen.form.team is None
    assert not any(b.isChecked() for b in screen.form.side_buttons.values())
    assert not screen.form.save_button.isEnabled()
    answer(qtbot, screen, Team.SALES, {"follow_up_hours": "96"})
    assert screen.form.saved.text() == ("Saved: 1 answer for sales. Hand the laptop to the "
                                        "next person.")
    people = wb.workshop.participants()[before:]
    assert [(p.team, p.name, p.answered) for p in people] == [
        (Team.MARKETING, "", 4), (Team.SALES, "", 1)]
    assert screen.counts.text() == "5 marketing participants, 6 sales participants"
    undo_last_step(screen.context)
    assert screen.counts.text() == "5 marketing participants, 5 sales participants"


def test_a_bad_value_is_refused_in_place_and_nothing_is_stored(
        qtbot, screen: WorkshopScreen) -> None:
    wb = screen.context.workbook
    before = wb.workshop.answers()
    answer(qtbot, screen, Team.SALES, {"follow_up_hours": "two days", "same_goal": "3"})
    assert screen.form.error.isVisible()
    assert screen.form.error.text() == ("“Within how many hours must sales follow up a new "
                                        "MQL?”: expected a number from 0 to 8760, not "
                                        "“two days”.")
    assert wb.workshop.answers() == before
    assert screen.form.values() == {"follow_up_hours": "two days", "same_goal": "3"}


def test_the_gap_view_shows_the_largest_gap_first_and_the_data_beside_the_belief(
        screen: WorkshopScreen) -> None:
    screen.show_tab("gaps")
    gaps = screen.gap_list.gaps
    # horizon: marketing This quarter 2, This year 2; sales This month 4, This quarter 1 →
    # ½(|.5-.2| + |.5-0| + |0-.8|) = 0.8, tied with revenue_owner and asked first
    assert [g.question.key for g in gaps[:2]] == ["horizon", "revenue_owner"]
    assert gap_words(gaps[0]) == "gap 80 %"
    hours = next(g for g in gaps if g.question.key == "follow_up_hours")
    assert hours.summary == "median 24 h vs 72 h"
    wb = screen.context.workbook
    quarter = wb.plan.quarters()[-1]
    median = follow_up(wb, quarter.id, 24).median_hours
    assert evidence_words(screen.gap_list.evidence["follow_up_hours"]) == (
        f"Your data: {format_duration(median)}")
    assert screen.evidence_note.text() == f"“Your data” is {quarter.label}'s, from this workbook."
    assert [a.area for a in screen.radar.areas][0] == "Focus and time horizon"


def test_answers_come_from_a_csv_and_the_bad_values_are_named(
        qtbot, screen: WorkshopScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("side,same_goal,follow_up_hours\nsales,2,48\nmarketing,8,24\n"
                    "legal,3,3\n", encoding="utf-8")
    asked: list[str] = []
    monkeypatch.setattr(common, "ask_import_path", lambda *a: path)
    monkeypatch.setattr(common, "confirm", lambda parent, title, text, action:
                        asked.append(text) or True)
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    assert asked == ["answers.csv: 2 participants to import. These values are not stored:\n\n"
                     "line 3, same_goal: expected a whole number from 1 to 5, not “8”; not "
                     "stored\nline 4: side “legal” is neither marketing nor sales: the row "
                     "is not stored"]
    assert screen.counts.text() == "5 marketing participants, 6 sales participants"


def test_a_cancelled_csv_import_changes_nothing(
        qtbot, screen: WorkshopScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("side,same_goal\nsales,9\nsales,2\n", encoding="utf-8")
    monkeypatch.setattr(common, "ask_import_path", lambda *a: path)
    monkeypatch.setattr(common, "confirm", lambda *a: False)
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    assert screen.counts.text() == "4 marketing participants, 5 sales participants"


def test_a_decision_is_recorded_linked_and_applied(qtbot, screen: WorkshopScreen) -> None:
    wb = screen.context.workbook
    panel = screen.decisions
    screen.show_tab("decisions")
    panel.text.setText("MQL = score ≥ 60 <and> a demo request")
    panel.owner.setText("Zoë (marketing ops)")
    panel.kind.setCurrentIndex(panel.kind.findData("stage"))
    panel.item.setCurrentIndex(panel.item.findData("mql"))
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    mql = wb.funnel.stage_by_key("mql")
    assert panel.table.rowCount() == 4
    assert [panel.table.item(3, c).text() for c in range(3)] == [
        "MQL = score ≥ 60 <and> a demo request", "Zoë (marketing ops)", f"Stage: {mql.name}"]
    assert panel.text.text() == ""
    requested: list[tuple[str, object]] = []
    screen.context.area_requested.connect(lambda key, target: requested.append((key, target)))
    messages: list[str] = []
    screen.context.status.connect(lambda text, ms: messages.append(text))
    panel.table.selectRow(3)
    assert panel.apply.isEnabled()
    qtbot.mouseClick(panel.apply, Qt.MouseButton.LeftButton)
    assert requested == [("funnel", int(mql.id))]
    assert messages[-1] == ("To apply: MQL = score ≥ 60 <and> a demo request — owner: Zoë "
                            "(marketing ops)")
    panel.table.selectRow(0)  # the demo's decision settles a question: its gap is shown
    qtbot.mouseClick(panel.apply, Qt.MouseButton.LeftButton)
    assert screen.tabs.currentIndex() == 1


def test_tabs_opened_later_show_what_changed_before(qtbot, screen: WorkshopScreen) -> None:
    """Decisions and Questions are made when first opened: they show the workbook as it
    is then, changes made elsewhere meanwhile included."""
    context = screen.context
    wb = context.workbook
    context.perform(lambda: wb.workshop.record_decision("Follow up within 24 h — 李雷",
                                                        owner="Sales ops"))
    context.perform(lambda: wb.workshop.edit_question(
        wb.workshop.questions()[0].key, text="Même objectif ?", area="Focus"))
    screen.show_tab("decisions")
    table = screen.tabs.currentWidget().findChild(QTableWidget)
    texts = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert texts[-1] == "Follow up within 24 h — 李雷" and len(texts) == 4
    screen.show_tab("questions")
    table = screen.tabs.currentWidget().findChild(QTableWidget)
    assert table.item(0, 2).text() == "Même objectif ?"


def test_an_empty_decision_is_refused_in_place(qtbot, screen: WorkshopScreen) -> None:
    panel = screen.decisions
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    assert panel.error.text() == "A decision needs some text."
    assert panel.table.rowCount() == 3


def test_apply_opens_the_stage_in_the_funnel_editor(qtbot, shell_settings, data_dir,
                                                   demo_file) -> None:
    from ..conftest import make_window

    window = make_window(qtbot, shell_settings, data_dir)
    window.start(demo_file)
    wb = window.context.workbook
    wb.workshop.record_decision("SAL means a call is booked", owner="SDR lead",
                                settles=("stage", "sal"))
    window.show_area("workshop")
    screen = window.areas.current_page()
    screen.refresh()
    screen.decisions.table.selectRow(3)
    qtbot.mouseClick(screen.decisions.apply, Qt.MouseButton.LeftButton)
    assert window.current_area() == "funnel"
    editor = window.areas.current_page()
    assert editor.selected_id == wb.funnel.stage_by_key("sal").id
    assert window.statusBar().currentMessage() == "To apply: SAL means a call is booked — " \
                                                  "owner: SDR lead"
    window.close()


def test_the_report_button_previews_the_workshop_report(
        qtbot, screen: WorkshopScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.export.dialog import ExportDialog
    from ui.workshop import screen as screen_module

    shown: list[ExportDialog] = []

    def preview(context: AppContext, parent: object) -> None:
        dialog = ExportDialog(context, None, kind="workshop")
        qtbot.addWidget(dialog)
        shown.append(dialog)

    monkeypatch.setattr(screen_module, "show_report_dialog", preview)
    qtbot.mouseClick(screen.report_button, Qt.MouseButton.LeftButton)
    dialog = shown[0]
    qtbot.waitUntil(lambda: dialog.result_pdf is not None, timeout=20_000)
    assert dialog.status.text().startswith("Workshop report")
    assert dialog.quarter_box.isHidden()
    assert dialog.result_pdf.page_count == 3
    dialog.reject()


def test_presentation_mode_in_with_f5_through_with_arrows_and_out_with_esc(
        qtbot, screen: WorkshopScreen) -> None:
    screen.setFocus()
    qtbot.keyClick(screen, Qt.Key.Key_F5)
    shown = screen.presenter.window
    assert shown is not None and shown.isVisible() and shown.isFullScreen()
    assert shown.slide_title() == "Root-cause areas by team"
    qtbot.keyClick(shown, Qt.Key.Key_Right)
    assert shown.slide_title() == "Question 1 of 19, largest gap first"
    assert screen.results.gaps[0].question.key == "horizon"
    qtbot.keyClick(shown, Qt.Key.Key_Space)
    qtbot.keyClick(shown, Qt.Key.Key_Space)
    assert screen.results.gaps[shown.index - 1].question.key == "follow_up_hours"
    qtbot.keyClick(shown, Qt.Key.Key_Left)
    assert shown.index == 2
    qtbot.keyClick(shown, Qt.Key.Key_End)
    assert shown.slide_title() == "Decisions and owners"
    qtbot.keyClick(shown, Qt.Key.Key_Right)  # the last slide stays
    assert shown.slide_title() == "Decisions and owners"
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_F5)
    assert screen.presenter.window.isVisible()
    qtbot.keyClick(screen.presenter.window, Qt.Key.Key_F5)
    assert not screen.presenter.window.isVisible()


def test_presentation_says_where_the_data_comes_from_or_why_there_is_none() -> None:
    from ui.workshop.presentation import evidence_said
    from workbench.workshop_evidence import Evidence

    assert evidence_said(Evidence(13.1, "13.1 h", "median MQL → first touch")) == (
        "Your data: 13.1 h — median MQL → first touch")
    assert evidence_said(Evidence(None, "—", "", "no plan is committed for 2026Q3")) == (
        "Your data: — (no plan is committed for 2026Q3)")


def test_a_question_is_reworded_for_this_workbook_and_undone(
        qtbot, screen: WorkshopScreen) -> None:
    screen.show_tab("questions")
    panel = screen.questions
    assert panel.table.rowCount() == 19
    panel.table.selectRow(0)
    assert panel.text.text() == "Both teams work towards the same revenue goal for the quarter."
    panel.text.setText("Nous visons le même objectif <b>de revenu</b> 🎯")
    panel.area.setText("Focus 焦点")
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    assert panel.table.item(0, 2).text() == "Nous visons le même objectif <b>de revenu</b> 🎯"
    assert panel.table.item(0, 1).text() == "Focus 焦点"
    form_text = [w.text() for w in screen.form.findChildren(type(screen.counts))]
    assert "1. Nous visons le même objectif <b>de revenu</b> 🎯" in form_text
    undo_last_step(screen.context)
    assert panel.table.item(0, 2).text() == ("Both teams work towards the same revenue goal "
                                             "for the quarter.")


def test_a_question_left_empty_is_refused_in_place(qtbot, screen: WorkshopScreen) -> None:
    screen.show_tab("questions")
    panel = screen.questions
    panel.table.selectRow(2)
    panel.text.setText("  ")
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    assert panel.error.text() == "A question needs its text; it was left as it was."
    assert panel.table.item(2, 2).text() == "Marketing's long-term work (brand, content) is " \
                                            "valued by sales."


def test_a_csv_that_is_not_utf8_is_one_message_and_nothing_changes(
        qtbot, screen: WorkshopScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes("side,same_goal\nventes,3\n".encode("utf-16"))
    errors: list[str] = []
    monkeypatch.setattr(common, "ask_import_path", lambda *a: path)
    monkeypatch.setattr(common, "show_error", lambda parent, title, text: errors.append(text))
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    assert errors == ["answers.csv: is not UTF-8 text; save it as “CSV UTF-8” and import it "
                      "again."]
    assert screen.counts.text() == "4 marketing participants, 5 sales participants"


def test_a_blank_answer_sheet_is_saved_for_filling_in_before_the_workshop(
        qtbot, screen: WorkshopScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sheet.csv"
    monkeypatch.setattr(common, "ask_csv_path", lambda *a: path)
    messages: list[str] = []
    screen.context.status.connect(lambda text, ms: messages.append(text))
    qtbot.mouseClick(screen.sheet_button, Qt.MouseButton.LeftButton)
    assert messages == ["Saved sheet.csv: one row per participant, then Import answers…"]
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:2] == ["side", "name"] and len(header) == 2 + 19
