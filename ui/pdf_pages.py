"""PDF pages as images for the in-app previews, and the one lock for PDF work.

pdfium is not thread-safe, and reportlab's font registry is shared, so every thread that
lays out or renders a PDF (the SLA preview's worker, the Export dialog's build) holds
`PDF_WORK` while it does. QImage, unlike QPixmap, may be made off the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtGui import QImage

PDF_WORK = threading.RLock()


def render_pages(
    pdf: bytes, width_px: int, *, limit: int | None = None, forms: bool = False,
    check: Callable[[], None] | None = None,
) -> tuple[int, list[QImage], float]:
    """The page count, up to `limit` pages rendered `width_px` wide, and the first page's
    width in points. `forms` draws form fields such as signature stamps; `check` is called
    before each page and may raise to stop."""
    import pypdfium2

    with PDF_WORK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            if forms:
                document.init_forms()
            count = len(document)
            images: list[QImage] = []
            first_width = 0.0
            for index in range(count if limit is None else min(count, limit)):
                if check is not None:
                    check()
                page = document[index]
                first_width = first_width or page.get_width()
                bitmap = page.render(scale=width_px / page.get_width(), rev_byteorder=True,
                                     prefer_bgrx=True)
                pixels = bytes(bitmap.buffer)  # held until the copy owns its own pixels
                image = QImage(pixels, bitmap.width, bitmap.height, bitmap.stride,
                               QImage.Format.Format_RGBX8888)
                images.append(image.copy())
                bitmap.close()
                page.close()
        finally:
            document.close()
    return count, images, first_width
