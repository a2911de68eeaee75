"""Form fields and imported pages in a PDF being written with pyHanko.

The completion record is a read-only text field created before the first signature
(empty) and filled in the last signer's revision: a certified document allows form filling
after it is signed, and pyHanko's modification analysis (and Acrobat's) recognises the
change as exactly that. Its appearance — and each signature stamp's — is a page drawn by
reportlab with the documents' embedded fonts, imported as a form XObject.
"""

from __future__ import annotations

import binascii
import io
import uuid
from typing import Any

from pyhanko.pdf_utils import content, generic
from pyhanko.pdf_utils.layout import BoxConstraints

READ_ONLY, MULTILINE = 1, 1 << 12
PRINT = 4


class PdfBytesPage(content.ImportedPdfPage):
    """A page of a PDF held in memory, as content for a stamp (pyHanko's own class reads
    a file by name)."""

    def __init__(self, pdf: bytes, page_ix: int = 0) -> None:
        super().__init__("", page_ix=page_ix)
        self.pdf = pdf

    def render(self) -> bytes:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reference = self._ensure_writer.import_page_as_xobject(
            PdfFileReader(io.BytesIO(self.pdf)), page_ix=self.page_ix)
        name = "/Import" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
        self.resources.xobject[name] = reference
        x1, y1, x2, y2 = reference.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


def add_text_field(writer: Any, name: str, page_index: int,
                   box: tuple[int, int, int, int]) -> None:
    """An empty, read-only, multi-line text field (a widget on the page) named `name`."""
    x1, y1, x2, y2 = box
    empty = generic.StreamObject(_form_dict(x2 - x1, y2 - y1), stream_data=b"")
    field = generic.DictionaryObject({
        _n("/Type"): _n("/Annot"), _n("/Subtype"): _n("/Widget"), _n("/FT"): _n("/Tx"),
        _n("/T"): generic.TextStringObject(name),
        _n("/Ff"): generic.NumberObject(READ_ONLY | MULTILINE),
        _n("/F"): generic.NumberObject(PRINT),
        _n("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in box]),
        _n("/DA"): generic.TextStringObject("/Helv 0 Tf 0 g"),
        _n("/AP"): generic.DictionaryObject({_n("/N"): writer.add_object(empty)})})
    reference = writer.add_object(field)
    page = writer.root["/Pages"]["/Kids"][page_index].get_object()
    if "/Annots" not in page:
        page[_n("/Annots")] = generic.ArrayObject()
    page["/Annots"].append(reference)
    writer.update_container(page)
    form = writer.root["/AcroForm"]
    form["/Fields"].append(reference)
    writer.update_container(form)


def fill_text_field(writer: Any, name: str, value: str, appearance_pdf: bytes) -> None:
    """Fill the text field `name` with `value`, drawn as the first page of
    `appearance_pdf` (which should be the size of the field's box)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    field = next(f.get_object() for f in writer.root["/AcroForm"]["/Fields"]
                 if f.get_object().get("/T") == name)
    appearance = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(appearance_pdf)))
    field[_n("/V")] = generic.TextStringObject(value)
    field[_n("/AP")] = generic.DictionaryObject({_n("/N"): appearance})
    writer.update_container(field)


def _form_dict(width: float, height: float) -> generic.DictionaryObject:
    return generic.DictionaryObject({
        _n("/Type"): _n("/XObject"), _n("/Subtype"): _n("/Form"),
        _n("/BBox"): generic.ArrayObject([generic.FloatObject(v)
                                          for v in (0, 0, width, height)])})


def _n(name: str) -> generic.NameObject:
    return generic.NameObject(name)
