"""ASGI guards that run before routing: control characters in the path, oversized requests."""
from __future__ import annotations

import re
from typing import Any

from connexion.exceptions import BadRequestProblem, ProblemException
from starlette.types import ASGIApp, Receive, Scope, Send


_CTRL = re.compile(r"[\x00-\x1f\x7f]")


class RejectControlCharsInPath:
    """A %0A in a path parameter slips past connexion's router into Flask's, which then 500s."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _CTRL.search(scope.get("path", "")):
            raise BadRequestProblem(detail="Control characters are not allowed in the URL path")
        await self.app(scope, receive, send)


class LimitRequestSize:
    """Refuse bodies larger than ``max_body`` bytes and header blocks larger than ``max_headers``
    with 413 (8306) before anything parses them. Sits inside connexion's exception middleware."""

    def __init__(self, app: ASGIApp, max_body: int = 64 * 1024, max_headers: int = 16 * 1024) -> None:
        self.app = app
        self.max_body = max_body
        self.max_headers = max_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", [])
        declared = next((v for k, v in headers if k == b"content-length"), b"")
        if sum(len(k) + len(v) for k, v in headers) > self.max_headers or (
                declared.isdigit() and int(declared) > self.max_body):
            raise _too_large()
        if not declared and any(k == b"transfer-encoding" for k, _ in headers):
            await self._sized(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _too_large()
            return message

        await self.app(scope, limited_receive, send)

    async def _sized(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A chunked body (no content-length) is read whole within the limit and passed on as one
        message with its length: connexion 3.3 takes a request without content-length for one
        without a body and would refuse it as 'RequestBody is required'."""
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
