"""Exporting an SLA version as PDF, and importing the terms another workbook attached to
its PDF.

A signed version exports byte for byte as signed (the workbook keeps the signed PDF); a
draft is laid out from the live workbook, after the required-term check, with the terms
attached as JSON. Files are written through a temporary name.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import ValidationError
from workbench.model import SlaStatus, SlaVersionId
from workbench.sla_terms import SlaDocument, build_document, check_required

from .signing import attach, write_atomic
from .sla_pdf import build_sla_pdf
from .sla_signature_pages import ATTACHMENT_NAME

if TYPE_CHECKING:
    from workbench.changes import Changes
    from workbench.workbook import Workbook


def export_sla(workbook: Workbook, version_id: SlaVersionId, out_path: Path) -> Path:
    """Write one SLA version as PDF to `out_path`; returns the path.

    Raises `ValidationError` (and writes nothing) when a required term is missing.
    """
    version = workbook.sla.version(version_id)
    if version.status is not SlaStatus.DRAFT:
        signed = workbook.sla.signed_pdf(version_id)
        if signed is None:
            raise ValidationError("version", f"Version {version.number} has no signed PDF "
                                  "in this workbook.")
        write_atomic(Path(out_path), signed)
        return Path(out_path)
    document = build_document(workbook, version_id)
    check_required(document)
    write_atomic(Path(out_path), draft_pdf(document))
    return Path(out_path)


def draft_pdf(document: SlaDocument) -> bytes:
    """An unsigned PDF of the document, with its terms attached."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    base, _ = build_sla_pdf(document)
    writer = IncrementalPdfFileWriter(io.BytesIO(base))
    attach(writer, ATTACHMENT_NAME, document.to_json().encode("utf-8"), "application/json",
           "The agreement's terms, for import into another workbook")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachment(reader: object, name: str) -> bytes | None:
    """The bytes of the file attached to the PDF under `name`, or None."""
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]  # type: ignore[attr-defined]
    except KeyError:
        return None
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) == name:
            spec = names[index + 1].get_object()
            return bytes(spec["/EF"]["/F"].get_object().data)
    return None


def read_terms(path: Path) -> SlaDocument:
    """The SLA terms attached to a PDF this app exported.

    Raises `ValidationError` naming the file when it has none or cannot be read.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    path = Path(path)
    try:
        reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
        data = attachment(reader, ATTACHMENT_NAME)
    except OSError as error:
        raise ValidationError("file", f"{path}: cannot be read ({error.strerror}).") from None
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise ValidationError("file", f"{path}: not a readable PDF ({error}).") from None
    if data is None:
        raise ValidationError("file", f"{path}: has no SLA terms attached ({ATTACHMENT_NAME}).")
    return SlaDocument.from_json(data)


def import_terms(workbook: Workbook, path: Path) -> tuple[Changes, SlaVersionId]:
    """A new draft version in `workbook` holding the terms attached to the PDF."""
    return workbook.sla.import_document(read_terms(path))
