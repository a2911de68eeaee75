"""Signing what is not agreed: every disputed, unagreed or unwritten definition is listed,
signing is refused until the teams agree it or record an exception, and the exception is
part of what is signed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.signing import SignOff
from workbench.errors import ImmutableError, ValidationError
from workbench.sla_terms import build_document
from workbench.workbook import Workbook

from .snapshot import dump

DEMO_EXCEPTION = ("Both teams sign with sales' BANT wording for 2026Q3; marketing's view (a "
                  "first meeting held) is settled at the quarterly SLA review on 30 Sep 2026.")


def draft(workbook: Workbook) -> int:
    return workbook.sla.versions()[-1].id


def test_a_new_workbook_lists_every_unwritten_definition(blank: Workbook) -> None:
    _, version_id = blank.sla.new_version()
    document = build_document(blank, version_id)
    assert [(name, problem) for _, name, problem, _ in document.unagreed] == [
        (stage.name, "has no definition written") for stage in blank.funnel.stages()]
    assert not document.all_agreed and len(document.unexcused) == len(document.unagreed)


def test_the_demo_signs_its_disputed_stage_with_a_recorded_exception(demo: Workbook) -> None:
    document = build_document(demo, draft(demo))
    assert document.unagreed == (("sql", "Sales Qualified Lead",
                                  "is disputed between the teams", DEMO_EXCEPTION),)
    assert document.unexcused == ()
    assert DEMO_EXCEPTION in document.to_json()  # part of what the signers agree to


def test_agreeing_the_definition_clears_it(demo: Workbook) -> None:
    sql = next(s for s in demo.funnel.stages() if s.key == "sql")
    demo.funnel.merge_definition(sql.id, sql.definition)
    assert build_document(demo, draft(demo)).all_agreed


def test_exceptions_are_recorded_removed_and_undone(demo: Workbook) -> None:
    version_id = draft(demo)
    before = dump(demo)
    demo.sla.record_exceptions(version_id, {"sql": "  Settled   by 31 Oct — Zoë, 李雷 <b> "})
    assert demo.sla.exceptions(version_id) == {"sql": "Settled by 31 Oct — Zoë, 李雷 <b>"}
    assert demo.undo_name == "Record definition exceptions"
    demo.sla.record_exceptions(version_id, {"sql": ""})
    assert demo.sla.exceptions(version_id) == {}
    assert build_document(demo, version_id).unexcused[0][1] == "Sales Qualified Lead"
    demo.undo()
    demo.undo()
    assert dump(demo) == before
    demo.redo()
    assert demo.sla.exceptions(version_id)["sql"].startswith("Settled by 31 Oct")


@pytest.mark.parametrize(("exceptions", "message"), [
    ({"nope": "x"}, "There is no stage “nope” in the funnel."),
    ({"sql": "x" * 601}, "The exception for “Sales Qualified Lead” is 601 characters; keep it "
                         "to 600."),
])
def test_a_bad_exception_is_refused_and_changes_nothing(
        demo: Workbook, exceptions: dict[str, str], message: str) -> None:
    before = dump(demo)
    with pytest.raises(ValidationError) as caught:
        demo.sla.record_exceptions(draft(demo), exceptions)
    assert str(caught.value) == message
    assert dump(demo) == before


def test_signing_is_refused_while_a_definition_is_unexcused(
        demo: Workbook, tmp_path: Path) -> None:
    version_id = draft(demo)
    demo.sla.record_exceptions(version_id, {"sql": ""})
    before = dump(demo)
    with pytest.raises(ValidationError) as caught:
        SignOff(demo, version_id, tmp_path / "keys")
    assert str(caught.value) == ("“Sales Qualified Lead” is disputed between the teams: agree "
                                 "it in the Funnel area, or record an exception before "
                                 "signing.")
    assert dump(demo) == before


def test_a_signed_versions_exceptions_cannot_change(demo: Workbook) -> None:
    version_id = draft(demo)
    demo.db.conn.execute("UPDATE sla_versions SET status = 'signed' WHERE id = ?",
                         (version_id,))
    demo.db.conn.commit()
    with pytest.raises(ImmutableError):
        demo.sla.record_exceptions(version_id, {"sql": "changed after signing"})
    assert demo.sla.exceptions(version_id) == {"sql": DEMO_EXCEPTION}
