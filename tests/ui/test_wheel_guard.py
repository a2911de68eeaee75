"""The mouse wheel never edits data: over a combo or spin box without the keyboard focus,
in any area, it scrolls the page instead (scrolling the SLA form once changed its
committed plan six times in a second, six change-log entries)."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollArea,
    QWidget,
)

from ui.areas import AREAS
from ui.main_window import MainWindow


def wheel(widget: QWidget, notches: int = -1) -> None:
    at = QPoint(5, 5)
    event = QWheelEvent(QPointF(at), QPointF(widget.mapToGlobal(at)), QPoint(),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def value(box: QWidget) -> object:
    return box.currentIndex() if isinstance(box, QComboBox) else box.text()


def shown_boxes(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """Each area in turn, and every combo and spin box it shows."""
    for area in AREAS:
        window.show_area(area.key)
        QApplication.processEvents()
        page = window.areas.current_page()
        assert page is not None
        for box in page.findChildren(QComboBox) + page.findChildren(QAbstractSpinBox):
            if box.isVisible():
                yield area.key, box


def test_the_wheel_over_any_box_in_any_area_changes_nothing(window: MainWindow) -> None:
    workbook = window.context.workbook
    assert workbook is not None
    log = len(workbook.change_log())
    wheeled = 0
    for key, box in shown_boxes(window):
        window.sidebar.setFocus()  # the keyboard is elsewhere
        if not box.isEnabled():
            continue
        before = value(box)
        for notches in (-1, -1, 1, -3):
            wheel(box, notches)
        assert value(box) == before, f"{key}: {box.accessibleName() or box}"
        wheeled += 1
    assert wheeled > 10
    assert len(workbook.change_log()) == log


def test_the_wheel_over_an_sla_box_scrolls_the_form(window: MainWindow) -> None:
    window.show_area("sla")
    QApplication.processEvents()
    page = window.areas.current_page()
    form = page.editor  # type: ignore[union-attr]
    assert isinstance(form, QScrollArea)
    boxes = [b for b in form.widget().findChildren(QComboBox) if b.isVisible()] + [
        b for b in form.widget().findChildren(QAbstractSpinBox) if b.isVisible()]
    window.sidebar.setFocus()
    bar = form.verticalScrollBar()
    bar.setValue(0)
    target = boxes[0] if boxes else form.widget()
    wheel(target, -2)
    assert bar.value() > 0


def test_no_box_takes_the_keyboard_focus_from_the_wheel(window: MainWindow) -> None:
    """Qt's default would focus a box the wheel turns over (a real wheel event, not the
    tests' sent ones) and then let it take the wheel after all."""
    seen = 0
    for key, box in shown_boxes(window):
        assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus, \
            f"{key}: {box.accessibleName() or box}"
        seen += 1
    assert seen > 10


def test_a_box_in_a_dialog_is_guarded_too(qtbot) -> None:
    from PySide6.QtWidgets import QDialog, QVBoxLayout

    from ui.shell.wheel_guard import guard_all_wheels

    guard_all_wheels()
    dialog = QDialog()
    qtbot.addWidget(dialog)
    scroll = QScrollArea(dialog)
    inner = QWidget()
    column = QVBoxLayout(inner)
    box = QComboBox()
    box.addItems(["one", "two", "three"])
    column.addWidget(box)
    column.addSpacing(2000)
    scroll.setWidget(inner)
    scroll.resize(200, 200)
    dialog.show()
    qtbot.waitExposed(dialog)
    wheel(box, -1)
    assert box.currentIndex() == 0
    assert scroll.verticalScrollBar().value() > 0
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    wheel(box, -1)
    assert box.currentIndex() == 1  # with the keyboard focus it takes the wheel
