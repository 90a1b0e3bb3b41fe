"""The balancer's probes, beside the contract (like /metrics: infrastructure, not Jobnet's API):

- ``GET /health/live``: 200 while the process serves at all (restart it when this fails);
- ``GET /health/ready``: 200 while the database answers within ``READY_TIMEOUT_S`` seconds, else
  503 with the catalogue body of 8311 (take the instance out of the rotation until it answers).

Both are public (a balancer has no token), answer ``Cache-Control: no-store`` and say nothing but
the state and the backend's name.
"""
from __future__ import annotations

import json
from collections.abc import Callable

import anyio
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from generated.errors import Fejlkode
from jobnet.edge.errors import fejl_body
from jobnet.errors import DatabaseUnavailable
from jobnet.store import Database

READY_TIMEOUT_S = 2.0
PATHS = ("/health/live", "/health/ready")


class HealthEndpoints:
    def __init__(self, app: ASGIApp, database: Callable[[], Database]) -> None:
        self.app, self.database = app, database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in PATHS:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(405, headers={"Allow": "GET, HEAD"})  # the catalogue body, as every 405
        if scope["path"] == "/health/live":
            await _answer(send, scope, 200, {"status": "live"})
            return
        db = self.database()
        try:
            with anyio.fail_after(READY_TIMEOUT_S + 1):
                await anyio.to_thread.run_sync(db.ping, READY_TIMEOUT_S)
        except (DatabaseUnavailable, TimeoutError) as exc:
            status, body = fejl_body(Fejlkode.DATABASE_UTILGAENGELIG, type(exc).__name__)
            await _answer(send, scope, status, body, [(b"retry-after", b"5")])
            return
        await _answer(send, scope, 200, {"status": "ready", "database": db.backend})


async def _answer(send: Send, scope: Scope, status: int, body: dict[str, object],
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
        (b"cache-control", b"no-store"), *(headers or [])]})
    await send({"type": "http.response.body", "body": data if scope["method"] == "GET" else b""})
