"""The Plan screen's slides: the reverse funnel of the scenario in view (what each stage
must deliver this quarter and a month), how each volume is worked out, and where the
quarter stands against its goal (the forward check, "—" and why while it is read)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from workbench.figure_text import format_count, format_money, format_percent
from workbench.model import Plan
from workbench.planning.forward import ForwardCheck
from workbench.planning.reverse import FunnelPlan

from .canvas import BODY, LARGE, Canvas, Painter, Slide, message_slide
from .charts import Tile, paint_rows, paint_tiles

SHORT_ROUNDING = ("Customers = revenue goal ÷ average deal size; each stage above = the "
                  "next ÷ its conversion rate, rounded up to whole leads.")


def plan_slides(plan: Plan | None, quarter: str, funnel: FunnelPlan | None, currency: str,
                check: ForwardCheck | None) -> list[Slide]:
    """The scenario's reverse funnel, its arithmetic, then the forward check."""
    if plan is None:
        return [message_slide("Plan", f"No plan for {quarter or 'this quarter'} yet: add one "
                              "on the Plan screen.")]
    goal = (f"Goal {format_money(plan.revenue_goal, currency)} ÷ average deal "
            f"{format_money(plan.avg_deal_size, currency)}")
    slides = [Slide(f"Volume needed — {plan.name}, {quarter}", _volumes(funnel, goal),
                    _problem(funnel) or SHORT_ROUNDING),
              Slide(f"How each volume is worked out, {quarter}", _arithmetic(funnel),
                    "Per month = the quarter's volume ÷ 3, rounded up.")]
    if check is not None:
        slides.append(forward_slide(check))
    return slides


def _problem(funnel: FunnelPlan | None) -> str:
    if funnel is None:
        return "No volumes: the plan cannot be worked out."
    errors = funnel.errors
    return f"Volumes “—”: {errors[0].message}" if errors else ""


def _volumes(funnel: FunnelPlan | None, goal: str) -> Painter:
    def paint(canvas: Canvas, rect: QRectF) -> None:
        used = canvas.text(QRectF(rect.left(), rect.top(), rect.width(),
                                  canvas.line_height(BODY) * 1.3), goal, BODY, bold=True,
                           wrap=False)
        rows = [(s.name, format_count(s.volume), format_count(s.per_month),
                 format_percent(s.conversion) if s.conversion is not None else "")
                for s in (funnel.stages if funnel else ())]
        paint_rows(canvas, QRectF(rect.left(), used.bottom() + canvas.px(12), rect.width(),
                                  rect.bottom() - used.bottom() - canvas.px(12)),
                   ("Stage", "This quarter", "A month", "Converts on"), rows,
                   (0.4, 0.2, 0.2, 0.2))

    return paint


def _arithmetic(funnel: FunnelPlan | None) -> Painter:
    def paint(canvas: Canvas, rect: QRectF) -> None:
        stages = list(reversed(funnel.stages)) if funnel else []
        if not stages:
            canvas.text(rect, "Nothing to work out yet.", LARGE, role="muted",
                        align=Qt.AlignmentFlag.AlignCenter)
            return
        row = min(rect.height() / len(stages), canvas.line_height(BODY) * 1.5)
        for index, stage in enumerate(stages):
            text = stage.arithmetic if stage.volume is not None else \
                f"— ({stage.reason or 'not worked out'})"
            top = rect.top() + index * row
            canvas.text(QRectF(rect.left(), top, rect.width() * 0.38, row), stage.name, BODY,
                        bold=True, wrap=False, align=Qt.AlignmentFlag.AlignLeft
                        | Qt.AlignmentFlag.AlignVCenter)
            canvas.text(QRectF(rect.left() + rect.width() * 0.39, top, rect.width() * 0.61,
                               row), text, BODY, wrap=False,
                        align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    return paint


def forward_slide(check: ForwardCheck) -> Slide:
    """Where the quarter stands against its goal, as the forward check judges it; "—" and
    why while the leads are still being read."""
    title, value, detail = check.headline
    role = "muted" if value == "—" else check.status.colour

    def paint(canvas: Canvas, rect: QRectF) -> None:
        paint_tiles(canvas, QRectF(rect.left() + rect.width() * 0.2, rect.top(),
                                   rect.width() * 0.6, rect.height()),
                    [Tile(title, value, detail, role)])

    return Slide(f"Where {check.quarter} stands", paint, check.summary)
