"""Every core mutation outside the funnel, as a user would make it on the demo workbook,
with what the user would then see. Shared by the undo, change-log and crash tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbench.model import (
    PersonaId,
    PlanId,
    Quadrant,
    QuarterId,
    RuleId,
    SalesCapacity,
    SlaVersionId,
    StageId,
    Trait,
)
from workbench.templates import demo_source
from workbench.workbook import Workbook

FIRST_RULE_LABEL = demo_source()["scoring"]["rules"][0]["label"]


def _stage(wb: Workbook, key: str) -> StageId:
    stage = wb.funnel.stage_by_key(key)
    assert stage is not None
    return stage.id


def _last_quarter(wb: Workbook) -> QuarterId:
    return wb.plan.quarters()[-1].id


def _plan(wb: Workbook, name: str) -> PlanId:
    return next(p.id for p in wb.plan.plans(_last_quarter(wb)) if p.name == name)


def _draft(wb: Workbook) -> SlaVersionId:
    return wb.sla.versions()[0].id


def _first_rule(wb: Workbook) -> RuleId:
    return wb.scoring.rules()[0].id


def _persona(wb: Workbook) -> PersonaId:
    return wb.scoring.personas.personas()[0].id


@dataclass(frozen=True)
class Mutation:
    """One mutation as a user would make it, and what they would then see."""

    step: str
    area: str
    act: Callable[[Workbook], object]
    shows: Callable[[Workbook], bool]


MUTATIONS: dict[str, Mutation] = {
    "set_properties": Mutation(
        "Edit workbook properties", "properties",
        lambda wb: wb.set_properties(company_name="Northwind", currency="gbp"),
        lambda wb: (wb.properties().company_name, wb.properties().currency) == ("Northwind", "GBP"),
    ),
    "add_rule": Mutation(
        "Add scoring rule", "scoring",
        lambda wb: wb.scoring.add_rule(kind="fit", attribute="country", operator="equals",
                                       value="DE", points=15, label="German"),
        lambda wb: wb.scoring.rules()[-1].label == "German",
    ),
    "update_rule": Mutation(
        "Edit scoring rule", "scoring",
        lambda wb: wb.scoring.update_rule(_first_rule(wb), points=99),
        lambda wb: wb.scoring.rules()[0].points == 99,
    ),
    "delete_rule": Mutation(
        "Delete scoring rule", "scoring",
        lambda wb: wb.scoring.delete_rule(_first_rule(wb)),
        lambda wb: FIRST_RULE_LABEL not in [r.label for r in wb.scoring.rules()],
    ),
    "set_thresholds": Mutation(
        "Change MQL threshold", "scoring",
        lambda wb: wb.scoring.set_thresholds(mql_threshold=75),
        lambda wb: wb.scoring.settings().mql_threshold == 75,
    ),
    "add_model": Mutation(
        "Add scoring model", "scoring",
        lambda wb: wb.scoring.add_model("Yard software 倉庫", copy_of=wb.scoring.model().id),
        lambda wb: [m.name for m in wb.scoring.models()][-1:] == ["Yard software 倉庫"]
        and len(wb.scoring.rules(wb.scoring.models()[-1].id)) == len(wb.scoring.rules()),
    ),
    "set_quadrant": Mutation(
        "Change the MQL rule", "scoring",
        lambda wb: wb.scoring.set_quadrant("nurture", counts_as_mql=False),
        lambda wb: not wb.scoring.quadrants()[Quadrant.NURTURE].counts_as_mql,
    ),
    "agree_quadrant_action": Mutation(
        "Agree quadrant action", "scoring",
        lambda wb: wb.scoring.set_quadrant("qualify", action="SDR calls within 2 days <b>"),
        lambda wb: wb.scoring.quadrants()[Quadrant.QUALIFY].action == "SDR calls within 2 days <b>",
    ),
    "set_capacity": Mutation(
        "Change sales capacity", "scoring",
        lambda wb: wb.scoring.set_capacity(hours_per_mql="2,5", rep_hours_per_month="1,200"),
        lambda wb: wb.scoring.capacity() == SalesCapacity(2.5, 1200.0),
    ),
    "add_persona": Mutation(
        "Add buyer persona", "scoring",
        lambda wb: wb.scoring.personas.add_persona("مدير المشتريات"),
        lambda wb: "مدير المشتريات" in [p.name for p in wb.scoring.personas.personas()],
    ),
    "agree_trait": Mutation(
        "Agree pains", "scoring",
        lambda wb: wb.scoring.personas.agree(_persona(wb), "pains", "Späte Lieferungen 🚚"),
        lambda wb: wb.scoring.personas.traits(_persona(wb))[Trait.PAINS].agreed
        == "Späte Lieferungen 🚚",
    ),
    "add_quarter": Mutation(
        "Add quarter", "plan",
        lambda wb: wb.plan.add_quarter("2026Q4"),
        lambda wb: wb.plan.quarters()[-1].start_date == "2026-10-01",
    ),
    "add_plan": Mutation(
        "Add plan", "plan",
        lambda wb: wb.plan.add_plan(_last_quarter(wb), "Cautious", revenue_goal=500_000,
                                    avg_deal_size=50_000, committed=True),
        lambda wb: [p.name for p in wb.plan.plans(_last_quarter(wb)) if p.committed]
        == ["Cautious"],
    ),
    "update_plan": Mutation(
        "Change revenue goal", "plan",
        lambda wb: wb.plan.update_plan(_plan(wb, "Base plan"), revenue_goal=1_234_000),
        lambda wb: wb.plan.plans(_last_quarter(wb))[0].revenue_goal == 1_234_000,
    ),
    "set_conversion": Mutation(
        "Change plan conversion", "plan",
        lambda wb: wb.plan.set_conversion(_plan(wb, "Base plan"), _stage(wb, "mql"), 0.9),
        lambda wb: wb.plan.conversions(_plan(wb, "Base plan"))[_stage(wb, "mql")] == 0.9,
    ),
    "set_yearly_goal": Mutation(
        "Edit the year's quick plan", "plan",
        lambda wb: wb.plan.set_yearly_goal(2027, revenue_goal=10_000_000,
                                           last_year_customers=160),
        lambda wb: (wb.plan.yearly_goal(2027).revenue_goal,
                    wb.plan.yearly_goal(2027).last_year_customers) == (10_000_000, 160),
    ),
    "record_exceptions": Mutation(
        "Record definition exceptions", "sla",
        lambda wb: wb.sla.record_exceptions(_draft(wb), {"sql": "Settled by 31 Oct."}),
        lambda wb: wb.sla.exceptions(_draft(wb)) == {"sql": "Settled by 31 Oct."},
    ),
    "commit_plan": Mutation(
        "Commit plan", "plan",
        lambda wb: wb.plan.commit_plan(_plan(wb, "Stretch: MQL→SAL 80 %")),
        lambda wb: [p.name for p in wb.plan.plans(_last_quarter(wb)) if p.committed]
        == ["Stretch: MQL→SAL 80 %"],
    ),
    "set_actual": Mutation(
        "Edit actuals", "data",
        lambda wb: wb.actuals.set_actual(_last_quarter(wb), _stage(wb, "sal"), "Webinar", 4321),
        lambda wb: any(a.count == 4321 and a.source == "Webinar"
                       for a in wb.actuals.for_quarter(_last_quarter(wb))),
    ),
    "new_version": Mutation(
        "New SLA version", "sla",
        lambda wb: wb.sla.new_version(),
        lambda wb: [v.number for v in wb.sla.versions()] == [1, 2]
        and len(wb.sla.terms(wb.sla.versions()[1].id)) == len(wb.sla.terms(_draft(wb)))
        and len(wb.sla.signatories(wb.sla.versions()[1].id)) == 2,
    ),
    "set_term (existing)": Mutation(
        "Edit SLA term", "sla",
        lambda wb: wb.sla.set_term(_draft(wb), wb.sla.terms(_draft(wb))[0].key, "Volume",
                                   "Marketing delivers 900 MQLs."),
        lambda wb: wb.sla.terms(_draft(wb))[0].body == "Marketing delivers 900 MQLs.",
    ),
    "set_term (new clause)": Mutation(
        "Edit SLA term", "sla",
        lambda wb: wb.sla.set_term(_draft(wb), "escalation", "Escalation", "To the CRO."),
        lambda wb: wb.sla.terms(_draft(wb))[-1].title == "Escalation",
    ),
    "add_signatory": Mutation(
        "Add signatory", "sla",
        lambda wb: wb.sla.add_signatory(_draft(wb), "Ana Lima", "CEO", "shared"),
        lambda wb: [s.name for s in wb.sla.signatories(_draft(wb))][-1] == "Ana Lima",
    ),
    "record_decision": Mutation(
        "Record decision", "workshop",
        lambda wb: wb.workshop.record_decision("First touch within 24 h", "both VPs"),
        lambda wb: "First touch within 24 h" in [d.text for d in wb.workshop.decisions()],
    ),
    "record_linked_decision": Mutation(
        "Record decision", "workshop",
        lambda wb: wb.workshop.record_decision("MQL = fit A/B <b>and</b> intent 🚀",
                                               owner="Zoë Ærø", settles=("stage", "mql")),
        lambda wb: [(d.owner, d.settles_key) for d in wb.workshop.decisions()][-1:]
        == [("Zoë Ærø", "mql")],
    ),
    "edit_decision": Mutation(
        "Edit decision", "workshop",
        lambda wb: wb.workshop.edit_decision(_decision(wb), text="首次跟进 24 小时内",
                                             owner="销售副总裁", settles=("question",
                                                                     "follow_up_hours")),
        lambda wb: wb.workshop.decisions()[0].text == "首次跟进 24 小时内",
    ),
    "remove_decision": Mutation(
        "Remove decision", "workshop",
        lambda wb: wb.workshop.remove_decision(_decision(wb)),
        lambda wb: "Sales calls every new MQL" not in wb.workshop.decisions()[0].text,
    ),
    "record_answers": Mutation(
        "Record answers", "workshop",
        lambda wb: wb.workshop.record_participant("sales", {"follow_up_hours": "36",
                                                            "mql_definition": "طلب عرض"}),
        lambda wb: sum(a.answer == "طلب عرض" for a in wb.workshop.answers()) == 1,
    ),
    "remove_answers": Mutation(
        "Remove answers", "workshop",
        lambda wb: wb.workshop.remove_participant(wb.workshop.participants()[0].id),
        lambda wb: len(wb.workshop.participants()) == 8,
    ),
    "edit_question": Mutation(
        "Edit workshop question", "workshop",
        lambda wb: wb.workshop.edit_question("same_goal", text="Nous visons <i>le même</i> but"),
        lambda wb: wb.workshop.question("same_goal").text == "Nous visons <i>le même</i> but",
    ),
}



def _decision(wb: Workbook) -> int:
    """The demo's one decision."""
    return wb.workshop.decisions()[0].id
