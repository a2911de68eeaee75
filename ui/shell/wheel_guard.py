"""Combo boxes and spin boxes leave the mouse wheel to the page until clicked: a scrolled
screen must not change a threshold, a quarter or a field under the pointer by accident
(scrolling the SLA form once changed its committed plan six times in a second).

`guard_all_wheels()` makes the application's style a `GuardingStyle`, which puts one
filter on every combo and spin box as Qt first styles it, in every window: the wheel over
one that has no keyboard focus goes to the widget behind it, so the page scrolls as the
user meant. Each box takes focus by click or Tab only, not by the wheel (Qt's default would
focus it first and let it take the wheel after all). A filter on the application itself
would see every event of every widget — some fifteen thousand Python calls each time a
screen is built, a third of its time.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QProxyStyle,
    QWidget,
)

STYLE = "Fusion"


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if watched.hasFocus():
            return False
        page = _scrolling_page(watched)
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


def _guard(box: QComboBox | QAbstractSpinBox) -> None:
    box.installEventFilter(_FILTER)
    if box.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class GuardingStyle(QProxyStyle):
    """The app's style (Fusion), guarding each combo and spin box as it is polished."""

    def polish(self, target: object) -> object:  # widgets, the palette, the application
        result = super().polish(target)  # type: ignore[call-overload]
        if isinstance(target, QComboBox | QAbstractSpinBox):
            _guard(target)
        return result


_FILTER = _WheelGuard()
_STYLE: GuardingStyle | None = None


def guard_all_wheels() -> None:
    """Give the application the guarding style (once; later calls do nothing)."""
    global _STYLE
    app = QCoreApplication.instance()
    if _STYLE is None and isinstance(app, QApplication):
        _STYLE = GuardingStyle(STYLE)
        app.setStyle(_STYLE)
