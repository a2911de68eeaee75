"""Full-pane cards the shell shows where no screen is: an area still to come, a screen that
failed to load, and the empty state when no workbook is open."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.areas import Area

from .style import app_icon


def _label(text: str, name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(text, objectName=name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Card(QFrame):
    """A white, rounded card with a soft shadow, centred in the pane it fills."""

    def __init__(self, parent: QWidget | None = None, *, width: int = 560) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setMinimumWidth(min(width, 380))
        self.setMaximumWidth(width)
        shadow = QGraphicsDropShadowEffect(self, blurRadius=28, xOffset=0, yOffset=4)
        shadow.setColor(Qt.GlobalColor.lightGray)
        self.setGraphicsEffect(shadow)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(40, 36, 40, 36)
        self.body.setSpacing(12)


def centred(card: QWidget, pane: QWidget) -> None:
    """Lay `card` out in the middle of `pane`, a little above centre."""
    outer = QVBoxLayout(pane)
    outer.addStretch(2)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card, 100)  # as wide as its maximum allows, the stretches take the rest
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(3)


class ComingSoon(QWidget):
    """Stands in for an area whose screen is not built yet."""

    def __init__(self, area: Area, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        card = Card(self)
        badge = QLabel("Coming soon", objectName="Badge")
        badge_row = QHBoxLayout()
        badge_row.addWidget(badge)
        badge_row.addStretch(1)
        card.body.addLayout(badge_row)
        card.body.addWidget(_label(area.title, "CardTitle"))
        card.body.addWidget(_label(area.blurb, "CardBlurb"))
        card.body.addSpacing(8)
        card.body.addWidget(_label(
            f"The {area.title} screen arrives in a coming version of Alignment Workbench. "
            "Everything in this workbook is kept, and every edit you make in the other "
            "areas is saved as you go.", "CardNote"))
        centred(card, self)


class ScreenFailed(QWidget):
    """Shown instead of a screen that raised while loading, so one broken area does not
    take the whole window down."""

    def __init__(self, area: Area, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        card = Card(self)
        card.body.addWidget(_label(area.title, "CardTitle"))
        card.body.addWidget(_label(
            "This screen could not be opened. The workbook is unharmed; the other areas "
            "still work.", "CardBlurb"))
        card.body.addWidget(_label(problem, "ErrorDetail"))
        centred(card, self)


class EmptyState(QWidget):
    """What the window shows with no workbook open: three big ways to get one."""

    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card = Card(self, width=520)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(72, 72))
        card.body.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)
        title = _label("No workbook open", "CardTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        card.body.addWidget(title)
        blurb = _label("A workbook holds one company's funnel, scoring, plan, data and SLA. "
                       "Start a new one, open a file, or look around the demo company.",
                       "CardBlurb")
        blurb.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        card.body.addWidget(blurb)
        card.body.addSpacing(12)
        self.new_button = self._big_button("New workbook…", self.new_requested, card)
        self.open_button = self._big_button("Open workbook…", self.open_requested, card)
        self.demo_button = self._big_button("Open demo", self.demo_requested, card)
        self.new_button.setDefault(True)
        centred(card, self)

    def _big_button(self, text: str, signal: Signal, card: Card) -> QPushButton:
        button = QPushButton(text, objectName="BigButton")
        button.clicked.connect(signal)
        card.body.addWidget(button)
        return button


class Opening(QWidget):
    """What the window shows for the moment between its first paint and the workbook
    being open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card = Card(width=420)
        card.body.addWidget(_label("Opening workbook…", "CardTitle"))
        card.body.addWidget(_label("Loading the funnel, plans and data.", "CardBlurb"))
        centred(card, self)

