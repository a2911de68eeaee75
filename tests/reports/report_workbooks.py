"""Edge workbooks for the report tests, built only through `Workbook` methods: 40 stages,
200-character stage names, 60 quarters, a quarter with no data at all, and random text in
every field a user can type."""

from __future__ import annotations

from workbench.model import Owner, QuarterId, StageId
from workbench.workbook import Workbook

from .user_text import FieldTexts

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


def fill_every_field(workbook: Workbook, texts: FieldTexts) -> None:
    """Type `texts` into the workbook: the company, the first three stages' names and
    texts, a source's actuals in the latest quarter, the latest SLA version's title,
    review cadence, escalation wording, a new clause and its first signatory, the
    committed plan's name and the first scoring rule's label. Values the workbook would
    refuse (empty, too long) get a short prefix or are cut, as a user would fix them."""
    workbook.set_properties(company_name=f"Co {texts.company}")
    stages = workbook.funnel.stages()
    for number, (stage, name, definition) in enumerate(
            zip(stages, texts.stage_names, texts.definitions, strict=False), start=1):
        workbook.funnel.update_stage(
            stage.id, name=f"{number} {' '.join(name.split())}"[:200], definition=definition,
            entry_criteria=texts.entry_criteria, exit_criteria=texts.exit_criteria)
    quarter = workbook.plan.quarters()[-1]
    workbook.actuals.set_actual(quarter.id, stages[0].id, f"Src {texts.source}", 1234)
    version_id = workbook.sla.versions()[-1].id
    workbook.sla.set_details(version_id, title=f"SLA {texts.sla_title}",
                             review_cadence=f"Every {texts.review_cadence}")
    workbook.sla.set_parameter(version_id, "escalation", texts.escalation)
    workbook.sla.add_clause(version_id, f"Clause {texts.clause_title}", texts.clause_body)
    signatory = workbook.sla.signatories(version_id)[0]
    workbook.sla.update_signatory(signatory.id, name=f"N {texts.signatory_name}"[:30],
                                  title=texts.signatory_title[:30])
    plan = next(p for p in workbook.plan.plans() if p.committed)
    workbook.plan.update_plan(plan.id, name=f"Plan {texts.plan_name}"[:100])
    rule = workbook.scoring.rules()[0]
    workbook.scoring.update_rule(rule.id, label=texts.rule_label)
