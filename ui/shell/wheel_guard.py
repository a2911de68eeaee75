"""Combo boxes and spin boxes leave the mouse wheel to the page until clicked: a scrolled
screen must not change a threshold, a quarter or a field under the pointer by accident
(scrolling the SLA form once changed its committed plan six times in a second).

`guard_all_wheels()` installs one filter on the application, for every combo and spin box
in every window; the wheel over one that has no keyboard focus goes to the widget behind
it, so the page scrolls as the user meant.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        box = _box(watched)
        if box is None or box.hasFocus():
            return False
        page = _scrolling_page(box)
        if page is not None:  # the page behind it scrolls instead
            QCoreApplication.sendEvent(page.viewport(), event)
        return True


def _scrolling_page(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area `widget` lies in (not a combo's own list)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QComboBox):
            return parent
        parent = parent.parentWidget()
    return None


def _box(widget: QWidget) -> QWidget | None:
    """The combo or spin box `widget` is, or belongs to (a spin box's line edit)."""
    for candidate in (widget, widget.parentWidget()):
        if isinstance(candidate, QComboBox | QAbstractSpinBox):
            return candidate
    return None


_GUARD: _WheelGuard | None = None


def guard_all_wheels() -> None:
    """Install the guard on the application (once; later calls do nothing)."""
    global _GUARD
    app = QCoreApplication.instance()
    if _GUARD is None and app is not None:
        _GUARD = _WheelGuard(app)
        app.installEventFilter(_GUARD)


def guard_wheel(*widgets: QWidget) -> None:
    """Let each combo or spin box take the wheel only while it has the keyboard focus (the
    application-wide guard; the boxes take focus by click or Tab, not by the wheel)."""
    guard_all_wheels()
    for widget in widgets:
        if isinstance(widget, QComboBox | QAbstractSpinBox):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
