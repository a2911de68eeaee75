"""Marketing says / Sales says, and the CRM names, in the side panel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QTableWidget

from workbench.model import Agreement

from .conftest import click_band, stage_named


def test_both_teams_proposals_show_side_by_side(editor, demo):
    click_band(editor, stage_named(demo, "Sales Qualified Lead"))
    proposals = editor.panel.proposals
    assert proposals.says["marketing"].text() == "A lead that has had a first meeting with sales."
    assert proposals.says["sales"].text().startswith("A lead with confirmed budget")
    assert proposals.status.currentText() == "Disputed"
    assert editor.panel.agreement_chip.text() == "Disputed"


def test_tabs_opened_later_show_the_stage_selected_meanwhile(editor, demo):
    """The Proposals and CRM names tabs are made when first opened: they must show the
    stage chosen before that, and follow the selection after."""
    click_band(editor, stage_named(demo, "Sales Qualified Lead"))
    tabs = editor.panel.tabs
    tabs.setCurrentIndex(1)
    says = tabs.currentWidget().findChildren(QPlainTextEdit)
    assert "A lead that has had a first meeting with sales." in [s.toPlainText() for s in says]
    tabs.setCurrentIndex(2)
    table = tabs.currentWidget().findChild(QTableWidget)
    shown = {table.item(row, 1).text() for row in range(table.rowCount())
             if table.item(row, 1) is not None}
    sql = demo.funnel.stage(stage_named(demo, "Sales Qualified Lead"))
    assert shown and shown == {alias for _, alias in demo.funnel.aliases(sql.id)}
    click_band(editor, stage_named(demo, "Customer"))
    assert not editor.panel.proposals.adopt["marketing"].isEnabled()
    assert editor.panel.title.text() == "Customer"


def test_adopting_sales_wording_agrees_the_stage(editor, demo, context):
    sql = stage_named(demo, "Sales Qualified Lead")
    click_band(editor, sql)
    proposals = editor.panel.proposals
    proposals.adopt["sales"].click()
    stage = demo.funnel.stage(sql)
    assert stage.definition == proposals.says["sales"].text()
    assert stage.agreement is Agreement.AGREED
    assert proposals.agreed.text() == stage.definition
    assert proposals.status.currentText() == "Agreed"
    assert demo.undo_name == "Adopt sales' definition"
    context.perform(demo.undo)
    assert demo.funnel.stage(sql).agreement is Agreement.DISPUTED
    assert proposals.status.currentText() == "Disputed"


def test_a_team_without_a_proposal_cannot_be_adopted(editor, demo):
    click_band(editor, stage_named(demo, "Customer"))
    assert not editor.panel.proposals.adopt["marketing"].isEnabled()


def test_editing_a_proposal_stores_it_when_leaving_the_field(editor, demo, qtbot):
    inquiry = stage_named(demo, "Inquiry")
    click_band(editor, inquiry)
    editor.panel.tabs.setCurrentIndex(1)
    says = editor.panel.proposals.says["marketing"]
    says.setFocus()
    qtbot.keyClicks(says, "Anyone who gives us an e-mail address.")
    qtbot.keyClick(says, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert demo.funnel.proposals(inquiry)["marketing"].text == \
        "Anyone who gives us an e-mail address."
    assert editor.panel.proposals.adopt["marketing"].isEnabled()


def test_a_merged_text_becomes_the_agreed_definition(editor, demo, qtbot):
    sql = stage_named(demo, "Sales Qualified Lead")
    click_band(editor, sql)
    proposals = editor.panel.proposals
    assert not proposals.use_merged.isEnabled()
    proposals.merged.setFocus()
    qtbot.keyClicks(proposals.merged, "First meeting held and BANT confirmed.")
    proposals.use_merged.click()
    stage = demo.funnel.stage(sql)
    assert stage.definition == "First meeting held and BANT confirmed."
    assert stage.agreement is Agreement.AGREED
    assert proposals.merged.text() == ""


def test_crm_names_are_listed_added_and_removed(editor, demo, qtbot):
    sal = stage_named(demo, "Sales Accepted Lead")
    click_band(editor, sal)
    panel = editor.panel.crm_names
    assert panel.table.rowCount() == 2
    panel.add_button.click()
    row = panel.table.rowCount() - 1
    panel.table.item(row, 0).setText("Pipedrive")
    assert demo.funnel.aliases(sal) == [("HubSpot", "Sales Accepted Lead"),
                                        ("Salesforce", "Working - Contacted")]
    panel.table.item(row, 1).setText("Accepted")
    assert ("Pipedrive", "Accepted") in demo.funnel.aliases(sal)
    panel.table.selectRow(0)
    panel.remove_button.click()
    assert demo.funnel.aliases(sal) == [("Pipedrive", "Accepted"),
                                        ("Salesforce", "Working - Contacted")]


def test_a_crm_name_used_by_another_stage_is_refused_under_the_table(editor, demo):
    sal = stage_named(demo, "Sales Accepted Lead")
    click_band(editor, sal)
    panel = editor.panel.crm_names
    panel.add_button.click()
    row = panel.table.rowCount() - 1
    panel.table.item(row, 0).setText("Salesforce")
    panel.table.item(row, 1).setText("Qualified")
    assert panel.row.error.isVisible()
    assert "already maps to the stage “Sales Qualified Lead”" in panel.row.error.text()
    assert ("Salesforce", "Qualified") not in demo.funnel.aliases(sal)
    assert panel.table.rowCount() == 3  # the typing stays to be corrected
