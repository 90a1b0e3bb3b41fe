"""Headers every answer carries: ``X-Content-Type-Options: nosniff``, and ``Cache-Control: no-store``
unless the answer sets its own (only the published documents do). Every API answer concerns one
citizen, so no browser or proxy may keep a copy."""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOSNIFF = (b"x-content-type-options", b"nosniff")
NO_STORE = (b"cache-control", b"no-store")


def with_privacy(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with nosniff, and no-store where they set no Cache-Control."""
    keeps = any(k.lower() == b"cache-control" for k, _ in headers)
    return [*headers, NOSNIFF] if keeps else [*headers, NOSNIFF, NO_STORE]


class _Answer:
    """The send of one request (one small object, no closure): headers added to the start."""

    __slots__ = ("send",)

    def __init__(self, send: Send) -> None:
        self.send = send

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": with_privacy(list(message.get("headers", ())))}
        await self.send(message)


class PrivacyHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Answer(send))
