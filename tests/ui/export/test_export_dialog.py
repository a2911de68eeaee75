"""File → Export…: the preview shows the report's pages before anything is saved; Save
writes exactly that PDF and opens it when asked; a long build shows progress and can be
cancelled; problems are said in the preview; the menu offers it with Ctrl+E."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from tests.reports.pdf_checks import qpdf_check, text
from ui.context import AppContext
from ui.export import dialog as dialog_module
from ui.export import files, sources
from ui.export.dialog import ExportDialog
from ui.export.sources import PreparedExport
from workbench.workbook import Workbook


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Files the dialog opened "when done", instead of starting a viewer."""
    seen: list[Path] = []
    monkeypatch.setattr(dialog_module, "open_file", seen.append)
    return seen


def _dialog(qtbot: QtBot, workbook: Workbook, kind: str = "funnel") -> ExportDialog:
    dialog = ExportDialog(AppContext(workbook), kind=kind)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _built(qtbot: QtBot, dialog: ExportDialog) -> None:
    qtbot.waitUntil(lambda: dialog.result_pdf is not None, timeout=20_000)


@pytest.fixture
def funnel_dialog(qtbot: QtBot, demo: Workbook) -> Iterator[ExportDialog]:
    dialog = _dialog(qtbot, demo)
    _built(qtbot, dialog)
    yield dialog
    dialog.reject()


