"""A workbook from before scoring models (schema 7) opens with its thresholds and rules in
one model, the one the SLA uses, whose MQL rule is still the total alone."""

from __future__ import annotations

from pathlib import Path

from workbench import schema, storage
from workbench.model import Operator, Quadrant
from workbench.workbook import Workbook


def _schema_7_file(path: Path) -> None:
    db = storage.connect(path)
    schema.MIGRATIONS.apply(db, stop_before="0008_scoring_models")
    conn = db.conn
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 7")
    conn.execute("UPDATE scoring_settings SET mql_threshold = 77, fit_threshold = 25, "
                 "interest_threshold = 35")
    conn.executemany(
        "INSERT INTO scoring_rules (position, kind, attribute, operator, value, points, label) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(0, "fit", "industry", "in", "Retail, Logistik", 20, "Zielbranche"),
         (1, "interest", "demo_request", "equals", "yes", 30, "Demo 🎬")])
    conn.commit()
    db.close()


def test_thresholds_and_rules_move_into_the_slas_model(tmp_path: Path) -> None:
    path = tmp_path / "Old.awb"
    _schema_7_file(path)
    with Workbook.open(path) as wb:
        assert wb.migrated_from == 7
        model = wb.scoring.model()
        assert (model.name, model.used_by_sla) == ("Main model", True)
        assert (model.settings.mql_threshold, model.settings.fit_threshold,
                model.settings.interest_threshold) == (77, 25, 35)
        rules = wb.scoring.rules()
        assert [(r.label, r.operator, r.points, r.model_id) for r in rules] == [
            ("Zielbranche", Operator.IN, 20, model.id), ("Demo 🎬", Operator.EQUALS, 30, model.id)]
        assert all(q.counts_as_mql for q in wb.scoring.quadrants().values())
        assert wb.scoring.quadrants()[Quadrant.SALES_NOW].action == \
            "Sales follows up within {follow_up_hours} hours."
        assert wb.scoring.capacity().mqls_per_month is None
        assert wb.scoring.personas.personas() == []


def test_the_migration_makes_the_same_schema_every_time(tmp_path: Path) -> None:
    from workbench.schema_check import differences

    path = tmp_path / "Old.awb"
    _schema_7_file(path)
    Workbook.open(path).close()
    db = storage.connect(path)
    try:
        assert differences(db.conn, schema.SCHEMA_VERSION) == []
    finally:
        db.close()
