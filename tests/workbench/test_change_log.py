"""The change log: every step records when, which step, what, old → new; undo and redo
are recorded too, and the log itself is never undone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workbench.model import ChangeLogEntry, StageId
from workbench.workbook import Workbook

from .mutations import MUTATIONS


def _mql(wb: Workbook) -> StageId:
    stage = wb.funnel.stage_by_key("mql")
    assert stage is not None
    return stage.id


def _fields(entry: ChangeLogEntry) -> tuple[str, str, str, str, str | None, str | None]:
    return (entry.step, entry.entity, entry.entity_id, entry.field, entry.old, entry.new)


def test_rename_is_logged_with_old_and_new_name(blank: Workbook) -> None:
    mql = _mql(blank)
    blank.funnel.rename_stage(mql, "MQL")
    blank.funnel.rename_stage(mql, "Marketing Qualified Lead (agreed)")

    newest, previous = blank.change_log(limit=2)
    assert _fields(previous) == ("Rename stage", "stage", str(mql), "name",
                                 "Marketing Qualified Lead", "MQL")
    assert _fields(newest) == ("Rename stage", "stage", str(mql), "name",
                               "MQL", "Marketing Qualified Lead (agreed)")
    when = datetime.strptime(newest.at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - when) < timedelta(minutes=1)


def test_undo_and_redo_are_logged_with_old_and_new_swapped(blank: Workbook) -> None:
    mql = _mql(blank)
    blank.funnel.rename_stage(mql, "MQL")
    blank.undo()
    undo_entry = blank.change_log(limit=1)[0]
    assert _fields(undo_entry) == ("Undo Rename stage", "stage", str(mql), "name",
                                   "MQL", "Marketing Qualified Lead")
    blank.redo()
    redo_entry = blank.change_log(limit=1)[0]
    assert _fields(redo_entry) == ("Redo Rename stage", "stage", str(mql), "name",
                                   "Marketing Qualified Lead", "MQL")
    assert [e.step for e in blank.change_log()] == [
        "Redo Rename stage", "Undo Rename stage", "Rename stage"]


def test_change_log_is_not_undone(blank: Workbook) -> None:
    blank.set_properties(company_name="Northwind")
    assert len(blank.change_log()) == 1
    blank.undo()
    assert blank.properties().company_name == "New company"
    assert len(blank.change_log()) == 2  # the edit and its undo, both kept


def test_each_changed_field_is_logged(blank: Workbook) -> None:
    blank.set_properties(company_name="Northwind", currency="EUR", fiscal_year_start_month=4)
    logged = {e.field: (e.old, e.new) for e in blank.change_log()}
    assert logged == {"company_name": ("New company", "Northwind"),
                      "currency": ("USD", "EUR"),
                      "fiscal_year_start_month": ("1", "4")}


def test_threshold_and_actuals_log_what_they_were(demo: Workbook) -> None:
    demo.scoring.set_thresholds(mql_threshold=75)
    entry = demo.change_log(limit=1)[0]
    assert (entry.field, entry.old, entry.new) == ("mql_threshold", "60", "75")

    quarter = demo.plan.quarters()[-1].id
    cell = next(a for a in demo.actuals.for_quarter(quarter) if a.stage_id == _mql(demo))
    demo.actuals.set_actual(quarter, cell.stage_id, cell.source, cell.count + 5)
    entry = demo.change_log(limit=1)[0]
    assert (entry.step, entry.field) == ("Edit actuals", "count")
    assert (entry.old, entry.new) == (str(cell.count), str(cell.count + 5))


def test_added_and_deleted_rules_are_logged_by_label(demo: Workbook) -> None:
    demo.scoring.add_rule(kind="fit", attribute="country", operator="equals", value="DE",
                          points=10, label="Based in Germany")
    added = demo.change_log(limit=1)[0]
    assert (added.step, added.entity, added.old, added.new) == (
        "Add scoring rule", "rule", None, "Based in Germany")
    demo.scoring.delete_rule(demo.scoring.rules()[-1].id)
    deleted = demo.change_log(limit=1)[0]
    assert (deleted.step, deleted.old, deleted.new) == (
        "Delete scoring rule", "Based in Germany", None)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_every_mutation_appends_to_the_log(name: str, demo: Workbook) -> None:
    before = demo.change_log(limit=10_000)
    MUTATIONS[name].act(demo)
    after = demo.change_log(limit=10_000)
    new = after[: len(after) - len(before)]
    assert after[len(new):] == before
    assert new and {e.step for e in new} == {MUTATIONS[name].step}
