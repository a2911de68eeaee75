"""The app's areas as the sidebar lists them. A screen is named by "module:Class" and
imported when first shown, so start-up loads only what the first screen needs; None shows
a "coming" placeholder. A screen class takes `(context: AppContext, parent=None)`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    blurb: str
    screen: str | None  # "package.module:Class", or None while the feature is coming


AREAS: tuple[Area, ...] = (
    Area("funnel", "Funnel", "Shared stage definitions, owners and hand-offs",
         "ui.funnel.editor:FunnelEditor"),
    Area("scoring", "Scoring", "Fit and interest rules, the MQL threshold",
         "ui.scoring.screen:ScoringScreen"),
    Area("plan", "Plan", "Reverse funnel from the revenue goal", "ui.plan.screen:PlanScreen"),
    Area("data", "Data", "CRM imports and quarterly actuals", "ui.data.screen:DataScreen"),
    Area("dashboard", "Dashboard", "Plan vs actual, SLA compliance",
         "ui.dashboard.screen:DashboardScreen"),
    Area("sla", "SLA", "The agreement both leaders sign", "ui.sla.screen:SlaScreen"),
    Area("workshop", "Workshop", "Questionnaire, gaps and decisions",
         "ui.workshop.screen:WorkshopScreen"),
)
