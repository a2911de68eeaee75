"""A row of widgets that wraps onto more lines when the window is too narrow for it (Qt's
flow layout example), so a header's buttons stay in view on a 1280×720 projector instead
of being cut off or hidden behind a » menu."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping; the items added after `push_right()` form a group
    aligned to the right-hand edge of whichever line they are on."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap_before: set[int] = set()
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def push_right(self) -> None:
        """The items added from now on go to the right-hand end of the line they are on."""
        self._gap_before.add(len(self._items))

    # -- QLayout --------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = sum(item.sizeHint().width() for item in self._items) \
            + self.spacing() * max(0, len(self._items) - 1)
        height = max((item.sizeHint().height() for item in self._items), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in `rect` (only measuring unless `move`); the height used."""
        lines: list[list[tuple[QLayoutItem, QSize, bool]]] = [[]]
        x, right = 0, rect.width()
        for index, item in enumerate(self._items):
            hint = item.sizeHint()
            if item.widget() is not None and item.widget().isHidden():
                continue
            if lines[-1] and x + hint.width() > right:
                lines.append([])
                x = 0
            right_group = bool(self._gap_before) and index >= min(self._gap_before)
            lines[-1].append((item, hint, right_group))
            x += hint.width() + self.spacing()
        y = rect.y()
        for line in lines:
            height = max((hint.height() for _, hint, _ in line), default=0)
            if move:
                self._place(line, rect, y, height)
            y += height + self.spacing()
        return max(0, y - rect.y() - self.spacing())

    def _place(self, line: list[tuple[QLayoutItem, QSize, bool]], rect: QRect, y: int,
               height: int) -> None:
        used = sum(hint.width() for _, hint, _ in line) + self.spacing() * (len(line) - 1)
        spare = max(0, rect.width() - used)
        x = rect.x()
        for item, hint, right_group in line:
            if right_group:  # the right-hand group starts here: the line's spare room first
                x += spare
                spare = 0
            top = y + (height - hint.height()) // 2
            item.setGeometry(QRect(QPoint(x, top), hint))
            x += hint.width() + self.spacing()


def flow_row(*widgets: QWidget, right: tuple[QWidget, ...] = ()) -> QWidget:
    """A widget holding `widgets` then, pushed to the right, `right`, wrapping as needed."""
    holder = QWidget()
    holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    layout = FlowLayout(holder)
    for widget in widgets:
        layout.addWidget(widget)
    layout.push_right()
    for widget in right:
        layout.addWidget(widget)
    return holder
