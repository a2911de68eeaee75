"""Changing the funnel's shape from the diagram: drag to reorder, add above and below,
delete (asking first when data hangs on the stage), rename in place."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

import ui.funnel.editor as editor_module
from workbench.model import StageId

from .conftest import band_point, click_band, names, stage_named


def _drag(editor, stage_id: StageId, to: QPoint) -> None:
    viewport = editor.view.viewport()
    start = band_point(editor, stage_id)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        point = start + (to - start) * step / 5
        QTest.mouseMove(viewport, point)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, to)


def test_dragging_a_band_down_moves_the_stage_as_one_undo_step(editor, demo, context):
    original = names(demo)
    inquiry = stage_named(demo, "Inquiry")
    sql_rect = editor.view.funnel.band_rect(stage_named(demo, "Sales Qualified Lead"))
    target = editor.view.mapFromScene(QPointF(sql_rect.center().x(), sql_rect.bottom() - 5))
    _drag(editor, inquiry, target)
    assert names(demo) == ["Website visit", "Marketing Qualified Lead", "Sales Accepted Lead",
                           "Sales Qualified Lead", "Inquiry", "Opportunity", "Customer"]
    assert editor.view.funnel.order == [s.id for s in demo.funnel.stages()]
    assert demo.undo_name == "Move stage"
    context.perform(demo.undo)
    assert names(demo) == original
    assert editor.view.funnel.order == [s.id for s in demo.funnel.stages()]


def test_the_drop_handler_moves_a_band_up_and_a_short_drag_moves_nothing(editor, demo):
    customer = stage_named(demo, "Customer")
    top = editor.view.funnel.shapes[0].top
    editor.view.drop_band(customer, top + 1)
    assert names(demo)[0] == "Customer"
    before = names(demo)
    shape = editor.view.funnel.shapes[3]
    editor.view.drop_band(demo.funnel.stages()[3].id, shape.middle + 5)
    assert names(demo) == before


def test_add_above_and_below_insert_next_to_the_selection(editor, demo, qtbot):
    sal = stage_named(demo, "Sales Accepted Lead")
    click_band(editor, sal)
    editor.add_above_action.trigger()
    assert names(demo)[3] == "New stage"
    assert editor.view.name_edit is not None  # ready to type the real name
    qtbot.keyClicks(editor.view.name_edit, "Sales Development")
    qtbot.keyClick(editor.view.name_edit, Qt.Key.Key_Return)
    assert names(demo)[3] == "Sales Development"
    click_band(editor, sal)
    editor.add_below_action.trigger()
    assert names(demo)[5] == "New stage"
    qtbot.keyClick(editor.view.name_edit, Qt.Key.Key_Escape)
    assert names(demo)[5] == "New stage"
    assert editor.panel.title.text() == "New stage"
    editor.add_below_action.trigger()
    assert names(demo)[6] == "New stage 2"


def test_deleting_a_stage_with_data_asks_first(editor, demo, monkeypatch):
    asked: list[str] = []

    def answer(result: bool):
        def confirm(parent, stage) -> bool:
            asked.append(stage.name)
            return result
        return confirm

    sql = stage_named(demo, "Sales Qualified Lead")
    assert demo.funnel.stage_has_data(sql)
    click_band(editor, sql)
    monkeypatch.setattr(editor_module, "confirm_delete", answer(False))
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    assert "Sales Qualified Lead" in names(demo) and asked == ["Sales Qualified Lead"]
    monkeypatch.setattr(editor_module, "confirm_delete", answer(True))
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    assert "Sales Qualified Lead" not in names(demo)
    assert editor.panel.title.text() == "Opportunity"  # the selection moves to the next stage
    demo.undo()
    assert "Sales Qualified Lead" in names(demo)


def test_a_stage_without_data_is_deleted_without_asking(editor, demo, context, monkeypatch):
    monkeypatch.setattr(editor_module, "confirm_delete", lambda *a: pytest_fail())
    changes, new = context.perform(demo.funnel.add_stage, "Nurture", position=2)
    editor.select_stage(new)
    editor.delete_action.trigger()
    assert "Nurture" not in names(demo)


def pytest_fail() -> bool:
    raise AssertionError("asked for confirmation")


def test_the_last_stage_cannot_be_deleted_and_the_banner_says_why(editor, demo, monkeypatch):
    monkeypatch.setattr(editor_module, "confirm_delete", lambda *a: True)
    for _ in range(6):
        editor.delete_selected()
    assert len(names(demo)) == 1
    editor.delete_selected()
    assert len(names(demo)) == 1
    assert editor.banner.isVisible()
    assert editor.banner.text() == "The funnel needs at least one stage."


def test_f2_renames_in_place_and_escape_cancels(editor, demo, qtbot):
    mql = stage_named(demo, "Marketing Qualified Lead")
    click_band(editor, mql)
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    edit = editor.view.name_edit
    assert edit is not None and edit.isVisible() and edit.text() == "Marketing Qualified Lead"
    qtbot.keyClicks(edit, "MQL")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert demo.funnel.stage(mql).name == "MQL"
    assert editor.view.funnel.bands[mql].full_name == "MQL"
    assert demo.undo_name == "Rename stage"
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    qtbot.keyClicks(editor.view.name_edit, "Something else")
    qtbot.keyClick(editor.view.name_edit, Qt.Key.Key_Escape)
    assert demo.funnel.stage(mql).name == "MQL" and editor.view.name_edit is None


def test_double_click_renames_and_an_empty_name_is_refused_in_the_banner(editor, demo, qtbot):
    sal = stage_named(demo, "Sales Accepted Lead")
    QTest.mouseDClick(editor.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, band_point(editor, sal))
    edit = editor.view.name_edit
    assert edit is not None
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert demo.funnel.stage(sal).name == "Sales Accepted Lead"
    assert editor.banner.text() == "A stage needs a name."
