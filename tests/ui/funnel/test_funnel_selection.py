"""Selecting stages: clicking a band, the arrow keys, and the checker's findings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.funnel.items import BandItem
from workbench.model import Owner

from .conftest import click_band, stage_named


def test_clicking_a_band_shows_that_stage_in_the_side_panel(editor, demo):
    sal = stage_named(demo, "Sales Accepted Lead")
    click_band(editor, sal)
    panel = editor.panel
    assert panel.title.text() == "Sales Accepted Lead"
    assert panel.form.editor("name").text() == "Sales Accepted Lead"
    assert panel.form.editor("key").text() == "sal"
    assert panel.form.owner.currentText() == "Sales"
    assert panel.form.editor("definition").text().startswith("An MQL that a sales development")
    assert panel.form.editor("max_hours").text() == "72"
    assert panel.form.editor("target_conversion").text() == "60"
    assert editor.view.funnel.bands[sal].selected  # outlined as selected
    assert not editor.view.funnel.bands[stage_named(demo, "Inquiry")].selected


def test_arrow_keys_move_the_selection_down_and_up_the_funnel(editor, demo, qtbot):
    click_band(editor, stage_named(demo, "Inquiry"))
    qtbot.keyClick(editor.view, Qt.Key.Key_Down)
    assert editor.panel.title.text() == "Marketing Qualified Lead"
    qtbot.keyClick(editor.view, Qt.Key.Key_Down)
    qtbot.keyClick(editor.view, Qt.Key.Key_Up)
    qtbot.keyClick(editor.view, Qt.Key.Key_Up)
    qtbot.keyClick(editor.view, Qt.Key.Key_Up)  # already at the top: stays
    assert editor.panel.title.text() == "Website visit"


def test_a_checker_finding_selects_its_stage_and_focuses_its_field(editor, demo, context):
    mql = stage_named(demo, "Marketing Qualified Lead")
    context.perform(demo.funnel.update_stage, mql, owner=None)
    texts = [editor.checks.list.item(i).text() for i in range(editor.checks.list.count())]
    index = next(i for i, t in enumerate(texts) if "owner" in t.lower()
                 and "Marketing Qualified Lead" in t)
    item = editor.checks.list.item(index)
    rect = editor.checks.list.visualItemRect(item)
    from PySide6.QtTest import QTest
    QTest.mouseClick(editor.checks.list.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    assert editor.panel.title.text() == "Marketing Qualified Lead"
    assert QApplication.focusWidget() is editor.panel.form.owner


def test_a_clean_funnel_says_no_problems_found(editor, demo, context):
    sql = stage_named(demo, "Sales Qualified Lead")
    assert "1 problem" in editor.checks.heading.text()
    context.perform(demo.funnel.adopt_proposal, sql, "sales")
    assert editor.checks.heading.text() == "No problems found"
    assert editor.checks.list.isHidden()


def test_open_and_disputed_stages_carry_a_badge_in_the_diagram(editor, demo, context):
    def badges() -> list[str]:
        return sorted(child.text() for item in editor.view.funnel.items()
                      if not isinstance(item, BandItem)
                      for child in item.childItems()
                      if hasattr(child, "text") and child.text() in ("Open", "Disputed"))

    assert badges() == ["Disputed"]
    context.perform(demo.funnel.update_stage, stage_named(demo, "Inquiry"), agreement="open")
    assert badges() == ["Disputed", "Open"]
    context.perform(demo.funnel.adopt_proposal, stage_named(demo, "Sales Qualified Lead"),
                    "marketing")
    assert badges() == ["Open"]


def test_bands_take_their_owners_colour(editor, demo, context):
    customer = stage_named(demo, "Customer")
    before = editor.view.funnel.bands[customer].brush().color().name()
    context.perform(demo.funnel.update_stage, customer, owner=Owner.SALES.value)
    after = editor.view.funnel.bands[customer].brush().color().name()
    assert before.lower() == "#2a9d8f" and after.lower() == "#e07b24"


def test_the_screen_follows_the_open_workbook_and_copes_with_none(editor, context, blank, qtbot):
    context.set_workbook(None)
    assert editor.checks.heading.text() == "No workbook open"
    assert not editor.add_below_action.isEnabled()
    assert not editor.panel.form.isEnabled()
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.view, Qt.Key.Key_Down)
    context.set_workbook(blank)
    assert len(editor.view.funnel.bands) == len(blank.funnel.stages())
    first = blank.funnel.stages()[0]
    assert editor.panel.title.text() == first.name


def test_the_checker_follows_scoring_changes_made_elsewhere(editor, demo, context):
    context.perform(demo.scoring.set_thresholds, mql_threshold=100000)
    texts = [editor.checks.list.item(i).text() for i in range(editor.checks.list.count())]
    assert any("threshold" in text.lower() for text in texts)
