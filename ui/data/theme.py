"""The Data screens' style: the Plan screen's, with their tables, bars and notes."""

from __future__ import annotations

from reports import palette
from ui.plan import theme as plan_theme


def style_sheet(name: str) -> str:
    """The Plan screen's style scoped to `name`, with the Data screens' tables and bars."""
    s = f"#{name}"
    return plan_theme.style_sheet(name) + f"""
{s} QTableView {{
    background: {palette.PAPER}; border: 1px solid {palette.RULE}; border-radius: 6px;
    gridline-color: #EEF0F3; selection-background-color: {plan_theme.ACCENT_SOFT};
    selection-color: {palette.INK}; alternate-background-color: #FAFBFC;
}}
{s} QProgressBar {{
    background: {palette.CANVAS}; border: 1px solid {palette.RULE}; border-radius: 6px;
    height: 18px; text-align: center;
}}
{s} QProgressBar::chunk {{ background: {palette.ACCENT}; border-radius: 5px; }}
{s} QLabel#good {{ color: {palette.GOOD}; font-weight: bold; }}
{s} QLabel#sectionTitle {{ font-size: 13px; font-weight: bold; color: {palette.MUTED}; }}
{s} QFrame#problems {{
    background: {plan_theme.BAD_SOFT}; border: 1px solid #F2C4BF; border-radius: 8px;
}}
{s} QPushButton#primary:disabled {{
    color: #A9B1BB; border-color: #E6E9ED; background: {palette.PAPER}; font-weight: bold;
}}
{s} QFrame#success {{ background: #EAF5EC; border: 1px solid #BFE0C4; border-radius: 8px; }}
"""
