"""The dashboard's slides for a quarter: its key figures, plan vs actual per stage, the
weighted pipeline against the goal (the forward check) and SLA compliance — the chart data
the screen draws. A figure still being read from the leads is "—" with why; the slides
redraw when it is ready."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from workbench.chartdata import BarChart
from workbench.planning.dashboard import DashboardData

from .canvas import Canvas, Painter, Slide, message_slide
from .charts import Tile, paint_bars, paint_tiles


def dashboard_slides(data: DashboardData | None, empty: str) -> list[Slide]:
    """The quarter's slides, or one saying why there are none (`empty`)."""
    if data is None:
        return [message_slide("Dashboard", empty)]
    tiles = [Tile(k.title, k.value, k.detail, "muted" if k.value == "—" else k.status.colour)
             for k in data.kpis]

    def figures(canvas: Canvas, rect: QRectF) -> None:
        paint_tiles(canvas, rect, tiles)

    waiting = [f"{t.title}: {t.detail}" for t in tiles if t.value == "—"]
    slides = [Slide(f"Key figures, {data.quarter}", figures,
                    "“—”: " + "; ".join(waiting) if waiting else
                    "Each figure as the dashboard and the QBR show it.")]
    for chart in (data.plan_vs_actual, data.pipeline_vs_goal, data.sla_compliance):
        slides.append(Slide(chart.title, _bars(chart), chart.note))
    return slides


def _bars(chart: BarChart) -> Painter:
    def paint(canvas: Canvas, rect: QRectF) -> None:
        paint_bars(canvas, rect, chart)

    return paint
