"""Serving a `PhoneSession` on the room's network with waitress, and the QR code that
takes a phone there (segno). Off until started; bound to the one address chosen; stopped
when the session ends. Nothing here reaches beyond that address."""

from __future__ import annotations

import io
import logging
import threading

import segno
from waitress import wasyncore
from waitress.server import create_server

from .phone_answers import MAX_BODY, PhoneSession

STOP_WAIT = 5.0  # seconds to wait for the server's thread to end


class PhoneServer:
    """The session's questionnaire served on `host` (an IPv4 address of this machine)."""

    def __init__(self, session: PhoneSession, host: str, port: int = 0) -> None:
        self.session = session
        logging.getLogger("waitress").setLevel(logging.ERROR)
        self._server = create_server(
            session, host=host, port=port, threads=2, ident="workshop",
            max_request_body_size=MAX_BODY, connection_limit=60, channel_timeout=30,
            expose_tracebacks=False, clear_untrusted_proxy_headers=True)
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        """The questionnaire's address, as the QR code gives it."""
        return f"http://{self.host}:{self.port}{self.session.path}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.run, name="phone answers",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the session and close every socket (on the server's own thread)."""
        self.session.close()
        server = self._server
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))  # type: ignore[attr-defined]
        if self._thread is not None:
            self._thread.join(STOP_WAIT)
        server.task_dispatcher.shutdown()  # type: ignore[attr-defined]


def qr_png(text: str, scale: int = 10) -> bytes:
    """`text` (an address) as a QR code PNG, black on white with the quiet zone."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
