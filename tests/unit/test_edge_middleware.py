"""The edge middleware is lean (issue 14): a body with a Content-Length within the limit reaches the
app through the server's own receive (no work per chunk), and an answer's body messages pass the
access log and the privacy headers as they are; only the start of an answer gets headers."""
from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

import pytest
from connexion.exceptions import BadRequestProblem, ProblemException

from jobnet.edge.accesslog import AccessLog, pseudonym
from jobnet.edge.guards import RequestGuard
from jobnet.edge.headers import NO_STORE, NOSNIFF, PrivacyHeaders

CPR = b"0101901234"


def scope(*headers: tuple[bytes, bytes], method: str = "POST") -> dict[str, Any]:
    return {"type": "http", "method": method, "path": "/v1/fejlmelding", "headers": list(headers)}


async def receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"{}", "more_body": False}


class App:
    """Records what it was called with; answers with ``messages``."""

    def __init__(self, *messages: dict[str, Any]) -> None:
        self.messages = messages
        self.called: list[tuple[MutableMapping[str, Any], Any]] = []

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        self.called.append((scope, receive))
        for m in self.messages:
            await send(m)


def run(middleware: Any, s: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(middleware(s, receive, send))
    return sent


def test_a_declared_length_within_the_limit_passes_the_servers_own_receive() -> None:
    app = App()
    run(RequestGuard(app, max_body=100), scope((b"content-type", b"application/json"), (b"content-length", b"2")))
    ((_, passed),) = app.called
    assert passed is receive


def test_a_declared_length_over_the_limit_is_refused_before_the_app() -> None:
    app = App()
    with pytest.raises(ProblemException) as refused:
        run(RequestGuard(app, max_body=100), scope((b"content-type", b"application/json"),
                                                  (b"content-length", b"101")))
    assert refused.value.status == 413 and not app.called


def test_a_chunked_body_is_read_whole_and_passed_on_with_its_length() -> None:
    app = App()
    run(RequestGuard(app, max_body=100), scope((b"content-type", b"application/json"),
                                              (b"transfer-encoding", b"chunked")))
    ((passed_scope, passed),) = app.called
    assert passed is not receive and (b"content-length", b"2") in passed_scope["headers"]
    assert asyncio.run(passed())["body"] == b"{}"


def test_a_length_and_a_transfer_coding_together_are_refused() -> None:
    with pytest.raises(BadRequestProblem):
        run(RequestGuard(App()), scope((b"content-type", b"application/json"), (b"content-length", b"2"),
                                       (b"transfer-encoding", b"chunked")))


START = {"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"application/json")]}
BODY = {"type": "http.response.body", "body": b"{}", "more_body": False}


def test_the_access_log_adds_the_request_id_and_passes_the_body_as_it_is() -> None:
    log = AccessLog(App(START, BODY), key=b"k")
    start, body = run(log, scope((b"x-requestid", b"req-1"), (b"x-civilregistrationidentifier", CPR)))
    assert start["status"] == 201 and start["headers"][-1] == (b"x-requestid", b"req-1")
    assert START["headers"] == [(b"content-type", b"application/json")]  # the app's message is not changed
    assert body is BODY
    assert log.pseudonym(CPR.decode()) == pseudonym(b"k", CPR.decode())


def test_the_access_log_makes_a_request_id_when_the_given_one_cannot_be_echoed() -> None:
    start, _ = run(AccessLog(App(START, BODY), key=b"k"), scope((b"x-requestid", b"has space")))
    made = start["headers"][-1]
    assert made[0] == b"x-requestid" and len(made[1]) == 32 and made[1] != b"has space"


def test_the_privacy_headers_are_added_to_the_start_only() -> None:
    start, body = run(PrivacyHeaders(App(START, BODY)), scope())
    assert start["headers"][-2:] == [NOSNIFF, NO_STORE] and body is BODY
    kept = {**START, "headers": [(b"Cache-Control", b"max-age=60")]}
    (start,) = run(PrivacyHeaders(App(kept)), scope())
    assert start["headers"] == [(b"Cache-Control", b"max-age=60"), NOSNIFF]
