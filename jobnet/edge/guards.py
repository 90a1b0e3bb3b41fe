"""The request guard: what every request must be before anything routes or parses it.

One pass over the request line and headers, before routing (inside connexion's exception
middleware, so a refusal is a catalogue body):

- control characters in the path: 1014 (a %0A in a path parameter would slip past connexion's
  router into Flask's and 500);
- a header that must be single given more than once (the CPR, the request id, the token): 1014,
  so no part of the service can read another value than the next;
- the header block over ``max_headers`` bytes, a declared body over ``max_body``: 413 (8306);
- a body without a Content-Type: 1014 (connexion would guess, and the handler get bytes); the media
  type is case-insensitive (RFC 9110 §8.3.1), so it is passed on in lower case;
- a chunked body (no Content-Length) is read whole within the limit and passed on with its length:
  connexion 3.3 takes a request without Content-Length for one without a body; a request that
  declares both a length and a transfer coding is 1014 (RFC 9112 §6.1: a smuggling attempt).

A request without a body (every read), and one whose Content-Length is within the limit, is passed
on untouched, with no work per chunk: the server frames the body by that length, so no more than
it declares ever reaches the app (httptools and granian; tests/system/test_server_limits.py sends
more than it declares to the production server).
"""
from __future__ import annotations

import re
from typing import Any

from connexion.exceptions import BadRequestProblem, ProblemException
from starlette.types import ASGIApp, Receive, Scope, Send

_CTRL = re.compile(r"[\x00-\x1f\x7f]")
SINGLE = frozenset({b"x-civilregistrationidentifier", b"x-requestid", b"authorization", b"content-type",
                    b"content-length"})


class RequestGuard:
    def __init__(self, app: ASGIApp, max_body: int = 64 * 1024, max_headers: int = 16 * 1024) -> None:
        self.app = app
        self.max_body = max_body
        self.max_headers = max_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _CTRL.search(scope["path"]):
            raise BadRequestProblem(detail="Control characters are not allowed in the URL path")
        size, seen = 0, set()
        declared: bytes | None = None
        content_type: bytes | None = None
        chunked = False
        for name, value in scope["headers"]:
            size += len(name) + len(value)
            if name in SINGLE:
                if name in seen:
                    raise BadRequestProblem(detail=f"Header {name.decode('latin-1')} is given more than once")
                seen.add(name)
                if name == b"content-length":
                    declared = value
                elif name == b"content-type":
                    content_type = value
            elif name == b"transfer-encoding":
                chunked = True
        if size > self.max_headers:
            raise _too_large()
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            raise _too_large() if declared.isdigit() else BadRequestProblem(detail="Content-Length is not a number")
        has_body = chunked or (declared is not None and declared != b"0")
        if has_body and content_type is None:
            raise BadRequestProblem(detail="A request body needs a Content-Type (application/json)")
        if content_type is not None and content_type != content_type.lower():
            scope = {**scope, "headers": _lower_media_type(scope["headers"])}
        if chunked and declared is not None:
            raise BadRequestProblem(detail="Content-Length and Transfer-Encoding together")
        if chunked:
            await self._sized(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _sized(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:
                raise _too_large()
            more = message.get("more_body", False)
        headers = [(k, v) for k, v in scope["headers"] if k != b"transfer-encoding"]
        headers.append((b"content-length", str(size).encode()))
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app({**scope, "headers": headers}, _replay([body], then=receive), send)


def _lower_media_type(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The Content-Type with its media type and parameter names in lower case (values kept)."""
    def lowered(value: bytes) -> bytes:
        media, _, params = value.partition(b";")
        parts = [media.strip().lower()]
        for param in params.split(b";") if params else []:
            key, eq, val = param.strip().partition(b"=")
            parts.append(key.lower() + eq + (val.lower() if key.lower() == b"charset" else val))
        return b"; ".join(parts)

    return [(k, lowered(v) if k == b"content-type" else v) for k, v in headers]


def _replay(messages: list[Any], then: Receive | None = None) -> Receive:
    """A receive that hands out ``messages`` first, then what ``then`` receives (a disconnect)."""
    pending = list(messages)

    async def receive() -> Any:
        if pending:
            return pending.pop(0)
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive


def _too_large() -> ProblemException:
    return ProblemException(status=413, title="Request Entity Too Large", detail="Request too large")
