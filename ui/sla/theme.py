"""The SLA screens' look: palette colours, a projector-sized font and one style sheet,
scoped to the screen's (or dialog's) object name so it never leaks into other screens."""

from __future__ import annotations

from PySide6.QtGui import QColor

from reports import palette
from ui.shell.screen_style import (  # noqa: F401 - the SLA screens import these from here
    ACCENT_SOFT,
    BAD_SOFT,
    CHEVRON,
    GOOD_SOFT,
    UI_FAMILY,
    WARN_SOFT,
    common_rules,
    font,
)

PAGE_BACKDROP = "#E4E7EB"  # behind the preview's pages
STATUS = {  # SLA status -> (text colour, background)
    "draft": (palette.ACCENT, ACCENT_SOFT),
    "signed": (palette.GOOD, GOOD_SOFT),
    "superseded": (palette.MUTED, "#EEF0F3"),
}


def colour(hex_colour: str) -> QColor:
    return QColor(hex_colour)


def style_sheet(name: str) -> str:
    """The style sheet for a screen or dialog whose object name is `name`."""
    s = f"#{name}"
    return common_rules(s) + f"""
{s} QFrame#row {{ background: transparent; border: none; border-top: 1px solid #EEF0F3; }}
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
{s} QLabel#verdictWarn {{ color: {palette.WARN}; font-size: 24px; font-weight: bold; }}
{s} QLabel#fingerprint {{
    font-family: "DejaVu Sans Mono", "Menlo", "Consolas", monospace; font-size: 15px;
    color: {palette.INK}; background: {palette.PAPER}; border: 1px solid {palette.RULE};
    border-radius: 6px; padding: 6px 10px;
}}
{s} QPlainTextEdit, {s} QTextBrowser, {s} QListWidget {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 6px;
    padding: 4px 6px; selection-background-color: {ACCENT_SOFT}; selection-color: {palette.INK};
}}
{s} QPlainTextEdit:focus {{ border: 2px solid {palette.ACCENT}; }}
{s} QLineEdit:read-only, {s} QPlainTextEdit[readOnly="true"] {{
    background: {palette.CANVAS}; color: {palette.INK};
}}
{s} QLineEdit[refused="true"], {s} QPlainTextEdit[refused="true"] {{
    border: 2px solid {palette.BAD}; background: {BAD_SOFT};
}}
{s} QComboBox:disabled {{ background: {palette.CANVAS}; color: {palette.INK}; }}
{s} QToolButton#small {{ padding: 2px 6px; min-width: 18px; }}
{s} QToolButton[popupMode="1"] {{ padding-right: 30px; }}
{s} QToolButton::menu-button {{
    border: none; border-left: 1px solid {palette.RULE}; width: 24px;
}}
{s} QToolButton::menu-arrow {{ image: url("{CHEVRON}"); width: 10px; height: 7px; }}
{s} QPushButton#primary:disabled {{ background: #A9B1EA; color: {palette.PAPER}; }}
{s} QCheckBox {{ spacing: 8px; }}
{s} QProgressBar {{
    border: 1px solid {palette.RULE}; border-radius: 4px; background: {palette.CANVAS};
    max-height: 8px;
}}
{s} QProgressBar::chunk {{ background: {palette.ACCENT}; border-radius: 4px; }}
{s} QScrollArea#pages {{ background: {PAGE_BACKDROP}; border-radius: 6px; }}
{s} QScrollBar::handle {{
    background: #C3CAD3; border-radius: 5px; min-height: 24px; min-width: 24px;
}}
{s} QScrollBar::add-page, {s} QScrollBar::sub-page {{ background: transparent; }}
{s} QSplitter::handle {{ background: transparent; }}
{s} QToolBar {{ background: transparent; border: none; spacing: 8px; padding: 0; }}
"""


def status_badge_style(status: str) -> str:
    """An inline style for a version's status badge."""
    fg, bg = STATUS.get(status, STATUS["draft"])
    return (f"color: {fg}; background: {bg}; border-radius: 10px; padding: 3px 12px; "
            "font-weight: bold; font-size: 12px;")
