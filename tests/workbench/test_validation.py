"""Bad input to the core's mutations is refused with a message naming the field, and
nothing is written: no row, no change-log entry, no undo step."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from workbench.errors import ValidationError
from workbench.model import QuarterId, RuleId, SlaVersionId, StageId
from workbench.workbook import Workbook

from .snapshot import dump


def _q(wb: Workbook) -> QuarterId:
    return wb.plan.quarters()[-1].id


def _mql(wb: Workbook) -> StageId:
    stage = wb.funnel.stage_by_key("mql")
    assert stage is not None
    return stage.id


def _rule(wb: Workbook) -> RuleId:
    return wb.scoring.rules()[0].id


def _draft(wb: Workbook) -> SlaVersionId:
    return wb.sla.versions()[0].id


BAD_INPUT: dict[str, tuple[Callable[[Workbook], object], str, str]] = {
    "empty company name": (lambda wb: wb.set_properties(company_name="   "),
                           "company_name", "The company name cannot be empty."),
    "currency not a code": (lambda wb: wb.set_properties(currency="Euro"),
                            "currency", "The currency must be a 3-letter code such as EUR."),
    "fiscal month 13": (lambda wb: wb.set_properties(fiscal_year_start_month=13),
                        "fiscal_year_start_month", "The fiscal year must start in month 1 to 12."),
    "rule kind": (lambda wb: wb.scoring.add_rule(kind="mood", attribute="title",
                                                 operator="equals", points=5),
                  "kind", "A rule is a fit rule or an interest rule."),
    "rule without attribute": (lambda wb: wb.scoring.add_rule(kind="fit", attribute=" ",
                                                              operator="equals", points=5),
                               "attribute", "A rule needs the attribute it looks at."),
    "rule missing points": (lambda wb: wb.scoring.add_rule(kind="fit", attribute="title",
                                                           operator="exists"),
                            "points", "A rule needs a points."),
    "points not a number": (lambda wb: wb.scoring.update_rule(_rule(wb), points="lots"),
                            "points", "Points must be a whole number."),
    "points too many": (lambda wb: wb.scoring.update_rule(_rule(wb), points=5000),
                        "points", "Points must be between -1000 and 1000."),
    "unknown operator": (lambda wb: wb.scoring.update_rule(_rule(wb), operator="like"),
                         "operator", "Unknown comparison 'like'."),
    "delete a deleted rule": (lambda wb: wb.scoring.delete_rule(RuleId(999_999)),
                              "rule", "That rule no longer exists."),
    "negative threshold": (lambda wb: wb.scoring.set_thresholds(mql_threshold=-5),
                           "mql_threshold", "A threshold cannot be negative."),
    "unknown threshold": (lambda wb: wb.scoring.set_thresholds(sql_threshold=5),
                          "sql_threshold", "sql_threshold is not a threshold."),
    "negative count": (lambda wb: wb.actuals.set_actual(_q(wb), _mql(wb), "Events", -1),
                       "count", "A count cannot be negative."),
    "fractional count": (lambda wb: wb.actuals.set_actual(_q(wb), _mql(wb), "Events", 2.5),
                         "count", "A count must be a whole number."),
    "value not a number": (lambda wb: wb.actuals.set_actual(_q(wb), _mql(wb), "Events", 3,
                                                            float("nan")),
                           "value", "A value must be a positive amount."),
    "actual for a deleted stage": (lambda wb: wb.actuals.set_actual(_q(wb), StageId(999_999),
                                                                    "Events", 3),
                                   "stage", "That stage no longer exists."),
    "actual for a deleted quarter": (lambda wb: wb.actuals.set_actual(QuarterId(999_999),
                                                                      _mql(wb), "Events", 3),
                                     "quarter", "That quarter no longer exists."),
    "term without title": (lambda wb: wb.sla.set_term(_draft(wb), "volume", " ", "x"),
                           "title", "A term needs a title."),
    "signatory without name": (lambda wb: wb.sla.add_signatory(_draft(wb), "  "),
                               "name", "A signatory needs a name."),
    "empty decision": (lambda wb: wb.workshop.record_decision("  "),
                       "decision", "A decision needs some text."),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_and_changes_nothing(case: str, demo: Workbook) -> None:
    act, field, message = BAD_INPUT[case]
    before, log_before = dump(demo), demo.change_log()

    with pytest.raises(ValidationError) as caught:
        act(demo)

    assert (caught.value.field, caught.value.message) == (field, message)
    assert str(caught.value) == message
    assert dump(demo) == before
    assert demo.change_log() == log_before
    assert demo.undo_name is None


def test_setting_an_actual_to_what_it_is_is_no_step(demo: Workbook) -> None:
    quarter = _q(demo)
    current = demo.actuals.for_quarter(quarter)[0]
    changes = demo.actuals.set_actual(quarter, current.stage_id, current.source, current.count,
                                      current.value)
    assert changes.empty
    assert demo.undo_name is None
