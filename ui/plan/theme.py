"""The look of the Plan and Dashboard screens: palette colours, a projector-sized font, and
a style sheet scoped to the screen's object name so it never leaks into other screens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QFont

from reports import palette

UI_FAMILY = "DejaVu Sans"
CHEVRON = Path(__file__).with_name("chevron-down.svg").as_posix()
WARN_SOFT = "#FFF4E0"   # amber tint behind a value that differs or warns
BAD_SOFT = "#FDECEA"
ACCENT_SOFT = "#EEF1FB"


def colour(role: str) -> QColor:
    """A chart-data colour role ("actual", "series:2", …) as a QColor."""
    return QColor(palette.colour(role))


def font(points: float, *, bold: bool = False) -> QFont:
    result = QFont(UI_FAMILY)
    result.setPointSizeF(points)
    result.setBold(bold)
    return result


def style_sheet(name: str) -> str:
    """The style sheet for a screen whose object name is `name`."""
    s = f"#{name}"
    return f"""
{s} {{ background: {palette.CANVAS}; }}
{s} QWidget {{ font-family: "{UI_FAMILY}"; font-size: 13px; color: {palette.INK}; }}
{s} QFrame#card {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 10px;
}}
{s} QLabel {{ background: transparent; }}
{s} QLabel#screenTitle {{ font-size: 21px; font-weight: bold; }}
{s} QLabel#cardTitle {{ font-size: 15px; font-weight: bold; }}
{s} QLabel#muted {{ color: {palette.MUTED}; }}
{s} QLabel#fieldError {{ color: {palette.BAD}; font-size: 12px; }}
{s} QLabel#fieldWarning {{ color: {palette.WARN}; font-size: 12px; }}
{s} QLabel#kpiValue {{ font-size: 21px; font-weight: bold; }}
{s} QLabel#kpiTitle {{ color: {palette.MUTED}; font-size: 11px; font-weight: bold; }}
{s} QLabel#empty {{ color: {palette.MUTED}; font-size: 14px; }}
{s} QLabel#banner {{
    color: {palette.INK}; background: {WARN_SOFT}; border: 1px solid #F0D9A8;
    border-radius: 6px; padding: 6px 10px;
}}
{s} QLineEdit, {s} QComboBox, {s} QTableWidget {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 6px;
    padding: 4px 6px; selection-background-color: {ACCENT_SOFT}; selection-color: {palette.INK};
}}
{s} QLineEdit:focus, {s} QComboBox:focus {{ border: 2px solid {palette.ACCENT}; }}
{s} QComboBox {{ padding-right: 26px; }}
{s} QComboBox::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 26px; border: none;
}}
{s} QComboBox::down-arrow {{ image: url("{CHEVRON}"); width: 12px; height: 8px; }}
{s} QComboBox QAbstractItemView {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE};
    selection-background-color: {ACCENT_SOFT}; selection-color: {palette.INK};
}}
{s} QLineEdit[refused="true"] {{ border: 2px solid {palette.BAD}; background: {BAD_SOFT}; }}
{s} QPushButton, {s} QToolButton {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 6px;
    padding: 5px 12px;
}}
{s} QPushButton:hover, {s} QToolButton:hover {{
    background: {ACCENT_SOFT}; border-color: {palette.ACCENT};
}}
{s} QPushButton#primary {{
    background: {palette.ACCENT}; color: {palette.PAPER}; border-color: {palette.ACCENT};
    font-weight: bold;
}}
{s} QPushButton:disabled, {s} QToolButton:disabled {{
    color: #A9B1BB; border-color: #E6E9ED; background: {palette.PAPER};
}}
{s} QPushButton#primary:disabled {{
    color: {palette.GOOD}; border-color: {palette.GOOD}; background: {palette.PAPER};
}}
{s} QTabWidget::pane {{ border: none; }}
{s} QTabBar::tab {{
    background: transparent; padding: 8px 14px; margin-right: 2px; color: {palette.MUTED};
    border-bottom: 3px solid transparent;
}}
{s} QTabBar::tab:selected {{
    color: {palette.INK}; font-weight: bold; border-bottom: 3px solid {palette.ACCENT};
}}
{s} QHeaderView::section {{
    background: {palette.CANVAS}; border: none; border-bottom: 1px solid {palette.RULE};
    padding: 5px 6px; font-weight: bold;
}}
{s} QTableWidget {{ gridline-color: #EEF0F3; padding: 0; }}
{s} QScrollArea {{ background: transparent; border: none; }}
{s} QScrollArea > QWidget > QWidget {{ background: transparent; }}
{s} QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
{s} QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
{s} QScrollBar::handle {{
    background: {palette.RULE}; border-radius: 5px; min-height: 24px; min-width: 24px;
}}
{s} QScrollBar::add-line, {s} QScrollBar::sub-line {{ width: 0; height: 0; }}
{s} QToolTip {{ background: {palette.PAPER}; color: {palette.INK};
    border: 1px solid {palette.RULE}; padding: 4px; }}
"""
