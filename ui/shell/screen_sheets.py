"""Each screen's style sheet, by the object name its rules are scoped to.

The main window carries them all after the app's own (`style.window_sheet`), so a screen
made for it is styled by the window and sets no sheet of its own. A screen with a sheet
of its own made Qt match each of its widgets against two sheets instead of one, and
restyle the screen's subtree at each level it was built up from: with its rules on the
window, a screen was made in a third to a half less time and placed in a quarter less
(the demo's six screens, 210-222 ms to 132 ms and 268-280 ms to 198-201 ms). A screen
made outside a window (a test, a preview) styles itself, from the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

from PySide6.QtWidgets import QWidget

from ui.data.theme import style_sheet as data_sheet
from ui.funnel.theme import STYLE_SHEET as FUNNEL_SHEET
from ui.plan.theme import style_sheet as plan_sheet
from ui.scoring.theme import style_sheet as scoring_sheet
from ui.sla.theme import style_sheet as sla_sheet
from ui.workshop.theme import workshop_sheet

SHEETS: dict[str, Callable[[], str]] = {
    "FunnelEditor": partial(str, FUNNEL_SHEET),
    "ScoringScreen": scoring_sheet,
    "PlanScreen": partial(plan_sheet, "PlanScreen"),
    "DataScreen": partial(data_sheet, "DataScreen"),
    "DashboardScreen": partial(plan_sheet, "DashboardScreen"),
    "SlaScreen": partial(sla_sheet, "SlaScreen"),
    "WorkshopScreen": partial(workshop_sheet, "WorkshopScreen"),
}


@cache
def screens_sheet() -> str:
    """Every screen's rules, one after another (each scoped to its own screen)."""
    return "".join(sheet() for sheet in SHEETS.values())


def style_screen(screen: QWidget, *, by_window: bool) -> None:
    """Give `screen` (named by its object name) its rules, unless the window it is made
    for (`by_window`) carries them."""
    if not by_window:
        screen.setStyleSheet(SHEETS[screen.objectName()]())
