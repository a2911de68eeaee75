"""Small building blocks the screens share: a white card with a title, a wrapped note in
one of the style sheet's roles (the screens' style sheets draw them), and tab pages made
when first opened."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QTabWidget, QVBoxLayout, QWidget


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


# A screen's first showing makes and styles every widget of every tab, seen or not (a tenth
# of a second for a few hundred): a tab seldom opened gets an empty page, filled when the
# tab is first opened or what it holds is first asked for.
def later_tab() -> QWidget:
    """An empty tab page, for `fill_tab` to fill."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    return holder


def fill_tab(tabs: QTabWidget, index: int, content: QWidget) -> None:
    """Put `content` in the `later_tab` page at `index`."""
    holder = tabs.widget(index)
    layout = holder.layout() if holder is not None else None
    assert layout is not None
    layout.addWidget(content)
