"""A small workbook whose every score, quadrant, band and lift is worked out by hand in
the tests: six leads (accents, Chinese, Arabic, markup in their titles), six rules."""

from __future__ import annotations

import json

from workbench.model import RuleId
from workbench.workbook import Workbook

# id, created, industry, employees, title, attributes, reached stages, won, CRM score
LEADS = (
    (1, "2026-03-31T09:00:00", "Logistics", 1200, "Head of Ops",
     {"demo_request": "yes", "pricing_views": 3, "phone": "+49 30 1234"},
     ("opportunity", "customer"), "2026-03-31T10:00:00", 88.0),
    (2, "2026-03-01T09:00:00", "Retail", 150, "Director",
     {"demo_request": "no", "pricing_views": 2, "phone": ""}, ("opportunity",), None, 40.0),
    (3, "2026-01-30T09:00:00", "Healthcare", 300, "Étudiante / student",
     {"demo_request": "Ja", "pricing_views": 5}, (), None, None),
    (4, "2026-03-31T09:00:00", "Logistics", None, "CEO 首席执行官",
     {"demo_request": "yes", "pricing_views": "1"}, (), None, 10.0),
    (5, "2026-02-15T09:00:00", "Manufacturing", 5000, "<b>COO</b>",
     {"demo_request": True, "pricing_views": 2, "phone": "x"}, (), None, 70.0),
    (6, "2026-03-10T09:00:00", "retail", 200, "مدير المبيعات",
     {"demo_request": "yes", "pricing_views": 0, "phone": "1"}, (), None, 65.0),
)
# What each lead scores, worked out by hand: (fit, interest, quadrant).
EXPECTED = {
    1: (35, 40, "sales_now"),  # 20 + 15; 30 + 10 (0 days old)
    2: (20, 0, "nurture"),  # 20 (150 is below 200); 10 halved once (30 days) - 5 (no phone)
    3: (-25, 27, "no_action"),  # 15 - 40 (student); 30 + 10 x 1/4 = 2.5 -> 2, - 5
    4: (20, 25, "nurture"),  # 20 (employees unknown); 30 - 5 ("1" view; no phone)
    5: (15, 34, "qualify"),  # 15 (5000 in 200..5,000); 30 + 10 x 0.5^(44/30) = 3.6 -> 4
    6: (35, 30, "sales_now"),  # "retail" is in the list; 30 + 0 views
}


def add_rules(wb: Workbook) -> list[RuleId]:
    """The fixture's six rules, on the SLA's model."""
    rules = [
        dict(kind="fit", attribute="industry", operator="in", value="Logistics, Retail",
             points=20, label="Target industry"),
        dict(kind="fit", attribute="employees", operator="between", value="200..5,000",
             points=15, label="Mid-size"),
        dict(kind="fit", attribute="title", operator="contains", value="student", points=-40,
             label="Student"),
        dict(kind="interest", attribute="demo_request", operator="equals", value="yes",
             points=30, label="Asked for a demo"),
        dict(kind="interest", attribute="pricing_views", operator="at_least", value="2",
             points=10, label="Pricing twice", half_life_days=30),
        dict(kind="interest", attribute="phone", operator="is_empty", value="", points=-5,
             label="No phone"),
    ]
    return [wb.scoring.add_rule(**rule)[1] for rule in rules]


def write_scored_leads(wb: Workbook) -> None:
    """The six leads, their stage dates and won dates, straight into the workbook."""
    conn = wb.db.conn
    stages = {s.key: s.id for s in wb.funnel.stages()}
    with wb.db.atomic():
        for (lead_id, created, industry, employees, title, attributes, reached, won,
             score) in LEADS:
            conn.execute(
                "INSERT INTO leads (id, external_id, created_at, industry, employees, title, "
                "attributes, won_at, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (lead_id, f"L{lead_id}", created, industry, employees, title,
                 json.dumps(attributes, ensure_ascii=False), won, score))
            conn.executemany("INSERT INTO lead_stage_dates VALUES (?, ?, ?)",
                             [(lead_id, stages[key], created) for key in reached])


def scored_workbook(wb: Workbook) -> Workbook:
    """`wb` (blank) with the fixture's leads, rules and thresholds 50 / 20 / 30."""
    write_scored_leads(wb)
    add_rules(wb)
    wb.scoring.set_thresholds(mql_threshold=50, fit_threshold=20, interest_threshold=30)
    return wb
