"""The Scoring screen's style: the Plan and Data screens', with its 2×2 quadrants."""

from __future__ import annotations

from reports import palette
from ui.data.theme import style_sheet as data_sheet
from ui.plan import theme


def style_sheet() -> str:
    """The Scoring screen's style sheet, scoped to its object name."""
    s = "#ScoringScreen"
    # The Data screens' rules begin with the Plan screen's.
    return data_sheet("ScoringScreen") + f"""
{s} QFrame#quadrant {{
    background: {theme.ACCENT_SOFT}; border: 1px solid {palette.RULE}; border-radius: 8px;
}}
{s} QLabel#quadrantTitle {{ font-weight: bold; }}
{s} QFrame#quadrant QLineEdit {{ min-height: 18px; }}
{s} QFrame#quadrant QCheckBox {{ min-height: 20px; }}
{s} QLabel#mqlRule {{ font-weight: bold; color: {palette.ACCENT}; }}
{s} QLabel#badge {{ color: {palette.MUTED}; font-style: italic; }}
"""
