"""SLA versions with their terms, parameters and signatories.

A signed version is frozen by triggers in the file itself; changing the agreement means a
new version (or an amendment) copied from the latest one. The structured document each
version prints is built in `sla_terms`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from .changes import Changes
from .errors import ImmutableError, ValidationError
from .model import Signatory, SlaStatus, SlaTerm, SlaVersion, SlaVersionId
from .sla_facts import validate_details, validate_parameter

if TYPE_CHECKING:
    from .sla_terms import SlaDocument
    from .workbook import Workbook

_VERSION_COLUMNS = (
    "id, number, status, title, effective_from, effective_to, review_cadence, created_at, "
    "signed_at, amends_id"
)
SIGNATORY_FIELDS = ("name", "title", "team", "email")
# A definition exception is kept as the version's parameter "exception:<stage key>".
EXCEPTION_PREFIX = "exception:"
MAX_EXCEPTION = 600


def _version(row: tuple) -> SlaVersion:
    values = list(row)
    values[2] = SlaStatus(values[2])
    return SlaVersion(*values)


class Agreements:
    """The SLA versions of one workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._conn = workbook.db.conn

    # -- reading --------------------------------------------------------------------------
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

    def version_by_number(self, number: int) -> SlaVersion:
        """The version numbered `number`, e.g. for `export sla --version 2`."""
        match = [v for v in self.versions() if v.number == number]
        if not match:
            raise ValidationError("version", f"There is no SLA version {number}.")
        return match[0]

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

    def parameters(self, version_id: SlaVersionId) -> dict[str, str]:
        """The structured values stored for a version (defaults are in `sla_terms`)."""
        return dict(self._conn.execute(
            "SELECT name, value FROM sla_parameters WHERE version_id = ?", (version_id,)))

    def signed_terms_json(self, version_id: SlaVersionId) -> str | None:
        """The terms exactly as signed, or None before the version is signed."""
        row = self._conn.execute("SELECT terms_json FROM sla_documents WHERE version_id = ?",
                                 (version_id,)).fetchone()
        return row[0] if row else None

    def signed_pdf(self, version_id: SlaVersionId) -> bytes | None:
        """The signed PDF of a version, byte for byte as signed, or None.

        Raises `ValidationError` when the stored bytes no longer match the SHA-256 recorded
        when it was signed: such a file is never handed out.
        """
        row = self._conn.execute(
            "SELECT pdf, pdf_sha256 FROM sla_documents WHERE version_id = ?",
            (version_id,)).fetchone()
        if row is None:
            return None
        pdf = bytes(row[0])
        if hashlib.sha256(pdf).hexdigest() != row[1]:
            number = self.version(version_id).number
            raise ValidationError("version", (
                f"The signed PDF of version {number} stored in this workbook is not the one "
                "that was signed (its SHA-256 differs from the one recorded at signing); it "
                "is not exported. Use a copy saved at signing time."))
        return pdf

    # -- versions -------------------------------------------------------------------------
    def new_version(
        self, title: str | None = None, *, amendment: bool = False
    ) -> tuple[Changes, SlaVersionId]:
        """Start a draft: a copy of the newest version's terms, parameters, signatories,
        period and cadence (the essential terms alone for the first version). An amendment
        records which version it amends."""
        versions = self.versions()
        latest = versions[-1] if versions else None
        if amendment and latest is None:
            raise ValidationError("version", "There is no version to amend yet.")
        values: dict[str, Any] = {"number": latest.number + 1 if latest else 1}
        if latest is not None:
            values.update(title=latest.title, effective_from=latest.effective_from,
                          effective_to=latest.effective_to,
                          review_cadence=latest.review_cadence)
        if title and title.strip():
            values["title"] = title.strip()
        if amendment and latest is not None:
            values["amends_id"] = latest.id
        with self._wb.step("New SLA amendment" if amendment else "New SLA version") as rec:
            vid = self._wb.insert(rec, "sla_versions", values, "sla_version")
            if latest is None:
                self._seed_terms(vid)
            else:
                self._copy_version(latest.id, vid)
        return rec.changes, SlaVersionId(vid)

    def _seed_terms(self, vid: int) -> None:
        from .sla_terms import ESSENTIAL_TERMS

        self._conn.executemany(
            "INSERT INTO sla_terms (version_id, position, key, title, body) VALUES (?,?,?,?,?)",
            [(vid, i, key, title, body) for i, (key, title, body) in enumerate(ESSENTIAL_TERMS)],
        )

    def _copy_version(self, source: int, vid: int) -> None:
        for table, columns in (("sla_terms", "position, key, title, body"),
                               ("sla_signatories", "position, name, title, team, email"),
                               ("sla_parameters", "name, value")):
            self._conn.execute(
                f"INSERT INTO {table} (version_id, {columns}) "
                f"SELECT ?, {columns} FROM {table} WHERE version_id = ?", (vid, source))

    def set_details(self, version_id: SlaVersionId, **fields: Any) -> Changes:
        """Change a draft's title, effective_from, effective_to (ISO dates or None) or
        review_cadence."""
        version = self.version(version_id)
        values = validate_details(fields, version)
        with self._guard(), self._wb.step("Edit SLA details") as rec:
            self._wb.update(rec, "sla_versions", {"id": version_id}, values, "sla_version")
        return rec.changes

    def set_parameter(self, version_id: SlaVersionId, name: str, value: object) -> Changes:
        """Set a structured value of an essential term, e.g. follow_up_attempts = 6."""
        text = validate_parameter(name, value)
        with self._guard(), self._wb.step("Edit SLA term") as rec:
            self._conn.execute(
                "INSERT INTO sla_parameters (version_id, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (version_id, name) DO UPDATE SET value = excluded.value",
                (version_id, name, text))
            rec.log("sla_parameter", version_id, name, None, text)
        return rec.changes

    def exceptions(self, version_id: SlaVersionId) -> dict[str, str]:
        """Stage key → the exception recorded for signing although that stage's definition
        is not agreed (see `record_exceptions`)."""
        return {name[len(EXCEPTION_PREFIX):]: value
                for name, value in self.parameters(version_id).items()
                if name.startswith(EXCEPTION_PREFIX)}

    def record_exceptions(self, version_id: SlaVersionId,
                          exceptions: Mapping[str, str]) -> Changes:
        """Record, per stage key, why both teams sign although that stage's definition is
        disputed, not agreed or not written (the PDF prints it); an empty text removes the
        exception. One undo step for them all."""
        keys = {stage.key: stage for stage in self._wb.funnel.stages()}
        cleaned: dict[str, str] = {}
        for key, text in exceptions.items():
            if key not in keys:
                raise ValidationError("stage", f"There is no stage “{key}” in the funnel.")
            words = " ".join(str(text).split())
            if len(words) > MAX_EXCEPTION:
                raise ValidationError("exception", f"The exception for “{keys[key].name}” is "
                                      f"{len(words):,} characters; keep it to "
                                      f"{MAX_EXCEPTION:,}.")
            cleaned[key] = words
        with self._guard(), self._wb.step("Record definition exceptions") as rec:
            for key, words in cleaned.items():
                name = EXCEPTION_PREFIX + key
                if words:
                    self._conn.execute(
                        "INSERT INTO sla_parameters (version_id, name, value) VALUES (?, ?, ?) "
                        "ON CONFLICT (version_id, name) DO UPDATE SET value = excluded.value",
                        (version_id, name, words))
                else:
                    self._conn.execute("DELETE FROM sla_parameters WHERE version_id = ? AND "
                                       "name = ?", (version_id, name))
                rec.log("sla_parameter", version_id, name, None, words or None)
        return rec.changes

    # -- terms and free clauses -----------------------------------------------------------
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
                self._insert_term(rec, version_id, key, title.strip(), body)
        return rec.changes

    def add_clause(
        self, version_id: SlaVersionId, title: str, body: str = ""
    ) -> tuple[Changes, int]:
        """Add a free clause at the end; its key stays with it through later versions."""
        if not title.strip():
            raise ValidationError("title", "A clause needs a title.")
        self.version(version_id)
        with self._guard(), self._wb.step("Add SLA clause") as rec:
            term_id = self._insert_term(rec, version_id, f"clause_{uuid.uuid4().hex[:10]}",
                                        title.strip(), body)
        return rec.changes, term_id

    def _insert_term(self, rec: Any, version_id: int, key: str, title: str, body: str) -> int:
        position = self._conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM sla_terms WHERE version_id = ?",
            (version_id,)).fetchone()[0]
        return self._wb.insert(rec, "sla_terms", {"version_id": version_id, "position": position,
                               "key": key, "title": title, "body": body}, "sla_term")

    def edit_term(self, term_id: int, *, title: str | None = None,
                  body: str | None = None) -> Changes:
        """Change a term's title or wording (`{placeholders}` are filled from the workbook)."""
        values: dict[str, str] = {}
        if title is not None:
            if not title.strip():
                raise ValidationError("title", "A term needs a title.")
            values["title"] = title.strip()
        if body is not None:
            values["body"] = body
        self._term(term_id)
        with self._guard(), self._wb.step("Edit SLA term") as rec:
            self._wb.update(rec, "sla_terms", {"id": term_id}, values, "sla_term")
        return rec.changes

    def move_term(self, term_id: int, index: int) -> Changes:
        """Move a term to `index` (0 = first) within its version."""
        term = self._term(term_id)
        ids = [t.id for t in self.terms(term.version_id)]
        return self._reorder("sla_terms", "sla_term", "Move SLA term", ids, term_id, index)

    def delete_term(self, term_id: int) -> Changes:
        """Delete a free clause; essential terms are edited, not deleted."""
        from .sla_terms import ESSENTIAL_KEYS

        term = self._term(term_id)
        if term.key in ESSENTIAL_KEYS:
            raise ValidationError(
                "term", f"“{term.title}” is an essential term of the SLA: edit its wording "
                "instead of deleting it.")
        with self._guard(), self._wb.step("Delete SLA clause") as rec:
            self._wb.delete(rec, "sla_terms", {"id": term_id}, "sla_term", term.title)
        return rec.changes

    def _term(self, term_id: int) -> SlaTerm:
        row = self._conn.execute(
            "SELECT id, version_id, position, key, title, body FROM sla_terms WHERE id = ?",
            (term_id,)).fetchone()
        if row is None:
            raise ValidationError("term", "That term no longer exists.")
        return SlaTerm(row[0], SlaVersionId(row[1]), *row[2:])

    # -- signatories ----------------------------------------------------------------------
    def add_signatory(
        self, version_id: SlaVersionId, name: str, title: str = "", team: str = "",
        email: str = "",
    ) -> Changes:
        """Add a signatory at the end of the signing order."""
        if not name.strip():
            raise ValidationError("name", "A signatory needs a name.")
        position = len(self.signatories(version_id))
        with self._guard(), self._wb.step("Add signatory") as rec:
            self._wb.insert(rec, "sla_signatories", {
                "version_id": version_id, "position": position, "name": name.strip(),
                "title": title.strip(), "team": team.strip(), "email": email.strip()},
                "signatory")
        return rec.changes

    def update_signatory(self, signatory_id: int, **fields: str) -> Changes:
        """Change a signatory's name, title, team or e-mail."""
        values = {}
        for name, value in fields.items():
            if name not in SIGNATORY_FIELDS:
                raise ValidationError(name, f"{name} is not a signatory field.")
            values[name] = str(value).strip()
        if values.get("name", "x") == "":
            raise ValidationError("name", "A signatory needs a name.")
        self._signatory_version(signatory_id)
        with self._guard(), self._wb.step("Edit signatory") as rec:
            self._wb.update(rec, "sla_signatories", {"id": signatory_id}, values, "signatory")
        return rec.changes

    def move_signatory(self, signatory_id: int, index: int) -> Changes:
        """Move a signatory to `index` in the signing order (0 = signs first)."""
        version_id = self._signatory_version(signatory_id)
        ids = [s.id for s in self.signatories(version_id)]
        return self._reorder("sla_signatories", "signatory", "Change signing order", ids,
                             signatory_id, index)

    def remove_signatory(self, signatory_id: int) -> Changes:
        version_id = self._signatory_version(signatory_id)
        ids = [s.id for s in self.signatories(version_id) if s.id != signatory_id]
        with self._guard(), self._wb.step("Remove signatory") as rec:
            self._wb.delete(rec, "sla_signatories", {"id": signatory_id}, "signatory",
                            signatory_id)
            for position, sid in enumerate(ids):
                self._wb.update(rec, "sla_signatories", {"id": sid}, {"position": position},
                                "signatory")
        return rec.changes

    def _signatory_version(self, signatory_id: int) -> SlaVersionId:
        row = self._conn.execute("SELECT version_id FROM sla_signatories WHERE id = ?",
                                 (signatory_id,)).fetchone()
        if row is None:
            raise ValidationError("signatory", "That signatory no longer exists.")
        return SlaVersionId(row[0])

    def _reorder(self, table: str, entity: str, step: str, ids: list[int], moved: int,
                 index: int) -> Changes:
        ids.remove(moved)
        ids.insert(max(0, min(index, len(ids))), moved)
        with self._guard(), self._wb.step(step) as rec:
            for position, row_id in enumerate(ids):
                self._wb.update(rec, table, {"id": row_id}, {"position": position}, entity)
        return rec.changes

    # -- signing and importing ------------------------------------------------------------
    def record_signing(
        self, version_id: SlaVersionId, signatures: list[tuple[int, str, str]],
        document_json: str, content_sha256: str, pdf: bytes,
    ) -> Changes:
        """Record a completed sign-off: each (signatory id, signed at, certificate SHA-256),
        the signed PDF and terms; the version becomes signed, older signed ones superseded.

        Signing cannot be undone (the PDF exists); a change needs a new version.
        """
        if self.version(version_id).status is not SlaStatus.DRAFT:
            raise ImmutableError("This SLA version is already signed.")
        last = max(at for _, at, _ in signatures)
        with self._guard(), self._wb.step("Sign SLA") as rec:
            self._wb.history.set_tracking(False)
            try:
                for sid, at, sha in signatures:
                    self._wb.update(rec, "sla_signatories", {"id": sid},
                                    {"signed_at": at, "certificate_sha256": sha}, "signatory")
                self._conn.execute(
                    "INSERT INTO sla_documents (version_id, terms_json, content_sha256, pdf, "
                    "signed_at, pdf_sha256) VALUES (?, ?, ?, ?, ?, ?)",
                    (version_id, document_json, content_sha256, pdf, last,
                     hashlib.sha256(pdf).hexdigest()))
                self._conn.execute(
                    "UPDATE sla_versions SET status = 'superseded' WHERE status = 'signed'")
                self._wb.update(rec, "sla_versions", {"id": version_id},
                                {"status": SlaStatus.SIGNED.value, "signed_at": last},
                                "sla_version")
            finally:
                self._wb.history.set_tracking(True)
        return Changes(step="Sign SLA", tables=frozenset(
            {"sla_versions", "sla_signatories", "sla_documents"}))

    def import_document(self, document: SlaDocument) -> tuple[Changes, SlaVersionId]:
        """A new draft holding another workbook's terms (from a signed PDF's attachment)."""
        number = max((v.number for v in self.versions()), default=0) + 1
        with self._wb.step("Import SLA terms") as rec:
            vid = self._wb.insert(rec, "sla_versions", {
                "number": number, "title": document.title,
                "effective_from": document.effective_from,
                "effective_to": document.effective_to,
                "review_cadence": document.review_cadence}, "sla_version")
            self._conn.executemany(
                "INSERT INTO sla_terms (version_id, position, key, title, body) "
                "VALUES (?,?,?,?,?)",
                [(vid, i, t.key, t.title, t.body) for i, t in enumerate(document.terms)])
            self._conn.executemany(
                "INSERT INTO sla_signatories (version_id, position, name, title, team, email) "
                "VALUES (?,?,?,?,?,?)",
                [(vid, i, p.name, p.title, p.team, p.email)
                 for i, p in enumerate(document.parties)])
            self._conn.executemany(
                "INSERT INTO sla_parameters (version_id, name, value) VALUES (?,?,?)",
                [(vid, name, value) for name, value in document.parameters])
        return rec.changes, SlaVersionId(vid)

    @staticmethod
    def _guard() -> _FrozenGuard:
        return _FrozenGuard()


class _FrozenGuard:
    """Turns the database's refusal to change a signed version into `ImmutableError`."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, tb: object
    ) -> Literal[False]:
        if isinstance(exc, sqlite3.IntegrityError) and "signed SLA version" in str(exc):
            raise ImmutableError(
                "This SLA version is signed and cannot be changed. Start a new version or "
                "an amendment instead."
            ) from None
        return False
