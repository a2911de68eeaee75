"""What the SLA screen's buttons do: read a version's state, export its PDF (laid out and
written on the worker thread), export the workbook's root certificate, and open the
compare, verify, trusted-roots, sign-off and identity dialogs. Kept apart from the
screen's layout; each function takes the screen."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog

from workbench import identities
from workbench.errors import ValidationError
from workbench.model import SlaStatus, SlaVersionId
from workbench.sla_facts import PARAMETER_DEFAULTS
from workbench.sla_terms import SlaDocument, build_document, missing_required

from .editor import VersionState
from .identity_dialogs import CreateIdentityDialog, ImportIdentityDialog
from .workers import run_job

if TYPE_CHECKING:
    from workbench.workbook import Workbook

    from .screen import SlaScreen


def read_state(workbook: Workbook, version_id: SlaVersionId) -> VersionState:
    """Everything the editor shows of one version."""
    sla = workbook.sla
    try:
        document: SlaDocument | None = build_document(workbook, version_id)
    except ValidationError:
        document = None
    committed = {p.quarter_id for p in workbook.plan.plans() if p.committed}
    return VersionState(
        version=sla.version(version_id), terms=sla.terms(version_id),
        signatories=sla.signatories(version_id),
        parameters={**PARAMETER_DEFAULTS, **sla.parameters(version_id)},
        document=document, identities=identities.identities(workbook),
        quarters=[q.label for q in workbook.plan.quarters() if q.id in committed])


def run_dialog(dialog: QDialog) -> int:
    """Show a modal dialog, then let it go (one place, so tests can drive dialogs
    without blocking)."""
    result = dialog.exec()
    dialog.deleteLater()
    return result


def suggested_name(screen: SlaScreen, suffix: str = "") -> str:
    state = screen.state
    number = state.version.number if state else 1
    return _beside_workbook(screen, f"SLA v{number}{suffix}.pdf")


def _beside_workbook(screen: SlaScreen, what: str) -> str:
    """A file in the workbook's folder named after the company: "Brightline {what}"."""
    workbook = screen.context.workbook
    company = (workbook.properties().company_name or "SLA").strip()
    folder = workbook.path.parent if workbook.path else Path.home()
    return str(folder / f"{company} {what}")


# -- export -------------------------------------------------------------------------------
def export_draft(document: SlaDocument, path: Path) -> Path:
    """Lay out a draft with its terms attached and write it via a temporary file (worker)."""
    from reports.signing import write_atomic
    from reports.sla_export import draft_pdf

    write_atomic(path, draft_pdf(document))
    return path


def write_signed(pdf: bytes, path: Path) -> Path:
    """Write a signed PDF byte for byte, via a temporary file (worker)."""
    from reports.signing import write_atomic

    write_atomic(path, pdf)
    return path


class Export(QObject):
    """One export in flight; reports back to its screen."""

    def __init__(self, screen: SlaScreen) -> None:
        super().__init__(screen)
        self.screen = screen

    def done(self, path: Path) -> None:
        self.screen.export_button.setEnabled(True)
        self.screen.show_notice(f"Exported {path}", good=True)
        self.screen.context.status.emit(f"Exported the SLA to {path}", 6000)
        self.deleteLater()

    def failed(self, error: Exception) -> None:
        self.screen.export_button.setEnabled(True)
        message = error.message if isinstance(error, ValidationError) else str(error)
        self.screen.show_notice(f"The PDF was not exported: {message}")
        self.deleteLater()


