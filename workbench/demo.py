"""The demo company: a realistic, deterministic workbook built from
`resources/demo/company.json`. Leads are simulated through the funnel with a seeded random
generator, and the quarterly actuals are derived from those leads, so every number on every
screen agrees with every other."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from . import lead_tops
from .model import Operator, RuleId, RuleKind, ScoringRule
from .plan import quarter_dates
from .scoring import score_lead
from .sla import EXCEPTION_PREFIX
from .templates import insert_stages

DATA_END = datetime(2026, 10, 1)


def build_demo(conn: sqlite3.Connection, src: dict[str, Any]) -> None:
    """Write the whole demo company into an empty, migrated workbook."""
    conn.execute(
        "UPDATE properties SET company_name = ?, currency = ?, fiscal_year_start_month = ?, "
        "template = 'demo' WHERE id = 1",
        (src["company_name"], src["currency"], src["fiscal_year_start_month"]),
    )
    stage_ids = insert_stages(conn, src["stages"])
    _funnel_extras(conn, src, stage_ids)
    rules = _scoring(conn, src["scoring"])
    conn.executemany("INSERT INTO sources (name, sourced_by) VALUES (?, ?)",
                     [(s["name"], s["sourced_by"]) for s in src["sources"]])
    conn.executemany(
        "INSERT INTO disposition_codes (code, label, meaning, position, disposed) "
        "VALUES (?, ?, ?, ?, ?)",
        [(d["code"], d["label"], d["meaning"], i, int(d.get("disposed", True)))
         for i, d in enumerate(src["dispositions"])],
    )
    quarter_ids = {}
    for label in src["quarters"]:
        start, end = quarter_dates(label, src["fiscal_year_start_month"])
        cursor = conn.execute("INSERT INTO quarters (label, start_date, end_date) VALUES (?,?,?)",
                              (label, start, end))
        quarter_ids[label] = cursor.lastrowid
    _simulate_leads(conn, src, stage_ids, rules)
    lead_tops.rebuild(conn)
    _derive_actuals(conn, src, stage_ids)
    _plans(conn, src, stage_ids, quarter_ids)
    _sla(conn, src)
    _workshop(conn, src["workshop"])
    conn.execute(
        "INSERT INTO change_log (at, step, entity, entity_id, field, old, new) "
        "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'Create workbook', 'workbook', '', "
        "'template', NULL, 'demo')"
    )


def _workshop(conn: sqlite3.Connection, src: dict[str, Any]) -> None:
    """The app's question set and a workshop's anonymous answers, a few per side."""
    from .workshop_questions import copy_question_set

    copy_question_set(conn)
    for person in src["participants"]:
        pid = conn.execute("INSERT INTO workshop_participants (team, entered) VALUES (?, 'csv')",
                           (person["side"],)).lastrowid
        conn.executemany("INSERT INTO workshop_answers (participant_id, question_key, answer) "
                         "VALUES (?,?,?)", [(pid, k, v) for k, v in person["answers"].items()])
    for decision in src["decisions"]:
        kind, key = decision["settles"]
        conn.execute("INSERT INTO decisions (text, owner, settles_kind, settles_key) "
                     "VALUES (?,?,?,?)", (decision["text"], decision["owner"], kind, key))


def _funnel_extras(conn: sqlite3.Connection, src: dict[str, Any], ids: dict[str, int]) -> None:
    for key, status in src["agreement"].items():
        conn.execute("UPDATE stages SET agreement = ? WHERE id = ?", (status, ids[key]))
    for key, teams in src["proposals"].items():
        for team, text in teams.items():
            conn.execute("INSERT INTO stage_proposals (stage_id, team, text) VALUES (?, ?, ?)",
                         (ids[key], team, text))
    for key, pairs in src["aliases"].items():
        conn.executemany("INSERT INTO stage_aliases (stage_id, crm, alias) VALUES (?, ?, ?)",
                         [(ids[key], crm, alias) for crm, alias in pairs])
    for recycle in src["recycles"]:
        conn.execute(
            "INSERT INTO stage_recycles (from_stage_id, to_stage_id, label) VALUES (?,?,?)",
            (ids[recycle["from"]], ids[recycle["to"]], recycle["label"]),
        )


def _scoring(conn: sqlite3.Connection, scoring: dict[str, Any]) -> list[ScoringRule]:
    conn.execute(
        "UPDATE scoring_models SET name = ?, mql_threshold = ?, fit_threshold = ?, "
        "interest_threshold = ? WHERE id = 1",
        (scoring["model"], scoring["mql_threshold"], scoring["fit_threshold"],
         scoring["interest_threshold"]),
    )
    # The demo's MQLs are leads at the threshold with enough fit (see `_simulate_leads`).
    conn.execute("UPDATE scoring_quadrants SET counts_as_mql = 0 WHERE model_id = 1 "
                 "AND quadrant IN ('qualify', 'no_action')")
    conn.execute("UPDATE sales_capacity SET hours_per_mql = ?, rep_hours_per_month = ?",
                 (scoring["capacity"]["hours_per_mql"],
                  scoring["capacity"]["rep_hours_per_month"]))
    traits = _personas(conn, scoring["personas"])
    rules = []
    for position, rule in enumerate(scoring["rules"]):
        values = (position, rule["kind"], rule["attribute"], rule["operator"], rule["value"],
                  rule["points"], rule["label"], rule.get("half_life_days"),
                  traits.get(rule.get("trait", "")))
        cursor = conn.execute(
            "INSERT INTO scoring_rules (model_id, position, kind, attribute, operator, value, "
            "points, label, half_life_days, trait_id) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values)
        rules.append(ScoringRule(RuleId(int(cursor.lastrowid or 0)), RuleKind(rule["kind"]),
                                 rule["attribute"], Operator(rule["operator"]), rule["value"],
                                 rule["points"], rule["label"], position))
    return rules


def _personas(conn: sqlite3.Connection, personas: list[dict[str, Any]]) -> dict[str, int]:
    """The demo's buyer personas; returns the first persona's trait ids by trait."""
    found: dict[str, int] = {}
    for position, persona in enumerate(personas):
        cursor = conn.execute("INSERT INTO personas (name, position) VALUES (?, ?)",
                              (persona["name"], position))
        for trait, text in persona["traits"].items():
            row = conn.execute(
                "INSERT INTO persona_traits (persona_id, trait, marketing, sales, agreed, "
                "agreement) VALUES (?, ?, ?, ?, ?, ?)",
                (cursor.lastrowid, trait, text["marketing"], text["sales"], text["agreed"],
                 text["agreement"]))
            found.setdefault(trait, int(row.lastrowid or 0))
    return found


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _simulate_leads(
    conn: sqlite3.Connection, src: dict[str, Any], ids: dict[str, int], rules: list[ScoringRule]
) -> None:
    rng = random.Random(src["seed"])
    people, sources = src["people"], src["sources"]
    weights = [s["weight"] for s in sources]
    threshold, fit_min = src["scoring"]["mql_threshold"], src["scoring"]["fit_threshold"]
    serial = 0
    for index, label in enumerate(src["quarters"]):
        start, end = (datetime.fromisoformat(d)
                      for d in quarter_dates(label, src["fiscal_year_start_month"]))
        span = (end - start).total_seconds()
        for _ in range(src["leads_per_quarter"][index]):
            serial += 1
            source = rng.choices(sources, weights)[0]
            created = start + timedelta(seconds=rng.random() * span)
            attrs = _attributes(rng, people, source["name"])
            fit, interest = score_lead(rules, attrs)
            lead = {
                "external_id": f"BL-{serial:06d}", "created_at": _stamp(created),
                "source": source["name"], "campaign": rng.choice(source["campaigns"]),
                "company": attrs["company"], "title": attrs["title"],
                "industry": attrs["industry"], "country": attrs["country"],
                "employees": attrs["employees"], "score": fit + interest,
                "owner": rng.choice(people["reps"]),
            }
            dates = {"inquiry": created}
            qualified = fit + interest >= threshold and fit >= fit_min
            _walk(rng, lead, dates, qualified, index)
            extra = {k: attrs[k] for k in ("demo_request", "pricing_views", "webinar_attended",
                                           "downloads", "email_clicks")}
            lead["attributes"] = json.dumps(extra)
            columns = ", ".join(lead)
            cursor = conn.execute(
                f"INSERT INTO leads ({columns}) VALUES ({', '.join('?' for _ in lead)})",
                list(lead.values()),
            )
            conn.executemany(
                "INSERT INTO lead_stage_dates (lead_id, stage_id, reached_at) VALUES (?, ?, ?)",
                [(cursor.lastrowid, ids[key], _stamp(moment)) for key, moment in dates.items()
                 if moment < DATA_END],
            )


def _attributes(rng: random.Random, people: dict[str, Any], source: str) -> dict[str, Any]:
    hot = source in ("Events", "Paid search", "Partner referral", "Outbound SDR")
    return {
        "company": " ".join((rng.choice(people["company_parts"]),
                             rng.choice(people["company_kinds"]),
                             rng.choice(people["company_forms"]))),
        "title": rng.choice(people["titles"]),
        "industry": rng.choice(people["industries"]),
        "country": rng.choice(people["countries"]),
        "employees": int(rng.lognormvariate(5.3, 1.1)),
        "demo_request": "yes" if rng.random() < (0.55 if hot else 0.35) else "no",
        "pricing_views": int(rng.expovariate(0.5)),
        "webinar_attended": "yes" if source == "Webinar" or rng.random() < 0.08 else "no",
        "downloads": int(rng.expovariate(1.0)) + (1 if source == "Content download" else 0),
        "email_clicks": int(rng.expovariate(0.4)),
    }


def _walk(rng: random.Random, lead: dict[str, Any], dates: dict[str, datetime],
          qualified: bool, quarter_index: int) -> None:
    """Move one lead down the funnel, filling its stage dates and disposition."""
    if not qualified:
        if rng.random() < 0.3:
            lead["disposition"] = rng.choice(["not_a_fit", "nurture", "duplicate"])
        return
    dates["mql"] = dates["inquiry"] + timedelta(hours=rng.uniform(0.2, 60))
    # Follow-up gets faster quarter by quarter as the SLA takes hold.
    median = 30 - 3.5 * quarter_index
    touch = dates["mql"] + timedelta(hours=rng.lognormvariate(0, 0.8) * median)
    if rng.random() < 0.06:
        lead["disposition"] = "no_response" if rng.random() < 0.5 else None
        return
    lead["first_touch_at"] = _stamp(touch)
    lead["attempts"] = rng.randint(1, 8)
    if rng.random() > 0.62 + 0.02 * quarter_index:
        lead["disposition"] = rng.choice(["nurture", "not_a_fit", "no_response", "duplicate"])
        return
    dates["sal"] = touch + timedelta(hours=rng.uniform(1, 40))
    lead["disposition"] = rng.choice(["accepted", "contacted"])
    if rng.random() > 0.58:
        return
    dates["sql"] = dates["sal"] + timedelta(days=rng.uniform(1, 12))
    lead["disposition"] = "converted"
    if rng.random() > 0.52:
        return
    dates["opportunity"] = dates["sql"] + timedelta(days=rng.uniform(2, 20))
    lead["amount"] = round(rng.lognormvariate(10.95, 0.45), -2)
    if rng.random() > 0.27:
        closed = dates["opportunity"] + timedelta(days=rng.uniform(20, 120))
        if closed < DATA_END and rng.random() < 0.8:
            lead["lost_at"] = _stamp(closed)
        return
    won = dates["opportunity"] + timedelta(days=rng.uniform(25, 110))
    dates["customer"] = won
    if won < DATA_END:
        lead["won_at"] = _stamp(won)


def _derive_actuals(conn: sqlite3.Connection, src: dict[str, Any], ids: dict[str, int]) -> None:
    """Quarterly actuals per stage and source, counted from the simulated leads."""
    conn.execute(
        """INSERT INTO actuals (quarter_id, stage_id, source, count, value)
        SELECT q.id, d.stage_id, l.source, count(*),
               CASE WHEN d.stage_id IN (?, ?) THEN coalesce(sum(l.amount), 0) ELSE 0 END
        FROM lead_stage_dates d JOIN leads l ON l.id = d.lead_id
        JOIN quarters q ON d.reached_at >= q.start_date AND d.reached_at < q.end_date
        GROUP BY q.id, d.stage_id, l.source""",
        (ids["opportunity"], ids["customer"]),
    )
    rng = random.Random(src["seed"] + 1)
    rows = conn.execute("SELECT quarter_id, source, count FROM actuals WHERE stage_id = ?",
                        (ids["inquiry"],)).fetchall()
    conn.executemany(
        "INSERT INTO actuals (quarter_id, stage_id, source, count, value) VALUES (?, ?, ?, ?, 0)",
        [(q, ids["visit"], source, int(n * src["visits_per_inquiry"] * rng.uniform(0.8, 1.2)))
         for q, source, n in rows],
    )


def _plans(conn: sqlite3.Connection, src: dict[str, Any], ids: dict[str, int],
           quarter_ids: dict[str, Any]) -> None:
    """A committed base plan per quarter and a stretch scenario for the last."""
    stages = src["stages"]
    for (label, qid), goal in zip(quarter_ids.items(), src["plan"]["revenue_goals"], strict=True):
        stretch = {"mql": src["plan"]["stretch_mql_to_sal"]}
        for name, committed, overrides in (("Base plan", 1, {}),
                                           ("Stretch: MQL→SAL 80 %", 0, stretch)):
            if not committed and label != src["quarters"][-1]:
                continue
            cursor = conn.execute(
                "INSERT INTO plans (quarter_id, name, revenue_goal, avg_deal_size, committed) "
                "VALUES (?, ?, ?, ?, ?)",
                (qid, name, goal, src["plan"]["avg_deal_size"], committed))
            conn.executemany(
                "INSERT INTO plan_conversions (plan_id, stage_id, conversion) VALUES (?, ?, ?)",
                [(cursor.lastrowid, ids[s["key"]], overrides.get(s["key"], s["target_conversion"]))
                 for s in stages[:-1]],
            )


def _sla(conn: sqlite3.Connection, src: dict[str, Any]) -> None:
    """The draft SLA; its wording keeps `{placeholders}`, filled from the live workbook."""
    sla = src["sla"]
    cursor = conn.execute(
        "INSERT INTO sla_versions (number, status, title, effective_from, effective_to, "
        "review_cadence) VALUES (1, 'draft', ?, ?, ?, ?)",
        (sla["title"], sla["effective_from"], sla["effective_to"], sla["review_cadence"]),
    )
    conn.executemany(
        "INSERT INTO sla_terms (version_id, position, key, title, body) VALUES (?, ?, ?, ?, ?)",
        [(cursor.lastrowid, i, t["key"], t["title"], t["body"])
         for i, t in enumerate(sla["terms"])],
    )
    conn.executemany(
        "INSERT INTO sla_signatories (version_id, position, name, title, team, email) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(cursor.lastrowid, i, s["name"], s["title"], s["team"], s["email"])
         for i, s in enumerate(sla["signatories"])],
    )
    # The disputed SQL definition is signed with a recorded exception (see `sla`).
    conn.executemany(
        "INSERT INTO sla_parameters (version_id, name, value) VALUES (?, ?, ?)",
        [(cursor.lastrowid, EXCEPTION_PREFIX + key, text)
         for key, text in sla.get("exceptions", {}).items()],
    )
