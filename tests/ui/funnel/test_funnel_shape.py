"""The funnel's shape and the units people type, without a window."""

from __future__ import annotations

import pytest

from ui.funnel.shape import band_shapes, band_widths, plan_volumes, slot_for
from ui.funnel.units import max_time_label, parse_hours, parse_percent, percent_label


def test_bands_narrow_with_the_committed_plans_volumes(demo):
    volumes = plan_volumes(demo, demo.funnel.stages())
    assert volumes.volumes is not None and volumes.volumes[-1] == 15  # 900,000 ÷ 60,000
    assert "2026Q3" in volumes.caption
    widths = band_widths(7, volumes.volumes)
    assert widths == sorted(widths, reverse=True) and widths[0] > 2 * widths[-1]


def test_without_a_plan_the_bands_narrow_evenly(blank):
    volumes = plan_volumes(blank, blank.funnel.stages())
    assert volumes.volumes is None and "even" in volumes.caption
    widths = band_widths(5, None)
    steps = {round(a - b, 6) for a, b in zip(widths, widths[1:], strict=False)}
    assert len(steps) == 1


def test_a_dragged_band_lands_between_the_bands_it_is_dropped_between():
    shapes = band_shapes(5, None)
    assert slot_for(shapes[3].middle + 1, shapes, moving=0) == 3
    assert slot_for(shapes[0].top, shapes, moving=4) == 0
    assert slot_for(shapes[2].middle - 1, shapes, moving=2) == 2


@pytest.mark.parametrize(("hours", "label"), [
    (None, "No time limit"), (24, "≤ 24 h"), (72, "≤ 3 d"), (336, "≤ 14 d"), (100, "≤ 4.2 d"),
])
def test_time_limits_read_in_hours_then_days(hours, label):
    assert max_time_label(hours) == label


def test_typed_percentages_and_hours_become_what_the_core_stores():
    assert parse_percent("70") == pytest.approx(0.7)
    assert parse_percent(" 2,5 % ") == pytest.approx(0.025)
    assert parse_percent("") is None
    assert parse_percent("lots") == "lots"  # left for the core to refuse
    assert percent_label(0.026) == "2.6"
    assert parse_hours("3 d") == 72 and parse_hours("24h") == 24 and parse_hours("") is None
    assert parse_hours("soon") == "soon"
