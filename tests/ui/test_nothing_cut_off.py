"""Text that used to be cut off at a laptop's 1366×768: the SLA's "No agreement yet" card,
the funnel's problems (one and a half rows), the forward check's working-out, the import
preview's column titles and stage names."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ui.context import AppContext
from ui.data.import_dialog import ImportDialog
from ui.main_window import MainWindow
from ui.plan.tables import ReadOnlyTable
from workbench.workbook import Workbook

FIXTURES = Path(__file__).parents[1] / "fixtures"


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def blank_window(window: MainWindow, blank_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "Zoë.awb"
    path.write_bytes(blank_path.read_bytes())
    assert window.open_path(path)


def test_the_no_agreement_card_shows_its_whole_sentence(
        window: MainWindow, blank_path: Path, tmp_path: Path) -> None:
    blank_window(window, blank_path, tmp_path)
    window.show_area("sla")
    settle()
    page = window.areas.current_page()
    assert page is not None
    sentence = next(label for label in page.findChildren(QLabel)
                    if label.text().startswith("Start the SLA:"))
    assert sentence.isVisible()
    assert sentence.height() >= sentence.heightForWidth(sentence.width())


def test_the_funnel_shows_three_problems_at_once_on_a_laptop(
        window: MainWindow, blank_path: Path, tmp_path: Path) -> None:
    blank_window(window, blank_path, tmp_path)  # a new workbook: many problems
    window.show_area("funnel")
    settle()
    problems = window.areas.current_page().checks.list  # type: ignore[union-attr]
    assert problems.count() > 3
    viewport = problems.viewport().rect()
    for row in range(3):
        assert viewport.contains(problems.visualItemRect(problems.item(row)))


def test_the_forward_check_shows_every_row_of_its_working_out_whole(
        window: MainWindow) -> None:
    window.show_area("plan")
    page = window.areas.current_page()
    page.tabs.setCurrentIndex(3)  # type: ignore[union-attr]
    settle()
    table: ReadOnlyTable = page.forward_panel.table  # type: ignore[union-attr]
    assert table.rowCount() > 3
    for row in range(table.rowCount()):
        assert table.rowHeight(row) >= table.sizeHintForRow(row)
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert table.viewport().height() >= rows  # no scrolling inside the card


def test_import_preview_titles_read_from_their_start_with_the_whole_title_as_tip(
        qtbot: QtBot, demo: Workbook) -> None:
    dialog = ImportDialog(AppContext(demo), FIXTURES / "hubspot_contacts.csv")
    qtbot.addWidget(dialog)
    dialog.resize(1000, 700)
    dialog.show()
    settle()
    from ui.data.import_mapping import RowsPreview, StageGlossaryTable

    preview = dialog.findChild(RowsPreview)
    header = preview.horizontalHeader()
    assert header.defaultAlignment() & header.defaultAlignment().AlignLeft
    titles = [preview.horizontalHeaderItem(c).toolTip() for c in range(preview.columnCount())]
    assert "Became a Marketing Qualified Lead Date" in titles
    stages = dialog.findChild(StageGlossaryTable)
    for row in range(stages.rowCount()):
        assert stages.rowHeight(row) >= stages.sizeHintForRow(row)  # wrapped, not "…"
