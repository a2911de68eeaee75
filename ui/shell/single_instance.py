"""One running app per user: a workbook double-clicked while the app runs opens in the
running app, and the second process exits.

The running app listens on a local socket named for this user (`server_name`). A second
start connects, sends one line of JSON (`{"open": "/path/ACME.awb", "demo": false}`) and
waits for "ok". No one listening: it becomes the listener and opens its own window. The
running app busy (no answer within `ANSWER_MS`): it opens its own window too, without
listening, so a stuck app never leaves the user with nothing.
"""

from __future__ import annotations

import enum
import getpass
import json
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCryptographicHash, QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

CONNECT_MS = 1000
ANSWER_MS = 3000
MAX_MESSAGE = 64 * 1024
ACCEPTED = b"ok\n"
REFUSED = b"refused\n"


def server_name() -> str:
    """The socket's name for this user (on Linux a file in the temporary folder)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password file
        user = str(Path.home())
    # SHA-256 by Qt's own (Python's hashlib would load OpenSSL as the app starts: 3 ms)
    digest = bytes(QCryptographicHash.hash(f"{user}\0{Path.home()}".encode(),
                                           QCryptographicHash.Algorithm.Sha256).toHex())[:16]
    return f"alignment-workbench-{digest.decode('ascii')}"


@dataclass(frozen=True)
class OpenRequest:
    """What a start asks for: a workbook (an absolute path), the demo, or just the app."""

    file: Path | None = None
    demo: bool = False

    def encode(self) -> bytes:
        message = {"open": str(self.file) if self.file is not None else None,
                   "demo": self.demo}
        return json.dumps(message).encode() + b"\n"

    @classmethod
    def decode(cls, line: bytes) -> OpenRequest | None:
        """The request in `line`, or None when it is not one of ours."""
        try:
            message = json.loads(line)
        except ValueError:
            return None
        if not isinstance(message, dict):
            return None
        file, demo = message.get("open"), message.get("demo", False)
        if not (file is None or isinstance(file, str)) or not isinstance(demo, bool):
            return None
        return cls(Path(file) if file else None, demo)


class HandOver(enum.Enum):
    """How handing a request to a running app went."""

    ACCEPTED = "the running app took it"
    NO_APP = "no app is running"
    NO_ANSWER = "an app is running but did not answer"


def hand_over(request: OpenRequest, name: str, *, connect_ms: int = CONNECT_MS,
              answer_ms: int = ANSWER_MS) -> HandOver:
    """Send `request` to the app listening on `name` and wait for its answer (blocking:
    this runs before the second process has a window or an event loop)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(connect_ms):
        timed_out = socket.error() == QLocalSocket.LocalSocketError.SocketTimeoutError
        return HandOver.NO_ANSWER if timed_out else HandOver.NO_APP
    try:
        socket.write(request.encode())
        deadline = time.monotonic() + answer_ms / 1000
        if not socket.waitForBytesWritten(answer_ms):
            return HandOver.NO_ANSWER
        while not socket.canReadLine():
            left = int((deadline - time.monotonic()) * 1000)
            if left <= 0 or not socket.waitForReadyRead(left):
                return HandOver.NO_ANSWER
        answer = bytes(socket.readLine().data())
        return HandOver.ACCEPTED if answer == ACCEPTED else HandOver.NO_ANSWER
    finally:
        socket.abort()


class WorkbookServer(QObject):
    """The running app's end: each request that arrives is emitted as `requested`."""

    requested = Signal(object)  # OpenRequest

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening. Call only when no app answered on the name: a socket file
        left by an app that crashed is then removed and the name taken over."""
        if self.server.listen(self.name):
            return True
        if self.server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            QLocalServer.removeServer(self.name)
            return self.server.listen(self.name)
        return False

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_MESSAGE:
                socket.write(REFUSED)
                socket.disconnectFromServer()
            return
        request = OpenRequest.decode(bytes(socket.readLine(MAX_MESSAGE).data()))
        socket.write(ACCEPTED if request is not None else REFUSED)
        socket.flush()
        socket.disconnectFromServer()
        if request is not None:
            self.requested.emit(request)


def serve_or_hand_over(request: OpenRequest, name: str, *, connect_ms: int = CONNECT_MS,
                       answer_ms: int = ANSWER_MS) -> tuple[HandOver, WorkbookServer | None]:
    """Hand `request` to a running app; when there is none, listen for later starts.

    ACCEPTED: this process has nothing more to do. NO_APP: the server returned listens
    (None if even that failed). NO_ANSWER: no server — the busy app keeps the name.
    """
    outcome = hand_over(request, name, connect_ms=connect_ms, answer_ms=answer_ms)
    if outcome is not HandOver.NO_APP:
        return outcome, None
    server = WorkbookServer(name)
    return outcome, (server if server.listen() else None)
