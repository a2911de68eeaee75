"""The SLA's signature page and completion certificate, and what fills them in as the
signers sign.

The pages laid out before the first signature state only what is true then: who is to
sign, in which order, and the fingerprints of the terms and of the signing authority. What
becomes true later is drawn at that moment, in the revision that makes it true:
- each signer's stamp (who signed, when, the drawn signature, the certificate) is the
  appearance of their own signature field, rendered when they sign (`stamp_pdf`);
- the completion record (every signer's time and certificate) fills a form field on the
  completion page in the last signer's revision (`completion_pdf`).
Both are one-page PDFs the size of their box, drawn with the documents' embedded fonts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer

from workbench.sla_terms import SlaDocument

from . import palette
from .layout import (
    CONTENT_WIDTH,
    cells,
    colour,
    data_table,
    fit_paragraph,
    heading,
    para,
    styles,
)

ATTACHMENT_NAME = "sla-terms.json"
COMPLETION_FIELD = "Completion"
BOX_HEIGHT = 36 * mm
STAMP_SIZE = (CONTENT_WIDTH * 0.52, BOX_HEIGHT - 6 * mm)
STAMP_TEXT_SIZES = (10.5, 9.0)  # points: the signer's name, the time and certificate
PAD = 7.0  # points between the stamp's edge and what it draws


@dataclass(frozen=True)
class SignatureBlock:
    """Who is to sign, as the signature page names them."""

    order: int
    name: str
    title: str
    team: str


@dataclass(frozen=True)
class SignedMark:
    """What a signer's stamp and the completion record say once they have signed."""

    block: SignatureBlock
    signed_at: str  # ISO UTC
    certificate_sha256: str
    certificate_name: str  # the name the certificate was issued to
    issuer_sha256: str  # the root the certificate chains to, as the signer's file holds it
    image_png: bytes | None = None


@dataclass(frozen=True)
class SignatureSlot:
    """Where a field goes: page (0-based) and box in PDF points."""

    field_name: str
    page_index: int
    box: tuple[int, int, int, int]

    @property
    def size(self) -> tuple[float, float]:
        x1, y1, x2, y2 = self.box
        return float(x2 - x1), float(y2 - y1)


def field_name(order: int) -> str:
    return f"Signature{order}"


