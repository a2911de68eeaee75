"""The left sidebar: the company whose workbook is open, then the app's areas, each with
its short blurb. The user choosing an area emits `area_selected(key)`."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from ui.areas import AREAS, Area

from .style import tint

BLURB_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole
PADDING_X, PADDING_Y, LINE_GAP, SPACING = 20, 10, 3, 2


class AreaDelegate(QStyledItemDelegate):
    """Paints an area as a bold title over a muted, wrapped blurb; the current area gets a
    soft accent background with an accent bar on its left."""

    @staticmethod
    def text_width() -> int:
        """The width blurbs wrap at, the same when measuring and painting (the sidebar's
        width is fixed; the list's viewport may not be laid out yet when measured)."""
        return Sidebar.WIDTH - 2 * PADDING_X - 2 * SPACING

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setPointSizeF(option.font.pointSizeF() + 1.5)
        title.setBold(True)
        blurb = QFont(option.font)
        blurb.setPointSizeF(option.font.pointSizeF() - 0.5)
        return title, blurb

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        title_font, blurb_font = self._fonts(option)
        width = self.text_width()
        blurb = QFontMetrics(blurb_font).boundingRect(
            QRect(0, 0, width, 1000), Qt.TextFlag.TextWordWrap, index.data(BLURB_ROLE) or ""
        )
        height = QFontMetrics(title_font).height() + LINE_GAP + blurb.height() + 2 * PADDING_Y
        return QSize(width, height)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(8, 2, -8, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(tint(palette.ACCENT, 0.12 if selected else 0.05)))
            painter.drawRoundedRect(rect, 8, 8)
        if selected:
            painter.setBrush(QColor(palette.ACCENT))
            painter.drawRoundedRect(QRect(rect.left(), rect.top() + 8, 4, rect.height() - 16), 2, 2)
        title_font, blurb_font = self._fonts(option)
        text = rect.adjusted(PADDING_X - 8, PADDING_Y - 2, -(PADDING_X - 8), -(PADDING_Y - 2))
        painter.setFont(title_font)
        painter.setPen(QColor(palette.ACCENT if selected else palette.INK))
        title_height = QFontMetrics(title_font).height()
        painter.drawText(QRect(text.left(), text.top(), text.width(), title_height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         index.data(Qt.ItemDataRole.DisplayRole))
        painter.setFont(blurb_font)
        painter.setPen(QColor(palette.MUTED))
        blurb_rect = QRect(text.left(), text.top() + title_height + LINE_GAP, self.text_width(),
                           text.height() - title_height - LINE_GAP)
        painter.drawText(blurb_rect, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop,
                         index.data(BLURB_ROLE) or "")
        painter.restore()


class Sidebar(QFrame):
    """The company name, the workbook's file name, and the list of areas."""

    area_selected = Signal(str)
    WIDTH = 260

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setFixedWidth(self.WIDTH)
        self.app_label = QLabel("ALIGNMENT WORKBENCH", objectName="SidebarApp")
        self.company_label = QLabel(objectName="SidebarCompany")
        self.company_label.setWordWrap(True)
        self.file_label = QLabel(objectName="SidebarFile")
        self.area_list = QListWidget(objectName="AreaList")
        self.area_list.setItemDelegate(AreaDelegate(self.area_list))
        self.area_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area_list.setMouseTracking(True)
        self.area_list.setSpacing(SPACING)
        for number, area in enumerate(AREAS, start=1):
            self._add_area(area, number)
        self.area_list.currentItemChanged.connect(self._on_current_changed)
        self._lay_out()

    def _add_area(self, area: Area, number: int) -> None:
        item = QListWidgetItem(area.title)
        item.setData(KEY_ROLE, area.key)
        item.setData(BLURB_ROLE, area.blurb)
        item.setToolTip(f"{area.title} — {area.blurb} (Ctrl+{number})")
        self.area_list.addItem(item)

    def _lay_out(self) -> None:
        rule = QFrame(objectName="SidebarRule")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 20, 0, 12)
        layout.setSpacing(0)
        header = QVBoxLayout()
        header.setContentsMargins(22, 0, 20, 18)
        header.setSpacing(4)
        header.addWidget(self.app_label)
        header.addWidget(self.company_label)
        header.addWidget(self.file_label)
        layout.addLayout(header)
        layout.addWidget(rule)
        layout.addSpacing(10)
        layout.addWidget(self.area_list, 1)

    def set_workbook_labels(self, company: str, file_name: str) -> None:
        """Show whose workbook is open."""
        self.company_label.setText(company)
        self.file_label.setText(file_name)
        self.file_label.setToolTip(file_name)

    def select(self, key: str) -> None:
        """Make `key` the current area, as the window asks (`area_selected` is for the
        user's own choice, by click or arrow key)."""
        for row in range(self.area_list.count()):
            item = self.area_list.item(row)
            if item.data(KEY_ROLE) == key:
                blocked = self.area_list.blockSignals(True)
                self.area_list.setCurrentItem(item)
                self.area_list.blockSignals(blocked)
                self.area_list.viewport().update()
                return

    def current_key(self) -> str | None:
        item = self.area_list.currentItem()
        return item.data(KEY_ROLE) if item else None

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.area_selected.emit(current.data(KEY_ROLE))
