"""Answers from phones on the Workshop screen: Start serves the questionnaire on the chosen
address and shows its QR code and address; an answer sent from a phone (here: urllib on
127.0.0.1) is stored as one undoable step; Stop ends the session and the address stops
answering; closing the workbook stops it too."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from PySide6.QtCore import Qt

from ui.context import AppContext
from ui.shell.undo import undo_last_step
from ui.workshop import phones
from ui.workshop.screen import WorkshopScreen
from workbench.model import Team
from workbench.workbook import Workbook


@pytest.fixture
def screen(qtbot, demo: Workbook, monkeypatch) -> WorkshopScreen:
    # Tests talk to this machine's loopback address only.
    monkeypatch.setattr(phones, "local_addresses", lambda: [phones.LOOPBACK])
    widget = WorkshopScreen(AppContext(demo))
    qtbot.addWidget(widget)
    widget.resize(1040, 660)
    widget.show()
    widget.show_tab("phones")
    yield widget
    widget.phone_room.stop()


def send(address: str, session_set: str, **fields: str) -> bytes:
    data = urlencode({"set": session_set, **fields}).encode()
    with urllib.request.urlopen(address + "answers", data=data, timeout=10) as reply:
        return reply.read()


def test_phone_addresses_leave_out_loopback_unless_alone() -> None:
    found = phones.local_addresses()
    assert found and all(not a.startswith("127.") for a, _ in found) or found == [
        phones.LOOPBACK]


def test_start_shows_the_qr_code_and_address_then_answers_arrive_and_undo(
        qtbot, screen: WorkshopScreen) -> None:
    panel, wb = screen.phones, screen.context.workbook
    assert panel.qr.isHidden() and not panel.stop_button.isEnabled()
    assert "Nothing is served" in panel.state.text()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    server = screen.phone_room.server
    assert server is not None and server.running
    assert panel.address.text() == server.address
    assert server.address.startswith("http://127.0.0.1:") and server.session.token in \
        server.address
    assert not panel.qr.pixmap().isNull() and panel.qr.isVisible()
    before = len(wb.workshop.participants())
    page = send(server.address, server.session.question_set, side="sales", name="Łukasz 🚀",
                q_same_goal="2", q_follow_up_hours="99999999")
    assert b"Stored 1 answer for sales." in page
    qtbot.waitUntil(lambda: len(wb.workshop.participants()) == before + 1, timeout=10_000)
    person = wb.workshop.participants()[-1]
    assert (person.team, person.name, person.answered) == (Team.SALES, "Łukasz 🚀", 1)
    assert "1 participant answered from phones" in panel.received.text()
    assert screen.counts.text().endswith("6 sales participants")
    undo_last_step(screen.context)
    assert len(wb.workshop.participants()) == before
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert screen.phone_room.server is None and not server.running
    assert not server.session.is_open and panel.qr.isHidden()
    assert panel.state.text().startswith("Stopped: 1 participant")
    with pytest.raises(OSError):
        send(server.address, server.session.question_set, side="sales", q_same_goal="2")


def test_answers_for_reworded_questions_are_sent_back(qtbot, screen: WorkshopScreen) -> None:
    qtbot.mouseClick(screen.phones.start_button, Qt.MouseButton.LeftButton)
    server = screen.phone_room.server
    old_set = server.session.question_set
    screen.save_question("same_goal", "Do we share <one> goal?", "Focus and time horizon")
    assert server.session.question_set != old_set
    with pytest.raises(urllib.error.HTTPError) as refused:
        send(server.address, old_set, side="sales", q_same_goal="2")
    assert refused.value.code == 409


def test_the_projector_shows_the_qr_code_full_screen(qtbot, screen: WorkshopScreen) -> None:
    qtbot.mouseClick(screen.phones.start_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.phones.project_button, Qt.MouseButton.LeftButton)
    shown = screen.phones.projector
    assert shown is not None and shown.isFullScreen()
    assert shown.slide_title() == "Answer on your phone"
    qtbot.waitUntil(lambda: shown.drawn is not None)
    assert screen.phone_room.server.address in [r.text for r in shown.drawn.runs]
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.isVisible()


def test_closing_the_workbook_stops_the_server(qtbot, screen: WorkshopScreen) -> None:
    qtbot.mouseClick(screen.phones.start_button, Qt.MouseButton.LeftButton)
    server = screen.phone_room.server
    screen.context.set_workbook(None)
    assert not server.running and not server.session.is_open
    assert screen.phones.start_button.isEnabled()


def test_the_server_stops_when_the_screen_goes(qtbot, demo: Workbook, monkeypatch) -> None:
    monkeypatch.setattr(phones, "local_addresses", lambda: [phones.LOOPBACK])
    widget = WorkshopScreen(AppContext(demo))
    widget.show()
    widget.start_phones("127.0.0.1")
    server = widget.phone_room.server
    assert server is not None and server.running
    widget.deleteLater()
    qtbot.waitUntil(lambda: not server.running)
    assert not server.session.is_open
