"""The PDF preview: built off the GUI thread after a pause in editing, a result that a
newer edit overtook is never shown, and pages can be stepped through and zoomed."""

from __future__ import annotations

import dataclasses

from ui.context import AppContext
from ui.sla.preview import PdfPreview
from workbench.sla_terms import build_document

from .conftest import wait_for_preview
from .test_sla_editor import _pdf_text


def test_an_overtaken_preview_is_discarded(qtbot, context: AppContext) -> None:
    workbook = context.workbook
    document = build_document(workbook, workbook.sla.versions()[-1].id)
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(600, 800)
    preview.show()
    shown: list[int] = []
    preview.updated.connect(shown.append)
    preview.show_document(dataclasses.replace(document, title="Alpha agreement"))
    qtbot.waitUntil(lambda: preview.is_building, timeout=5_000)
    preview.show_document(dataclasses.replace(document, title="Omega agreement"))
    assert preview.page_count == 0  # nothing shown before the newest request is built
    wait_for_preview(qtbot, preview)
    assert len(shown) == 1  # the "Alpha" result arrived, and was dropped
    text = _pdf_text(preview.pdf)
    assert "Omega agreement" in text and "Alpha agreement" not in text


def test_pages_step_and_zoom(qtbot, context: AppContext) -> None:
    workbook = context.workbook
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(600, 800)
    preview.show()
    preview.show_document(build_document(workbook, workbook.sla.versions()[-1].id))
    wait_for_preview(qtbot, preview)
    count = preview.page_count
    assert preview.page_label.text() == f"Page 1 of {count}"
    assert not preview.previous_button.isEnabled()
    fit_width = preview.page_images[0].width()
    assert fit_width <= preview.scroll.viewport().width()  # no sideways scrolling
    preview.next_page()
    qtbot.waitUntil(lambda: preview.page_label.text() == f"Page 2 of {count}")
    preview.go_to_page(count - 1)
    qtbot.waitUntil(lambda: preview.page_label.text() == f"Page {count} of {count}")
    assert not preview.next_button.isEnabled()
    preview.zoom.setCurrentIndex(preview.zoom.findData(150))
    qtbot.waitUntil(lambda: not preview.is_updating
                    and preview.page_images[0].width() > fit_width, timeout=20_000)
