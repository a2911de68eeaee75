"""One app per user: a second start hands its workbook to the running app over a local
socket and exits 0; a running app that does not answer leaves the second start its own
window. Each test listens on a name of its own, never the user's."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.shell.single_instance import (
    HandOver,
    OpenRequest,
    WorkbookServer,
    serve_or_hand_over,
    server_name,
)

ROOT = Path(__file__).resolve().parents[2]
SECOND_START = """
import sys
from pathlib import Path
import ui.app
ui.app.server_name = lambda: sys.argv[1]
sys.exit(ui.app.run_app(Path(sys.argv[2]) if sys.argv[2] else None, demo=False))
"""


OWN_WINDOW = """
import sys
import time
from PySide6.QtWidgets import QApplication
import ui.app
ui.app.server_name = lambda: sys.argv[1]
ui.app.launch = lambda file, demo, **_: print("own window on", file)
QApplication.exec = staticmethod(lambda: 0)
started = time.monotonic()
status = ui.app.run_app(None, demo=False)
print(f"after {time.monotonic() - started:.1f} s")
sys.exit(status)
"""


@pytest.fixture
def name() -> str:
    return f"aw-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def server(name: str) -> WorkbookServer:
    listening = WorkbookServer(name)
    assert listening.listen()
    yield listening
    listening.close()


def start_second(name: str, file: Path | None, cwd: Path = ROOT) -> subprocess.Popen[str]:
    """`alignment-workbench FILE` started again, as a desktop would on a double-click."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", SECOND_START, name, str(file or "")],
                            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finish(qtbot: QtBot, process: subprocess.Popen[str]) -> int:
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=60_000)
    return process.returncode


def test_a_request_reads_back_and_anything_else_is_refused() -> None:
    request = OpenRequest(Path("/tmp/Zoë Müller GmbH.awb"), demo=False)
    assert OpenRequest.decode(request.encode()) == request
    assert OpenRequest.decode(OpenRequest(demo=True).encode()) == OpenRequest(None, True)
    for junk in (b"GET / HTTP/1.1\n", b"[1, 2]\n", b'{"open": 3}\n', b'{"demo": "yes"}\n'):
        assert OpenRequest.decode(junk) is None


def test_the_server_name_is_the_same_for_each_start_of_this_user() -> None:
    assert server_name() == server_name()
    assert server_name().startswith("alignment-workbench-")


def test_a_second_start_hands_its_workbook_over_and_exits_0(
        qtbot: QtBot, server: WorkbookServer, name: str, tmp_path: Path) -> None:
    (tmp_path / "ACME.awb").write_bytes(b"")
    with qtbot.waitSignal(server.requested, timeout=60_000) as received:
        second = start_second(name, Path("ACME.awb"), cwd=tmp_path)  # relative, as typed
    assert finish(qtbot, second) == 0, second.stderr.read() if second.stderr else ""
    assert received.args == [OpenRequest(tmp_path / "ACME.awb", demo=False)]


def test_the_running_window_switches_to_the_workbook_handed_over(
        qtbot: QtBot, window: MainWindow, server: WorkbookServer, name: str,
        demo_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "Other client.awb"
    shutil.copy(demo_file, other)
    server.requested.connect(window.open_requested)
    second = start_second(name, other)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Other client — "), timeout=60_000)
    assert finish(qtbot, second) == 0

    again = start_second(name, other)  # already open: the window stays on it
    assert finish(qtbot, again) == 0
    qtbot.wait(50)
    assert window.windowTitle().startswith("Other client — ")
    assert window.isVisible()


def test_a_workbook_handed_over_waits_for_an_open_dialog(
        qtbot: QtBot, window: MainWindow, demo_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "Other client.awb"
    shutil.copy(demo_file, other)
    dialog = QDialog(window)
    dialog.open()
    qtbot.waitUntil(dialog.isVisible)
    window.open_requested(OpenRequest(other))
    assert window.windowTitle().startswith("d — ")
    assert "once this dialog is closed" in window.statusBar().currentMessage()
    dialog.reject()
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Other client — "), timeout=5000)


def test_a_busy_app_leaves_the_second_start_its_own_window(
        server: WorkbookServer, name: str) -> None:
    # The server's thread is blocked here (this test waits without running its events),
    # just as a running app busy with a long task would be.
    outcome, own = serve_or_hand_over(OpenRequest(), name, answer_ms=300)
    assert (outcome, own) == (HandOver.NO_ANSWER, None)
    assert server.server.isListening()  # the busy app keeps its name


def test_a_second_start_opens_its_own_window_when_the_app_is_stuck(
        server: WorkbookServer, name: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    # subprocess.run blocks this thread, so the server here never answers: a stuck app.
    result = subprocess.run([sys.executable, "-c", OWN_WINDOW, name], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "own window on None"
    waited = float(result.stdout.splitlines()[1].split()[1])
    assert 2.5 < waited < 10
    assert result.stderr.strip().endswith(
        "alignment-workbench: the app already running did not answer; opening a window of "
        "its own.")


def test_with_no_app_running_the_start_listens_even_over_a_crashed_apps_socket(
        name: str, tmp_path: Path) -> None:
    outcome, own = serve_or_hand_over(OpenRequest(), name)
    assert outcome is HandOver.NO_APP and own is not None and own.server.isListening()
    path = own.server.fullServerName()
    own.close()

    # An app killed while listening leaves its socket file; no one answers on it.
    if sys.platform.startswith("win"):
        return
    left = socket.socket(socket.AF_UNIX)
    left.bind(path)
    left.close()
    assert Path(path).exists()
    outcome, own = serve_or_hand_over(OpenRequest(), name)
    assert outcome is HandOver.NO_APP and own is not None and own.server.isListening()
    own.close()
