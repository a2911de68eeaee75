"""Answers from phones on the Workshop screen: `PhoneRoom` runs one `PhoneSession` on the
chosen address of this machine (off until started), hands each answer that arrives to the
GUI thread, and stops the server when asked, when the workbook is closed, when the screen
goes and when the app quits. `PhonePanel` is the tab: the address to serve on, Start and
Stop, the QR code and address to put on the projector, and what arrived."""

from __future__ import annotations

import functools
import queue
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.present.canvas import LARGE, Canvas, Slide
from ui.present.window import PresenterWindow
from ui.shell.blocks import card, note
from ui.shell.flow import flow_row
from workbench.phone_answers import PhoneAnswer, PhoneSession
from workbench.workshop_questions import Question

if TYPE_CHECKING:  # the server's libraries load when a session starts
    from workbench.phone_server import PhoneServer

DRAIN_MS = 250  # how often the GUI thread takes the answers that arrived
LOOPBACK = ("127.0.0.1", "127.0.0.1 — this computer only")


def local_addresses() -> list[tuple[str, str]]:
    """This machine's IPv4 addresses on running interfaces, as (address, label); the
    loopback address only when there is no other."""
    found = []
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if not (flags & QNetworkInterface.InterfaceFlag.IsUp
                and flags & QNetworkInterface.InterfaceFlag.IsRunning):
            continue
        for entry in interface.addressEntries():
            ip = entry.ip()
            if ip.protocol() != QAbstractSocket.NetworkLayerProtocol.IPv4Protocol \
                    or ip.isLoopback():
                continue
            found.append((ip.toString(), f"{ip.toString()} — {interface.humanReadableName()}"))
    return found or [LOOPBACK]


def _stop(server: PhoneServer) -> None:
    if server.running or server.session.is_open:
        server.stop()


class PhoneRoom(QObject):
    """One phone session at a time; `arrived(PhoneAnswer)` on the GUI thread."""

    arrived = Signal(object)
    stopped = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server: PhoneServer | None = None
        self._timer = QTimer(self, interval=DRAIN_MS)
        self._timer.timeout.connect(self.drain)

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    def start(self, host: str, questions: Sequence[Question]) -> PhoneServer:
        """Serve the questionnaire on `host` under a new token (raises OSError when the
        address cannot be used)."""
        from workbench.phone_server import PhoneServer

        self.stop()
        server = PhoneServer(PhoneSession(questions), host)
        server.start()
        self.server = server
        stop = functools.partial(_stop, server)  # holds the server, not this object
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(stop)
        self.destroyed.connect(stop)
        self._timer.start()
        return server

    def stop(self) -> None:
        if self.server is None:
            return
        server, self.server = self.server, None
        self._timer.stop()
        _stop(server)
        self._drain(server)  # what arrived before the end is still stored
        self.stopped.emit()

    def set_questions(self, questions: Sequence[Question]) -> None:
        if self.server is not None:
            self.server.session.set_questions(questions)

    def drain(self) -> None:
        if self.server is not None:
            self._drain(self.server)

    def _drain(self, server: PhoneServer) -> None:
        while True:
            try:
                answer = server.session.inbox.get_nowait()
            except queue.Empty:
                return
            self.arrived.emit(answer)


class PhonePanel(QWidget):
    """The Phones tab. Emits `start_requested(address)` and `stop_requested()`."""

    start_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hosts = QComboBox()
        self.hosts.setAccessibleName("Network address to serve on")
        self.hosts.setMinimumWidth(280)
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(
            lambda: self.start_requested.emit(str(self.hosts.currentData())))
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self.stop_requested)
        self.project_button = QPushButton("Show on projector")
        self.project_button.clicked.connect(self.show_on_projector)
        self.state = note("Off. Nothing is served until you start.", "muted")
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(260, 260)
        self.address = QLabel()
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.received = note("", "muted")
        self.png = b""
        self.projector: PresenterWindow | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(card(
            "Answers from phones", note(
                "Participants answer on their phones, on this room's network: the laptop "
                "serves the questionnaire itself and nothing leaves the room. Choose the "
                "network the phones are on, start, and put the QR code on the projector."),
            flow_row(QLabel("Serve on"), self.hosts, right=(
                self.start_button, self.stop_button, self.project_button)),
            self.state, self.qr, self.address, self.received, stretch=self.qr))
        self.fill_hosts(local_addresses())
        self.show_stopped()

    def fill_hosts(self, hosts: Sequence[tuple[str, str]]) -> None:
        self.hosts.clear()
        for address, label in hosts:
            self.hosts.addItem(label, address)

    def show_running(self, address: str, png: bytes) -> None:
        self.png = png
        self.qr.setPixmap(QPixmap.fromImage(QImage.fromData(png)).scaled(
            260, 260, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation))
        self.address.setText(address)
        self.state.setText("Taking answers: each one is stored as it arrives (Edit → Undo "
                           "takes it back). Stop when everyone has answered.")
        for widget in (self.qr, self.address):
            widget.show()
        self._enable(True)

    def show_stopped(self, text: str = "Off. Nothing is served until you start.") -> None:
        self.png = b""
        self.qr.clear()
        self.address.clear()
        for widget in (self.qr, self.address):
            widget.hide()
        self.state.setText(text)
        if self.projector is not None:
            self.projector.close()
        self._enable(False)

    def _enable(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.hosts.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.project_button.setEnabled(running)

    def show_on_projector(self) -> None:
        """The QR code and address full screen, for the room."""
        if not self.png:
            return
        if self.projector is not None:
            self.projector.deleteLater()
        self.projector = PresenterWindow("Workshop", [qr_slide(
            self.png, self.address.text())].copy, self)
        self.projector.showFullScreen()
        self.projector.activateWindow()


def qr_slide(png: bytes, address: str) -> Slide:
    """A slide of the QR code as large as the room needs, the address under it."""
    image = QImage.fromData(png)

    def paint(canvas: Canvas, rect: QRectF) -> None:
        line = canvas.line_height(LARGE, True)
        side = min(rect.width(), rect.height() - line - canvas.px(10))
        target = QRectF(rect.center().x() - side / 2, rect.top(), side, side)
        canvas.painter.drawImage(target, image)
        canvas.text(QRectF(rect.left(), target.bottom() + canvas.px(10), rect.width(), line),
                    address, LARGE, bold=True, wrap=False, align=Qt.AlignmentFlag.AlignCenter)

    return Slide("Answer on your phone", paint,
                 "On this room's network: the answers go to this laptop and nowhere else.")


__all__ = ["PhoneAnswer", "PhonePanel", "PhoneRoom", "local_addresses"]
