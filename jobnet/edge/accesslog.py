"""One JSON line per request on the ``jobnet.access`` logger: request id, operation, status,
duration — and the citizen only as a keyed pseudonym, never the CPR number itself."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("jobnet.access")


def pseudonym(key: bytes, cpr: str) -> str:
    """Stable for one key (JOBNET_LOG_KEY, shared by workers that must correlate); not reversible."""
    return hmac.new(key, cpr.encode(), hashlib.sha256).hexdigest()[:16]


class AccessLog:
    """``key``: the pseudonym key (Settings.access_log_key: JOBNET_LOG_KEY, or random per app)."""

    def __init__(self, app: ASGIApp, key: bytes) -> None:
        self.app = app
        self.key = key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        # routing writes the operation into scope["extensions"] of a copied scope; a dict made here is
        # shared by those copies, so the operation is visible below
        scope.setdefault("extensions", {})

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            log.info(json.dumps(_entry(scope, status, time.perf_counter() - started, self.key), ensure_ascii=False))


def _entry(scope: Scope, status: int, seconds: float, key: bytes) -> dict[str, Any]:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    routing = scope.get("extensions", {}).get("connexion_routing", {})
    cpr = headers.get("x-civilregistrationidentifier")
    return {
        "request_id": headers.get("x-requestid"),
        "method": scope.get("method"),
        "path": scope.get("path"),
        "operation": routing.get("operation_id"),
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "citizen": pseudonym(key, cpr) if cpr else None,
    }
