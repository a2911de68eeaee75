"""Shared page layout for every PDF: A4 pages with the company's name in the header,
"Page X of Y" in the footer, a table of contents, the palette's paragraph and table
styles. The SLA, the funnel chart and the quarterly review all build on `ReportDocument`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from workbench.figure_text import same_decimals

from . import palette
from .direction import BidiParagraph, has_rtl, is_rtl, visual
from .drawn_text import draw_line, fit_line, longest, text_width
from .fonts import BODY, BOLD, ITALIC, register_fonts
from .text import markup, printable

PAGE = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE[0] - 2 * MARGIN


# Every table starts each cell in the embedded body font: reportlab's default, Helvetica,
# would be listed in the PDF without being embedded.
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), BODY)


def colour(hex_code: str) -> colors.Color:
    return colors.HexColor(hex_code)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles every report uses."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_muted: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]


@lru_cache(maxsize=1)
def styles() -> Styles:
    """Paragraph styles in the report fonts and palette."""
    register_fonts()
    ink, muted = colour(palette.INK), colour(palette.MUTED)

    def style(name: str, **kw: Any) -> ParagraphStyle:
        base = {"fontName": BODY, "fontSize": 10, "leading": 14, "textColor": ink,
                "alignment": TA_LEFT}
        return ParagraphStyle(name, **{**base, **kw})

    return Styles(
        title=style("Title", fontName=BOLD, fontSize=24, leading=30, spaceAfter=6),
        subtitle=style("Subtitle", fontSize=12, leading=16, textColor=muted, spaceAfter=14),
        h1=style("Heading1", fontName=BOLD, fontSize=15, leading=20, spaceBefore=14,
                 spaceAfter=8, textColor=colour(palette.ACCENT), keepWithNext=1),
        h2=style("Heading2", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10,
                 spaceAfter=4, keepWithNext=1),
        body=style("Body", spaceAfter=6),
        small=style("Small", fontSize=8.5, leading=11.5),
        muted=style("Muted", fontSize=8.5, leading=11.5, textColor=muted),
        cell=style("Cell", fontSize=8.5, leading=11),
        cell_bold=style("CellBold", fontName=BOLD, fontSize=8.5, leading=11),
        cell_muted=style("CellMuted", fontName=ITALIC, fontSize=8.5, leading=11,
                         textColor=muted),
        toc=(style("TOC1", fontSize=10.5, leading=17, leftIndent=0),
             style("TOC2", fontSize=9.5, leading=14, leftIndent=14, textColor=muted)),
    )


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of user text in any script and of any length: escaped (markup-looking
    text prints literally), each character in a font that has it or as a visible
    stand-in, right-to-left text drawn in visual order and, when it leads, aligned right.
    It splits across pages like any paragraph."""
    value = printable(text)
    if not has_rtl(value):
        return Paragraph(markup(value, style.fontName), style)
    rtl = is_rtl(value)
    return BidiParagraph(markup(value, style.fontName), _right_to_left(style) if rtl else style,
                         rtl=rtl)


def _right_to_left(style: ParagraphStyle) -> ParagraphStyle:
    """`style` aligned right, for a paragraph that reads right to left."""
    if style.alignment != TA_LEFT:
        return style
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


def fit_paragraph(text: object, style: ParagraphStyle, width: float,
                  height: float) -> Paragraph:
    """A paragraph of `text` that fits `width` × `height` points: all of it when it fits,
    else as much as fits followed by "…" — for a fixed box such as a signature block,
    where the full text is printed elsewhere in the document."""
    value = printable(text)
    whole = para(value, style)
    if whole.wrap(width, height)[1] <= height:
        return whole
    cut = longest(lambda n: para(value[:n].rstrip() + "…", style).wrap(width, height)[1]
                  <= height, len(value))
    return para(value[:cut].rstrip() + "…", style)


def heading(text: str, level: int = 1, anchor: str | None = None) -> Paragraph:
    """A heading that goes into the table of contents and the PDF outline."""
    s = styles()
    paragraph = para(text, s.h1 if level == 1 else s.h2)
    paragraph.toc_level = level - 1  # type: ignore[attr-defined]
    paragraph.toc_text = text  # type: ignore[attr-defined]
    paragraph.toc_key = anchor or f"h{id(paragraph)}"  # type: ignore[attr-defined]
    return paragraph


def contents_entry(text: str) -> str:
    """A heading as the table of contents lists it: on one or two lines (a longer one
    ends in "…"; the heading itself has it all), right-to-left text in visual order."""
    line = fit_line(text, BODY, styles().toc[0].fontSize, 1.8 * (CONTENT_WIDTH - 40))
    return markup(visual(line))


def table_of_contents() -> TableOfContents:
    toc = TableOfContents()
    toc.tableStyle = TableStyle([CELL_FONT], parent=toc.tableStyle)
    toc.levelStyles = list(styles().toc)
    toc.dotsMinLevel = 0
    return toc


