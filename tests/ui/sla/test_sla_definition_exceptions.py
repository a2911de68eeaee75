"""The SLA screen's readiness check lists every definition not agreed by both teams; Sign
off stays disabled until the teams agree it or record an exception (Record exceptions…)."""

from __future__ import annotations

import pytest

import ui.sla.editor as editor_module
from ui.context import AppContext
from ui.shell.undo import undo_last_step
from ui.sla.screen import SlaScreen


def readiness(screen: SlaScreen) -> list[str]:
    return screen.editor.readiness.texts()


def test_an_exception_recorded_in_the_dialog_lets_the_teams_sign(
        qtbot, screen: SlaScreen, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = context.workbook
    version_id = workbook.sla.versions()[-1].id
    assert any(text.startswith("“Sales Qualified Lead” is disputed between the teams: "
                               "signed with the recorded exception") for text in readiness(screen))
    context.perform(workbook.sla.record_exceptions, version_id, {"sql": ""})
    assert "“Sales Qualified Lead” is disputed between the teams: agree it in the Funnel " \
           "area, or record an exception before signing." in readiness(screen)
    assert not screen.sign_button.isEnabled()
    assert screen.editor.readiness.exceptions_button.isVisible()
    asked: list[tuple[tuple[str, str, str, str], ...]] = []

    def answer(parent: object, unagreed: tuple[tuple[str, str, str, str], ...]) -> dict:
        asked.append(unagreed)
        return {"sql": "Sales' wording until the review on 30 Sep — signed by Zoë & 李雷"}

    monkeypatch.setattr(editor_module, "ask_exceptions", answer)
    screen.editor.readiness.exceptions_button.click()
    assert asked == [(("sql", "Sales Qualified Lead", "is disputed between the teams", ""),)]
    assert workbook.sla.exceptions(version_id) == {
        "sql": "Sales' wording until the review on 30 Sep — signed by Zoë & 李雷"}
    assert not any("agree it in the Funnel area" in text for text in readiness(screen))
    undo_last_step(context)  # Edit → Undo takes the exception back
    assert workbook.sla.exceptions(version_id) == {}
    assert not screen.sign_button.isEnabled()


def test_with_every_definition_agreed_the_check_says_so(
        qtbot, screen: SlaScreen, context: AppContext) -> None:
    workbook = context.workbook
    sql = next(s for s in workbook.funnel.stages() if s.key == "sql")
    context.perform(workbook.funnel.merge_definition, sql.id, sql.definition)
    assert "Every stage's definition is written and agreed by both teams." in readiness(screen)
    assert not screen.editor.readiness.exceptions_button.isVisible()
