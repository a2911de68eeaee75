"""The SLA screens' look: palette colours, a projector-sized font and one style sheet,
scoped to the screen's (or dialog's) object name so it never leaks into other screens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QFont

from reports import palette

UI_FAMILY = "DejaVu Sans"
CHEVRON = Path(__file__).with_name("chevron-down.svg").as_posix()
ACCENT_SOFT = "#EEF1FB"
GOOD_SOFT = "#E8F5E9"
WARN_SOFT = "#FFF4E0"
BAD_SOFT = "#FDECEA"
PAGE_BACKDROP = "#E4E7EB"  # behind the preview's pages
STATUS = {  # SLA status -> (text colour, background)
    "draft": (palette.ACCENT, ACCENT_SOFT),
    "signed": (palette.GOOD, GOOD_SOFT),
    "superseded": (palette.MUTED, "#EEF0F3"),
}


def font(points: float, *, bold: bool = False) -> QFont:
    result = QFont(UI_FAMILY)
    result.setPointSizeF(points)
    result.setBold(bold)
    return result


def colour(hex_colour: str) -> QColor:
    return QColor(hex_colour)


def style_sheet(name: str) -> str:
    """The style sheet for a screen or dialog whose object name is `name`."""
    s = f"#{name}"
    return f"""
{s} {{ background: {palette.CANVAS}; }}
{s} QWidget {{ font-family: "{UI_FAMILY}"; font-size: 13px; color: {palette.INK}; }}
{s} QFrame#card {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 10px;
}}
{s} QFrame#row {{ background: transparent; border: none; border-top: 1px solid #EEF0F3; }}
{s} QLabel {{ background: transparent; }}
{s} QLabel#screenTitle {{ font-size: 21px; font-weight: bold; }}
{s} QLabel#cardTitle {{ font-size: 15px; font-weight: bold; }}
{s} QLabel#termTitle {{ font-size: 14px; font-weight: bold; }}
{s} QLabel#muted, {s} QLabel#caption {{ color: {palette.MUTED}; }}
{s} QLabel#caption {{ font-size: 11px; }}
{s} QLabel#source {{
    color: {palette.ACCENT}; background: {ACCENT_SOFT}; border-radius: 8px;
    padding: 1px 8px; font-size: 11px;
}}
{s} QLabel#filled {{
    color: {palette.MUTED}; background: {palette.CANVAS}; border-left: 3px solid {palette.RULE};
    padding: 4px 8px; font-size: 12px;
}}
{s} QLabel#factLabel {{ color: {palette.MUTED}; font-size: 12px; }}
{s} QLabel#factValue {{ font-size: 12px; }}
{s} QLabel#order {{
    color: {palette.PAPER}; background: {palette.INK}; border-radius: 11px;
    font-weight: bold; min-width: 22px; max-width: 22px; min-height: 22px; max-height: 22px;
}}
{s} QLabel#fieldError, {s} QLabel#message {{ color: {palette.BAD}; font-size: 12px; }}
{s} QLabel#ok {{ color: {palette.GOOD}; }}
{s} QLabel#warn {{ color: {palette.WARN}; }}
{s} QLabel#bad {{ color: {palette.BAD}; }}
{s} QLabel#banner {{
    color: {palette.INK}; background: {GOOD_SOFT}; border: 1px solid #B9DDBB;
    border-radius: 6px; padding: 8px 12px; font-weight: bold;
}}
{s} QLabel#verdictGood {{ color: {palette.GOOD}; font-size: 24px; font-weight: bold; }}
{s} QLabel#verdictBad {{ color: {palette.BAD}; font-size: 24px; font-weight: bold; }}
{s} QLineEdit, {s} QComboBox, {s} QPlainTextEdit, {s} QTableWidget, {s} QTextBrowser,
{s} QListWidget {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 6px;
    padding: 4px 6px; selection-background-color: {ACCENT_SOFT}; selection-color: {palette.INK};
}}
{s} QLineEdit:focus, {s} QComboBox:focus, {s} QPlainTextEdit:focus {{
    border: 2px solid {palette.ACCENT};
}}
{s} QLineEdit:read-only, {s} QPlainTextEdit[readOnly="true"] {{
    background: {palette.CANVAS}; color: {palette.INK};
}}
{s} QLineEdit[refused="true"], {s} QPlainTextEdit[refused="true"] {{
    border: 2px solid {palette.BAD}; background: {BAD_SOFT};
}}
{s} QComboBox {{ padding-right: 26px; }}
{s} QComboBox::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 26px; border: none;
}}
{s} QComboBox::down-arrow {{ image: url("{CHEVRON}"); width: 12px; height: 8px; }}
{s} QComboBox QAbstractItemView {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE};
    selection-background-color: {ACCENT_SOFT}; selection-color: {palette.INK};
}}
{s} QComboBox:disabled {{ background: {palette.CANVAS}; color: {palette.INK}; }}
{s} QPushButton, {s} QToolButton {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 6px;
    padding: 5px 12px;
}}
{s} QToolButton#small {{ padding: 2px 6px; min-width: 18px; }}
{s} QToolButton[popupMode="1"] {{ padding-right: 30px; }}
{s} QToolButton::menu-button {{
    border: none; border-left: 1px solid {palette.RULE}; width: 24px;
}}
{s} QToolButton::menu-arrow {{ image: url("{CHEVRON}"); width: 10px; height: 7px; }}
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
{s} QPushButton#primary:disabled {{ background: #A9B1EA; color: {palette.PAPER}; }}
{s} QCheckBox {{ spacing: 8px; }}
{s} QProgressBar {{
    border: 1px solid {palette.RULE}; border-radius: 4px; background: {palette.CANVAS};
    max-height: 8px;
}}
{s} QProgressBar::chunk {{ background: {palette.ACCENT}; border-radius: 4px; }}
{s} QHeaderView::section {{
    background: {palette.CANVAS}; border: none; border-bottom: 1px solid {palette.RULE};
    padding: 5px 6px; font-weight: bold;
}}
{s} QTableWidget {{ gridline-color: #EEF0F3; padding: 0; }}
{s} QScrollArea {{ background: transparent; border: none; }}
{s} QScrollArea#pages {{ background: {PAGE_BACKDROP}; border-radius: 6px; }}
{s} QScrollArea > QWidget > QWidget {{ background: transparent; }}
{s} QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
{s} QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
{s} QScrollBar::handle {{
    background: #C3CAD3; border-radius: 5px; min-height: 24px; min-width: 24px;
}}
{s} QScrollBar::add-line, {s} QScrollBar::sub-line {{ width: 0; height: 0; }}
{s} QScrollBar::add-page, {s} QScrollBar::sub-page {{ background: transparent; }}
{s} QSplitter::handle {{ background: transparent; }}
{s} QToolBar {{ background: transparent; border: none; spacing: 8px; padding: 0; }}
{s} QToolTip {{ background: {palette.PAPER}; color: {palette.INK};
    border: 1px solid {palette.RULE}; padding: 4px; }}
"""


def status_badge_style(status: str) -> str:
    """An inline style for a version's status badge."""
    fg, bg = STATUS.get(status, STATUS["draft"])
    return (f"color: {fg}; background: {bg}; border-radius: 10px; padding: 3px 12px; "
            "font-weight: bold; font-size: 12px;")
