"""Edge workbooks for the report tests, built only through `Workbook` methods: 40 stages,
200-character stage names, 60 quarters, and a quarter with no data at all."""

from __future__ import annotations

from workbench.model import Owner, QuarterId, StageId
from workbench.workbook import Workbook

SOURCES = ("Paid search", "Webinar", "Outbound SDR")


def long_name(index: int) -> str:
    """A unique 200-character stage name with markup-looking text in it."""
    head = f"Stage {index:02d} <b>R&D</b> pilot accounts in the DACH & Benelux region "
    filler = "qualified by the regional team with a signed letter of intent "
    return (head + filler * 4)[:199] + "Z"


def add_stages(workbook: Workbook, total: int) -> list[StageId]:
    """Grow the funnel to `total` stages: the first third marketing, the middle sales,
    the rest shared, each with a definition."""
    for number in range(len(workbook.funnel.stages()), total):
        workbook.funnel.add_stage(f"Extra stage {number + 1}")
    stages = workbook.funnel.stages()
    for index, stage in enumerate(stages):
        owner = (Owner.MARKETING if index < total // 3 else
                 Owner.SALES if index < total - 2 else Owner.SHARED)
        workbook.funnel.update_stage(stage.id, owner=owner,
                                     definition=f"What stage {index + 1} means.",
                                     exit_criteria=f"Leaves when stage {index + 2} begins.")
    return [s.id for s in workbook.funnel.stages()]


def rename_long(workbook: Workbook) -> list[str]:
    """Give every stage a 200-character name; returns the names in funnel order."""
    for index, stage in enumerate(workbook.funnel.stages()):
        workbook.funnel.rename_stage(stage.id, long_name(index + 1))
    return [s.name for s in workbook.funnel.stages()]


def add_quarter_with_data(workbook: Workbook, label: str, *, scale: int = 100_000,
                          attainment: float = 0.9) -> QuarterId:
    """A quarter with a committed plan (75 % conversion between stages, a goal the actual
    customers reach `attainment` of) and actuals that fall 25 % per stage, split over
    three sources."""
    _, quarter_id = workbook.plan.add_quarter(label)
    stages = workbook.funnel.stages()
    counts, count = [], scale
    for _ in stages:
        counts.append([max(count // (number + 2), 1) for number in range(len(SOURCES))])
        count = max(int(count * 0.75), 3)
    goal = round(sum(counts[-1]) * 50_000 / attainment, -3)
    workbook.plan.add_plan(quarter_id, "Base plan", revenue_goal=goal, avg_deal_size=50_000,
                           committed=True, conversions={s.id: 0.75 for s in stages[:-1]})
    for stage, shares in zip(stages, counts, strict=True):
        for source, share in zip(SOURCES, shares, strict=True):
            value = share * 50_000.0 if stage is stages[-1] else 0.0
            workbook.actuals.set_actual(quarter_id, stage.id, source, share, value)
    return quarter_id


def forty_stages(workbook: Workbook) -> QuarterId:
    """40 stages and one quarter with data."""
    add_stages(workbook, 40)
    return add_quarter_with_data(workbook, "2026Q3")


def long_named(workbook: Workbook) -> QuarterId:
    """The classic funnel with 200-character names and one quarter with data."""
    add_stages(workbook, len(workbook.funnel.stages()))
    rename_long(workbook)
    return add_quarter_with_data(workbook, "2026Q3")


def sixty_quarters(workbook: Workbook) -> list[QuarterId]:
    """60 quarters (2012Q1…2026Q4), each with a plan and actuals."""
    add_stages(workbook, len(workbook.funnel.stages()))
    labels = [f"{year}Q{q}" for year in range(2012, 2027) for q in range(1, 5)]
    return [add_quarter_with_data(workbook, label, scale=20_000 + 500 * i,
                                  attainment=0.8 + (i % 5) * 0.08)
            for i, label in enumerate(labels)]
