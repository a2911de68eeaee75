"""Answers from phones: the questionnaire page and the answers a phone sends, called as a
WSGI app directly and through one real waitress server on 127.0.0.1. Valid answers wait
for the GUI thread; a bad value is named and not stored; an oversized body, a wrong token,
a page made for other questions, too many requests and a closed session are refused."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest

from workbench.model import Team
from workbench.phone_answers import MAX_BODY, PhoneSession, RateLimit, question_set_id
from workbench.phone_server import PhoneServer, qr_png
from workbench.workbook import Workbook
from workbench.workshop_questions import Question, QuestionKind

HOSTILE = "<script>alert('x')</script> & «ça» 合格 عميل 🚀 \"quoted\""


def call(session: PhoneSession, path: str, method: str = "GET", body: bytes = b"",
         client: str = "10.0.0.5", length: str | None = None) -> tuple[str, dict[str, str],
                                                                      str]:
    """One request straight into the WSGI app: (status, headers, page)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "REMOTE_ADDR": client,
        "CONTENT_LENGTH": str(len(body)) if length is None else length,
        "wsgi.input": io.BytesIO(body)}
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen.update(status=status, headers=dict(headers))

    page = b"".join(session(environ, start_response)).decode("utf-8")
    return seen["status"], seen["headers"], page


def form(session: PhoneSession, **fields: str) -> bytes:
    return urlencode({"set": session.question_set, **fields}).encode("utf-8")


@pytest.fixture
def session(blank: Workbook) -> PhoneSession:
    return PhoneSession(blank.workshop.questions())


def test_the_page_asks_the_side_first_and_every_question(session: PhoneSession,
                                                          blank: Workbook) -> None:
    status, headers, page = call(session, session.path)
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert page.index('name="side"') < page.index('name="q_')
    for question in blank.workshop.questions():
        assert f'name="q_{question.key}"' in page
    assert f'value="{session.question_set}"' in page
    assert 'name="viewport"' in page and "http" not in page.split("<form")[0].lower()


def test_question_text_is_escaped(blank: Workbook) -> None:
    question = Question("q1", HOSTILE, QuestionKind.CHOICE, HOSTILE, choices=(HOSTILE, "b"))
    session = PhoneSession([question])
    _, _, page = call(session, session.path)
    assert "<script>" not in page and "&lt;script&gt;" in page
    collected: list[str] = []

    class Texts(HTMLParser):
        def handle_data(self, data: str) -> None:
            collected.append(data)

    Texts().feed(page)
    assert any(HOSTILE in text for text in collected)  # shown as typed, never as markup
    status, _, _ = call(session, session.path + "answers", "POST",
                        form(session, side="sales", q_q1=HOSTILE))
    assert status == "200 OK"
    assert session.inbox.get_nowait().answers == {"q1": HOSTILE}


def test_valid_and_partial_answers_wait_for_the_gui_thread(session: PhoneSession) -> None:
    status, _, page = call(session, session.path + "answers", "POST",
                           form(session, side="Marketing", name="Ana 🚀",
                                q_same_goal="4", q_follow_up_hours="1,200", q_horizon=""))
    assert status == "200 OK" and "Stored 2 answers for marketing." in page
    sent = session.inbox.get_nowait()
    assert (sent.team, sent.name, sent.answers, sent.client) == (
        Team.MARKETING, "Ana 🚀", {"same_goal": "4", "follow_up_hours": "1200"}, "10.0.0.5")
    assert session.inbox.empty()


def test_a_value_out_of_scale_is_named_and_not_stored(session: PhoneSession) -> None:
    status, _, page = call(session, session.path + "answers", "POST",
                           form(session, side="sales", q_same_goal="7", q_horizon="This month"))
    assert status == "200 OK" and "Stored 1 answer for sales." in page
    assert "expected a whole number from 1 to 5, not “7”" in page
    assert session.inbox.get_nowait().answers == {"horizon": "This month"}
    status, _, page = call(session, session.path + "answers", "POST",
                           form(session, side="sales", q_same_goal="7"))
    assert status == "400 Bad Request" and "Nothing was stored" in page
    assert 'value="7"' not in page or "same_goal" in page  # the form comes back, refilled
    assert session.inbox.empty()


