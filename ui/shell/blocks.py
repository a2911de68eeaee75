"""Small building blocks the screens share: a white card with a title, and a wrapped note
in one of the style sheet's roles (the screens' style sheets draw them)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


def card(title: str, *widgets: QWidget, stretch: QWidget | None = None) -> QFrame:
    """A white card with a title and the widgets under it; `stretch` takes the spare room
    (without one, the room stays below the widgets)."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 14, 16, 14)
    layout.setSpacing(8)
    heading = QLabel(title)
    heading.setObjectName("cardTitle")
    layout.addWidget(heading)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is stretch else 0)
    layout.addStretch(0 if stretch is not None else 1)  # room while `stretch` is hidden
    return frame


def padded(widget: QWidget, top: int = 8) -> QWidget:
    """`widget` in a plain holder with `top` pixels above it (a tab page's first card)."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, top, 0, 0)
    layout.addWidget(widget)
    return holder


def note(text: str = "", name: str = "muted") -> QLabel:
    """A wrapped label in one of the style sheet's roles (muted, fieldError, banner…)."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label
