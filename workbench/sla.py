"""SLA versions with their terms and signatories.

A signed version is frozen by triggers in the file itself; changing the agreement means a
new version (or an amendment) copied from the latest one.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from .changes import Changes
from .errors import ImmutableError, ValidationError
from .model import Signatory, SlaStatus, SlaTerm, SlaVersion, SlaVersionId

if TYPE_CHECKING:
    from .workbook import Workbook

_VERSION_COLUMNS = (
    "id, number, status, title, effective_from, effective_to, review_cadence, created_at, "
    "signed_at, amends_id"
)


def _version(row: tuple) -> SlaVersion:
    values = list(row)
    values[2] = SlaStatus(values[2])
    return SlaVersion(*values)


class Agreements:
    """The SLA versions of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    def versions(self) -> list[SlaVersion]:
        rows = self._conn.execute(
            f"SELECT {_VERSION_COLUMNS} FROM sla_versions ORDER BY number"
        ).fetchall()
        return [_version(r) for r in rows]

    def version(self, version_id: SlaVersionId) -> SlaVersion:
        row = self._conn.execute(
            f"SELECT {_VERSION_COLUMNS} FROM sla_versions WHERE id = ?", (version_id,)
        ).fetchone()
        if row is None:
            raise ValidationError("version", "That SLA version no longer exists.")
        return _version(row)

    def terms(self, version_id: SlaVersionId) -> list[SlaTerm]:
        rows = self._conn.execute(
            "SELECT id, version_id, position, key, title, body FROM sla_terms "
            "WHERE version_id = ? ORDER BY position, id",
            (version_id,),
        ).fetchall()
        return [SlaTerm(r[0], SlaVersionId(r[1]), *r[2:]) for r in rows]

    def signatories(self, version_id: SlaVersionId) -> list[Signatory]:
        rows = self._conn.execute(
            "SELECT id, version_id, position, name, title, team, email, signed_at "
            "FROM sla_signatories WHERE version_id = ? ORDER BY position, id",
            (version_id,),
        ).fetchall()
        return [Signatory(r[0], SlaVersionId(r[1]), *r[2:]) for r in rows]

    def new_version(self, title: str | None = None) -> tuple[Changes, SlaVersionId]:
        """Start a draft: a copy of the newest version's terms and signatories."""
        versions = self.versions()
        latest = versions[-1] if versions else None
        number = latest.number + 1 if latest else 1
        with self._wb.step("New SLA version") as rec:
            values = {"number": number}
            if title or latest:
                values["title"] = title or latest.title  # type: ignore[union-attr]
            vid = self._wb.insert(rec, "sla_versions", values, "sla_version")
            if latest is not None:
                self._conn.execute(
                    "INSERT INTO sla_terms (version_id, position, key, title, body) "
                    "SELECT ?, position, key, title, body FROM sla_terms WHERE version_id = ?",
                    (vid, latest.id),
                )
                self._conn.execute(
                    "INSERT INTO sla_signatories (version_id, position, name, title, team, email) "
                    "SELECT ?, position, name, title, team, email FROM sla_signatories "
                    "WHERE version_id = ?",
                    (vid, latest.id),
                )
        return rec.changes, SlaVersionId(vid)

    def set_term(self, version_id: SlaVersionId, key: str, title: str, body: str) -> Changes:
        """Set an essential term (by key) or a free clause's text in a draft."""
        if not title.strip():
            raise ValidationError("title", "A term needs a title.")
        with self._guard(), self._wb.step("Edit SLA term") as rec:
            row = self._conn.execute(
                "SELECT id FROM sla_terms WHERE version_id = ? AND key = ? AND key <> ''",
                (version_id, key),
            ).fetchone()
            if row:
                self._wb.update(rec, "sla_terms", {"id": row[0]},
                                {"title": title.strip(), "body": body}, "sla_term")
            else:
                position = self._conn.execute(
                    "SELECT coalesce(max(position) + 1, 0) FROM sla_terms WHERE version_id = ?",
                    (version_id,),
                ).fetchone()[0]
                self._wb.insert(rec, "sla_terms", {"version_id": version_id, "position": position,
                                "key": key, "title": title.strip(), "body": body}, "sla_term")
        return rec.changes

    def add_signatory(
        self, version_id: SlaVersionId, name: str, title: str = "", team: str = "",
        email: str = "",
    ) -> Changes:
        if not name.strip():
            raise ValidationError("name", "A signatory needs a name.")
        position = len(self.signatories(version_id))
        with self._guard(), self._wb.step("Add signatory") as rec:
            self._wb.insert(rec, "sla_signatories", {
                "version_id": version_id, "position": position, "name": name.strip(),
                "title": title.strip(), "team": team.strip(), "email": email.strip()},
                "signatory")
        return rec.changes

    @staticmethod
    def _guard() -> _FrozenGuard:
        return _FrozenGuard()


class _FrozenGuard:
    """Turns the database's refusal to change a signed version into `ImmutableError`."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, sqlite3.IntegrityError) and "signed SLA version" in str(exc):
            raise ImmutableError(
                "This SLA version is signed and cannot be changed. Start a new version or "
                "an amendment instead."
            ) from None
        return False
