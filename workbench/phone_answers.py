"""Answers from phones in the room: a tiny WSGI app that serves the questionnaire and takes
answers for one workshop session only.

The address carries a random token (`secrets.token_urlsafe`) a participant reads from the
QR code on the projector; a request without it learns nothing (404). Answers are accepted
while the session is open and for the question set the page was made from; a body over
16 KB is refused unread, and each client address may send only so many requests a
minute. Good values are kept and bad ones reported and not stored, sorted by the same
function as a CSV's (`workshop_questions.sort_answers`). Accepted answers wait in `inbox`
for the GUI thread, which stores them as an undoable step: the workbook's connection
belongs to that thread."""

from __future__ import annotations

import hashlib
import hmac
import queue
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from .model import Team
from .phone_page import MAX_NAME, SIDES, form_page, message_page, thanks_page
from .workshop_questions import Question, sort_answers

MAX_BODY = 16 * 1024  # bytes of one sent form
MAX_FIELDS = 200
RATE_LIMIT = 30  # requests a client address may make in RATE_WINDOW seconds
RATE_WINDOW = 60.0

StartResponse = Callable[..., Any]
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
           ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
           ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
            "form-action 'self'; frame-ancestors 'none'")]


@dataclass(frozen=True)
class PhoneAnswer:
    """One participant's answers from a phone, checked and ready to store."""

    team: Team
    name: str
    answers: dict[str, str]
    question_set: str
    client: str


def question_set_id(questions: Sequence[Question]) -> str:
    """A short fingerprint of the questions (their words and what they take), so a page
    made for one set never stores answers into another, nor into a reworded one."""
    digest = hashlib.sha256()
    for q in questions:
        digest.update(repr((q.key, q.area, q.kind.value, q.text, q.choices, q.low, q.high))
                      .encode("utf-8"))
    return digest.hexdigest()[:16]


class RateLimit:
    """At most `limit` requests per client address in any `window` seconds."""

    def __init__(self, limit: int = RATE_LIMIT, window: float = RATE_WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True


class PhoneSession:
    """One workshop's phone answers: its token, its question set, its inbox; a WSGI app."""

    def __init__(self, questions: Sequence[Question], *, token: str | None = None,
                 limit: RateLimit | None = None) -> None:
        self.token = token or secrets.token_urlsafe(16)
        self.inbox: queue.Queue[PhoneAnswer] = queue.Queue()
        self.limit = limit or RateLimit()
        self._questions: tuple[tuple[Question, ...], str] = ((), "")
        self._open = threading.Event()
        self._open.set()
        self.set_questions(questions)

    @property
    def path(self) -> str:
        """The questionnaire's path, token included."""
        return f"/{self.token}/"

    @property
    def question_set(self) -> str:
        return self._questions[1]

    @property
    def is_open(self) -> bool:
        return self._open.is_set()

    def set_questions(self, questions: Sequence[Question]) -> None:
        """The questions from now on (reworded or moved on the laptop): a page made for the
        old set is refused, and asked to be loaded again."""
        self._questions = (tuple(questions), question_set_id(questions))

    def close(self) -> None:
        """End the session: no answer is accepted from now on."""
        self._open.clear()

    # -- the WSGI app ---------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        status, body = self._respond(environ)
        start_response(status, [*HEADERS, ("Content-Length", str(len(body)))])
        return [body]

    def _respond(self, environ: dict[str, Any]) -> tuple[str, bytes]:
        client = str(environ.get("REMOTE_ADDR", ""))
        parts = str(environ.get("PATH_INFO", "")).split("/")
        if len(parts) != 3 or not hmac.compare_digest(parts[1].encode("utf-8", "replace"),
                                                       self.token.encode("ascii")):
            return "404 Not Found", message_page("Not found", "There is nothing here.")
        if not self.limit.allow(client):
            return "429 Too Many Requests", message_page(
                "Too many requests", "Please wait a minute, then send again.")
        if not self.is_open:
            return "410 Gone", message_page(
                "The session has ended", "This workshop no longer takes answers.")
        method = environ.get("REQUEST_METHOD", "GET")
        questions, set_id = self._questions
        if parts[2] == "" and method in ("GET", "HEAD"):
            return "200 OK", form_page(self.path + "answers", set_id, questions)
        if parts[2] == "answers" and method == "POST":
            return self._receive(environ, client)
        return "405 Method Not Allowed", message_page(
            "Not allowed", "Open the address from the QR code to answer.")

    def _receive(self, environ: dict[str, Any], client: str) -> tuple[str, bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            return "413 Content Too Large", message_page(
                "Too long", f"Answers are limited to {MAX_BODY // 1024} KB: shorten the "
                "written answers and send again.")
        body = environ["wsgi.input"].read(length)
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True,
                              max_num_fields=MAX_FIELDS, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            return "400 Bad Request", message_page("Not understood",
                                                   "The answers could not be read.")
        sent = {key: values[0] for key, values in fields.items() if values}
        return self._store(sent, client)

    def _store(self, sent: dict[str, str], client: str) -> tuple[str, bytes]:
        questions, set_id = self._questions
        if not hmac.compare_digest(sent.get("set", "").encode("utf-8", "replace"),
                                   set_id.encode("ascii")):
            return "409 Conflict", form_page(
                self.path + "answers", set_id, questions, values=sent, problems=[
                    "The questions changed since this page was loaded: your answers are "
                    "below, please send them again."])
        problems = []
        try:
            team = Team(sent.get("side", "").strip().casefold())
        except ValueError:
            team = None
            problems.append("Choose your side first: marketing or sales.")
        name = sent.get("name", "").strip()
        if len(name) > MAX_NAME:
            problems.append(f"The name is longer than {MAX_NAME} characters.")
        raw = {key[2:]: value for key, value in sent.items() if key.startswith("q_")}
        answers, bad = sort_answers(questions, raw)
        not_stored = [f"“{q.text}”: {why}" for q, why in bad]
        if team is None or problems or not answers:
            if not answers and team is not None and not problems:
                problems.append("Answer at least one question.")
            return "400 Bad Request", form_page(self.path + "answers", set_id, questions,
                                                values=sent, problems=problems + not_stored)
        self.inbox.put(PhoneAnswer(team, name, answers, set_id, client))
        return "200 OK", thanks_page(self.path, team, len(answers), not_stored)


__all__ = ["MAX_BODY", "SIDES", "PhoneAnswer", "PhoneSession", "RateLimit",
           "question_set_id"]
