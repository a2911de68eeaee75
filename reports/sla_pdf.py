"""The SLA as a PDF: cover with parties and contents, the terms, schedules (funnel
definitions with a vector funnel chart, the plan, the scoring model), the signature page
and the completion certificate.

`build_sla_pdf` is a pure function of the structured document: it returns the PDF bytes
and where each signer's signature field goes, so `reports.signing` can sign them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from workbench.sla_terms import SlaDocument, Term

from . import palette
from .charts import FunnelBand, funnel_chart
from .layout import (
    CONTENT_WIDTH,
    ReportDocument,
    build,
    cells,
    colour,
    data_table,
    heading,
    para,
    styles,
    table_of_contents,
)

ATTACHMENT_NAME = "sla-terms.json"
STAMP_SIZE = (170.0, 26.0)


@dataclass(frozen=True)
class SignatureBlock:
    """What the signature page and completion page say about one signer."""

    order: int
    name: str
    title: str
    team: str
    signed_at: str | None = None  # ISO UTC, when they signed in the app
    certificate_sha256: str | None = None
    image_png: bytes | None = None


@dataclass(frozen=True)
class SignatureSlot:
    """Where a signer's signature field goes: page (0-based) and box in PDF points."""

    field_name: str
    page_index: int
    box: tuple[int, int, int, int]


def field_name(order: int) -> str:
    return f"Signature{order}"


def build_sla_pdf(
    document: SlaDocument, signatures: list[SignatureBlock] | None = None,
    *, root_sha256: str | None = None,
) -> tuple[bytes, list[SignatureSlot]]:
    """Lay out the SLA; return the PDF and the signature fields' places."""
    blocks = signatures or [SignatureBlock(p.order, p.name, p.title, p.team, p.signed_at)
                            for p in document.parties]
    slots: dict[int, SignatureSlot] = {}
    buffer = io.BytesIO()
    signed = all(b.signed_at for b in blocks) and bool(blocks)
    note = (f"Version {document.version} · " + ("signed" if signed else "draft, not signed"))
    doc = ReportDocument(buffer, company=document.company, title=document.title,
                         subject=f"Version {document.version}", status_note=note)
    story = [*_cover(document, blocks), *_terms(document), *_schedules(document),
             *_signature_page(document, blocks, slots),
             *_completion_page(document, blocks, root_sha256)]
    build(doc, story)
    return buffer.getvalue(), [slots[o] for o in sorted(slots)]


def _cover(document: SlaDocument, blocks: list[SignatureBlock]) -> list[Flowable]:
    s = styles()
    signed = bool(blocks) and all(b.signed_at for b in blocks)
    status = f"Signed by all {len(blocks)} signatories" if signed else document.status.title()
    period = (f"{_date(document.effective_from)} – {_date(document.effective_to)}"
              if document.effective_from else "Not set")
    facts = [["Version", f"{document.version}" + (
                f" (amends version {document.amends_version})" if document.amends_version
                else "")],
             ["Effective", period], ["Review cadence", document.review_cadence],
             ["Status", status]]
    parties = [cells(["Order", "Signatory", "Title", "Team"], s.cell_bold)] + [
        cells([p.order, p.name, p.title, p.team.title()]) for p in document.parties]
    return [
        para(document.company, s.subtitle), para(document.title, s.title),
        para("An agreement between marketing and sales on how leads flow between them, "
             "built from the definitions both teams agreed in the workbook.", s.subtitle),
        data_table([cells([k], s.cell_bold) + cells([v]) for k, v in facts],
                   [38 * mm, CONTENT_WIDTH - 38 * mm], header=False, zebra=False),
        Spacer(1, 8 * mm), para("Parties", s.h2),
        data_table(parties, [16 * mm, 60 * mm, 60 * mm, CONTENT_WIDTH - 136 * mm]),
        PageBreak(), para("Contents", s.h1), table_of_contents(), PageBreak(),
    ]


def _terms(document: SlaDocument) -> list[Flowable]:
    essential = [t for t in document.terms if t.essential]
    clauses = [t for t in document.terms if not t.essential]
    story: list[Flowable] = [heading("1. The terms", anchor="terms")]
    for number, term in enumerate(essential, start=1):
        story += _term(f"1.{number}", term)
    if clauses:
        story.append(heading("2. Further clauses", anchor="clauses"))
        for number, term in enumerate(clauses, start=1):
            story += _term(f"2.{number}", term)
    return story


