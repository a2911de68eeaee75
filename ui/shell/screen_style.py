"""What the screens' style sheets share: the UI font, soft tints, the combo-box chevron, and
the rules for cards, inputs, buttons, tables and scroll bars. Each screen's theme adds its
own rules after these (later rules win), scoped to the screen's object name."""

from __future__ import annotations

from PySide6.QtGui import QFont

from reports import palette
from resources import ROOT

UI_FAMILY = "DejaVu Sans"
CHEVRON = (ROOT / "icons" / "chevron-down.svg").as_posix()
CHEVRON_UP = (ROOT / "icons" / "chevron-up.svg").as_posix()
ACCENT_SOFT = "#EEF1FB"
GOOD_SOFT = "#E8F5E9"
WARN_SOFT = "#FFF4E0"   # amber tint behind a value that differs or warns
BAD_SOFT = "#FDECEA"


def font(points: float, *, bold: bool = False) -> QFont:
    """The UI font at `points`, optionally bold."""
    result = QFont(UI_FAMILY)
    result.setPointSizeF(points)
    result.setBold(bold)
    return result


def common_rules(s: str) -> str:
    """The shared rules for a screen whose selector is `s` (e.g. "#PlanScreen")."""
    return f"""
{s} {{ background: {palette.CANVAS}; }}
{s} QWidget {{ font-family: "{UI_FAMILY}"; font-size: 13px; color: {palette.INK}; }}
{s} QFrame#card {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 10px;
}}
{s} QLabel {{ background: transparent; }}
{s} QLabel#screenTitle {{ font-size: 21px; font-weight: bold; }}
{s} QLabel#cardTitle {{ font-size: 15px; font-weight: bold; }}
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
{s} QSpinBox, {s} QDoubleSpinBox {{ padding-right: 24px; }}
{s} QSpinBox::up-button, {s} QDoubleSpinBox::up-button,
{s} QSpinBox::down-button, {s} QDoubleSpinBox::down-button {{
    subcontrol-origin: border; width: 22px; border: none; border-left: 1px solid {palette.RULE};
}}
{s} QSpinBox::up-button, {s} QDoubleSpinBox::up-button {{
    subcontrol-position: top right; border-top-right-radius: 5px;
}}
{s} QSpinBox::down-button, {s} QDoubleSpinBox::down-button {{
    subcontrol-position: bottom right; border-bottom-right-radius: 5px;
}}
{s} QSpinBox::up-button:hover, {s} QDoubleSpinBox::up-button:hover,
{s} QSpinBox::down-button:hover, {s} QDoubleSpinBox::down-button:hover {{
    background: {ACCENT_SOFT};
}}
{s} QSpinBox::up-arrow, {s} QDoubleSpinBox::up-arrow {{
    image: url("{CHEVRON_UP}"); width: 9px; height: 6px;
}}
{s} QSpinBox::down-arrow, {s} QDoubleSpinBox::down-arrow {{
    image: url("{CHEVRON}"); width: 9px; height: 6px;
}}
{s} QComboBox QAbstractItemView {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE};
    selection-background-color: {ACCENT_SOFT}; selection-color: {palette.INK};
}}
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
