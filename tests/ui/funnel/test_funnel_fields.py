"""Editing a stage's fields in the side panel: what is stored, what the diagram shows, and
what a refused value looks like."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import click_band, stage_named


def _type_and_enter(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_new_definition_is_stored_and_shown_on_the_band(editor, demo, context, qtbot):
    mql = stage_named(demo, "Marketing Qualified Lead")
    click_band(editor, mql)
    definition = editor.panel.form.editor("definition")
    definition.setFocus()
    definition.selectAll()
    qtbot.keyClicks(definition, "Score of 60 or more.")
    editor.panel.form.editor("name").setFocus()  # leaving the field commits it
    assert demo.funnel.stage(mql).definition == "Score of 60 or more."
    assert editor.view.funnel.bands[mql].toolTip() == "Score of 60 or more."
    assert demo.undo_name == "Edit definition"
    context.perform(demo.undo)
    assert demo.funnel.stage(mql).definition.startswith("A lead in our ideal customer")
    assert definition.text().startswith("A lead in our ideal customer")


def test_ctrl_enter_commits_a_text_field_without_leaving_it(editor, demo, qtbot):
    sal = stage_named(demo, "Sales Accepted Lead")
    click_band(editor, sal)
    exit_criteria = editor.panel.form.editor("exit_criteria")
    exit_criteria.setFocus()
    exit_criteria.selectAll()
    qtbot.keyClicks(exit_criteria, "Discovery call held.")
    qtbot.keyClick(exit_criteria, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert demo.funnel.stage(sal).exit_criteria == "Discovery call held."
    assert exit_criteria.text() == "Discovery call held."


def test_percent_and_hours_fields_store_fractions_and_hours(editor, demo, qtbot):
    sal = stage_named(demo, "Sales Accepted Lead")
    click_band(editor, sal)
    _type_and_enter(qtbot, editor.panel.form.editor("target_conversion"), "55")
    _type_and_enter(qtbot, editor.panel.form.editor("max_hours"), "2 d")
    stage = demo.funnel.stage(sal)
    assert stage.target_conversion == pytest.approx(0.55)
    assert stage.max_hours == 48
    texts = [item.text() for item in editor.view.funnel.items() if hasattr(item, "text")]
    texts += [child.text() for item in editor.view.funnel.items()
              for child in item.childItems() if hasattr(child, "text")]
    assert "→ 55 %" in texts
    assert "Sales  ·  ≤ 48 h" in texts


def test_choosing_an_owner_recolours_the_band_as_one_undo_step(editor, demo, qtbot):
    customer = stage_named(demo, "Customer")
    click_band(editor, customer)
    combo = editor.panel.form.owner
    combo.setFocus()
    combo.setCurrentIndex(combo.findText("Marketing"))
    combo.activated.emit(combo.currentIndex())
    assert demo.funnel.stage(customer).owner.value == "marketing"
    assert editor.view.funnel.bands[customer].brush().color().name().lower() == "#2f6fde"
    assert demo.undo_name == "Change stage owner"


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("target_conversion", "250", "A conversion target must be between 0 % and 100 % (got 250 %)."),
    ("name", "", "A stage needs a name."),
    ("max_hours", "-5", "Max time in stage cannot be negative."),
])
def test_a_refused_value_shows_its_message_and_keeps_the_typing(
        editor, demo, qtbot, field, typed, message):
    sql = stage_named(demo, "Sales Qualified Lead")
    click_band(editor, sql)
    before = demo.funnel.stage(sql)
    undo_before = demo.undo_name
    row = editor.panel.form.rows[field]
    row.editor.setFocus()
    row.editor.selectAll()
    qtbot.keyClicks(row.editor, typed) if typed else qtbot.keyClick(row.editor, Qt.Key.Key_Delete)
    qtbot.keyClick(row.editor, Qt.Key.Key_Return)
    assert row.error.isVisible()
    assert row.error.text() == message
    assert row.editor.text() == typed
    assert demo.funnel.stage(sql) == before
    assert demo.undo_name == undo_before
    editor.panel.form.editor("key").setFocus()  # moving on keeps both the typing and the flag
    assert row.editor.text() == typed and row.error.isVisible()


def test_correcting_a_refused_value_clears_the_message(editor, demo, qtbot):
    sql = stage_named(demo, "Sales Qualified Lead")
    click_band(editor, sql)
    row = editor.panel.form.rows["probability"]
    _type_and_enter(qtbot, row.editor, "150")
    assert row.error.isVisible()
    _type_and_enter(qtbot, row.editor, "20")
    assert not row.error.isVisible()
    assert demo.funnel.stage(sql).probability == pytest.approx(0.2)


def test_an_unchanged_field_makes_no_undo_step(editor, demo, qtbot):
    click_band(editor, stage_named(demo, "Opportunity"))
    undo_before = demo.undo_name
    field = editor.panel.form.editor("target_conversion")
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    editor.panel.form.editor("definition").setFocus()
    editor.panel.form.editor("name").setFocus()
    assert demo.undo_name == undo_before