def test_the_preview_shows_every_page_before_saving(funnel_dialog: ExportDialog) -> None:
    result = funnel_dialog.result_pdf
    assert result is not None and result.pdf.startswith(b"%PDF")
    labels = funnel_dialog.preview.page_labels
    assert len(labels) == result.page_count == 3
    assert [label.accessibleName() for label in labels] == [
        "Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]
    assert labels[0].pixmap().width() > 500
    assert funnel_dialog.status.text().startswith("Funnel report, 2026Q3 · 3 pages")
    assert funnel_dialog.save_button.isEnabled()


def test_save_writes_the_previewed_pdf_and_opens_it(
        funnel_dialog: ExportDialog, tmp_path: Path, opened: list[Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    suggested: list[str] = []

    def ask(parent: object, caption: str, name: str, file_filter: str) -> Path:
        suggested.append(Path(name).name)
        return tmp_path / "out" / "report"

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(files, "ask_save_path", ask)
    path = funnel_dialog.save()
    assert path == tmp_path / "out" / "report.pdf"
    assert suggested == ["Brightline Logistics Software Funnel 2026Q3.pdf"]
    assert path.read_bytes() == funnel_dialog.result_pdf.pdf
    qpdf_check(path)
    assert "Funnel, 2026Q3" in text(path)
    assert opened == [path]
    assert sorted(p.name for p in path.parent.iterdir()) == ["report.pdf"]


def test_without_open_when_done_nothing_is_opened(
        funnel_dialog: ExportDialog, tmp_path: Path, opened: list[Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "ask_save_path", lambda *args: tmp_path / "f.pdf")
    funnel_dialog.open_when_done.setChecked(False)
    assert funnel_dialog.save() == tmp_path / "f.pdf"
    assert opened == []


def test_choosing_the_qbr_and_a_quarter_rebuilds_the_preview(
        qtbot: QtBot, funnel_dialog: ExportDialog) -> None:
    funnel_dialog.kind_box.setCurrentIndex(funnel_dialog.kind_box.findData("qbr"))
    assert not funnel_dialog.save_button.isEnabled()  # the funnel's PDF is gone
    assert funnel_dialog.through_box.isHidden()  # a QBR covers one quarter
    funnel_dialog.quarter_box.setCurrentIndex(funnel_dialog.quarter_box.findText("2025Q4"))
    _built(qtbot, funnel_dialog)
    assert funnel_dialog.status.text().startswith("Quarterly business review, 2025Q4")
    assert len(funnel_dialog.preview.page_labels) == funnel_dialog.result_pdf.page_count > 4


def test_a_range_of_quarters_for_the_funnel(qtbot: QtBot, funnel_dialog: ExportDialog) -> None:
    funnel_dialog.quarter_box.setCurrentIndex(funnel_dialog.quarter_box.findText("2025Q2"))
    _built(qtbot, funnel_dialog)
    assert funnel_dialog.status.text().startswith("Funnel report, 2025Q2–2026Q3")


def test_the_sla_is_delegated_to_the_sla_export(qtbot: QtBot, demo: Workbook) -> None:
    dialog = _dialog(qtbot, demo, kind="sla")
    _built(qtbot, dialog)
    assert dialog.quarter_box.isHidden()
    assert dialog.status.text().startswith("SLA version 1 (draft)")
    dialog.reject()


def test_a_problem_is_said_in_the_preview(qtbot: QtBot, blank: Workbook) -> None:
    dialog = _dialog(qtbot, blank, kind="sla")
    qtbot.waitUntil(lambda: "no SLA yet" in dialog.preview.message.text(), timeout=5000)
    assert not dialog.save_button.isEnabled()
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("qbr"))
    qtbot.waitUntil(lambda: dialog.preview.message.text() == "Choose a quarter.", timeout=5000)
    dialog.reject()


def _slow_build(progress: object) -> bytes:
    for step in range(400):
        progress(step / 400, "Laying out pages")  # type: ignore[operator]
        time.sleep(0.01)
    return b""


def test_a_long_build_shows_progress_and_cancel_stops_it(
        qtbot: QtBot, demo: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialog_module, "prepare",
                        lambda *args: PreparedExport("Slow", "slow.pdf", _slow_build))
    dialog = _dialog(qtbot, demo)
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=5000)
    assert dialog.progress.isVisible() and dialog.cancel_button.isVisible()
    assert dialog.status.text() == "Laying out pages"
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.is_building(), timeout=5000)
    assert dialog.status.text() == "Cancelled: nothing was built."
    assert not dialog.save_button.isEnabled() and dialog.result_pdf is None
    assert not dialog.progress.isVisible()
    dialog.reject()


def test_a_failed_build_is_reported(qtbot: QtBot, demo: Workbook,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(progress: object) -> bytes:
        raise ValueError("no fonts")

    monkeypatch.setattr(dialog_module, "prepare",
                        lambda *args: PreparedExport("Broken", "b.pdf", broken))
    dialog = _dialog(qtbot, demo)
    qtbot.waitUntil(lambda: "could not be built" in dialog.preview.message.text(), timeout=5000)
    assert dialog.preview.message.text() == "The report could not be built: no fonts"
    dialog.reject()


def test_file_menu_offers_export_with_ctrl_e(window: object,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[AppContext] = []
    monkeypatch.setattr(dialog_module, "show_export_dialog",
                        lambda context, parent=None: shown.append(context))
    action = window.menus.export_action  # type: ignore[attr-defined]
    assert action.text() == "&Export…" and action.isEnabled()
    assert action.shortcut() == QKeySequence("Ctrl+E")
    assert action in window.menus.file_menu.actions()  # type: ignore[attr-defined]
    action.trigger()
    assert shown == [window.context]  # type: ignore[attr-defined]
    window.close_workbook()  # type: ignore[attr-defined]
    assert not action.isEnabled()


def test_the_kinds_offered(qtbot: QtBot, demo: Workbook) -> None:
    dialog = _dialog(qtbot, demo)
    offered = [dialog.kind_box.itemText(i) for i in range(dialog.kind_box.count())]
    assert offered == [label for _, label, _ in sources.KINDS] == [
        "Funnel chart PDF", "Quarterly business review PDF", "SLA PDF (newest version)",
        "Workshop report PDF"]
    dialog.reject()


def test_a_qbr_waits_for_the_open_pipeline_and_never_prints_it_pending(
        qtbot: QtBot, demo: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    """At a size where the open pipeline is worked out off the GUI thread, the QBR waits
    for it (and says so) and is built with the figures, not "being worked out"."""
    from reports import qbr_data
    from workbench.planning import lead_pipeline

    monkeypatch.setattr(lead_pipeline, "DEFER_FROM", 0)  # the demo's leads count as many
    checks = []

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        check = forward_check(*args, **kwargs)
        checks.append(check)
        return check

    forward_check = qbr_data.forward_check
    monkeypatch.setattr(qbr_data, "forward_check", spy)
    context = AppContext(demo)
    context.figures.prefetch()  # as opening the workbook does: the reading has begun
    assert context.figures.busy
    dialog = ExportDialog(context, kind="qbr")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.rebuild()
    assert dialog.prepared is None  # waiting, not printing "—"
    _built(qtbot, dialog)
    assert checks and not any(check.pending for check in checks)
    dialog.reject()


def test_a_build_that_reports_every_step_moves_the_bar_a_few_times_and_still_cancels(
        qtbot: QtBot) -> None:
    """A report's layout says how far it is after every paragraph; each word to the window
    cost it a repaint. The window hears when the step changes and when the bar has moved,
    at most every 50 ms, and Cancel is still checked at every step."""
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    from ui.export.jobs import BuildJob

    def build(progress) -> bytes:  # noqa: ANN001
        progress(0.0, "Reading the workbook")
        for step in range(20_000):
            progress(step / 20_000, "Laying out pages (pass 1)")
        progress(0.99, "Finishing")
        out = BytesIO()
        page = Canvas(out)
        page.drawString(72, 720, "One page")
        page.save()
        return out.getvalue()

    told: list[tuple[int, str]] = []
    job = BuildJob(build, 400)
    job.progressed.connect(lambda percent, text: told.append((percent, text)))
    with qtbot.waitSignal(job.finished, timeout=20_000):
        job.start()
    qtbot.waitUntil(lambda: told and told[-1] == (100, "Ready"))
    texts = [text for _, text in told]
    assert texts[0] == "Reading the workbook" and "Finishing" in texts
    assert len(told) < 200  # not 20,000
    percents = [p for p, t in told if t.startswith("Laying out")]
    assert percents == sorted(percents)

    cancelled: list[bool] = []

    def endless(progress) -> bytes:  # noqa: ANN001
        while True:
            progress(0.5, "Laying out pages (pass 1)")

    stopping = BuildJob(endless, 400)
    stopping.cancelled.connect(lambda: cancelled.append(True))
    stopping.start()
    stopping.cancel()
    qtbot.waitUntil(lambda: cancelled == [True], timeout=10_000)
    stopping.wait()