def _term(number: str, term: Term) -> list[Flowable]:
    s = styles()
    items: list[Flowable] = [heading(f"{number}  {term.title}", level=2)]
    if term.body.strip():
        items.append(para(term.body, s.body))
    if term.facts:
        rows = [cells([label], s.cell_muted) + cells([value]) for label, value in term.facts]
        items += [data_table(rows, [48 * mm, CONTENT_WIDTH - 48 * mm], header=False),
                  Spacer(1, 3 * mm)]
    return [KeepTogether(items[:2]), *items[2:]] if len(items) > 2 else items


def _schedules(document: SlaDocument) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [PageBreak(), heading("Schedule A. Funnel definitions",
                                                   anchor="funnel")]
    conversions = _conversions(document)
    bands = [FunnelBand(st.name, st.owner, st.planned_volume, conversions.get(st.name))
             for st in document.stages]
    if bands:
        story += [funnel_chart(bands, CONTENT_WIDTH), Spacer(1, 4 * mm)]
    header = cells(["Stage", "Owner", "Definition", "Entry criteria", "Exit criteria",
                    "Max time"], s.cell_bold)
    rows = [cells([st.name, palette.OWNER_LABEL.get(st.owner, "No owner"), st.definition,
                   st.entry_criteria, st.exit_criteria,
                   "—" if st.max_hours is None else f"{st.max_hours:g} h"])
            for st in document.stages]
    story.append(data_table([header, *rows], [26 * mm, 21 * mm, 41 * mm, 35 * mm, 35 * mm,
                                              CONTENT_WIDTH - 158 * mm]))
    story += _plan_schedule(document)
    story.append(heading("Schedule C. Scoring model", anchor="scoring"))
    story.append(para("A lead becomes marketing qualified when its fit and interest points "
                      "together reach the MQL threshold.", s.body))
    rows = [cells(["Rule or threshold", "Points"], s.cell_bold)] + [
        cells([label, value]) for label, value in document.scoring]
    story.append(data_table(rows, [CONTENT_WIDTH - 40 * mm, 40 * mm]))
    return story


def _plan_schedule(document: SlaDocument) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading("Schedule B. The committed plan", anchor="plan")]
    promise = document.commitment
    if promise is None:
        return [*story, para("No committed plan: the lead commitment is missing.", s.body)]
    goal = f"{promise.revenue_goal:,.0f} {document.currency}" if promise.revenue_goal else "—"
    deal = (f"{promise.avg_deal_size:,.0f} {document.currency}" if promise.avg_deal_size
            else "—")
    story.append(para(f"{promise.plan} for {promise.quarter}: revenue goal {goal}, average "
                      f"deal size {deal}. Volumes are worked back up the funnel from the "
                      "customers the goal needs.", s.body))
    conversions = _conversions(document)
    rows = [cells(["Stage", "Required in the quarter", "Per month", "Conversion to next"],
                  s.cell_bold)]
    for name, volume in promise.volumes:
        rate = conversions.get(name)
        rows.append(cells([name, f"{volume:,}", f"{-(-volume // 3):,}",
                           "—" if rate is None else f"{rate:.1%}"]))
    story.append(data_table(rows, [CONTENT_WIDTH - 105 * mm, 40 * mm, 30 * mm, 35 * mm]))
    return story


def _conversions(document: SlaDocument) -> dict[str, float]:
    return dict(document.commitment.conversions) if document.commitment else {}


