"""The diagram as it reads in the full window: laid out for the view's own size, its text
at legible pixel sizes on a 1366×768 laptop, bands filling the height, nothing cut off or
pushed out of view, and on a 1920×1080 screen bands no taller than the cap, centred."""

from __future__ import annotations

from dataclasses import astuple

from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem, QGraphicsTextItem

from ui.funnel.editor import FunnelEditor
from ui.funnel.items import BandItem
from ui.funnel.layout import BAND_MAX, DiagramContent, lay_out, text_sizes
from ui.main_window import MainWindow

from .conftest import stage_named


def _funnel_screen(window: MainWindow, qtbot, size: tuple[int, int]) -> FunnelEditor:
    window.resize(*size)
    editor = window.areas.show_area("funnel")
    assert isinstance(editor, FunnelEditor)
    view = editor.view

    def laid_out_for_the_view() -> None:
        full = view.maximumViewportSize()  # the view's size less any scroll bar
        width, height = view.funnel.view_size
        assert height == full.height() and 0 <= full.width() - width <= 20

    qtbot.waitUntil(laid_out_for_the_view)
    return editor


def _on_screen_px(editor: FunnelEditor, item: QGraphicsItem) -> float:
    """The text's height in screen pixels: its font's pixel size times every scale
    between the item and the view's pixels."""
    scale = item.deviceTransform(editor.view.viewportTransform()).m22()
    return item.font().pixelSize() * scale


def _texts(editor: FunnelEditor) -> list[QGraphicsItem]:
    return [item for item in editor.view.funnel.items()
            if isinstance(item, QGraphicsSimpleTextItem | QGraphicsTextItem)]


def test_text_is_legible_on_a_1366_laptop(window, qtbot):
    editor = _funnel_screen(window, qtbot, (1366, 768))
    bands = list(editor.view.funnel.bands.values())
    assert len(bands) == 7
    names = [_on_screen_px(editor, band.name_item) for band in bands]
    subtitles = [_on_screen_px(editor, band.meta_item) for band in bands]
    assert min(names) >= 15
    assert min(subtitles) >= 11
    everything = _texts(editor)
    words = {item.text() if isinstance(item, QGraphicsSimpleTextItem)
             else item.toPlainText() for item in everything}
    assert {"Marketing", "No owner", "→ 60 %", "Disputed", "Hand-off"} <= words
    assert any(w.startswith("Not ready") for w in words)  # a recycle label
    assert min(_on_screen_px(editor, item) for item in everything) >= 11
    assert all(band.meta_item.text() == band.meta_item.text().rstrip("…") for band in bands)


def test_at_1366_the_bands_fill_the_height_and_everything_is_in_view(window, qtbot):
    editor = _funnel_screen(window, qtbot, (1366, 768))
    view, funnel = editor.view, editor.view.funnel
    viewport = view.viewport().rect()
    shown = view.mapToScene(viewport).boundingRect()
    assert shown.contains(funnel.itemsBoundingRect())  # no label or arrow cut off
    assert not view.horizontalScrollBar().isVisible()
    assert not view.verticalScrollBar().isVisible()
    shapes = funnel.shapes
    assert shapes[-1].bottom - shapes[0].top > 0.75 * viewport.height()


def test_at_1920_bands_stop_growing_and_the_funnel_is_centred(window, qtbot):
    editor = _funnel_screen(window, qtbot, (1920, 1080))
    view, funnel = editor.view, editor.view.funnel
    width, height = view.viewport().width(), view.viewport().height()
    assert all(shape.height <= BAND_MAX for shape in funnel.shapes)
    drawn = funnel.itemsBoundingRect()
    assert abs(drawn.left() - (width - drawn.right())) < 0.05 * width
    assert abs(drawn.top() - (height - drawn.bottom())) < 0.05 * height
    names = [_on_screen_px(editor, band.name_item) for band in funnel.bands.values()]
    assert min(names) >= 20  # a big screen gets bigger text, not just more air


def test_the_diagram_is_laid_out_again_when_the_window_resizes(window, qtbot):
    editor = _funnel_screen(window, qtbot, (1920, 1080))
    sql = stage_named(window.context.workbook, "Sales Qualified Lead")
    tall = editor.view.funnel.bands[sql].shape_info.height
    editor.select_stage(sql)  # the selection survives the relayout
    editor = _funnel_screen(window, qtbot, (1366, 768))
    band = editor.view.funnel.bands[sql]
    assert band.shape_info.height < tall
    assert band.selected
    assert _on_screen_px(editor, band.name_item) >= 15


