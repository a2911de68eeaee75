"""Disposition codes: the values reps give a lead once they have worked it ("Not a fit",
"Recycle to nurture"), and which values are no disposition at all.

A CRM's disposition or status column mixes both: "New" and "Open" say the rep has not
dispositioned the lead yet. Each code says which it is (`disposed`); the share of MQLs
dispositioned counts only codes that are dispositions. A value the import found in no
code is stored as it came; the closed loop reports it as unmapped (the share is then a
range) until it is added here, as a disposition or as none yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .changes import Changes
from .errors import ValidationError

if TYPE_CHECKING:
    from .workbook import Workbook


@dataclass(frozen=True)
class DispositionCode:
    """A code as stored on the leads, its label, what it means, and whether it says the
    lead was dispositioned (False: "no disposition yet")."""

    code: str
    label: str
    meaning: str
    disposed: bool


def codes(workbook: Workbook) -> list[DispositionCode]:
    """Every disposition code, in the order they are listed."""
    return [DispositionCode(code, label, meaning, bool(disposed))
            for code, label, meaning, disposed in workbook.db.conn.execute(
                "SELECT code, label, meaning, disposed FROM disposition_codes "
                "ORDER BY position, code")]


def disposed_by_code(workbook: Workbook) -> dict[str, bool]:
    """Code → whether it is a disposition; a lead may also hold a code's label (older
    imports stored what the file said), so labels map too."""
    found: dict[str, bool] = {}
    for entry in codes(workbook):
        found.setdefault(entry.label, entry.disposed)
    for entry in codes(workbook):
        found[entry.code] = entry.disposed
    return found


def add_code(workbook: Workbook, code: str, label: str, *, disposed: bool = True,
             meaning: str = "") -> Changes:
    """Add a code: `disposed=False` for a value that says "no disposition yet"."""
    code, label = " ".join(code.split()), " ".join(label.split()) or " ".join(code.split())
    if not code:
        raise ValidationError("code", "Name the disposition code.")
    if any(entry.code == code for entry in codes(workbook)):
        raise ValidationError("code", f"There is already a disposition code “{code}”.")
    position = workbook.db.conn.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM disposition_codes").fetchone()[0]
    with workbook.step("Add disposition code") as rec:
        workbook.insert(rec, "disposition_codes", {
            "code": code, "label": label, "meaning": meaning, "position": position,
            "disposed": int(disposed)}, "disposition")
    return rec.changes


def update_code(workbook: Workbook, code: str, *, label: str | None = None,
                meaning: str | None = None, disposed: bool | None = None) -> Changes:
    """Change a code's label, meaning or whether it is a disposition."""
    if not any(entry.code == code for entry in codes(workbook)):
        raise ValidationError("code", f"There is no disposition code “{code}”.")
    values: dict[str, object] = {}
    if label is not None:
        if not label.strip():
            raise ValidationError("label", "A disposition code needs a label.")
        values["label"] = " ".join(label.split())
    if meaning is not None:
        values["meaning"] = meaning
    if disposed is not None:
        values["disposed"] = int(disposed)
    if not values:
        return Changes(step="Edit disposition code")
    with workbook.step("Edit disposition code") as rec:
        workbook.update(rec, "disposition_codes", {"code": code}, values, "disposition")
    return rec.changes
