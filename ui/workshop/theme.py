"""The Workshop screen's look: the Plan screen's style sheet, the sides' colours, and the
sizes the gap view draws at (scaled up in presentation mode)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from reports import palette
from ui.plan.theme import font, style_sheet  # noqa: F401 - the workshop imports these here
from workbench.model import Team

SIDE_LABEL = {Team.MARKETING: "Marketing", Team.SALES: "Sales"}


def side_colour(team: Team) -> QColor:
    """Marketing blue, sales orange (the palette's owner colours)."""
    return QColor(palette.OWNER[team.value])


def ink(name: str = "INK") -> QColor:
    return QColor(getattr(palette, name))


def workshop_sheet(name: str) -> str:
    """The style sheet of a workshop widget whose object name is `name`."""
    s = f"#{name}"
    return style_sheet(name) + f"""
{s} QPushButton#side {{ font-size: 17px; padding: 12px 28px; border-radius: 8px; }}
{s} QPushButton#side:checked {{ color: {palette.PAPER}; font-weight: bold; }}
{s} QPushButton#side[team="marketing"]:checked {{
    background: {palette.OWNER['marketing']}; border-color: {palette.OWNER['marketing']}; }}
{s} QPushButton#side[team="sales"]:checked {{
    background: {palette.OWNER['sales']}; border-color: {palette.OWNER['sales']}; }}
{s} QPushButton#scale {{ min-width: 34px; padding: 5px 8px; }}
{s} QPushButton#scale:checked {{
    background: {palette.ACCENT}; color: {palette.PAPER}; border-color: {palette.ACCENT}; }}
{s} QLabel#question {{ font-size: 14px; }}
{s} QLabel#saved {{ color: {palette.GOOD}; font-size: 15px; font-weight: bold; }}
"""
