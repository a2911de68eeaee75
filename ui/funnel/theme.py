"""The funnel editor's look: colours from the shared palette, fonts sized for a projector,
the screen's style sheet and the few icons it draws itself."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)

from reports import palette
from ui.shell.screen_style import CHEVRON as SHARED_CHEVRON
from workbench.model import Agreement, Owner

UI_FAMILY = "DejaVu Sans"
FIELD_PX = 14  # the screen's body and input text, in pixels
CHEVRON = SHARED_CHEVRON


def owner_colour(owner: Owner | str | None) -> QColor:
    """The band colour of a stage's owner (grey for none)."""
    return QColor(palette.OWNER[owner.value if isinstance(owner, Owner) else owner])


def owner_label(owner: Owner | str | None) -> str:
    return palette.OWNER_LABEL[owner.value if isinstance(owner, Owner) else owner]


def agreement_colour(agreement: Agreement) -> QColor:
    return QColor(palette.AGREEMENT[agreement.value])


def font(pixels: float, *, bold: bool = False) -> QFont:
    """A font by pixel size, so diagram text scales with the scene, not the screen DPI."""
    result = QFont(UI_FAMILY)
    result.setPixelSize(max(1, round(pixels)))
    result.setBold(bold)
    return result


def pill_size(text: str, pixels: float, *, bold: bool = True) -> tuple[float, float]:
    """The width and height of a rounded label (badge, conversion target) around `text`."""
    metrics = QFontMetricsF(font(pixels, bold=bold))
    return metrics.horizontalAdvance(text) + pixels * 1.3, metrics.height() + pixels * 0.5


def status_icon(ok: bool, size: int = 20) -> QIcon:
    """A green tick in a circle, or an amber exclamation mark in a circle."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(palette.GOOD if ok else palette.WARN)
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(2, 2, size * 2 - 4, size * 2 - 4))
    pen = QPen(QColor(palette.PAPER), size * 0.28)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    s = size * 2
    if ok:
        tick = QPainterPath(QPointF(s * 0.28, s * 0.52))
        tick.lineTo(QPointF(s * 0.44, s * 0.68))
        tick.lineTo(QPointF(s * 0.73, s * 0.35))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)
    else:
        painter.drawLine(QPointF(s / 2, s * 0.26), QPointF(s / 2, s * 0.56))
        painter.drawPoint(QPointF(s / 2, s * 0.74))
    painter.end()
    return QIcon(pixmap)


STYLE_SHEET = f"""
#FunnelEditor {{ background: {palette.CANVAS}; }}
#FunnelEditor QWidget {{
    font-family: "{UI_FAMILY}"; font-size: {FIELD_PX}px; color: {palette.INK};
}}
#FunnelEditor QFrame#card {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 10px;
}}
#FunnelEditor QLabel {{ background: transparent; }}
#FunnelEditor QLabel#cardTitle {{ font-size: 17px; font-weight: bold; }}
#FunnelEditor QLabel#screenTitle {{ font-size: 22px; font-weight: bold; }}
#FunnelEditor QLabel#muted {{ color: {palette.MUTED}; }}
#FunnelEditor QLabel#stageTitle {{ font-size: 21px; font-weight: bold; }}
#FunnelEditor QLabel#fieldError {{ color: {palette.BAD}; font-size: 13px; }}
#FunnelEditor QLabel#banner {{
    color: {palette.BAD}; background: #FDECEA; border: 1px solid #F5C2BE;
    border-radius: 6px; padding: 6px 10px;
}}
#FunnelEditor QLabel#chip {{
    color: {palette.PAPER}; border-radius: 9px; padding: 2px 10px; font-size: 13px;
    font-weight: bold;
}}
#FunnelEditor QLineEdit, #FunnelEditor QPlainTextEdit, #FunnelEditor QComboBox,
#FunnelEditor QTableWidget {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 6px;
    padding: 5px 7px; selection-background-color: {palette.ACCENT};
}}
#FunnelEditor QLineEdit:focus, #FunnelEditor QPlainTextEdit:focus,
#FunnelEditor QComboBox:focus {{ border: 2px solid {palette.ACCENT}; }}
#FunnelEditor QLineEdit[refused="true"], #FunnelEditor QPlainTextEdit[refused="true"] {{
    border: 2px solid {palette.BAD};
}}
#FunnelEditor QPushButton, #FunnelEditor QToolButton {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 6px;
    padding: 6px 12px;
}}
#FunnelEditor QPushButton:hover, #FunnelEditor QToolButton:hover {{
    background: #EEF1FB; border-color: {palette.ACCENT};
}}
#FunnelEditor QPushButton:disabled, #FunnelEditor QToolButton:disabled {{
    color: #A9B1BB; border-color: #E6E9ED;
}}
#FunnelEditor QTabWidget::pane {{ border: none; border-top: 1px solid {palette.RULE}; }}
#FunnelEditor QTabBar::tab {{
    background: transparent; padding: 8px 12px; margin-right: 2px; color: {palette.MUTED};
    border-bottom: 3px solid transparent;
}}
#FunnelEditor QTabBar::tab:selected {{
    color: {palette.INK}; font-weight: bold; border-bottom: 3px solid {palette.ACCENT};
}}
#FunnelEditor QComboBox::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 28px; border: none;
}}
#FunnelEditor QComboBox::down-arrow {{ image: url("{CHEVRON}"); width: 12px; height: 8px; }}
#FunnelEditor QComboBox QAbstractItemView {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE};
    selection-background-color: #EEF1FB; selection-color: {palette.INK};
}}
#FunnelEditor QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
#FunnelEditor QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
#FunnelEditor QScrollBar::handle {{
    background: {palette.RULE}; border-radius: 5px; min-height: 24px; min-width: 24px;
}}
#FunnelEditor QScrollBar::handle:hover {{ background: {palette.MUTED}; }}
#FunnelEditor QScrollBar::add-line, #FunnelEditor QScrollBar::sub-line {{ width: 0; height: 0; }}
#FunnelEditor QScrollBar::add-page, #FunnelEditor QScrollBar::sub-page {{
    background: transparent;
}}
#FunnelEditor QScrollArea {{ background: transparent; border: none; }}
#FunnelEditor QScrollArea > QWidget > QWidget {{ background: transparent; }}
#FunnelEditor QListWidget {{ border: none; background: {palette.PAPER}; }}
#FunnelEditor QListWidget::item {{ padding: 6px 4px; border-bottom: 1px solid #EEF0F3; }}
#FunnelEditor QListWidget::item:selected {{ background: #EEF1FB; color: {palette.INK}; }}
#FunnelEditor QHeaderView::section {{
    background: {palette.CANVAS}; border: none; border-bottom: 1px solid {palette.RULE};
    padding: 5px; font-weight: bold;
}}
#FunnelEditor QSplitter::handle {{ background: transparent; }}
#FunnelEditor QGraphicsView {{ border: none; background: {palette.PAPER}; }}
"""
