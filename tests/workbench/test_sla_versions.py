"""SLA versions, terms, free clauses, parameters and signatories: every mutation with an
undo and redo round trip, every refusal with its message and nothing changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from workbench.errors import ImmutableError, ValidationError
from workbench.model import SlaVersionId
from workbench.sla_terms import ESSENTIAL_KEYS
from workbench.workbook import Workbook

from .snapshot import dump


def _round_trip(wb: Workbook, mutate: Callable[[], object]) -> None:
    """Run a mutation, then undo (back to before) and redo (back to after)."""
    before = dump(wb)
    mutate()
    after = dump(wb)
    assert after != before
    wb.undo()
    assert dump(wb) == before
    wb.redo()
    assert dump(wb) == after


def _draft(wb: Workbook) -> SlaVersionId:
    return wb.sla.versions()[-1].id


def test_the_first_version_of_a_blank_workbook_has_every_essential_term(blank: Workbook) -> None:
    _round_trip(blank, blank.sla.new_version)
    vid = _draft(blank)
    assert [t.key for t in blank.sla.terms(vid)] == list(ESSENTIAL_KEYS)


def test_a_new_version_copies_the_latest_and_an_amendment_says_which(demo: Workbook) -> None:
    first = demo.sla.versions()[0]
    demo.sla.set_parameter(first.id, "follow_up_attempts", 7)
    _round_trip(demo, lambda: demo.sla.new_version(amendment=True))
    second = demo.sla.versions()[-1]
    assert second.number == 2 and second.amends_id == first.id
    assert second.effective_from == first.effective_from
    assert [(t.key, t.body) for t in demo.sla.terms(second.id)] == [
        (t.key, t.body) for t in demo.sla.terms(first.id)]
    assert demo.sla.parameters(second.id)["follow_up_attempts"] == "7"
    # The recorded exception for the disputed SQL carries over, until agreed or removed.
    assert demo.sla.exceptions(second.id) == demo.sla.exceptions(first.id) != {}
    assert [s.name for s in demo.sla.signatories(second.id)] == ["Zoë Müller", "Daniel Okafor"]


def test_details_and_parameters_round_trip(demo: Workbook) -> None:
    vid = _draft(demo)
    _round_trip(demo, lambda: demo.sla.set_details(vid, effective_from="2027-01-01",
                                                   effective_to="2027-12-31",
                                                   review_cadence="Monthly"))
    _round_trip(demo, lambda: demo.sla.set_parameter(vid, "distribution_method", "territory"))


@pytest.mark.parametrize(("call", "field", "message"), [
    (lambda s, v: s.set_details(v, effective_from="next monday"), "effective_from",
     "is not a date like 2026-10-01"),
    (lambda s, v: s.set_details(v, effective_to="2020-01-01"), "effective_to",
     "must end after it starts"),
    (lambda s, v: s.set_parameter(v, "follow_up_attempts", "many"), "follow_up_attempts",
     "whole number from 1 to 100"),
    (lambda s, v: s.set_parameter(v, "distribution_method", "lottery"), "distribution_method",
     "round_robin, territory"),
    (lambda s, v: s.set_parameter(v, "colour", "red"), "colour", "not an SLA term setting"),
    (lambda s, v: s.add_clause(v, "  "), "title", "A clause needs a title"),
    (lambda s, v: s.delete_term(s.terms(v)[0].id), "term", "is an essential term"),
    (lambda s, v: s.update_signatory(s.signatories(v)[0].id, name=""), "name",
     "needs a name"),
])
def test_bad_input_is_refused_and_changes_nothing(call, field: str, message: str,  # type: ignore[no-untyped-def]
                                                   demo: Workbook) -> None:
    before, log = dump(demo), demo.change_log()
    with pytest.raises(ValidationError) as caught:
        call(demo.sla, _draft(demo))
    assert caught.value.field == field and message in caught.value.message
    assert dump(demo) == before and demo.change_log() == log


def test_free_clauses_add_edit_reorder_delete(demo: Workbook) -> None:
    vid = _draft(demo)
    _round_trip(demo, lambda: demo.sla.add_clause(vid, "Data protection", "Under the DPA."))
    clause = demo.sla.terms(vid)[-1]
    assert clause.key.startswith("clause_") and clause.title == "Data protection"
    _round_trip(demo, lambda: demo.sla.edit_term(clause.id, body="Under the 2026 DPA."))
    _round_trip(demo, lambda: demo.sla.move_term(clause.id, 0))
    assert demo.sla.terms(vid)[0].id == clause.id
    assert [t.position for t in demo.sla.terms(vid)] == list(range(len(demo.sla.terms(vid))))
    _round_trip(demo, lambda: demo.sla.delete_term(clause.id))
    assert clause.id not in [t.id for t in demo.sla.terms(vid)]


def test_signatories_edit_reorder_remove(demo: Workbook) -> None:
    vid = _draft(demo)
    zoe, daniel = demo.sla.signatories(vid)
    _round_trip(demo, lambda: demo.sla.update_signatory(daniel.id, title="CRO"))
    _round_trip(demo, lambda: demo.sla.move_signatory(daniel.id, 0))
    assert [s.name for s in demo.sla.signatories(vid)] == ["Daniel Okafor", "Zoë Müller"]
    _round_trip(demo, lambda: demo.sla.remove_signatory(daniel.id))
    assert [(s.name, s.position) for s in demo.sla.signatories(vid)] == [("Zoë Müller", 0)]


def test_a_signed_version_refuses_every_change(demo: Workbook) -> None:
    vid = _draft(demo)
    demo.sla.set_parameter(vid, "follow_up_days", 7)
    demo.sla.record_signing(vid, [(s.id, "2026-10-01T09:00:00Z", "ab" * 32)
                                  for s in demo.sla.signatories(vid)], "{}", "00", b"%PDF")
    assert demo.undo_name == "Edit SLA term"  # signing itself cannot be undone...
    with pytest.raises(Exception, match="cannot be changed"):
        demo.undo()  # ...nor can the edits before it, once signed
    before = dump(demo)
    clause = demo.sla.terms(vid)[0]
    for call in (lambda: demo.sla.set_parameter(vid, "follow_up_days", 5),
                 lambda: demo.sla.set_details(vid, review_cadence="Never"),
                 lambda: demo.sla.add_clause(vid, "Late clause"),
                 lambda: demo.sla.edit_term(clause.id, body="Tampered"),
                 lambda: demo.sla.move_term(clause.id, 3),
                 lambda: demo.sla.remove_signatory(demo.sla.signatories(vid)[0].id)):
        with pytest.raises(ImmutableError, match="signed and cannot be changed"):
            call()
    with pytest.raises(ImmutableError):
        demo.sla.record_signing(vid, [], "{}", "00", b"%PDF")
    import sqlite3
    for sql in ("UPDATE sla_parameters SET value = 'x' WHERE version_id = ?",
                "INSERT INTO sla_parameters (version_id, name, value) VALUES (?, 'a', 'b')",
                "UPDATE sla_documents SET pdf = x'00' WHERE version_id = ?",
                "DELETE FROM sla_documents WHERE version_id = ?"):
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            demo.db.conn.execute(sql, (vid,))
    assert dump(demo) == before
