"""Nothing the user typed is lost: a refused value stays with its stage and field while the
user looks at other stages, comes back with its message, and marks its band in the
diagram until a valid value is stored or Escape puts the stored value back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import click_band, stage_named

MESSAGE = "A conversion target must be between 0 % and 100 % (got 250 %)."


def _type_and_enter(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _marked(editor) -> set[str]:
    """The names of the stages whose bands carry the unsaved-value marker."""
    return {band.full_name for band in editor.view.funnel.bands.values() if band.unsaved}


@pytest.fixture
def refused_on_sql(editor, demo, qtbot):
    """Sales Qualified Lead's conversion target typed as 250 and refused."""
    sql = stage_named(demo, "Sales Qualified Lead")
    click_band(editor, sql)
    _type_and_enter(qtbot, editor.panel.form.editor("target_conversion"), "250")
    assert editor.panel.form.rows["target_conversion"].error.text() == MESSAGE
    return sql


def test_a_refused_value_survives_looking_at_another_stage(editor, demo, refused_on_sql):
    row = editor.panel.form.rows["target_conversion"]
    assert _marked(editor) == {"Sales Qualified Lead"}
    click_band(editor, stage_named(demo, "Opportunity"))
    assert editor.panel.title.text() == "Opportunity"
    assert row.editor.text() == "25" and not row.error.isVisible()  # Opportunity's own value
    assert _marked(editor) == {"Sales Qualified Lead"}  # the draft waits, shown on its band
    click_band(editor, refused_on_sql)
    assert row.editor.text() == "250"
    assert row.error.isVisible() and row.error.text() == MESSAGE
    assert demo.funnel.stage(refused_on_sql).target_conversion == pytest.approx(0.5)


def test_drafts_of_two_stages_and_fields_are_kept_apart(editor, demo, qtbot, refused_on_sql):
    form = editor.panel.form
    _type_and_enter(qtbot, form.editor("max_hours"), "-5")
    opportunity = stage_named(demo, "Opportunity")
    click_band(editor, opportunity)
    _type_and_enter(qtbot, form.editor("probability"), "150")
    assert _marked(editor) == {"Sales Qualified Lead", "Opportunity"}
    click_band(editor, refused_on_sql)
    assert (form.editor("target_conversion").text(), form.editor("max_hours").text(),
            form.editor("probability").text()) == ("250", "-5", "15")
    assert form.rows["max_hours"].error.text() == "Max time in stage cannot be negative."
    assert not form.rows["probability"].error.isVisible()
    click_band(editor, opportunity)
    assert form.editor("probability").text() == "150"
    assert form.editor("target_conversion").text() == "25"


def test_a_redraw_keeps_the_marker_and_the_draft(editor, demo, context, refused_on_sql):
    click_band(editor, stage_named(demo, "Customer"))
    context.perform(demo.funnel.rename_stage, stage_named(demo, "Inquiry"), "Enquiry")
    assert _marked(editor) == {"Sales Qualified Lead"}
    click_band(editor, refused_on_sql)
    assert editor.panel.form.editor("target_conversion").text() == "250"


def test_escape_puts_the_stored_value_back_and_forgets_the_draft(
        editor, demo, qtbot, refused_on_sql):
    click_band(editor, stage_named(demo, "Opportunity"))
    click_band(editor, refused_on_sql)
    row = editor.panel.form.rows["target_conversion"]
    row.editor.setFocus()
    qtbot.keyClick(row.editor, Qt.Key.Key_Escape)
    assert row.editor.text() == "50" and not row.error.isVisible()
    assert _marked(editor) == set()
    click_band(editor, stage_named(demo, "Opportunity"))
    click_band(editor, refused_on_sql)
    assert row.editor.text() == "50" and not row.error.isVisible()


def test_escape_in_a_text_box_reverts_what_was_typed(editor, demo, qtbot):
    sal = stage_named(demo, "Sales Accepted Lead")
    click_band(editor, sal)
    definition = editor.panel.form.editor("definition")
    stored = definition.text()
    definition.setFocus()
    qtbot.keyClicks(definition, " Typed, then thought better of.")
    qtbot.keyClick(definition, Qt.Key.Key_Escape)
    assert definition.text() == stored
    editor.panel.form.editor("name").setFocus()  # leaving the box stores nothing
    assert demo.funnel.stage(sal).definition == stored


def test_storing_a_valid_value_clears_the_draft_and_the_marker(
        editor, demo, qtbot, refused_on_sql):
    row = editor.panel.form.rows["target_conversion"]
    _type_and_enter(qtbot, row.editor, "45")
    assert demo.funnel.stage(refused_on_sql).target_conversion == pytest.approx(0.45)
    assert _marked(editor) == set() and not row.error.isVisible()
    click_band(editor, stage_named(demo, "Opportunity"))
    click_band(editor, refused_on_sql)
    assert row.editor.text() == "45" and not row.error.isVisible()


def test_opening_another_workbook_drops_the_drafts(editor, context, blank, refused_on_sql):
    context.set_workbook(blank)
    assert not editor.panel.form.drafts and _marked(editor) == set()
    assert not editor.panel.form.rows["target_conversion"].error.isVisible()


def test_the_key_field_is_stored_when_the_user_is_done_with_it(editor, demo, qtbot):
    sal = stage_named(demo, "Sales Accepted Lead")
    click_band(editor, sal)
    _type_and_enter(qtbot, editor.panel.form.editor("key"), "accepted")
    assert demo.funnel.stage(sal).key == "accepted"