# -- the pages, as laid out before anyone signs -------------------------------------------
def signature_page(document: SlaDocument, blocks: list[SignatureBlock],
                   slots: dict[str, SignatureSlot]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [PageBreak(), heading("Signatures", anchor="signatures"), para(
        f"By signing, each signatory agrees to version {document.version} of this agreement "
        "between marketing and sales. Signatures are applied one at a time in the order "
        "below, each when that signatory signs; the box beside a name shows that signature: "
        "who signed, when, and with which certificate. Each is a digital signature (PAdES) "
        "embedded in this PDF.", s.body), Spacer(1, 4 * mm)]
    if not blocks:
        story.append(para("No signatories have been named yet.", s.body))
    for block in blocks:
        story += [SignatureBox(block, len(blocks), slots), Spacer(1, 4 * mm)]
    return story


def completion_page(document: SlaDocument, blocks: list[SignatureBlock],
                    root_sha256: str | None, slots: dict[str, SignatureSlot] | None
                    ) -> list[Flowable]:
    """The completion certificate: fixed facts, and (when `slots` is given, i.e. the PDF is
    to be signed) the box the last signer's revision fills in."""
    s = styles()
    last = blocks[-1].name if blocks else "the last signatory"
    facts = [["Agreement", f"{document.title}, version {document.version}"],
             ["Content SHA-256", hex_groups(document.content_sha256)],
             ["Covers", f"The agreement's terms as attached to this PDF ({ATTACHMENT_NAME})"],
             ["Signing authority", (hex_groups(root_sha256) + " — the SHA-256 fingerprint "
                                    "of the workbook's root certificate: compare it with "
                                    "the one your contact reads to you") if root_sha256
              else "—"],
             ["Signatures required", f"{len(blocks)}, in the order of the signature page. "
              "The first certifies the document and allows only the later signatures and "
              "this record to be added."]]
    story: list[Flowable] = [
        PageBreak(), heading("Completion certificate", anchor="completion"),
        data_table([cells([k], s.cell_bold) + cells([v]) for k, v in facts],
                   [38 * mm, CONTENT_WIDTH - 38 * mm], header=False, zebra=False),
        Spacer(1, 5 * mm)]
    if slots is None:
        return [*story, para("Not signed: this is a draft. When everyone has signed, the "
                             "record of each signature appears here.", s.body)]
    story.append(para(
        f"The record below is filled in when {last} signs, in the same step as that last "
        "signature, and lists every signature's time and certificate. Where it is empty, "
        "not everyone has signed this copy. Verify the signatures with "
        "“alignment-workbench verify” or any PAdES-capable PDF reader.", s.body))
    return [*story, Spacer(1, 3 * mm), CompletionBox(len(blocks), slots)]


class SignatureBox(Flowable):
    """One signer's block: name, order and role on the left; on the right the empty box
    their signature's stamp will fill. Remembers where the box was drawn."""

    def __init__(self, block: SignatureBlock, count: int, slots: dict[str, SignatureSlot]):
        super().__init__()
        self.block, self.count, self.slots = block, count, slots

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = CONTENT_WIDTH
        return self.width, BOX_HEIGHT

    def draw(self) -> None:
        canvas, b, s = self.canv, self.block, styles()
        canvas.setStrokeColor(colour(palette.RULE))
        canvas.setLineWidth(0.8)
        canvas.rect(0, 0, self.width, BOX_HEIGHT)
        canvas.setFillColor(colour(palette.OWNER.get(b.team.lower(), palette.ACCENT)))
        canvas.rect(0, 0, 3, BOX_HEIGHT, stroke=0, fill=1)
        left = self.width - STAMP_SIZE[0] - 3 * mm - 14
        _draw_top(canvas, fit_paragraph(b.name, s.cell_bold, left, 14 * mm), 10,
                  BOX_HEIGHT - 3 * mm, left)
        details = "\n".join(x for x in (f"Signatory {b.order} of {self.count}", b.title,
                                        b.team.title()) if x)
        _draw_top(canvas, fit_paragraph(details, s.small, left, 16 * mm), 10,
                  BOX_HEIGHT - 18 * mm, left)
        x0 = self.width - STAMP_SIZE[0] - 3 * mm
        canvas.setDash(2, 2)
        canvas.setStrokeColor(colour(palette.RULE))
        canvas.rect(x0, 3 * mm, STAMP_SIZE[0], STAMP_SIZE[1])
        canvas.setDash()
        x, y = canvas.absolutePosition(x0, 3 * mm)
        name = field_name(b.order)
        self.slots[name] = SignatureSlot(name, canvas.getPageNumber() - 1, (
            round(x), round(y), round(x + STAMP_SIZE[0]), round(y + STAMP_SIZE[1])))


class CompletionBox(Flowable):
    """The empty, outlined box the completion record fills in the last revision."""

    def __init__(self, count: int, slots: dict[str, SignatureSlot]) -> None:
        super().__init__()
        self.count, self.slots = count, slots

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = CONTENT_WIDTH
        self.height = min(available_height, 30 * mm + 19 * mm * max(self.count, 1))
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setDash(2, 2)
        canvas.setStrokeColor(colour(palette.RULE))
        canvas.rect(0, 0, self.width, self.height)
        canvas.setDash()
        x, y = canvas.absolutePosition(0, 0)
        self.slots[COMPLETION_FIELD] = SignatureSlot(COMPLETION_FIELD,
                                                     canvas.getPageNumber() - 1, (
            round(x), round(y), round(x + self.width), round(y + self.height)))


# -- what is drawn when a signer signs ----------------------------------------------------
def stamp_pdf(mark: SignedMark, size: tuple[float, float]) -> bytes:
    """A signer's stamp: their drawn signature (if any), name, time and certificate."""
    s = styles()
    width, height = size
    canvas, buffer = _canvas(size)
    text_height = height if not mark.image_png else height * 0.55
    if mark.image_png:
        _draw_image(canvas, mark.image_png, PAD, text_height, width - 2 * PAD,
                    height - text_height - 2)
        canvas.setStrokeColor(colour(palette.INK))
        canvas.line(PAD, text_height, width - PAD, text_height)
    lines = [f"Digitally signed by {mark.block.name}",
             f"{display_time(mark.signed_at)} UTC · PAdES",
             f"Certificate {hex_groups(mark.certificate_sha256[:16], 4)}…"]
    # As large as the page's own text (STAMP_TEXT_SIZES), never shrunk by the placing.
    name_style = ParagraphStyle("stamp-name", parent=s.cell_bold, fontSize=STAMP_TEXT_SIZES[0],
                                leading=STAMP_TEXT_SIZES[0] * 1.2)
    detail_style = ParagraphStyle("stamp-detail", parent=s.small, fontSize=STAMP_TEXT_SIZES[1],
                                  leading=STAMP_TEXT_SIZES[1] * 1.25)
    story = [fit_paragraph(lines[0], name_style, width - 2 * PAD, text_height * 0.5),
             para("\n".join(lines[1:]), detail_style)]
    _frame(canvas, story, PAD, 2, width - 2 * PAD, text_height - 4)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def completion_pdf(document: SlaDocument, marks: list[SignedMark],
                   size: tuple[float, float]) -> bytes:
    """The completion record: every signature's signer, role, time and certificate."""
    s = styles()
    width, height = size
    canvas, buffer = _canvas(size)
    rows = [cells(["#", "Signer", "Role", "Signed (UTC)", "Certificate SHA-256",
                   "Root SHA-256"], s.cell_bold)]
    for m in marks:
        b = m.block
        signer = b.name if m.certificate_name == b.name else \
            f"{b.name} (certificate: {m.certificate_name})"
        rows.append(cells([b.order, signer, ", ".join(x for x in (b.title, b.team) if x),
                           display_time(m.signed_at), hex_groups(m.certificate_sha256, 4),
                           hex_groups(m.issuer_sha256[:16], 4) + "…"]))
    inner = width - 8 * mm
    table = data_table(rows, [x * inner for x in (0.05, 0.22, 0.2, 0.15, 0.22, 0.16)])
    story = [para(f"Signed by all {len(marks)} signatories of version {document.version}",
                  s.h2), table]
    _frame(canvas, story, 4 * mm, 4 * mm, inner, height - 8 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def completion_text(document: SlaDocument, marks: list[SignedMark]) -> str:
    """The completion record as plain text: the form field's value."""
    lines = [f"Signed by all {len(marks)} signatories of version {document.version}."]
    lines += [f"{m.block.order}. {m.block.name}, {display_time(m.signed_at)} UTC, "
              f"certificate SHA-256 {m.certificate_sha256}" for m in marks]
    return "\n".join(lines)


# -- small pieces -------------------------------------------------------------------------
def _canvas(size: tuple[float, float]) -> tuple[Canvas, io.BytesIO]:
    from .fonts import BODY, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, initialFontName=BODY, pageCompression=1)
    return canvas, buffer


def _frame(canvas: Canvas, story: list[Flowable], x: float, y: float, width: float,
           height: float) -> None:
    """Draw `story` top-aligned in the box, shrunk to fit when it is too tall."""
    box = KeepInFrame(width, height, story, mode="shrink")
    _, used = box.wrapOn(canvas, width, height)
    box.drawOn(canvas, x, y + height - used)


def _draw_top(canvas: Any, paragraph: Any, x: float, top: float, width: float) -> None:
    _, used = paragraph.wrapOn(canvas, width, 1000)
    paragraph.drawOn(canvas, x, top - used)


def _draw_image(canvas: Any, png: bytes, x: float, y: float, width: float,
                height: float) -> None:
    from reportlab.lib.utils import ImageReader

    image = ImageReader(io.BytesIO(png))
    w, h = image.getSize()
    scale = min(width / w, height / h)
    canvas.drawImage(image, x, y, w * scale, h * scale, mask="auto")


def hex_groups(value: str | None, group: int = 8) -> str:
    text = value or ""
    return " ".join(text[i:i + group] for i in range(0, len(text), group))


def display_time(iso: str | None) -> str:
    return (iso or "").replace("T", " ").replace("Z", "")