def data_table(rows: list[list[Any]], widths: list[float], *, header: bool = True,
               zebra: bool = True, repeat: bool = True) -> Table:
    """A table in the house style: cells are Paragraphs (wrap, escaped), a tinted header
    row repeated on each page, hairline rules."""
    # splitInRow: a cell taller than a page (a 10,000-character definition) continues on
    # the next page instead of stopping the export.
    table = Table(rows, colWidths=widths, repeatRows=1 if header and repeat else 0,
                  splitInRow=1)
    commands: list[tuple[Any, ...]] = [
        CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colour(palette.RULE)),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colour(palette.CANVAS)),
                     ("LINEBELOW", (0, 0), (-1, 0), 0.8, colour(palette.INK))]
    if zebra:
        start = 1 if header else 0
        for row in range(start + 1, len(rows), 2):
            commands.append(("BACKGROUND", (0, row), (-1, row), colour("#FAFBFC")))
    table.setStyle(TableStyle(commands))
    return table


def cells(values: list[object], style: ParagraphStyle | None = None) -> list[Paragraph]:
    """A row of escaped Paragraph cells."""
    s = style or styles().cell
    return [para(v, s) for v in values]


def same_decimals_by_column(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """A table's text rows with each column's percentages in one format
    (`figure_text.same_decimals`): "44.0 %" above "61.3 %", never "44 %"."""
    columns = [same_decimals(list(column)) for column in zip(*rows, strict=True)]
    return [list(row) for row in zip(*columns, strict=True)] if columns else [list(r) for r in rows]


NOT_WRITTEN = "Not written yet"


def written(value: str | None, style: ParagraphStyle | None = None) -> Paragraph:
    """A definition's cell: its (escaped) text, or "Not written yet" in muted type, so no
    PDF leaves a definition cell blank."""
    if value and value.strip():
        return para(value, style or styles().cell)
    return para(NOT_WRITTEN, styles().cell_muted)


class NumberedCanvas(Canvas):
    """Draws "Page X of Y" once the page count is known (at save). Starts in the
    embedded body font, so no page refers to an unembedded standard font."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        register_fonts()
        kwargs["initialFontName"] = kwargs.get("initialFontName") or BODY
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(BODY, 8)
            self.setFillColor(colour(palette.MUTED))
            self.drawRightString(PAGE[0] - MARGIN, 11 * mm,
                                 f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


class ReportDocument(BaseDocTemplate):
    """An A4 report: header with company and document title, footer with page numbers,
    headings collected into the table of contents and the PDF outline."""

    def __init__(self, buffer: io.BytesIO, *, company: str, title: str, subject: str = "",
                 status_note: str = "") -> None:
        register_fonts()
        super().__init__(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN + 6 * mm, bottomMargin=MARGIN, title=title,
                         author=company, subject=subject, creator="Alignment Workbench")
        self.company, self.doc_title, self.status_note = company, title, status_note
        frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, PAGE[1] - 2 * MARGIN - 6 * mm, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("body", [frame], onPage=self._decorate)])

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        top = PAGE[1] - 12 * mm
        canvas.setStrokeColor(colour(palette.ACCENT))
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN, top - 3 * mm, PAGE[0] - MARGIN, top - 3 * mm)
        company, title = header_texts(self.company, self.doc_title)
        canvas.setFillColor(colour(palette.INK))
        draw_line(canvas, MARGIN, top, company, font=BOLD, size=9)
        canvas.setFillColor(colour(palette.MUTED))
        draw_line(canvas, PAGE[0] - MARGIN, top, title, font=BODY, size=8, anchor="end")
        canvas.setStrokeColor(colour(palette.RULE))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 15 * mm, PAGE[0] - MARGIN, 15 * mm)
        draw_line(canvas, MARGIN, 11 * mm, fit_line(self.status_note, BODY, 8, CONTENT_WIDTH * 0.7),
                  font=BODY, size=8)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        key = flowable.toc_key  # type: ignore[attr-defined]
        self.canv.bookmarkPage(key)
        text = flowable.toc_text  # type: ignore[attr-defined]
        self.canv.addOutlineEntry(text if len(text) <= 500 else text[:499] + "…", key,
                                  level=level, closed=True)
        self.notify("TOCEntry", (level, contents_entry(text), self.page, key))


def header_texts(company: str, title: str, gap: float = 6 * mm) -> tuple[str, str]:
    """The company (left, bold 9 pt) and document title (right, 8 pt) as the page header
    prints them: each whole when both fit on the line, else shortened with "…" — the
    title to at most 45 % of the line, the company to what is left."""
    title_line = fit_line(title, BODY, 8, CONTENT_WIDTH * 0.45)
    room = CONTENT_WIDTH - text_width(title_line, 8, BODY) - gap
    return fit_line(company, BOLD, 9, room), title_line


def build(doc: ReportDocument, story: list[Flowable]) -> None:
    """Lay the story out twice or more until the table of contents settles."""
    doc.multiBuild(story, canvasmaker=NumberedCanvas)