def export_pdf(screen: SlaScreen, path: Path | None = None) -> None:
    """Export the shown version: a draft after the required-term check, a signed version
    exactly as signed. Asks where to save unless `path` is given."""
    state = screen.state
    if state is None:
        return
    workbook = screen.context.workbook
    try:
        signed = workbook.sla.signed_pdf(state.version.id) if state.read_only else None
    except ValidationError as error:  # the stored PDF is not the one signed: not handed out
        screen.show_notice(error.message)
        return
    if not state.read_only:
        missing = missing_required(state.document) if state.document else []
        if state.document is None or missing:
            screen.show_notice("Not exported — the SLA lacks a required term: "
                               + " ".join(e.message for e in missing))
            return
    elif signed is None:
        screen.show_notice(f"Version {state.version.number} has no signed PDF here.")
        return
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(screen, "Export the SLA as PDF",
                                                suggested_name(screen), "PDF files (*.pdf)")
        if not chosen:
            return
        path = Path(chosen)
    screen.export_button.setEnabled(False)
    screen.context.status.emit("Exporting the SLA…", 0)
    export = Export(screen)
    if signed is not None:
        run_job(partial(write_signed, signed, Path(path)), export.done, export.failed)
    else:
        run_job(partial(export_draft, state.document, Path(path)), export.done, export.failed)


# -- dialogs ------------------------------------------------------------------------------
def compare_versions(screen: SlaScreen) -> None:
    from .redline import CompareDialog

    versions = screen.context.workbook.sla.versions()
    if len(versions) < 2:
        screen.show_notice("There is only one version: nothing to compare yet.")
        return
    ids = [v.id for v in versions]
    index = max(1, ids.index(screen.version_id) if screen.version_id in ids else len(ids) - 1)
    run_dialog(CompareDialog(screen.context, ids[index - 1], ids[index], screen))


def verify_a_pdf(screen: SlaScreen, path: Path | None = None) -> None:
    from .verify_view import VerifyDialog

    if path is None:
        workbook = screen.context.workbook
        folder = str(workbook.path.parent) if workbook.path else ""
        chosen, _ = QFileDialog.getOpenFileName(screen, "Verify a signed PDF", folder,
                                                "PDF files (*.pdf)")
        if not chosen:
            return
        path = Path(chosen)
    dialog = VerifyDialog(screen.context, path, screen)
    dialog.start()
    run_dialog(dialog)


def manage_trusted_roots(screen: SlaScreen) -> None:
    from .trusted_roots import TrustedRootsDialog

    run_dialog(TrustedRootsDialog(screen.context, screen))


def export_root(screen: SlaScreen, path: Path | None = None) -> None:
    """Save the workbook's root certificate (PEM), then show its fingerprint to read out."""
    from workbench.files import write_atomic

    from .trusted_roots import FingerprintDialog

    workbook = screen.context.workbook
    pem, root = identities.authority_pem(workbook), identities.authority(workbook)
    if pem is None or root is None:
        screen.show_notice("This workbook has no signing authority yet: create a signing "
                           "identity for a signatory first.")
        return
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            screen, "Export the root certificate",
            _beside_workbook(screen, "signing authority.pem"), "Certificates (*.pem)")
        if not chosen:
            return
        path = Path(chosen)
    try:
        write_atomic(Path(path), pem)
    except OSError as error:
        screen.show_notice(f"{path}: cannot be written ({error.strerror}).")
        return
    run_dialog(FingerprintDialog(Path(path), root.subject, root.sha256, screen))


def sign_off(screen: SlaScreen) -> None:
    from .signoff import SignOffDialog

    state = screen.state
    if state is None or state.version.status is not SlaStatus.DRAFT:
        return
    try:
        dialog = SignOffDialog(screen.context, state.version.id, screen)
    except ValidationError as error:
        screen.show_notice(error.message)
        return
    run_dialog(dialog)


def create_identity(screen: SlaScreen, signatory_id: int) -> None:
    signatory = _signatory(screen, signatory_id)
    if signatory is not None:
        run_dialog(CreateIdentityDialog(screen.context, signatory.name, signatory.email,
                                        screen))


def import_identity(screen: SlaScreen, signatory_id: int) -> None:
    signatory = _signatory(screen, signatory_id)
    if signatory is not None:
        run_dialog(ImportIdentityDialog(screen.context, signatory.name, screen))


def _signatory(screen: SlaScreen, signatory_id: int):  # type: ignore[no-untyped-def]
    state = screen.state
    return next((s for s in state.signatories if s.id == signatory_id), None) \
        if state else None
