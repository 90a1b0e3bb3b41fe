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


def _too_large() -> ProblemException:
    return ProblemException(status=413, title="Request Entity Too Large", detail="Request too large")