def test_a_side_that_is_neither_team_is_refused(session: PhoneSession) -> None:
    status, _, page = call(session, session.path + "answers", "POST",
                           form(session, side="finance", q_same_goal="3"))
    assert status == "400 Bad Request" and "Choose your side first" in page
    assert session.inbox.empty()


def test_an_oversized_body_is_refused_unread(session: PhoneSession) -> None:
    big = form(session, side="sales", q_same_goal="3", q_mql_definition="x" * MAX_BODY)
    status, _, page = call(session, session.path + "answers", "POST", big)
    assert status == "413 Content Too Large" and "16 KB" in page
    status, _, _ = call(session, session.path + "answers", "POST", b"", length="-5")
    assert status == "413 Content Too Large"
    assert session.inbox.empty()


def test_a_wrong_token_learns_nothing(session: PhoneSession) -> None:
    for path in ("/", "/nope/", "/nope/answers", session.path[:-2] + "/", "/a/b/c",
                 f"/{session.token}x/answers"):
        status, _, page = call(session, path, "POST", form(session, side="sales",
                                                           q_same_goal="3"))
        assert status == "404 Not Found", path
        assert session.token not in page and "question" not in page.lower()
    assert session.inbox.empty()


def test_answers_for_another_question_set_are_sent_back(session: PhoneSession,
                                                        blank: Workbook) -> None:
    questions = blank.workshop.questions()
    session.set_questions(questions[:-1])
    assert session.question_set == question_set_id(questions[:-1])
    status, _, page = call(session, session.path + "answers", "POST",
                           urlencode({"set": question_set_id(questions), "side": "sales",
                                      "q_same_goal": "3"}).encode())
    assert status == "409 Conflict" and "questions changed" in page
    assert session.inbox.empty()


def test_too_many_requests_from_one_phone_are_refused() -> None:
    now = [0.0]
    limit = RateLimit(3, 60.0, clock=lambda: now[0])
    session = PhoneSession([], limit=limit)
    assert [call(session, session.path)[0] for _ in range(4)][-1] == "429 Too Many Requests"
    assert call(session, session.path, client="10.0.0.6")[0] == "200 OK"  # another phone
    now[0] = 61.0
    assert call(session, session.path)[0] == "200 OK"


def test_a_closed_session_refuses(session: PhoneSession) -> None:
    session.close()
    status, _, page = call(session, session.path + "answers", "POST",
                           form(session, side="sales", q_same_goal="3"))
    assert status == "410 Gone" and "no longer takes answers" in page
    assert call(session, session.path)[0] == "410 Gone"
    assert session.inbox.empty()


def test_tokens_differ_per_session(blank: Workbook) -> None:
    tokens = {PhoneSession(blank.workshop.questions()).token for _ in range(20)}
    assert len(tokens) == 20 and all(len(t) >= 20 for t in tokens)


def test_a_real_server_on_loopback_takes_answers_and_stops(session: PhoneSession) -> None:
    server = PhoneServer(session, "127.0.0.1")
    server.start()
    try:
        assert server.address == f"http://127.0.0.1:{server.port}{session.path}"
        with urllib.request.urlopen(server.address, timeout=10) as reply:
            assert reply.status == 200 and b'name="side"' in reply.read()
        with urllib.request.urlopen(server.address + "answers", data=form(
                session, side="sales", q_same_goal="2"), timeout=10) as reply:
            assert b"Stored 1 answer for sales." in reply.read()
        assert session.inbox.get(timeout=5).answers == {"same_goal": "2"}
        for url, data, code in (
                (server.address + "answers", form(session, side="sales", q_same_goal="9"), 400),
                (f"http://127.0.0.1:{server.port}/wrong/answers", form(session), 404),
                (server.address + "answers", b"x" * (MAX_BODY + 1), 413)):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url, data=data, timeout=10)
            assert refused.value.code == code, url
    finally:
        server.stop()
    assert not server.running and not session.is_open
    with pytest.raises(OSError):
        urllib.request.urlopen(server.address, timeout=3)


def test_the_qr_code_is_a_png() -> None:
    png = qr_png("http://192.0.2.10:8123/token/")
    assert png.startswith(b"\x89PNG") and len(png) > 200