def test_a_long_funnel_on_a_laptop_scrolls_rather_than_shrinks_its_text(window, qtbot):
    workbook = window.context.workbook
    for number in range(1, 7):
        window.context.perform(workbook.funnel.add_stage, f"Extra stage {number}",
                               position=number)
    editor = _funnel_screen(window, qtbot, (1366, 768))
    assert len(editor.view.funnel.bands) == 13
    assert min(_on_screen_px(editor, item) for item in _texts(editor)) >= 11
    qtbot.waitUntil(editor.view.verticalScrollBar().isVisible)
    qtbot.wait(50)  # time for a horizontal bar to show up, if one were needed
    assert not editor.view.horizontalScrollBar().isVisible()


def test_recycle_labels_wrap_into_the_margin_and_long_ones_are_cut_with_a_tooltip(
        window, qtbot):
    workbook = window.context.workbook
    long_label = ("Lost on price: back to nurture with a monthly newsletter, a webinar "
                  "invitation and a second look by the SDR team after ninety days")
    window.context.perform(workbook.funnel.add_recycle, stage_named(workbook, "Opportunity"),
                           stage_named(workbook, "Inquiry"), long_label)
    editor = _funnel_screen(window, qtbot, (1366, 768))
    labels = [item for item in _texts(editor) if isinstance(item, QGraphicsTextItem)]
    cut = next(item for item in labels if item.toolTip() == long_label)
    assert cut.toPlainText().endswith("…")
    view = editor.view
    assert view.mapToScene(view.viewport().rect()).boundingRect().contains(
        editor.view.funnel.itemsBoundingRect())
    assert not any(isinstance(item, BandItem) and item.collidesWithItem(cut)
                   for item in editor.view.funnel.items())


def test_text_sizes_grow_with_the_bands_and_never_drop_below_the_minimum(qapp):
    sizes = [text_sizes(height) for height in range(0, 200, 5)]
    assert all(s.name >= 16 and min(astuple(s)) >= 12 for s in sizes)
    assert [s.name for s in sizes] == sorted(s.name for s in sizes)
    assert sizes[-1].name > sizes[0].name


def test_a_short_funnel_in_a_tall_view_gets_capped_bands_centred_top_to_bottom(qapp):
    layout = lay_out(DiagramContent(3), 1200, 1000, "Band width: even")
    assert [shape.height for shape in layout.shapes] == [BAND_MAX] * 3
    above = layout.header_y
    below = layout.height - layout.shapes[-1].bottom
    assert abs(above - below) < 2
    assert layout.funnel_right - layout.funnel_left <= 1000


def test_a_funnel_made_hidden_is_laid_out_once_it_shows(qtbot, context, monkeypatch):
    """A screen is made before it is shown (at start, or a turn before its area comes up):
    its diagram waits, and is laid out when shown, for the size it shows at, not first
    for a default size it never has; a change while hidden is drawn when it shows."""
    from ui.funnel.scene import FunnelScene

    laid_out: list[tuple[float, float]] = []
    rebuild = FunnelScene._rebuild

    def counted(scene: FunnelScene) -> None:
        laid_out.append(scene.view_size)
        rebuild(scene)

    monkeypatch.setattr(FunnelScene, "_rebuild", counted)
    screen = FunnelEditor(context)
    qtbot.addWidget(screen)
    assert laid_out == [] and screen.view.funnel.bands == {}
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    assert laid_out and laid_out[-1] == screen.view.full_size()
    assert len(screen.view.funnel.bands) == len(context.workbook.funnel.stages())
    screen.hide()
    context.workbook.funnel.add_stage("Zoë's 李雷 <b>stage", position=2)
    screen.refresh()  # drawn when shown again, with the new stage
    screen.show()
    qtbot.waitExposed(screen)
    assert stage_named(context.workbook, "Zoë's 李雷 <b>stage") in screen.view.funnel.bands
    assert set(screen.view.funnel.bands) == {s.id for s in context.workbook.funnel.stages()}
