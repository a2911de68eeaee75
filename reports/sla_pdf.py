"""The SLA as a PDF: cover with parties and contents, the terms, schedules (funnel
definitions with a vector funnel chart, the plan, the scoring model), the signature page
and the completion certificate.

`build_sla_pdf` is a pure function of the structured document: it returns the PDF bytes
and where each signer's signature field goes, so `reports.signing` can sign them.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from workbench.figure_text import format_duration, format_percents
from workbench.sla_commitment import Commitment
from workbench.sla_terms import SlaDocument, Term

from . import palette
from .charts import FunnelBand, funnel_chart
from .layout import (
    CONTENT_WIDTH,
    ReportDocument,
    build,
    cells,
    data_table,
    heading,
    para,
    styles,
    table_of_contents,
    written,
)
from .sla_signature_pages import (
    COMPLETION_FIELD,
    SignatureBlock,
    SignatureSlot,
    completion_page,
    field_name,
    signature_page,
)


def build_sla_pdf(
    document: SlaDocument, *, root_sha256: str | None = None, for_signature: bool = False,
) -> tuple[bytes, list[SignatureSlot]]:
    """Lay out the SLA; return the PDF and the places of its fields.

    A draft (the default) says so on every page. `for_signature` lays out the PDF the
    signers sign: it states only what is true before the first signature, and returns a
    slot per signature field (in signing order) and the completion record's slot, last.
    """
    blocks = [SignatureBlock(p.order, p.name, p.title, p.team) for p in document.parties]
    slots: dict[str, SignatureSlot] = {}
    buffer = io.BytesIO()
    note = f"Version {document.version} · " + ("for signature" if for_signature
                                               else "draft, not signed")
    doc = ReportDocument(buffer, company=document.company, title=document.title,
                         subject=f"Version {document.version}", status_note=note)
    story = [*_cover(document, blocks, for_signature), *_terms(document),
             *_schedules(document), *_decisions(document), *signature_page(document, blocks, slots),
             *completion_page(document, blocks, root_sha256,
                              slots if for_signature else None)]
    build(doc, story)
    ordered = [slots[field_name(b.order)] for b in blocks if field_name(b.order) in slots]
    if COMPLETION_FIELD in slots:
        ordered.append(slots[COMPLETION_FIELD])
    return buffer.getvalue(), ordered


def _cover(document: SlaDocument, blocks: list[SignatureBlock],
           for_signature: bool) -> list[Flowable]:
    s = styles()
    status = (f"For signature by {len(blocks)} signatories, in order (see the signature "
              "page and the completion certificate)" if for_signature
              else "Draft, not signed")
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
        para(_built_from(document), s.subtitle),
        data_table([cells([k], s.cell_bold) + cells([v]) for k, v in facts],
                   [38 * mm, CONTENT_WIDTH - 38 * mm], header=False, zebra=False),
        Spacer(1, 8 * mm), para("Parties", s.h2),
        data_table(parties, [16 * mm, 60 * mm, 60 * mm, CONTENT_WIDTH - 136 * mm]),
        Spacer(1, 8 * mm), para("Contents", s.h2), table_of_contents(), PageBreak(),
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
    rows = [[*cells([st.name, palette.OWNER_LABEL.get(st.owner, "No owner")]),
             written(st.definition), written(st.entry_criteria), written(st.exit_criteria),
             *cells([format_duration(st.max_hours)])]
            for st in document.stages]
    story.append(data_table([header, *rows], [26 * mm, 21 * mm, 41 * mm, 35 * mm, 35 * mm,
                                              CONTENT_WIDTH - 158 * mm]))
    story += _unagreed(document)
    story += _plan_schedule(document)
    story.append(heading("Schedule C. Scoring model", anchor="scoring"))
    story.append(para("A lead becomes marketing qualified when its fit and interest points "
                      "together reach the MQL threshold.", s.body))
    rows = [cells(["Rule or threshold", "Points"], s.cell_bold)] + [
        cells([label, value]) for label, value in document.scoring]
    story.append(data_table(rows, [CONTENT_WIDTH - 40 * mm, 40 * mm]))
    return story


def _decisions(document: SlaDocument) -> list[Flowable]:
    """After the schedules: what the workshop decided (about a stage, an SLA term, a
    scoring rule or a question), who owns it and what it settles."""
    from .workshop_report import decisions_table

    if not document.decisions:
        return []
    # Not in the contents: the cover keeps them on one page with the parties.
    return [para("Schedule D. Workshop decisions", styles().h1),
            decisions_table(document.decisions)]


def _built_from(document: SlaDocument) -> str:
    """The cover's line on where the agreement comes from: it claims agreed definitions
    only when both teams agreed every one."""
    opening = "An agreement between marketing and sales on how leads flow between them, "
    if document.all_agreed:
        return opening + "built from the definitions both teams agreed in the workbook."
    count = len(document.unagreed)
    which = "one of them is" if count == 1 else f"{count} of them are"
    return (opening + f"built from the workbook's funnel definitions; {which} not agreed by "
            "both teams (Schedule A lists each, with the exception recorded for it).")


def _unagreed(document: SlaDocument) -> list[Flowable]:
    """Schedule A's list of definitions not agreed by both teams, each with the exception
    the teams recorded for signing anyway (a draft may still lack one)."""
    if document.all_agreed:
        return []
    s = styles()
    rows = [cells(["Stage", "Where it stands", "Exception recorded for signing"], s.cell_bold)]
    for _, name, problem, exception in document.unagreed:
        rows.append([*cells([name, problem.capitalize()]),
                     para(exception, s.cell) if exception else
                     para("None recorded: this draft cannot be signed until the teams agree "
                          "the definition or record one.", s.cell_muted)])
    return [Spacer(1, 4 * mm),
            para("Definitions not agreed by both teams", s.h2),
            data_table(rows, [40 * mm, 45 * mm, CONTENT_WIDTH - 85 * mm])]


def _plan_schedule(document: SlaDocument) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading("Schedule B. The committed plan", anchor="plan")]
    plans = document.commitments or ((document.commitment,) if document.commitment else ())
    for gap in document.commitment_gaps:
        story.append(para(f"Not set: {gap}", s.body))
    if not plans and not document.commitment_gaps:
        story.append(para("No committed plan: the lead commitment is missing.", s.body))
    for promise in plans:
        story += _quarter_plan(document, promise)
    return story


def _quarter_plan(document: SlaDocument, promise: Commitment) -> list[Flowable]:
    s = styles()
    goal = f"{promise.revenue_goal:,.0f} {document.currency}" if promise.revenue_goal else "—"
    deal = (f"{promise.avg_deal_size:,.0f} {document.currency}" if promise.avg_deal_size
            else "—")
    story: list[Flowable] = [para(
        f"{promise.plan} for {promise.quarter}: revenue goal {goal}, average deal size "
        f"{deal}. Volumes are worked back up the funnel from the customers the goal needs.",
        s.body)]
    volumes, conversions = dict(promise.volumes), dict(promise.conversions)
    monthly = dict(promise.monthly)
    names = [st.name for st in document.stages] or list(volumes)
    rows = [cells(["Stage", "Required in the quarter", "Per month", "Conversion to next"],
                  s.cell_bold)]
    rates = format_percents([conversions.get(name) for name in names])
    for name, rate in zip(names, rates, strict=True):
        volume, month = volumes.get(name), monthly.get(name)
        rows.append(cells([name, "—" if volume is None else f"{volume:,}",
                           "—" if month is None else f"{month:,}", rate]))
    return [*story, data_table(rows, [CONTENT_WIDTH - 105 * mm, 40 * mm, 30 * mm, 35 * mm]),
            Spacer(1, 3 * mm)]


def _conversions(document: SlaDocument) -> dict[str, float]:
    return dict(document.commitment.conversions) if document.commitment else {}


def _date(iso: str | None) -> str:
    return iso or "open"
