"""A signed SLA version is frozen by the file itself, not only by the app."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.errors import ImmutableError, WorkbenchError
from workbench.model import SlaStatus, SlaVersionId
from workbench.workbook import Workbook

from .snapshot import dump

FROZEN = "a signed SLA version cannot be changed"


def _sign_with_sql(wb: Workbook) -> SlaVersionId:
    """Mark the demo's draft signed the way another tool could: plain SQL."""
    version = wb.sla.versions()[0]
    wb.db.conn.execute("UPDATE sla_versions SET status = 'signed', signed_at = "
                       "'2026-01-05T10:00:00Z' WHERE id = ?", (version.id,))
    wb.db.conn.commit()
    return version.id


@pytest.mark.parametrize("edit", ["set_term", "add_term", "add_signatory"])
def test_core_edits_of_a_signed_version_raise_and_change_nothing(edit: str, demo: Workbook) -> None:
    vid = _sign_with_sql(demo)
    before, log_before = dump(demo), demo.change_log()
    key = demo.sla.terms(vid)[0].key
    with pytest.raises(ImmutableError) as caught:
        if edit == "set_term":
            demo.sla.set_term(vid, key, "Volume", "Rewritten after signing")
        elif edit == "add_term":
            demo.sla.set_term(vid, "late_clause", "Late clause", "Added after signing")
        else:
            demo.sla.add_signatory(vid, "Late Signer")
    assert "signed and cannot be changed" in str(caught.value)
    assert "new version" in str(caught.value)
    assert dump(demo) == before
    assert demo.change_log() == log_before
    assert demo.undo_name is None


@pytest.mark.parametrize("sql", [
    "UPDATE sla_terms SET body = 'tampered' WHERE version_id = ?",
    "DELETE FROM sla_terms WHERE version_id = ?",
    "INSERT INTO sla_terms (version_id, position, key, title) VALUES (?, 99, 'x', 'Extra')",
    "UPDATE sla_signatories SET name = 'Someone else' WHERE version_id = ?",
    "DELETE FROM sla_signatories WHERE version_id = ?",
    "UPDATE sla_versions SET title = 'Other title' WHERE id = ?",
    "UPDATE sla_versions SET status = 'draft' WHERE id = ?",
    "DELETE FROM sla_versions WHERE id = ?",
])
def test_raw_sql_cannot_change_a_signed_version(sql: str, demo: Workbook) -> None:
    vid = _sign_with_sql(demo)
    before = dump(demo)
    with pytest.raises(sqlite3.IntegrityError, match=FROZEN):
        demo.db.conn.execute(sql, (vid,))
    demo.db.conn.rollback()
    assert dump(demo) == before


def test_signed_version_may_be_superseded_and_stays_frozen(demo: Workbook) -> None:
    vid = _sign_with_sql(demo)
    demo.db.conn.execute("UPDATE sla_versions SET status = 'superseded' WHERE id = ?", (vid,))
    demo.db.conn.commit()
    assert demo.sla.version(vid).status is SlaStatus.SUPERSEDED
    with pytest.raises(sqlite3.IntegrityError, match=FROZEN):
        demo.db.conn.execute("UPDATE sla_versions SET status = 'signed' WHERE id = ?", (vid,))
    demo.db.conn.rollback()


def test_new_version_after_signing_is_an_editable_draft(demo: Workbook) -> None:
    vid = _sign_with_sql(demo)
    _, draft = demo.sla.new_version()
    key = demo.sla.terms(draft)[0].key
    demo.sla.set_term(draft, key, "Volume", "Marketing delivers 950 MQLs a quarter.")
    assert demo.sla.terms(draft)[0].body == "Marketing delivers 950 MQLs a quarter."
    assert demo.sla.terms(vid)[0].body != "Marketing delivers 950 MQLs a quarter."


def test_undo_of_a_step_frozen_by_signing_is_dropped_and_unblocks_older_steps(
    demo: Workbook,
) -> None:
    demo.set_properties(company_name="Brightline GmbH")
    version_id = demo.sla.versions()[0].id
    demo.sla.add_signatory(version_id, "Li Lei", "CFO", "finance")
    _sign_with_sql(demo)

    with pytest.raises(WorkbenchError) as refused:
        demo.undo()
    assert "Cannot undo “Add signatory”" in str(refused.value)
    assert "removed from the history" in str(refused.value)
    assert [s.name for s in demo.sla.signatories(version_id)][-1] == "Li Lei"

    assert demo.undo_name == "Edit workbook properties"
    demo.undo()
    assert demo.properties().company_name == "Brightline Logistics Software"
