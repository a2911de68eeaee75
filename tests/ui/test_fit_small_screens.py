"""Every area fits a 1280×720 projector and a 1366×768 laptop: the window's minimum size
is within the screen, no page needs sideways scrolling, and every button, box and field
on it lies inside the window — none cut off at the right edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QScrollArea,
    QToolBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.areas import AREAS
from ui.main_window import MainWindow
from ui.shell.settings import ShellSettings

from .conftest import make_window

SCREENS = [(1280, 720), (1366, 768)]


def cut_off(window: MainWindow, page: QWidget) -> list[str]:
    """The visible controls on `page` not wholly inside the area's scroll viewport."""
    holder = page.parentWidget()
    while holder is not None and not isinstance(holder, QScrollArea):
        holder = holder.parentWidget()
    assert holder is not None
    viewport = holder.viewport()
    shown = QRect(viewport.mapTo(window, viewport.rect().topLeft()), viewport.size())
    outside = []
    sideways = holder.horizontalScrollBar().maximum()
    if sideways > 0:
        outside.append(f"the page scrolls sideways by {sideways} px (it needs "
                       f"{page.minimumSizeHint().width()}, the window shows {viewport.width()})")
    for kind in (QAbstractButton, QComboBox, QLineEdit):
        for control in page.findChildren(kind):
            if not control.isVisibleTo(page) or not control.isVisible():
                continue
            where = QRect(control.mapTo(window, control.rect().topLeft()), control.size())
            if where.right() > shown.right() or where.left() < shown.left():
                text = control.text() if hasattr(control, "text") else ""
                outside.append(f"{type(control).__name__} “{text}” at x {where.left()}–"
                               f"{where.right()}, window shows up to {shown.right()}")
    for toolbar in page.findChildren(QToolBar):
        more = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        if more is not None and more.isVisible():
            hidden = [w.text() for w in toolbar.findChildren(QAbstractButton)
                      if w.parentWidget() is toolbar and not w.isVisible() and w is not more]
            outside.append(f"a tool bar hides {hidden} behind its » button")
    return outside


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_every_area_fits_the_screen(qtbot: QtBot, shell_settings: ShellSettings,
                                    data_dir: Path, demo_file: Path, width: int,
                                    height: int) -> None:
    window = make_window(qtbot, shell_settings, data_dir, laptop_size=False)
    window.resize(width, height)
    window.start(demo_file)
    problems = []
    for area in AREAS:
        window.show_area(area.key)
        for _ in range(5):
            QApplication.processEvents()
        page = window.areas.current_page()
        assert page is not None
        minimum = window.minimumSizeHint()
        if minimum.width() > width or minimum.height() > height:
            problems.append(f"{area.key}: the window needs at least "
                            f"{minimum.width()}×{minimum.height()}")
        assert window.width() == width, f"{area.key} widened the window to {window.width()}"
        problems += [f"{area.key}: {problem}" for problem in cut_off(window, page)]
    window.close()
    assert "\n".join(problems) == ""
