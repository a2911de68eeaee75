"""Clicking around cannot break the screen: a seeded stream of clicks, drags, keys and
button presses, after which the diagram still matches the workbook and undo still works.
(pytest-qt fails the test on any exception raised inside a Qt callback.)"""

from __future__ import annotations

import random

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

import ui.funnel.editor as editor_module

KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Delete, Qt.Key.Key_F2, Qt.Key.Key_Escape,
        Qt.Key.Key_Return)


def _random_point(rng: random.Random, editor) -> QPoint:
    viewport = editor.view.viewport()
    return QPoint(rng.randrange(viewport.width()), rng.randrange(viewport.height()))


def test_a_hundred_random_actions_leave_a_consistent_screen(editor, demo, context, qtbot,
                                                          monkeypatch):
    monkeypatch.setattr(editor_module, "confirm_delete", lambda *a: True)
    rng = random.Random(7)
    viewport = editor.view.viewport()
    buttons = [editor.add_above_action, editor.add_below_action, editor.rename_action,
               editor.delete_action]
    for _ in range(100):
        roll = rng.random()
        if roll < 0.35:
            QTest.mouseClick(viewport, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, _random_point(rng, editor))
        elif roll < 0.5:
            start, end = _random_point(rng, editor), _random_point(rng, editor)
            QTest.mousePress(viewport, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, start)
            QTest.mouseMove(viewport, (start + end) / 2)
            QTest.mouseMove(viewport, end)
            QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier, end)
        elif roll < 0.75:
            target = editor.view.name_edit or editor.view
            qtbot.keyClick(target, rng.choice(KEYS))
        elif roll < 0.9:
            rng.choice(buttons).trigger()
        else:
            editor.panel.tabs.setCurrentIndex(rng.randrange(3))
            if demo.undo_name is not None and rng.random() < 0.5:
                context.perform(demo.undo)
    editor.view.finish_rename(commit=False)
    stages = demo.funnel.stages()
    assert stages, "the funnel keeps at least one stage"
    assert editor.view.funnel.order == [s.id for s in stages]
    assert [b.full_name for b in map(editor.view.funnel.bands.get, editor.view.funnel.order)] \
        == [s.name for s in stages]
    assert editor.panel.title.text() in {s.name for s in stages}
