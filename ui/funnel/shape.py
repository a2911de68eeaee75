"""The funnel's shape: how wide each band is and where it sits, as plain numbers.

Band widths follow the volumes the committed plan of the latest planned quarter needs at
each stage (reverse funnel), on a log scale so a 30,000-visit top and a 15-customer
bottom both stay readable; without a usable plan the bands narrow evenly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.errors import ValidationError
from workbench.model import Stage

if TYPE_CHECKING:
    from workbench.workbook import Workbook

FUNNEL_WIDTH = 1000.0   # scene units of the widest band
BAND_HEIGHT = 74.0
GAP = 36.0              # room between bands for the conversion target
TOP = 92.0              # room above the first band for the legend
NARROWEST = 0.40        # the narrowest band, as a share of the widest: names must still fit


@dataclass(frozen=True)
class PlanVolumes:
    """Volumes needed per stage (top first), or None, with a caption saying where from."""

    volumes: list[int] | None
    caption: str


@dataclass(frozen=True)
class BandShape:
    """Where one stage's band sits: a trapezoid centred on x = `centre`."""

    index: int
    top: float
    top_width: float
    bottom_width: float
    height: float = BAND_HEIGHT
    centre: float = FUNNEL_WIDTH / 2

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def middle(self) -> float:
        return self.top + self.height / 2

    def half_at_middle(self) -> float:
        """Half the band's width at its middle height."""
        return (self.top_width + self.bottom_width) / 4

    def left_at_middle(self) -> float:
        return self.centre - self.half_at_middle()

    def right_at_middle(self) -> float:
        return self.centre + self.half_at_middle()


def plan_volumes(workbook: Workbook, stages: list[Stage]) -> PlanVolumes:
    """Stage volumes from the committed plan of the latest quarter that has one.

    A stage the plan has no conversion for uses its own target conversion; when a rate is
    still missing, or there is no committed plan with a goal and deal size, there are no
    volumes and the bands narrow evenly.
    """
    even = PlanVolumes(None, "Band width: even (no committed plan to size it)")
    if len(stages) < 2:
        return even
    quarters = {q.id: q for q in workbook.plan.quarters()}
    committed = [p for p in workbook.plan.plans() if p.committed and p.quarter_id in quarters]
    if not committed:
        return even
    plan = max(committed, key=lambda p: quarters[p.quarter_id].start_date)
    if not plan.revenue_goal or not plan.avg_deal_size:
        return even
    rates = workbook.plan.conversions(plan.id)
    conversions = [rates.get(s.id, s.target_conversion) for s in stages[:-1]]
    if any(rate is None or not 0 < rate <= 1 for rate in conversions):
        return even
    try:
        from workbench.plan import reverse_funnel  # loaded with the plan's figures

        volumes = reverse_funnel(plan.revenue_goal, plan.avg_deal_size, conversions)
    except ValidationError:
        return even
    label = quarters[plan.quarter_id].label
    return PlanVolumes(volumes, f"Band width: volume needed per stage, {label} · {plan.name}")


def band_widths(count: int, volumes: list[int] | None,
                widest: float = FUNNEL_WIDTH) -> list[float]:
    """The top width of each band, widest first; log-scaled volumes, else even steps."""
    if count <= 0:
        return []
    narrowest = widest * NARROWEST
    if volumes is None or len(volumes) != count:
        if count == 1:
            return [widest]
        step = (widest - narrowest) / (count - 1)
        return [widest - i * step for i in range(count)]
    logs = [math.log10(max(v, 1)) for v in volumes]
    high, low = max(logs), min(logs)
    span = high - low or 1.0
    return [narrowest + (widest - narrowest) * (value - low) / span for value in logs]


def band_shapes(count: int, volumes: list[int] | None, *, widest: float = FUNNEL_WIDTH,
                centre: float = FUNNEL_WIDTH / 2, top: float = TOP,
                height: float = BAND_HEIGHT, gap: float = GAP) -> list[BandShape]:
    """Every band's place, top to bottom; each narrows to the next band's width."""
    widths = band_widths(count, volumes, widest)
    shapes = []
    for index, width in enumerate(widths):
        below = widths[index + 1] if index + 1 < count else width * 0.92
        shapes.append(BandShape(index, top + index * (height + gap), width,
                                max(below, width * 0.8), height, centre))
    return shapes


def slot_for(y: float, shapes: list[BandShape], moving: int) -> int:
    """The position a band dragged to scene height `y` lands in (0 = top).

    Counts the other bands whose middle lies above `y`.
    """
    return sum(1 for shape in shapes if shape.index != moving and shape.middle < y)
