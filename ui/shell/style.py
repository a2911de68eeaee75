"""The app's look: one style sheet filled with the shared palette, a matching QPalette for
what style sheets do not reach, the base font and the window icon.

The style sheet is the main window's (`style_window`), not the application's, and reaches
its dialogs, menus and tooltips through their parents. With a sheet on the application,
Qt restyles a widget's whole subtree each time a widget joins a parent: a screen built
bottom-up (labels into cards, cards into columns, columns into tabs) was restyled once per
level, a third to two thirds of the time it took to make."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from reports import palette
from resources import ROOT
from ui.shell.wheel_guard import guard_all_wheels

STYLE_SHEET = Path(__file__).with_name("style.qss")
APP_ICON = ROOT / "icons" / "app.svg"
BASE_POINT_SIZE = 10
UI_FAMILY = "DejaVu Sans"


def tint(colour: str, amount: float) -> str:
    """`colour` mixed with white; `amount` 0 gives white, 1 the colour itself."""
    base = QColor(colour)
    mix = [round(255 - (255 - c) * amount) for c in (base.red(), base.green(), base.blue())]
    return QColor(*mix).name()


def colours() -> dict[str, str]:
    """The names the style sheet may use, each a hex colour."""
    names = ("INK", "MUTED", "RULE", "PAPER", "CANVAS", "ACCENT", "GOOD", "WARN", "BAD")
    result = {name: getattr(palette, name) for name in names}
    result["ACCENT_SOFT"] = tint(palette.ACCENT, 0.12)
    return result


@cache
def style_sheet() -> str:
    """The style sheet with the palette's colours filled in."""
    return Template(STYLE_SHEET.read_text(encoding="utf-8")).substitute(colours())


def app_icon() -> QIcon:
    return QIcon(str(APP_ICON))


def base_font() -> QFont:
    font = QFont(UI_FAMILY)
    font.setPointSize(BASE_POINT_SIZE)
    return font


def light_palette() -> QPalette:
    """A light palette, so widgets the style sheet does not cover match it (and the app
    stays light on a desktop in dark mode)."""
    result = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, palette.CANVAS), (roles.Base, palette.PAPER),
        (roles.AlternateBase, palette.CANVAS), (roles.Text, palette.INK),
        (roles.WindowText, palette.INK), (roles.ButtonText, palette.INK),
        (roles.Button, palette.PAPER), (roles.Highlight, palette.ACCENT),
        (roles.HighlightedText, palette.PAPER), (roles.ToolTipBase, palette.PAPER),
        (roles.ToolTipText, palette.INK), (roles.PlaceholderText, palette.MUTED),
        (roles.Link, palette.ACCENT),
    ):
        result.setColor(role, QColor(colour))
    return result


def apply_style(app: QApplication) -> None:
    """Give the whole application its look; each window without a parent takes the style
    sheet by `style_window`."""
    guard_all_wheels()  # Fusion, guarding combo and spin boxes from the mouse wheel
    app.setPalette(light_palette())
    app.setFont(base_font())
    app.setWindowIcon(app_icon())


def window_sheet() -> str:
    """The app's style sheet, then every screen's (`screen_sheets`)."""
    from ui.shell.screen_sheets import screens_sheet

    return style_sheet() + screens_sheet()


def style_window(window: QWidget) -> None:
    """Give `window` (one without a parent: the main window, an error shown before it)
    the app's style sheet and the screens', for it and everything it parents."""
    window.setStyleSheet(window_sheet())
