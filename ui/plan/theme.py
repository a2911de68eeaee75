"""The look of the Plan and Dashboard screens: palette colours, a projector-sized font, and
a style sheet scoped to the screen's object name so it never leaks into other screens."""

from __future__ import annotations

from PySide6.QtGui import QColor

from reports import palette
from ui.shell.screen_style import (  # noqa: F401 - the screens import these from here
    ACCENT_SOFT,
    BAD_SOFT,
    CHEVRON,
    UI_FAMILY,
    WARN_SOFT,
    common_rules,
    font,
)


def colour(role: str) -> QColor:
    """A chart-data colour role ("actual", "series:2", …) as a QColor."""
    return QColor(palette.colour(role))


def style_sheet(name: str) -> str:
    """The style sheet for a screen whose object name is `name`."""
    s = f"#{name}"
    return common_rules(s) + f"""
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
{s} QLineEdit[refused="true"] {{ border: 2px solid {palette.BAD}; background: {BAD_SOFT}; }}
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
"""
