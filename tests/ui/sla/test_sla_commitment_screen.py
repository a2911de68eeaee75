"""The SLA screen names the quarter whose committed plan is missing — in the term's facts,
the wording the PDF prints and the check — refuses export until a plan is committed, and
shows the plan's own figure once it is."""

from __future__ import annotations

from pathlib import Path

from ui.context import AppContext
from ui.shell.undo import undo_last_step
from ui.sla.screen import SlaScreen
from ui.sla.terms import TermEditor
from workbench.plan import committed_mql_commitment

from ...workbench.snapshot import dump

MISSING = "No committed plan for 2026Q4."


def _leads(screen: SlaScreen) -> TermEditor:
    return next(e for e in screen.editor.term_editors.values() if e.key == "leads_committed")


def _extend_into_2026q4(screen: SlaScreen, context: AppContext) -> None:
    context.perform(context.workbook.sla.set_details, screen.version_id,
                    effective_to="2026-12-31")


def test_a_quarter_without_a_plan_is_named_and_export_is_refused(
        qtbot, screen: SlaScreen, context: AppContext, tmp_path: Path) -> None:
    _extend_into_2026q4(screen, context)
    leads = _leads(screen)
    assert ("2026Q4", f"— {MISSING}") in leads.fact_texts()
    assert leads.filled.text().startswith(
        "In the PDF: Marketing delivers — marketing qualified leads per month (— per quarter)")
    assert any(MISSING in text for text in screen.editor.readiness.texts())
    assert not screen.export_button.isEnabled() and not screen.sign_button.isEnabled()
    assert "quarter" not in " ".join(leads.parameters)  # no "latest plan" picker any more
    before = dump(context.workbook)
    screen.export_pdf(tmp_path / "sla.pdf")
    assert screen.notice.text().startswith("Not exported")
    assert not (tmp_path / "sla.pdf").exists() and dump(context.workbook) == before


def test_committing_the_missing_plan_shows_its_figure(qtbot, screen: SlaScreen,
                                                      context: AppContext) -> None:
    workbook = context.workbook
    _extend_into_2026q4(screen, context)
    _, quarter = context.perform(workbook.plan.add_quarter, "2026Q4")
    stages = workbook.funnel.stages()
    context.perform(workbook.plan.add_plan, quarter, "Winter plan", revenue_goal=960_000,
                    avg_deal_size=60_000, committed=True,
                    conversions={s.id: 0.5 for s in stages[:-1]})
    figure = committed_mql_commitment(workbook, quarter)
    assert figure is not None
    facts = dict(_leads(screen).fact_texts())
    assert facts["2026Q4"].startswith(f"{figure:,} MQLs")
    assert not any(MISSING in text for text in screen.editor.readiness.texts())
    # The check names each quarter's monthly figure, not the first quarter's alone.
    ready = next(t for t in screen.editor.readiness.texts() if "Required terms are set" in t)
    assert f"{-(-figure // 3):,} in 2026Q4" in ready or f"{figure // 3:,} in 2026Q4" in ready
    assert "in 2026Q3" in ready
    assert screen.export_button.isEnabled()
    undo_last_step(context)  # the plan goes again, and so does the figure
    assert ("2026Q4", f"— {MISSING}") in _leads(screen).fact_texts()
    assert not screen.export_button.isEnabled()
