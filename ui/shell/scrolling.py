"""The scrolling body of a screen of tiles and charts: rows stacked top-down in a column
that scrolls up and down (never sideways), with room at the bottom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QVBoxLayout, QWidget


def scrolling_column(*rows: QLayout) -> tuple[QWidget, QScrollArea]:
    """A widget holding `rows` one under the other, and the scroll area showing it."""
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 6, 0)  # clear of the scroll bar
    column.setSpacing(10)
    for row in rows:
        column.addLayout(row)
    column.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(body)
    return body, scroll
