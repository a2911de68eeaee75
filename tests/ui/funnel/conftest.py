"""Fixtures for the funnel editor tests: the real screen on the demo workbook, shown
offscreen at a projector-like size, and helpers that click and drag like a person."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from ui.context import AppContext
from ui.funnel.editor import FunnelEditor
from workbench.model import StageId
from workbench.workbook import Workbook


@pytest.fixture
def context(demo: Workbook) -> AppContext:
    return AppContext(demo)


@pytest.fixture
def editor(qtbot, context: AppContext) -> Iterator[FunnelEditor]:
    screen = FunnelEditor(context)
    qtbot.addWidget(screen)
    screen.resize(1600, 900)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    yield screen
    screen.close()


def stage_named(workbook: Workbook, name: str) -> StageId:
    return next(s.id for s in workbook.funnel.stages() if s.name == name)


def names(workbook: Workbook) -> list[str]:
    return [s.name for s in workbook.funnel.stages()]


def band_point(editor: FunnelEditor, stage_id: StageId) -> QPoint:
    """Where a band is on screen (its middle, in viewport pixels)."""
    rect = editor.view.funnel.band_rect(stage_id)
    return editor.view.mapFromScene(rect.center())


def click_band(editor: FunnelEditor, stage_id: StageId) -> None:
    QTest.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, band_point(editor, stage_id))
