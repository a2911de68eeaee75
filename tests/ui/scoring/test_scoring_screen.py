"""The Scoring screen as a user sees it: dragging a threshold moves the MQL and conversion
figures live and saves on release (undoable), editing a rule redraws the histogram, a
refused rule says why in place, and the funnel checker's link opens the threshold."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from ui.context import AppContext
from ui.scoring.sandbox import Sandbox
from ui.scoring.screen import ScoringScreen
from ui.shell.undo import undo_last_step
from workbench.score_figures import cut_figures
from workbench.workbook import Workbook


@pytest.fixture
def screen(qtbot, demo: Workbook) -> ScoringScreen:
    context = AppContext(demo)
    widget = ScoringScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.tabs.setCurrentIndex(1)  # the sandbox
    return widget


def _expected(wb: Workbook, threshold: int):  # noqa: ANN202
    settings = replace(wb.scoring.settings(), mql_threshold=threshold)
    return cut_figures(wb.scoring.scores(), settings, wb.scoring.quadrants(),
                       wb.scoring.capacity())


def _drag(line, value: float) -> None:
    """What a mouse drag does to the line: positions while moving, then the drop."""
    line.setValue(value - 3.4)
    line.setValue(value)
    line.sigPositionChangeFinished.emit(line)


def test_a_tab_opened_later_shows_the_model_as_it_is_then(qtbot, demo: Workbook) -> None:
    """The Sandbox, Calibration and Buyer personas tabs are made when first opened: one
    opened after an edit on the Rules tab shows the edit."""
    widget = ScoringScreen(AppContext(demo))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.save_threshold("mql_threshold", 75)
    widget.tabs.setCurrentIndex(1)
    sandbox = widget.tabs.currentWidget().findChild(Sandbox)
    assert sandbox is widget.sandbox
    assert sandbox.histogram.line.value() == 75
    assert sandbox.mqls.value.text() == f"{_expected(demo, 75).mqls_per_month:,.1f}"


def test_dragging_the_threshold_moves_the_mql_and_conversion_figures(
        qtbot, screen: ScoringScreen) -> None:
    wb = screen.context.workbook
    sandbox = screen.sandbox
    at_60 = _expected(wb, 60)
    assert sandbox.mqls.value.text() == f"{at_60.mqls_per_month:,.1f}"
    sandbox.histogram.line.setValue(75.2)  # still dragging: shown, not saved
    at_75 = _expected(wb, 75)
    assert sandbox.mqls.value.text() == f"{at_75.mqls_per_month:,.1f}"
    assert sandbox.mqls.detail.text() == f"{at_75.mqls:,} MQLs over 18 months"
    assert sandbox.opportunities.value.text() == f"{at_75.became_opportunity.rate:.1%}"
    assert sandbox.customers.value.text() == f"{at_75.became_customer.rate:.1%}"
    assert wb.scoring.settings().mql_threshold == 60
    assert at_75.mqls < at_60.mqls


def test_the_drop_saves_the_threshold_and_edit_undo_puts_it_back(
        qtbot, screen: ScoringScreen) -> None:
    wb = screen.context.workbook
    _drag(screen.sandbox.histogram.line, 70)
    assert wb.scoring.settings().mql_threshold == 70
    assert wb.undo_name == "Change MQL threshold"
    assert screen.quadrants.thresholds["mql_threshold"].value() == 70
    undo_last_step(screen.context)
    assert screen.sandbox.histogram.line.value() == 60
    assert screen.sandbox.mqls.value.text() == f"{_expected(wb, 60).mqls_per_month:,.1f}"
    assert screen.quadrants.thresholds["mql_threshold"].value() == 60


def test_dragging_the_fit_line_moves_the_quadrant_counts(qtbot, screen: ScoringScreen) -> None:
    wb = screen.context.workbook
    _drag(screen.sandbox.density.lines["fit_threshold"], 35)
    assert wb.scoring.settings().fit_threshold == 35
    figures = cut_figures(wb.scoring.scores(), wb.scoring.settings(), wb.scoring.quadrants(),
                          wb.scoring.capacity())
    assert f"Fit and interest: {figures.quadrants[next(iter(figures.quadrants))]:,}" in \
        screen.sandbox.quadrant_counts.text()


def test_editing_a_rule_redraws_the_histogram(qtbot, screen: ScoringScreen) -> None:
    before = screen.sandbox.histogram.counts.copy()
    rules = screen.rules
    demo_rule = next(r for r in rules.rules if r.label == "Asked for a demo")
    rules.select_rule(demo_rule.id)
    rules.points.setValue(80)
    qtbot.mouseClick(rules.save_button, Qt.MouseButton.LeftButton)
    wb = screen.context.workbook
    assert next(r for r in wb.scoring.rules() if r.id == demo_rule.id).points == 80
    after = screen.sandbox.histogram.counts
    totals = wb.scoring.scores().total
    assert np.array_equal(after, np.bincount(totals - totals.min()))
    assert not np.array_equal(before, after)
    assert screen.sandbox.histogram.low == int(totals.min())


def test_a_refused_rule_says_why_under_the_form_and_is_not_stored(
        qtbot, screen: ScoringScreen) -> None:
    screen.tabs.setCurrentIndex(0)
    rules = screen.rules
    rules.clear_form()
    rules._set_field("industry")
    rules.operator.setCurrentIndex(rules.operator.findData("in"))
    rules.value.setText(" , ")
    count = len(screen.context.workbook.scoring.rules())
    qtbot.mouseClick(rules.add_button, Qt.MouseButton.LeftButton)
    assert rules.error.isVisible()
    assert rules.error.text() == ("The list is empty: name at least one value, separated by "
                                  "commas.")
    assert len(screen.context.workbook.scoring.rules()) == count


def test_fields_offer_the_comparisons_that_suit_their_type(screen: ScoringScreen) -> None:
    rules = screen.rules
    rules._set_field("industry")
    text_ops = [rules.operator.itemText(i) for i in range(rules.operator.count())]
    rules._set_field("employees")
    number_ops = [rules.operator.itemText(i) for i in range(rules.operator.count())]
    assert "≥" not in text_ops and "contains" in text_ops
    assert "≥" in number_ops and "between" in number_ops and "contains" not in number_ops


def test_the_lead_table_shows_model_and_crm_scores_and_why(qtbot, screen: ScoringScreen) -> None:
    qtbot.waitUntil(lambda: screen.sandbox.scores is not None
                    and not screen.sandbox.filling_tables)  # a turn after the plots
    table = screen.sandbox.leads
    model = table.model
    assert model.rowCount() == 4300
    top = [model.data(model.index(0, c)) for c in range(7)]
    assert top[3] == str(int(screen.context.workbook.scoring.scores().total.max()))
    table.view.selectRow(0)
    assert table.why.text().startswith(f"{top[0]}: fit ")
    assert "+30  Asked for a demo: demo_request equals yes" in table.why.text()


def test_the_sandbox_fills_its_tables_a_turn_after_its_plots(qtbot, screen: ScoringScreen
                                                            ) -> None:
    """The plots and the cut's figures first, the band and lead tables a turn of the event
    loop later: the window paints between the two."""
    sandbox = screen.sandbox
    qtbot.waitUntil(lambda: sandbox.scores is not None and not sandbox.filling_tables)
    wb = screen.context.workbook
    model = wb.scoring.model(screen.model_id)
    sandbox.bands.setRowCount(0)
    sandbox.show_scores(wb.scoring.scores(model.id), model.settings,
                        wb.scoring.quadrants(model.id), wb.scoring.capacity())
    assert sandbox.figures is not None and sandbox.mqls.value.text() != "—"
    assert sandbox.filling_tables and sandbox.bands.rowCount() == 0
    qtbot.waitUntil(lambda: not sandbox.filling_tables)
    assert sandbox.bands.rowCount() > 3
    assert sandbox.leads.model.rowCount() == 4300


def test_the_checker_link_opens_the_mql_threshold(qtbot, window) -> None:
    wb = window.context.workbook
    window.context.perform(wb.scoring.set_thresholds, mql_threshold=900)
    window.show_area("funnel")
    editor = window.areas.pages["funnel"]
    checks = editor.checks
    item = next(checks.list.item(i) for i in range(checks.list.count())
                if "MQL threshold of 900" in checks.list.item(i).text())
    checks.list.itemClicked.emit(item)
    assert window.current_area() == "scoring"
    scoring = window.areas.pages["scoring"]
    assert scoring.tabs.currentIndex() == 0
    assert scoring.quadrants.thresholds["mql_threshold"].hasFocus()
    assert scoring.quadrants.thresholds["mql_threshold"].value() == 900


def test_the_funnels_mql_stage_states_the_scoring_rule_and_follows_it(qtbot, window) -> None:
    wb = window.context.workbook
    window.show_area("funnel")
    editor = window.areas.pages["funnel"]
    mql = wb.funnel.stage_by_key("mql")
    editor.select_stage(mql.id)
    label = editor.panel.scoring_rule
    assert label.isVisibleTo(editor) and "at least 60 points with a fit score of at least 20" \
        in label.text()
    window.context.perform(wb.scoring.set_thresholds, mql_threshold=72)
    assert "at least 72 points" in label.text()
    editor.select_stage(wb.funnel.stage_by_key("sal").id)
    assert not label.isVisibleTo(editor)


def test_the_checker_link_opens_a_rule_on_a_missing_field(qtbot, shell_settings, data_dir,
                                                          demo_file) -> None:
    from tests.ui.conftest import make_window

    with sqlite3.connect(demo_file) as conn:  # leads from an export without that column
        conn.execute("UPDATE leads SET attributes = json_remove(attributes, "
                     "'$.webinar_attended')")
    conn.close()
    window = make_window(qtbot, shell_settings, data_dir)
    assert window.open_path(demo_file)
    wb = window.context.workbook
    rule = next(r for r in wb.scoring.rules() if r.label == "Attended a webinar")
    window.show_area("funnel")
    checks = window.areas.pages["funnel"].checks
    item = next(checks.list.item(i) for i in range(checks.list.count())
                if "“Attended a webinar”" in checks.list.item(i).text())
    checks.list.itemClicked.emit(item)
    assert window.current_area() == "scoring"
    rules = window.areas.pages["scoring"].rules
    assert rules.selected_rule() is not None and rules.selected_rule().id == rule.id
    assert rules.form_title.text() == "Rule: Attended a webinar"


def test_a_threshold_box_ignores_the_wheel_until_clicked(qtbot, screen: ScoringScreen) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    screen.tabs.setCurrentIndex(0)
    spin = screen.quadrants.thresholds["mql_threshold"]

    def wheel() -> None:
        event = QWheelEvent(QPointF(5, 5), QPointF(spin.mapToGlobal(QPoint(5, 5))), QPoint(),
                            QPoint(0, 120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(spin, event)

    screen.rules.value.setFocus()
    wheel()
    assert spin.value() == 60
    spin.setFocus()
    wheel()
    assert spin.value() == 61


@pytest.mark.parametrize(("counted_at_once", "banner"), [
    (True, "Scoring 4,300 leads…"), (False, "Scoring every lead…")])
def test_many_leads_are_scored_on_a_worker_thread_then_shown(qtbot, demo: Workbook,
                                                             monkeypatch, counted_at_once: bool,
                                                             banner: str) -> None:
    """Past SCORE_ELSEWHERE_FROM leads the sandbox opens at once with "—" and what is
    happening (how many leads, when they are few enough to count at once), and fills in
    with the figures scoring at once gives."""
    from ui.scoring import screen as screen_module
    from workbench import leads

    monkeypatch.setattr(screen_module, "SCORE_ELSEWHERE_FROM", 0)  # the demo's leads as many
    if not counted_at_once:
        monkeypatch.setattr(leads, "CHEAP_COUNT_UP_TO", 10)  # as ten million would be
    widget = ScoringScreen(AppContext(demo))
    qtbot.addWidget(widget)
    widget.tabs.setCurrentIndex(1)
    assert widget.sandbox.mqls.value.text() == "—"
    assert widget.banner.text().startswith(banner)
    qtbot.waitUntil(lambda: widget.sandbox.scores is not None, timeout=20_000)
    assert not widget.banner.isVisibleTo(widget)
    expected = _expected(demo, demo.scoring.settings().mql_threshold)
    assert widget.sandbox.figures == expected
    assert demo.scoring.lead_data_at_hand()  # kept: the calibration tab needs no second load
    widget.tabs.setCurrentIndex(2)  # drawn at once from the kept scores
    assert "calibration" not in widget._stale and not widget._scoring_elsewhere