def _signature_page(document: SlaDocument, blocks: list[SignatureBlock],
                    slots: dict[int, SignatureSlot]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [PageBreak(), heading("Signatures", anchor="signatures"), para(
        f"By signing, each signatory agrees to version {document.version} of this agreement "
        "between marketing and sales. Signatures are applied in the order below; each is a "
        "digital signature (PAdES) embedded in this PDF.", s.body), Spacer(1, 4 * mm)]
    if not blocks:
        story.append(para("No signatories have been named yet.", s.body))
    for block in blocks:
        story += [SignatureBox(block, len(blocks), slots), Spacer(1, 5 * mm)]
    return story


def _completion_page(document: SlaDocument, blocks: list[SignatureBlock],
                     root_sha256: str | None) -> list[Flowable]:
    s = styles()
    rows = [cells(["#", "Signer", "Role", "Signed in the app (UTC)", "Certificate SHA-256"],
                  s.cell_bold)]
    for b in blocks:
        rows.append(cells([b.order, b.name, f"{b.title}, {b.team}".strip(", "),
                           _time(b.signed_at) if b.signed_at else "Not signed yet",
                           _hex(b.certificate_sha256, 4) if b.certificate_sha256 else "—"]))
    facts = [["Agreement", f"{document.title}, version {document.version}"],
             ["Content SHA-256", _hex(document.content_sha256)],
             ["Covers", f"The agreement's terms as attached to this PDF ({ATTACHMENT_NAME})"],
             ["Signing authority", _hex(root_sha256) if root_sha256 else "—"],
             ["Signatures", f"{len(blocks)} PAdES signature(s); the first certifies the "
                            "document and allows only the later signatures to be added."]]
    return [PageBreak(), heading("Completion certificate", anchor="completion"), para(
        "A record of the sign-off. Verify the signatures with "
        "“alignment-workbench verify” or any PAdES-capable PDF reader.", s.body),
        data_table(rows, [8 * mm, 40 * mm, 42 * mm, 36 * mm, CONTENT_WIDTH - 126 * mm]),
        Spacer(1, 6 * mm),
        data_table([cells([k], s.cell_bold) + cells([v]) for k, v in facts],
                   [38 * mm, CONTENT_WIDTH - 38 * mm], header=False, zebra=False)]


class SignatureBox(Flowable):
    """One signer's block on the signature page; remembers where it was drawn so the
    signature field can be placed on it."""

    HEIGHT = 34 * mm

    def __init__(self, block: SignatureBlock, count: int, slots: dict[int, SignatureSlot]):
        super().__init__()
        self.block, self.count, self.slots = block, count, slots

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = CONTENT_WIDTH
        return self.width, self.HEIGHT

    def draw(self) -> None:
        canvas, b, s = self.canv, self.block, styles()
        canvas.setStrokeColor(colour(palette.RULE))
        canvas.setLineWidth(0.8)
        canvas.rect(0, 0, self.width, self.HEIGHT)
        canvas.setFillColor(colour(palette.OWNER.get(b.team.lower(), palette.ACCENT)))
        canvas.rect(0, 0, 3, self.HEIGHT, stroke=0, fill=1)
        half = self.width / 2
        if b.image_png:
            _draw_image(canvas, b.image_png, 10, 12 * mm, half - 20, self.HEIGHT - 14 * mm)
        canvas.setStrokeColor(colour(palette.INK))
        canvas.line(10, 11 * mm, half - 10, 11 * mm)
        _draw(para(b.name, s.cell_bold), canvas, 10, 4 * mm, half - 20)
        lines = [f"Signatory {b.order} of {self.count}", b.title, b.team.title()]
        status = (f"Signed in the app {_time(b.signed_at)}" if b.signed_at
                  else "Awaiting signature")
        _draw(para("\n".join(x for x in lines if x), s.small), canvas, half + 6,
              self.HEIGHT - 20 * mm, half - 16)
        _draw(para(status, s.muted), canvas, half + 6, self.HEIGHT - 25 * mm, half - 16)
        x, y = canvas.absolutePosition(self.width - STAMP_SIZE[0] - 4, 3)
        self.slots[b.order] = SignatureSlot(
            field_name(b.order), canvas.getPageNumber() - 1,
            (round(x), round(y), round(x + STAMP_SIZE[0]), round(y + STAMP_SIZE[1])))


def _draw(paragraph: Any, canvas: Any, x: float, y: float, width: float) -> None:
    paragraph.wrapOn(canvas, width, 100)
    paragraph.drawOn(canvas, x, y)


def _draw_image(canvas: Any, png: bytes, x: float, y: float, width: float,
                height: float) -> None:
    from reportlab.lib.utils import ImageReader

    image = ImageReader(io.BytesIO(png))
    w, h = image.getSize()
    scale = min(width / w, height / h)
    canvas.drawImage(image, x, y, w * scale, h * scale, mask="auto")


def _hex(value: str | None, group: int = 8) -> str:
    text = value or ""
    return " ".join(text[i:i + group] for i in range(0, len(text), group))


def _time(iso: str | None) -> str:
    return (iso or "").replace("T", " ").replace("Z", "")


def _date(iso: str | None) -> str:
    return iso or "open"
