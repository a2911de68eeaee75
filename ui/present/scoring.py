"""The scoring sandbox's slides: the 2×2 at the model's thresholds with how many leads land
in each quadrant and what is agreed for them, then what the MQL cut means (MQLs a month,
what they became, the sales hours they need). While the leads are scored on a worker
thread the counts are "—" and the caption says so; the slides redraw when scoring ends."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPen

from workbench.model import Quadrant, QuadrantRule, SalesCapacity, ScoringModel
from workbench.score_figures import CutFigures, Share
from workbench.scoring import QUADRANT_NAMES

from .canvas import BODY, FIGURE, SMALL, Canvas, Painter, Slide, colour
from .charts import DASH, Tile, paint_tiles

# Where each quadrant sits: interest up, fit to the right (as on the Scoring screen).
POSITIONS = {Quadrant.QUALIFY: (0, 0), Quadrant.SALES_NOW: (0, 1),
             Quadrant.NO_ACTION: (1, 0), Quadrant.NURTURE: (1, 1)}


def share_text(share: Share) -> str:
    return DASH if share.rate is None else f"{share.rate:.1%}"


def scoring_slides(model: ScoringModel, quadrants: dict[Quadrant, QuadrantRule],
                   capacity: SalesCapacity, figures: CutFigures | None,
                   pending: str, hours: str = "—") -> list[Slide]:
    """The 2×2 and the cut's figures; `pending` says what is being worked out when
    `figures` is None; `hours` fills an action's {follow_up_hours}, as in the SLA."""
    s = model.settings
    rule = (f"Model “{model.name}”: MQL at {s.mql_threshold:,} points; fit from "
            f"{s.fit_threshold:,}, interest from {s.interest_threshold:,}.")
    counted = (f"{pending} The counts follow when it is done." if figures is None else
               f"{figures.leads:,} leads scored.")
    actions = {q: r.action.replace("{follow_up_hours}", hours) for q, r in quadrants.items()}
    return [Slide(f"The 2×2 at {s.mql_threshold:,} points",
                  _quadrants(quadrants, actions, figures),
                  f"{rule} {counted}"),
            Slide("What this MQL cut means", _cut(capacity, figures, pending),
                  "From the imported leads: what leads above the threshold became."
                  if figures is not None else pending)]


def _quadrants(quadrants: dict[Quadrant, QuadrantRule], actions: dict[Quadrant, str],
               figures: CutFigures | None) -> Painter:
    def paint(canvas: Canvas, rect: QRectF) -> None:
        axis = canvas.px(44)
        grid = rect.adjusted(axis, 0, 0, -axis)
        gap = canvas.px(14)
        width, height = (grid.width() - gap) / 2, (grid.height() - gap) / 2
        p = canvas.painter
        for quadrant, (row, column) in POSITIONS.items():
            box = QRectF(grid.left() + column * (width + gap), grid.top() + row * (height + gap),
                         width, height)
            rule = quadrants.get(quadrant)
            mql = rule is not None and rule.counts_as_mql
            p.setPen(QPen(colour("accent" if mql else "rule"), canvas.px(4 if mql else 2)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(box, canvas.px(10), canvas.px(10))
            inner = box.adjusted(canvas.px(16), canvas.px(8), -canvas.px(16), -canvas.px(8))
            title = QUADRANT_NAMES[quadrant] + ("  · MQL" if mql else "")
            line = canvas.line_height(BODY, True)
            canvas.text(QRectF(inner.left(), inner.top(), inner.width(), line), title, BODY,
                        bold=True, role="accent" if mql else "ink", wrap=False)
            count = figures.quadrants.get(quadrant) if figures is not None else None
            big = canvas.line_height(FIGURE, True)
            canvas.text(QRectF(inner.left(), inner.top() + line, inner.width(), big),
                        DASH if count is None else f"{count:,} leads", FIGURE, bold=True,
                        role="muted" if count is None else "ink", wrap=False)
            canvas.text(QRectF(inner.left(), inner.top() + line + big, inner.width(),
                               inner.bottom() - inner.top() - line - big),
                        actions.get(quadrant) or "No action agreed", SMALL,
                        role="ink" if actions.get(quadrant) else "muted")
        canvas.text(QRectF(grid.left(), grid.bottom() + canvas.px(4), grid.width(), axis),
                    "Fit →", SMALL, bold=True, role="muted", wrap=False,
                    align=Qt.AlignmentFlag.AlignCenter)
        p.save()
        p.translate(rect.left() + axis / 2, grid.center().y())
        p.rotate(-90)
        canvas.text(QRectF(-grid.height() / 2, -axis / 2, grid.height(), axis), "Interest →",
                    SMALL, bold=True, role="muted", wrap=False,
                    align=Qt.AlignmentFlag.AlignCenter)
        p.restore()

    return paint


def cut_tiles(capacity: SalesCapacity, figures: CutFigures | None, pending: str) -> list[Tile]:
    """The cut's four figures as tiles, "—" with the reason where one is not known."""
    if figures is None:
        return [Tile(title, DASH, pending, "muted") for title in (
            "MQLs a month", "Became opportunities", "Became customers", "Sales capacity")]
    if figures.mqls_per_month is None:
        mqls = Tile("MQLs a month", DASH, "no leads to count", "muted")
    else:
        mqls = Tile("MQLs a month", f"{figures.mqls_per_month:,.1f}",
                    f"{figures.mqls:,} MQLs over {len(figures.months)} months")
    tiles = [mqls]
    for title, share in (("Became opportunities", figures.became_opportunity),
                         ("Became customers", figures.became_customer)):
        tiles.append(Tile(title, share_text(share), share.reason or "of these MQLs",
                          "muted" if share.rate is None else "ink"))
    if figures.hours_needed is None or figures.capacity_per_month is None:
        tiles.append(Tile("Sales capacity", DASH, figures.capacity_reason, "muted"))
    else:
        over = bool(figures.mqls_per_month and figures.mqls_per_month
                    > figures.capacity_per_month)
        tiles.append(Tile("Sales capacity", f"{figures.hours_needed:,.0f} h a month",
                          f"{'over' if over else 'within'} the reps' "
                          f"{capacity.rep_hours_per_month or 0:,.0f} h", "bad" if over
                          else "good"))
    return tiles


def _cut(capacity: SalesCapacity, figures: CutFigures | None, pending: str) -> Painter:
    tiles = cut_tiles(capacity, figures, pending)

    def paint(canvas: Canvas, rect: QRectF) -> None:
        paint_tiles(canvas, rect, tiles)

    return paint
