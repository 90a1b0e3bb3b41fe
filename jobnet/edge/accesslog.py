"""One access line per request on the ``jobnet.access`` logger, and the request's id on every answer.

The request id is the caller's ``x-requestId`` (required on writes, optional on reads) or one made
here; it is set for every log line of the request (``jobnet.logs.CURRENT``), sent on to a SOAP
planner, and returned in the ``x-requestId`` header of every answer, so a call can be followed
through the logs and to the planner. The access line holds the operation, status, duration, the
calling client and the citizen only as a keyed pseudonym, never the CPR number itself; the same
numbers go to the metrics.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobnet.logs import CURRENT, RequestInfo
from jobnet.metrics import Metrics

log = logging.getLogger("jobnet.access")
_USABLE_ID = re.compile(rb"[\x21-\x7e]{1,46}")  # what may be echoed in a header: printable ASCII, 1-46


def pseudonym(key: bytes, cpr: str) -> str:
    """Stable for one key (JOBNET_LOG_KEY, shared by workers that must correlate); not reversible."""
    return hmac.new(key, cpr.encode(), hashlib.sha256).hexdigest()[:16]


class AccessLog:
    """``key``: the pseudonym key (Settings.access_log_key); ``metrics``: where the numbers go too."""

    def __init__(self, app: ASGIApp, key: bytes, metrics: Metrics | None = None) -> None:
        self.app = app
        self.key = key
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = next((v for k, v in scope["headers"] if k == b"x-requestid"), None)
        info = RequestInfo(given.decode() if given is not None and _USABLE_ID.fullmatch(given) else uuid.uuid4().hex)
        token = CURRENT.set(info)
        status = 500
        # routing writes the operation into scope["extensions"] of a copied scope; a dict made here is
        # shared by those copies, so the operation is visible below
        scope.setdefault("extensions", {})
        echo = (b"x-requestid", info.request_id.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), echo]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            entry = _entry(scope, info, status, seconds, self.key)
            if self.metrics is not None:
                self.metrics.answered(entry["operation"], status, seconds)
            log.info("%s %s %s", entry["method"], entry["path"], status, extra={"access": entry})
            CURRENT.reset(token)


def _entry(scope: Scope, info: RequestInfo, status: int, seconds: float, key: bytes) -> dict[str, Any]:
    routing = scope.get("extensions", {}).get("connexion_routing", {})
    cpr = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-civilregistrationidentifier"), None)
    return {
        "request_id": info.request_id,
        "method": scope.get("method"),
        "path": scope.get("path"),
        "operation": routing.get("operation_id"),
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "client": info.client,
        "citizen": pseudonym(key, cpr) if cpr else None,
    }
