"""What File → Export… can export, and how each kind is prepared.

Preparing reads the workbook on the GUI thread (a SQLite connection stays on its thread)
and returns a `PreparedExport` whose `build` only lays out PDF bytes, so it can run on a
worker thread. The SLA is the SLA screen's own export; here it is delegated to
`reports.sla_export` (the newest version: a signed one exactly as signed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.errors import ValidationError

if TYPE_CHECKING:
    from workbench.model import QuarterId
    from workbench.workbook import Workbook

# (key, label, how many quarters it takes: 0, 1, or 2 for a range)
KINDS: tuple[tuple[str, str, int], ...] = (
    ("funnel", "Funnel chart PDF", 2),
    ("qbr", "Quarterly business review PDF", 1),
    ("sla", "SLA PDF (newest version)", 0),
    ("workshop", "Workshop report PDF", 0),
)


@dataclass(frozen=True)
class PreparedExport:
    """A report ready to lay out off the GUI thread."""

    title: str  # "Funnel report, 2026Q3"
    file_name: str  # suggested: "Brightline Funnel 2026Q3.pdf"
    build: Callable[[Any], bytes]  # build(progress) -> PDF bytes; touches no workbook


def quarters_taken(kind: str) -> int:
    return next(count for key, _, count in KINDS if key == kind)


def prepare(workbook: Workbook, kind: str, quarter_ids: Sequence[QuarterId]) -> PreparedExport:
    """Read what the report needs. Raises `WorkbenchError` with a message for the user."""
    company = workbook.properties().company_name
    if kind == "funnel":
        from reports.funnel_report import build_funnel_pdf, funnel_report

        funnel = funnel_report(workbook, quarter_ids)
        return PreparedExport(f"Funnel report, {funnel.period}",
                              _file_name(company, f"Funnel {funnel.period}"),
                              lambda progress: build_funnel_pdf(funnel, progress))
    if kind == "qbr":
        from reports.qbr import build_qbr_pdf
        from reports.qbr_data import qbr_data

        if not quarter_ids:
            raise ValidationError("quarter", "Choose a quarter.")
        data = qbr_data(workbook, quarter_ids[0])
        label = data.quarter.label
        return PreparedExport(f"Quarterly business review, {label}",
                              _file_name(company, f"QBR {label}"),
                              lambda progress: build_qbr_pdf(data, progress))
    if kind == "sla":
        return _prepare_sla(workbook, company)
    if kind == "workshop":
        from reports.workshop_report import build_workshop_pdf, evidence_quarter, workshop_report

        report = workshop_report(workbook, evidence_quarter(workbook))
        return PreparedExport("Workshop report", _file_name(company, "Workshop"),
                              lambda progress: build_workshop_pdf(report))
    raise ValidationError("kind", f"Unknown report kind “{kind}”.")


def _prepare_sla(workbook: Workbook, company: str) -> PreparedExport:
    """The newest version: a draft laid out, a signed one byte for byte — unless the stored
    PDF is not the one signed, which `signed_pdf` refuses (`ValidationError`, shown in the
    preview) so it is never handed out."""
    from workbench.model import SlaStatus

    versions = workbook.sla.versions()
    if not versions:
        raise ValidationError("sla", "This workbook has no SLA yet: draft one on the SLA "
                              "screen.")
    version = versions[-1]
    name = _file_name(company, f"SLA version {version.number}")
    title = f"SLA version {version.number} ({version.status.value})"
    if version.status is not SlaStatus.DRAFT:
        signed = workbook.sla.signed_pdf(version.id)
        if signed is None:
            raise ValidationError("sla", f"Version {version.number} has no signed PDF in "
                                  "this workbook.")
        return PreparedExport(title, name, lambda progress: signed)
    from reports.sla_export import draft_pdf
    from workbench.sla_terms import build_document, check_required

    document = build_document(workbook, version.id)
    check_required(document)
    return PreparedExport(title, name, lambda progress: draft_pdf(document))


def _file_name(company: str, what: str) -> str:
    safe = "".join(c for c in company if c.isalnum() or c in " -_").strip()
    return f"{safe} {what}.pdf".strip() if safe else f"{what}.pdf"
